"""Logging in on the command line: ``--user`` or ``INTERNHOST_USER`` with the
password from ``INTERNHOST_PASSWORD`` or a prompt; ``init`` creates the HR admin;
refusals exit 4 with one line naming what the role may not do."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from clikit import Pipe, Terminal, one_line
from testkeys import PASSPHRASE, TEST_KEY

from internhost import cli
from internhost.commands import login
from internhost.core.storage import db

REPO = Path(__file__).resolve().parents[2]
ADMIN_PASSWORD = "correct horse battery"
ROSTER = "first_name,last_name,birth_date,school\r\nAna,Ruiz,2009-03-04,Auburn High School\r\n"


#: Databases these tests create take their key from INTERNHOST_PASSPHRASE (a keyring
#: key would need --recovery-sheet; test_encryption.py covers that).
KEY = db.DatabaseKey(passphrase=PASSPHRASE)


@pytest.fixture(autouse=True)
def database_passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERNHOST_PASSPHRASE", PASSPHRASE)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)
    monkeypatch.setattr(sys, "stdin", Pipe(""))


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def csv_records(text: str) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def as_user(monkeypatch: pytest.MonkeyPatch, user: str | None, password: str | None) -> None:
    for name, value in ((login.USER_ENV, user), (login.PASSWORD_ENV, password)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)


# -- init


def test_init_without_credentials_or_terminal_exits_2_and_creates_nothing(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, None, None)
    path = tmp_path / "new.db"
    code, out, err = run(capsys, "--db", str(path), "init")
    assert (code, out) == (cli.EXIT_USAGE, "")
    line = one_line(err)
    assert "create the HR admin" in line and "--user NAME" in line
    assert "INTERNHOST_PASSWORD" in line
    assert list(tmp_path.iterdir()) == []

    as_user(monkeypatch, "ada", "too short")
    code, _, err = run(capsys, "--db", str(path), "init")
    assert code == cli.EXIT_USAGE
    assert "at least 10 characters" in one_line(err)
    as_user(monkeypatch, "bad name", ADMIN_PASSWORD)
    assert run(capsys, "--db", str(path), "init")[0] == cli.EXIT_USAGE
    assert list(tmp_path.iterdir()) == []


def test_init_creates_the_admin_from_user_and_a_prompt(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, "someone-else", None)
    asked: list[str] = []
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    monkeypatch.setattr(login.getpass, "getpass", lambda prompt: asked.append(prompt) or "pw" * 6)
    path = tmp_path / "new.db"
    code, out, err = run(capsys, "--db", str(path), "--user", "Ada", "init")
    assert (code, err) == (0, "")
    assert asked == ["Password for Ada: ", "The same password again: "]
    assert "Created the HR admin ada: log in with --user ada" in out

    # With accounts there, init only upgrades: no credentials needed.
    as_user(monkeypatch, None, None)
    monkeypatch.setattr(sys, "stdin", Pipe(""))
    code, out, err = run(capsys, "--db", str(path), "init")
    assert (code, err, out.strip()) == (0, "", f"Upgraded {path}")

    as_user(monkeypatch, "ada", "pw" * 6)
    code, out, err = run(capsys, "--db", str(path), "export", "staff")
    assert (code, err) == (0, "")


def test_init_prompts_that_differ_create_nothing(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, "ada", None)
    answers = iter(["first password!", "second password"])
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    monkeypatch.setattr(login.getpass, "getpass", lambda _prompt: next(answers))
    code, _, err = run(capsys, "--db", str(tmp_path / "new.db"), "init")
    assert code == cli.EXIT_USAGE
    assert "passwords differ" in one_line(err)
    assert list(tmp_path.iterdir()) == []


def test_init_on_a_database_without_accounts_creates_the_admin(
    capsys, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    as_user(monkeypatch, None, None)
    code, _, err = run(capsys, "--db", str(db_path), "init")
    assert code == cli.EXIT_USAGE and "create the HR admin" in one_line(err)
    code, _, err = run(capsys, "--db", str(db_path), "export", "staff")
    assert code == cli.EXIT_USAGE  # no credentials, no terminal
    as_user(monkeypatch, "ada", ADMIN_PASSWORD)
    code, _, err = run(capsys, "--db", str(db_path), "export", "staff")
    assert code == cli.EXIT_DENIED
    assert "no accounts yet" in one_line(err) and "init" in err
    code, out, err = run(capsys, "--db", str(db_path), "init")
    assert (code, err) == (0, "") and "Created the HR admin ada" in out
    assert run(capsys, "--db", str(db_path), "export", "staff")[0] == 0


# -- demo


def test_demo_says_which_accounts_it_made(capsys, tmp_path: Path, monkeypatch) -> None:
    as_user(monkeypatch, None, None)  # demo needs no login
    path = tmp_path / "demo.db"
    code, out, err = run(capsys, "--db", str(path), "demo")
    assert (code, err) == (0, "")
    assert "hr (HR admin), mentor (Maria Kowalski" in out and "password demo" in out


def test_demo_never_goes_into_a_database_with_accounts(capsys, tmp_path: Path, monkeypatch):
    as_user(monkeypatch, "ada", ADMIN_PASSWORD)
    path = tmp_path / "real.db"
    assert run(capsys, "--db", str(path), "init")[0] == 0
    code, out, err = run(capsys, "--db", str(path), "demo")
    assert (code, out) == (cli.EXIT_USAGE, "")
    assert "already has accounts" in one_line(err)
    with closing(db.connect_raw(path, KEY)) as conn:
        assert conn.execute("SELECT username FROM user_accounts").fetchall() == [("ada",)]


# -- logging in


@pytest.mark.parametrize(
    ("user", "password"), [("hr", "wrong"), ("nobody", "demo"), ("HR", "Demo")]
)
def test_unknown_user_or_wrong_password_exit_4_alike(
    capsys, demo_path: Path, monkeypatch, user: str, password: str
) -> None:
    as_user(monkeypatch, user, password)
    code, out, err = run(capsys, "--db", str(demo_path), "export", "interns")
    assert (code, out) == (cli.EXIT_DENIED, "")
    assert one_line(err) == (
        "internhost: unknown user or wrong password: check the user name and the password"
    )


@pytest.mark.parametrize(
    ("user", "password", "missing"),
    [(None, "demo", "a user name"), ("hr", None, "a password"), (None, None, "a user name")],
)
def test_no_credentials_and_no_terminal_exit_2(
    capsys, demo_path: Path, monkeypatch, user, password, missing
) -> None:
    as_user(monkeypatch, user, password)
    for argv in (
        ["export", "interns"],
        ["backup"],
        ["import-roster", "-"],
        ["restore", str(demo_path), "--yes"],
    ):
        code, out, err = run(capsys, "--db", str(demo_path), *argv)
        assert (code, out) == (cli.EXIT_USAGE, ""), argv
        line = one_line(err)
        assert f"log in: {missing} is needed" in line
        assert "--user NAME" in line and "INTERNHOST_PASSWORD" in line


def test_the_password_prompt_on_a_terminal(capsys, demo_path: Path, monkeypatch) -> None:
    as_user(monkeypatch, None, None)
    monkeypatch.setattr(sys, "stdin", Terminal("viewer\n"))
    monkeypatch.setattr(login.getpass, "getpass", lambda prompt: "demo")
    code, out, err = run(capsys, "--db", str(demo_path), "export", "worksites")
    assert (code, err) == (0, "")
    assert out.startswith("User: ")


def test_the_user_option_wins_over_the_variable(capsys, demo_path: Path, monkeypatch) -> None:
    as_user(monkeypatch, "hr", "demo")
    code, _, err = run(capsys, "--db", str(demo_path), "--user", "viewer", "backup")
    assert code == cli.EXIT_DENIED
    assert one_line(err) == "internhost: a viewer may not back up, restore, rekey, encrypt or purge"


# -- what each role may do


def test_a_mentor_exports_only_their_own_interns_masked(capsys, demo_path, monkeypatch) -> None:
    as_user(monkeypatch, "hr", "demo")
    _, everything, _ = run(capsys, "--db", str(demo_path), "export", "interns")
    as_user(monkeypatch, "mentor", "demo")
    code, out, err = run(capsys, "--db", str(demo_path), "export", "interns")
    assert (code, err) == (0, "")
    _, rows = csv_records(out)
    _, all_rows = csv_records(everything)
    assert 0 < len(rows) < len(all_rows)
    assert {r["mentor_email"] for r in rows} <= {"maria.kowalski@prairieforge.example", ""}
    for column in ("birth_date", "address", "guardian_name", "guardian_phone", "emergency_phone"):
        assert all(r[column] == "" for r in rows), column
    code, out, _ = run(capsys, "--db", str(demo_path), "export", "interns", "--format", "json")
    records = json.loads(out)
    assert records and all("birth_date" not in r and "address" not in r for r in records)


@pytest.mark.parametrize(
    ("user", "argv", "says"),
    [
        ("mentor", ["import-roster", "{roster}"], "a mentor may not import rosters"),
        ("viewer", ["import-roster", "{roster}", "--dry-run"], "a viewer may not import rosters"),
        ("mentor", ["backup"], "a mentor may not back up, restore, rekey, encrypt or purge"),
        ("viewer", ["restore", "{saved}", "--yes"], "a viewer may not back up, restore"),
    ],
)
def test_refused_actions_exit_4_naming_what_the_role_may_not_do(
    capsys, demo_path: Path, tmp_path: Path, monkeypatch, user: str, argv: list[str], says: str
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    saved = tmp_path / "saved.db"
    as_user(monkeypatch, "hr", "demo")
    assert run(capsys, "--db", str(demo_path), "backup", str(saved))[0] == 0
    before = demo_path.read_bytes()
    as_user(monkeypatch, user, "demo")
    argv = [a.format(roster=roster, saved=saved) for a in argv]
    code, out, err = run(capsys, "--db", str(demo_path), *argv)
    assert (code, out) == (cli.EXIT_DENIED, "")
    assert one_line(err).startswith(f"internhost: {says}")
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        assert conn.execute("SELECT count(*) FROM interns").fetchone()[0] == 24
    del before


def test_restore_onto_a_damaged_database_logs_in_on_the_backup(
    capsys, demo_path: Path, tmp_path: Path, monkeypatch
) -> None:
    saved = tmp_path / "saved.db"
    assert run(capsys, "--db", str(demo_path), "backup", str(saved))[0] == 0
    backup_bytes = saved.read_bytes()
    demo_path.write_bytes(b"\x00damaged" * 4096)
    for suffix in ("-wal", "-shm"):
        Path(f"{demo_path}{suffix}").unlink(missing_ok=True)
    as_user(monkeypatch, "hr", "wrong")
    code, _, err = run(capsys, "--db", str(demo_path), "restore", str(saved), "--yes")
    assert code == cli.EXIT_DENIED and "wrong password" in one_line(err)
    as_user(monkeypatch, "hr", "demo")
    code, _, err = run(capsys, "--db", str(demo_path), "restore", str(saved), "--yes")
    assert (code, err) == (0, "")
    assert saved.read_bytes() == backup_bytes  # the login never wrote to the backup
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        assert conn.execute("SELECT count(*) FROM interns").fetchone()[0] == 24


def test_scripts_log_in_through_the_environment(demo_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != db.DB_ENV}
    env.update(INTERNHOST_USER="mentor", INTERNHOST_PASSWORD="demo")
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")

    def internhost(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "internhost", "--db", str(demo_path), *argv],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    done = internhost("export", "interns", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert all("birth_date" not in r for r in json.loads(done.stdout))
    refused = internhost("backup")
    assert refused.returncode == cli.EXIT_DENIED
    assert refused.stderr.strip() == (
        "internhost: a mentor may not back up, restore, rekey, encrypt or purge"
    )
    env.pop("INTERNHOST_PASSWORD")
    missing = internhost("export", "staff")
    assert missing.returncode == cli.EXIT_USAGE
    assert "INTERNHOST_PASSWORD" in missing.stderr and len(missing.stderr.splitlines()) == 1
