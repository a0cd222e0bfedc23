"""Killed operations: what they leave is finished or removed by the next start or
command of a user permitted to do what was interrupted, only as the journal says,
and that user is told; encrypt and rekey resume (issue 11, items 4 and 6)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from testkeys import TEST_KEY, subprocess_env, unencrypted_copy

from internhost import cli
from internhost.core.actor import SYSTEM
from internhost.core.storage import backups, db, keys, runs, secrets
from internhost.core.storage.db import DatabaseKey

#: Runs ``internhost`` with one function made to kill the process at its Nth call:
#: ``python -c DIE module attribute N argv...``.
DIE = """
import importlib, os, sys
module, name, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
target = importlib.import_module(module)
real = getattr(target, name)
calls = [0]
def dying(*args, **kwargs):
    calls[0] += 1
    if calls[0] == n:
        os._exit(137)  # as SIGKILL: no cleanup of any kind
    return real(*args, **kwargs)
setattr(target, name, dying)
from internhost import cli
sys.exit(cli.main(sys.argv[4:]))
"""


def killed(target: str, n: int, *argv: str, env: dict[str, str] | None = None) -> None:
    module, _, name = target.rpartition(".")
    done = subprocess.run(
        [sys.executable, "-c", DIE, module, name, str(n), *argv],
        env=subprocess_env(env),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 137, done.stderr


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def work_files(folder: Path) -> list[str]:
    return sorted(
        p.name
        for p in folder.rglob("*")
        if p.name.startswith(".") and p.parent.name != f"{p.name}.runs"
    )


@pytest.fixture(autouse=True)
def no_env_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)


@pytest.fixture
def plain(demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A database from before encryption, with two unencrypted backups."""
    old = unencrypted_copy(demo_path, tmp_path / "plain" / "old.db")
    for n in range(2):
        folder = backups.backup_dir_for(old)
        unencrypted_copy(demo_path, folder / f"old.manual.2025101{n}T083000-0500.db")
    monkeypatch.setenv("INTERNHOST_PASSPHRASE", "the chosen passphrase")
    return old


def _states(db_path: Path, key: DatabaseKey) -> list[str]:
    return [backups.key_problem(b.path, key) or "ok" for b in backups.list_backups(db_path)]


def test_encrypt_killed_before_its_commit_is_undone_and_a_rerun_encrypts(
    capsys: pytest.CaptureFixture[str], plain: Path
) -> None:
    killed("internhost.core.storage.encryption.export_to", 2, "--db", str(plain), "encrypt")
    assert keys.file_state(plain) == "plain"  # nothing the app uses had changed
    left = work_files(plain.parent)
    assert left == [".old.db.encrypting"]  # killed as the first backup's copy began
    [copy] = plain.parent.glob("old.unencrypted-*.db")

    code, _, err = run(capsys, "--db", str(plain), "encrypt")
    assert code == 0, err
    assert "Removed what `internhost encrypt`" in err and "was interrupted" in err
    assert copy.name in err  # that run's unencrypted copy went with it (shredded)
    # One copy is left: this run's (it may even have the same name, in the same second).
    assert len(list(plain.parent.glob("old.unencrypted-*.db"))) == 1
    assert work_files(plain.parent) == []
    key = keys.candidates("the chosen passphrase")[-1]
    assert keys.file_state(plain) == "encrypted" and _states(plain, key) == ["ok", "ok"]


def test_encrypt_killed_during_its_commit_is_finished_by_a_rerun(
    capsys: pytest.CaptureFixture[str], plain: Path
) -> None:
    killed("internhost.core.storage.encryption._rename", 3, "--db", str(plain), "encrypt")
    assert keys.file_state(plain) == "encrypted"  # the database was renamed first
    key = keys.candidates("the chosen passphrase")[-1]
    assert sorted(_states(plain, key)) == ["ok", backups.UNENCRYPTED]

    code, out, err = run(capsys, "--db", str(plain), "backups")
    assert code == 1 and "! unencrypted" in out  # flagged until it is done
    code, out, err = run(capsys, "--db", str(plain), "encrypt")
    assert code == 0, err
    assert "Finished the interrupted encrypt" in err and "is settled" in out
    assert _states(plain, key) == ["ok", "ok"] and work_files(plain.parent) == []
    assert run(capsys, "--db", str(plain), "backups")[0] == 0


@pytest.fixture
def with_backups(demo_path: Path) -> Path:
    for _ in range(2):
        backups.make_backup(demo_path, actor=SYSTEM, key=TEST_KEY)
    return demo_path


def test_rekey_killed_after_the_database_got_its_key_is_finished_by_the_next_command(
    capsys: pytest.CaptureFixture[str], with_backups: Path, tmp_path: Path
) -> None:
    sheet = tmp_path / "sheet.pdf"
    killed(
        "internhost.core.storage.encryption._rename",
        3,
        *("--db", str(with_backups), "rekey", "--recovery-sheet", str(sheet)),
    )
    new = secrets.read_database_key(with_backups, pending=True)
    assert new is not None and new != TEST_KEY
    assert secrets.read_database_key(with_backups) == TEST_KEY  # the old key stays
    assert keys.opens(with_backups, new)
    assert sorted(_states(with_backups, new)) == sorted(["ok", backups.OTHER_KEY])

    # Any command an HR admin runs opens the database (the pending key) and finishes.
    code, _, err = run(capsys, "--db", str(with_backups), "export", "staff")
    assert code == 0, err
    assert "Finished the interrupted rekey" in err
    assert secrets.read_database_key(with_backups) == new
    assert secrets.read_database_key(with_backups, pending=True) is None
    assert _states(with_backups, new) == ["ok", "ok"]
    assert runs.interrupted_runs(with_backups) == []


def test_rekey_killed_before_its_commit_is_undone(
    capsys: pytest.CaptureFixture[str], with_backups: Path, tmp_path: Path
) -> None:
    killed(
        "internhost.core.storage.encryption.export_to",
        2,
        *("--db", str(with_backups), "rekey", "--recovery-sheet", str(tmp_path / "s.pdf")),
    )
    assert keys.opens(with_backups, TEST_KEY) and work_files(with_backups.parent)
    # The next command removes the work files; the database kept its key throughout.
    code, _, err = run(capsys, "--db", str(with_backups), "export", "staff")
    assert code == 0, err
    assert "Removed what `internhost rekey`" in err and ".demo.db.rekeying" in err
    assert work_files(with_backups.parent) == []
    assert keys.opens(with_backups, TEST_KEY) and _states(with_backups, TEST_KEY) == ["ok", "ok"]
    assert secrets.read_database_key(with_backups, pending=True) is None


def test_what_a_user_may_not_do_waits_for_one_who_may(
    capsys: pytest.CaptureFixture[str],
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out_file = tmp_path / "staff.csv"
    killed("internhost.core.storage.db.integrity_problems", 1, "--db", str(demo_path), "backup")
    monkeypatch.setenv("INTERNHOST_USER", "viewer")  # whose login cleans no backup
    killed("internhost.core.fileio.exporting.csv_cell", 20,
           "--db", str(demo_path), "export", "staff", "--out", str(out_file))  # fmt: skip
    assert len(work_files(tmp_path)) == 2 and not out_file.exists()

    code, _, err = run(capsys, "--db", str(demo_path), "export", "schools")
    assert code == 0 and "(export, 1 file(s))" in err and "backup" not in err
    assert [n for n in work_files(tmp_path) if "staff.csv" in n] == []  # a viewer exports
    assert work_files(backups.backup_dir_for(demo_path))  # but may not back up

    monkeypatch.setenv("INTERNHOST_USER", "hr")
    code, _, err = run(capsys, "--db", str(demo_path), "export", "schools")
    assert code == 0 and "(backup, " in err
    assert work_files(tmp_path) == [] and runs.interrupted_runs(demo_path) == []


def test_a_journal_naming_a_file_that_is_no_work_file_is_not_trusted(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    run_ = runs.start(demo_path, "command", "internhost export")
    run_.add_work("export", [precious])
    run_.note.pid = 2**22 + 17  # a process that is gone
    run_.save()
    runs._registry.clear()  # as if this process were another: the note is not ours
    import os

    os.close(run_._fd)  # type: ignore[arg-type]  # the lock goes with it
    code, _, _ = run(capsys, "--db", str(demo_path), "export", "schools")
    assert code == 0
    assert precious.read_text() == "keep me"
