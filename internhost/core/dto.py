"""Frozen values that cross from the core into the GUI and the CLI.

Services build them while their session is open, for the acting user: a field
the actor's role may not see is ``None`` (and so absent from JSON and empty in
CSV). Nothing here holds an ORM object, so nothing lazy-loads in a Qt slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class ContactRow:
    id: int
    kind: str
    name: str
    relationship: str
    phone: str
    email: str


@dataclass(frozen=True)
class PlacementRow:
    id: int
    intern_id: int
    school: str
    worksite: str | None
    mentor: str | None
    mentor_email: str | None
    start_date: date
    end_date: date | None
    paid: bool
    hourly_rate_cents: int | None
    program: str
    program_label: str
    required_hours: int | None
    archived: bool

    def status_on(self, today: date) -> str:
        if self.archived:
            return "archived"
        if today < self.start_date:
            return "upcoming"
        if self.end_date is not None and today > self.end_date:
            return "ended"
        return "active"


@dataclass(frozen=True)
class InternRow:
    """One line of the interns list."""

    id: int
    name: str
    preferred_name: str
    age: int
    age_band: str
    birth_date: date | None
    school: str
    grade: int | None
    worksite: str | None
    mentor: str | None
    placement_start: date | None
    placement_end: date | None
    archived: bool


@dataclass(frozen=True)
class InternDetail:
    id: int
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    birth_date: date | None
    age: int
    age_band: str
    #: Set only when the actor may see it; a mentor learns only that rules change soon.
    next_rule_change: date | None
    rule_change_soon: bool
    address: str | None
    residence_district: str | None
    residence_district_confirmed: bool
    school: str
    district: str
    grade: int | None
    student_id: str | None
    archived: bool
    contacts: tuple[ContactRow, ...] | None
    placements: tuple[PlacementRow, ...]

    @property
    def display_name(self) -> str:
        first = self.preferred_name or self.legal_first_name
        return f"{first} {self.legal_last_name}"


@dataclass(frozen=True)
class RuleChange:
    """An intern whose legal regime changes soon (turning 16 or 18)."""

    intern_id: int
    name: str
    new_age: int
    #: None for actors who may not see birth dates.
    on: date | None


@dataclass(frozen=True)
class UpcomingPlacement:
    intern_id: int
    name: str
    worksite: str | None
    start_date: date


@dataclass(frozen=True)
class Dashboard:
    today: date
    employer_name: str | None
    active_interns: int
    active_placements: int
    under_16: int
    worksites: int
    schools: int
    mentors: int
    hours_this_week: float
    open_checklist_items: int
    findings: dict[str, int] = field(default_factory=dict)
    rule_changes: tuple[RuleChange, ...] = ()
    starting_soon: tuple[UpcomingPlacement, ...] = ()


@dataclass(frozen=True)
class FindingRow:
    """A stored rule finding as the screens and packets show it."""

    id: int
    placement_id: int | None
    rule: str
    category: str
    severity: str
    jurisdiction: str
    citation: str
    verification: str
    message: str
    work_date: date | None
    source: str  # "planned shift", "logged hours" or "placement"
    stale: bool
    #: "acknowledge" or "override" when HR decided on it, else None.
    decision: str | None
    decision_reason: str | None

    @property
    def unverified(self) -> bool:
        return self.verification != "V"


@dataclass(frozen=True)
class ChecklistRow:
    id: int
    placement_id: int
    key: str
    title: str
    evidence_needed: str
    owner: str
    due: date | None
    status: str
    citation: str
    verification: str
    retired: bool
    note: str

    def overdue(self, today: date) -> bool:
        return self.status == "open" and self.due is not None and self.due < today
