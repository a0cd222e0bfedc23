"""The Accounts screen (HR admins): who may log in, as which role; create accounts,
disable (and enable) them, reset passwords.

A ``RecordsView`` over ``services.accounts``: "New account" opens the account form,
"Reset password…" (or a double-click) the reset form, and "Disable"/"Enable" take
the place of archive and restore. The services refuse what the role may not do; the
screen is only offered to HR admins.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QWidget

from internhost.core import dto
from internhost.core.actor import Permission
from internhost.core.services import accounts
from internhost.core.trail import login_guard
from internhost.gui.dialogs.login import password_field, reset_password, same_password
from internhost.gui.dialogs.record import edit_with_form
from internhost.gui.formatting import DASH, short_date
from internhost.gui.models.columns import Column, Pill, RowsModel
from internhost.gui.ops import Ops
from internhost.gui.widgets import fields
from internhost.gui.widgets.basics import Card, button, label, shown
from internhost.gui.widgets.fields import FieldForm
from internhost.gui.widgets.records import Archiving, RecordKind, RecordsView, Saved
from internhost.gui.widgets.tables import columns_table

ROLE_HELP = {
    "hr_admin": "Everything: records, imports, accounts, backups and the audit trail.",
    "mentor": "Only their own interns (age band, no birth date, address, guardians, "
    "medical notes or school records). Logs their check-ins and time, approves hours "
    "and prints their interns' school packets (internhost packet).",
    "viewer": "Reads everything but medical and internal notes; changes nothing. Prints "
    "school packets (internhost packet); the HR binder is HR's.",
}
ROLE_SUMMARY = (
    "HR admin: everything. Mentor: their own interns only. Viewer: reads, changes nothing."
)
NEW_ACCOUNT_INTRO = (
    "They log in with this user name and password: tell them the password in person. "
    "Accounts are disabled, never deleted, so the audit trail keeps naming them."
)


def _pills(row: dto.AccountRow) -> tuple[Pill, ...]:
    pills = []
    if row.disabled:
        pills.append(Pill("Disabled", "muted"))
    if row.is_demo:
        pills.append(Pill("Demo", "warning"))
    return tuple(pills)


def _when(row: dto.AccountRow) -> str:
    return short_date(row.last_login_at.date()) if row.last_login_at else "never"


def account_fields(ops: Ops, mentors: Sequence[tuple[int, str]]) -> list[fields.Field]:
    """``mentors``: (staff id, name) of the mentors an account may be tied to, read
    with the dialog's data; the picker reads them again when staff or accounts change."""
    roles = [(role, label) for role, label in accounts.ROLE_LABELS.items()]
    return [
        fields.text("username", "User name", help=f"To log in with: {accounts.USERNAME_RULE}."),
        fields.text("display_name", "Name", placeholder="e.g. Maria Kowalski"),
        fields.choice("role", "Role", roles, help=ROLE_SUMMARY),
        fields.Field(
            "staff_id",
            "Mentor",
            lambda: fields.RecordPicker(
                ops,
                accounts.mentor_choices,
                {"staff", "account"},
                mentors,
                head=[(None, "Choose the mentor…")],
            ),
            help="Their staff record decides which interns are theirs.",
        ),
        password_field("password", "Password", help=accounts.PASSWORD_POLICY),
        password_field("password_again", "Password again"),
    ]


def new_account(parent: QWidget, ops: Ops, saved: Saved) -> None:
    """Read the mentors an account may be tied to, then open the account form."""
    ops.read(
        parent,
        accounts.mentor_choices,
        done=lambda mentors: _new_account(parent, ops, mentors, saved),
    )


def _new_account(
    parent: QWidget, ops: Ops, mentors: Sequence[tuple[int, str]], saved: Saved
) -> None:
    form = FieldForm(account_fields(ops, mentors))
    role = form.input("role")

    def role_changed() -> None:
        form.set_row_visible("staff_id", role.value() == "mentor")
        role.setToolTip(ROLE_HELP.get(role.value(), ""))

    role.changed.connect(role_changed)
    form.set_values({"role": "viewer"})
    role_changed()
    database = ops.database

    def save(values: dict[str, Any]) -> dto.AccountRow:  # on the database worker
        same_password(values, values["username"])
        data = accounts.NewAccount(
            username=values["username"],
            display_name=values["display_name"],
            role=values["role"],
            password=values["password"],
            staff_id=values["staff_id"] if values["role"] == "mentor" else None,
        )
        return database.write(accounts.create_account, data)

    created = edit_with_form(
        parent,
        "New account",
        form,
        save,
        ops=ops,
        changes={"account"},
        intro=NEW_ACCOUNT_INTRO,
        size=(620, 590),
    )
    if created is not None:
        saved(created)


def edit_account(parent: QWidget, ops: Ops, account_id: int | None, saved: Saved) -> None:
    """A new account's form, or an account's password reset (read first)."""
    if account_id is None:
        new_account(parent, ops, saved)
        return

    def reset(account: dto.AccountRow) -> None:
        if reset_password(parent, ops, account):
            saved(account)

    ops.read(parent, accounts.get_account, account_id, done=reset)


def _disable(s: Any, actor: Any, account_id: int, *, today: Any = None) -> list[str]:
    row = accounts.disable_account(s, actor, account_id)
    return [f"{row.username} can no longer log in; their remembered logins ended."]


def _enable(s: Any, actor: Any, account_id: int, *, today: Any = None) -> list[str]:
    accounts.enable_account(s, actor, account_id)
    return []


ACCOUNTS = RecordKind(
    key="accounts",
    title="Accounts",
    noun="account",
    columns=(
        Column("User name", lambda r: r.username, sample="maria.kowalski", pills=_pills),
        Column(
            "Name",
            lambda r: r.display_name or DASH,
            sample="Maria Kowalski (demo mentor)",
            long=True,
        ),
        Column("Role", lambda r: r.role_label, sample="HR admin"),
        Column("Mentor of", lambda r: r.staff_name or DASH, sample="Maria Kowalski"),
        Column("Last login", _when, sample="Nov 20, 2026"),
    ),
    load=lambda s, actor, _today: accounts.list_accounts(s, actor),
    row_id=lambda r: r.id,
    edit=edit_account,
    search_text=lambda r: f"{r.username} {r.display_name} {r.role_label} {r.staff_name or ''}",
    shows={"account", "staff"},
    archived=lambda r: r.disabled,
    archiving=Archiving(archive=_disable, restore=_enable, changes={"account"}),
    empty_text="No accounts yet.",
)


def _delay(row: dto.LoginDelay) -> str:
    return f"{row.delay_seconds} s" if row.delay_seconds else "none yet"


DELAY_COLUMNS: tuple[Column[dto.LoginDelay], ...] = (
    Column("User name typed", lambda r: r.username, sample="maria.kowalski"),
    Column(
        "Account",
        lambda r: "",
        pills=lambda r: (Pill("Exists", "info"),) if r.known else (Pill("None", "muted"),),
        sample="Exists",
        elide=False,
    ),
    Column("Failed logins", lambda r: str(r.failures), sample="12", elide=False),
    Column(
        "Last",
        lambda r: (
            f"{short_date(r.last_failure.astimezone().date())} {r.last_failure.astimezone():%H:%M}"
        ),
        sample="Nov 20, 2026 08:30",
        elide=False,
    ),
    Column("Next attempt waits", _delay, sample="30 s", elide=False),
)
DELAYS_INTRO = (
    f"After {login_guard.FREE_FAILURES} failed logins for a user name, each further "
    f"attempt waits before the password is checked, longer each time (at most "
    f"{login_guard.MAX_DELAY_SECONDS} s). A successful login clears it; so does "
    "Clear here, once you know who it was. Every failed login is in the audit trail."
)


class LoginDelays(Card):
    """Failed logins by user name, and clearing a name's delay (HR admins); read with
    the accounts (``AccountsView.load``)."""

    def __init__(self, ops: Ops) -> None:
        super().__init__()
        self.ops = ops
        #: What the last Clear did; it stays while the delays are read again.
        self._note = ""
        self.model: RowsModel[dto.LoginDelay] = RowsModel(DELAY_COLUMNS, self)
        self.table = columns_table(self.model, DELAY_COLUMNS)
        self.table.setMaximumHeight(180)
        self.table.selectionModel().selectionChanged.connect(self._update)
        self.clear_button = button("Clear delay", "secondary", self.clear)
        self.status = label(role="muted", wrap=True)
        head = QHBoxLayout()
        head.addWidget(label("Failed logins", "heading"))
        head.addStretch(1)
        head.addWidget(self.clear_button)
        self.body.addLayout(head)
        self.body.addWidget(label(DELAYS_INTRO, "muted", wrap=True))
        self.body.addWidget(self.table)
        self.body.addWidget(self.status)
        self._update()

    def load(self) -> None:
        self.ops.read(self, accounts.login_delays, done=self._show, latest="delays")

    def _show(self, rows: list[dto.LoginDelay]) -> None:
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.status.setText(self._note or ("" if rows else "No failed logins are counted."))
        self._update()

    def _selected(self) -> dto.LoginDelay | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update(self, *_args: object) -> None:
        self.clear_button.setEnabled(self._selected() is not None)

    def clear(self) -> None:
        row = self._selected()
        if row is None:
            return
        self.ops.write(
            self,
            accounts.clear_login_delay,
            row.username,
            changes={"account"},
            done=lambda _cleared: self._cleared(row.username),
        )

    def _cleared(self, username: str) -> None:
        self._note = f"Cleared: the next login as {username} does not wait."
        self.status.setText(self._note)


class AccountsView(RecordsView):
    """Accounts: New account, Reset password…, Disable/Enable, Show disabled; and the
    failed logins with their delays."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(ACCOUNTS, ops, parent)
        self.delays = LoginDelays(ops)
        self.delays.load()
        self.layout().addWidget(self.delays)
        self.setObjectName("page")
        self.edit_button.setText("Reset password…")
        self.show_archived.setText("Show disabled")
        # HR admins manage accounts: the records kit shows these to roles that edit.
        may = ops.actor.can(Permission.MANAGE_ACCOUNTS)
        shown(self.new_button, may)
        shown(self.edit_button, may)
        shown(self.archive_button, may)
        self._update_buttons()

    def load(self) -> None:
        super().load()
        if hasattr(self, "delays"):  # built after the records part (which loads first)
            self.delays.load()

    def _update_buttons(self, *_args: object) -> None:
        super()._update_buttons()
        row = self.selected_row()
        if hasattr(self, "archive_button"):
            self.archive_button.setText("Enable" if row is not None and row.disabled else "Disable")
