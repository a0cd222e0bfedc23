"""Who is using the app: login at start, the first run, remember me, log out, switch
user, and the lock after an idle time.

The main window (``MainWindow(path, actor=None)``) shows at once; ``LoginSession.start``
then opens the database on the worker (``open_door``) and decides:

- a remembered login (a token in the OS keyring, ``core.secrets``) that the database
  still accepts: straight in;
- accounts exist: the login dialog (with "remember me on this computer" where a
  keyring works; skipped silently where it does not);
- no account and no records (a new database): the welcome page, where loading the
  sample data logs in as its demo HR admin and "Set up your company" first creates
  the HR admin, then opens the onboarding wizard;
- no account but records (a database from before accounts): the HR admin's dialog.

While someone is logged in, a button in the status bar offers "Change password…",
"Lock now", "Switch user…" and "Log out", and the window locks after the idle time
in QSettings (``security/lock_after_minutes``, default 10; 0 never): every window is
covered and the lock screen asks for the same user's password; someone else may
switch user from there. Leaving (log out or switch) ends the leaving user's
remembered login. The GUI only hides what a role may not use: the services refuse.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QToolButton, QWidget

from internhost.core import dto
from internhost.core.actor import Actor, Permission, Role
from internhost.gui.database import Clock, Database, Home
from internhost.gui.widgets.basics import label

if TYPE_CHECKING:
    from internhost.gui.dialogs.login import LoginDialog
    from internhost.gui.main_window import MainWindow
    from internhost.gui.ops import Ops

log = logging.getLogger(__name__)

LOCK_SETTING = "security/lock_after_minutes"
DEFAULT_LOCK_MINUTES = 10.0
#: The acting user before any account exists (the first run on a new database: the
#: welcome page, the sample data, the HR admin's dialog). Never used once one exists.
FIRST_RUN = Actor(Role.SYSTEM, "first run")
#: User input that counts as activity (resets the idle timer).
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)
DEMO_BANNER = (
    "Demo account “{username}” ({role}): this database holds fictional sample data. "
    "Every demo account's password is “demo”, so never enter real records here."
)


# -- on the worker


@dataclass(frozen=True)
class Door:
    """The database, opened before anyone logged in."""

    database: Database
    has_accounts: bool
    empty: bool
    #: The remembered login, when the keyring had one the database still accepts.
    remembered: dto.Login | None


def open_door(path: Path, clock: Clock = date.today) -> Door:
    """Open ``path`` and find out who may come in (on the worker: imports the ORM)."""
    from internhost.core.services import accounts
    from internhost.core.services.dashboard import is_empty

    # Not upgraded yet: nothing is written before someone has logged in (``enter``).
    database = Database.open(path, FIRST_RUN, clock, upgrade=False)
    try:
        has_accounts = accounts.any_accounts(database.factory)
        with database.reading() as s:
            empty = is_empty(s)
        # A token check writes (the login time): on an older file, ask for the password.
        remembered = _remembered_login(database) if has_accounts and not database.behind else None
        if not has_accounts:  # nobody can log in: the first run creates the HR admin
            database.admitted()
    except BaseException:
        database.close()
        raise
    return Door(database, has_accounts, empty, remembered)


def _remembered_login(database: Database) -> dto.Login | None:
    from internhost.core.errors import LoginFailed
    from internhost.core.services import accounts
    from internhost.core.storage import secrets

    stored = secrets.remembered_login(database.path)
    if stored is None:
        return None
    try:
        return accounts.log_in_with_token(database.factory, stored[1])
    except LoginFailed:
        secrets.forget_login(database.path)  # expired, revoked or disabled: ask
        return None


def enter(database: Database, login: dto.Login, remember: bool = False) -> tuple[Database, Home]:
    """Act as ``login``: remember it if asked (and a keyring works), run the start-of-day
    re-check and read the first screen, as ``open_home`` does for a fixed actor."""
    from internhost.core.storage.fs_check import network_filesystem

    database.actor = login.actor
    database.admitted()  # only now that someone has logged in
    notices = database.recover()
    if remember:
        remember_login(database, login)
    if login.actor.can(Permission.RUN_CHECKS):  # a viewer changes nothing, not even this
        database.sweep()
    home = replace(database.home(), location_warning=network_filesystem(database.path))
    return database, replace(home, notices=notices)


def remember_login(database: Database, login: dto.Login) -> bool:
    """A token for ``login`` in the OS keyring; False (and no token left behind) when
    no keyring works or it refuses."""
    import platform

    from internhost.core.services import accounts
    from internhost.core.storage import secrets

    if not secrets.keyring_usable():
        return False
    token = database.write(accounts.issue_token, platform.node()[:200])
    if secrets.remember_login(database.path, login.account.username, token):
        return True
    database.write(accounts.revoke_token, token)
    return False


def forget_login(database: Database, login: dto.Login) -> None:
    """End ``login``'s remembered login on this computer (its token revoked)."""
    from internhost.core.services import accounts
    from internhost.core.storage import secrets

    stored = secrets.remembered_login(database.path)
    if stored is None:
        return
    if stored[0] == login.account.username:
        try:
            database.write(accounts.revoke_token, stored[1])
        except Exception:  # the keyring entry goes anyway; the token expires by itself
            log.exception("could not revoke the remembered login")
        secrets.forget_login(database.path)


# -- on the GUI thread


class Curtain(QWidget):
    """Covers a window while the app is locked, so nothing behind it shows."""

    def __init__(self, target: QWidget) -> None:
        super().__init__(target)
        self.setObjectName("page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        text = label("InternHost is locked", "heading")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setParent(self)
        self._text = text
        self.target = target
        target.installEventFilter(self)
        self._fit()
        self.show()
        self.raise_()

    def _fit(self) -> None:
        self.setGeometry(self.target.rect())
        self._text.setGeometry(self.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.target and event.type() == QEvent.Type.Resize:
            self._fit()
        return False

    def remove(self) -> None:
        self.target.removeEventFilter(self)
        self.hide()
        self.deleteLater()


class IdleWatch(QObject):
    """Fires ``idle`` after ``interval_ms`` without keyboard, mouse or touch input.

    Input only notes the time (cheap: it runs for every event); the timer, when it
    fires early, waits out the rest of the interval since the last input.
    """

    idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._check)
        self.interval_ms = interval_ms
        self._watching = False
        self._last = time.monotonic()

    def start(self) -> None:
        if self.interval_ms <= 0:
            return
        if not self._watching:
            QApplication.instance().installEventFilter(self)
            self._watching = True
        self._last = time.monotonic()
        self.timer.start(self.interval_ms)

    def stop(self) -> None:
        self.timer.stop()
        if self._watching:
            QApplication.instance().removeEventFilter(self)
            self._watching = False

    def idle_ms(self) -> float:
        """How long since the last input (or the start)."""
        return (time.monotonic() - self._last) * 1000

    def _check(self) -> None:
        left = self.interval_ms - self.idle_ms()
        if left <= 0:
            self.idle.emit()
        else:
            self.timer.start(max(1, round(left)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self._last = time.monotonic()
        return False


def lock_after_ms(settings: QSettings | None = None) -> int:
    """The idle time before the lock, from QSettings (minutes; 0 or less: never)."""
    settings = settings if settings is not None else QSettings()
    try:
        minutes = float(settings.value(LOCK_SETTING, DEFAULT_LOCK_MINUTES))
    except (TypeError, ValueError):
        minutes = DEFAULT_LOCK_MINUTES
    return max(0, round(minutes * 60_000))


class LoginSession(QObject):
    """The logged-in user of one main window, and the login, lock and switch flows."""

    user_changed = Signal(object)
    """The acting user changed: a ``dto.Login``, or None after logging out."""
    locked_changed = Signal(bool)

    def __init__(self, window: MainWindow, *, settings: QSettings | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.database: Database | None = None
        self.login: dto.Login | None = None
        self.first_run = False
        self.dialog: LoginDialog | None = None
        self.curtains: list[Curtain] = []
        self._settings = settings
        self.idle = IdleWatch(lock_after_ms(settings), self)
        self.idle.idle.connect(self.lock)

        self.user_button = QToolButton()
        self.user_button.setObjectName("userButton")
        self.user_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.user_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.user_button.setAutoRaise(True)
        menu = QMenu(self.user_button)
        self.change_password_action = menu.addAction("Change password…", self.change_password)
        menu.addSeparator()
        self.lock_action = menu.addAction("Lock now", self.lock)
        self.lock_after_action = menu.addAction("Lock after idle time…", self.choose_lock_time)
        self.switch_action = menu.addAction("Switch user…", self.switch_user)
        self.logout_action = menu.addAction("Log out", self.log_out)
        self.user_button.setMenu(menu)
        self.user_button.hide()
        window.statusBar().addPermanentWidget(self.user_button)

    @property
    def locked(self) -> bool:
        return bool(self.curtains)

    @property
    def ops(self) -> Ops:
        """The window's reads and writes; it exists once the door opened."""
        assert self.window.ops is not None
        return self.window.ops

    # -- starting

    def start(self) -> None:
        """Open the database on the worker, then let the right person in."""
        window = self.window
        window.statusBar().showMessage("Opening…")
        window.runner.submit(
            open_door,
            window.db_path,
            window.clock,
            on_done=self._door_opened,
            on_error=window._open_failed,
        )

    def _door_opened(self, door: Door) -> None:
        self.window.statusBar().clearMessage()
        self.database = door.database
        self.window.adopt_database(door.database)
        if door.remembered is not None:
            self.enter(door.remembered)
        elif door.has_accounts:
            self.ask_login()
        elif door.empty:
            self._first_run()
        else:  # records, but nobody who may read them: the HR admin first
            self.window.loading_page.waiting("Create the HR admin to continue.")
            login = self._create_first_admin()
            if login is None:
                self.window.close()
            else:
                self.enter(login)

    def _first_run(self) -> None:
        assert self.database is not None
        self.first_run = True
        self.window.actor = self.database.actor = FIRST_RUN
        self.window._opened((self.database, Home(empty=True, dashboard=None)))

    # -- logging in

    def ask_login(
        self,
        *,
        intro: str = "",
        on_cancel: Callable[[], None] | None = None,
        on_login: Callable[[dto.Login, bool], None] | None = None,
    ) -> None:
        """The login dialog (non-blocking). ``on_login(login, remember)`` (default:
        ``enter``) once a user logged in; ``on_cancel`` (default: quit) if cancelled."""
        from internhost.core.storage import secrets
        from internhost.gui.dialogs.login import LoginDialog

        assert self.database is not None
        self.window.loading_page.waiting("Log in to open the database.")
        dialog = LoginDialog(
            self.ops,
            self.window,
            intro=intro or f"Database: {self.window.db_path}",
            can_remember=secrets.keyring_usable(),
            cancel_text="Quit" if on_cancel is None else "Cancel",
        )
        self.dialog = dialog

        def finished(result: int) -> None:
            self.dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted and dialog.login is not None:
                (on_login or self._enter_remembering)(dialog.login, dialog.remember_me)
            elif on_cancel is not None:
                on_cancel()
            else:
                self.window.close()

        dialog.finished.connect(finished)
        dialog.open()

    def _enter_remembering(self, login: dto.Login, remember: bool) -> None:
        self.enter(login, remember=remember)

    def enter(self, login: dto.Login, *, remember: bool = False) -> None:
        """Act as ``login`` from now on: every screen is built again for them."""
        assert self.database is not None
        self.first_run = False
        self._adopt(login)
        self.window.reset_for_user()
        self.window.loading_page.working("Opening the database…")
        self.window.runner.submit(
            enter,
            self.database,
            login,
            remember,
            label="Opening…",
            on_done=self.window._opened,
            on_error=self.window._open_failed,
        )

    def _adopt(self, login: dto.Login) -> None:
        assert self.database is not None
        self.login = login
        self.window.actor = self.database.actor = login.actor
        account = login.account
        self.user_button.setText(f"{account.shown_name} · {account.role_label}  ▾")
        self.user_button.setToolTip(f"Logged in as {account.username}")
        self.user_button.show()
        banner = self.window.demo_banner
        banner.setText(DEMO_BANNER.format(username=account.username, role=account.role_label))
        banner.setVisible(account.is_demo)
        self.idle.start()
        self.user_changed.emit(login)

    # -- the first run (no account yet)

    def _create_first_admin(self) -> dto.Login | None:
        from internhost.gui.dialogs.login import create_first_admin

        return create_first_admin(self.window, self.ops)

    def create_first_admin(self) -> bool:
        """Before the onboarding wizard on a new database: create the HR admin and act
        as them (the wizard follows); False when cancelled."""
        login = self._create_first_admin()
        if login is None:
            return False
        self.first_run = False
        self._adopt(login)
        return True

    def sample_loaded(self, home: Home) -> None:
        """The sample data (and its demo accounts) are in: log in as the demo HR admin."""
        from internhost.core.services import accounts

        assert self.database is not None
        self.ops.call(
            self,
            accounts.log_in,
            self.database.factory,
            "hr",
            accounts.DEMO_PASSWORD,
            done=self._demo_logged_in,
        )

    def _demo_logged_in(self, login: dto.Login) -> None:
        self.window.welcome_page.set_busy(False)
        self.enter(login)

    # -- leaving, switching, locking

    def choose_lock_time(self) -> None:
        """How long without input before the window locks (QSettings; 0: never)."""
        from PySide6.QtWidgets import QInputDialog

        minutes, ok = QInputDialog.getInt(
            self.window,
            "Lock after idle time",
            "Minutes without keyboard or mouse input before InternHost locks (0: never):",
            round(self.idle.interval_ms / 60_000),
            0,
            480,
        )
        if not ok:
            return
        settings = self._settings if self._settings is not None else QSettings()
        settings.setValue(LOCK_SETTING, minutes)
        self.idle.interval_ms = minutes * 60_000
        if minutes:
            self.idle.start()
        else:
            self.idle.stop()

    def change_password(self) -> None:
        from internhost.core.storage import secrets
        from internhost.gui.dialogs.login import change_own_password

        if self.database is None or self.login is None:
            return
        if change_own_password(self.window, self.ops):
            secrets.forget_login(self.database.path)  # its token was revoked with the rest
            self.window.statusBar().showMessage("Your password was changed.", 6000)

    def log_out(self) -> None:
        """End this user's session (and remembered login); ask who comes next."""
        if self.database is None or self.login is None:
            return
        self._leave()
        self._after_dialogs(
            lambda: self.ask_login(intro=f"Logged out. Database: {self.window.db_path}")
        )

    def switch_user(self) -> None:
        """Someone else logs in; cancelling keeps (or re-locks for) the current user.
        The current user's windows stay covered meanwhile, and close once another
        user logged in."""
        if self.database is None or self.login is None or self.dialog is not None:
            return
        was_locked = self.locked
        self.idle.timer.stop()
        self._show_curtains()

        def cancelled() -> None:
            if was_locked:
                self.lock()
            else:
                self._unlock()

        def logged_in(login: dto.Login, remember: bool) -> None:
            assert self.login is not None
            if login.account.id == self.login.account.id:
                self._unlock()  # the same user again: nothing closes
                return
            self._leave()
            self._after_dialogs(lambda: self.enter(login, remember=remember))

        self.ask_login(
            intro="Switch user: the current user's windows close when you log in.",
            on_cancel=cancelled,
            on_login=logged_in,
        )

    def _leave(self) -> None:
        assert self.database is not None and self.login is not None
        # On the worker, before whatever the next user asks of it (one thread, in order).
        self.window.runner.submit(forget_login, self.database, self.login)
        self.login = None
        self.idle.stop()
        self.user_button.hide()
        self.window.demo_banner.hide()
        self.window.actor = None
        self.user_changed.emit(None)

    def lock(self) -> None:
        """Cover every window and ask the same user's password (others may switch)."""
        from internhost.gui.dialogs.login import LoginDialog

        if self.database is None or self.login is None or self.dialog is not None:
            return
        self.idle.timer.stop()
        self._show_curtains()
        account = self.login.account
        dialog = LoginDialog(
            self.ops,
            self.window,
            username=account.username,
            title="InternHost is locked",
            intro=f"Locked for {account.shown_name}. Type your password to go on, or switch user.",
        )
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.dialog = dialog
        self.locked_changed.emit(True)

        def finished(result: int) -> None:
            self.dialog = None
            dialog.deleteLater()
            if result == QDialog.DialogCode.Accepted:
                self._unlock()

        dialog.switch_requested.connect(lambda: QTimer.singleShot(0, self.switch_user))
        dialog.logout_requested.connect(lambda: QTimer.singleShot(0, self.log_out))
        dialog.finished.connect(finished)
        dialog.open()

    def _unlock(self) -> None:
        self._remove_curtains()
        self.idle.start()
        self.locked_changed.emit(False)

    def _show_curtains(self) -> None:
        if self.curtains:
            return
        for widget in QApplication.topLevelWidgets():
            if widget.isVisible() and widget is not self.dialog and widget.isWindow():
                if isinstance(widget, QMenu):
                    widget.close()
                    continue
                self.curtains.append(Curtain(widget))

    def _remove_curtains(self) -> None:
        for curtain in self.curtains:
            curtain.remove()
        self.curtains = []

    def _open_dialogs(self) -> list[QDialog]:
        return [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and w is not self.dialog
        ]

    def _reject_dialogs(self) -> None:
        """Close them as cancelled; an editing dialog asks nothing (another user is
        taking over, and its edits are not theirs to keep)."""
        from internhost.gui.dialogs.base import BaseDialog

        for dialog in self._open_dialogs():
            if isinstance(dialog, BaseDialog):
                dialog.discard()
            else:
                dialog.reject()

    def _after_dialogs(self, then: Callable[[], None]) -> None:
        """Close the other dialogs, wait until their event loops have unwound, drop the
        screens built for the last user, then run ``then``."""
        self._reject_dialogs()

        def check() -> None:
            if self._open_dialogs():
                self._reject_dialogs()
                QTimer.singleShot(10, check)
                return
            self._remove_curtains()
            self.window.reset_for_user()
            then()

        QTimer.singleShot(0, check)

    def stop(self) -> None:
        """The window closes: stop watching for idleness."""
        self.idle.stop()
        self._remove_curtains()
