"""A ``--db`` path no database can be at (issue 11, item 10): a symbolic link loop, a
folder, a path through a file, a name too long, a dangling link for a command that
needs a database, a folder without permission. Every command exits 3 with one line
naming the path and what is wrong, never a traceback, and creates nothing."""

from __future__ import annotations

import errno
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from clikit import message
from testkeys import PASSPHRASE

from internhost import cli
from internhost.core.storage import db

#: Commands that take a database: creating ones, reading ones, writing ones, and
#: those that resolve the path themselves (encrypt, backups).
COMMANDS = (
    ["init"],
    ["demo"],
    ["export", "staff"],
    ["backups"],
    ["backup"],
    ["encrypt"],
    ["audit", "verify"],
    ["retention"],
)
#: Commands that need the database to exist (a dangling link is no database).
NEEDS_A_DATABASE = (["export", "staff"], ["backup"], ["audit", "verify"], ["retention"])


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(db.DB_ENV, raising=False)
    monkeypatch.setenv("INTERNHOST_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("INTERNHOST_USER", "admin")
    monkeypatch.setenv("INTERNHOST_PASSWORD", "correct horse battery")


def _loop(tmp: Path) -> Path:
    (tmp / "a.db").symlink_to(tmp / "b.db")
    (tmp / "b.db").symlink_to(tmp / "a.db")
    return tmp / "a.db"


def _self_loop(tmp: Path) -> Path:
    (tmp / "self.db").symlink_to("self.db")
    return tmp / "self.db"


def _loop_as_folder(tmp: Path) -> Path:
    return _loop(tmp) / "x.db"


def _folder(tmp: Path) -> Path:
    (tmp / "data.db").mkdir()
    return tmp / "data.db"


def _through_a_file(tmp: Path) -> Path:
    (tmp / "notes.txt").write_text("not a folder\n", "utf-8")
    return tmp / "notes.txt" / "x.db"


def _deep_through_a_file(tmp: Path) -> Path:
    (tmp / "notes.txt").write_text("not a folder\n", "utf-8")
    return tmp / "notes.txt" / "a" / "b" / "x.db"


def _name_too_long(tmp: Path) -> Path:
    return tmp / ("n" * 300 + ".db")


def _path_too_long(tmp: Path) -> Path:
    return tmp.joinpath(*["d" * 200] * 30, "x.db")


UNUSABLE: dict[str, Callable[[Path], Path]] = {
    "a symbolic link loop": _loop,
    "a link to itself": _self_loop,
    "a path through a link loop": _loop_as_folder,
    "a folder": _folder,
    "a path through a file": _through_a_file,
    "a deeper path through a file": _deep_through_a_file,
    "a name too long": _name_too_long,
    "a path too long": _path_too_long,
}
NEEDS_SYMLINKS = {"a symbolic link loop", "a link to itself", "a path through a link loop"}


def _make(kind: str, tmp: Path) -> Path:
    if kind in NEEDS_SYMLINKS and sys.platform == "win32":
        pytest.skip("symbolic links need a privilege on Windows")
    return UNUSABLE[kind](tmp)


def _files(tmp: Path) -> set[Path]:
    return {p for p in tmp.rglob("*") if p.name != "test-keyring.json"}


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("kind", sorted(UNUSABLE))
def test_an_unusable_db_path_exits_3_with_one_line(
    kind: str, command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = _make(kind, tmp_path)
    before = _files(tmp_path)
    code = cli.main(["--db", str(target), *command])
    out, err = capsys.readouterr()
    assert (code, out) == (cli.EXIT_ENVIRONMENT, ""), err
    line = message(err)
    assert len(line) < 400
    assert _files(tmp_path) == before  # nothing created beside it


@pytest.mark.parametrize(
    ("kind", "says"),
    [
        ("a symbolic link loop", "its symbolic links loop"),
        ("a path through a link loop", "its symbolic links loop"),
        ("a folder", "is a folder, not a database file"),
        ("a path through a file", "notes.txt is a file, not a folder"),
        ("a deeper path through a file", "notes.txt is a file, not a folder"),
        ("a name too long", "the name is too long"),
        ("a path too long", "too long"),
    ],
)
def test_the_line_says_what_is_wrong(kind: str, says: str, tmp_path: Path, capsys) -> None:
    target = _make(kind, tmp_path)
    assert cli.main(["--db", str(target), "backups"]) == cli.EXIT_ENVIRONMENT
    assert says in message(capsys.readouterr().err)


def test_the_environment_variable_is_checked_the_same_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv(db.DB_ENV, str(_make("a symbolic link loop", tmp_path)))
    assert cli.main(["init"]) == cli.EXIT_ENVIRONMENT
    assert "symbolic links loop" in message(capsys.readouterr().err)


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need a privilege")
@pytest.mark.parametrize("command", NEEDS_A_DATABASE, ids=" ".join)
def test_a_dangling_link_is_no_database(command: list[str], tmp_path: Path, capsys) -> None:
    link = tmp_path / "x.db"
    link.symlink_to(tmp_path / "gone.db")
    code = cli.main(["--db", str(link), *command])
    assert code == cli.EXIT_ENVIRONMENT
    assert "no database at" in message(capsys.readouterr().err)
    assert not (tmp_path / "gone.db").exists()


# -- permission denied: real where the file system enforces it, simulated everywhere


def _denied_folder(tmp: Path) -> Path:
    folder = tmp / "locked"
    folder.mkdir()
    return folder


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="needs POSIX permissions that bind"
)
@pytest.mark.parametrize(("mode", "says"), [(0o000, "permission denied"), (0o500, "permission")])
def test_a_folder_without_permission_exits_3(mode: int, says: str, tmp_path: Path, capsys) -> None:
    folder = _denied_folder(tmp_path)
    folder.chmod(mode)
    try:
        code = cli.main(["--db", str(folder / "x.db"), "init"])
    finally:
        folder.chmod(0o700)
    assert code == cli.EXIT_ENVIRONMENT
    assert says in message(capsys.readouterr().err)
    assert list(folder.iterdir()) == []


def test_a_folder_that_cannot_be_searched_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    target = _denied_folder(tmp_path) / "x.db"
    real_stat = Path.stat

    def stat(self: Path, *args: object, **kwargs: object) -> os.stat_result:
        if self == target:
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_stat(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "stat", stat)
    assert cli.main(["--db", str(target), "export", "staff"]) == cli.EXIT_ENVIRONMENT
    assert "permission denied on its folder" in message(capsys.readouterr().err)


def test_a_folder_that_cannot_be_written_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    folder = _denied_folder(tmp_path)
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode, **kw: Path(p) != folder and real_access(p, mode, **kw)
    )
    assert cli.main(["--db", str(folder / "x.db"), "init"]) == cli.EXIT_ENVIRONMENT
    assert f"permission denied in {folder}" in message(capsys.readouterr().err)
    assert list(folder.iterdir()) == []


def test_a_usable_path_resolves(tmp_path: Path) -> None:
    """A missing file in missing folders is fine (``init`` creates them), and a link
    to a folder resolves to the folder's file."""
    deeper = db.resolve_db_path(tmp_path / "new" / "deeper" / "x.db")
    assert deeper == tmp_path.resolve() / "new" / "deeper" / "x.db"
    if sys.platform != "win32":
        (tmp_path / "real").mkdir()
        (tmp_path / "link").symlink_to(tmp_path / "real")
        linked = db.resolve_db_path(tmp_path / "link" / "x.db")
        assert linked == tmp_path.resolve() / "real" / "x.db"
