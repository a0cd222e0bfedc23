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
line, closes its stdin, opens the database with that key through ``db.make_engine``
and calls ``target(ctx)`` with a ``WorkerContext``; what the target returns
(JSON-serialisable) comes back on the child's stdout as one line, read by
``Worker.result``. Anything the target prints goes to stderr, so it cannot be taken
for the result.

A process (not a thread) because a long export must not hold the app's GIL; a fresh
interpreter (not ``fork``) because a forked child would share the app's instance lock
and open database handles (see ``core/instance.py``). The worker acts as the user
who started it: the actor travels with the key.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from internhost.core import dblock
from internhost.core.actor import Actor, Role
from internhost.core.db import DatabaseError, DatabaseKey
from internhost.core.secret_env import SECRET_VARIABLES

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker

#: Variables a worker never inherits: they hold, or name a file holding, a secret.
SECRET_ENV = SECRET_VARIABLES


class WorkerFailed(Exception):
    """The worker exited with an error; the message is its last line of stderr."""


@dataclass
class WorkerContext:
    """What a worker's target gets: the database (opened on first use) and its inputs."""

    db_path: Path
    key: DatabaseKey
    actor: Actor
    args: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def engine(self) -> Engine:
        from internhost.core import db

        return db.make_engine(self.db_path, self.key, create=False)

    @cached_property
    def factory(self) -> sessionmaker[Session]:
        from internhost.core import db

        return db.make_session_factory(self.engine)

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()


class Worker:
    """A started worker process; ``result()`` waits for it."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process

    @property
    def pid(self) -> int:
        return self.process.pid

    def result(self, timeout: float | None = None) -> Any:
        """What the target returned; ``WorkerFailed`` when the worker failed."""
        out, err = self.process.communicate(timeout=timeout)
        if self.process.returncode != 0:
            lines = [ln for ln in err.splitlines() if ln.strip()]
            raise WorkerFailed(lines[-1] if lines else f"exit {self.process.returncode}")
        lines = out.splitlines()
        return json.loads(lines[-1]) if lines else None

    def kill(self) -> None:
        self.process.kill()
        self.process.communicate()


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
    if not isinstance(actor, Actor) or actor.role is Role.SYSTEM or actor.user_id is None:
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
        process.stdin.close()
    except BrokenPipeError:  # the child died at once; result() reports its stderr
        pass
    process.stdin = None  # handed over and closed: communicate() must not flush it
    return Worker(process)


def _actor(data: dict[str, Any]) -> Actor:
    return Actor(**{**data, "role": Role(data["role"])})


def run_child(stdin: Any = None, stdout: Any = None) -> int:
    """The child's side: read the handshake, open the database, run the target."""
    source = stdin or sys.stdin
    real_stdout = stdout or sys.stdout
    line = source.readline()
    source.close()
    message = json.loads(line)
    key = DatabaseKey(**message["key"])
    module, _, function = message["target"].partition(":")
    target = getattr(importlib.import_module(module), function)
    ctx = WorkerContext(Path(message["db"]), key, _actor(message["actor"]), message["args"])
    sys.stdout = sys.stderr  # the target's prints must not pass for its result
    try:
        # Held like every command's: no restore, rekey or encryption swaps the file
        # under the worker (``core.dblock``).
        with dblock.hold(ctx.db_path, "shared", what=message["target"], kind="worker"):
            result = target(ctx)
    finally:
        sys.stdout = real_stdout
        ctx.close()
    real_stdout.write(json.dumps(result) + "\n")
    real_stdout.flush()
    return 0


def probe(ctx: WorkerContext) -> dict[str, Any]:
    """A worker target that checks the database opens: its schema revision and how
    many interns it holds (no records leave the worker)."""
    from sqlalchemy import func, select

    from internhost.core import db
    from internhost.core.models import Intern

    with ctx.factory() as s:
        interns = s.scalar(select(func.count()).select_from(Intern))
    return {"revision": db.schema_revision(ctx.db_path, ctx.key), "interns": interns}


def main() -> int:
    from internhost.core import files
    from internhost.core.db import driver_complaint

    files.private_process()
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
