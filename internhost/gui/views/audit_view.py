"""The Audit trail screen (HR admins): every recorded change, newest first, in pages
of 200 (keyset by seq: "Load older" appends the next page); filters by date, user,
operation and record; the selected event's before/after values; and "Verify", which
checks the hash chain and that the trail explains the data (``core/audit_verify.py``)
on the worker thread, listing each problem in the detail pane as the command does."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from internhost.core.audit_verify import VerifyReport
from internhost.core.services.audit_log import (
    AuditEventRow,
    list_audit_events,
    verify_audit_trail,
)
from internhost.gui.database import Database
from internhost.gui.errors import report
from internhost.gui.models.columns import RIGHT, Column, Pill, RowsModel
from internhost.gui.tasks import TaskRunner
from internhost.gui.views.widgets import (
    PAGE_MARGIN,
    button,
    columns_table,
    label,
)

PAGE = 200
ACTION_TONES = {"create": "info", "update": "muted", "delete": "warning"}
INTRO = (
    "Every change to the records, who made it and when. Each entry is chained to the "
    "one before it by a hash, and Verify checks that the entries explain every record as "
    "it is now, so an entry or a record changed outside InternHost is found. Purged "
    "records keep their entries, without their values."
)
VERIFYING = "Verifying the audit trail…"


def _action(e: AuditEventRow) -> tuple[Pill, ...]:
    return (Pill(e.action.capitalize(), ACTION_TONES.get(e.action, "muted")),)


COLUMNS = (
    Column("#", lambda e: str(e.seq), align=RIGHT, sample="123456", elide=False),
    Column("When (UTC)", lambda e: f"{e.occurred_at:%Y-%m-%d %H:%M}", sample="2025-10-15 08:30"),
    Column("User", lambda e: e.actor_name, sample="Angela Ortiz"),
    Column("Operation", lambda e: e.operation or "—", sample="update checklist item"),
    Column("Change", lambda e: "", pills=_action, sample="Create"),
    Column("Record", lambda e: e.record + (" (purged)" if e.purged else ""), sample="interns:123"),
)


def describe(e: AuditEventRow) -> str:
    """The detail pane's text: each record's values before and after."""
    head = f"#{e.seq}  {e.occurred_at:%Y-%m-%d %H:%M:%S} UTC  {e.actor_name} ({e.actor_kind})\n"
    head += f"{e.operation or '—'}: {e.action} {e.record}"
    if e.purged:
        return head + "\n\nThe values were purged (retention); the entry stays in the chain."
    parts = [head]
    for key in sorted(e.changes):
        change = e.changes[key] or {}
        before, after = change.get("before"), change.get("after")
        parts.append(f"\n{key}")
        for field in sorted({*(before or {}), *(after or {})}):
            old = "—" if before is None else json.dumps((before or {}).get(field))
            new = "—" if after is None else json.dumps((after or {}).get(field))
            parts.append(f"  {field}: {old} → {new}")
    return "\n".join(parts)


class AuditView(QWidget):
    def __init__(
        self, database: Database, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.database = database
        self.runner = runner or TaskRunner(self)
        self.rows: list[AuditEventRow] = []
        self.model: RowsModel[AuditEventRow] = RowsModel(COLUMNS, self)
        self.table = columns_table(self.model, COLUMNS)
        self.table.selectionModel().selectionChanged.connect(self._show_detail)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText("Select an entry to see what it changed.")

        self.use_dates = QCheckBox("From")
        self.since, self.until = QDateEdit(), QDateEdit()
        today = QDate.currentDate()
        for edit, day in ((self.since, today.addMonths(-1)), (self.until, today)):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setDate(day)
        self.user = QLineEdit(placeholderText="User")
        self.operation = QLineEdit(placeholderText="Operation")
        self.record = QLineEdit(placeholderText="Record, e.g. interns:12")
        for edit in (self.user, self.operation, self.record):
            edit.returnPressed.connect(self.refresh)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.since)
        filters.addWidget(label("to"))
        filters.addWidget(self.until)
        for widget in (self.user, self.operation, self.record):
            filters.addWidget(widget, 1)
        filters.addWidget(button("Filter", "secondary", self.refresh))

        self.status = label(role="muted", wrap=True)
        self.more_button = button("Load older", "secondary", self.load_more)
        self.verify_button = button("Verify", "primary", self.verify)
        self.verify_button.setToolTip(
            "Check the hash chain, and that the entries explain every record as it is now"
        )
        actions = QHBoxLayout()
        actions.addWidget(self.status, 1)
        actions.addWidget(self.more_button)
        actions.addWidget(self.verify_button)

        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([680, 360])  # the table's columns fit first; the detail wraps
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        layout.setSpacing(12)
        layout.addWidget(label("Audit trail", "title"))
        layout.addWidget(label(INTRO, "muted", wrap=True))
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        self.refresh()

    def _filters(self) -> dict[str, Any]:
        dates = {}
        if self.use_dates.isChecked():
            dates = {"since": self.since.date().toPython(), "until": self.until.date().toPython()}
        return {
            **dates,
            "user": self.user.text() or None,
            "operation": self.operation.text() or None,
            "record": self.record.text() or None,
        }

    def refresh(self) -> None:
        self.rows = []
        self._load(None)

    def load_more(self) -> None:
        self._load(self.rows[-1].seq if self.rows else None)

    def _load(self, before_seq: int | None) -> None:
        try:
            page = self.database.read(
                list_audit_events, **self._filters(), before_seq=before_seq, limit=PAGE
            )
        except Exception as exc:
            self.status.setText(f"Failed: {report(exc)}")
            return
        self.rows = [*self.rows, *page]
        self.model.set_rows(self.rows)
        self.more_button.setEnabled(len(page) == PAGE)
        self.status.setText(f"{len(self.rows)} entries shown, newest first.")

    def _show_detail(self, *_args: object) -> None:
        chosen = self.table.selectionModel().selectedRows()
        self.detail.setPlainText(describe(self.model.row_at(chosen[0].row())) if chosen else "")

    def verify(self) -> None:
        """Check the trail on the worker thread; the result shows when it is done."""
        self.verify_button.setEnabled(False)
        self.status.setText(VERIFYING)
        self.runner.submit(
            self.database.read,
            verify_audit_trail,
            label=VERIFYING,
            on_done=self._verified,
            on_error=self._verify_failed,
        )

    def _verified(self, result: VerifyReport) -> None:
        self.verify_button.setEnabled(True)
        self.status.setText(result.summary() + ("." if result.ok else ": listed on the right."))
        if not result.ok:
            self.table.clearSelection()
            self.detail.setPlainText("What Verify found:\n\n" + "\n\n".join(result.lines()))

    def _verify_failed(self, exc: BaseException) -> None:
        self.verify_button.setEnabled(True)
        self.status.setText(f"Failed: {report(exc)}")
