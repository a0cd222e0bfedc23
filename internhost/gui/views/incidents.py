"""Incidents and injuries, open ones first: the main window's Incidents screen (every
intern the reader may see) and the intern page's Incidents tab (one intern).

The selected incident's detail shows below the table (treatment only for HR, as the
core sends it). Recording and editing open the incident dialog; HR closes an incident
whose notices are all done or not needed, and reopens a closed one. The list reads
again when an incident is written, here or elsewhere.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QMessageBox, QVBoxLayout, QWidget

from internhost.core import dto_incidents as dto
from internhost.core.actor import Permission
from internhost.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from internhost.core.services import incidents
from internhost.gui.formatting import DASH, short_date
from internhost.gui.models.columns import Column, RowsModel
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import PAGE_MARGIN, button, label
from internhost.gui.widgets.refreshing import InternTab
from internhost.gui.widgets.tables import FittedTable

SHOWS = ("incident", "intern", "placement")


def _where(r: dto.IncidentRow) -> str:
    return " · ".join(p for p in (r.worksite, r.area) if p) or DASH


def _to_do(r: dto.IncidentRow) -> str:
    if r.status == "closed":
        return DASH
    if not r.to_do:
        return "Every notice done: ready to close"
    return "To do: " + "; ".join(r.to_do)


def _columns(with_intern: bool) -> tuple[Column[dto.IncidentRow], ...]:
    intern: tuple[Column[dto.IncidentRow], ...] = (
        Column("Intern", lambda r: r.intern_name, sample="Washington, Alexandra"),
    )
    return (
        Column("Status", lambda r: r.status.capitalize(), elide=False, sample="Closed"),
        Column(
            "When",
            lambda r: f"{short_date(r.occurred_at.date())} {r.occurred_at:%H:%M}",
            elide=False,
            sample="Nov 20, 2026 16:40",
        ),
        *(intern if with_intern else ()),
        Column("Kind", lambda r: r.kind_label, sample="Near miss"),
        Column("Where", _where, sample="Plant 1 · Press line"),
        Column("Still to do", _to_do, long=True, tooltip=_to_do, sample="To do: school"),
    )


def detail_html(d: dto.IncidentDetail) -> str:
    """The selected incident, in words (what the reader's role may see)."""
    r = d.row
    lines = [
        f"<b>{escape(r.kind_label)}</b> on {escape(short_date(r.occurred_at.date()))} at "
        f"{r.occurred_at:%H:%M} — {escape(_where(r))}",
        escape(r.description),
    ]
    facts = [
        ("Machine", d.equipment),
        ("Task", d.task),
        ("Body part", d.body_part),
        ("Treatment", d.treatment),
        ("Told at the plant", d.told_whom),
        ("Recorded by", d.reported_by),
    ]
    if d.osha_recordable is not None:
        facts.append(("OSHA recordable", "yes" if d.osha_recordable else "no"))
    lines += [f"{name}: {escape(value)}" for name, value in facts if value]
    for n in d.notices:
        if n.done_on is not None:
            state = f"done {escape(short_date(n.done_on))}"
        elif n.not_needed:
            state = f"not needed: {escape(n.not_needed)}"
        else:
            state = "<b>still to do</b>"
        lines.append(f"{escape(n.title)}: {state} ({escape(n.citation)} [{n.verification}])")
    if d.closed_at is not None:
        by = f" by {escape(d.closed_by)}" if d.closed_by else ""
        lines.append(f"Closed {escape(short_date(d.closed_at.date()))}{by}.")
    return "<br>".join(lines)


class IncidentsView(InternTab, QWidget):
    """Incidents of one intern (``show_intern``) or, with ``every_intern``, of all."""

    intern_requested = Signal(int)

    def __init__(self, ops: Ops | None, *, every_intern: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("incidentsView")
        self.ops = ops
        self.every_intern = every_intern
        self.intern_id: int | None = None
        self.detail: dto.IncidentDetail | None = None
        #: A row to select once the list is read again (an incident just recorded).
        self._wanted: int | None = None
        actor = ops.actor if ops is not None else None
        self.records = actor is not None and actor.can(Permission.LOG_MENTORING)
        self.hr = actor is not None and actor.can(Permission.EDIT_RECORDS)

        self.record_button = button("Record incident…", "primary", self.record)
        self.edit_button = button("Edit…", "secondary", self.edit)
        self.close_button = button("Close incident", "secondary", self.close_incident)
        self.reopen_button = button("Reopen", "secondary", self.reopen)
        self.intern_button = button("Open intern", "secondary", self.open_intern)
        toolbar = QHBoxLayout()
        for widget in (
            self.record_button,
            self.edit_button,
            self.close_button,
            self.reopen_button,
            self.intern_button,
        ):
            toolbar.addWidget(widget)
        toolbar.addStretch(1)

        self.model: RowsModel[dto.IncidentRow] = RowsModel(_columns(every_intern), self)
        self.table = FittedTable()
        self.table.setObjectName("incidentsTable")
        self.table.setModel(self.model)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.edit())
        self.empty = label("No incidents recorded.", "muted")
        self.detail_label = label(wrap=True)
        self.detail_label.setObjectName("incidentDetail")
        self.detail_label.setTextFormat(Qt.TextFormat.RichText)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 10, 0, 0)
        column.setSpacing(8)
        if every_intern:
            column.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
            self._stale = True  # read when first shown
            column.addWidget(label("Incidents and injuries", "title"))
            column.addWidget(
                label(
                    "Open incidents first. One stays open until each notice is dated or "
                    "marked not needed; then HR closes it.",
                    "muted",
                    wrap=True,
                )
            )
        column.addLayout(toolbar)
        column.addWidget(self.table, 3)
        column.addWidget(self.empty)
        column.addWidget(self.detail_label, 1, Qt.AlignmentFlag.AlignTop)
        # Shown or hidden once parented: a parentless widget made visible opens as a
        # window of its own (and takes the main window's activation, and its shortcuts).
        self.record_button.setVisible(self.records and not every_intern)
        self.edit_button.setVisible(self.records)
        self.close_button.setVisible(self.hr)
        self.reopen_button.setVisible(self.hr)
        self.intern_button.setVisible(every_intern)
        if ops is not None:
            self.follow(ops, SHOWS)
        self._update_buttons()

    # -- reading

    def show_intern(self, intern_id: int) -> None:
        """Follow another intern (or the same one, read again)."""
        self.follow_intern(intern_id)

    def forget(self) -> None:
        self.model.set_rows(())
        self._show_detail(None)

    def load(self) -> None:
        if self.ops is None or (not self.every_intern and self.intern_id is None):
            return
        intern = None if self.every_intern else self.intern_id
        self.ops.read(
            self, incidents.list_incidents, intern_id=intern, done=self.show_rows, latest="rows"
        )

    def show_rows(self, rows: list[dto.IncidentRow]) -> None:
        chosen = self.selected()
        wanted = self._wanted if self._wanted is not None else chosen.id if chosen else None
        self.model.set_rows(rows)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(not rows)
        self.table.refit()
        ids = [r.id for r in rows]
        if wanted in ids:
            self._wanted = None
            self.table.selectRow(ids.index(wanted))
        elif rows:
            self.table.selectRow(0)
        else:
            self._show_detail(None)
        self._update_buttons()

    def selected(self) -> dto.IncidentRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, _a: QItemSelection, _b: QItemSelection) -> None:
        row = self.selected()
        self._update_buttons()
        if row is None or self.ops is None:
            self._show_detail(None)
            return
        self.ops.read(self, incidents.get_incident, row.id, done=self._show_detail, latest="detail")

    def _show_detail(self, detail: dto.IncidentDetail | None) -> None:
        chosen = self.selected()
        if detail is not None and (chosen is None or chosen.id != detail.row.id):
            return  # an answer for a row no longer selected
        self.detail = detail
        self.detail_label.setText(detail_html(detail) if detail else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        row = self.selected()
        d = (
            self.detail
            if row is not None and self.detail and self.detail.row.id == row.id
            else None
        )
        self.record_button.setEnabled(self.intern_id is not None)
        self.edit_button.setEnabled(row is not None and row.status == "open")
        self.close_button.setEnabled(d is not None and d.can_close)
        self.reopen_button.setEnabled(d is not None and d.can_reopen)
        self.intern_button.setEnabled(row is not None)

    # -- actions

    def record(self) -> None:
        from internhost.gui.dialogs.incident import open_incident

        if self.ops is not None and self.intern_id is not None:
            open_incident(self, self.ops, self.intern_id, saved=self._select_saved)

    def _select_saved(self, saved: dto.IncidentDetail) -> None:
        """The incident just recorded, selected: now if the list already has it, else
        once the read its save set off arrives."""
        ids = [self.model.row_at(i).id for i in range(self.model.rowCount())]
        if saved.row.id in ids:
            self.table.selectRow(ids.index(saved.row.id))
        else:
            self._wanted = saved.row.id

    def edit(self) -> None:
        from internhost.gui.dialogs.incident import open_incident

        row = self.selected()
        if self.ops is not None and self.records and row is not None and row.status == "open":
            open_incident(self, self.ops, row.intern_id, incident_id=row.id)

    def close_incident(self) -> None:
        self._write(incidents.close_incident, "Close incident")

    def reopen(self) -> None:
        self._write(incidents.reopen_incident, "Reopen incident")

    def _write(self, service: object, title: str) -> None:
        row = self.selected()
        if self.ops is None or row is None:
            return

        def refused(exc: BaseException) -> None:
            text = (
                "\n".join(e.message for e in exc.errors)
                if isinstance(exc, ValidationError)
                else str(exc)
            )
            QMessageBox.warning(self, title, text[:1].upper() + text[1:])

        self.ops.write(
            self,
            service,  # type: ignore[arg-type]
            row.id,
            changes={"incident"},
            failed=self.ops.expected(
                self, refused, ValidationError, Conflict, NotFound, PermissionDenied
            ),
        )

    def open_intern(self) -> None:
        row = self.selected()
        if row is not None:
            self.intern_requested.emit(row.intern_id)
