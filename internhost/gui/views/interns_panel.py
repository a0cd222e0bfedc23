"""Interns as a short records panel (the wizard's interns page): add one, edit one,
or import the school's roster. The interns screen proper keeps its lazy model for
tens of thousands of rows; a set-up wizard lists the first few dozen.

Like every records list it reads on the database worker (``gui.ops``) and reads
again when a write announces a kind it shows; its editors read before they open.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from internhost.core.actor import Permission
from internhost.core.dto import InternRow
from internhost.core.services import interns
from internhost.gui.dialogs.intern_editor import edit_intern
from internhost.gui.formatting import short_date, text_or_dash
from internhost.gui.models.columns import Column
from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import button, shown
from internhost.gui.widgets.records import RecordKind, RecordsView, already_announced

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor


def _load(s: Session, actor: Actor, today: date) -> list[InternRow]:
    """The interns not archived, by name (one read, on the worker)."""
    ids = interns.list_intern_ids(s, actor, include_archived=False)
    return interns.intern_rows(s, actor, ids, today)


INTERNS = RecordKind(
    key="interns",
    title="Interns",
    noun="intern",
    columns=(
        Column("Name", lambda r: r.name, sample="Nguyễn-Whitfield, Alexandra"),
        Column("Age", lambda r: str(r.age) if r.age is not None else r.age_band, sample="Age"),
        Column("School", lambda r: r.school, sample="Lincoln High School"),
        Column("Worksite", lambda r: text_or_dash(r.worksite), sample="Main plant"),
        Column("Starts", lambda r: short_date(r.placement_start), sample="Sep 30, 2025"),
    ),
    load=_load,
    row_id=lambda r: r.id,
    edit=edit_intern,
    search_text=lambda r: f"{r.name} {r.preferred_name}",
    shows={"intern", "placement", "school", "worksite"},
    empty_text="No interns yet. Add one, or import the roster the school sent.",
)


class InternsPanel(RecordsView):
    """The interns list with "Import roster…" beside "New intern"."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(INTERNS, ops, parent, compact=True)
        self.import_button = button("Import roster…", "secondary", self.import_roster)
        self.button_row.insertWidget(1, self.import_button)
        shown(self.import_button, ops.actor.can(Permission.IMPORT))
        self.placement_button = button("Add placement…", "secondary", self.add_placement)
        self.button_row.insertWidget(3, self.placement_button)
        shown(self.placement_button, not self.new_button.isHidden())
        self._update_buttons()

    def _update_buttons(self, *args: object) -> None:
        super()._update_buttons(*args)
        if hasattr(self, "placement_button"):
            self.placement_button.setEnabled(self.selected_id() is not None)

    def add_placement(self) -> None:
        from internhost.gui.views.placements import edit_placement

        intern_id = self.selected_id()
        if intern_id is not None:
            edit_placement(self, self.ops, None, already_announced, intern_id=intern_id)

    def import_roster(self) -> None:
        """The roster import (it announces what it wrote, so every list reads it)."""
        from internhost.gui.dialogs.import_roster import ImportRosterDialog

        ImportRosterDialog.ask(self, self.ops)  # it announces what it wrote
