"""Backups in the app: the daily backup after the first screen, manual backup and
restore from the Backups screen, the network-drive warning, and one app per file."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialogs import settle
from PySide6.QtWidgets import QMessageBox

from internhost.core.actor import Actor, Role
from internhost.core.services import directory, setup
from internhost.core.storage import instance
from internhost.core.storage.backups import backup_dir_for, list_backups
from internhost.gui import app as gui_app


def _kinds(path: Path) -> list[str]:
    return [b.kind for b in list_backups(path)]


def test_the_daily_backup_runs_after_the_first_screen(open_window, demo_path: Path, qtbot):
    window = open_window(demo_path)
    qtbot.waitUntil(lambda: "daily" in _kinds(demo_path), timeout=10_000)
    assert backup_dir_for(demo_path).is_dir()
    window.runner.wait()
    # A second start the same day takes no second daily backup.
    window.close()
    again = open_window(demo_path)
    again.runner.wait()
    assert _kinds(demo_path).count("daily") == 1


def test_back_up_now_then_restore_brings_the_data_back(
    open_window, demo_path: Path, qtbot, screenshot
) -> None:
    window = open_window(demo_path)
    window.runner.wait()
    assert "Backups" in [window.nav.item(i).text() for i in range(window.nav.count())]
    window.show_page("backups")
    view = window._page("backups")
    view.back_up()
    qtbot.waitUntil(lambda: view.status.text().startswith("Backed up"), timeout=10_000)
    settle(view)  # the list, read again on the worker
    manual = next(b for b in list_backups(demo_path) if b.kind == "manual")
    assert manual.path in [view.model.row_at(r).path for r in range(view.model.rowCount())]
    screenshot(window, "backups")

    before = len(window.database.read(directory.list_staff))
    window.database.write(
        setup.save_staff,
        setup.StaffInput("Temp", "Worker", "supervisor", email="temp@example.com"),
        today=window.clock(),
    )
    assert len(window.database.read(directory.list_staff)) == before + 1

    with qtbot.waitSignal(view.restored, timeout=10_000):
        view.restore(manual.path, confirmed=True)
    qtbot.waitUntil(lambda: view.status.text().startswith("Restored"), timeout=10_000)
    settle(view)
    assert len(window.database.read(directory.list_staff)) == before
    listed = [view.model.row_at(r).kind for r in range(view.model.rowCount())]
    assert "pre-restore" in listed  # the safety copy, listed once read again
    assert "pre-restore" in _kinds(demo_path)
    assert window.current_page == "backups"


def test_restore_asks_first_and_no_means_nothing_happens(
    open_window, demo_path: Path, qtbot, monkeypatch
) -> None:
    window = open_window(demo_path)
    window.runner.wait()
    window.show_page("backups")
    view = window._page("backups")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    view.restore(demo_path.with_name("nowhere.db"))
    window.runner.wait()
    assert "pre-restore" not in _kinds(demo_path)
    assert view.status.text() == ""


def test_a_bad_backup_is_refused_and_the_database_is_untouched(
    open_window, demo_path: Path, qtbot, tmp_path: Path
) -> None:
    window = open_window(demo_path)
    window.runner.wait()
    window.show_page("backups")
    view = window._page("backups")
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    view.restore(junk, confirmed=True)
    qtbot.waitUntil(lambda: view.status.text().startswith("Failed"), timeout=10_000)
    assert window.database.read(directory.list_staff)  # still the sample's staff
    assert "pre-restore" not in _kinds(demo_path)


def test_a_viewer_gets_no_backups_screen(open_window, demo_path: Path) -> None:
    window = open_window(demo_path, actor=Actor(Role.VIEWER, "viewer"))
    assert "Backups" not in [window.nav.item(i).text() for i in range(window.nav.count())]


def test_a_network_drive_is_named_in_a_warning_bar(
    open_window, demo_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(
        "internhost.core.storage.fs_check.network_filesystem",
        lambda path: f"{path} is on a network drive (nfs4)",
    )
    window = open_window(demo_path)
    assert not window.location_warning.isHidden()
    assert "network drive" in window.location_warning.text()


def test_a_second_app_on_the_same_file_is_told_and_stops(
    demo_path: Path, monkeypatch, qtbot
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(gui_app, "_fatal", lambda message, parent=None: shown.append(message))
    with instance.acquire(demo_path):
        assert gui_app.run(str(demo_path)) == gui_app.EXIT_ENVIRONMENT
    assert shown and "already has" in shown[0]


@pytest.fixture(autouse=True)
def _no_real_dialogs(monkeypatch):
    """A confirmation this test did not expect fails instead of blocking."""

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    monkeypatch.setattr(QMessageBox, "critical", unexpected)


def test_the_recovery_sheet_can_be_issued_again_from_the_backups_screen(
    open_window, demo_path: Path, monkeypatch
) -> None:
    from internhost.gui.dialogs import recovery_sheet

    offered: list[tuple] = []
    monkeypatch.setattr(
        recovery_sheet, "offer_recovery_sheet", lambda *args: offered.append(args) or True
    )
    window = open_window(demo_path)
    window.runner.wait()
    window.show_page("backups")
    view = window._page("backups")
    assert view.sheet_button.isVisibleTo(view)
    view.sheet_button.click()
    assert offered == [(view, demo_path, window.database.key)]
    assert window.database.key is not None
