"""The Accounts screen (HR admins): who may log in, as which role; create accounts,
disable (and enable) them, reset passwords.

A ``RecordsView`` over ``services.accounts``: "New account" opens the account form,
"Reset password…" (or a double-click) the reset form, and "Disable"/"Enable" take
the place of archive and restore. The services refuse what the role may not do; the
screen is only offered to HR admins.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QHBoxLayout, QWidget

from internhost.core import dto
from internhost.core.actor import Permission
from internhost.core.services import accounts
from internhost.core.trail import login_guard
from internhost.gui.database import Database
from internhost.gui.dialogs.login import password_field, reset_password, same_password
from internhost.gui.dialogs.record import edit_with_form
from internhost.gui.formatting import DASH, short_date
from internhost.gui.models.columns import Column, Pill, RowsModel
from internhost.gui.widgets import fields
from internhost.gui.widgets.basics import Card, button, label
from internhost.gui.widgets.fields import FieldForm
from internhost.gui.widgets.records import Archiving, RecordKind, RecordsView
from internhost.gui.widgets.tables import columns_table

ROLE_HELP = {
    "hr_admin": "Everything: records, imports, accounts, backups and the audit trail.",
    "mentor": "Only their own interns (age band, no birth date, address, guardians, "
    "medical notes or school records). Will log their check-ins and time and approve "
    "hours: allowed already, the screens for it come next.",
    "viewer": "Reads everything but medical and internal notes; changes nothing. Will "
    "print packets: allowed already, printing comes next.",
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


def account_fields(database: Database) -> list[fields.Field]:
    mentors = database.read(accounts.mentor_choices)
    roles = [(role, label) for role, label in accounts.ROLE_LABELS.items()]
    return [
        fields.text("username", "User name", help=f"To log in with: {accounts.USERNAME_RULE}."),
        fields.text("display_name", "Name", placeholder="e.g. Maria Kowalski"),
        fields.choice("role", "Role", roles, help=ROLE_SUMMARY),
        fields.choice(
            "staff_id",
            "Mentor",
            [(None, "Choose the mentor…"), *mentors],
            help="Their staff record decides which interns are theirs.",
        ),
        password_field("password", "Password", help=accounts.PASSWORD_POLICY),
        password_field("password_again", "Password again"),
    ]


def new_account(parent: QWidget, database: Database) -> dto.AccountRow | None:
    form = FieldForm(account_fields(database))
    role = form.input("role")

    def role_changed() -> None:
        form.set_row_visible("staff_id", role.value() == "mentor")
        role.setToolTip(ROLE_HELP.get(role.value(), ""))

    role.changed.connect(role_changed)
    form.set_values({"role": "viewer"})
    role_changed()

    def save(values: dict[str, Any]) -> dto.AccountRow:
        same_password(values, values["username"])
        data = accounts.NewAccount(
            username=values["username"],
            display_name=values["display_name"],
            role=values["role"],
            password=values["password"],
            staff_id=values["staff_id"] if values["role"] == "mentor" else None,
        )
        return database.write(accounts.create_account, data)

    return edit_with_form(
        parent, "New account", form, save, intro=NEW_ACCOUNT_INTRO, size=(620, 590)
    )


def edit_account(parent: QWidget, database: Database, account_id: int | None) -> bool:
    if account_id is None:
        return new_account(parent, database) is not None
    return reset_password(parent, database, database.read(accounts.get_account, account_id))


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
    load=lambda db: db.read(accounts.list_accounts),
    row_id=lambda r: r.id,
    edit=edit_account,
    search_text=lambda r: f"{r.username} {r.display_name} {r.role_label} {r.staff_name or ''}",
    archived=lambda r: r.disabled,
    archiving=Archiving(archive=_disable, restore=_enable),
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
    """Failed logins by user name, and clearing a name's delay (HR admins)."""

    def __init__(self, database: Database) -> None:
        super().__init__()
        self.database = database
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
        self.refresh()

    def refresh(self) -> None:
        rows = self.database.read(accounts.login_delays)
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        if not rows:
            self.status.setText("No failed logins are counted.")
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
        self.database.write(accounts.clear_login_delay, row.username)
        self.refresh()
        self.status.setText(f"Cleared: the next login as {row.username} does not wait.")


class AccountsView(RecordsView):
    """Accounts: New account, Reset password…, Disable/Enable, Show disabled; and the
    failed logins with their delays."""

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(ACCOUNTS, database, parent)
        self.delays = LoginDelays(database)
        self.layout().addWidget(self.delays)
        self.setObjectName("page")
        self.edit_button.setText("Reset password…")
        self.show_archived.setText("Show disabled")
        # HR admins manage accounts: the records kit shows these to roles that edit.
        may = database.actor.can(Permission.MANAGE_ACCOUNTS)
        self.new_button.setVisible(may)
        self.edit_button.setVisible(may)
        self.archive_button.setVisible(may)
        self._update_buttons()

    def refresh(self) -> None:
        super().refresh()
        if hasattr(self, "delays"):  # built after the records part
            self.delays.refresh()

    def _update_buttons(self, *_args: object) -> None:
        super()._update_buttons()
        row = self.selected_row()
        if hasattr(self, "archive_button"):
            self.archive_button.setText("Enable" if row is not None and row.disabled else "Disable")
