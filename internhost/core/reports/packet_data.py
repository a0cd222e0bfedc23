"""A packet's data snapshot: plain frozen values, built by ``services/packets.py`` from the
services' DTOs as the acting role sees them, and drawn by ``school_packet.py`` and
``hr_binder.py``.

The snapshot is what the verification code hashes (``packet.verification_code`` of
``dataclasses.asdict``): everything the packet prints, and nothing of when it was
printed, so the same records always give the same code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class ChecklistLine:
    title: str
    status: str
    due: date | None
    evidence_needed: str
    note: str
    citation: str
    verification: str


@dataclass(frozen=True)
class WeekLine:
    week_start: date
    approved_minutes: int
    awaiting_minutes: int
    entries: int
    #: Who approved the week's entries (names), for the signed timesheets.
    approved_by: tuple[str, ...]
    last_approved: datetime | None


@dataclass(frozen=True)
class CheckInLine:
    held_on: date
    mode: str
    minutes: int | None
    mentor: str | None
    topics: tuple[str, ...]
    #: Only the notes shared with the school, never internal ones.
    shared_notes: str


@dataclass(frozen=True)
class GoalLine:
    title: str
    description: str
    target_date: date | None
    status: str
    competency: str | None


@dataclass(frozen=True)
class RatingLine:
    competency: str
    level: int
    evidence: str


@dataclass(frozen=True)
class EvaluationLine:
    kind: str
    period_label: str
    evaluated_on: date
    framework: str | None
    scale_max: int
    evaluator: str | None
    overall: int | None
    strengths: str
    growth_areas: str
    submitted_at: datetime | None
    intern_acknowledged_on: date | None
    school_verified_by: str
    school_verified_on: date | None
    ratings: tuple[RatingLine, ...]


@dataclass(frozen=True)
class IncidentLine:
    occurred_at: datetime
    kind: str
    description: str
    status: str
    #: When the school coordinator was told (None: not yet).
    school_told_on: date | None


@dataclass(frozen=True)
class OutcomeLine:
    kind: str
    ended_on: date
    exit_reflection: str
    next_steps: tuple[str, ...]
    counts_toward_cde: bool | None
    concerns_notice_sent_on: date | None


@dataclass(frozen=True)
class PlanLine:
    phase: str
    title: str
    owner: str
    due_date: date | None
    status: str
    completed_by: str | None


@dataclass(frozen=True)
class DocumentLine:
    id: int
    doc_type: str
    title: str
    number: str
    issued_on: date | None
    expires_on: date | None
    media_type: str
    sha256: str


@dataclass(frozen=True)
class CdeLine:
    total_hours: int
    min_experience_hours: int
    counted_minutes: int
    placement_minutes: int
    met: bool
    citation: str
    verification: str


@dataclass(frozen=True)
class SchoolPacketData:
    """Everything a school packet prints for one intern and placement."""

    employer: str
    intern_id: int
    placement_id: int
    legal_name: str
    preferred_name: str
    school: str
    district: str
    grade: int | None
    worksite: str | None
    mentor: str | None
    start_date: date
    end_date: date | None
    status: str
    status_note: str
    program: str
    #: The agreement's terms as label/value lines.
    terms: tuple[tuple[str, str], ...]
    assigned_work: tuple[tuple[str, str, str], ...]
    checklist: tuple[ChecklistLine, ...]
    weeks: tuple[WeekLine, ...]
    cde: CdeLine
    check_ins: tuple[CheckInLine, ...]
    goals: tuple[GoalLine, ...]
    evaluations: tuple[EvaluationLine, ...]
    incidents: tuple[IncidentLine, ...]
    outcome: OutcomeLine | None
    training_plan: tuple[PlanLine, ...]
    #: Names only: the signature page.
    guardians: tuple[str, ...]
    coordinator: str
    documents: tuple[DocumentLine, ...]
    rule_packs: tuple[tuple[str, str], ...]

    @property
    def display_name(self) -> str:
        return self.preferred_name or self.legal_name

    @property
    def approved_minutes(self) -> int:
        return sum(w.approved_minutes for w in self.weeks)

    @property
    def awaiting_minutes(self) -> int:
        return sum(w.awaiting_minutes for w in self.weeks)


@dataclass(frozen=True)
class Replaces:
    """The earlier packet a reprint replaces (its cover names it)."""

    generated: date
    verification: str


@dataclass(frozen=True)
class FindingLine:
    placement_id: int | None
    work_date: date | None
    severity: str
    rule: str
    message: str
    citation: str
    verification: str
    source: str
    status: str
    decision_reason: str | None
    decided_by: str | None
    decided_at: datetime | None


@dataclass(frozen=True)
class NoticeLine:
    title: str
    citation: str
    verification: str
    done_on: date | None
    not_needed: str | None


@dataclass(frozen=True)
class BinderIncident:
    placement_id: int
    occurred_at: datetime
    kind: str
    description: str
    status: str
    notices: tuple[NoticeLine, ...]


@dataclass(frozen=True)
class BinderPlacement:
    id: int
    worksite: str | None
    mentor: str | None
    start_date: date
    end_date: date | None
    status: str
    program: str
    approved_minutes: int
    awaiting_minutes: int
    #: (kind, what, who may, exemption evidence)
    assigned_work: tuple[tuple[str, str, str, str], ...]
    checklist: tuple[ChecklistLine, ...]


@dataclass(frozen=True)
class HrBinderData:
    """Everything the HR compliance binder prints for one intern."""

    employer: str
    intern_id: int
    legal_name: str
    preferred_name: str
    birth_date: date | None
    age: int | None
    school: str
    placements: tuple[BinderPlacement, ...]
    documents: tuple[DocumentLine, ...]
    findings: tuple[FindingLine, ...]
    incidents: tuple[BinderIncident, ...]
    weeks: tuple[WeekLine, ...]
    cde: CdeLine
    rule_packs: tuple[tuple[str, str], ...]
