"""Every file the app writes is its user's alone (0600 files, 0700 folders on POSIX),
across every replace: checked by walking the data folder after a scripted session
of the commands that write files."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from testkeys import unencrypted_copy

from internhost import cli
from internhost.core.storage import db

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX modes (Windows: ACLs)")


@pytest.fixture(autouse=True)
def permissive_umask() -> object:
    """Run as a user whose umask lets everyone read: the app must not rely on it."""
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def _loose(folder: Path) -> list[str]:
    found = []
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        wanted = 0o700 if path.is_dir() else 0o600
        if mode != wanted:
            found.append(f"{path.relative_to(folder.parent)} is {mode:o}, not {wanted:o}")
    return found


def test_a_scripted_session_leaves_only_owner_only_files(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    demo_path: Path,
) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)
    monkeypatch.setenv("INTERNHOST_PASSPHRASE", "the first passphrase")
    data = tmp_path / "data"
    new = data / "new.db"

    def run(*argv: str) -> None:
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        assert code == 0, (argv, out, err)

    monkeypatch.setenv("INTERNHOST_PASSWORD", "a long enough password")
    run("--user", "ada", "--db", str(new), "init", "--recovery-sheet", str(data / "sheet.pdf"))
    run("--user", "ada", "--db", str(new), "backup")

    # The sample database, as one made before encryption, encrypted, rekeyed, restored.
    monkeypatch.setenv("INTERNHOST_PASSWORD", "demo")
    run("--db", str(data / "sample.db"), "demo")
    (data / "old").mkdir(mode=0o700)  # the user's folder: the app leaves it as it is
    old = unencrypted_copy(demo_path, data / "old" / "old.db")
    os.chmod(old, 0o644)  # as an older InternHost left it
    run("--db", str(old), "encrypt")
    monkeypatch.setenv("INTERNHOST_PASSPHRASE", "the first passphrase")
    monkeypatch.setenv("INTERNHOST_NEW_PASSPHRASE", "the second passphrase")
    run("--db", str(old), "rekey", "--recovery-sheet", str(data / "old" / "sheet-2.pdf"))
    monkeypatch.setenv("INTERNHOST_PASSPHRASE", "the second passphrase")
    run("--db", str(old), "backup", str(data / "old" / "copy.db"))
    run("--db", str(old), "backup")
    run("--db", str(old), "export", "interns", "--out", str(data / "old" / "interns.csv"))
    run("--db", str(old), "restore", "--yes", str(data / "old" / "copy.db"))
    run("--db", str(old), "backup", str(data / "old" / "copy.db"), "--overwrite")

    written = sorted(p.name for p in data.rglob("*"))
    assert {"new.db", "new.db.lock", "sheet.pdf", "old.db", "interns.csv", "copy.db"} <= set(
        written
    )
    assert any(n.startswith("old.unencrypted-") for n in written)
    assert any(".pre-restore." in n for n in written)
    assert _loose(data) == []
