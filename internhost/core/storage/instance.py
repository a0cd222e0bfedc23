"""One app instance per database: an exclusive OS lock on ``app.lock`` in the
database's runs folder (``<db>.runs/app.lock``), held for the app's lifetime.

Why an OS lock and not a pid file (QLockFile-style "pid + hostname, stale if that pid
is gone"): the operating system releases the lock itself when the holder exits or is
killed, so there is nothing stale to detect and no guessing. A pid file needs
heuristics that fail exactly where this app lives: a pid is reused after a reboot, a
pid written by another PC on a shared folder cannot be checked from this one, and a
lock file of a crashed run must be told apart from a live one by age. The lock is
``core.oslock``'s (``LockFileEx`` on Windows, which SMB shares enforce between PCs;
``fcntl.flock`` elsewhere, per open file, so even a second acquire inside one process
is refused). The holder's pid, host and start time are written into the file only to
word the message the second instance shows.

The lock file is never deleted: deleting it on release would let a waiting process
lock the old, unlinked file while a third locks a new one, and both would think they
hold it. This lock only keeps a second app off the database; what keeps commands and
workers from racing a restore, rekey or encryption is the database lock
(``core.dblock``), which the app holds shared as well.

A process forked (not spawned) from the holder shares its open file and so the lock:
start worker processes with the spawn or forkserver method.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
from datetime import datetime
from pathlib import Path
from types import TracebackType

from internhost.core.fileio import files
from internhost.core.storage import oslock
from internhost.core.storage.db import DatabaseError
from internhost.core.storage.runs import runs_dir_for

#: The holder's note is padded to this size, so it is always overwritten whole
#: (Windows cannot shrink a file below a byte another handle has locked).
_NOTE_SIZE = 512


class AlreadyOpen(DatabaseError):
    """Another InternHost has this database open (exit 3)."""


def lock_path_for(db_path: os.PathLike[str] | str) -> Path:
    """The app's lock file, in the database's runs folder (``core.runs``)."""
    return runs_dir_for(db_path) / "app.lock"


class InstanceLock:
    """The lock on one database, held until ``release`` (or the process ends)."""

    def __init__(self, db_path: Path, fd: int) -> None:
        self.db_path = db_path
        self.path = lock_path_for(db_path)
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Let go of the lock (idempotent). The file stays, emptied of the note."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        _held_here.discard(self.db_path)
        # The note is only a courtesy; closing releases the lock regardless.
        with contextlib.suppress(OSError):
            _write_note(fd, "")
        try:
            oslock.unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def __repr__(self) -> str:
        return f"InstanceLock({str(self.db_path)!r}, held={self.held})"


def acquire(db_path: os.PathLike[str] | str) -> InstanceLock:
    """Lock ``db_path`` for this process, or raise ``AlreadyOpen`` naming the holder.

    Raises ``DatabaseError`` when the lock file cannot be created or locked at all
    (a read-only folder, a share without locking).
    """
    path = Path(db_path).expanduser().resolve()
    lock_file = lock_path_for(path)
    try:
        files.private_dir(lock_file.parent)
        fd = oslock.open_lock_file(lock_file)
    except OSError as exc:
        raise DatabaseError(
            f"cannot create the lock file {lock_file}: {exc.strerror or exc}"
        ) from None
    try:
        locked = oslock.try_lock(fd, exclusive=True)
    except OSError as exc:
        os.close(fd)
        raise DatabaseError(f"cannot lock {lock_file}: {exc.strerror or exc}") from None
    if not locked:
        note = _read_note(fd)
        os.close(fd)
        raise AlreadyOpen(_already_open_message(path, note))
    note = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    with contextlib.suppress(OSError):  # a lock without a note still locks
        _write_note(fd, json.dumps(note))
    _held_here.add(path)
    return InstanceLock(path, fd)


#: The databases this process holds the app's lock of.
_held_here: set[Path] = set()


def holder(db_path: os.PathLike[str] | str) -> str | None:
    """ "pid 812 on FRONT-DESK, since 2026-12-06 08:02" when another app holds the
    database (its note, for naming it before its user has logged in and its run note
    exists); None when no other app does. Creates nothing."""
    path = Path(db_path).expanduser().resolve()
    if path in _held_here:  # this process is the app: no other one can be
        return None
    lock_file = lock_path_for(path)
    try:
        fd = os.open(lock_file, os.O_RDWR | getattr(os, "O_BINARY", 0))
    except OSError:
        return None
    try:
        if oslock.try_lock(fd, exclusive=True):
            return None  # nobody (closing the fd frees the probe's lock)
        return _holder_text(_read_note(fd) or {})
    except OSError:
        return None
    finally:
        os.close(fd)


def _already_open_message(path: Path, note: dict[str, object] | None) -> str:
    if not note:
        return (
            f"InternHost already has {path} open (in another window or on another "
            "computer); close it there first"
        )
    return f"InternHost already has {path} open ({_holder_text(note)}); close it there first"


def _holder_text(note: dict[str, object]) -> str:
    holder = f"pid {note.get('pid', '?')}"
    host = note.get("host")
    if host and host != socket.gethostname():
        holder += f" on {host}"
    since = note.get("since")
    if isinstance(since, str):
        with contextlib.suppress(ValueError):
            holder += f", since {datetime.fromisoformat(since).strftime('%Y-%m-%d %H:%M')}"
    return holder


def _write_note(fd: int, text: str) -> None:
    data = text.encode("utf-8")[:_NOTE_SIZE].ljust(_NOTE_SIZE, b" ")
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, data)


def _read_note(fd: int) -> dict[str, object] | None:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, _NOTE_SIZE).decode("utf-8", errors="replace").strip()
        note = json.loads(raw) if raw else None
    except (OSError, ValueError):
        return None
    return note if isinstance(note, dict) else None
