"""The school coordinator's site visit: when, who, and what they noted
(``outcomes.save_site_visit``; HR records it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from internhost.core.dto_progress import ProgressOverview, SiteVisitRow
from internhost.core.services import outcomes
from internhost.gui.dialogs.record import edit_with_form
from internhost.gui.ops import Ops
from internhost.gui.views.progress_tab import placement_choices
from internhost.gui.widgets import fields as f


def visit_form(data: ProgressOverview) -> f.FieldForm:
    return f.FieldForm(
        [
            f.choice("placement_id", "Placement", placement_choices(data)),
            f.day("visited_on", "Visited on"),
            f.text("visitor", "Visitor", placeholder="The school coordinator's name"),
            f.text("notes", "Notes", multiline=True),
        ]
    )


def open_site_visit(
    parent: QWidget, ops: Ops, data: ProgressOverview, visit: SiteVisitRow | None = None
) -> Any:
    form = visit_form(data)

    def save(values: dict[str, Any]) -> SiteVisitRow:
        return ops.database.write(
            outcomes.save_site_visit, outcomes.SiteVisitInput(**values), visit.id if visit else None
        )

    initial = (
        {
            "placement_id": visit.placement_id,
            "visited_on": visit.visited_on,
            "visitor": visit.visitor,
            "notes": visit.notes,
        }
        if visit is not None
        else {"visited_on": ops.today()}
    )
    title = "Record a site visit" if visit is None else "Edit site visit"
    return edit_with_form(parent, title, form, save, ops=ops, changes={"progress"}, initial=initial)
