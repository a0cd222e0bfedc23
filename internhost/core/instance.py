"""One app instance per database: an exclusive OS lock on ``<db>.lock``, held for the
app's lifetime.

Why an OS lock and not a pid file (QLockFile-style "pid + hostname, stale if that pid
is gone"): the operating system releases the lock itself when the holder exits or is
killed, so there is nothing stale to detect and no guessing. A pid file needs
heuristics that fail exactly where this app lives: a pid is reused after a reboot, a
pid written by another PC on a shared folder cannot be checked from this one, and a
lock file of a crashed run must be told apart from a live one by age. The lock is
taken at run time with ``msvcrt.locking`` on Windows (a mandatory byte-range lock,
which SMB shares enforce between PCs) and ``fcntl.flock`` elsewhere (BSD locks, per
open file, so even a second acquire inside one process is refused; Linux maps them to
NFS byte-range locks, so they hold between NFS clients unless the share is mounted
``nolock``). The holder's pid, host and start time are written into the file only to
word the message the second instance shows.

The lock file is never deleted: deleting it on release would let a waiting process
lock the old, unlinked file while a third locks a new one, and both would think they
hold it. Only the GUI takes the lock (and ``internhost restore``, which replaces the
file); the command line's short commands rely on SQLite's own locking and its busy
timeout (``db.BUSY_TIMEOUT_MS``).

A process forked (not spawned) from the holder shares its open file and so the lock:
start worker processes with the spawn or forkserver method.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import sys
from datetime import datetime
from pathlib import Path
from types import TracebackType

from internhost.core.db import DatabaseError

#: The holder's note is padded to this size, so it is always overwritten whole
#: (Windows cannot shrink a file below a byte another handle has locked).
_NOTE_SIZE = 512
#: Windows locks one byte here, beyond the note: a locked range cannot be read by
#: other processes there, and the second instance wants to read the note.
_WINDOWS_LOCK_OFFSET = 1 << 20


class AlreadyOpen(DatabaseError):
    """Another InternHost has this database open (exit 3)."""


def lock_path_for(db_path: os.PathLike[str] | str) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


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
        # The note is only a courtesy; closing releases the lock regardless.
        with contextlib.suppress(OSError):
            _write_note(fd, "")
        try:
            _unlock(fd)
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
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_file, flags, 0o600)
    except OSError as exc:
        raise DatabaseError(
            f"cannot create the lock file {lock_file}: {exc.strerror or exc}"
        ) from None
    try:
        locked = _try_lock(fd)
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
    return InstanceLock(path, fd)


def _already_open_message(path: Path, note: dict[str, object] | None) -> str:
    if not note:
        return (
            f"InternHost already has {path} open (in another window or on another "
            "computer); close it there first"
        )
    holder = f"pid {note.get('pid', '?')}"
    host = note.get("host")
    if host and host != socket.gethostname():
        holder += f" on {host}"
    since = note.get("since")
    if isinstance(since, str):
        with contextlib.suppress(ValueError):
            holder += f", since {datetime.fromisoformat(since).strftime('%Y-%m-%d %H:%M')}"
    return f"InternHost already has {path} open ({holder}); close it there first"


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


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:  # EACCES: another handle holds it
            return False
        except OSError as exc:
            if exc.errno in (13, 36):  # EACCES, EDEADLOCK: locked by another
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
