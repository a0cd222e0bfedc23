"""Placements: one internship, intern × worksite × mentor × school, for a span of dates.

Saving validates every field first and writes nothing on an error. A new placement
gets the default onboarding plan (``plans``) and, through the re-check of the
placement that follows every save (``compliance.check_interns``), its legal checklist
from the checklist pack, as the roster import gives them. An unpaid placement records the seven
primary-beneficiary answers (LEGAL.md §2.10); ``assess_primary_beneficiary`` reads
them against the rule pack's decisive factors. Only an HR user with an account may
conclude that an intern is not an employee: the database requires the decision to
name who made it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, Role, require
from internhost.core.errors import NotFound
from internhost.core.models import (
    ChecklistItem,
    Finding,
    FindingOverride,
    Intern,
    Placement,
    PlacementAssignment,
    PlanItem,
    School,
    Staff,
    UserAccount,
    Worksite,
)
from internhost.core.models.base import utcnow
from internhost.core.models.enums import (
    EMPLOYEE_STATUSES,
    OPEN_PLACEMENT_STATUSES,
    PLACEMENT_STATUSES,
    PROGRAMS,
)
from internhost.core.models.interns import PRIMARY_BENEFICIARY_FACTORS
from internhost.core.rules.decisions import BLOCKABLE, decision_for
from internhost.core.rules.messages import render
from internhost.core.rules.packs import Rule, load_pack, load_rules
from internhost.core.rules.templates import View, fill
from internhost.core.services import assignments, compliance, interns, placement_status, plans
from internhost.core.services.assignments import AssignmentInput
from internhost.core.services.case_facts import preview_case
from internhost.core.trail import audit
from internhost.core.validation import MAX_HOURLY_RATE_CENTS, Checker, by_id, storable

FACTOR_COUNT = len(PRIMARY_BENEFICIARY_FACTORS)
REASON_MAX = 2000
#: The most hours a school may require of one placement: a full-time year is about
#: 2,000; more is a typo.
MAX_REQUIRED_HOURS = 5_000
#: The longest a mentor may go between check-ins: a year.
MAX_CHECK_IN_EVERY_DAYS = 365
#: The longest badge number a time clock prints (the column holds 40).
BADGE_MAX = 40
#: The statuses the form may ask for; archiving is its own action.
CHOSEN_STATUSES = tuple(s for s in PLACEMENT_STATUSES if s != "archived")


@dataclass(frozen=True)
class PlacementInput:
    """What the placement form edits. ``primary_beneficiary`` holds the seven answers in
    ``PRIMARY_BENEFICIARY_FACTORS``'s order: True points to the intern as the primary
    beneficiary, False to employment, None unanswered."""

    intern_id: int
    school_id: int | None
    start_date: date | None
    end_date: date | None = None
    worksite_id: int | None = None
    mentor_id: int | None = None
    paid: bool = True
    hourly_rate_cents: int | None = None
    program: str = "employment"
    required_hours: int | None = None
    check_in_every_days: int | None = 7
    primary_beneficiary: tuple[bool | None, ...] = (None,) * FACTOR_COUNT
    employee_status: str = "employee"
    employee_status_reason: str = ""
    #: ``CHOSEN_STATUSES``: what HR asks for; the findings may keep it a draft.
    status: str = "active"
    #: HR's note: why a draft is one, how the placement ended (required if terminated).
    status_note: str = ""
    #: The intern's badge (employee) number on the time clock.
    badge: str | None = None
    #: The areas, tasks and machines the intern will work in and on.
    assignments: tuple[AssignmentInput, ...] = ()


# -- the primary-beneficiary test (LEGAL.md §2.10)


@cache
def beneficiary_factors() -> tuple[tuple[str, str], ...]:
    """(answer column, question) for the seven factors, as the rule pack words them."""
    return tuple(
        (f["key"], f["question"])
        for f in load_pack("us-federal").raw["primary_beneficiary_factors"]
    )


def _beneficiary_rule() -> Rule:
    return next(r for r in load_rules(None).rules() if r.check == "primary_beneficiary")


def _numbers(numbers: Sequence[int]) -> str:
    text = [str(n) for n in numbers]
    return text[0] if len(text) == 1 else f"{', '.join(text[:-1])} and {text[-1]}"


def assess_primary_beneficiary(answers: Sequence[bool | None]) -> dto.BeneficiaryAssessment:
    """Likely an employee when any of the rule's decisive factors points to employment
    (the reading the rule engine applies); the numbers come from the rule pack."""
    answers = tuple(answers)
    if len(answers) != FACTOR_COUNT:
        raise ValueError(f"expected {FACTOR_COUNT} answers, got {len(answers)}")
    rule = _beneficiary_rule()
    decisive = tuple(int(n) for n in rule.params["decisive_factors"])
    pointing = tuple(n for n in decisive if answers[n - 1] is False)
    unanswered = tuple(n for n in decisive if answers[n - 1] is None)
    if pointing:
        message = fill(rule.explain, {"factors": _numbers(pointing)}, rule.verification, View.EXACT)
    elif unanswered:
        message = (
            f"Answer factor{'s' if len(unanswered) > 1 else ''} {_numbers(unanswered)}: "
            f"factors {_numbers(decisive)} decide whether the intern is likely an employee."
        )
    else:
        message = (
            f"Factors {_numbers(decisive)} point to the intern as the primary beneficiary. "
            "No single factor decides: keep the whole analysis on record."
        )
    return dto.BeneficiaryAssessment(
        likely_employee=bool(pointing),
        factors=pointing,
        message=message,
        citation=rule.citation,
        verification=rule.verification,
        unanswered=unanswered,
    )


# -- reading


def _placement(s: Session, actor: Actor, placement_id: int) -> Placement:
    """The placement if the actor may see its intern, else ``NotFound``."""
    if not storable(placement_id):
        raise NotFound(f"no placement with id {placement_id}")
    found = s.scalar(
        interns.visible_placements(select(Placement), actor).where(Placement.id == placement_id)
    )
    if found is None:
        raise NotFound(f"no placement with id {placement_id}")
    return found


def _input(p: Placement) -> PlacementInput:
    return PlacementInput(
        intern_id=p.intern_id,
        school_id=p.school_id,
        start_date=p.start_date,
        end_date=p.end_date,
        worksite_id=p.worksite_id,
        mentor_id=p.mentor_id,
        paid=p.paid,
        hourly_rate_cents=p.hourly_rate_cents,
        program=p.program,
        required_hours=p.required_hours,
        check_in_every_days=p.check_in_every_days,
        primary_beneficiary=tuple(getattr(p, c) for c in PRIMARY_BENEFICIARY_FACTORS),
        employee_status=p.employee_status,
        employee_status_reason=p.employee_status_reason,
        status=p.status if p.status != "archived" else "active",
        status_note=p.status_note or "",
        badge=p.badge,
        assignments=assignments.as_inputs(p),
    )


def placement_input(s: Session, actor: Actor, placement_id: int) -> PlacementInput:
    """The stored values, for the edit form; saving them unchanged writes nothing."""
    require(actor, Permission.EDIT_RECORDS)
    return _input(_placement(s, actor, placement_id))


def placement_detail(s: Session, actor: Actor, placement_id: int) -> dto.PlacementDetail:
    require(actor, Permission.READ_RECORDS)
    p = _placement(s, actor, placement_id)
    row = interns.placement_rows(s, [p.id])[0]
    data = _input(p)
    account = (
        s.get(UserAccount, p.employee_status_decided_by) if p.employee_status_decided_by else None
    )
    return dto.PlacementDetail(
        row=row,
        input=data,
        intern_name=row.intern_name,
        school=row.school,
        worksite=row.worksite,
        mentor=row.mentor,
        employee_status_decided_on=p.employee_status_decided_on,
        employee_status_decided_by=(account.display_name or account.username) if account else None,
        assessment=None if p.paid else assess_primary_beneficiary(data.primary_beneficiary),
    )


def list_placements(
    s: Session, actor: Actor, *, intern_id: int | None = None, include_archived: bool = True
) -> list[dto.PlacementRow]:
    """Placements the actor may see (of one intern, or all), latest start first."""
    require(actor, Permission.READ_RECORDS)
    stmt = interns.visible_placements(
        select(Placement.id).join(Intern, Intern.id == Placement.intern_id),
        actor,
        among=None if intern_id is None else [intern_id],
    )
    if intern_id is not None:
        stmt = stmt.where(Placement.intern_id == intern_id)
    if not include_archived:
        stmt = stmt.where(Placement.archived_at.is_(None), Intern.archived_at.is_(None))
    ids = list(s.scalars(stmt.order_by(Placement.start_date.desc(), Placement.id.desc())))
    return interns.placement_rows(s, ids)


# -- validating and writing (shared with new_term)


@dataclass(frozen=True)
class _Decision:
    """The employee-status columns: the status and, when the intern is not an
    employee, why, who decided and when."""

    employee_status: str
    employee_status_reason: str = ""
    employee_status_decided_by: int | None = None
    employee_status_decided_on: date | None = None


def checked_values(
    s: Session,
    actor: Actor,
    data: PlacementInput,
    current: Placement | None,
    *,
    today: date,
) -> dict[str, Any]:
    """Every column to write for ``data`` (``current``: the stored placement it edits),
    or a ``ValidationError`` naming each bad field. Writes nothing."""
    require(actor, Permission.EDIT_RECORDS)
    check = Checker()
    _check_intern(s, actor, check, data, current)
    _check_place(s, check, School, "school", data.school_id, current, required=True)
    _check_place(s, check, Worksite, "worksite", data.worksite_id, current)
    _check_mentor(s, check, data, current)
    _check_dates(check, data)
    program = check.choice("program", data.program, PROGRAMS)
    paid = bool(data.paid)
    rate = _checked_rate(check, paid, data.hourly_rate_cents)
    _check_hours(check, data)
    answers = _checked_answers(check, data.primary_beneficiary, paid)
    decision = _checked_decision(s, actor, check, data, current, paid, answers, today)
    status, note = _checked_status(check, data)
    badge = _checked_badge(s, check, data.badge, status, current)
    work = assignments.checked_assignments(s, check, data.worksite_id, data.assignments, current)
    check.done()
    return {
        "intern_id": data.intern_id,
        "school_id": data.school_id,
        "worksite_id": data.worksite_id,
        "mentor_id": data.mentor_id,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "paid": paid,
        "hourly_rate_cents": rate,
        "program": program,
        "required_hours": data.required_hours,
        "check_in_every_days": data.check_in_every_days,
        **dict(zip(PRIMARY_BENEFICIARY_FACTORS, answers, strict=True)),
        **asdict(decision),
        "status": status,
        "status_note": note or None,
        "badge": badge,
        "assignments": work,
    }


def _checked_status(check: Checker, data: PlacementInput) -> tuple[str, str]:
    """The status asked for and HR's note: a terminated placement says why, a
    completed one has its end date."""
    status = data.status
    if status == "archived":
        check.fail("status", "archive the placement instead (it then leaves the lists)")
    else:
        status = check.choice("status", status, CHOSEN_STATUSES)
    note = check.text("status_note", data.status_note, max_len=REASON_MAX, multiline=True)
    if status == "terminated" and not note and not check.failed("status_note"):
        check.fail("status_note", "is required: say why the placement was terminated")
    if status == "completed" and data.end_date is None and not check.failed("end_date"):
        check.fail("end_date", "is required for a completed placement")
    return status, note


def _checked_badge(
    s: Session, check: Checker, given: str | None, status: str, current: Placement | None
) -> str | None:
    """The badge number, unique among open placements (drafts and active ones): a time
    clock's punches must name one intern."""
    badge = check.name("badge", given, max_len=BADGE_MAX) or None
    if badge is None or status not in OPEN_PLACEMENT_STATUSES:
        return badge
    if current is not None and current.badge == badge and current.status in OPEN_PLACEMENT_STATUSES:
        return badge  # already this open placement's: the unique index kept it its own
    clash = select(Placement, Intern).join(Intern, Intern.id == Placement.intern_id)
    clash = clash.where(  # as the database's unique index compares: exactly
        Placement.badge == badge, Placement.status.in_(OPEN_PLACEMENT_STATUSES)
    )
    if current is not None:
        clash = clash.where(Placement.id != current.id)
    found = s.execute(clash.limit(1)).first()
    if found is not None:
        other, intern = found
        check.fail(
            "badge",
            f"{badge} is already the badge of {intern.legal_first_name} "
            f"{intern.legal_last_name}'s open placement (id {other.id})",
        )
    return badge


def _changed(current: Placement | None, column: str, value: object) -> bool:
    """Whether saving ``value`` changes ``column``: an archived record may stay where it
    is, but is not newly chosen."""
    return current is None or getattr(current, column) != value


def _check_intern(
    s: Session, actor: Actor, check: Checker, data: PlacementInput, current: Placement | None
) -> None:
    """An intern the actor may see; a new placement only for an intern not archived."""
    mine = interns.visible_interns(select(Intern), actor, among=[data.intern_id])
    intern = s.scalar(mine.where(Intern.id == data.intern_id)) if storable(data.intern_id) else None
    if current is not None and data.intern_id != current.intern_id:
        check.fail("intern", "a placement stays with its intern")
    elif intern is None:
        check.fail("intern", f"no intern with id {data.intern_id}")
    elif current is None and intern.archived_at is not None:
        check.fail("intern", "is archived: restore the intern first")


def _check_place(
    s: Session,
    check: Checker,
    model: type[School] | type[Worksite],
    field: str,
    place_id: int | None,
    current: Placement | None,
    *,
    required: bool = False,
) -> None:
    """A school or worksite (``field``) that exists, not archived unless the placement
    has it already."""
    if place_id is None:
        if required:
            check.fail(field, "is required")
        return
    place = by_id(s, model, place_id)
    if place is None:
        check.fail(field, f"no {field} with id {place_id}")
    elif place.archived_at is not None and _changed(current, f"{field}_id", place_id):
        check.fail(field, f"{place.name} is archived")


def _check_mentor(
    s: Session, check: Checker, data: PlacementInput, current: Placement | None
) -> None:
    """The mentor may be left open; one newly chosen is a mentor still on staff (one
    kept stays, whatever became of them)."""
    if data.mentor_id is None:
        return
    mentor = by_id(s, Staff, data.mentor_id)
    if mentor is None:
        check.fail("mentor", f"no staff member with id {data.mentor_id}")
    elif _changed(current, "mentor_id", data.mentor_id):
        _check_new_mentor(check, mentor)


def _check_new_mentor(check: Checker, mentor: Staff) -> None:
    if mentor.role != "mentor":
        check.fail("mentor", f"{mentor.full_name} is a {mentor.role}, not a mentor")
    elif mentor.archived_at is not None:
        check.fail("mentor", f"{mentor.full_name} is archived")


def _check_dates(check: Checker, data: PlacementInput) -> None:
    """A start date, and an end date (if any) not before it."""
    start = check.work_date("start_date", data.start_date, required=True)
    check.order("end_date", start, check.work_date("end_date", data.end_date))


def _checked_rate(check: Checker, paid: bool, rate: int | None) -> int | None:
    """The hourly rate to store: required for a paid placement, none for an unpaid one."""
    if paid and rate is None:
        check.fail("hourly_rate_cents", "is required for a paid placement")
    elif not paid and rate:
        check.fail("hourly_rate_cents", "is given for an unpaid placement")
    else:
        check.cents("hourly_rate_cents", rate, high=MAX_HOURLY_RATE_CENTS)
    return rate if paid else None


def _check_hours(check: Checker, data: PlacementInput) -> None:
    """The hours the school requires, and how often the mentor checks in."""
    check.whole("required_hours", data.required_hours, high=MAX_REQUIRED_HOURS)
    check.whole(
        "check_in_every_days",
        data.check_in_every_days,
        low=1,
        high=MAX_CHECK_IN_EVERY_DAYS,
        too_low="must be at least 1 day",
        show=lambda days: f"{days} days",
    )


def _checked_answers(
    check: Checker, given: Sequence[bool | None], paid: bool
) -> tuple[bool | None, ...]:
    """The seven primary-beneficiary answers to store: none for a paid placement (the
    test is for unpaid placements only)."""
    answers = tuple(given)
    if len(answers) != FACTOR_COUNT:
        check.fail("primary_beneficiary", f"needs {FACTOR_COUNT} answers, not {len(answers)}")
        answers = (None,) * FACTOR_COUNT
    for i, answer in enumerate(answers):
        if answer not in (True, False, None):
            check.fail(f"primary_beneficiary[{i}]", "is not yes, no or unanswered")
    return (None,) * FACTOR_COUNT if paid else answers


def _checked_decision(
    s: Session,
    actor: Actor,
    check: Checker,
    data: PlacementInput,
    current: Placement | None,
    paid: bool,
    answers: tuple[bool | None, ...],
    today: date,
) -> _Decision:
    """The employee status. Concluding that the intern is not an employee takes a reason,
    an unpaid placement with all seven answers, and an HR user to name as the one who
    decided; a decision saved unchanged keeps who made it and when."""
    status = check.choice("employee_status", data.employee_status, EMPLOYEE_STATUSES)
    reason = check.text(
        "employee_status_reason", data.employee_status_reason, max_len=REASON_MAX, multiline=True
    )
    employee = _Decision(status)
    if status != "not_employee":
        return employee
    _check_grounds(check, reason, paid, answers)
    if current is not None and _same_decision(current, reason):
        return _Decision(
            status,
            reason,
            current.employee_status_decided_by,
            current.employee_status_decided_on,
        )
    if not _may_decide(s, actor):
        check.fail(
            "employee_status",
            "only an HR user signed in with an account may record this decision: "
            "it must name who made it",
        )
        return employee
    return _Decision(status, reason, actor.user_id, today)


def _check_grounds(
    check: Checker, reason: str, paid: bool, answers: tuple[bool | None, ...]
) -> None:
    """What concluding that the intern is not an employee rests on: a reason, and the
    primary-beneficiary test answered in full for an unpaid placement."""
    if not reason:
        check.fail("employee_status_reason", "is required: say why the intern is not one")
    if paid:
        check.fail("employee_status", "a paid intern is an employee")
    elif any(a is None for a in answers):
        check.fail(
            "primary_beneficiary",
            "answer all seven factors before concluding the intern is not an employee",
        )


def _same_decision(current: Placement, reason: str) -> bool:
    """Whether the stored placement already concludes so, for the same reason."""
    return current.employee_status == "not_employee" and current.employee_status_reason == reason


def _may_decide(s: Session, actor: Actor) -> bool:
    """Only an HR user with an account can be named as the one who decided."""
    return (
        actor.role is Role.HR_ADMIN
        and actor.user_id is not None
        and s.get(UserAccount, actor.user_id) is not None
    )


def create_placements(s: Session, actor: Actor, rows: Sequence[dict[str, Any]]) -> list[Placement]:
    """Insert checked placements (``checked_values``) and give each the default
    onboarding plan. The caller re-checks the interns, which adds the checklists."""
    require(actor, Permission.EDIT_RECORDS)
    created = []
    for given in rows:
        values = dict(given)
        work = values.pop("assignments", ())
        placement = Placement(**values)
        placement.assignments = [PlacementAssignment(**row) for row in work]
        # Keeps intern.placements current (checked_values found the intern).
        placement.intern = s.get_one(Intern, values["intern_id"])
        s.add(placement)
        created.append(placement)
    s.flush()
    plans.plan_placements(s, actor, [(p.id, p.start_date) for p in created])
    return created


def _move_due_dates(s: Session, placement: Placement, delta: timedelta) -> None:
    """A new start date moves the open plan and checklist items, due relative to it."""
    _move_open_items(s, PlanItem, placement.id, delta)
    _move_open_items(s, ChecklistItem, placement.id, delta)


#: An item of a placement that is due some days from its start.
DueItem = TypeVar("DueItem", PlanItem, ChecklistItem)


def _move_open_items(s: Session, model: type[DueItem], placement_id: int, delta: timedelta) -> None:
    for item in s.scalars(
        select(model).where(model.placement_id == placement_id, model.status == "open")
    ):
        if item.due_date is not None:
            item.due_date += delta


def save_placement(
    s: Session,
    actor: Actor,
    data: PlacementInput,
    placement_id: int | None = None,
    *,
    today: date,
) -> dto.PlacementRow:
    """Create a placement (with its checklist and onboarding plan) or update one, then
    re-check its findings and checklist."""
    require(actor, Permission.EDIT_RECORDS)
    current = _placement(s, actor, placement_id) if placement_id is not None else None
    was_active = current is not None and current.status == "active"
    values = checked_values(s, actor, data, current, today=today)
    audit.label(s, "save placement")
    if current is None:
        (placement,) = create_placements(s, actor, [values])
    else:
        placement = current
        work = values.pop("assignments")
        delta = values["start_date"] - placement.start_date
        for key, value in values.items():
            setattr(placement, key, value)
        assignments.write_assignments(s, placement, work)
        if delta:
            _move_due_dates(s, placement, delta)
        s.flush()
    # Only this placement's findings can change: no other placement's check reads it.
    compliance.check_interns(s, actor, [placement.intern_id], today, only=placement.id)
    settle_status(s, placement, was_active=was_active)
    audit.label(s, "save placement")  # the re-check's changes belong to this save
    return interns.placement_rows(s, [placement.id])[0]


def settle_status(s: Session, placement: Placement, *, was_active: bool) -> None:
    """After its re-check, give ``placement`` the status its findings allow: the
    status it was saved with, or a draft that says why (``placement_status``). For
    the services that save placements (the form, the roster import, a new term),
    which checked the role."""
    settle_statuses(s, [(placement, was_active)])


def settle_statuses(s: Session, settling: Sequence[tuple[Placement, bool]]) -> None:
    """``settle_status`` for many placements (each with whether it was active before
    the save), their findings and HR's overrides read in a few queries."""
    own = _own_findings(s, [p for p, _ in settling])
    changed = False
    for placement, was_active in settling:
        status, note = placement_status.settle(
            placement.status, placement.status_note or "", was_active, own.get(placement.id, [])
        )
        if (status, note) != (placement.status, placement.status_note or ""):
            placement.status, placement.status_note = status, note or None
            changed = True
    if changed:
        s.flush()


#: Ids per ``IN (…)``: well under SQLite's limit on bound parameters.
CHUNK = 500


def _own_findings(s: Session, placements: Sequence[Placement]) -> dict[int | None, list[Finding]]:
    """Each placement check's stored findings (not a shift's or an entry's), less
    those HR overrode, by placement id."""
    ids = [p.id for p in placements]
    stored: list[Finding] = []
    for start in range(0, len(ids), CHUNK):
        stored += s.scalars(
            select(Finding).where(
                Finding.placement_id.in_(ids[start : start + CHUNK]),
                Finding.shift_id.is_(None),
                Finding.time_entry_id.is_(None),
            )
        )
    overridden = _overridden_of(s, [(f.intern_id, f.identity) for f in stored])
    out: dict[int | None, list[Finding]] = {}
    for finding in stored:
        if (finding.intern_id, finding.identity) not in overridden:
            out.setdefault(finding.placement_id, []).append(finding)
    return out


def _overridden_of(s: Session, wanted: Sequence[tuple[int, str]]) -> set[tuple[int, str]]:
    """Of the (intern, identity) pairs, those HR overrode (and did not revoke)."""
    interns_ = sorted({intern_id for intern_id, _ in wanted})
    found: set[tuple[int, str]] = set()
    for start in range(0, len(interns_), CHUNK):
        rows = s.execute(
            select(FindingOverride.intern_id, FindingOverride.identity).where(
                FindingOverride.intern_id.in_(interns_[start : start + CHUNK]),
                FindingOverride.kind == "override",
                FindingOverride.revoked_at.is_(None),
            )
        )
        found.update((intern_id, identity) for intern_id, identity in rows)
    return found & set(wanted)


def _overridden(s: Session, intern_id: int, identities: Iterable[str]) -> set[str]:
    """Of ``identities``, those HR overrode (and did not revoke): they block nothing."""
    return {i for _, i in _overridden_of(s, [(intern_id, i) for i in identities])}


def preview_placement(
    s: Session,
    actor: Actor,
    data: PlacementInput,
    placement_id: int | None = None,
    *,
    today: date,
) -> dto.PlacementPreview:
    """What saving ``data`` would find and the status it would get, before it is
    saved: the placement check on the form's values (nothing is written). A field that
    cannot be saved raises the ``ValidationError`` saving would."""
    require(actor, Permission.EDIT_RECORDS)
    current = _placement(s, actor, placement_id) if placement_id is not None else None
    values = checked_values(s, actor, data, current, today=today)
    work = values.pop("assignments")
    draft = Placement(**values)  # never added to the session
    if current is not None:
        draft.id = current.id  # its findings keep their identities (and HR's decisions)
    intern = s.get_one(Intern, data.intern_id, options=[selectinload(Intern.placements)])
    stored = preview_case(s, intern, draft, [PlacementAssignment(**row) for row in work])
    if stored is None:
        return dto.PlacementPreview(
            (), values["status"], values["status_note"] or "", "Choose a worksite to check it."
        )
    findings = stored.check().findings
    identities = [
        f.identity(stored.refs[f.shift] if f.shift is not None else None) for f in findings
    ]
    overridden = _overridden(s, intern.id, identities) if current is not None else set()
    decided = _decisions(s, intern.id, identities) if current is not None else {}
    view = View.EXACT if actor.can(Permission.SEE_BIRTH_DATES) else View.BAND
    rows = tuple(
        _preview_row(f, view, decided.get(identity))
        for f, identity in zip(findings, identities, strict=True)
    )
    was_active = current is not None and current.status == "active"
    status, note = placement_status.settle(
        values["status"],
        values["status_note"] or "",
        was_active,
        [f for f, identity in zip(findings, identities, strict=True) if identity not in overridden],
    )
    return dto.PlacementPreview(rows, status, note)


def _decisions(s: Session, intern_id: int, identities: Sequence[str]) -> dict[str, str]:
    """HR's standing decision on each of ``identities`` that has one (the last wins)."""
    if not identities:
        return {}
    rows = s.execute(
        select(FindingOverride.identity, FindingOverride.kind)
        .where(
            FindingOverride.intern_id == intern_id,
            FindingOverride.revoked_at.is_(None),
            FindingOverride.identity.in_(list(identities)),
        )
        .order_by(FindingOverride.decided_at)
    )
    return {identity: kind for identity, kind in rows}


def _preview_row(finding: Any, view: View, decision: str | None) -> dto.PreviewFinding:
    judged = decision_for(finding.category, finding.severity, finding.verification)
    return dto.PreviewFinding(
        rule=finding.rule,
        category=finding.category,
        severity=finding.severity,
        citation=finding.citation,
        verification=finding.verification,
        message=render(finding, view),
        blocks=tuple(what for what in BLOCKABLE if what != "plan" and judged.stops(what)),
        advice=judged.advice,
        decision=decision,
    )


def assignment_options(
    s: Session, actor: Actor, worksite_id: int | None
) -> list[dto.AssignmentOption]:
    """What a placement at ``worksite_id`` may assign: its areas and machines, and the
    task catalog, each with who may do it (the packs' wording)."""
    require(actor, Permission.READ_RECORDS)
    if worksite_id is not None and by_id(s, Worksite, worksite_id) is None:
        raise NotFound(f"no worksite with id {worksite_id}")
    return assignments.assignment_options(s, worksite_id)


def archive_placement(
    s: Session, actor: Actor, placement_id: int, *, today: date | None = None
) -> list[str]:
    """Archive a placement: it keeps its history but is no longer checked (its findings
    go). Returns warnings for the GUI (none so far); archiving twice changes nothing."""
    return _set_archived(s, actor, placement_id, True, today or date.today())


def restore_placement(
    s: Session, actor: Actor, placement_id: int, *, today: date | None = None
) -> list[str]:
    """Bring an archived placement back, and re-check it."""
    return _set_archived(s, actor, placement_id, False, today or date.today())


def _set_archived(
    s: Session, actor: Actor, placement_id: int, archived: bool, today: date
) -> list[str]:
    require(actor, Permission.EDIT_RECORDS)
    placement = _placement(s, actor, placement_id)
    if (placement.archived_at is not None) == archived:
        return []
    operation = "archive placement" if archived else "restore placement"
    audit.label(s, operation)
    placement.archived_at = utcnow() if archived else None
    # Restored, it is what its dates say, as far as its findings allow.
    ended = placement.end_date is not None and placement.end_date < today
    placement.status = "archived" if archived else "completed" if ended else "active"
    s.flush()
    compliance.check_intern(s, actor, placement.intern_id, today)
    if not archived:
        settle_status(s, placement, was_active=False)
    audit.label(s, operation)
    return []
