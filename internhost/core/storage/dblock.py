"""The database lock: shared by everyone who uses the file, exclusive for whoever
replaces it.

Every command, worker process and the open app holds a shared lock on
``<db>.lock`` for its whole run; restore, rekey and encrypt hold it exclusively
while they swap the file (SQLite's own locking cannot guard that: its online backup
API cannot copy across keys or from an unencrypted file, so these operations write a
new file and rename it over the database, under any connection still open). So no
command can write into a file that is being replaced, and nothing is replaced under
a writer. Waiting is bounded: a lock not granted within ``WAIT_SECONDS`` raises
``DatabaseBusy`` (exit 3) naming who holds the database, from their run notes
(``core.runs``): the app on which computer, or which command.

One process holds one lock per database, re-entrantly: ``hold`` inside a shared
hold of the same process converts it to exclusive for the block and back after (the
app restoring from its Backups screen). Conversion is not atomic on any system, so
it releases, waits for the exclusive lock, and takes the shared one back whatever
happened; another process may slip in between, which only makes the conversion wait.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from internhost.core.fileio import files
from internhost.core.storage import oslock, runs
from internhost.core.storage.db import DatabaseError

Mode = Literal["shared", "exclusive"]
#: How long a command waits for the database before it gives up (exit 3).
WAIT_SECONDS = 10.0
_POLL_SECONDS = 0.05
#: How long a process waits to take its shared lock back after converting: the
#: exclusive holder that slipped in is replacing the file and will let go.
_REGAIN_SECONDS = 600.0


class DatabaseBusy(DatabaseError):
    """Someone else holds the database in a conflicting mode (exit 3)."""


def lock_path_for(db_path: os.PathLike[str] | str) -> Path:
    path = Path(db_path)
    return path.with_name(path.name + ".lock")


@dataclass
class _Held:
    fd: int
    mode: Mode
    what: str
    kind: str
    #: The run note naming this holder (None until ``announce``: not before a login).
    run: runs.Run | None
    #: Whether this lock started the run note (and so ends it on release).
    owns_run: bool
    depth: int = 1


_held: dict[Path, _Held] = {}
_mutex = threading.RLock()


def _key(db_path: os.PathLike[str] | str) -> Path:
    return Path(os.path.abspath(db_path))


def _busy(path: Path, mode: Mode, what: str) -> DatabaseBusy:
    from internhost.core.storage import instance

    live = runs.live_runs(path)
    if mode == "shared":
        live = [n for n in live if n.mode == "exclusive"] or live
    named = [n.describe() for n in live]
    app = instance.holder(path)  # the app before its user logged in has no run note
    if app is not None and not any(n.kind == "app" for n in live):
        named.insert(0, f"the InternHost app ({app})")
    if named:
        holders = "; ".join(named[:3])
        if len(named) > 3:
            holders += f" and {len(named) - 3} more"
    else:
        holders = "another InternHost process"
    advice = (
        "close it there or wait until it is done, then try again"
        if app is not None or any(n.kind == "app" for n in live)
        else "try again when it is done"
    )
    return DatabaseBusy(
        f"{path} is in use by {holders}: {what} needs it "
        f"{'to itself' if mode == 'exclusive' else 'open'}; {advice}"
    )


def _wait(fd: int, exclusive: bool, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if oslock.try_lock(fd, exclusive=exclusive):
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(_POLL_SECONDS)


def _open(path: Path) -> int:
    lock_file = lock_path_for(path)
    try:
        files.private_dir(path.parent)
        return oslock.open_lock_file(lock_file)
    except OSError as exc:
        raise DatabaseError(
            f"cannot create the lock file {lock_file}: {exc.strerror or exc}"
        ) from None


@contextmanager
def hold(
    db_path: os.PathLike[str] | str,
    mode: Mode,
    *,
    what: str,
    kind: str = "command",
    timeout: float | None = None,
    announced: bool = True,
) -> Iterator[None]:
    """Hold the database in ``mode`` for the block (see the module's docstring).
    ``what`` names the holder in others' messages ("internhost restore");
    ``announced``: as ``acquire``'s."""
    path = _key(db_path)
    timeout = WAIT_SECONDS if timeout is None else timeout
    # A new lock in ``mode``, or one more reference to the one this process holds.
    handle = acquire(path, mode, what=what, kind=kind, timeout=timeout, announced=announced)
    try:
        held = _held[path]
        if mode == "exclusive" and held.mode == "shared":
            with _converted(path, held, what, timeout):
                yield
        else:
            yield
    finally:
        handle.release()


@contextmanager
def _converted(path: Path, held: _Held, what: str, timeout: float) -> Iterator[None]:
    run = announce(path)
    previous = run.note.what
    oslock.unlock(held.fd)
    if not _wait(held.fd, True, timeout):
        _regain(held)
        raise _busy(path, "exclusive", what)
    held.mode = "exclusive"
    run.update(mode="exclusive", what=what)
    try:
        yield
    finally:
        oslock.unlock(held.fd)
        held.mode = "shared"
        _regain(held)
        run.update(mode="shared", what=previous)


def _regain(held: _Held) -> None:
    if not _wait(held.fd, False, _REGAIN_SECONDS):
        raise DatabaseBusy("could not take the database back after an exclusive operation")


class Handle:
    """A lock held until ``release`` (the app keeps one for its lifetime)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def held(self) -> bool:
        return self.path in _held

    def release(self) -> None:
        with _mutex:
            held = _held.get(self.path)
            if held is None:
                return
            held.depth -= 1
            if held.depth > 0:
                return
            del _held[self.path]
        try:
            oslock.unlock(held.fd)
        finally:
            os.close(held.fd)
            if held.owns_run and held.run is not None:
                held.run.close()


def acquire(
    db_path: os.PathLike[str] | str,
    mode: Mode,
    *,
    what: str,
    kind: str = "command",
    timeout: float | None = None,
    announced: bool = True,
) -> Handle:
    """Take the database lock for this process (or, when it holds it already, one
    more reference to it) and write its run note; ``DatabaseBusy`` after ``timeout``
    (default ``WAIT_SECONDS``). ``announced=False`` writes no note until ``announce``:
    nothing but the lock file is written beside a database before someone has logged
    in (meanwhile others name this holder "another InternHost process")."""
    path = _key(db_path)
    timeout = WAIT_SECONDS if timeout is None else timeout
    with _mutex:
        held = _held.get(path)
        if held is not None:
            held.depth += 1
            return Handle(path)
    fd = _open(path)
    try:
        granted = _wait(fd, mode == "exclusive", timeout)
    except OSError as exc:
        os.close(fd)
        raise DatabaseError(f"cannot lock {lock_path_for(path)}: {exc.strerror or exc}") from None
    if not granted:
        os.close(fd)
        raise _busy(path, mode, what)
    with _mutex:
        _held[path] = _Held(fd, mode, what, kind, runs.current(path), owns_run=False)
    if announced:
        try:
            announce(path)
        except BaseException:
            Handle(path).release()
            raise
    return Handle(path)


def announce(db_path: os.PathLike[str] | str) -> runs.Run:
    """This process's run note on a database it holds, written now if it was not yet
    (``acquire(announced=False)``, after the login). Returns it."""
    path = _key(db_path)
    with _mutex:
        held = _held.get(path)
        if held is None:
            raise DatabaseError(f"{path} is not held by this process")
        if held.run is None:
            existing = runs.current(path)
            held.owns_run = existing is None
            held.run = existing or runs.start(path, held.kind, held.what, held.mode)
        return held.run


def holding(db_path: os.PathLike[str] | str) -> Mode | None:
    """The mode this process holds ``db_path`` in, else None."""
    held = _held.get(_key(db_path))
    return held.mode if held is not None else None
