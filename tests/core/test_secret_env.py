"""Secrets from files named by ``*_FILE`` variables, never from a command line: read once,
owner-only, refused in one line naming the variable (exit 2); hints show the file or
the prompt; worker processes inherit no secret variable at all."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from clikit import Pipe, message, one_line
from testkeys import FILE_ENV, TEST_KEY, TESTS

from internhost import cli
from internhost.commands import login
from internhost.core import workers
from internhost.core.actor import Actor, Role
from internhost.core.storage import keys, secret_env
from internhost.core.storage.secret_env import (
    NEW_PASSPHRASE_ENV,
    PASSPHRASE_ENV,
    PASSWORD_ENV,
    SECRET_VARIABLES,
    SecretFileError,
    read_secret,
)

REPO = Path(__file__).resolve().parents[2]
POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
NAMES = (PASSWORD_ENV, PASSPHRASE_ENV, NEW_PASSPHRASE_ENV)
NEW_PASSPHRASE = "a brand new passphrase"


@pytest.fixture(autouse=True)
def scripted(monkeypatch: pytest.MonkeyPatch) -> None:
    """A script's run: no terminal to ask on. (``tests/conftest.py`` has removed the
    developer's secret variables, forgotten what earlier tests read, and set
    ``INTERNHOST_PASSWORD`` for the sample's ``hr``.)"""
    monkeypatch.delenv("INTERNHOST_DB", raising=False)
    monkeypatch.setattr(sys, "stdin", Pipe(""))


def secret_file(folder: Path, text: str | bytes, mode: int = 0o600, name: str = "secret") -> Path:
    path = folder / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    path.chmod(mode)
    return path


def file_env(name: str, path: Path | str) -> dict[str, str]:
    return {secret_env.file_variable(name): str(path)}


def refusal(name: str, env: dict[str, str]) -> str:
    with pytest.raises(SecretFileError) as caught:
        read_secret(name, env)
    text = str(caught.value)
    assert "\n" not in text
    return text


# -- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_each_secret_comes_from_its_variable_or_its_file(name: str, tmp_path: Path) -> None:
    assert read_secret(name, {}) is None
    assert read_secret(name, {name: "typed"}) == "typed"
    assert read_secret(name, {name: ""}) == ""  # set but empty stays as it was
    path = secret_file(tmp_path, "from the file\n")
    assert read_secret(name, file_env(name, path)) == "from the file"
    assert secret_env.given_in(name, file_env(name, path)) == f"{name}_FILE"
    assert secret_env.given_in(name, {name: "x"}) == name


def test_one_trailing_line_break_is_dropped_and_nothing_else(tmp_path: Path) -> None:
    cases = {"pw\n": "pw", "pw\r\n": "pw", "pw\n\n": "pw\n", " pw ": " pw ", "pw": "pw"}
    for i, (text, expected) in enumerate(cases.items()):
        path = secret_file(tmp_path, text, name=f"s{i}")
        assert read_secret(PASSWORD_ENV, file_env(PASSWORD_ENV, path)) == expected


def test_the_file_is_read_once_per_process(tmp_path: Path) -> None:
    path = secret_file(tmp_path, "first")
    env = file_env(PASSPHRASE_ENV, path)
    assert read_secret(PASSPHRASE_ENV, env) == "first"
    path.write_text("second")
    assert read_secret(PASSPHRASE_ENV, env) == "first"
    path.unlink()  # gone after the first read: still the same secret
    assert read_secret(PASSPHRASE_ENV, env) == "first"
    secret_env.forget()
    assert "does not exist" in refusal(PASSPHRASE_ENV, env)


@POSIX
def test_a_one_shot_pipe_is_read_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo, 0o600)
    writer = threading.Thread(target=lambda: fifo.write_text("piped\n"))
    writer.start()
    env = file_env(PASSWORD_ENV, fifo)
    assert read_secret(PASSWORD_ENV, env) == "piped"
    writer.join(10)
    assert read_secret(PASSWORD_ENV, env) == "piped"  # a second read would block


@POSIX
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o700 | 0o004])
def test_a_file_others_may_read_is_refused(tmp_path: Path, mode: int) -> None:
    path = secret_file(tmp_path, "pw", mode)
    for name in NAMES:
        text = refusal(name, file_env(name, path))
        assert text.startswith(f"{name}_FILE: {path} may be read by others")
        assert f"mode {mode:04o}" in text and "chmod 600" in text


@POSIX
@pytest.mark.skipif(os.name != "posix" or os.geteuid() != 0, reason="chown needs root")
def test_a_file_of_another_user_is_refused(tmp_path: Path) -> None:
    path = secret_file(tmp_path, "pw")
    os.chown(path, 4321, -1)
    assert "belongs to another user (uid 4321)" in refusal(
        PASSWORD_ENV, file_env(PASSWORD_ENV, path)
    )


def test_owner_bits_are_not_checked_where_there_are_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows has no mode bits: the profile's per-user ACL is what protects the file."""
    path = secret_file(tmp_path, "pw", 0o644)
    monkeypatch.setattr(secret_env.os, "name", "nt")
    assert read_secret(PASSWORD_ENV, file_env(PASSWORD_ENV, path)) == "pw"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "is empty; it should hold the password"),
        ("\n", "is empty; it should hold the password"),
        ("x" * 4097, "is larger than 4096 bytes; it should hold only the password"),
        (b"\xff\xfe pw", "is not UTF-8 text"),
    ],
)
def test_unfit_contents_are_refused(tmp_path: Path, content: str | bytes, problem: str) -> None:
    path = secret_file(tmp_path, content)
    text = refusal(PASSWORD_ENV, file_env(PASSWORD_ENV, path))
    assert text == f"INTERNHOST_PASSWORD_FILE: {path} {problem}"


def test_the_largest_file_allowed(tmp_path: Path) -> None:
    path = secret_file(tmp_path, "x" * secret_env.MAX_BYTES)
    assert len(read_secret(PASSWORD_ENV, file_env(PASSWORD_ENV, path)) or "") == 4096


def test_missing_folder_unset_and_ambiguous_are_refused(tmp_path: Path) -> None:
    name, var = PASSPHRASE_ENV, "INTERNHOST_PASSPHRASE_FILE"
    assert refusal(name, {var: str(tmp_path / "nope")}).endswith("nope does not exist")
    assert refusal(name, {var: str(tmp_path)}).endswith("is a folder, not a file")
    assert refusal(name, {var: ""}) == f"{var}: is empty; set it to the path of a file, or unset it"
    path = secret_file(tmp_path, "pw")
    both = refusal(name, {var: str(path), name: "pw"})
    assert both == f"{var}: is set and so is {name}; unset one of them"


# -- the command line ---------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def no_keyring_entry(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The keyring holds no key for the database: the passphrase must be given."""
    monkeypatch.setenv(FILE_ENV, str(tmp_path / "empty-keyring.json"))


def test_password_file_logs_in(
    capsys, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.setenv("INTERNHOST_PASSWORD_FILE", str(secret_file(tmp_path, "demo\n")))
    code, out, err = run(capsys, "--db", str(demo_path), "export", "staff")
    assert (code, err) == (0, "") and out


def test_passphrase_file_opens_the_database(
    capsys, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring_entry
) -> None:
    code, _, err = run(capsys, "--db", str(demo_path), "export", "staff")
    assert code == cli.EXIT_ENVIRONMENT
    assert "INTERNHOST_PASSPHRASE_FILE" in message(err)  # the hint names the file variable
    sheet_key = secret_file(tmp_path, " ".join(re.findall(".{16}", TEST_KEY.raw_hex)) + "\n")
    monkeypatch.setenv("INTERNHOST_PASSPHRASE_FILE", str(sheet_key))
    code, out, err = run(capsys, "--db", str(demo_path), "export", "staff")
    assert (code, err) == (0, "") and out


def test_new_passphrase_file_rekeys(
    capsys, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERNHOST_NEW_PASSPHRASE_FILE", str(secret_file(tmp_path, NEW_PASSPHRASE)))
    code, _, err = run(capsys, "--db", str(demo_path), "rekey")
    assert (code, err) == (0, ""), err
    assert keys.opens(demo_path, keys.DatabaseKey(passphrase=NEW_PASSPHRASE))


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("problem", ["0644", "missing", "empty", "both"])
def test_a_bad_secret_file_exits_2_naming_the_variable(
    capsys, demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name, problem
) -> None:
    variable = f"{name}_FILE"
    path = {
        "0644": lambda: secret_file(tmp_path, "demo", 0o644),
        "missing": lambda: tmp_path / "missing",
        "empty": lambda: secret_file(tmp_path, ""),
        "both": lambda: secret_file(tmp_path, "demo"),
    }[problem]()
    if problem == "0644" and os.name != "posix":
        pytest.skip("POSIX permission bits")
    monkeypatch.setenv(variable, str(path))
    if problem == "both":
        monkeypatch.setenv(name, "demo")
    else:
        monkeypatch.delenv(name, raising=False)
    command = "rekey" if name == NEW_PASSPHRASE_ENV else "export"
    argv = ["--db", str(demo_path), command, *(["staff"] if command == "export" else [])]
    if name == PASSPHRASE_ENV:  # read only when the keyring has no key
        monkeypatch.setenv(FILE_ENV, str(tmp_path / "empty-keyring.json"))
    code, out, err = run(capsys, *argv)
    assert (code, out) == (cli.EXIT_USAGE, ""), err
    assert message(err).startswith(f"{variable}: ")


# -- hints and documentation ----------------------------------------------------------------

#: A secret variable set to a literal value: what shell history would keep.
LITERAL = re.compile(r"\bINTERNHOST_(?:NEW_)?PASS(?:WORD|PHRASE)=(?!\$)")
#: A secret variable named bare (not its ``_FILE``): a hint to set it would put it in history.
BARE = re.compile(r"\bINTERNHOST_(?:NEW_)?PASS(?:WORD|PHRASE)\b(?!_FILE)")


@pytest.fixture
def no_keyring(monkeypatch: pytest.MonkeyPatch) -> None:
    from internhost.core.storage import secrets

    monkeypatch.setattr(secrets, "keyring_problem", lambda: "no keyring works here")


def test_hints_show_the_file_or_the_prompt_not_a_secret_variable(
    capsys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, demo_path: Path, no_keyring
) -> None:
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    hints = [login.HOW]
    code, _, err = run(capsys, "--db", str(tmp_path / "new.db"), "init")
    hints.append(one_line(err))
    monkeypatch.setenv(PASSWORD_ENV, "demo")
    code, _, err = run(capsys, "--db", str(demo_path), "export", "staff")
    assert code == cli.EXIT_ENVIRONMENT
    hints.append(one_line(err))
    with pytest.raises(keys.NoKey) as caught:
        keys.key_for_creating(env=NEW_PASSPHRASE_ENV)
    hints.append(str(caught.value))
    for hint in hints:
        assert "_FILE" in hint or "terminal" in hint, hint
        assert not BARE.search(hint), hint


def test_readme_puts_no_secret_on_a_command_line() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    assert not LITERAL.findall(readme)
    assert "INTERNHOST_PASSWORD_FILE" in readme and "INTERNHOST_PASSPHRASE_FILE" in readme
    assert "chmod 600" in readme


def test_the_recovery_sheet_shows_the_prompt() -> None:
    from internhost.core.reports import recovery_sheet

    steps = " ".join(recovery_sheet.sheet_content("x.db", TEST_KEY).steps)
    assert not BARE.search(steps) and "the command line asks for it too" in steps


# -- workers --------------------------------------------------------------------------------


def test_child_environment_drops_every_secret_variable_and_keeps_the_user() -> None:
    base = {name: "secret" for name in SECRET_VARIABLES}
    base.update(INTERNHOST_USER="hr", INTERNHOST_DB="/x.db", PATH="/bin")
    env = workers.child_environment(base)
    assert env == {"INTERNHOST_USER": "hr", "INTERNHOST_DB": "/x.db", "PATH": "/bin"}
    assert set(SECRET_VARIABLES) == {
        f"INTERNHOST_{n}{s}"
        for n in ("PASSWORD", "PASSPHRASE", "NEW_PASSPHRASE")
        for s in ("", "_FILE")
    }


def test_a_worker_inherits_no_secret_variable(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = secret_file(tmp_path, "demo")
    for name in SECRET_VARIABLES:
        monkeypatch.setenv(name, str(path) if name.endswith("_FILE") else "a secret value")
    monkeypatch.setenv("INTERNHOST_USER", "hr")
    worker = workers.start_worker(
        "workertarget:inspect",
        demo_path,
        TEST_KEY,
        Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=7),
        args={"table": "interns"},
        cwd=TESTS,
    )
    environ = worker.result(timeout=60)["environ"]
    assert not set(SECRET_VARIABLES) & set(environ)
    assert str(path) not in json.dumps(environ) and "a secret value" not in json.dumps(environ)
    assert environ["INTERNHOST_USER"] == "hr"  # a name, not a secret


@pytest.mark.skipif(sys.platform == "win32", reason="bash process substitution")
def test_a_script_logs_in_from_a_one_shot_pipe(demo_path: Path) -> None:
    """The README's pattern for scripts: the password never on a command line."""
    env = {k: v for k, v in os.environ.items() if k not in SECRET_VARIABLES}
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    script = (
        'INTERNHOST_PASSWORD_FILE=<(printf demo) "$0" -m internhost --db "$1" --user mentor '
        "export interns --format json"
    )
    done = subprocess.run(
        ["bash", "-c", script, sys.executable, str(demo_path)],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)
