"""``internhost backup``, ``restore`` and ``backups`` on the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from clikit import Pipe, Terminal, one_line
from lockholder import holding
from testkeys import TEST_KEY

from internhost import cli
from internhost.core.storage import backups, db, dblock

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_env_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _interns(path: Path) -> int:
    with closing(db.connect_raw(path, TEST_KEY, wal=False)) as conn:
        return conn.execute("SELECT count(*) FROM interns").fetchone()[0]


def _remove_interns(path: Path) -> None:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("DELETE FROM interns")


def test_backup_to_the_backups_folder_then_list(capsys, demo_path: Path) -> None:
    code, out, err = run(capsys, "--db", str(demo_path), "backups")
    assert (code, err) == (0, "")
    assert out.startswith(f"No backups of {demo_path} yet")

    code, out, err = run(capsys, "--db", str(demo_path), "backup")
    assert (code, err) == (0, "")
    [made] = backups.list_backups(demo_path)
    assert out.strip().startswith(f"Backed up {demo_path} to {made.path} (")
    assert "integrity checked" in out

    code, out, err = run(capsys, "--db", str(demo_path), "backups")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == f"Backups of {demo_path}, newest first:"
    assert len(lines) == 2 and "manual" in lines[1] and lines[1].endswith(str(made.path))


def test_backup_to_a_path(capsys, demo_path: Path, tmp_path: Path) -> None:
    out_file = tmp_path / "stick" / "hr.db"
    code, out, err = run(capsys, "--db", str(demo_path), "backup", str(out_file))
    assert (code, err) == (0, "")
    assert _interns(out_file) == _interns(demo_path) == 24

    code, out, err = run(capsys, "--db", str(demo_path), "backup", str(out_file))
    assert code == cli.EXIT_USAGE and out == ""
    assert "already exists" in one_line(err)
    code, out, err = run(capsys, "--db", str(demo_path), "backup", str(out_file), "--overwrite")
    assert code == 0

    code, out, err = run(capsys, "--db", str(demo_path), "backup", str(demo_path), "--overwrite")
    assert code == cli.EXIT_USAGE
    assert "the database itself" in one_line(err)


def test_backup_of_a_missing_database_exits_3_and_creates_nothing(capsys, tmp_path) -> None:
    missing = tmp_path / "missing.db"
    code, out, err = run(capsys, "--db", str(missing), "backup")
    assert code == cli.EXIT_ENVIRONMENT and out == ""
    assert "no database" in one_line(err)
    assert list(tmp_path.iterdir()) == []


def test_restore_with_yes(capsys, demo_path: Path, tmp_path: Path) -> None:
    saved = tmp_path / "saved.db"
    assert run(capsys, "--db", str(demo_path), "backup", str(saved))[0] == 0
    _remove_interns(demo_path)

    code, out, err = run(capsys, "--db", str(demo_path), "restore", str(saved), "--yes")
    assert (code, err) == (0, "")
    assert out.startswith(f"Restored {demo_path} from {saved}.")
    assert _interns(demo_path) == 24
    [safety] = backups.list_backups(demo_path)
    assert safety.kind == "pre-restore" and str(safety.path) in out
    assert _interns(safety.path) == 0
    assert dblock.holding(demo_path) is None  # released


def test_restore_without_yes_and_no_terminal_exits_2(
    capsys, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = tmp_path / "saved.db"
    run(capsys, "--db", str(demo_path), "backup", str(saved))
    _remove_interns(demo_path)
    monkeypatch.setattr(sys, "stdin", Pipe("y\n"))
    code, out, err = run(capsys, "--db", str(demo_path), "restore", str(saved))
    assert code == cli.EXIT_USAGE and out == ""
    assert "pass --yes" in one_line(err)
    assert _interns(demo_path) == 0
    assert backups.list_backups(demo_path) == []


@pytest.mark.parametrize(("answer", "code", "interns"), [("y\n", 0, 24), ("n\n", 1, 0), ("", 1, 0)])
def test_restore_asks_on_a_terminal(
    capsys,
    demo_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
    interns: int,
) -> None:
    saved = tmp_path / "saved.db"
    run(capsys, "--db", str(demo_path), "backup", str(saved))
    _remove_interns(demo_path)
    monkeypatch.setattr(sys, "stdin", Terminal(answer))
    got, out, err = run(capsys, "--db", str(demo_path), "restore", str(saved))
    assert (got, err) == (code, "")
    assert f"Replace {demo_path} with the backup {saved}" in out
    assert _interns(demo_path) == interns
    if code:
        assert "Nothing was restored." in out
        assert backups.list_backups(demo_path) == []


def test_restore_of_a_bad_file_exits_2_and_touches_nothing(
    capsys, demo_path: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"\x00garbage" * 1000)
    before = demo_path.read_bytes()
    code, out, err = run(capsys, "--db", str(demo_path), "restore", str(bad), "--yes")
    assert code == cli.EXIT_USAGE and out == ""
    assert "not a sound database backup" in one_line(err)
    assert demo_path.read_bytes() == before


def test_restore_while_the_app_has_the_database_open_exits_3(
    capsys, demo_path: Path, tmp_path: Path, monkeypatch
) -> None:
    saved = tmp_path / "saved.db"
    run(capsys, "--db", str(demo_path), "backup", str(saved))
    monkeypatch.setattr(dblock, "WAIT_SECONDS", 0.5)
    before = demo_path.stat().st_ino
    with holding(demo_path, "shared", kind="app") as app:
        code, out, err = run(capsys, "--db", str(demo_path), "restore", str(saved), "--yes")
    assert code == cli.EXIT_ENVIRONMENT and out == ""
    assert f"is in use by the InternHost app (pid {app.pid}" in one_line(err)
    assert "internhost restore needs it to itself" in err
    assert demo_path.stat().st_ino == before


def test_restore_as_a_separate_process_without_a_terminal(demo_path: Path, tmp_path: Path) -> None:
    saved = tmp_path / "saved.db"
    env = {k: v for k, v in os.environ.items() if k != db.DB_ENV}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")

    def internhost(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "internhost", "--db", str(demo_path), *args],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert internhost("backup", str(saved)).returncode == 0
    _remove_interns(demo_path)
    refused = internhost("restore", str(saved))
    assert refused.returncode == cli.EXIT_USAGE
    assert "pass --yes" in one_line(refused.stderr)
    assert _interns(demo_path) == 0
    done = internhost("restore", str(saved), "--yes")
    assert done.returncode == 0, done.stderr
    assert _interns(demo_path) == 24
