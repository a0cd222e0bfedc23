"""Frozen values of an intern's growth (issue 14): competency frameworks, goals,
evaluations with their ratings, site visits and how a placement ended. Kept apart
from ``dto.py`` (which is crowded); the same rules hold: built by services for the
acting user, no ORM object inside."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class CompetencyRow:
    id: int
    key: str
    name: str
    category: str
    description: str
    #: Its own marker where it differs from its framework's, else the framework's.
    verification: str
    retired: bool
    #: How many ratings it has: one with ratings is retired, never deleted.
    ratings: int = 0


@dataclass(frozen=True)
class FrameworkRow:
    id: int
    key: str
    name: str
    version: str
    source: str
    verification: str
    scale_max: int
    shipped: bool
    edited_at: datetime | None
    retired_at: datetime | None
    competencies: tuple[CompetencyRow, ...] = ()
    #: The levels' names, 1 first, where the shipped file names them (else empty).
    scale_labels: tuple[str, ...] = ()

    @property
    def active_competencies(self) -> tuple[CompetencyRow, ...]:
        return tuple(c for c in self.competencies if not c.retired)

    @property
    def label(self) -> str:
        marker = "" if self.verification == "V" else f" [{self.verification}]"
        return f"{self.name} ({self.version}){marker}"


@dataclass(frozen=True)
class GoalRow:
    id: int
    placement_id: int
    title: str
    description: str
    target_date: date | None
    status: str
    competency_id: int | None
    competency: str | None
    overdue: bool = False


@dataclass(frozen=True)
class RatingRow:
    competency_id: int
    competency_key: str
    competency: str
    level: int
    evidence: str


@dataclass(frozen=True)
class EvaluationRow:
    id: int
    placement_id: int
    kind: str
    period_label: str
    framework_id: int | None
    framework: str | None
    scale_max: int
    evaluator_id: int | None
    evaluator: str | None
    evaluated_on: date
    overall: int | None
    strengths: str
    growth_areas: str
    submitted_at: datetime | None
    intern_acknowledged_on: date | None
    school_verified_by: str
    school_verified_on: date | None
    ratings: tuple[RatingRow, ...] = ()


@dataclass(frozen=True)
class EvaluationDue:
    """A mid-point or final evaluation a placement's dates make due, not yet written
    (the dashboard queue's ``evaluation_due``)."""

    intern_id: int
    placement_id: int
    kind: str
    due: date
    title: str


@dataclass(frozen=True)
class SiteVisitRow:
    id: int
    placement_id: int
    visited_on: date
    visitor: str
    notes: str
    recorded_by: str | None


@dataclass(frozen=True)
class OutcomeRow:
    placement_id: int
    kind: str
    ended_on: date
    termination_reason: str
    concerns_notice_sent_on: date | None
    exit_reflection: str
    mentor_notes: str
    next_steps: tuple[str, ...]
    counts_toward_cde: bool | None


@dataclass(frozen=True)
class ProgressPlacement:
    id: int
    start_date: date
    end_date: date | None
    status: str
    worksite: str | None
    mentor_id: int | None


@dataclass(frozen=True)
class ProgressOverview:
    """Everything the intern's Progress tab shows, read at once."""

    intern_id: int
    placements: tuple[ProgressPlacement, ...]
    goals: tuple[GoalRow, ...]
    evaluations: tuple[EvaluationRow, ...]
    check_ins: int
    last_check_in: date | None
    site_visits: tuple[SiteVisitRow, ...]
    outcomes: tuple[OutcomeRow, ...]
    #: What the reader may do: "goals", "evaluations", "site_visits", "outcome",
    #: "mentor_notes", "reference_letter" (as ``forms.save_reference_letter`` allows).
    may: frozenset[str] = frozenset()
