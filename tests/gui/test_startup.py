"""Start-up: the window shows before SQLAlchemy loads; the bench hook; exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest
from testkeys import stored_key

from internhost.core.storage import db, migrate
from internhost.gui import app as gui_app

REPO = Path(__file__).resolve().parents[2]


def start(db: Path, tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        INTERNHOST_BENCH_IDLE="1",
        XDG_CONFIG_HOME=str(tmp_path / "config"),  # QSettings stay out of the user's home
    )
    return subprocess.run(
        [sys.executable, *flags, "-m", "internhost", "--db", str(db)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def idle_time(done: subprocess.CompletedProcess[str]) -> float:
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("idle ")]
    assert len(lines) == 1, done.stdout
    return float(lines[0].split()[1])


def imported(done: subprocess.CompletedProcess[str]) -> set[str]:
    """Top-level packages named by ``-X importtime``."""
    return {
        line.split("|")[-1].strip().split(".")[0]
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_window_shows_without_sqlalchemy(db_path: Path, tmp_path: Path) -> None:
    """The ORM loads on the worker after the window shows; Alembic and ReportLab
    not at all when nothing needs them."""
    done = start(db_path, tmp_path, "-X", "importtime")
    idle_time(done)
    assert "orm-before-show=0" in done.stdout
    modules = imported(done)
    assert "PySide6" in modules
    assert not modules & {"alembic", "reportlab"}


def test_a_new_database_is_created_before_the_window(tmp_path: Path) -> None:
    path = tmp_path / "new" / "internhost.db"
    idle_time(start(path, tmp_path))
    # Created with a raw key kept in the (test) keyring, before the window showed.
    key = stored_key(path)
    assert key is not None and key.is_raw
    assert not migrate.needs_upgrade(path, key)


def test_a_foreign_database_exits_3(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp) -> None:
    path = tmp_path / "other.db"
    with closing(db.connect_raw(path, create=True, wal=False)) as conn:
        conn.execute("CREATE TABLE recipes (id INTEGER)")
    messages: list[str] = []
    monkeypatch.setattr(gui_app, "_fatal", lambda message, parent=None: messages.append(message))
    try:
        assert gui_app.run(str(path)) == gui_app.EXIT_ENVIRONMENT
    finally:  # run() names the shared test QApplication "InternHost"
        qapp.setOrganizationName("InternHost-tests")
        qapp.setApplicationName("InternHost-tests")
    assert "not an InternHost database" in messages[0]


def _loop(tmp: Path) -> Path:
    (tmp / "a.db").symlink_to(tmp / "b.db")
    (tmp / "b.db").symlink_to(tmp / "a.db")
    return tmp / "a.db"


def _through_a_file(tmp: Path) -> Path:
    (tmp / "notes.txt").write_text("not a folder\n", "utf-8")
    return tmp / "notes.txt" / "x.db"


def _folder(tmp: Path) -> Path:
    (tmp / "data.db").mkdir()
    return tmp / "data.db"


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (_loop, "symbolic links loop"),
        (_through_a_file, "is a file, not a folder"),
        (_folder, "is a folder"),
        (lambda tmp: tmp / ("n" * 300 + ".db"), "too long"),
    ],
    ids=["link loop", "through a file", "folder", "name too long"],
)
def test_an_unusable_db_path_is_a_message_not_a_crash(
    make, says: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp
) -> None:
    if make is _loop and sys.platform == "win32":
        pytest.skip("symbolic links need a privilege on Windows")
    target = make(tmp_path)
    messages: list[str] = []
    monkeypatch.setattr(gui_app, "_fatal", lambda message, parent=None: messages.append(message))
    try:
        assert gui_app.run(str(target)) == gui_app.EXIT_ENVIRONMENT
    finally:  # run() names the shared test QApplication "InternHost"
        qapp.setOrganizationName("InternHost-tests")
        qapp.setApplicationName("InternHost-tests")
    assert len(messages) == 1 and says in messages[0]
