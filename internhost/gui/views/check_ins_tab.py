"""An intern's Check-ins tab: when the next is due, the check-ins, and what the
reader may see of the one selected.

One read on the worker (``read_tab``) gives the check-ins (internal notes only as
the core hands them to this reader), the running placement's next due date and its
cadence. The toolbar logs a check-in (the two-minute dialog, on this intern), edits
the one selected, sets the cadence and, for HR, records what was done about a
concern. The tab reads again when check-ins or placements change.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from internhost.core.actor import Permission
from internhost.core.dto_check_ins import CadenceRow, CheckInDue, CheckInRow
from internhost.core.models.enums import WEEKDAYS
from internhost.core.services import cadences, check_ins
from internhost.gui.dialogs.check_in import Checks, open_check_in
from internhost.gui.dialogs.record import edit_with_form
from internhost.gui.formatting import DASH, short_date
from internhost.gui.models.columns import RIGHT, Column, RowsModel
from internhost.gui.widgets import fields as f
from internhost.gui.widgets.basics import button, label
from internhost.gui.widgets.refreshing import InternTab
from internhost.gui.widgets.tables import FittedTable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor
    from internhost.gui.ops import Ops

SHOWS = ("check_in", "placement")


def _concern_text(r: CheckInRow) -> str:
    if r.concern is None:
        return DASH
    state = "resolved" if r.concern.resolved_at else "open"
    return f"{r.concern.category_label} ({state})"


COLUMNS: tuple[Column[CheckInRow], ...] = (
    Column("Date", lambda r: short_date(r.held_on), elide=False, sample="Nov 20, 2026"),
    Column("Mode", lambda r: check_ins.MODE_LABELS.get(r.mode, r.mode), sample="In person"),
    Column("Topics", lambda r: ", ".join(r.topics) or DASH, sample="Safety, Goals"),
    Column("Notes for the school", lambda r: r.shared_notes.replace("\n", " "), long=True),
    Column("Concern", _concern_text, sample="Attendance (open)"),
    Column("Open actions", lambda r: str(r.open_actions) if r.open_actions else DASH, align=RIGHT),
)


class TabData(NamedTuple):
    rows: list[CheckInRow]
    next: tuple[CheckInDue, CadenceRow] | None


def read_tab(s: Session, actor: Actor, intern_id: int, today: date) -> TabData:
    """What the tab shows, in one read on the worker."""
    return TabData(
        check_ins.list_check_ins(s, actor, intern_id),
        cadences.next_check_in(s, actor, intern_id, today),
    )


def _due_text(data: TabData, today: date) -> str:
    if data.next is None:
        return "No placement is running: no check-in is due."
    due, cadence = data.next
    last = f"; last held {short_date(due.last_held_on)}" if due.last_held_on else "; none held yet"
    if due.due_on is None:
        when = "No check-in is due before the placement ends"
    elif due.due_on < today:
        when = f"<b>Check-in overdue since {short_date(due.due_on)}</b>"
    else:
        when = f"Next check-in due <b>{short_date(due.due_on)}</b>"
    return f"{when} ({cadence.summary}){last}."


def _details(r: CheckInRow) -> str:
    """The selected check-in as the reader may see it."""
    from html import escape

    parts = [f"<b>{short_date(r.held_on)}</b> · {r.minutes or DASH} min · {escape(r.mentor or '')}"]
    if r.shared_notes:
        parts.append("<b>Notes for the school:</b> " + escape(r.shared_notes).replace("\n", "<br>"))
    if r.reflection:
        parts.append("<b>Intern's reflection:</b> " + escape(r.reflection))
    for note in r.internal_notes:
        who = "You" if note.mine else escape(note.author or "Unknown")
        parts.append(f"<b>Internal note ({who}):</b> " + escape(note.text).replace("\n", "<br>"))
    if r.concern is not None:
        c = r.concern
        line = f"<b>Concern: {escape(c.category_label)}</b>"
        if c.details:
            line += " — " + escape(c.details)
        if c.resolved_at is not None:
            by = f" by {escape(c.resolved_by)}" if c.resolved_by else ""
            line += f"<br>Resolved {c.resolved_at:%b %d, %Y}{by}"
            if c.resolution:
                line += ": " + escape(c.resolution)
        else:
            line += "<br><i>Waiting for HR to record what was done.</i>"
        parts.append(line)
    for a in r.actions:
        due = f", due {short_date(a.due_on)}" if a.due_on else ""
        state = f"done {short_date(a.done_on)}" if a.done_on else "open"
        parts.append(f"• {escape(a.text)}{due} ({state})")
    return "<br>".join(parts)


class CheckInsTab(InternTab, QWidget):
    def __init__(self, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.data: TabData | None = None
        self.log_button = button("Log check-in…", "primary", self.log_check_in)
        self.edit_button = button("Edit…", "secondary", self.edit_check_in)
        self.cadence_button = button("Cadence…", "secondary", self.edit_cadence)
        self.resolve_button = button("Resolve concern…", "secondary", self.resolve_concern)
        toolbar = QHBoxLayout()
        for widget in (self.log_button, self.edit_button, self.cadence_button, self.resolve_button):
            toolbar.addWidget(widget)
        toolbar.addStretch(1)
        self.due_label = label(wrap=True)
        self.model: RowsModel[CheckInRow] = RowsModel(COLUMNS, self)
        self.view = FittedTable()
        self.view.setModel(self.model)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.doubleClicked.connect(lambda _index: self.edit_check_in())
        self.note = label("No check-ins yet.", "muted")
        self.details = label(wrap=True)
        self.details.setObjectName("checkInDetails")
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 10, 0, 0)
        column.setSpacing(6)
        column.addLayout(toolbar)
        column.addWidget(self.due_label)
        column.addWidget(self.view, 1)
        column.addWidget(self.note)
        column.addWidget(self.details)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        if ops is not None:
            self.follow(ops, SHOWS)
        self._update_buttons()

    # -- reading

    def show_intern(self, intern_id: int) -> None:
        self.follow_intern(intern_id)

    def forget(self) -> None:
        self.data = None
        self.model.set_rows(())

    def load(self) -> None:
        self.read_intern(read_tab, self.show_data)

    def show_data(self, data: TabData) -> None:
        selected = self.selected()
        self.data = data
        self.model.set_rows(data.rows)
        self.view.setVisible(bool(data.rows))
        self.note.setVisible(not data.rows)
        self.due_label.setText(_due_text(data, self.ops.today() if self.ops else date.today()))
        ids = [r.id for r in data.rows]
        if data.rows:
            self.view.selectRow(ids.index(selected.id) if selected and selected.id in ids else 0)
        self._selection_changed()

    def selected(self) -> CheckInRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, *_args: Any) -> None:
        row = self.selected()
        self.details.setText(_details(row) if row else "")
        self.details.setVisible(row is not None)
        self._update_buttons()

    def _update_buttons(self) -> None:
        actor = self.ops.actor if self.ops else None
        may_log = actor is not None and actor.can(Permission.LOG_MENTORING)
        row = self.selected()
        running = self.data is not None and self.data.next is not None
        self.log_button.setEnabled(may_log and running)
        self.cadence_button.setEnabled(may_log and running)
        self.edit_button.setEnabled(may_log and row is not None)
        is_hr = actor is not None and actor.can(Permission.EDIT_RECORDS)
        self.resolve_button.setVisible(is_hr)
        self.resolve_button.setEnabled(is_hr and row is not None and row.concern is not None)

    # -- acting

    def log_check_in(self) -> None:
        if self.ops is None or self.data is None or self.data.next is None:
            return
        open_check_in(self, self.ops, placement=self.data.next[0])

    def edit_check_in(self) -> None:
        row = self.selected()
        if self.ops is None or row is None or not self.edit_button.isEnabled():
            return
        open_check_in(self, self.ops, check_in_id=row.id)

    def edit_cadence(self) -> None:
        if self.ops is None or self.data is None or self.data.next is None:
            return
        ops, (due, cadence) = self.ops, self.data.next
        form = f.FieldForm(
            [
                f.whole("every_days", "Every (days)", help="Or choose weekdays below."),
                f.Field(
                    "weekdays",
                    "On weekdays",
                    lambda: Checks([(d, d.capitalize()) for d in WEEKDAYS], columns=7),
                ),
                f.check("skip_non_school_days", "Skip", "Days without school"),
                f.check("skip_closures", "", "Plant closures"),
            ]
        )

        def save(values: dict[str, Any]) -> CadenceRow:
            data = cadences.CadenceInput(
                None if values["weekdays"] else values["every_days"],
                values["weekdays"],
                values["skip_non_school_days"],
                values["skip_closures"],
            )
            return ops.database.write(cadences.save_cadence, due.placement_id, data)

        edit_with_form(
            self,
            "Check-in cadence",
            form,
            save,
            ops=ops,
            changes={"check_in"},
            initial={
                "every_days": cadence.every_days,
                "weekdays": cadence.weekdays,
                "skip_non_school_days": cadence.skip_non_school_days,
                "skip_closures": cadence.skip_closures,
            },
            intro=f"How often {due.intern_name}'s check-ins are due, counted from the "
            "placement's start. A skipped day is no due date.",
        )

    def resolve_concern(self) -> None:
        row = self.selected()
        if self.ops is None or row is None or row.concern is None:
            return
        ops, concern = self.ops, row.concern
        form = f.FieldForm([f.text("resolution", "What was done", multiline=True)])

        def save(values: dict[str, Any]) -> Any:
            return ops.database.write(check_ins.resolve_concern, concern.id, values["resolution"])

        edit_with_form(
            self,
            "Resolve concern",
            form,
            save,
            ops=ops,
            changes={"check_in"},
            initial={"resolution": concern.resolution or ""},
            intro=f"{concern.category_label} concern raised {short_date(row.held_on)}"
            + (f": {concern.details}" if concern.details else "")
            + ". Record what was done: the concern then leaves the dashboard.",
        )
