"""The Audit trail screen (HR admins): every recorded change, newest first, in pages
of 200 (keyset by seq: "Load older" appends the next page); filters by date, user,
operation and record, applied as you type; the selected event's before/after values;
and "Verify", which checks the hash chain and that the trail explains the data
(``core/trail/audit_verify.py``), listing each problem in the detail pane as the
command does.

Every read runs on the database worker (``gui.ops``): the entries on screen stay
until the answer comes, and of the filters typed only the last one's answer is shown.
Every write adds entries, so the screen reads again when one is announced."""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtCore import QDate, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from internhost.core.dto import AuditEventRow
from internhost.core.services.audit_log import (
    MAX_FILTER,
    list_audit_events,
    verify_audit_trail,
)
from internhost.core.trail.audit_hmac import PREFIX
from internhost.core.trail.audit_verify import VerifyReport
from internhost.gui.errors import report
from internhost.gui.formatting import local_time
from internhost.gui.models.columns import RIGHT, Column, Pill, RowsModel
from internhost.gui.ops import KINDS, Ops
from internhost.gui.widgets.basics import PAGE_MARGIN, button, label
from internhost.gui.widgets.refreshing import Refreshing
from internhost.gui.widgets.tables import columns_table

PAGE = 200
#: A pause in typing a filter before it is applied: one read per word, not per key.
FILTER_DELAY_MS = 250
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
    Column("When", lambda e: local_time(e.occurred_at), sample="Nov 20, 2026 14:05", elide=False),
    Column("User", lambda e: e.actor_name, sample="Angela Ortiz"),
    Column("Operation", lambda e: e.operation or "—", sample="update checklist item"),
    Column("Change", lambda e: "", pills=_action, sample="Create"),
    Column("Record", lambda e: e.record_label, sample="Intern Ana Ruiz"),
)
#: Values the trail holds as a keyed hash (``core/trail/audit_hmac.py``), never the value.
HIDDEN = "hidden (kept as a keyed hash)"
#: Bookkeeping every row has: the entry's own header says who and when.
BOOKKEEPING = frozenset({"id", "created_at", "updated_at", "search_name", "sort_name"})


def _field(name: str) -> str:
    return name.replace("_", " ").strip().capitalize()


def _value(value: object) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, str) and value.startswith(PREFIX):
        return HIDDEN
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _change_table(before: dict | None, after: dict | None) -> str:
    """Field, before, after: every value of a created or deleted record, and only the
    changed ones of an updated record."""
    fields = sorted({*(before or {}), *(after or {})} - BOOKKEEPING)
    if before is not None and after is not None:
        fields = [f for f in fields if before.get(f) != after.get(f)]
        if not fields:
            return "<p>No values changed.</p>"
    heads = [h for h, side in (("Before", before), ("After", after)) if side is not None]
    rows = "".join(
        "<tr><td>{}</td>{}</tr>".format(
            html.escape(_field(f)),
            "".join(
                f"<td>{html.escape(_value(side.get(f)))}</td>"
                for side in (before, after)
                if side is not None
            ),
        )
        for f in fields
    )
    head = "".join(f"<th>{h}</th>" for h in ("Field", *heads))
    return f"<table cellspacing=0 cellpadding=3 width='100%'><tr>{head}</tr>{rows}</table>"


def describe(e: AuditEventRow) -> str:
    """The detail pane: who did what when (local time), then each record it touched by
    name, with its values before and after."""
    e_ = html.escape
    parts = [
        f"<h3>{e_(e.record_label)}</h3>",
        f"<p>{e_(e.action.capitalize())} by {e_(e.actor_name)} ({e_(e.actor_kind)}), "
        f"{e_(local_time(e.occurred_at))}<br>Operation: {e_(e.operation or '—')} · "
        f"entry #{e.seq}</p>",
    ]
    if e.purged:
        parts.append("<p>The values were purged (retention); the entry stays in the chain.</p>")
        return "".join(parts)
    for key in sorted(e.changes, key=lambda k: (e.labels.get(k, k) != e.record_label, k)):
        change = e.changes[key] or {}
        parts.append(f"<h4>{e_(e.labels.get(key, key))}</h4>")
        parts.append(_change_table(change.get("before"), change.get("after")))
    return "".join(parts)


class AuditView(Refreshing, QWidget):
    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.ops = ops
        self.rows: list[AuditEventRow] = []
        self.model: RowsModel[AuditEventRow] = RowsModel(COLUMNS, self)
        self.table = columns_table(self.model, COLUMNS)
        self.table.selectionModel().selectionChanged.connect(self._show_detail)
        self.detail = QTextBrowser()
        self.detail.setPlaceholderText("Select an entry to see what it changed.")
        self._filter_timer = QTimer(self, singleShot=True, interval=FILTER_DELAY_MS)
        self._filter_timer.timeout.connect(self.refresh)
        self.use_dates = QCheckBox("From")
        self.use_dates.toggled.connect(self.refresh)
        self.since, self.until = QDateEdit(), QDateEdit()
        today = QDate(ops.today())
        for box, day in ((self.since, today.addMonths(-1)), (self.until, today)):
            box.setCalendarPopup(True)
            box.setDisplayFormat("yyyy-MM-dd")
            box.setDate(day)
            box.dateChanged.connect(self._dates_changed)
        self.user = QLineEdit(placeholderText="User")
        self.operation = QLineEdit(placeholderText="Operation")
        self.record = QLineEdit(placeholderText="Record or value, e.g. Ruiz")
        for edit in (self.user, self.operation, self.record):
            edit.setMaxLength(MAX_FILTER)  # the service refuses longer
            edit.setClearButtonEnabled(True)
            edit.textChanged.connect(self._filter_timer.start)
            edit.returnPressed.connect(self.refresh)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        filters.addWidget(self.use_dates)
        filters.addWidget(self.since)
        filters.addWidget(label("to"))
        filters.addWidget(self.until)
        for widget in (self.user, self.operation, self.record):
            filters.addWidget(widget, 1)
        self.status = label(role="muted", wrap=True)
        self.more_button = button("Load older", "secondary", self.load_more)
        self.more_button.setEnabled(False)
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
        split.setSizes([720, 300])  # the table's columns fit first; the detail wraps
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        layout.setSpacing(12)
        layout.addWidget(label("Audit trail", "title"))
        layout.addWidget(label(INTRO, "muted", wrap=True))
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(actions)
        self.status.setText("Loading…")
        self.follow(ops, KINDS)  # every write adds entries
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

    def _dates_changed(self) -> None:
        if self.use_dates.isChecked():
            self._filter_timer.start()

    def load(self) -> None:
        """The newest page for the filters as they stand (the last asked wins)."""
        self._filter_timer.stop()
        self._ask(None)

    def load_more(self) -> None:
        if self.rows:
            self._ask(self.rows[-1].seq)

    def _ask(self, before_seq: int | None) -> None:
        self.more_button.setEnabled(False)  # until this page came
        self.ops.read(
            self,
            list_audit_events,
            **self._filters(),
            before_seq=before_seq,
            limit=PAGE,
            done=lambda page: self._show(page, more=before_seq is not None),
            failed=self.ops.expected(self, self._refused),
            latest="events",
        )

    def _show(self, page: list[AuditEventRow], *, more: bool) -> None:
        chosen = self._selected()
        self.rows = [*self.rows, *page] if more else list(page)
        self.model.set_rows(self.rows)
        self.more_button.setEnabled(len(page) == PAGE)
        self.status.setText(f"{len(self.rows)} entries shown, newest first.")
        if chosen is not None:
            self._select(chosen.seq)

    def _refused(self, exc: BaseException) -> None:
        self.more_button.setEnabled(bool(self.rows))
        self.status.setText(f"Failed: {exc}")

    def _selected(self) -> AuditEventRow | None:
        chosen = self.table.selectionModel().selectedRows()
        return self.model.row_at(chosen[0].row()) if chosen else None

    def _select(self, seq: int) -> None:
        for row, event in enumerate(self.rows):
            if event.seq == seq:
                self.table.selectRow(row)
                return

    def _show_detail(self, *_args: object) -> None:
        chosen = self._selected()
        self.detail.setHtml(describe(chosen) if chosen is not None else "")

    def verify(self) -> None:
        """Check the trail on the worker thread; the result shows when it is done."""
        self.verify_button.setEnabled(False)
        self.status.setText(VERIFYING)
        self.ops.read(
            self,
            verify_audit_trail,
            label=VERIFYING,
            done=self._verified,
            failed=self._verify_failed,
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
