"""The one output-path guard: no writer puts a file on the database or on anything
of it, for any role, however the path is spelled; other files stay writable."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from clikit import one_line
from testkeys import TEST_KEY

from internhost import cli
from internhost.core.actor import SYSTEM
from internhost.core.errors import ValidationError
from internhost.core.fileio import files
from internhost.core.fileio.exporting import atomic_text_file
from internhost.core.reports.recovery_sheet import write_recovery_sheet
from internhost.core.storage import backups, db, keys

posix_only = pytest.mark.skipif(os.name != "posix", reason="symlinks and hard links")


@pytest.fixture(autouse=True)
def no_env_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)


@pytest.fixture
def kept(demo_path: Path) -> Path:
    """The demo database with a backup in its folder and a copy kept beside it."""
    backups.make_backup(demo_path, actor=SYSTEM, key=TEST_KEY)
    shutil.copyfile(demo_path, demo_path.with_name("demo.pre-0001_baseline-20250101T000000Z.db"))
    return demo_path


def spellings(db_path: Path) -> dict[str, Path]:
    """Members of the class "a path that is the database or one of its files"."""
    folder = db_path.parent
    [backup] = [b.path for b in backups.list_backups(db_path) if b.kind == "manual"]
    found = {
        "the database": db_path,
        "relative": Path(os.path.relpath(db_path)),
        "through ..": folder / "sub" / ".." / db_path.name,
        "-wal": folder / f"{db_path.name}-wal",
        "-shm": folder / f"{db_path.name}-shm",
        "-journal (not there)": folder / f"{db_path.name}-journal",
        "the lock file": folder / f"{db_path.name}.lock",
        "other case (not there)": folder / f"{db_path.name.upper()}-JOURNAL",
        "a backup": backup,
        "new file in the backups folder": backup.parent / "fresh.csv",
        "in a folder below the backups": backup.parent / "deeper" / "x.csv",
        "a pre-migration copy": folder / "demo.pre-0001_baseline-20250101T000000Z.db",
        "a pre-migration copy, other case": folder / "DEMO.PRE-0002_X-20250101T000000Z.DB",
        "an unencrypted copy (not there)": folder / "demo.unencrypted-20260101T000000Z.db",
        "a run note": folder / f"{db_path.name}.runs" / "run-1.json",
        "a work file": folder / f".{db_path.name}.restoring",
    }
    (folder / "sub").mkdir(exist_ok=True)
    if os.name == "posix":
        link = folder / "innocent.csv"
        link.symlink_to(db_path)
        found["a symlink to it"] = link
        dangling = folder / "dangling.csv"
        dangling.symlink_to(folder / f"{db_path.name}-journal")
        found["a symlink to a companion not there yet"] = dangling
        (folder / "other").mkdir()
        hard = folder / "other" / "elsewhere.csv"
        os.link(db_path, hard)
        found["a hard link elsewhere"] = hard
        linked_folder = folder / "other" / "to-backups"
        linked_folder.symlink_to(backup.parent)
        found["a new file through a symlinked folder"] = linked_folder / "new.csv"
    return found


def test_every_spelling_of_the_database_is_refused(kept: Path) -> None:
    for what, path in spellings(kept).items():
        assert files.protected(path, kept) is not None, what
        with pytest.raises(files.ProtectedPath, match="writing there would destroy it"):
            files.check_output(path, kept, field="out")


def test_other_files_are_free(kept: Path, tmp_path: Path) -> None:
    free = [
        kept.parent / "interns.csv",
        kept.parent / "demo.csv",  # the stem alone is not the database's
        kept.parent / "demo-db.csv",
        tmp_path / "elsewhere" / "demo.db",  # the same name in another folder
        kept.parent / "xdemo.db-wal",
    ]
    for path in free:
        assert files.protected(path, kept) is None, path


def _writers(db_path: Path) -> dict[str, Callable[[Path], object]]:
    def export(target: Path) -> None:
        with atomic_text_file(target, db_path) as out:
            out.write("id\n")

    return {
        "export": export,
        "recovery sheet": lambda t: write_recovery_sheet(t, db_path, TEST_KEY),
        "backup to a file": lambda t: backups.make_backup(
            db_path, t, actor=SYSTEM, key=TEST_KEY, overwrite=True
        ),
    }


def test_every_writer_refuses_and_leaves_the_database_as_it_was(kept: Path) -> None:
    targets = spellings(kept)
    before = {p: p.read_bytes() for p in kept.parent.rglob("*") if p.is_file()}
    for name, write in _writers(kept).items():
        for what, target in targets.items():
            with pytest.raises(ValidationError, match="would destroy it"):
                write(target)
            assert kept.read_bytes() == before[kept], (name, what)
    after = {p: p.read_bytes() for p in kept.parent.rglob("*") if p.is_file()}
    changed = [p for p in before if after.get(p) != before[p] and not p.name.endswith("-shm")]
    assert changed == [] or changed == [kept.with_name(kept.name + "-wal")]


def test_an_external_copy_may_be_overwritten(kept: Path, tmp_path: Path) -> None:
    outside = tmp_path / "usb" / "copy.db"
    outside.parent.mkdir()
    outside.write_bytes(b"old")
    info = backups.make_backup(kept, outside, actor=SYSTEM, key=TEST_KEY, overwrite=True)
    assert info.path == outside and outside.read_bytes()[:6] != b"old"


@pytest.mark.parametrize("role", ["hr", "viewer", "mentor"])
def test_export_out_onto_the_database_exits_2_for_every_role(
    capsys: pytest.CaptureFixture[str], kept: Path, monkeypatch: pytest.MonkeyPatch, role: str
) -> None:
    monkeypatch.setenv("INTERNHOST_USER", role)
    before = kept.read_bytes()
    for what, target in spellings(kept).items():
        code = cli.main(["--db", str(kept), "export", "staff", "--out", str(target)])
        _, err = capsys.readouterr()
        assert code == cli.EXIT_USAGE, (what, err)
        assert "would destroy it" in one_line(err)
    assert kept.read_bytes() == before


@pytest.mark.parametrize("command", [["init"], ["rekey"]])
def test_recovery_sheets_never_land_on_the_database(
    capsys: pytest.CaptureFixture[str],
    kept: Path,
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INTERNHOST_NEW_PASSPHRASE", "a brand new passphrase")
    for target in (kept, kept.with_name(kept.name + "-wal"), Path(os.path.relpath(kept))):
        code = cli.main(["--db", str(kept), *command, "--recovery-sheet", str(target)])
        _, err = capsys.readouterr()
        assert code == cli.EXIT_USAGE, err
        assert "would destroy it" in one_line(err)
    # Not a PDF, and not rekeyed either: the refusal came before any change.
    assert not kept.read_bytes().startswith(b"%PDF") and keys.opens(kept, TEST_KEY)


def test_init_with_a_sheet_onto_a_new_databases_own_file_creates_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTERNHOST_PASSPHRASE", "a long passphrase")
    monkeypatch.setenv("INTERNHOST_PASSWORD", "a long enough password")
    new = tmp_path / "fresh" / "new.db"
    code = cli.main(["--user", "ada", "--db", str(new), "init", "--recovery-sheet", str(new)])
    _, err = capsys.readouterr()
    assert code == cli.EXIT_USAGE and "would destroy it" in one_line(err)
    assert not new.exists()


def test_a_failed_export_leaves_nothing_behind(
    capsys: pytest.CaptureFixture[str], demo_path: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    code = cli.main(["--db", str(demo_path), "export", "staff", "--out", str(folder)])
    _, err = capsys.readouterr()
    assert code == cli.EXIT_USAGE and "is a folder" in one_line(err)
    assert list(tmp_path.glob("*partial*")) == [] and list(folder.iterdir()) == []
