"""An intern's Hours tab: progress, hours per week, the entries and attendance.

Everything comes from one read (``hours_progress.intern_hours``) through ``ops``;
approved hours and those awaiting approval are shown apart everywhere. The toolbar
holds the actions (approve; edit an entry, which for HR corrects an approved one
with a reason; close pay periods; mark absent, timesheet, calendar); ``toolbar``
is a layout others may add an action to. The tab reads again when hours, shifts or
placements change, once it is on screen.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QMenu,
    QMessageBox,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from internhost.core.actor import Permission
from internhost.core.dto import AttendanceRow, InternHours, TimeEntryRow
from internhost.core.errors import DomainError
from internhost.core.services import approval, hours_progress
from internhost.gui.database import Database
from internhost.gui.formatting import DASH, short_date
from internhost.gui.models.columns import RIGHT, Column, RowsModel
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import button, label
from internhost.gui.widgets.refreshing import InternTab
from internhost.gui.widgets.tables import FittedTable
from internhost.gui.widgets.week_chart import WeekChart

SHOWS = ("time_entry", "shift", "placement")


def _h(minutes: int) -> str:
    return f"{minutes / 60:.2f}"


def _break_text(e: TimeEntryRow) -> str:
    """Punched breaks and a clock's deduction together: neither is worked time."""
    minutes = e.break_minutes + (e.auto_break_minutes or 0)
    return f"{minutes} min" if minutes else DASH


def _entry_status(e: TimeEntryRow) -> str:
    if e.locked:
        return "Approved, locked"
    if e.approved:
        return f"Approved by {e.approved_by}" if e.approved_by else "Approved"
    return "Awaiting approval"


ENTRY_COLUMNS: tuple[Column[TimeEntryRow], ...] = (
    Column("Date", lambda e: short_date(e.work_date), elide=False, sample="Nov 20, 2026"),
    Column("In", lambda e: f"{e.start:%H:%M}", elide=False),
    Column("Out", lambda e: f"{e.end:%H:%M}", elide=False),
    Column("Break", _break_text),
    Column("Hours", lambda e: _h(e.worked_minutes), align=RIGHT),
    Column("Late", lambda e: f"{e.late_minutes} min" if e.late_minutes else DASH),
    Column("Status", _entry_status, long=True, sample="Awaiting approval"),
)
ATTENDANCE_COLUMNS: tuple[Column[AttendanceRow], ...] = (
    Column("Date", lambda a: short_date(a.work_date), elide=False, sample="Nov 20, 2026"),
    Column("Planned", lambda a: f"{a.start:%H:%M}–{a.end:%H:%M}", elide=False),
    Column("Attendance", lambda a: a.status.capitalize(), sample="Excused absence"),
    Column("Reason", lambda a: a.reason or DASH, long=True),
)


def _write_timesheet(database: Database, intern_id: int, week: date, path: Path) -> str:
    """On the worker: the timesheet read and written whole through the output guard."""
    from internhost.core.reports.timesheet import write_timesheet
    from internhost.core.services.timesheets import timesheet_content

    content = database.read(timesheet_content, intern_id, week)
    return f"Saved the timesheet as {write_timesheet(path, database.path, content)}"


def _write_calendar(database: Database, intern_id: int, path: Path) -> str:
    from internhost.core.fileio.icalendar import write_ics
    from internhost.core.services.timesheets import intern_calendar

    text = database.read(intern_calendar, intern_id)
    return f"Saved the calendar as {write_ics(path, database.path, text)}"


class HoursTab(InternTab, QWidget):
    def __init__(self, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        self.intern_id: int | None = None
        self.intern_name = ""
        self.data: InternHours | None = None

        self.log_button = button("Log hours…", "secondary", self.log_hours)
        self.approve_button = button("Approve", "primary", self.approve)
        self.edit_button = button("Edit…", "secondary", self.edit_entry)
        self.absent_button = button("Mark absent…", "secondary", self.mark_absent)
        # Papers and the payroll week go in a menu: seven buttons do not fit at 1024 px.
        self.more = QMenu(self)
        self.timesheet_action = self.more.addAction("Weekly timesheet (PDF)…", self.save_timesheet)
        self.calendar_action = self.more.addAction("Calendar file (.ics)…", self.save_calendar)
        self.periods_action = self.more.addAction("Pay periods…", self.pay_periods)
        self.more_button = button("More", "secondary", self._show_more)
        self.toolbar = QHBoxLayout()
        for widget in (
            self.log_button,
            self.approve_button,
            self.edit_button,
            self.absent_button,
            self.more_button,
        ):
            self.toolbar.addWidget(widget)
        self.toolbar.addStretch(1)
        self.status = label(role="muted")
        self.toolbar.addWidget(self.status)

        self.required_label = label(wrap=True)
        self.required_bar = QProgressBar()
        self.required_bar.setTextVisible(False)
        self.required_bar.setMaximumHeight(8)
        self.cde_label = label(wrap=True)
        self.cde_bar = QProgressBar()
        self.cde_bar.setTextVisible(False)
        self.cde_bar.setMaximumHeight(8)
        self.youth_label = label(wrap=True)
        self.cde_source = label(role="muted", wrap=True)
        self.chart = WeekChart()

        self.entries: RowsModel[TimeEntryRow] = RowsModel(ENTRY_COLUMNS, self)
        #: An entry to select once listed (``focus_entry``).
        self._entry_to_show: int | None = None
        self.entries_view = FittedTable()
        self.entries_view.setModel(self.entries)
        self.entries_view.setSelectionMode(FittedTable.SelectionMode.ExtendedSelection)
        self.entries_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.entries_note = label("No hours logged yet.", "muted")
        self.attendance: RowsModel[AttendanceRow] = RowsModel(ATTENDANCE_COLUMNS, self)
        self.attendance_view = FittedTable()
        self.attendance_view.setModel(self.attendance)
        self.attendance_view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.attendance_note = label("No planned shift has passed yet.", "muted")

        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 10, 0, 0)
        column.setSpacing(6)
        column.addLayout(self.toolbar)
        column.addSpacing(6)
        column.addWidget(label("Progress", "heading"))
        progress: tuple[QWidget, ...] = (
            self.required_label,
            self.required_bar,
            self.cde_label,
            self.cde_bar,
            self.cde_source,
            self.youth_label,
        )
        for part in progress:
            column.addWidget(part)
        column.addSpacing(8)
        column.addWidget(self.chart)
        column.addSpacing(8)
        column.addWidget(label("Logged hours", "heading"))
        column.addWidget(self.entries_view)
        column.addWidget(self.entries_note)
        column.addSpacing(8)
        column.addWidget(label("Attendance", "heading"))
        column.addWidget(self.attendance_view)
        column.addWidget(self.attendance_note)
        column.addStretch(1)
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

    # -- reading ---------------------------------------------------------------------

    def focus_entry(self, entry_id: int) -> None:
        """Select an entry (the place to fix a logged finding), now or once listed."""
        self._entry_to_show = entry_id
        self._select_entry()

    def _select_entry(self) -> None:
        wanted = self._entry_to_show
        rows = [self.entries.row_at(i).id for i in range(self.entries.rowCount())]
        if wanted is None or wanted not in rows:
            return
        self._entry_to_show = None
        row = rows.index(wanted)
        self.entries_view.selectRow(row)
        self.entries_view.scrollTo(self.entries.index(row, 0))

    def show_intern(self, intern_id: int, name: str) -> None:
        """Follow another intern (or the same one, read again): read now if on screen."""
        self.intern_name = name
        self.follow_intern(intern_id)

    def forget(self) -> None:
        self.data = None
        self.entries.set_rows(())
        self.attendance.set_rows(())

    def load(self) -> None:
        self.read_intern(hours_progress.intern_hours, self.show_hours)

    def show_hours(self, data: InternHours) -> None:
        if data.intern_id != self.intern_id:
            return
        self.data = data
        required = sum(e.required_hours or 0 for e in data.experiences)
        approved, awaiting = data.approved_minutes, data.awaiting_minutes
        of = f" of {required} h required" if required else " (no required hours recorded)"
        self.required_label.setText(
            f"<b>{_h(approved)} h approved</b>{of}; {_h(awaiting)} h awaiting approval."
        )
        self.required_bar.setVisible(bool(required))
        self.required_bar.setRange(0, max(1, required * 60))
        self.required_bar.setValue(min(approved, required * 60))
        counted = data.cde_counted_minutes
        short = [
            e
            for e in data.experiences
            if 0 < e.approved_minutes < data.cde_min_experience_hours * 60
        ]
        state = "met" if data.cde_met else "not yet met"
        note = (
            f"; {len(short)} experience{'s' if len(short) != 1 else ''} under "
            f"{data.cde_min_experience_hours} h {'do' if len(short) != 1 else 'does'} not count yet"
            if short
            else ""
        )
        self.cde_label.setText(
            f"Career Development Experience: {_h(counted)} of {data.cde_total_hours} h "
            f"approved, {state}{note}."
        )
        self.cde_bar.setRange(0, data.cde_total_hours * 60)
        self.cde_bar.setValue(min(counted, data.cde_total_hours * 60))
        self.cde_source.setText(
            f"Each placement is one experience; none under {data.cde_min_experience_hours} h "
            f"counts. {data.cde_citation} [{data.cde_verification}]"
        )
        youth = data.youth
        self.youth_label.setVisible(youth is not None)
        if youth is not None:
            left = youth.limit_hours * 60 - youth.minutes
            after = (
                f"{_h(left)} h left at the youth rate"
                if left > 0
                else "past it: the adult minimum applies"
            )
            self.youth_label.setText(
                f"Youth wage: {_h(youth.minutes)} of {youth.limit_hours} h logged in "
                f"{youth.year}, {after} ({youth.citation} [{youth.verification}])."
            )
        from internhost.gui.views.intern_detail import _fill  # the pane holds this tab

        self.chart.set_weeks(data.weeks)
        _fill(self.entries_view, self.entries_note, self.entries, data.entries)
        _fill(self.attendance_view, self.attendance_note, self.attendance, data.attendance)
        self._select_entry()
        self._update_buttons()

    # -- actions ---------------------------------------------------------------------

    def _selected_entries(self) -> list[TimeEntryRow]:
        rows = self.entries_view.selectionModel().selectedRows()
        return [self.entries.row_at(i.row()) for i in rows]

    def _selected_shift(self) -> AttendanceRow | None:
        rows = self.attendance_view.selectionModel().selectedRows()
        return self.attendance.row_at(rows[0].row()) if rows else None

    def log_hours(self) -> None:
        """Log hours the intern worked (the entry dialog; its save announces them)."""
        from internhost.gui.dialogs.time_entry import open_time_entry

        if self.ops is not None and self.intern_id is not None:
            open_time_entry(self, self.ops, self.intern_id, today=self.ops.today())

    def _selection_changed(self, _a: QItemSelection, _b: QItemSelection) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        actor = self.ops.actor if self.ops is not None else None
        chosen = self.intern_id is not None and self.ops is not None
        approvable = [e for e in self._selected_entries() if e.can_approve]
        self.approve_button.setVisible(actor is not None and actor.can(Permission.APPROVE_HOURS))
        self.approve_button.setEnabled(chosen and bool(approvable))
        self.approve_button.setText(
            f"Approve {len(approvable)}" if len(approvable) > 1 else "Approve"
        )
        chosen_entries = self._selected_entries()
        hr = actor is not None and actor.can(Permission.EDIT_RECORDS)
        self.periods_action.setVisible(hr)
        logs = actor is not None and actor.can(Permission.LOG_MENTORING)
        one = chosen_entries[0] if len(chosen_entries) == 1 else None
        # Mentors change what is not approved yet; HR corrects an approved entry too.
        self.edit_button.setVisible(logs or hr)
        self.edit_button.setEnabled(
            chosen and one is not None and not one.locked and (hr or not one.approved)
        )
        self.periods_action.setEnabled(self.ops is not None)
        shift = self._selected_shift()
        self.log_button.setVisible(logs)
        self.log_button.setEnabled(chosen)
        self.absent_button.setVisible(logs)
        self.absent_button.setEnabled(chosen and shift is not None and shift.entry_id is None)
        self.timesheet_action.setEnabled(chosen)
        self.calendar_action.setEnabled(chosen)

    def _show_more(self) -> None:
        below = self.more_button.rect().bottomLeft()
        self.more.popup(self.more_button.mapToGlobal(below))

    def approve(self) -> None:
        ids = [e.id for e in self._selected_entries() if e.can_approve]
        if not ids or self.ops is None:
            return
        self.ops.write(
            self,
            approval.approve_entries,
            ids,
            changes={"time_entry"},
            done=lambda r: self.status.setText(
                f"Approved {len(r.approved)} entr{'y' if len(r.approved) == 1 else 'ies'}."
            ),
            failed=self.ops.expected(self, self._refused),
        )

    def edit_entry(self) -> None:
        """Change the selected entry in the entry dialog; an approved one (HR only)
        asks the reason the audit trail keeps beside the before and after."""
        from internhost.gui.dialogs.time_entry import open_time_entry

        chosen = self._selected_entries()
        if len(chosen) != 1 or self.ops is None or self.intern_id is None:
            return
        open_time_entry(
            self,
            self.ops,
            self.intern_id,
            entry_id=chosen[0].id,
            today=self.ops.today(),
            approved=chosen[0].approved,
        )

    def pay_periods(self) -> None:
        from internhost.gui.dialogs.pay_periods import PayPeriodsDialog

        if self.ops is not None:
            PayPeriodsDialog(self.ops, self).open()

    def mark_absent(self) -> None:
        from internhost.gui.dialogs.absence import AbsenceDialog

        shift = self._selected_shift()
        if shift is None or self.ops is None:
            return
        AbsenceDialog(self.ops, shift, self).open()

    def _week(self) -> date:
        """The week the timesheet is for: the selected entry's, else this week."""
        chosen = self._selected_entries()
        if chosen:
            return chosen[0].work_date
        assert self.ops is not None
        return self.ops.today()

    def save_timesheet(self) -> None:
        if self.ops is None or self.intern_id is None:
            return
        week = self._week()
        suggested = f"Timesheet {self.intern_name} {week.isoformat()}.pdf"
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the weekly timesheet", str(Path.home() / suggested), "PDF (*.pdf)"
        )
        if name:
            self._save(_write_timesheet, self.intern_id, week, Path(name))

    def save_calendar(self) -> None:
        if self.ops is None or self.intern_id is None:
            return
        suggested = f"{self.intern_name} shifts.ics"
        name, _ = QFileDialog.getSaveFileName(
            self, "Save the shifts as a calendar", str(Path.home() / suggested), "iCalendar (*.ics)"
        )
        if name:
            self._save(_write_calendar, self.intern_id, Path(name))

    def _save(self, writer: object, *args: object) -> None:
        assert self.ops is not None
        self.ops.call(
            self,
            writer,  # type: ignore[arg-type]
            self.ops.database,
            *args,
            label="Saving…",
            done=self.status.setText,
            failed=self.ops.expected(self, self._refused, OSError, DomainError),
        )

    def _refused(self, exc: BaseException) -> None:
        QMessageBox.warning(self, "Hours", str(exc))
