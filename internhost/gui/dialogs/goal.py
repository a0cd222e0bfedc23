"""The goal editor: what the intern aims for, by when, its status, and the
competency it serves where it serves one (``goals.save_goal``)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from internhost.core.dto_progress import FrameworkRow, GoalRow, ProgressOverview
from internhost.core.models.enums import GOAL_STATUSES
from internhost.core.services import frameworks, goals
from internhost.gui.dialogs.record import edit_with_form, refusal
from internhost.gui.ops import Ops
from internhost.gui.views.progress_tab import placement_choices
from internhost.gui.widgets import fields as f

CHANGES = {"progress"}


def competency_choices(rows: list[FrameworkRow], keep: int | None = None) -> list[tuple[Any, str]]:
    """None, then each competency in use as "Framework: competency" (and ``keep``,
    the goal's own, even if retired since)."""
    out: list[tuple[Any, str]] = [(None, "None")]
    for row in rows:
        for c in row.competencies:
            if not c.retired or c.id == keep:
                out.append((c.id, f"{row.name}: {c.name}"))
    return out


def goal_form(data: ProgressOverview, rows: list[FrameworkRow], keep: int | None) -> f.FieldForm:
    return f.FieldForm(
        [
            f.choice("placement_id", "Placement", placement_choices(data)),
            f.text("title", "Goal"),
            f.text("description", "Details", multiline=True),
            f.day("target_date", "Due by"),
            f.choice("status", "Status", [(s, s.capitalize()) for s in GOAL_STATUSES]),
            f.choice("competency_id", "Competency", competency_choices(rows, keep)),
        ]
    )


def open_goal(
    parent: QWidget, ops: Ops, data: ProgressOverview, goal: GoalRow | None = None
) -> None:
    """Read the frameworks, then open the goal editor (a new goal, or ``goal``)."""
    title = "New goal" if goal is None else "Edit goal"
    today = ops.today()

    def opened(rows: list[FrameworkRow]) -> None:
        form = goal_form(data, rows, goal.competency_id if goal else None)

        def save(values: dict[str, Any]) -> GoalRow:
            return ops.database.write(
                goals.save_goal, goals.GoalInput(**values), goal.id if goal else None, today=today
            )

        initial = (
            {
                "placement_id": goal.placement_id,
                "title": goal.title,
                "description": goal.description,
                "target_date": goal.target_date,
                "status": goal.status,
                "competency_id": goal.competency_id,
            }
            if goal is not None
            else {"status": "open"}
        )
        edit_with_form(parent, title, form, save, ops=ops, changes=CHANGES, initial=initial)

    ops.read(parent, frameworks.list_frameworks, done=opened, failed=refusal(parent, ops, title))
