"""The table of one intern's onboarding-plan steps (``PlanDue`` rows the service built
for the reader: whether they may tick each step is the core's, never decided here)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from internhost.core.dto import PlanDue
from internhost.gui.formatting import DASH, local_time, relative_days, short_date
from internhost.gui.models.columns import Column, Pill
from internhost.gui.models.compliance_models import OVERDUE_COLOR, owner_word, status_word

PHASE_LABELS = {
    "before_day_one": "Before day one",
    "day_one": "Day one",
    "first_weeks": "First weeks",
}


def phase_word(phase: str) -> str:
    return PHASE_LABELS.get(phase, phase.replace("_", " ").capitalize())


def completed_text(step: PlanDue) -> str:
    """ "hr · Nov 20, 2026 14:05", or who or when alone, or a dash while open."""
    if step.status != "done":
        return DASH
    parts = [step.completed_by or "", local_time(step.completed_at) if step.completed_at else ""]
    return " · ".join(p for p in parts if p) or "Done"


def _due_tooltip(step: PlanDue, today: date) -> str | None:
    if step.due_date is None:
        return None
    when = relative_days(step.due_date, today)
    return f"Overdue: {when}" if step.overdue else when


def _status_pills(step: PlanDue) -> tuple[Pill, ...]:
    if step.overdue:
        return (Pill("Overdue", "danger"),)
    return (Pill("Done", "success"),) if step.status == "done" else ()


def plan_columns(today: date, placements: Mapping[int, str]) -> tuple[Column[PlanDue], ...]:
    return (
        Column("Phase", lambda p: phase_word(p.phase), sample="Before day one", elide=False),
        Column("Step", lambda p: p.title, sample="Safety orientation signed off", long=True),
        Column("Owner", lambda p: owner_word(p.owner), sample="Supervisor"),
        Column(
            "Due",
            lambda p: short_date(p.due_date) if p.due_date else DASH,
            tooltip=lambda p: _due_tooltip(p, today),
            sample="Sep 30, 2026",
            elide=False,
            foreground=lambda p: OVERDUE_COLOR if p.overdue else None,
        ),
        Column(
            "Status",
            lambda p: "Open" if p.status == "open" and not p.overdue else "",
            tooltip=lambda p: status_word(p.status),
            sample="Overdue___",
            elide=False,
            pills=_status_pills,
        ),
        Column("Completed", completed_text, sample="mentor · Sep 30, 2026 14:05"),
        Column(
            "Placement",
            lambda p: placements.get(p.placement_id, DASH),
            sample="Aug 31, 2026 – Jan 15, 2027",
        ),
    )


PLAN_PLACEMENT_COLUMN = 6
