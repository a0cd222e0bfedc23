"""What each process is doing with a database, and what a killed one left behind.

Every process that opens a database (the app, each command, each worker) keeps a
note in the runs folder ``<db name>.runs/`` beside it: ``run-<token>.json`` says who
it is (the app on which computer, which command, a worker) and holds its journal —
the work files it is writing right now and the files a conversion (encrypt, rekey)
still has to do; ``run-<token>.lock`` is locked by the process for as long as it
lives, and the OS frees that lock when the process ends or is killed. No key, no
record and no password ever goes in a note: paths, names and times only.

A note whose lock is free belongs to a run that ended without cleaning up (killed,
or the computer lost power). With an empty journal it is simply removed; otherwise
it stays until a logged-in user permitted to do what was interrupted opens the
database (``core.recovery``), which removes exactly the files the journal names and
finishes its conversions. Nothing is ever deleted because its name looks like ours.

The folder also holds the app's one-instance lock (``instance``), so the database's
companions are its ``-wal``/``-shm``/``-journal``, ``<db>.lock``, ``<db>.runs/`` and
``<db>.backups/``.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from internhost.core.fileio import files
from internhost.core.storage import oslock

#: A note younger than this whose lock is free may belong to a run that is just
#: starting (it creates, then locks): it is left alone.
GRACE_SECONDS = 5.0
_NOTE_PREFIX = "run-"


def runs_dir_for(db_path: os.PathLike[str] | str) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".runs")


@dataclass
class Note:
    """One run's note: who, since when, in which lock mode, and its journal."""

    token: str
    kind: str  # "app", "command" or "worker"
    what: str  # "internhost restore", "the app", "internhost.core.workers:probe"
    pid: int
    host: str
    since: str  # ISO, local time with offset
    mode: str = "shared"
    #: Work files being written now: ``[{"op": "export", "files": [absolute paths]}]``.
    work: list[dict[str, Any]] = field(default_factory=list)
    #: A conversion under way: ``{"op": "rekey", "files": [...], "user": "hr"}``.
    pending: dict[str, Any] | None = None

    @property
    def has_journal(self) -> bool:
        return bool(self.work) or self.pending is not None

    def describe(self) -> str:
        """ "the InternHost app (pid 812 on FRONT-DESK, since 08:02)" and the like."""
        who = {
            "app": "the InternHost app",
            "worker": f"an InternHost background task ({self.what})",
        }.get(self.kind, f"`{self.what}`")
        place = f"pid {self.pid}"
        if self.host and self.host != socket.gethostname():
            place += f" on {self.host}"
        with suppress(ValueError):
            place += f", since {datetime.fromisoformat(self.since).strftime('%Y-%m-%d %H:%M')}"
        return f"{who} ({place})"

    @classmethod
    def from_json(cls, text: str) -> Note | None:
        try:
            data = json.loads(text)
            return cls(**data) if isinstance(data, dict) else None
        except (ValueError, TypeError):
            return None


class Run:
    """This process's own note on one database, kept until ``close``."""

    def __init__(self, db_path: Path, note: Note, fd: int) -> None:
        self.db_path = db_path
        self.note = note
        self._fd: int | None = fd
        self._mutex = threading.RLock()
        folder = runs_dir_for(db_path)
        self.json_path = folder / f"{_NOTE_PREFIX}{note.token}.json"
        self.lock_path = folder / f"{_NOTE_PREFIX}{note.token}.lock"

    def save(self) -> None:
        """Write the note whole (a rename), so a reader never sees half of it."""
        with self._mutex, files.atomic_writer(self.json_path, "w") as out:
            out.write(json.dumps(asdict(self.note), ensure_ascii=False))

    def update(self, **changes: Any) -> None:
        with self._mutex:
            for name, value in changes.items():
                setattr(self.note, name, value)
            self.save()

    def add_work(self, op: str, paths: list[Path]) -> dict[str, Any]:
        """Journal ``paths`` as work files of ``op`` (before they are created); the
        entry to pass to ``extend_work``, ``drop_work`` or ``promote``."""
        entry: dict[str, Any] = {"op": op, "files": [str(Path(p).absolute()) for p in paths]}
        with self._mutex:
            self.note.work.append(entry)
            self.save()
        return entry

    def extend_work(self, entry: dict[str, Any], paths: list[Path]) -> None:
        with self._mutex:
            entry["files"].extend(str(Path(p).absolute()) for p in paths)
            self.save()

    def drop_work(self, entry: dict[str, Any]) -> None:
        """The work is done (or its files removed): forget the entry."""
        with self._mutex:
            with suppress(ValueError):
                self.note.work.remove(entry)
            self.save()

    def promote(self, entry: dict[str, Any], pending: dict[str, Any]) -> None:
        """Replace a work entry by a conversion to finish, in one write of the note:
        a reader sees the one or the other, never both or neither."""
        with self._mutex:
            with suppress(ValueError):
                self.note.work.remove(entry)
            self.note.pending = pending
            self.save()

    @contextmanager
    def working(self, op: str, paths: list[Path]) -> Iterator[None]:
        """Journal ``paths`` as work files of ``op`` while the block runs: should the
        process die in it, the next permitted user's start removes exactly these."""
        entry = self.add_work(op, paths)
        try:
            yield
        finally:
            self.drop_work(entry)

    def close(self) -> None:
        """Remove the note and free its lock (idempotent)."""
        with self._mutex:
            fd, self._fd = self._fd, None
            if fd is None:
                return
            _forget(self.db_path, self)
            files.remove(self.json_path)
            try:
                oslock.unlock(fd)
            finally:
                os.close(fd)
            files.remove(self.lock_path)


_registry: dict[Path, Run] = {}
_registry_mutex = threading.Lock()


def _key(db_path: os.PathLike[str] | str) -> Path:
    return Path(os.path.abspath(db_path))


def _forget(db_path: Path, run: Run) -> None:
    with _registry_mutex:
        if _registry.get(_key(db_path)) is run:
            del _registry[_key(db_path)]


def current(db_path: os.PathLike[str] | str) -> Run | None:
    """This process's run on ``db_path``, if it has one."""
    with _registry_mutex:
        return _registry.get(_key(db_path))


def start(db_path: os.PathLike[str] | str, kind: str, what: str, mode: str = "shared") -> Run:
    """Write this process's note (the runs folder is made owner-only) and lock it."""
    path = _key(db_path)
    folder = files.private_dir(runs_dir_for(path))
    token = f"{os.getpid()}-{secrets.token_hex(4)}"
    lock_path = folder / f"{_NOTE_PREFIX}{token}.lock"
    fd = oslock.open_lock_file(lock_path)
    if not oslock.try_lock(fd, exclusive=True):  # a fresh random name: cannot happen
        os.close(fd)
        raise OSError(f"cannot lock {lock_path}")
    note = Note(
        token=token,
        kind=kind,
        what=what,
        pid=os.getpid(),
        host=socket.gethostname(),
        since=datetime.now().astimezone().isoformat(timespec="seconds"),
        mode=mode,
    )
    run = Run(path, note, fd)
    run.save()
    with _registry_mutex:
        _registry.setdefault(path, run)
    return run


@contextmanager
def working(db_path: os.PathLike[str] | str, op: str, paths: list[Path]) -> Iterator[None]:
    """Journal ``paths`` as ``op``'s work files in this process's run on ``db_path``
    (a short run of its own when the process has none), for the block's duration."""
    run = current(db_path)
    if run is not None:
        with run.working(op, paths):
            yield
        return
    run = start(db_path, "command", op)
    try:
        with run.working(op, paths):
            yield
    finally:
        run.close()


def entry_files(entry: dict[str, Any]) -> list[Path]:
    """The files a work entry names."""
    return [Path(p) for p in entry.get("files", []) if isinstance(p, str)]


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # no cheap check; the grace period decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _notes(folder: Path) -> list[tuple[Path, Path]]:
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.glob(f"{_NOTE_PREFIX}*.json"):
        found.append((entry, entry.with_suffix(".lock")))
    # A note's own half-written copy (a process killed while saving it): the folder is
    # ours alone, and a live writer renames its copy within milliseconds.
    for partial in folder.glob(f".{_NOTE_PREFIX}*.partial"):
        with suppress(OSError):
            if time.time() - partial.stat().st_mtime > GRACE_SECONDS:
                files.remove(partial)
    return sorted(found)


def _read(path: Path) -> Note | None:
    try:
        return Note.from_json(path.read_text("utf-8"))
    except OSError:
        return None


def _ended(note: Note | None, json_path: Path) -> bool:
    """A note whose lock is free: has its run ended (rather than just begun)?"""
    if note is not None and note.host == socket.gethostname() and not _pid_alive(note.pid):
        return True
    try:
        age = time.time() - json_path.stat().st_mtime
    except OSError:
        return False
    return age > GRACE_SECONDS


def survey(db_path: os.PathLike[str] | str) -> tuple[list[Note], list[Note]]:
    """``(live, interrupted)``: the notes of runs that hold their lock now (other than
    this process's own), and of runs that ended leaving a journal. Ended runs with
    nothing in their journal are removed on the way."""
    path = _key(db_path)
    own = {r.note.token for r in _registry.values()}
    live: list[Note] = []
    interrupted: list[Note] = []
    for json_path, lock_path in _notes(runs_dir_for(path)):
        note = _read(json_path)
        if note is not None and note.token in own:
            continue
        try:
            fd = os.open(lock_path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        except FileNotFoundError:
            fd = None
        except OSError:
            continue
        try:
            if fd is not None and not oslock.try_lock(fd, exclusive=True):
                if note is not None:
                    live.append(note)
                continue
            if not _ended(note, json_path):
                continue
            if note is not None and note.has_journal:
                interrupted.append(note)
                continue
        finally:
            if fd is not None:
                os.close(fd)  # closing frees the probe's lock
        files.remove(json_path, lock_path)
    return live, interrupted


def live_runs(db_path: os.PathLike[str] | str) -> list[Note]:
    return survey(db_path)[0]


def interrupted_runs(db_path: os.PathLike[str] | str) -> list[Note]:
    return survey(db_path)[1]


def settle(db_path: os.PathLike[str] | str, note: Note) -> None:
    """Rewrite an ended run's journal (what is left of it), or remove its note when
    nothing is left. Only for notes ``survey`` returned as interrupted."""
    folder = runs_dir_for(_key(db_path))
    json_path = folder / f"{_NOTE_PREFIX}{note.token}.json"
    if not note.has_journal:
        files.remove(json_path, json_path.with_suffix(".lock"))
        return
    with files.atomic_writer(json_path, "w") as out:
        out.write(json.dumps(asdict(note), ensure_ascii=False))
