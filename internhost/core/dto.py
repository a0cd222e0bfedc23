"""Frozen values that cross from the core into the GUI and the CLI.

Services build them while their session is open, for the acting user: a field
the actor's role may not see is ``None`` (and so absent from JSON and empty in
CSV). Nothing here holds an ORM object, so nothing lazy-loads in a Qt slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # an input value the placement form edits; no import cycle at run time
    from internhost.core.actor import Actor
    from internhost.core.services.placements import PlacementInput


@dataclass(frozen=True)
class ContactRow:
    id: int
    kind: str
    name: str
    relationship: str
    phone: str
    email: str
    #: A guardian's authorization of emergency medical treatment (LEGAL.md C16).
    may_authorize_treatment: bool = False


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
    #: "Last, First", as the interns list writes it.
    intern_name: str = ""

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
    #: None for roles that may not see birth dates (a mentor): they get the band only.
    age: int | None
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
    #: None for roles that may not see birth dates (a mentor): they get the band only.
    age: int | None
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
    """An intern whose legal regime changes soon (turning an age that starts a band
    of the rule packs: 14, 16 or 18 today)."""

    intern_id: int
    name: str
    #: The age turned and the day: both None for actors who may not see
    #: birth dates (a mentor), who learn only that the rules change soon.
    new_age: int | None
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
    #: Active interns whose hours the law caps: younger than
    #: ``rules.ages.hours_limited_below()`` (16 today).
    hours_limited: int
    worksites: int
    schools: int
    mentors: int
    hours_this_week: float
    open_checklist_items: int
    findings: dict[str, int] = field(default_factory=dict)
    rule_changes: tuple[RuleChange, ...] = ()
    starting_soon: tuple[UpcomingPlacement, ...] = ()
    #: Open onboarding-plan steps due within two weeks or overdue, soonest first.
    plan_due: tuple[PlanDue, ...] = ()
    #: Every open plan step of placements not yet ended.
    plan_open_count: int = 0


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


# -- directory and onboarding


@dataclass(frozen=True)
class TaskOption:
    """A task of the rule engine's catalog, as the equipment page's picker shows it."""

    key: str
    label: str
    #: One line from the rule packs: "never under 18 (HO 7)".
    who_may: str
    #: "HO 7" when a federal Hazardous Occupations Order covers it, else None.
    hazardous_order: str | None
    description: str = ""
    production_area: bool = False


@dataclass(frozen=True)
class StaffRow:
    id: int
    name: str
    first_name: str
    last_name: str
    role: str
    email: str
    phone: str
    title: str
    worksite: str | None
    is_21_or_older: bool
    clearance_date: date | None
    mentor_training_date: date | None
    archived: bool
    worksite_id: int | None = None


@dataclass(frozen=True)
class DistrictRow:
    id: int
    name: str
    state: str
    #: (calendar id, school year), oldest year first.
    calendars: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class CalendarRow:
    id: int
    district: str
    school_year: str
    first_day: date
    last_day: date
    day_start: time
    day_end: time
    no_school_days: int
    early_dismissals: int
    late_starts: int
    district_id: int = 0


@dataclass(frozen=True)
class SchoolRow:
    id: int
    name: str
    district: str
    address: str
    coordinator_name: str
    coordinator_email: str
    coordinator_phone: str
    archived: bool
    district_id: int = 0


@dataclass(frozen=True)
class OnboardingItem:
    """One thing onboarding needs; ``page`` is the wizard page or records screen that
    fixes it and ``field`` the field to focus there (None: the page itself)."""

    text: str
    done: bool
    page: str
    field: str | None = None
    #: Where the need comes from (LEGAL.md), when it is the law's or a checklist's.
    citation: str = ""
    #: The record to open on that page (a worksite, staff member, district, intern).
    record_id: int | None = None


@dataclass(frozen=True)
class OnboardingStep:
    key: str
    title: str
    complete: bool
    items: tuple[OnboardingItem, ...]

    @property
    def missing(self) -> tuple[OnboardingItem, ...]:
        return tuple(i for i in self.items if not i.done)


@dataclass(frozen=True)
class OnboardingStatus:
    today: date
    steps: tuple[OnboardingStep, ...]

    @property
    def complete(self) -> bool:
        return all(step.complete for step in self.steps)

    @property
    def missing_count(self) -> int:
        return sum(len(step.missing) for step in self.steps)

    def step(self, key: str) -> OnboardingStep:
        return next(step for step in self.steps if step.key == key)


@dataclass(frozen=True)
class PlanDue:
    """An open (or just updated) step of an intern's onboarding plan."""

    item_id: int
    intern_id: int
    intern_name: str
    placement_id: int
    phase: str
    title: str
    owner: str
    due_date: date | None
    overdue: bool
    status: str = "open"
    note: str = ""


# -- records: interns and placements


@dataclass(frozen=True)
class MedicalNoteRow:
    """A medical note (HR only). ``author`` is the writer's account name, None when the
    note was written without a user account (the audit trail names the actor)."""

    id: int
    body: str
    created_at: datetime
    author: str | None


@dataclass(frozen=True)
class ReleaseRow:
    """A student record the school released to the employer, and on what basis (FERPA,
    LEGAL.md C15)."""

    id: int
    intern_id: int
    record_type: str
    released_on: date
    consent_basis: str
    consent_signed_by: str
    redisclosure_notice_received: bool
    document_id: int | None


@dataclass(frozen=True)
class BeneficiaryAssessment:
    """The primary-beneficiary answers of an unpaid placement read against the rule pack
    (LEGAL.md §2.10): ``factors`` are the decisive factors (1-based, Fact Sheet #71's
    order) whose answers point to employment."""

    likely_employee: bool
    factors: tuple[int, ...]
    message: str
    citation: str
    verification: str
    #: Decisive factors not answered yet (1-based).
    unanswered: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlacementDetail:
    """One placement for its detail screen: the list row, the values its form edits
    (a ``placements.PlacementInput``), who recorded an employee-status decision, and
    the primary-beneficiary assessment (None for a paid placement)."""

    row: PlacementRow
    input: PlacementInput
    intern_name: str
    school: str
    worksite: str | None
    mentor: str | None
    employee_status_decided_on: date | None
    #: The deciding account's name; None when no decision (or no account) is recorded.
    employee_status_decided_by: str | None
    assessment: BeneficiaryAssessment | None


@dataclass(frozen=True)
class NewTermPlacement:
    """A placement of the term being copied: copied (``copy``) or skipped (``reason``)."""

    placement_id: int
    intern_id: int
    intern_name: str
    school: str
    worksite: str | None
    mentor: str | None
    #: The copy's dates.
    start_date: date
    end_date: date | None
    copy: bool
    reason: str = ""
    #: What the copy leaves behind or changes (an archived mentor, a not-employee decision).
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewTermCalendar:
    """A district calendar of the term being copied, one school year forward."""

    calendar_id: int
    district: str
    school_year: str
    new_school_year: str
    copy: bool
    reason: str = ""


@dataclass(frozen=True)
class NewTermPreview:
    placements: tuple[NewTermPlacement, ...]
    calendars: tuple[NewTermCalendar, ...]

    @property
    def to_copy(self) -> tuple[NewTermPlacement, ...]:
        return tuple(p for p in self.placements if p.copy)

    @property
    def calendars_to_copy(self) -> tuple[NewTermCalendar, ...]:
        return tuple(c for c in self.calendars if c.copy)


@dataclass(frozen=True)
class NewTermResult:
    #: The new placements, each with its checklist and onboarding plan.
    placements: tuple[PlacementRow, ...]
    #: Ids of the calendars created for the next school year.
    calendar_ids: tuple[int, ...]
    #: What was decided, skipped placements and calendars with their reasons included.
    preview: NewTermPreview


# -- accounts


@dataclass(frozen=True)
class AccountRow:
    """A user account as the Accounts screen lists it; never its password hash."""

    id: int
    username: str
    display_name: str
    #: "hr_admin", "mentor" or "viewer".
    role: str
    role_label: str
    #: A mentor's staff record (which decides their own interns).
    staff_id: int | None
    staff_name: str | None
    is_demo: bool
    disabled: bool
    created_at: datetime | None
    last_login_at: datetime | None

    @property
    def shown_name(self) -> str:
        return self.display_name or self.username


@dataclass(frozen=True)
class Login:
    """Who logged in: the acting user every service receives, and their account."""

    actor: Actor
    account: AccountRow


@dataclass(frozen=True)
class LoginDelay:
    """A user name with failed logins counted (``core.login_guard``), as the Accounts
    screen lists it: names no account has are counted (and listed) too."""

    username: str
    failures: int
    last_failure: datetime
    #: Seconds the next attempt for this name waits (0 below the free failures).
    delay_seconds: int
    #: Whether an account has this user name.
    known: bool


@dataclass(frozen=True)
class AuditEventRow:
    seq: int
    occurred_at: datetime
    actor_kind: str
    actor_name: str
    operation: str
    action: str
    aggregate_type: str
    aggregate_id: int | None
    #: {"table:id": {"before": {...} | None, "after": {...} | None}}; {} when purged.
    changes: dict[str, Any]
    purged: bool
    #: What the record is, as a person names it ("Intern Ana Ruiz"); see ``audit_labels``.
    record_label: str = ""
    #: The same for each "table:id" key of ``changes``.
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def record(self) -> str:
        return (
            f"{self.aggregate_type}:{self.aggregate_id}"
            if self.aggregate_id
            else (self.aggregate_type)
        )


@dataclass(frozen=True)
class ComplianceSummary:
    intern_id: int
    violations: int
    warnings: int
    advisories: int
    added: int
    removed: int
    checklist_items: int


@dataclass(frozen=True)
class WorksiteRow:
    id: int
    name: str
    address: str
    city: str
    state: str
    time_zone: str
    areas: tuple[tuple[str, str], ...]
    has_production_areas: bool
    archived: bool


@dataclass(frozen=True)
class EquipmentRow:
    id: int
    worksite_id: int
    name: str
    area: str | None
    #: (task key, task label, who may do it)
    tasks: tuple[tuple[str, str, str], ...] = field(default_factory=tuple)
    archived: bool = False
    description: str = ""


@dataclass(frozen=True)
class PurgeCandidate:
    """An intern past the retention period, and what would go with them."""

    intern_id: int
    name: str
    school: str
    last_worked: date
    #: What ``last_worked`` comes from: "time entry", "placement end",
    #: "placement archived" or "record created".
    basis: str
    #: The first day the intern may be purged (the period has passed in full).
    eligible_since: date
    #: Rows that would be deleted, by table (``table_label`` names them), the intern's
    #: own row included.
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class PurgeProposal:
    today: date
    years: int
    candidates: tuple[PurgeCandidate, ...]
    #: Rows that would be deleted, by table, over every candidate.
    totals: dict[str, int]
    #: Audit events whose payloads would be blanked (their entries stay in the chain).
    audit_events: int
    #: What a purge cannot reach (the backups), worded by the retention service.
    note: str = ""
    #: Interns past the period but kept: they have an incident report.
    held_for_incidents: tuple[int, ...] = ()
    #: Why they are kept, worded by the retention service ("" when none is).
    held_note: str = ""

    @property
    def intern_ids(self) -> tuple[int, ...]:
        return tuple(c.intern_id for c in self.candidates)

    @property
    def records(self) -> int:
        return sum(self.totals.values())


@dataclass(frozen=True)
class PurgeResult:
    interns: int
    #: Rows deleted, by table.
    deleted: dict[str, int]
    audit_events_blanked: int
    years: int

    @property
    def records(self) -> int:
        return sum(self.deleted.values())


# -- logged hours (issue 13 §4)


@dataclass(frozen=True)
class TimeEntryRow:
    """A logged time entry as the Hours tab and the entry dialog show it."""

    id: int
    intern_id: int
    placement_id: int
    work_date: date
    #: Local wall-clock times at the worksite; ``end`` may be on the next day.
    start: datetime
    end: datetime
    break_minutes: int
    #: A break the clock deducted with no punches (not worked; no meal period).
    auto_break_minutes: int | None
    hours: float
    supervisor: str
    area: str | None
    #: Task labels as "label (machine, 30 min)", in entry order.
    tasks: tuple[str, ...]
    source: str
    note: str
    entered_by: str | None
    approved: bool
    locked: bool
    #: The findings stored on this entry by the check its save ran, worded for the actor.
    findings: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChoiceOption:
    """A record a picker offers: its id and how it reads."""

    id: int
    label: str


@dataclass(frozen=True)
class TimeEntryChoices:
    """What the entry dialog offers for one intern: the placements hours may be logged
    under, and each one's worksite areas, supervisors and machines (by placement id)."""

    intern_id: int
    intern_name: str
    placements: tuple[ChoiceOption, ...]
    areas: dict[int, tuple[ChoiceOption, ...]]
    supervisors: tuple[ChoiceOption, ...]
    equipment: dict[int, tuple[ChoiceOption, ...]]
    tasks: tuple[TaskOption, ...]
