"""Worker processes that open the encrypted database: the key goes through a pipe.

``start_worker`` runs ``python -m internhost.core.workers`` as a child process and
writes one JSON line to its stdin: the target (``"package.module:function"``), the
database path, the database key, the acting user and plain arguments. The key is
never on the command line (which other users of the computer can list) nor in the
child's environment: every secret variable (``secret_env.SECRET_VARIABLES``: the
password, the passphrases and the ``_FILE`` variables naming files of them) is
removed from it, since a worker needs none and a file may be a one-shot pipe. The user
name (``INTERNHOST_USER``) stays: it is no secret, and the worker acts as the actor
handed over with the key, not as whoever that variable names. The child reads the
line, opens the database with that key through ``db.make_engine`` and calls
``target(ctx)`` with a ``WorkerContext``. Its stdout carries one JSON message a line:
``{"progress": [done, total, step]}`` as often as the target reports
(``ctx.progress``), then ``{"result": …}`` with what it returned. Anything the target
prints goes to stderr, so it cannot be taken for a message. Its stdin stays open as
the way back: a ``cancel`` line (or the parent going away) sets ``ctx.cancelled()``,
which a long target checks between steps; it then raises ``Cancelled`` and the
worker exits with ``EXIT_CANCELLED``. Workers run at a lower priority than the app
(``os.nice`` on POSIX, ``SetPriorityClass`` on Windows), so the window stays quick
while one works.

A process (not a thread) because a long export must not hold the app's GIL; a fresh
interpreter (not ``fork``) because a forked child would share the app's instance lock
and open database handles (see ``core/storage/instance.py``). The worker acts as the user
who started it: the actor travels with the key.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from internhost.core.actor import Actor, Role
from internhost.core.progress import Cancelled, Progress
from internhost.core.storage import dblock
from internhost.core.storage.db import DatabaseError, DatabaseKey
from internhost.core.storage.secret_env import SECRET_VARIABLES

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker

#: Variables a worker never inherits: they hold, or name a file holding, a secret.
SECRET_ENV = SECRET_VARIABLES


#: How much a worker lowers its priority on POSIX (``os.nice``; 0 is the app's).
NICENESS = 10
#: Windows' BELOW_NORMAL_PRIORITY_CLASS, the same step down.
BELOW_NORMAL_PRIORITY_CLASS = 0x4000
#: The exit code of a worker that stopped because it was asked to.
EXIT_CANCELLED = 130
CANCEL = "cancel"

ProgressCallback = Callable[[int, int, str], None]


class WorkerFailed(Exception):
    """The worker exited with an error; the message is its last line of stderr."""


@dataclass
class WorkerContext:
    """What a worker's target gets: the database (opened on first use) and its inputs."""

    db_path: Path
    key: DatabaseKey
    actor: Actor
    args: dict[str, Any] = field(default_factory=dict)
    #: Where progress messages go (the child's real stdout); None: nowhere.
    channel: TextIO | None = None
    stop: threading.Event = field(default_factory=threading.Event, init=False)

    def progress(self, done: int, total: int, step: str = "") -> None:
        """Tell the parent how far the work is: ``done`` of ``total``, now at ``step``."""
        if self.channel is not None:
            self.channel.write(json.dumps({"progress": [done, total, step]}) + "\n")
            self.channel.flush()

    def cancelled(self) -> bool:
        """Has the parent asked the work to stop? A target checks between steps."""
        return self.stop.is_set()

    def stop_if_cancelled(self) -> None:
        if self.cancelled():
            raise Cancelled("cancelled")

    @property
    def steps(self) -> Progress:
        """The same reports and checks as a ``Progress`` for core operations."""
        return Progress(self.progress, self.cancelled)

    @cached_property
    def engine(self) -> Engine:
        from internhost.core.storage import db

        return db.make_engine(self.db_path, self.key, create=False)

    @cached_property
    def factory(self) -> sessionmaker[Session]:
        from internhost.core.storage import db

        return db.make_session_factory(self.engine)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


class Worker:
    """A started worker process: ``result()`` waits for it, reporting its progress;
    ``cancel()`` asks it to stop."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self._stderr: list[str] = []
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        # Both pipes are read on threads of their own: a target writing much to stderr
        # must not block on a full pipe, and ``result`` must be able to give up.
        self._readers = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read_stdout(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._messages.put(json.loads(line))
        self._messages.put(None)

    def _read_stderr(self) -> None:
        assert self.process.stderr is not None
        self._stderr.extend(self.process.stderr)

    def result(
        self, timeout: float | None = None, on_progress: ProgressCallback | None = None
    ) -> Any:
        """What the target returned; ``on_progress(done, total, step)`` for each report
        before. ``Cancelled`` when it stopped on request, ``WorkerFailed`` when it failed,
        ``TimeoutError`` when ``timeout`` seconds pass first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        outcome: dict[str, Any] = {}
        while True:
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                message = self._messages.get(timeout=wait)
            except queue.Empty:
                raise TimeoutError(f"the worker took longer than {timeout} s") from None
            if message is None:
                break
            if "progress" in message and on_progress is not None:
                on_progress(*message["progress"])
            elif "result" in message:
                outcome = message
        self._finish()
        if self.process.returncode == EXIT_CANCELLED:
            raise Cancelled("cancelled")
        if self.process.returncode != 0 or "result" not in outcome:
            lines = [ln.strip() for ln in self._stderr if ln.strip()]
            raise WorkerFailed(lines[-1] if lines else f"exit {self.process.returncode}")
        return outcome["result"]

    def cancel(self) -> None:
        """Ask the worker to stop at its next step (``result`` then raises ``Cancelled``)."""
        try:
            assert self.process.stdin is not None
            self.process.stdin.write(CANCEL + "\n")
            self.process.stdin.flush()
        except (BrokenPipeError, OSError, ValueError):
            pass  # it has ended already

    def kill(self) -> None:
        self.process.kill()
        self._finish()

    def _finish(self) -> None:
        self.process.wait()
        for reader in self._readers:
            reader.join()
        if self.process.stdin is not None:
            # OSError: the child closed its end; there was nothing left to flush.
            with contextlib.suppress(OSError):
                self.process.stdin.close()


def _key_json(key: DatabaseKey) -> dict[str, str]:
    if key.raw_hex is not None:
        return {"raw_hex": key.raw_hex}
    return {"passphrase": str(key.passphrase)}


def child_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """``base`` (default: this process's environment) without the secret variables."""
    env = dict(os.environ if base is None else base)
    for name in SECRET_ENV:
        env.pop(name, None)
    return env


def start_worker(
    target: str,
    db_path: os.PathLike[str] | str,
    key: DatabaseKey,
    actor: Actor,
    *,
    args: Mapping[str, Any] | None = None,
    cwd: os.PathLike[str] | str | None = None,
    env: Mapping[str, str] | None = None,
) -> Worker:
    """Start ``target`` (``"module:function"``) in a new process on the database at
    ``db_path``, handing it ``key`` through its stdin pipe. It acts as ``actor``, the
    user who started it: never as the system, whose role may do anything."""
    if actor.role is Role.SYSTEM or actor.user_id is None:
        raise ValueError("a worker acts as the logged-in user who started it, not the system")
    module, _, function = target.partition(":")
    if not module or not function:
        raise ValueError(f"a worker target is 'module:function', not {target!r}")
    process = subprocess.Popen(
        [sys.executable, "-m", "internhost.core.workers"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        cwd=cwd,
        env=child_environment(env),
    )
    handshake = {
        "target": target,
        "db": str(Path(db_path).resolve()),
        "key": _key_json(key),
        "actor": dataclasses.asdict(actor),
        "args": dict(args or {}),
    }
    assert process.stdin is not None
    try:
        process.stdin.write(json.dumps(handshake) + "\n")
        process.stdin.flush()  # stays open: the way to cancel
    except BrokenPipeError:  # the child died at once; result() reports its stderr
        pass
    return Worker(process)


def _actor(data: dict[str, Any]) -> Actor:
    return Actor(**{**data, "role": Role(data["role"])})


def run_child(stdin: Any = None, stdout: Any = None) -> int:
    """The child's side: read the handshake, open the database, run the target, and
    listen on stdin for a cancel while it runs."""
    source = stdin or sys.stdin
    real_stdout = stdout or sys.stdout
    line = source.readline()
    message = json.loads(line)
    key = DatabaseKey(**message["key"])
    module, _, function = message["target"].partition(":")
    target = getattr(importlib.import_module(module), function)
    ctx = WorkerContext(
        Path(message["db"]), key, _actor(message["actor"]), message["args"], real_stdout
    )
    threading.Thread(target=_listen, args=(source, ctx.stop), daemon=True).start()
    sys.stdout = sys.stderr  # the target's prints must not pass for a message
    try:
        # Held like every command's: no restore, rekey or encryption swaps the file
        # under the worker (``core.dblock``).
        with dblock.hold(ctx.db_path, "shared", what=message["target"], kind="worker"):
            result = target(ctx)
    except Cancelled:
        return EXIT_CANCELLED
    finally:
        sys.stdout = real_stdout
        ctx.close()
    real_stdout.write(json.dumps({"result": result}) + "\n")
    real_stdout.flush()
    return 0


def _listen(source: TextIO, cancel: threading.Event) -> None:
    """Set ``cancel`` on a cancel line, or when the parent closes the pipe (it is gone
    or gave up: nobody waits for the result)."""
    for line in source:
        if line.strip() == CANCEL:
            break
    cancel.set()


def lower_priority() -> None:
    """Run below the app: a worker's work must not make the window sluggish."""
    if sys.platform == "win32":
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        kernel32.SetPriorityClass(kernel32.GetCurrentProcess(), BELOW_NORMAL_PRIORITY_CLASS)
    else:
        os.nice(NICENESS)


def probe(ctx: WorkerContext) -> dict[str, Any]:
    """A worker target that checks the database opens: its schema revision and how
    many interns it holds (no records leave the worker)."""
    from sqlalchemy import func, select

    from internhost.core.models import Intern
    from internhost.core.storage import db

    with ctx.factory() as s:
        interns = s.scalar(select(func.count()).select_from(Intern))
    return {"revision": db.schema_revision(ctx.db_path, ctx.key), "interns": interns}


def main() -> int:
    from internhost.core.fileio import files
    from internhost.core.storage.db import driver_complaint

    files.private_process()
    lower_priority()
    try:
        return run_child()
    except DatabaseError as exc:
        print(f"worker: {exc}", file=sys.stderr)
        return 3
    except Exception as exc:  # a wrong key, a locked file: one line, not a traceback
        complaint = driver_complaint(exc)
        if complaint is None:
            raise
        print(f"worker: database error: {complaint}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
