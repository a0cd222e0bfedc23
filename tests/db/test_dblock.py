"""The database lock: shared for everyone who uses the file, exclusive for whoever
replaces it; bounded waiting, and a refusal that names the holder from its run note."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lockholder import HolderRefused, holding
from testkeys import subprocess_env

from internhost.core.storage import dblock, runs
from internhost.core.storage.db import DatabaseError


@pytest.fixture(autouse=True)
def short_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dblock, "WAIT_SECONDS", 0.4)


def test_shared_holders_share_and_an_exclusive_one_waits_for_them(tmp_path: Path) -> None:
    path = tmp_path / "internhost.db"
    with holding(path, "shared", kind="command", what="internhost import-roster") as other:
        with dblock.hold(path, "shared", what="internhost export"):
            pass  # shared beside shared
        started = time.monotonic()
        with (
            pytest.raises(dblock.DatabaseBusy) as caught,
            dblock.hold(path, "exclusive", what="internhost restore"),
        ):
            pass
        assert time.monotonic() - started >= 0.4  # it waited before giving up
    message = str(caught.value)
    assert f"`internhost import-roster` (pid {other.pid}" in message
    assert "internhost restore needs it to itself" in message
    assert "\n" not in message
    with dblock.hold(path, "exclusive", what="internhost restore"):
        assert dblock.holding(path) == "exclusive"  # free once the other ended
    assert dblock.holding(path) is None


def test_an_exclusive_holder_keeps_everyone_out_and_is_named(tmp_path: Path) -> None:
    path = tmp_path / "internhost.db"
    with holding(path, "exclusive", kind="command", what="internhost rekey") as other:
        for mode in ("shared", "exclusive"):
            with (
                pytest.raises(DatabaseError, match=f"`internhost rekey` \\(pid {other.pid}"),
                dblock.hold(path, mode, what="internhost export"),
            ):
                pass


def test_the_app_and_a_worker_are_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "internhost.db"
    with (
        holding(path, "shared", kind="app") as app,
        holding(path, "shared", kind="worker", what="internhost.core.workers:probe"),
        pytest.raises(dblock.DatabaseBusy) as caught,
        dblock.hold(path, "exclusive", what="internhost encrypt"),
    ):
        pass
    message = str(caught.value)
    assert f"the InternHost app (pid {app.pid}" in message
    assert "an InternHost background task (internhost.core.workers:probe)" in message
    assert "close it there" in message


def test_a_shared_holder_converts_for_a_block_and_keeps_its_lock(tmp_path: Path) -> None:
    path = tmp_path / "internhost.db"
    handle = dblock.acquire(path, "shared", what="the app", kind="app")
    try:
        with dblock.hold(path, "exclusive", what="restoring a backup"):
            assert dblock.holding(path) == "exclusive"
            note = runs.current(path)
            assert note is not None and note.note.what == "restoring a backup"
        assert dblock.holding(path) == "shared"
        with holding(path, "shared", kind="command", what="internhost export"):
            # Another holder: the conversion waits, gives up, and the app still holds
            # its shared lock (an exclusive one elsewhere cannot be had meanwhile).
            with (
                pytest.raises(dblock.DatabaseBusy),
                dblock.hold(path, "exclusive", what="restoring a backup"),
            ):
                pass
            assert dblock.holding(path) == "shared"
        with (
            pytest.raises(HolderRefused, match="the InternHost app"),
            holding(path, "exclusive", kind="command", what="internhost restore"),
        ):
            pass
    finally:
        handle.release()
    assert dblock.holding(path) is None


HOLD_AND_DIE = """
import os, sys
from pathlib import Path
from internhost.core.storage import dblock, runs
path = Path(sys.argv[1])
with dblock.hold(path, "shared", what="internhost export"):
    run = runs.current(path)
    if sys.argv[2] == "work":
        run.add_work("export", [path.with_name(".out.csv.0a1b2c3d.partial")])
    print("held", flush=True)
    sys.stdin.read()
"""


def _killed_holder(path: Path, journal: bool) -> int:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLD_AND_DIE, str(path), "work" if journal else "none"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=subprocess_env(),
    )
    assert child.stdout is not None and child.stdout.readline().strip() == "held"
    os.kill(child.pid, signal.SIGKILL if hasattr(signal, "SIGKILL") else signal.SIGTERM)
    child.wait(timeout=30)
    return child.pid


def test_a_killed_holder_frees_the_lock_and_its_note_goes_unless_it_left_work(
    tmp_path: Path,
) -> None:
    path = tmp_path / "internhost.db"
    _killed_holder(path, journal=False)
    assert len(list(runs.runs_dir_for(path).glob("run-*.json"))) == 1  # left behind
    live, interrupted = runs.survey(path)
    assert (live, interrupted) == ([], [])
    assert list(runs.runs_dir_for(path).glob("run-*")) == []  # an empty journal: gone
    with dblock.hold(path, "exclusive", what="internhost restore"):
        pass  # the OS freed the killed holder's lock
    pid = _killed_holder(path, journal=True)
    live, interrupted = runs.survey(path)
    assert live == [] and [n.pid for n in interrupted] == [pid]
    assert interrupted[0].work[0]["op"] == "export"


def test_the_lock_file_is_owner_only_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "data" / "internhost.db"
    with dblock.hold(path, "shared", what="internhost demo"):
        pass
    lock = dblock.lock_path_for(path)
    assert lock.exists()  # never deleted: see core.instance's docstring
    if os.name == "posix":
        assert lock.stat().st_mode & 0o777 == 0o600
        assert runs.runs_dir_for(path).stat().st_mode & 0o777 == 0o700
        assert path.parent.stat().st_mode & 0o777 == 0o700  # made for the database


def test_the_app_at_its_login_is_named_from_its_instance_lock(tmp_path: Path) -> None:
    """Before its user logs in the app writes no run note; its one-instance lock names
    it all the same, and a command that is logging in is "another InternHost process"."""
    path = tmp_path / "internhost.db"
    with holding(path, "shared", kind="app", announced=False) as app:
        assert not list(runs.runs_dir_for(path).glob("run-*"))  # nothing but the locks
        with (
            pytest.raises(dblock.DatabaseBusy, match=f"the InternHost app \\(pid {app.pid}"),
            dblock.hold(path, "exclusive", what="internhost restore"),
        ):
            pass
    with (
        holding(path, "shared", kind="command", what="internhost export", announced=False),
        pytest.raises(dblock.DatabaseBusy, match="in use by another InternHost process"),
        dblock.hold(path, "exclusive", what="internhost restore"),
    ):
        pass
