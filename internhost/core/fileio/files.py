"""Every file the app writes: the one output-path guard, and owner-only files.

The guard (``check_output``): an export, a recovery sheet, a backup copy, a packet
must never land on the database or on anything that belongs to it, whoever asks and
however the path is spelled. Protected are the database, its companions (``-wal``,
``-shm``, ``-journal``, the lock ``<db>.lock``, the runs folder ``<db>.runs``), every
file in its backups folder, and the copies kept beside it (before a migration, the
unencrypted original) and the work files of its operations (``.<db name>.*``).
Files that exist are compared as files (the same device and inode: a hard link, a
symlink, ``..`` or another spelling all end on the same file); names that do not
exist yet are compared by their folder (resolved, and compared as a folder) plus the
case-folded name, so ``INTERNHOST.DB-WAL`` on a case-insensitive disk is caught too.

Owner-only: on POSIX every file the app writes is 0600 and every folder it makes
0700, whatever the umask (``private_process`` also sets the process umask to 077,
so what SQLite creates, ``-wal`` and ``-shm`` included, starts owner-only); on Windows
files inherit the per-user ACL of the data folder, which is owner-only already.
``replace`` keeps that across an atomic rename; ``atomic_writer`` writes a file whole
or not at all, leaving nothing behind when it fails.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any, Literal

from internhost.core.errors import ValidationError

POSIX = os.name == "posix"


class ProtectedPath(ValidationError):
    """An output path that is the database or one of its files (CLI exit 2)."""

    def __init__(self, target: Path, what: str, field: str) -> None:
        super().__init__(
            f"{target} is {what}; writing there would destroy it: choose another file", field
        )


# -- owner-only files -----------------------------------------------------------


def private_process() -> None:
    """Make every file this process creates owner-only from the start (POSIX umask
    077). Called first thing by the command line, the app and worker processes."""
    if POSIX:
        os.umask(0o077)


def restrict(path: os.PathLike[str] | str) -> None:
    """Owner-only (0600, or 0700 for a folder) on POSIX; nothing on Windows, where the
    data folder's per-user ACL applies. A file that is gone is no error."""
    if not POSIX:
        return
    with suppress(FileNotFoundError):
        os.chmod(path, 0o700 if os.path.isdir(path) else 0o600)


def private_dir(path: os.PathLike[str] | str) -> Path:
    """``path`` as a folder, created owner-only (parents too) when it is missing; an
    existing folder is left as it is (it may be the user's own, such as their home)."""
    folder = Path(path)
    missing = []
    probe = folder
    while not probe.exists():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for new in reversed(missing):
        with suppress(FileExistsError):
            new.mkdir(mode=0o700)
        restrict(new)
    return folder


def replace(src: os.PathLike[str] | str, dest: os.PathLike[str] | str) -> None:
    """``os.replace`` that leaves ``dest`` owner-only, whatever ``src`` was made with."""
    restrict(src)
    os.replace(src, dest)


def remove(*paths: os.PathLike[str] | str) -> None:
    """Delete files that may or may not exist (work files, after a failure)."""
    for p in paths:
        with suppress(FileNotFoundError, IsADirectoryError, PermissionError):
            os.unlink(p)


def partial_path(target: Path) -> Path:
    """A new work-file name beside ``target`` (hidden, unique: two writers of one
    target never share it), renamed over ``target`` when the writing is done."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")


_WIPE_CHUNK = 1 << 20


def shred(path: os.PathLike[str] | str) -> None:
    """Overwrite a file with zeros, then delete it: a plain delete would leave minors'
    records readable on the disk (on an SSD this is best effort; the OS's disk
    encryption covers the rest)."""
    with open(path, "r+b") as fh:
        size = os.fstat(fh.fileno()).st_size
        for start in range(0, size, _WIPE_CHUNK):
            fh.write(bytes(min(_WIPE_CHUNK, size - start)))
        fh.flush()
        os.fsync(fh.fileno())
    os.unlink(path)


def shred_or_remove(*paths: os.PathLike[str] | str) -> None:
    """Remove work files, shredding those that hold an unencrypted database."""
    for p in paths:
        try:
            with open(p, "rb") as fh:
                plain = fh.read(16) == b"SQLite format 3\x00"
        except OSError:
            continue
        try:
            if plain:
                shred(p)
            else:
                remove(p)
        except OSError:
            remove(p)


def work_file_names(path: Path) -> list[Path]:
    """``path`` and the files SQLite may write beside it while it is being written."""
    return [path, *(path.with_name(path.name + s) for s in ("-journal", "-wal", "-shm"))]


@contextmanager
def atomic_writer(
    path: Path, mode: Literal["w", "wb"] = "wb", *, partial: Path | None = None
) -> Iterator[IO[Any]]:
    """``path`` written whole or not at all: an owner-only partial file beside it
    is renamed over it when the block succeeds; on any failure (the rename included)
    the partial file is removed and ``path`` is left as it was. Text mode is UTF-8
    without newline translation (CSV writes its own line ends)."""
    target = Path(path)
    if target.is_dir():
        raise ValidationError(f"{target} is a folder; name a file", "path")
    partial = partial or partial_path(target)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        if "b" in mode:
            stream: IO[Any] = os.fdopen(fd, "wb")
        else:
            stream = os.fdopen(fd, "w", encoding="utf-8", newline="")
        with stream:
            yield stream
            stream.flush()
            with suppress(OSError):
                os.fsync(stream.fileno())
        replace(partial, target)
    except BaseException:
        remove(partial)
        raise


# -- the output-path guard ------------------------------------------------------


def _casefold(name: str) -> str:
    return name.casefold()


def _same_folder(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return _casefold(str(a.resolve())) == _casefold(str(b.resolve()))


def _inside(path: Path, folder: Path) -> bool:
    """``path`` lies in ``folder`` or below it (compared as folders where they exist)."""
    probe = path
    while True:
        if _same_folder(probe, folder):
            return True
        if probe.parent == probe:
            return False
        probe = probe.parent


def _kept_copy_pattern(db: Path) -> re.Pattern[str]:
    """The copies kept beside the database: before a migration
    (``<stem>.pre-<rev>-<stamp><suffix>``) and the unencrypted original
    (``<stem>.unencrypted-<stamp><suffix>``)."""
    return re.compile(
        rf"{re.escape(_casefold(db.stem))}\.(pre-.+|unencrypted-.+){re.escape(_casefold(db.suffix))}"
    )


def _protected_name(db: Path, name: str) -> str | None:
    """What a file of this name in the database's folder is to it, else None."""
    folded, own = _casefold(name), _casefold(db.name)
    if folded == own:
        return "the database itself"
    if folded.startswith(own) and folded[len(own) : len(own) + 1] in ("-", "."):
        return "one of the database's own files"
    if folded.startswith(f".{own}."):
        return "a work file of the database"
    if _kept_copy_pattern(db).fullmatch(folded):
        return "a copy of the database kept beside it"
    return None


def _existing_protected(db: Path) -> Iterator[tuple[Path, str]]:
    """The protected files that exist now, for comparing files (hard links)."""
    folder = db.parent
    if folder.is_dir():
        for entry in folder.iterdir():
            what = _protected_name(db, entry.name)
            if what is not None and entry.is_file():
                yield entry, what
    for sub, what in ((".backups", "a backup of the database"), (".runs", "a lock file")):
        inner = db.with_name(db.name + sub)
        if inner.is_dir():
            for entry in inner.iterdir():
                if entry.is_file():
                    yield entry, what


def protected(target: os.PathLike[str] | str, db_path: os.PathLike[str] | str) -> str | None:
    """What ``target`` is to the database at ``db_path`` (the database, a companion, a
    backup, a kept copy, a work file), or None when it is free to write."""
    db = Path(os.path.abspath(db_path))
    spelled = Path(os.path.abspath(Path(target).expanduser()))
    try:
        resolved = spelled.resolve()
    except (OSError, RuntimeError):  # a symlink loop: no file can be written there
        return "a path that cannot be resolved (a symbolic-link loop)"
    with suppress(OSError, RuntimeError):
        db = db.resolve()
    if resolved.exists() or spelled.exists():
        real = resolved if resolved.exists() else spelled
        for own, what in _existing_protected(db):
            with suppress(OSError):
                if os.path.samefile(real, own):
                    return what
        if db.exists():
            with suppress(OSError):
                if os.path.samefile(real, db):
                    return "the database itself"
    for candidate in (resolved, spelled):
        for sub, what in (
            (".backups", "in the database's backups folder"),
            (".runs", "in the database's runs folder (its locks and journals)"),
        ):
            folder = db.with_name(db.name + sub)
            if candidate != folder and _inside(candidate.parent, folder):
                return what
        if _same_folder(candidate.parent, db.parent):
            named = _protected_name(db, candidate.name)
            if named is not None:
                return named
    return None


def check_output(
    target: os.PathLike[str] | str, db_path: os.PathLike[str] | str, *, field: str = "path"
) -> Path:
    """``target`` (user-expanded) when it is free to write; else ``ProtectedPath``
    naming ``field``. Every writer of a file calls this, whatever its caller."""
    path = Path(target).expanduser()
    what = protected(path, db_path)
    if what is not None:
        raise ProtectedPath(path, what, field)
    return path
