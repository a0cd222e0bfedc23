"""One app per database: a second instance is told who has it; a dead holder frees it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from internhost.core.storage import db, instance

REPO = Path(__file__).resolve().parents[2]

HOLDER = r"""
import sys, time
from internhost.core.storage import instance
lock = instance.acquire(sys.argv[1])
print("locked", flush=True)
time.sleep(120)
"""

TRY = r"""
import json, sys
from internhost.core.storage import instance
try:
    lock = instance.acquire(sys.argv[1])
except instance.AlreadyOpen as exc:
    print(json.dumps({"refused": str(exc)}))
else:
    print(json.dumps({"acquired": True}))
    lock.release()
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _try_elsewhere(path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", TRY, str(path)],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def test_a_second_process_is_refused_while_the_lock_is_held(tmp_path: Path) -> None:
    path = tmp_path / "internhost.db"
    with instance.acquire(path) as lock:
        assert lock.held
        assert lock.path == tmp_path / "internhost.db.runs" / "app.lock"
        answer = _try_elsewhere(path)
        message = str(answer["refused"])
        assert message.startswith(f"InternHost already has {path} open (pid {os.getpid()}, since ")
        assert message.endswith("close it there first")
    assert not lock.held
    assert _try_elsewhere(path) == {"acquired": True}
    assert lock.path.exists()  # kept on purpose: see the module's docstring


def test_a_second_acquire_in_the_same_process_is_refused_too(tmp_path: Path) -> None:
    path = tmp_path / "internhost.db"
    first = instance.acquire(path)
    try:
        with pytest.raises(instance.AlreadyOpen, match=f"pid {os.getpid()}"):
            instance.acquire(path)
        # another spelling of the same file
        with pytest.raises(instance.AlreadyOpen):
            instance.acquire(tmp_path / "sub" / ".." / "internhost.db")
        # another database is another lock
        instance.acquire(tmp_path / "other.db").release()
    finally:
        first.release()
        first.release()  # idempotent
    instance.acquire(path).release()


def test_the_lock_is_a_database_error_for_the_cli_and_the_gui(tmp_path: Path) -> None:
    assert issubclass(instance.AlreadyOpen, db.DatabaseError)


def test_the_lock_is_released_when_its_holder_is_killed(tmp_path: Path) -> None:
    path = tmp_path / "internhost.db"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], env=_env(), stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(instance.AlreadyOpen, match=f"pid {holder.pid}, since"):
            instance.acquire(path)
        assert "refused" in _try_elsewhere(path)
    finally:
        holder.kill()
        holder.wait(30)
    lock = instance.acquire(path)
    assert lock.held
    lock.release()


def test_a_holder_on_another_computer_is_named(tmp_path: Path) -> None:
    note = {"pid": 4242, "host": "office-pc-2", "since": "2025-10-15T08:30:00-04:00"}
    message = instance._already_open_message(tmp_path / "x.db", note)
    assert "(pid 4242 on office-pc-2, since 2025-10-15 08:30)" in message
    here = dict(note, host=socket.gethostname())
    assert "(pid 4242, since 2025-10-15 08:30)" in instance._already_open_message(
        tmp_path / "x.db", here
    )
    assert "another window or on another computer" in instance._already_open_message(
        tmp_path / "x.db", None
    )


def test_a_lock_file_that_cannot_be_opened_is_a_database_error(tmp_path: Path) -> None:
    (tmp_path / "internhost.db.runs").write_text("")  # as unusable as a read-only folder
    with pytest.raises(db.DatabaseError, match="cannot create the lock file"):
        instance.acquire(tmp_path / "internhost.db")
