"""The Accounts screen (HR admins): create an account (a mentor's names their staff
record), reset a password, disable and enable; saved as PNGs to look at. Its reads
and writes run on the database worker: the tests wait for them (``settle``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialogs import modal, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from internhost.core.actor import SYSTEM, Actor
from internhost.core.errors import LoginFailed
from internhost.core.services import accounts
from internhost.gui.database import Database
from internhost.gui.views.accounts import AccountsView
from internhost.gui.widgets.fields import FieldForm

PASSWORD = "a long enough password"


def demo_actors(path: Path) -> dict[str, Actor]:
    database = Database.open(path, SYSTEM)
    try:
        return {r.username: accounts.actor_for(r) for r in database.read(accounts.list_accounts)}
    finally:
        database.close()


def can_log_in(path: Path, username: str, password: str) -> bool:
    database = Database.open(path, SYSTEM)
    try:
        accounts.log_in(database.factory, username, password)
    except LoginFailed:
        return False
    finally:
        database.close()
    return True


@pytest.fixture
def screen(open_window, demo_path: Path) -> AccountsView:
    window = open_window(demo_path, actor=demo_actors(demo_path)["hr"])
    window.resize(1280, 800)
    window.show_page("accounts")
    screen = window._pages["accounts"]
    settle(screen)
    return screen


def select(view: AccountsView, username: str) -> None:
    for row, record in enumerate(view.rows()):
        if record.username == username:
            view.table.selectRow(row)
            return
    raise AssertionError(f"{username} not listed")


def test_the_accounts_screen_lists_the_accounts(screen: AccountsView, screenshot) -> None:
    assert [r.username for r in screen.rows()] == ["hr", "mentor", "viewer"]
    assert screen.new_button.text() == "New account"
    select(screen, "viewer")
    assert screen.edit_button.text() == "Reset password…"
    assert screen.archive_button.text() == "Disable"
    assert screen.show_archived.text() == "Show disabled"
    screenshot(screen.window(), "accounts")


def test_create_a_mentor_account(screen: AccountsView, demo_path: Path, screenshot) -> None:
    shots: list[Path] = []

    def fill(dialog: QDialog) -> None:
        form = dialog.findChild(FieldForm)
        assert not form.input("staff_id").isVisibleTo(dialog)  # only for a mentor
        form.input("role").set_value("mentor")
        assert form.input("staff_id").isVisibleTo(dialog)
        values = {
            "username": "darnell",
            "display_name": "Darnell Brooks",
            "password": PASSWORD,
            "password_again": PASSWORD,
        }
        form.set_values(values)
        form.input("role").set_value("mentor")
        combo = form.input("staff_id")._combo
        # Maria Kowalski already has the demo mentor account: refused beside the field.
        combo.setCurrentIndex(combo.findText("Maria Kowalski"))
        dialog.accept()
        settle(dialog)  # refused on the database worker
        assert "already has the account mentor" in form.error_text("staff_id")
        shots.append(screenshot(dialog, "new-account-refused"))
        combo.setCurrentIndex(combo.findText("Darnell Brooks"))
        shots.append(screenshot(dialog, "new-account"))
        dialog.accept()
        settle(dialog)

    with modal(fill):
        screen.new_record()  # the mentors are read first: the dialog opens then
        settle(screen)
    assert "darnell" in [r.username for r in screen.rows()]
    row = next(r for r in screen.rows() if r.username == "darnell")
    assert (row.role, row.staff_name) == ("mentor", "Darnell Brooks")
    assert can_log_in(demo_path, "darnell", PASSWORD)
    assert all(p.exists() for p in shots)


def test_reset_a_password(screen: AccountsView, demo_path: Path, screenshot) -> None:
    select(screen, "viewer")

    def fill(dialog: QDialog) -> None:
        form = dialog.findChild(FieldForm)
        form.set_values({"password": "demo2", "password_again": "demo2"})  # demo: exempt
        screenshot(dialog, "reset-password")
        dialog.accept()

    with modal(fill):
        screen.edit_selected()  # the account is read first
        settle(screen)
    assert can_log_in(demo_path, "viewer", "demo2")
    assert not can_log_in(demo_path, "viewer", "demo")


def test_disable_then_enable(screen: AccountsView, demo_path: Path, qtbot) -> None:
    select(screen, "viewer")

    def acknowledge(box: QDialog) -> None:
        assert isinstance(box, QMessageBox) and "can no longer log in" in box.text()
        box.accept()

    with modal(acknowledge):
        qtbot.mouseClick(screen.archive_button, Qt.MouseButton.LeftButton)
        settle(screen)
    assert "viewer" not in [r.username for r in screen.rows()]  # disabled rows hidden
    screen.show_archived.setChecked(True)
    select(screen, "viewer")
    assert screen.archive_button.text() == "Enable"
    assert not can_log_in(demo_path, "viewer", "demo")
    qtbot.mouseClick(screen.archive_button, Qt.MouseButton.LeftButton)
    settle(screen)
    assert screen.archive_button.text() == "Disable"  # read again, still selected
    assert can_log_in(demo_path, "viewer", "demo")


def test_an_admin_cannot_disable_themselves(screen: AccountsView, qtbot) -> None:
    select(screen, "hr")
    seen: list[str] = []

    def read(box: QDialog) -> None:
        seen.append(box.text())
        box.accept()

    with modal(read):
        qtbot.mouseClick(screen.archive_button, Qt.MouseButton.LeftButton)
        settle(screen)
    assert seen == ["You may not disable your own account"] or "own account" in seen[0]


def test_only_hr_admins_get_the_screen(open_window, demo_path: Path) -> None:
    actors = demo_actors(demo_path)
    for name in ("mentor", "viewer"):
        window = open_window(demo_path, actor=actors[name])
        names = [window.nav.item(i).text() for i in range(window.nav.count())]
        assert "Accounts" not in names, name


def test_failed_logins_are_listed_and_a_delay_cleared(
    open_window, demo_path: Path, qtbot, screenshot
) -> None:
    for _ in range(2):
        assert not can_log_in(demo_path, "viewer", "wrong password")
    window = open_window(demo_path, actor=demo_actors(demo_path)["hr"])
    window.show_page("accounts")
    screen: AccountsView = window._pages["accounts"]
    settle(screen)
    delays = screen.delays
    listed = [delays.model.row_at(r) for r in range(delays.model.rowCount())]
    assert [(r.username, r.failures) for r in listed] == [("viewer", 2)]
    delays.table.selectRow(0)
    screenshot(screen.window(), "accounts-failed-logins")
    qtbot.mouseClick(delays.clear_button, Qt.MouseButton.LeftButton)
    settle(screen)
    assert delays.model.rowCount() == 0 and delays.table.isHidden()  # read again: none
    assert delays.status.text() == "Cleared: the next login as viewer does not wait."
