"""The ``internhost`` command: exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from testkeys import PASSPHRASE

from internhost import __version__, cli
from internhost.core.storage import db, migrate

REPO = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_line_error(err: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("internhost: ")
    assert "Traceback" not in err


#: Databases these tests create take their key from INTERNHOST_PASSPHRASE (a keyring
#: key would need --recovery-sheet; test_encryption.py covers that).
KEY = db.DatabaseKey(passphrase=PASSPHRASE)


@pytest.fixture(autouse=True)
def database_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERNHOST_PASSPHRASE", PASSPHRASE)


@pytest.fixture(autouse=True)
def no_env_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)


@pytest.fixture(autouse=True)
def admin_login(monkeypatch: pytest.MonkeyPatch) -> None:
    """``init`` creates the HR admin from these (a password under the policy)."""
    monkeypatch.setenv("INTERNHOST_USER", "admin")
    monkeypatch.setenv("INTERNHOST_PASSWORD", "correct horse battery")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["--version"])
    assert caught.value.code in (0, None)
    out, err = capsys.readouterr()
    assert out.strip() == f"internhost {__version__}"
    assert err == ""


def test_init_creates_a_database_at_head(capsys, tmp_path: Path) -> None:
    path = tmp_path / "sub" / "new.db"
    code, out, err = run(capsys, "--db", str(path), "init")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"Created {path}",
        "Created the HR admin admin: log in with --user admin",
    ]
    assert db.schema_revision(path, KEY) == migrate.HEAD

    code, out, err = run(capsys, "--db", str(path), "init")
    assert (code, err) == (0, "")
    assert db.schema_revision(path, KEY) == migrate.HEAD


def test_demo_twice_refuses_the_second_time(capsys, tmp_path: Path) -> None:
    path = tmp_path / "demo.db"
    code, out, err = run(capsys, "--db", str(path), "demo")
    assert (code, err) == (0, "")
    assert "24 interns" in out
    with closing(db.connect_raw(path, KEY)) as conn:
        before = conn.execute("SELECT count(*) FROM audit_events").fetchone()[0]

    code, out, err = run(capsys, "--db", str(path), "demo")
    assert code == cli.EXIT_USAGE
    assert out == ""
    assert_one_line_error(err)
    assert "already holds data" in err
    with closing(db.connect_raw(path, KEY)) as conn:
        assert conn.execute("SELECT count(*) FROM audit_events").fetchone()[0] == before
        assert conn.execute("SELECT count(*) FROM interns").fetchone()[0] == 24


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["--bogus", "init"],
        ["init", "--bogus"],
        ["demo", "--seed", "not-a-number"],
        ["--db"],
    ],
    ids=["unknown command", "unknown global option", "unknown option", "bad value", "no value"],
)
def test_usage_errors_exit_2_with_one_line(capsys, tmp_path: Path, argv: list[str]) -> None:
    code, out, err = run(capsys, *argv)
    assert code == cli.EXIT_USAGE
    assert out == ""
    assert_one_line_error(err)
    assert list(tmp_path.iterdir()) == []


def _not_a_database(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("shopping list: milk, eggs\n" * 40, encoding="utf-8")
    return path


def _foreign_sqlite(tmp_path: Path) -> Path:
    path = tmp_path / "recipes.db"
    with closing(db.connect_raw(path, create=True, wal=False)) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
        conn.commit()
    return path


@pytest.mark.parametrize(
    "make",
    [lambda p: p, _not_a_database, _foreign_sqlite],
    ids=["a directory", "not a database", "another app's database"],
)
@pytest.mark.parametrize("command", ["init", "demo"])
def test_an_unusable_database_exits_3(capsys, tmp_path: Path, make, command: str) -> None:
    target = make(tmp_path)
    before = target.read_bytes() if target.is_file() else None
    code, out, err = run(capsys, "--db", str(target), command)
    assert code == cli.EXIT_ENVIRONMENT
    assert out == ""
    assert_one_line_error(err)
    if before is not None:
        assert target.read_bytes() == before  # untouched
    assert not list(tmp_path.glob("*.pre-*"))


def test_the_environment_variable_names_the_database(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "from-env.db"
    monkeypatch.setenv(db.DB_ENV, str(path))
    code, out, err = run(capsys, "init")
    assert (code, err) == (0, "")
    assert str(path) in out
    assert db.schema_revision(path, KEY) == migrate.HEAD

    explicit = tmp_path / "explicit.db"
    code, out, err = run(capsys, "--db", str(explicit), "init")
    assert code == 0
    assert explicit.exists()  # --db wins over the variable


def _subprocess(*args: str, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != db.DB_ENV}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    if env_db is not None:
        env[db.DB_ENV] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "internhost", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_python_dash_m_internhost(tmp_path: Path) -> None:
    result = _subprocess("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"internhost {__version__}")

    path = tmp_path / "env.db"
    result = _subprocess("init", env_db=path)
    assert result.returncode == 0, result.stderr
    assert db.schema_revision(path, KEY) == migrate.HEAD

    result = _subprocess("--db", str(_not_a_database(tmp_path)), "init")
    assert result.returncode == cli.EXIT_ENVIRONMENT
    assert_one_line_error(result.stderr)

    result = _subprocess("frobnicate")
    assert result.returncode == cli.EXIT_USAGE
    assert_one_line_error(result.stderr)
