"""Logging in: the login dialog (with "remember me on this computer"), the lock screen
(the same user's password; others may switch user), the first HR admin's dialog and
changing one's own password.

The dialogs decide nothing: ``services.accounts`` checks the password and the policy,
and its messages show beside the fields. A login dialog opens with ``open()`` (not
``exec()``): the app keeps running behind it, and ``finished`` reports the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from internhost.core import dto
from internhost.core.errors import (
    DomainError,
    FieldError,
    LoginFailed,
    LoginThrottled,
    ValidationError,
)
from internhost.gui.dialogs.record import RecordDialog, edit_with_form
from internhost.gui.ops import Ops
from internhost.gui.theme import icon
from internhost.gui.widgets import fields
from internhost.gui.widgets.basics import button, label, shown
from internhost.gui.widgets.fields import Field, FieldForm, TextInput

REMEMBER_TEXT = "Remember me on this computer"
#: Password dialogs: room for the policy and any errors beside the fields.
FORM_SIZE = (580, 380)
REMEMBER_HELP = (
    "Keeps a login token in this computer's keyring for 30 days, so InternHost opens "
    "without asking. Leave it off on a shared computer."
)


class PasswordInput(TextInput):
    """A one-line field whose text is hidden."""

    def __init__(self) -> None:
        super().__init__()
        self._edit.setEchoMode(QLineEdit.EchoMode.Password)


def password_field(name: str, caption: str, **kw: Any) -> Field:
    return Field(name, caption, PasswordInput, **kw)


def _password_edit(placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setPlaceholderText(placeholder)
    return edit


class LoginDialog(QDialog):
    """User name, password and "remember me"; ``login`` is set once the service
    accepted them. ``username`` given: that user only (the lock screen)."""

    switch_requested = Signal()
    """The lock screen's "Switch user…": someone else wants the computer."""
    logout_requested = Signal()

    def __init__(
        self,
        ops: Ops,
        parent: QWidget | None = None,
        *,
        username: str | None = None,
        title: str = "Log in to InternHost",
        intro: str = "",
        can_remember: bool = False,
        cancel_text: str = "Quit",
        log_in: Callable[[str, str], dto.Login] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.ops = ops
        self.locked_to = username
        self._checking = False
        self.login: dto.Login | None = None
        self._log_in = log_in or self._service_log_in

        logo = label()
        logo.setPixmap(icon("lock" if username else "internhost").pixmap(36, 36))
        heading = label(title, "title")
        top = QHBoxLayout()
        top.setSpacing(12)
        top.addWidget(logo)
        top.addWidget(heading, 1)

        self.user = QLineEdit(username or "")
        self.user.setObjectName("username")
        self.user.setPlaceholderText("user name")
        self.user.setReadOnly(username is not None)
        self.password = _password_edit("password")
        self.password.setObjectName("password")
        self.remember = QCheckBox(REMEMBER_TEXT)
        self.remember.setToolTip(REMEMBER_HELP)
        shown(self.remember, can_remember)
        self.can_remember = can_remember
        self.error = label(role="error", wrap=True)
        self.error.setObjectName("loginError")
        self.error.hide()

        form = QFormLayout()
        form.setHorizontalSpacing(14)
        form.setVerticalSpacing(10)
        form.addRow("User name", self.user)
        form.addRow("Password", self.password)
        form.addRow("", self.remember)

        self.ok_button = button("Unlock" if username else "Log in", "primary", self.accept)
        self.ok_button.setDefault(True)
        self.cancel_button = button(cancel_text, "secondary", self.reject)
        self.switch_button = button("Switch user…", "secondary", self._switch)
        shown(self.switch_button, username is not None)
        self.logout_button = button("Log out", "secondary", self._logout)
        shown(self.logout_button, username is not None)
        shown(self.cancel_button, username is None)
        buttons = QHBoxLayout()
        buttons.addWidget(self.switch_button)
        buttons.addWidget(self.logout_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.ok_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 22, 26, 18)
        layout.setSpacing(12)
        layout.addLayout(top)
        if intro:
            layout.addWidget(label(intro, "muted", wrap=True))
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addSpacing(4)
        layout.addLayout(buttons)
        self.setMinimumWidth(460)
        (self.password if username else self.user).setFocus()

    def _service_log_in(self, username: str, password: str) -> dto.Login:
        from internhost.core.services import accounts

        # The app never sleeps on a throttled name: it counts down (``LoginThrottled``).
        return accounts.log_in(self.ops.database.factory, username, password, wait=False)

    def _hold_back(self, seconds: int) -> None:
        """Keep the button off while a throttled name waits, counting down on it."""
        label_text = self.ok_button.text()
        left = [seconds]

        def tick() -> None:
            left[0] -= 1
            if left[0] <= 0:
                timer.stop()
                self.ok_button.setText(label_text)
                self.ok_button.setEnabled(True)
                self.error.hide()
            else:
                self.ok_button.setText(f"{label_text} ({left[0]} s)")

        self.ok_button.setEnabled(False)
        self.ok_button.setText(f"{label_text} ({seconds} s)")
        timer = QTimer(self)
        timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse one may end early
        timer.timeout.connect(tick)
        timer.start(1000)

    def show_error(self, text: str) -> None:
        self.error.setText(text[:1].upper() + text[1:])
        self.error.show()

    def accept(self) -> None:
        """Check the password on the worker (hashing takes a while); busy meanwhile."""
        if self._checking:
            return
        username, password = self.user.text().strip(), self.password.text()
        if not username or not password:
            self.show_error("Type your user name and password.")
            (self.password if username else self.user).setFocus()
            return
        self._set_checking(True)
        self.ops.call(
            self, self._log_in, username, password, done=self._accepted, failed=self._refused
        )

    def _set_checking(self, checking: bool) -> None:
        self._checking = checking
        self.ok_button.setEnabled(not checking)
        if checking:
            QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        else:
            QGuiApplication.restoreOverrideCursor()

    @property
    def checking(self) -> bool:
        return self._checking

    def _accepted(self, login: dto.Login) -> None:
        self._set_checking(False)
        if self.locked_to is not None and login.account.username != self.locked_to:
            self.show_error("That is another user: use Switch user.")
            return
        self.login = login
        self.password.clear()
        super().accept()

    def _refused(self, exc: BaseException) -> None:
        self._set_checking(False)
        if isinstance(exc, LoginThrottled):
            self.show_error(f"{exc}.")
            self._hold_back(exc.seconds)
        elif isinstance(exc, LoginFailed):
            self.password.clear()
            self.password.setFocus()
            self.show_error(f"{exc}.")
        elif isinstance(exc, DomainError):
            self.show_error(str(exc))
        else:
            raise exc

    def reject(self) -> None:
        if not self._checking:  # the answer would find no dialog
            super().reject()

    def _switch(self) -> None:
        self.switch_requested.emit()
        super().reject()

    def _logout(self) -> None:
        self.logout_requested.emit()
        super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # The lock screen does not go away with Escape.
        if self.locked_to is not None and event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.locked_to is not None and self.login is None:
            event.ignore()  # nor with the window's close button
            return
        super().closeEvent(event)

    @property
    def remember_me(self) -> bool:
        return self.can_remember and self.remember.isChecked()


# -- the first HR admin, and passwords


def same_password(
    values: dict[str, Any], username: str = "", *, demo: bool = False, field: str = "password"
) -> None:
    """The password typed twice differs: say so, with what the policy says of it (the
    service checks everything else when it is called)."""
    from internhost.core.services.accounts import password_problems

    if values[field] == values[f"{field}_again"]:
        return
    errors = [FieldError(field, p) for p in password_problems(values[field], username, demo=demo)]
    errors.append(FieldError(f"{field}_again", "does not match the password above"))
    raise ValidationError(errors)


def first_admin_fields() -> list[Field]:
    from internhost.core.services.accounts import PASSWORD_POLICY, USERNAME_RULE

    return [
        fields.text("display_name", "Your name", placeholder="e.g. Angela Ortiz"),
        fields.text("username", "User name", help=f"To log in with: {USERNAME_RULE}."),
        password_field("password", "Password", help=PASSWORD_POLICY),
        password_field("password_again", "Password again"),
    ]


FIRST_ADMIN_INTRO = (
    "Nobody can open this database yet. Create the HR admin's account: the HR admin "
    "sees and manages everything, including the other accounts (mentors and viewers)."
)


def create_first_admin(parent: QWidget | None, ops: Ops) -> dto.Login | None:
    """Ask for the first HR admin's name, user name and password (twice), create the
    account and log it in (on the worker); None when cancelled."""
    from internhost.core.services import accounts

    database = ops.database

    def save(values: dict[str, Any]) -> dto.Login:
        same_password(values, values["username"])
        row = accounts.bootstrap_admin(
            database.factory, values["username"], values["password"], values["display_name"]
        )
        return accounts.log_in(database.factory, row.username, values["password"])

    form = FieldForm(first_admin_fields())
    dialog = RecordDialog(
        "Create the HR admin",
        form,
        form.values,
        save,
        form.show_errors,
        parent,
        ops=ops,
        changes={"account"},
        intro=FIRST_ADMIN_INTRO,
        save_text="Create and log in",
    )
    dialog.setObjectName("firstAdminDialog")
    dialog.resize(600, 470)  # room for the policy and any errors beside the fields
    return dialog.run()


def change_own_password(parent: QWidget | None, ops: Ops) -> bool:
    """The acting user changes their password (the current one first); True when done."""
    from internhost.core.services import accounts

    database = ops.database

    def save(values: dict[str, Any]) -> dto.AccountRow:
        same_password(values)
        return database.write(
            accounts.change_own_password, values["current_password"], values["password"]
        )

    form = FieldForm(
        [
            password_field("current_password", "Current password"),
            password_field("password", "New password", help=accounts.PASSWORD_POLICY),
            password_field("password_again", "New password again"),
        ]
    )
    intro = "Your remembered logins on every computer end: log in again with the new password."
    changed = edit_with_form(
        parent,
        "Change your password",
        form,
        save,
        ops=ops,
        changes={"account"},
        intro=intro,
        size=FORM_SIZE,
    )
    return changed is not None


def reset_password(parent: QWidget | None, ops: Ops, account: dto.AccountRow) -> bool:
    """An HR admin gives ``account`` a new password (saved on the database worker);
    True when done."""
    from internhost.core.services import accounts

    database = ops.database

    def save(values: dict[str, Any]) -> dto.AccountRow:
        same_password(values, account.username, demo=account.is_demo)
        return database.write(accounts.reset_password, account.id, values["password"])

    policy = (
        "Demo accounts are exempt from the policy." if account.is_demo else accounts.PASSWORD_POLICY
    )
    form = FieldForm(
        [
            password_field("password", "New password", help=policy),
            password_field("password_again", "New password again"),
        ]
    )
    intro = (
        f"A new password for {account.shown_name} ({account.username}). Tell them in "
        "person; their remembered logins end."
    )
    return (
        edit_with_form(
            parent,
            "Reset password",
            form,
            save,
            ops=ops,
            changes={"account"},
            intro=intro,
            size=FORM_SIZE,
        )
        is not None
    )
