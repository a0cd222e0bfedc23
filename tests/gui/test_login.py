"""Logging in to the app: the first HR admin before the onboarding wizard, the sample
data's demo login and banner, the login dialog, remember me (a token in the
keyring), lock after idle, switch user, log out — each screen saved as a PNG.

The app's window is ``MainWindow(path, actor=None)``: its ``Session`` logs someone in
when the database opens. Modal dialogs that block (``exec``) are driven from a timer
scheduled before the action that opens them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from dialogs import modal, settle
from PySide6.QtCore import QElapsedTimer, QSettings, Qt, QTimer
from PySide6.QtWidgets import QDialog, QLineEdit, QWidget
from shiboken6 import isValid

from internhost.core.actor import SYSTEM, Role
from internhost.core.services import accounts, setup
from internhost.core.storage import secrets
from internhost.gui.database import Database
from internhost.gui.dialogs.login import LoginDialog
from internhost.gui.login_session import LOCK_SETTING, Curtain
from internhost.gui.main_window import MainWindow
from internhost.gui.settings import UiSettings
from internhost.gui.widgets.fields import FieldForm

ADMIN_PASSWORD = "correct horse battery"


@pytest.fixture
def app_window(qtbot, ui_settings: UiSettings, sample_today) -> Callable[..., MainWindow]:
    """The app's window on ``path``, nobody logged in; its database opening."""

    def make(path: Path) -> MainWindow:
        window = MainWindow(path, actor=None, clock=lambda: sample_today, settings=ui_settings)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        window.open_database()
        return window

    return make


def login_dialog(qtbot, window: MainWindow) -> LoginDialog:
    qtbot.waitUntil(lambda: window.login_session.dialog is not None, timeout=20_000)
    dialog = window.login_session.dialog
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def log_in(qtbot, dialog: LoginDialog, user: str, password: str, *, remember: bool = False):
    dialog.user.setText(user)
    dialog.password.setText(password)
    dialog.remember.setChecked(remember)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(dialog)  # the password is checked on the database worker


def fill(dialog: QWidget, **values: str) -> FieldForm:
    form = dialog.findChild(FieldForm)
    for name, value in values.items():
        form.input(name).set_value(value)
    return form


def user_of(window: MainWindow) -> str | None:
    login = window.login_session.login
    return None if login is None else login.account.username


def accounts_in(path: Path) -> list[str]:
    database = Database.open(path, SYSTEM)
    try:
        return [r.username for r in database.read(accounts.list_accounts)]
    finally:
        database.close()


# -- the first run


def test_the_first_run_creates_the_hr_admin_before_the_wizard(
    app_window, db_path: Path, qtbot, screenshot
) -> None:
    window = app_window(db_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        pass
    assert window.current_page == "welcome"
    assert window.login_session.first_run and window.login_session.login is None
    assert window.welcome_page.load_button.isVisibleTo(window)  # no account yet
    shots: list[Path] = []

    def refuse_then_create(dialog: QDialog) -> None:
        assert dialog.objectName() == "firstAdminDialog"
        fill(dialog, display_name="Angela Ortiz", username="angela", password="short")
        fill(dialog, password_again="different")
        dialog.accept()  # the service's policy and the repeat, beside their fields
        settle(dialog)
        form = dialog.findChild(FieldForm)
        assert "at least 10 characters" in form.error_text("password")
        assert form.error_text("password_again") == "Does not match the password above"
        shots.append(screenshot(dialog, "first-run-admin-errors"))
        fill(dialog, password=ADMIN_PASSWORD, password_again=ADMIN_PASSWORD)
        shots.append(screenshot(dialog, "first-run-admin"))
        dialog.accept()

    def close_wizard(dialog: QDialog) -> None:
        assert window.login_session.login is not None  # logged in before the wizard opened
        dialog.reject()

    with modal(refuse_then_create, close_wizard) as done:
        window.open_setup_wizard()
    assert len(done) == 2
    qtbot.waitUntil(lambda: window.wizard is None, timeout=20_000)
    login = window.login_session.login
    assert login is not None and login.account.username == "angela"
    assert login.actor.role is Role.HR_ADMIN and window.actor == login.actor
    assert accounts_in(db_path) == ["angela"]
    assert not window.login_session.first_run
    assert all(p.exists() for p in shots)


def test_sample_data_logs_in_as_the_demo_hr_admin_with_a_banner(
    app_window, db_path: Path, qtbot, screenshot
) -> None:
    window = app_window(db_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        pass
    screenshot(window, "first-run-welcome")
    with qtbot.waitSignal(window.ready, timeout=90_000):
        qtbot.mouseClick(window.welcome_page.load_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.current_page == "dashboard", timeout=20_000)
    login = window.login_session.login
    assert login is not None and (login.account.username, login.account.is_demo) == ("hr", True)
    assert window.demo_banner.isVisibleTo(window)
    assert "demo" in window.demo_banner.text() and "fictional" in window.demo_banner.text()
    assert window.login_session.user_button.isVisibleTo(window)
    screenshot(window, "demo-banner")
    assert sorted(accounts_in(db_path)) == ["hr", "mentor", "viewer"]


def test_a_database_with_records_but_no_account_asks_for_the_admin_at_once(
    app_window, db_path: Path, qtbot
) -> None:
    database = Database.open(db_path, SYSTEM)
    try:
        database.write(setup.save_employer, setup.EmployerInput("Prairie Forge Works"))
    finally:
        database.close()

    def create(dialog: QDialog) -> None:
        fill(
            dialog,
            display_name="Ada",
            username="ada",
            password=ADMIN_PASSWORD,
            password_again=ADMIN_PASSWORD,
        )
        dialog.accept()

    with modal(create):
        window = app_window(db_path)
        with qtbot.waitSignal(window.ready, timeout=30_000):
            pass
    assert window.login_session.login.account.username == "ada"
    assert window.current_page in {"dashboard", "setup"}


# -- logging in


def test_the_login_dialog_refuses_then_admits(
    app_window, demo_path: Path, qtbot, screenshot
) -> None:
    window = app_window(demo_path)
    dialog = login_dialog(qtbot, window)
    assert window.current_page == "loading"  # nothing of the database shows yet
    page = window.loading_page  # and nothing busy moves behind the dialog: it waits for us
    assert page.message.text() == "Log in to open the database."
    assert not page.bar.isVisibleTo(page)
    assert window.nav.count() == 0 or not window.nav.item(0).flags() & Qt.ItemFlag.ItemIsEnabled
    assert dialog.remember.isVisibleTo(dialog)  # the test keyring works
    log_in(qtbot, dialog, "hr", "wrong password")
    assert dialog.isVisible() and dialog.login is None
    assert dialog.error.text() == "Unknown user or wrong password."
    assert dialog.password.text() == ""
    log_in(qtbot, dialog, "nobody", "demo")
    assert dialog.error.text() == "Unknown user or wrong password."
    dialog.user.setText("hr")
    screenshot(dialog, "login")
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, dialog, "hr", "demo")
    assert window.actor.role is Role.HR_ADMIN
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Accounts" in names and "Backups" in names


def test_a_mentor_gets_their_screens_only(app_window, demo_path: Path, qtbot) -> None:
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "mentor", "demo")
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Accounts" not in names and "Backups" not in names
    window.show_page("interns")
    model = window.interns_view.model
    qtbot.waitUntil(lambda: model.rowCount() > 0, timeout=10_000)
    assert 0 < model.rowCount() < 24
    assert window.demo_banner.isVisibleTo(window)
    assert "mentor" in window.demo_banner.text()


def test_quitting_the_login_dialog_closes_the_window(app_window, demo_path: Path, qtbot) -> None:
    window = app_window(demo_path)
    dialog = login_dialog(qtbot, window)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10_000)
    assert window.login_session.login is None


# -- remember me


def test_remember_me_keeps_a_token_in_the_keyring(app_window, demo_path: Path, qtbot) -> None:
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "viewer", "demo", remember=True)
    stored = secrets.remembered_login(demo_path)
    assert stored is not None and stored[0] == "viewer" and len(stored[1]) >= 40
    window.close()

    again = app_window(demo_path)  # no dialog: straight in as the remembered user
    with qtbot.waitSignal(again.ready, timeout=20_000):
        pass
    assert again.login_session.login.account.username == "viewer"
    assert again.login_session.dialog is None

    again.login_session.log_out()  # the remembered login ends with the session
    dialog = login_dialog(qtbot, again)
    assert again.runner.settle()  # the token is forgotten on the database worker
    assert secrets.remembered_login(demo_path) is None
    assert again.current_page == "loading" and again.login_session.login is None
    assert not again.login_session.user_button.isVisibleTo(again)
    database = Database.open(demo_path, SYSTEM)
    try:
        from internhost.core.errors import LoginFailed

        with pytest.raises(LoginFailed):
            accounts.log_in_with_token(database.factory, stored[1])
    finally:
        database.close()
    dialog.reject()


def test_remember_me_is_skipped_silently_where_the_keyring_fails(
    app_window, demo_path: Path, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = secrets._working_backend

    class Refusing:
        def __init__(self, backend: Any) -> None:
            self.backend = backend

        def set_password(self, service: str, user: str, value: str) -> None:
            if service == secrets.LOGIN_SERVICE:
                raise RuntimeError("the keyring is locked")
            self.backend.set_password(service, user, value)

        def __getattr__(self, name: str) -> Any:
            return getattr(self.backend, name)

    monkeypatch.setattr(secrets, "_working_backend", lambda: Refusing(real()))
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "hr", "demo", remember=True)
    assert window.login_session.login.account.username == "hr"
    assert secrets.remembered_login(demo_path) is None


# -- lock, switch user, log out


@pytest.fixture
def quick_lock() -> None:
    QSettings().setValue(LOCK_SETTING, 0.004)  # about a quarter of a second


def test_the_window_locks_after_idle_time(
    quick_lock, app_window, demo_path: Path, qtbot, screenshot
) -> None:
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "hr", "demo")
    qtbot.waitUntil(lambda: window.login_session.locked, timeout=10_000)
    lock = window.login_session.dialog
    assert lock is not None and lock.locked_to == "hr"
    assert lock.user.isReadOnly() and lock.user.text() == "hr"
    curtain = window.findChild(Curtain)
    assert curtain is not None and curtain.geometry() == window.rect()
    screenshot(window, "locked-window")
    screenshot(lock, "lock-screen")
    lock.password.setText("wrong")
    qtbot.mouseClick(lock.ok_button, Qt.MouseButton.LeftButton)
    settle(lock)
    assert window.login_session.locked and "wrong password" in lock.error.text()
    lock.password.setText("demo")
    qtbot.mouseClick(lock.ok_button, Qt.MouseButton.LeftButton)
    settle(lock)
    assert not window.login_session.locked
    assert window.findChild(Curtain) is None or not window.findChild(Curtain).isVisible()
    assert window.login_session.login.account.username == "hr"
    # Idle again: locked again (the timer restarted).
    qtbot.waitUntil(lambda: window.login_session.locked, timeout=10_000)


def test_activity_keeps_the_window_unlocked(app_window, demo_path: Path, qtbot) -> None:
    """Keyboard or mouse input restarts the idle timer (measured on the timer, so a
    busy machine cannot make it flaky)."""
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "hr", "demo")
    watch = window.login_session.idle
    assert watch.timer.isActive() and watch.interval_ms == 10 * 60_000
    for give_input in (
        lambda: qtbot.keyClick(window.nav, Qt.Key.Key_Down),
        lambda: qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton),
    ):
        qtbot.wait(300)
        assert watch.idle_ms() >= 250
        since = QElapsedTimer()
        since.start()
        give_input()  # may open another screen, which takes its time
        # Started over at the input: idle no longer than the time since just before it.
        assert watch.idle_ms() <= since.elapsed() + 5
    assert not window.login_session.locked


def test_someone_else_switches_user_from_the_lock_screen(
    app_window, demo_path: Path, qtbot, screenshot
) -> None:
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "hr", "demo", remember=True)
    window.show_page("accounts")
    window.login_session.lock()
    lock = window.login_session.dialog
    qtbot.mouseClick(lock.switch_button, Qt.MouseButton.LeftButton)
    dialog = login_dialog(qtbot, window)
    assert dialog is not lock and dialog.locked_to is None
    assert window.login_session.locked  # the HR admin's screens stay covered meanwhile
    screenshot(dialog, "switch-user")
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, dialog, "mentor", "demo")
    assert not window.login_session.locked
    assert window.login_session.login.account.username == "mentor"
    assert window.actor.role is Role.MENTOR
    assert "accounts" not in window._pages  # the HR admin's screens are gone
    names = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert "Accounts" not in names
    assert secrets.remembered_login(demo_path) is None  # hr's ended when hr left


def test_cancelling_a_switch_from_the_lock_screen_locks_again(
    app_window, demo_path: Path, qtbot
) -> None:
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "hr", "demo")
    window.login_session.lock()
    qtbot.mouseClick(window.login_session.dialog.switch_button, Qt.MouseButton.LeftButton)
    dialog = login_dialog(qtbot, window)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.login_session.dialog is not None, timeout=5_000)
    assert window.login_session.locked and window.login_session.dialog.locked_to == "hr"


def test_switch_user_from_the_menu_closes_open_dialogs(app_window, demo_path: Path, qtbot) -> None:
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "hr", "demo")
    window.show_page("accounts")
    view = window._pages["accounts"]
    seen: dict[str, Any] = {}

    def in_the_editor(editor: QDialog) -> None:
        seen["editor"] = editor
        window.login_session.switch_action.trigger()
        QTimer.singleShot(50, lambda: log_in(qtbot, window.login_session.dialog, "viewer", "demo"))

    with modal(in_the_editor):
        view.new_record()  # the New account dialog is open when the user switches
    qtbot.waitUntil(lambda: user_of(window) == "viewer", timeout=20_000)
    editor = seen["editor"]  # closed (and gone with the HR admin's screens)
    qtbot.waitUntil(lambda: not isValid(editor) or not editor.isVisible(), timeout=5_000)
    qtbot.waitUntil(lambda: window.current_page != "loading", timeout=20_000)
    assert window.actor.role is Role.VIEWER


def test_log_out_shows_the_login_and_nothing_else(app_window, demo_path: Path, qtbot) -> None:
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "hr", "demo")
    window.login_session.logout_action.trigger()
    dialog = login_dialog(qtbot, window)
    assert window.current_page == "loading" and window.actor is None
    assert window.interns_view is None and set(window._pages) == {"loading"}
    assert "Logged out" in " ".join(w.text() for w in dialog.findChildren(type(dialog.error)))
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, dialog, "viewer", "demo")
    assert window.actor.role is Role.VIEWER


def test_change_own_password(app_window, demo_path: Path, qtbot) -> None:
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "viewer", "demo")

    def change(dialog: QDialog) -> None:
        fill(dialog, current_password="demo", password="a new phrase", password_again="x")
        dialog.accept()
        settle(dialog)
        assert "Does not match" in dialog.findChild(FieldForm).error_text("password_again")
        fill(dialog, password_again="a new phrase")
        dialog.accept()

    with modal(change):
        window.login_session.change_password_action.trigger()
    database = Database.open(demo_path, SYSTEM)
    try:
        assert accounts.log_in(database.factory, "viewer", "a new phrase")
    finally:
        database.close()


def test_password_fields_hide_what_is_typed(app_window, demo_path: Path, qtbot) -> None:
    window = app_window(demo_path)
    dialog = login_dialog(qtbot, window)
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
    dialog.reject()


# -- the app as a process (as the startup benchmark starts it)


def _start_app(path: Path, tmp_path: Path) -> str:
    import os
    import subprocess
    import sys

    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        INTERNHOST_BENCH_IDLE="ready",
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "internhost", "--db", str(path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line.startswith("ready ")][-1]


def test_a_remembered_login_opens_the_app_without_asking(demo_path: Path, tmp_path: Path) -> None:
    from internhost.gui.login_session import remember_login

    assert _start_app(demo_path, tmp_path) == "ready -"  # nobody remembered: the dialog
    database = Database.open(demo_path, SYSTEM)
    try:
        login = accounts.log_in(database.factory, "mentor", "demo")
        database.actor = login.actor
        with ThreadPoolExecutor(1) as worker:  # where the app calls it: not the GUI thread
            assert worker.submit(remember_login, database, login).result()
    finally:
        database.close()
    assert _start_app(demo_path, tmp_path) == "ready mentor"


def test_the_idle_time_is_a_setting(app_window, demo_path: Path, qtbot) -> None:
    window = app_window(demo_path)
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, login_dialog(qtbot, window), "hr", "demo")
    assert window.login_session.idle.interval_ms == 10 * 60_000  # the default
    assert window.login_session.idle.timer.isActive()

    def never(dialog: QDialog) -> None:
        dialog.setIntValue(0)
        dialog.accept()

    with modal(never):
        window.login_session.lock_after_action.trigger()
    assert float(QSettings().value(LOCK_SETTING)) == 0
    assert not window.login_session.idle.timer.isActive()


def test_repeated_failures_count_down_instead_of_freezing(
    app_window, demo_path: Path, qtbot, login_waits: list[float]
) -> None:
    window = app_window(demo_path)
    dialog = login_dialog(qtbot, window)
    for _ in range(6):  # five free failures, then the sixth starts the wait
        dialog.user.setText("viewer")
        dialog.password.setText("not it")
        dialog.accept()
        settle(dialog)
    assert "try again in" in dialog.error.text()
    assert not dialog.ok_button.isEnabled() and "s)" in dialog.ok_button.text()
    assert login_waits == []  # the app never sleeps on the GUI thread
    qtbot.waitUntil(dialog.ok_button.isEnabled, timeout=5000)
    assert dialog.ok_button.text() == "Log in"
    with qtbot.waitSignal(window.ready, timeout=20_000):
        log_in(qtbot, dialog, "viewer", "demo")
    assert window.actor.role is Role.VIEWER


def test_the_password_is_checked_on_the_worker_once_per_attempt(
    app_window, demo_path: Path, qtbot
) -> None:
    """Hashing a password takes a while: the window stays responsive, and a second click
    while the first is checked does not log in twice."""
    window = app_window(demo_path)
    dialog = login_dialog(qtbot, window)
    real = dialog._log_in
    threads: list[bool] = []

    def counted(user: str, password: str) -> Any:
        threads.append(threading.current_thread() is threading.main_thread())
        return real(user, password)

    dialog._log_in = counted
    dialog.user.setText("hr")
    dialog.password.setText("demo")
    with qtbot.waitSignal(window.ready, timeout=20_000):
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        assert dialog.checking and not dialog.ok_button.isEnabled()
        dialog.accept()  # a double click: ignored while the first is checked
        dialog.reject()  # and Quit waits for the answer too
    assert threads == [False]  # once, and not on the GUI thread
    assert user_of(window) == "hr"
