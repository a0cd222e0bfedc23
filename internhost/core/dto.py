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
    #: ``PLACEMENT_STATUSES``: draft, active, completed, terminated or archived.
    status: str = "active"
    #: Why a draft is one (what its findings block), or how the placement ended.
    status_note: str = ""
    #: The intern's badge number on the time clock.
    badge: str | None = None


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
    #: The first day of ``today``'s workweek (``Employer.workweek_start``), which
    #: ``hours_this_week`` counts from; None reads as the Monday.
    week_from: date | None = None
    rule_changes: tuple[RuleChange, ...] = ()
    starting_soon: tuple[UpcomingPlacement, ...] = ()
    #: Open onboarding-plan steps due within two weeks or overdue, soonest first.
    plan_due: tuple[PlanDue, ...] = ()
    #: Every open plan step of placements not yet ended.
    plan_open_count: int = 0


#: Every kind of work the queue of what needs doing names, in the order counts are shown
#: (``services/queue.py`` reads the kinds it has a query for; the others count 0).
#: How many queue items a reader gets unless they ask for more or fewer (``internhost
#: due --limit``): here, not in the service, so the command line's parser names it
#: without importing the ORM (the app parses its arguments before its first frame).
QUEUE_LIMIT = 200
QUEUE_KINDS = (
    "concern",
    "incident",
    "checklist",
    "plan_step",
    "document_expiring",
    "check_in_due",
    "evaluation_due",
    "action_item",
    "entries_to_approve",
    "finding",
    "rule_change",
)


@dataclass(frozen=True)
class QueueItem:
    """One line of the queue: one kind of work for one intern (their most urgent
    record of that kind, and how many there are)."""

    kind: str
    intern_id: int
    intern_name: str
    placement_id: int | None
    #: When it is due; None for work due at once (concerns, incidents, findings).
    #: A mentor's ``rule_change`` is dated by its week's first day, never the birthday.
    due: date | None
    #: What needs doing, without the intern's name ("3 time entries to approve").
    what: str
    #: Where to act: "checklist", "plan", "hours" or "intern" (a tab of the intern's
    #: page), with ``record_id`` the record to select there (an item, a time entry).
    target: str
    record_id: int | None = None
    overdue: bool = False

    @property
    def title(self) -> str:
        return f"{self.intern_name}: {self.what}"


@dataclass(frozen=True)
class Queue:
    today: date
    #: Items of each kind of ``QUEUE_KINDS`` (one per intern), however many were listed.
    counts: dict[str, int]
    #: Most urgent first, at most the limit asked for.
    items: tuple[QueueItem, ...]


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
    #: HR's last decision on it: "open" (none), "acknowledged", "overridden" or
    #: "revoked"; who decided (or revoked) and when. Whether its inputs changed since
    #: it was checked is ``stale``, apart.
    status: str = "open"
    decided_by: str | None = None
    decided_at: datetime | None = None
    #: What the actor may record on it now ("acknowledge", "override", "revoke"), what
    #: the reason must name ("written" or "evidence") and the decisions table's advice.
    actions: tuple[str, ...] = ()
    reason_needs: str = "written"
    advice: str = ""
    #: Whose finding it is and where, for lists across interns.
    intern_id: int | None = None
    intern_name: str = ""
    worksite: str | None = None
    shift_id: int | None = None
    time_entry_id: int | None = None

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
    #: The statuses the reader may give it (none: they may not change it).
    statuses: tuple[str, ...] = ()

    def overdue(self, today: date) -> bool:
        return self.status == "open" and self.due is not None and self.due < today


# -- directory and onboarding


@dataclass(frozen=True)
class AssignmentOption:
    """Something a placement may assign, as the placement editor's pickers show it."""

    kind: str  # "area" | "task" | "machine"
    #: The area's or machine's id, or the task's catalog key.
    key: int | str
    label: str
    #: An area's kind, a machine's tasks, a task's Hazardous Occupations Order.
    detail: str
    #: From the rule packs: "never under 18 (HO 7)"; empty for an area.
    who_may: str


@dataclass(frozen=True)
class PreviewFinding:
    """A finding the placement check would store, before the placement is saved."""

    rule: str
    category: str
    severity: str
    citation: str
    verification: str
    message: str
    #: What it keeps from being saved ("placement", "activation"), as the decisions
    #: table says; empty when it blocks nothing a placement does.
    blocks: tuple[str, ...]
    advice: str
    #: HR's standing decision on it ("override", "acknowledge"), if any.
    decision: str | None = None


@dataclass(frozen=True)
class PlacementPreview:
    """What saving the placement form would do: the findings of the placement check
    and the status it would get (a draft, and why, when its findings block it)."""

    findings: tuple[PreviewFinding, ...]
    status: str
    status_note: str
    #: Why nothing could be checked yet (no worksite), else empty.
    unchecked: str = ""


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
    #: Whether the reader may tick it done or open it again.
    may_tick: bool = False
    completed_at: datetime | None = None
    #: Who ticked it done (the audit trail's name), when it is done.
    completed_by: str | None = None


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


# -- the schedule planner (services/schedules.py, services/closures.py)


@dataclass(frozen=True)
class PlanFinding:
    """A finding on a planned shift, worded for the reader, with what the decisions
    table says it blocks and how to fix it."""

    rule: str
    category: str
    severity: str
    message: str
    citation: str
    verification: str
    #: Whether it keeps the shift from being saved (``decisions`` table, "plan").
    blocks_plan: bool
    #: How to fix it or who may decide it, from the decisions table.
    advice: str
    #: HR's standing decision on it ("acknowledge", "override"), if any.
    decision: str | None = None
    #: Whether the decisions table lets HR override it with a written reason.
    may_override: bool = False


@dataclass(frozen=True)
class PlanShift:
    """A planned shift as the week view draws it."""

    #: "shift:<id>" for a stored shift; the caller's key for a draft in a preview.
    key: str
    id: int | None
    intern_id: int
    placement_id: int
    work_date: date
    start: datetime
    end: datetime
    area_id: int | None
    area: str
    supervisor_staff_id: int | None
    supervisor: str
    supervisor_21_or_older: bool | None
    tasks: tuple[str, ...]
    breaks: tuple[tuple[datetime, datetime], ...]
    series: str | None
    findings: tuple[PlanFinding, ...] = ()

    @property
    def hours(self) -> float:
        gone = sum((e - s).total_seconds() for s, e in self.breaks)
        return ((self.end - self.start).total_seconds() - gone) / 3600


@dataclass(frozen=True)
class PlanDay:
    """One day of an intern's week: the legal window shaded before anything is drawn,
    the plant's closure, and the hours planned and logged."""

    day: date
    #: False when the intern may not work at all that day (too young).
    may_work: bool
    earliest: time | None
    latest: time | None
    #: School hours, when work is not allowed.
    blocked: tuple[time, time] | None
    #: Hours still allowed that day and that week; None: no legal limit.
    hours_left_day: float | None
    hours_left_week: float | None
    #: The rules that set the window.
    binding: tuple[str, ...]
    #: Why the plant is closed that day, if it is.
    closed: str | None
    planned_hours: float
    logged_hours: float
    #: Before today: the week's total counts its logged hours, not its plan.
    past: bool


@dataclass(frozen=True)
class PlanLane:
    """One intern's row of the week view."""

    intern_id: int
    name: str
    age_band: str
    #: The open placements the week may plan shifts for (ids), first the current one.
    placement_ids: tuple[int, ...]
    worksite_id: int | None
    days: tuple[PlanDay, ...]
    shifts: tuple[PlanShift, ...]
    #: The day a birthday changes the intern's rules this week (None for a reader who
    #: may not see birth dates, who gets only ``rules_change_this_week``).
    rule_change_on: date | None
    rules_change_this_week: bool

    @property
    def week_hours(self) -> float:
        """Logged hours of the past days plus planned hours of the days ahead."""
        return sum(d.logged_hours if d.past else d.planned_hours for d in self.days)


@dataclass(frozen=True)
class WeekPlan:
    week_start: date
    lanes: tuple[PlanLane, ...]
    #: Whether the reader may plan (HR): a mentor and a viewer read only.
    can_edit: bool


@dataclass(frozen=True)
class PlanPreview:
    """The live check of a plan being edited: each shift's findings (stored shifts by
    "shift:<id>", drafts by their key) and the week's days recomputed."""

    intern_id: int
    findings: dict[str, tuple[PlanFinding, ...]]
    days: tuple[PlanDay, ...]
    #: Findings about the whole placement (the wage, a missing certificate).
    general: tuple[PlanFinding, ...] = ()


@dataclass(frozen=True)
class SeriesResult:
    series: str
    created: tuple[PlanShift, ...]
    #: The pattern's dates left out, each with why (no school, a plant closure).
    skipped: tuple[tuple[date, str], ...]
    #: The days left out because a finding blocked them (HR chose to), with the findings.
    left_out: tuple[tuple[date, str], ...] = ()


@dataclass(frozen=True)
class SeriesPreview:
    """What a recurring pattern would plan, before it is saved."""

    days: tuple[date, ...]
    #: The pattern's dates left out, each with why (no school, a plant closure).
    skipped: tuple[tuple[date, str], ...]
    #: The findings the new shifts would bring, by day (None: the plan as a whole).
    findings: tuple[tuple[date | None, PlanFinding], ...]
    #: Asked to leave out the days a finding blocks: those days, with the findings.
    left_out: tuple[tuple[date, str], ...] = ()

    @property
    def blocked(self) -> bool:
        """Whether a finding keeps the pattern from being saved."""
        return any(f.blocks_plan for _day, f in self.findings)

    @property
    def blocked_days(self) -> tuple[date, ...]:
        """The days a finding that blocks the pattern falls on."""
        return tuple(sorted({d for d, f in self.findings if f.blocks_plan and d is not None}))

    @property
    def may_override(self) -> bool:
        """Whether HR may override every finding that blocks it with a written reason."""
        blocking = [f for _day, f in self.findings if f.blocks_plan]
        return bool(blocking) and all(f.may_override for f in blocking)


@dataclass(frozen=True)
class SupervisorChoice:
    """A staff member who may supervise a shift, with the age status Illinois asks."""

    id: int
    name: str
    #: None: their age was never attested.
    is_21_or_older: bool | None


@dataclass(frozen=True)
class ShiftChoices:
    """What a shift's details may name at one worksite: its areas, the current staff
    and the task catalog."""

    areas: tuple[tuple[int, str], ...]
    supervisors: tuple[SupervisorChoice, ...]
    tasks: tuple[TaskOption, ...]


@dataclass(frozen=True)
class ClosureRow:
    id: int
    day: date
    worksite_id: int | None
    #: The worksite's name, or "" for a closure of every worksite.
    worksite: str
    reason: str


# -- hours: approval, pay periods, progress, attendance (issue 13 §4) -------------------


@dataclass(frozen=True)
class TimeEntryRow:
    """A logged time entry as the Hours tab, the entry dialog and approval show it."""

    id: int
    intern_id: int
    placement_id: int
    work_date: date
    #: Local wall-clock times at the worksite; ``end`` may be on the next day.
    start: datetime
    end: datetime
    #: Minutes of its punched unpaid breaks.
    break_minutes: int
    #: A break the clock deducted with no punches (not worked; no meal period).
    auto_break_minutes: int | None
    worked_minutes: int
    source: str
    approved: bool
    approved_by: str | None
    approved_at: datetime | None
    locked: bool
    #: Whether the acting user may approve it now (a mentor not for what they entered).
    can_approve: bool = False
    #: Minutes after its planned shift's start it began (None: on time or unplanned).
    late_minutes: int | None = None
    #: Its unpaid breaks (local start, end), as punched.
    breaks: tuple[tuple[datetime, datetime], ...] = ()
    supervisor: str = ""
    area: str | None = None
    #: Task labels as "label (machine, 30 min)", in entry order.
    tasks: tuple[str, ...] = ()
    note: str = ""
    entered_by: str | None = None
    #: The findings stored on this entry by the check its save ran, worded for the actor.
    findings: tuple[str, ...] = ()

    @property
    def hours(self) -> float:
        """Hours worked, two decimals (as files and screens show them)."""
        return round(self.worked_minutes / 60, 2)


@dataclass(frozen=True)
class ApprovalResult:
    approved: tuple[int, ...]
    #: Entries already approved before (left as they were).
    already: tuple[int, ...]


@dataclass(frozen=True)
class PayPeriodRow:
    """A workweek: closed (``closed_at``) or still open, with its entries' counts."""

    start_date: date
    end_date: date
    entries: int
    unapproved: int
    closed_at: datetime | None = None
    closed_by: str | None = None


@dataclass(frozen=True)
class AttendanceRow:
    """A planned shift already past: worked (``entry_id``), marked absent, or missing."""

    shift_id: int
    work_date: date
    start: datetime
    end: datetime
    entry_id: int | None
    late_minutes: int | None
    absent: bool
    excused: bool | None
    reason: str

    @property
    def status(self) -> str:
        if self.absent:
            return "excused absence" if self.excused else "absent"
        if self.entry_id is None:
            return "no entry"
        return f"late {self.late_minutes} min" if self.late_minutes else "worked"


@dataclass(frozen=True)
class ExperienceHours:
    """One placement's hours, as one Career Development Experience."""

    placement_id: int
    label: str
    required_hours: int | None
    approved_minutes: int
    awaiting_minutes: int


@dataclass(frozen=True)
class WeekHours:
    week_start: date
    approved_minutes: int
    awaiting_minutes: int


@dataclass(frozen=True)
class YouthHours:
    """The youth-wage counter: hours with this employer in ``year`` against the limit
    after which the adult minimum applies (wage pack)."""

    year: int
    minutes: int
    limit_hours: int
    citation: str
    verification: str


@dataclass(frozen=True)
class InternHours:
    """Everything the Hours tab shows of one intern."""

    intern_id: int
    experiences: tuple[ExperienceHours, ...]
    cde_total_hours: int
    cde_min_experience_hours: int
    cde_citation: str
    cde_verification: str
    #: None when no youth rate applies (the state has none, or the intern is past it).
    youth: YouthHours | None
    weeks: tuple[WeekHours, ...]
    entries: tuple[TimeEntryRow, ...]
    attendance: tuple[AttendanceRow, ...]

    @property
    def approved_minutes(self) -> int:
        return sum(e.approved_minutes for e in self.experiences)

    @property
    def awaiting_minutes(self) -> int:
        return sum(e.awaiting_minutes for e in self.experiences)

    @property
    def cde_counted_minutes(self) -> int:
        """Approved minutes of the experiences long enough to count."""
        floor = self.cde_min_experience_hours * 60
        return sum(e.approved_minutes for e in self.experiences if e.approved_minutes >= floor)

    @property
    def cde_met(self) -> bool:
        return self.cde_counted_minutes >= self.cde_total_hours * 60


@dataclass(frozen=True)
class TimesheetDay:
    """One day of a weekly timesheet: what was planned and what was logged."""

    day: date
    #: "15:30–17:30" per planned shift, and the planned hours (minutes).
    planned: tuple[str, ...]
    planned_minutes: int
    logged: tuple[str, ...]
    logged_minutes: int


@dataclass(frozen=True)
class TimesheetContent:
    """A weekly timesheet for paper sign-off, prefilled from the plan."""

    employer: str
    intern: str
    badge: str
    worksite: str
    mentor: str
    week_start: date
    days: tuple[TimesheetDay, ...]

    @property
    def planned_minutes(self) -> int:
        return sum(d.planned_minutes for d in self.days)

    @property
    def logged_minutes(self) -> int:
        return sum(d.logged_minutes for d in self.days)


# -- logged hours (issue 13 §4)


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
