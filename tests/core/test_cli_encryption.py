"""The database key on the command line: where it comes from, exit codes, and
``init --recovery-sheet``, ``encrypt`` and ``rekey``."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from clikit import Terminal, one_line
from keyring.backends import fail
from pypdf import PdfReader
from testkeys import OTHER_KEY, PASSPHRASE, TEST_KEY, remember, stored_key, unencrypted_copy

from internhost import cli
from internhost.commands import encryption as encryption_command
from internhost.core.actor import SYSTEM
from internhost.core.storage import backups, db, keys, migrate, secrets
from internhost.core.storage.db import DatabaseKey

REPO = Path(__file__).resolve().parents[2]
ADMIN, ADMIN_PASSWORD = "admin", "correct horse battery"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # no terminal unless a test says


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def sheet_key(sheet: Path) -> DatabaseKey:
    """The key a recovery sheet shows, read back as someone would type it."""
    text = PdfReader(sheet).pages[0].extract_text()
    lines = re.findall(r"\b[0-9A-F]{4}(?: [0-9A-F]{4}){3}\b", text)
    return keys.candidates(" ".join(lines))[0]


def as_admin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERNHOST_USER", ADMIN)
    monkeypatch.setenv("INTERNHOST_PASSWORD", ADMIN_PASSWORD)


def answers(monkeypatch: pytest.MonkeyPatch, *replies: str) -> list[str]:
    """A terminal whose (hidden) prompts get ``replies``; returns the questions."""
    asked: list[str] = []
    feed = iter(replies)
    monkeypatch.setattr(sys, "stdin", Terminal(""))
    monkeypatch.setattr(
        encryption_command.getpass, "getpass", lambda q: asked.append(q) or next(feed)
    )
    return asked


# -- creating ----------------------------------------------------------------------------


def test_init_with_a_keyring_key_needs_a_recovery_sheet(capsys, tmp_path, monkeypatch) -> None:
    as_admin(monkeypatch)
    path = tmp_path / "new.db"
    code, out, err = run(capsys, "--db", str(path), "init")
    assert (code, out) == (cli.EXIT_USAGE, "")
    assert "--recovery-sheet PATH is required" in one_line(err)
    assert not path.exists() and stored_key(path) is None

    sheet = tmp_path / "sheet.pdf"
    code, out, err = run(capsys, "--db", str(path), "init", "--recovery-sheet", str(sheet))
    assert (code, err) == (0, "")
    assert out.splitlines()[0].startswith(f"Wrote the recovery sheet to {sheet}")
    assert f"Created {path}" in out
    key = stored_key(path)
    assert key is not None and key.is_raw
    assert db.schema_revision(path, key) == migrate.HEAD
    assert sheet_key(sheet) == key


def test_init_on_an_existing_database_can_write_its_sheet(
    capsys, db_path, tmp_path, monkeypatch
) -> None:
    as_admin(monkeypatch)  # the empty database gets its HR admin too
    sheet = tmp_path / "again.pdf"
    code, _, err = run(capsys, "--db", str(db_path), "init", "--recovery-sheet", str(sheet))
    assert code == 0, err
    assert sheet_key(sheet) == TEST_KEY


def test_a_set_passphrase_wins_over_the_keyring_when_creating(
    capsys, tmp_path, monkeypatch
) -> None:
    as_admin(monkeypatch)
    monkeypatch.setenv(keys.PASSPHRASE_ENV, PASSPHRASE)
    path = tmp_path / "scripted.db"
    code, _, err = run(capsys, "--db", str(path), "init")
    assert (code, err) == (0, "")
    assert stored_key(path) is None  # nothing in the keyring: the script holds the key
    assert keys.opens(path, DatabaseKey(passphrase=PASSPHRASE))
    monkeypatch.setenv(keys.PASSPHRASE_ENV, "too short")
    code, _, err = run(capsys, "--db", str(tmp_path / "short.db"), "init")
    assert code == cli.EXIT_USAGE and "at least 10 characters" in one_line(err)
    assert not (tmp_path / "short.db").exists()


def test_no_keyring_no_passphrase_and_no_terminal_exits_3(capsys, tmp_path, monkeypatch) -> None:
    as_admin(monkeypatch)
    keyring.set_keyring(fail.Keyring())
    path = tmp_path / "new.db"
    code, out, err = run(capsys, "--db", str(path), "init")
    assert (code, out) == (cli.EXIT_ENVIRONMENT, "")
    line = one_line(err)
    assert "no keyring works" in line and keys.PASSPHRASE_ENV in line
    assert not path.exists()


def test_no_keyring_asks_for_a_new_passphrase_twice_on_a_terminal(
    capsys, tmp_path, monkeypatch
) -> None:
    as_admin(monkeypatch)
    keyring.set_keyring(fail.Keyring())
    asked = answers(monkeypatch, PASSPHRASE, PASSPHRASE + "?")
    code, _, err = run(capsys, "--db", str(tmp_path / "a.db"), "init")
    assert code == cli.EXIT_USAGE and "passphrases differ" in err.splitlines()[-1]
    assert not (tmp_path / "a.db").exists()
    assert asked == ["New database passphrase: ", "The same passphrase again: "]
    answers(monkeypatch, PASSPHRASE, PASSPHRASE)
    code, _, err = run(capsys, "--db", str(tmp_path / "a.db"), "init")
    assert code == 0, err
    assert keys.opens(tmp_path / "a.db", DatabaseKey(passphrase=PASSPHRASE))


def test_demo_creates_an_encrypted_database(capsys, tmp_path) -> None:
    path = tmp_path / "demo.db"
    code, _, err = run(capsys, "--db", str(path), "demo")
    assert code == 0, err
    assert keys.file_state(path) == "encrypted"
    key = stored_key(path)
    assert key is not None and keys.opens(path, key)


# -- opening -------------------------------------------------------------------------------


def test_the_key_sources_in_order_and_their_exit_codes(
    capsys, demo_path, tmp_path, monkeypatch
) -> None:
    moved = tmp_path / "moved" / "demo.db"
    moved.parent.mkdir()
    shutil.copyfile(demo_path, moved)
    before = moved.read_bytes()

    code, out, err = run(capsys, "--db", str(moved), "export", "staff")  # no key anywhere
    assert (code, out) == (cli.EXIT_ENVIRONMENT, "")
    assert "no keyring holds its key" in one_line(err)

    monkeypatch.setenv(keys.PASSPHRASE_ENV, "not the key at all")
    code, out, err = run(capsys, "--db", str(moved), "export", "staff")
    assert (code, out) == (cli.EXIT_ENVIRONMENT, "")
    assert "wrong key" in one_line(err) and "nothing was changed" in err
    assert moved.read_bytes() == before and stored_key(moved) is None

    asked = answers(monkeypatch, " ".join(TEST_KEY.raw_hex[i : i + 4] for i in range(0, 64, 4)))
    code, out, err = run(capsys, "--db", str(moved), "export", "staff")
    assert code == 0, err
    assert asked == [f"Passphrase or recovery key for {moved}: "]
    assert stored_key(moved) == TEST_KEY  # stored again under the new path

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    monkeypatch.delenv(keys.PASSPHRASE_ENV)
    assert run(capsys, "--db", str(moved), "export", "staff")[0] == 0  # the keyring now


def test_a_missing_database_is_not_created_by_other_commands(capsys, tmp_path) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "none.db"), "export", "staff")
    assert code == cli.EXIT_ENVIRONMENT and "internhost init" in one_line(err)
    assert not (tmp_path / "none.db").exists()


# -- encrypt -------------------------------------------------------------------------------


def _unencrypted_copy(demo_path: Path, tmp_path: Path) -> Path:
    plain = unencrypted_copy(demo_path, tmp_path / "old" / "internhost.db")
    backups.make_backup(plain, actor=SYSTEM)
    return plain


@pytest.mark.parametrize("command", ["export staff", "backup", "backups", "init", "rekey"])
def test_every_command_on_an_unencrypted_database_exits_3_naming_encrypt(
    capsys, demo_path, tmp_path, command
) -> None:
    plain = _unencrypted_copy(demo_path, tmp_path)
    before = plain.read_bytes()
    code, out, err = run(capsys, "--db", str(plain), *command.split())
    assert (code, out) == (cli.EXIT_ENVIRONMENT, "")
    assert "internhost encrypt" in one_line(err)
    assert plain.read_bytes() == before


def test_encrypt_migrates_one_way(capsys, demo_path, tmp_path) -> None:
    plain = _unencrypted_copy(demo_path, tmp_path)
    code, _, err = run(capsys, "--db", str(plain), "encrypt")
    assert code == cli.EXIT_USAGE and "--recovery-sheet" in one_line(err)
    assert keys.file_state(plain) == "plain"

    sheet = tmp_path / "sheet.pdf"
    code, out, err = run(capsys, "--db", str(plain), "encrypt", "--recovery-sheet", str(sheet))
    assert code == 0, err
    assert f"Encrypted {plain}" in out and "1 backup(s) encrypted" in out
    assert "delete it" in out  # the verified unencrypted copy, and what to do with it
    key = stored_key(plain)
    assert key is not None and keys.file_state(plain) == "encrypted" and keys.opens(plain, key)
    assert sheet.exists()
    assert run(capsys, "--db", str(plain), "export", "staff")[0] == 0
    code, _, err = run(capsys, "--db", str(plain), "encrypt", "--recovery-sheet", str(sheet))
    assert code == cli.EXIT_ENVIRONMENT and "already encrypted" in one_line(err)


def test_encrypt_is_for_hr_admins_only(capsys, demo_path, tmp_path, monkeypatch) -> None:
    plain = _unencrypted_copy(demo_path, tmp_path)
    monkeypatch.setenv("INTERNHOST_USER", "viewer")
    code, _, err = run(
        capsys, "--db", str(plain), "encrypt", "--recovery-sheet", str(tmp_path / "s.pdf")
    )
    assert code == cli.EXIT_DENIED, err
    assert keys.file_state(plain) == "plain" and stored_key(plain) is None
    assert not (tmp_path / "s.pdf").exists()


# -- rekey ---------------------------------------------------------------------------------


def test_rekey_to_a_new_keyring_key_needs_a_sheet_and_re_encrypts_the_backups(
    capsys, demo_path, tmp_path
) -> None:
    daily = backups.run_daily_backup(demo_path, backups.date.today(), key=TEST_KEY)
    assert daily is not None
    code, _, err = run(capsys, "--db", str(demo_path), "rekey")
    assert code == cli.EXIT_USAGE and "--recovery-sheet" in one_line(err)
    assert keys.opens(demo_path, TEST_KEY)

    sheet = tmp_path / "new-sheet.pdf"
    code, out, err = run(capsys, "--db", str(demo_path), "rekey", "--recovery-sheet", str(sheet))
    assert code == 0, err
    new = stored_key(demo_path)
    assert new is not None and new.is_raw and new != TEST_KEY
    assert keys.opens(demo_path, new) and not keys.opens(demo_path, TEST_KEY)
    assert keys.opens(daily.path, new) and not keys.opens(daily.path, TEST_KEY)
    assert "1 backup(s) re-encrypted" in out and "shred the old one" in out
    assert sheet_key(sheet) == new
    assert run(capsys, "--db", str(demo_path), "export", "staff")[0] == 0


def test_rekey_to_a_new_passphrase(capsys, demo_path, monkeypatch) -> None:
    monkeypatch.setenv(keys.NEW_PASSPHRASE_ENV, PASSPHRASE)
    code, _, err = run(capsys, "--db", str(demo_path), "rekey")
    assert code == 0, err
    new = DatabaseKey(passphrase=PASSPHRASE)
    assert keys.opens(demo_path, new) and not keys.opens(demo_path, TEST_KEY)
    assert stored_key(demo_path) == new  # the keyring follows, the old key is gone


def test_rekey_with_the_wrong_current_key_changes_nothing(capsys, demo_path) -> None:
    remember(demo_path, OTHER_KEY)
    before = demo_path.read_bytes()
    code, _, err = run(
        capsys, "--db", str(demo_path), "rekey", "--recovery-sheet", str(demo_path.parent / "s")
    )
    assert code == cli.EXIT_ENVIRONMENT and "wrong key" in one_line(err)
    assert demo_path.read_bytes() == before


# -- as a subprocess -------------------------------------------------------------------------


def _internhost(*argv: str, **env: str | None) -> subprocess.CompletedProcess[str]:
    environ = dict(os.environ)  # the test keyring's backend and file are inherited
    for name, value in env.items():
        if value is None:
            environ.pop(name, None)
        else:
            environ[name] = value
    return subprocess.run(
        [sys.executable, "-m", "internhost", *argv],
        cwd=REPO,
        env=environ,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_subprocesses_use_the_test_keyring_or_the_passphrase(demo_path, tmp_path) -> None:
    done = _internhost("--db", str(demo_path), "export", "staff")
    assert done.returncode == 0, done.stderr

    phrase_db = tmp_path / "phrase.db"
    done = _internhost(
        "--db",
        str(phrase_db),
        "demo",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        INTERNHOST_PASSPHRASE=PASSPHRASE,
    )
    assert done.returncode == 0, done.stderr
    done = _internhost(
        "--db",
        str(phrase_db),
        "export",
        "staff",
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
        INTERNHOST_PASSPHRASE=None,
    )
    assert done.returncode == cli.EXIT_ENVIRONMENT
    assert "no keyring works" in one_line(done.stderr)
    assert secrets.read_database_key(phrase_db) is None
