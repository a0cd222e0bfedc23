"""Planning shifts under live rule checks: the week view's data, the preview of an
edit, and saving a shift or a recurring pattern as the decisions table allows.

A plan is checked as the engine checks stored shifts (``case_facts``), with one
difference: each shift keeps its index from one check to the next (its id; a draft
a negative number), so the incremental re-check (``rules/incremental.recheck``) can
keep the findings of every shift an edit does not reach. The result for the stored
plan is kept per placement and facts hash, so an edit dragged across the week is
re-checked from it rather than from scratch.

Saving refuses a shift whose findings the decisions table says block a plan
(``decision_for(...).stops("plan")``), unless HR overrode that finding: the error
names the field to fix and says how. Findings a save brings to other shifts (a
weekly cap crossed later in the week) refuse it too; those already there do not.
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from dateutil.rrule import WEEKLY, rrule, weekday
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.dates import age_on, birthday_of_age
from internhost.core.errors import Conflict, FieldError, NotFound, ValidationError
from internhost.core.models import (
    Area,
    AuditEvent,
    Finding,
    FindingOverride,
    Intern,
    Placement,
    PlantClosure,
    SchoolCalendar,
    Shift,
    Staff,
    TimeEntry,
    WorkBreak,
    Worksite,
    WorkTask,
)
from internhost.core.models.enums import WEEKDAYS
from internhost.core.rules import ages
from internhost.core.rules import findings as rf
from internhost.core.rules.decisions import decision_for
from internhost.core.rules.engine import check
from internhost.core.rules.facts import Case, LocalTimeError, to_utc
from internhost.core.rules.incremental import recheck
from internhost.core.rules.messages import render
from internhost.core.rules.packs import load_rules
from internhost.core.rules.templates import View
from internhost.core.rules.window import legal_window
from internhost.core.services import compliance
from internhost.core.services.case_facts import (
    FactCache,
    StoredCase,
    placement_cases,
    span_facts,
    staff_21_or_older,
)
from internhost.core.services.directory import task_catalog
from internhost.core.services.findings import DECIDE_PERMISSION, REASON_MAX, decide_finding
from internhost.core.services.interns import visible_interns, visible_placements
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id

#: Placements a shift may be planned for.
PLANNABLE = ("draft", "active")
#: Plausibility, not law: a planned shift is a working day, not a week.
LONGEST_SHIFT = timedelta(hours=16)
MAX_TASKS = 20
MAX_BREAKS = 6
NOTE_MAX = 2000
#: The longest pattern planned at once: a school year and then some.
MAX_OCCURRENCES = 400
WEEK = timedelta(days=7)
_WEEKDAY_RULES = dict(zip(WEEKDAYS, (weekday(i) for i in range(7)), strict=True))

#: Which field of a shift a finding of each category asks HR to change.
_FIELD_OF_CATEGORY = {
    "occupation": "tasks",
    "hazardous_order": "tasks",
    "meal_break": "breaks",
    "supervision": "supervisor_staff",
    "time_of_day": "start",
    "school_hours": "start",
    "notice_hours": "start",
    "rest_day": "start",
    "min_age": "placement",
    "wage": "placement",
    "certificate": "placement",
    "posting": "placement",
    "coverage": "placement",
}


@dataclass(frozen=True)
class ShiftInput:
    """A planned shift as the planner edits it: local wall-clock times at the worksite."""

    placement_id: int | None
    start: datetime | None
    end: datetime | None
    area_id: int | None = None
    supervisor_staff_id: int | None = None
    #: As recorded for this shift; None: the supervisor's staff record says.
    supervisor_21_or_older: bool | None = None
    #: Task-catalog keys.
    tasks: tuple[str, ...] = ()
    #: Unpaid breaks (start, end) inside the shift.
    breaks: tuple[tuple[datetime, datetime], ...] = ()
    note: str = ""


@dataclass(frozen=True)
class ShiftDraft:
    """A shift being edited in the planner and not yet saved: a stored shift's new
    values (``shift_id``) or a new one, named by a ``key`` the caller keeps stable."""

    key: str
    data: ShiftInput
    shift_id: int | None = None


@dataclass(frozen=True)
class SeriesInput:
    """A recurring pattern: ``shift`` on its day and on each of ``weekdays`` ("mon"…)
    every ``every_weeks`` weeks through ``until`` (at most the placement's end)."""

    shift: ShiftInput
    weekdays: tuple[str, ...]
    until: date | None
    every_weeks: int = 1
    #: Leave out the weekdays the intern's school district has no school (holidays,
    #: breaks) inside its school year.
    skip_non_school_days: bool = True


# -- checking what was typed


@dataclass(frozen=True)
class _Checked:
    placement: Placement
    start: datetime
    end: datetime
    area_id: int | None
    supervisor: Staff | None
    supervisor_21_or_older: bool | None
    tasks: tuple[str, ...]
    breaks: tuple[tuple[datetime, datetime], ...]
    note: str

    def row(self, shift: Shift) -> Shift:
        """``shift`` given these values (its breaks and tasks replaced)."""
        shift.placement_id = self.placement.id
        shift.work_date = self.start.date()
        shift.start_local, shift.end_local = self.start, self.end
        shift.area_id = self.area_id
        shift.supervisor_staff_id = self.supervisor.id if self.supervisor else None
        shift.supervisor_name = self.supervisor.full_name if self.supervisor else ""
        shift.supervisor_21_or_older = self.supervisor_21_or_older
        shift.note = self.note
        shift.breaks = [WorkBreak(start_local=a, end_local=b) for a, b in self.breaks]
        shift.tasks = [WorkTask(task_key=k, details={}) for k in self.tasks]
        return shift


def _local_time(check: Checker, field: str, value: object) -> datetime | None:
    if value is None:
        check.fail(field, "is required")
        return None
    if not isinstance(value, datetime):
        check.fail(field, "is not a date and time")
        return None
    if value.tzinfo is not None:
        check.fail(field, "must be a local time at the worksite, without a time zone")
        return None
    if check.work_date(field, value.date()) is None:
        return None
    return value.replace(second=0, microsecond=0)


def _check_span(check: Checker, data: ShiftInput) -> tuple[datetime, datetime] | None:
    start = _local_time(check, "start", data.start)
    end = _local_time(check, "end", data.end)
    if start is None or end is None:
        return None
    if end <= start:
        check.fail("end", "is not after the start")
        return None
    if end - start > LONGEST_SHIFT:
        check.fail("end", f"makes the shift longer than {LONGEST_SHIFT.seconds // 3600} hours")
        return None
    return start, end


def _check_breaks(
    check: Checker, breaks: object, span: tuple[datetime, datetime] | None
) -> tuple[tuple[datetime, datetime], ...]:
    if not isinstance(breaks, tuple | list):
        check.fail("breaks", "is not a list of breaks")
        return ()
    if len(breaks) > MAX_BREAKS:
        check.fail("breaks", f"has more than {MAX_BREAKS} breaks")
        return ()
    out: list[tuple[datetime, datetime]] = []
    for i, pair in enumerate(breaks):
        field = f"breaks[{i}]"
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            check.fail(field, "is not a start and an end")
            continue
        start = _local_time(check, f"{field}.start", pair[0])
        end = _local_time(check, f"{field}.end", pair[1])
        if start is None or end is None:
            continue
        if end <= start:
            check.fail(f"{field}.end", "is not after the break's start")
        elif span is not None and not (span[0] < start and end < span[1]):
            check.fail(field, "is not inside the shift (a break has work on both sides)")
        elif out and start < out[-1][1]:
            check.fail(field, "overlaps the break before it")
        else:
            out.append((start, end))
    return tuple(sorted(out))


def _check_tasks(check: Checker, tasks: object) -> tuple[str, ...]:
    if not isinstance(tasks, tuple | list):
        check.fail("tasks", "is not a list of tasks")
        return ()
    if len(tasks) > MAX_TASKS:
        check.fail("tasks", f"has more than {MAX_TASKS} tasks")
        return ()
    catalog = load_rules(None).tasks
    out: list[str] = []
    for i, key in enumerate(tasks):
        if not isinstance(key, str) or key not in catalog:
            shown = key[:40] if isinstance(key, str) else key
            check.fail(f"tasks[{i}]", f"{shown!r} is not a task of the task catalog")
        elif key not in out:
            out.append(key)
    return tuple(out)


def _checked(
    s: Session,
    data: ShiftInput,
    *,
    intern_id: int | None = None,
    shift_id: int | None = None,
    on_its_day: bool = True,
) -> _Checked:
    """Every field of ``data`` checked against the records; one ValidationError
    listing each problem. ``shift_id``: the stored shift being changed; without
    ``on_its_day``, its day is not checked (open, inside the placement, free): a
    pattern's first shift only sets the pattern, whose days are checked each."""
    check = Checker()
    placement = by_id(s, Placement, data.placement_id)
    if placement is None:
        check.fail("placement", f"no placement with id {data.placement_id}")
    elif intern_id is not None and placement.intern_id != intern_id:
        check.fail("placement", "is not a placement of this intern")
    elif placement.archived_at is not None or placement.status not in PLANNABLE:
        check.fail("placement", f"is {placement.status}: only draft and active ones are planned")
    elif placement.worksite_id is None:
        check.fail("placement", "has no worksite to plan shifts at")
    span = _check_span(check, data)
    breaks = _check_breaks(check, data.breaks, span)
    tasks = _check_tasks(check, data.tasks)
    note = check.text("note", data.note, max_len=NOTE_MAX, multiline=True)
    if not (data.supervisor_21_or_older is None or isinstance(data.supervisor_21_or_older, bool)):
        check.fail("supervisor_21_or_older", "is not yes, no or unknown")
    supervisor = None
    if data.supervisor_staff_id is not None:
        supervisor = by_id(s, Staff, data.supervisor_staff_id)
        if supervisor is None or supervisor.archived_at is not None:
            check.fail(
                "supervisor_staff", f"no current staff member with id {data.supervisor_staff_id}"
            )
    area = None
    if data.area_id is not None:
        area = by_id(s, Area, data.area_id)
        if area is None:
            check.fail("area", f"no area with id {data.area_id}")
        elif placement is not None and area.worksite_id != placement.worksite_id:
            check.fail("area", "is not an area of the placement's worksite")
    check.done()
    assert placement is not None and span is not None
    start, end = span
    if on_its_day:
        _check_dates(check, s, placement, start, end, shift_id)
        check.done()
    return _Checked(
        placement,
        start,
        end,
        area.id if area else None,
        supervisor,
        data.supervisor_21_or_older,
        tasks,
        breaks,
        note,
    )


def _check_dates(
    check: Checker,
    s: Session,
    placement: Placement,
    start: datetime,
    end: datetime,
    shift_id: int | None,
) -> None:
    """Inside the placement, on a time the worksite's clock has, on a day the plant is
    open, and over no other planned shift of the intern."""
    day = start.date()
    if day < placement.start_date:
        check.fail("start", f"is before the placement starts ({placement.start_date})")
    elif placement.end_date is not None and day > placement.end_date:
        check.fail("start", f"is after the placement ends ({placement.end_date})")
    zone = ZoneInfo(_placement_zone(s, placement))
    for field, moment in (("start", start), ("end", end)):
        try:
            to_utc(moment, zone)
        except LocalTimeError as exc:
            check.fail(field, f"{exc} (the clocks change that night)")
    closed = _closed_days(s, placement.worksite_id, day, day)
    if day in closed:
        check.fail("start", f"the plant is closed on {day}: {closed[day]}")
    others = (
        select(Shift)
        .join(Placement, Placement.id == Shift.placement_id)
        .where(
            Placement.intern_id == placement.intern_id,
            Shift.start_local < end,
            Shift.end_local > start,
        )
    )
    if shift_id is not None:
        others = others.where(Shift.id != shift_id)
    clash = s.scalar(others.limit(1))
    if clash is not None:
        check.fail(
            "start",
            f"overlaps the shift planned {clash.start_local:%Y-%m-%d %H:%M}–"
            f"{clash.end_local:%H:%M}",
        )


def _placement_zone(s: Session, placement: Placement) -> str:
    """The time zone of the placement's worksite (its shifts' wall-clock times)."""
    site = s.get(Worksite, placement.worksite_id) if placement.worksite_id else None
    return site.time_zone if site else "America/Chicago"


def _closed_days(s: Session, worksite_id: int | None, first: date, last: date) -> dict[date, str]:
    """Each day a worksite is closed between ``first`` and ``last``, with why."""
    stmt = select(PlantClosure.day, PlantClosure.reason).where(
        PlantClosure.day >= first, PlantClosure.day <= last
    )
    stmt = stmt.where(
        or_(PlantClosure.worksite_id == worksite_id, PlantClosure.worksite_id.is_(None))
    )
    return {day: reason or "plant closed" for day, reason in s.execute(stmt)}


# -- the case a plan is checked as


@dataclass(frozen=True)
class _Plan:
    """A placement's planned shifts as the engine's case, each shift's index its id
    (a draft's a negative number), so indexes stay put between checks."""

    stored: StoredCase
    #: index -> what it stands for ("shift:12", or a draft's key).
    refs: dict[int, str]

    @property
    def case(self) -> Case:
        return self.stored.case


@dataclass
class _Base:
    """A placement's stored plan as last read, and its check, computed when first
    asked for; valid while the audit trail has no newer event touching the intern
    or what every plan reads (every write is audited, ``_touched``), so a drag
    across the week re-checks from it without reading the semester again, and a
    save re-reads only the saved intern's plan."""

    seq: int
    plan: _Plan
    cache: FactCache
    _result: rf.CheckResult | None = None

    @property
    def result(self) -> rf.CheckResult:
        if self._result is None:
            self._result = check(self.plan.case)
        return self._result


_BASES: OrderedDict[tuple[str, int, int, int], _Base] = OrderedDict()
_BASES_KEPT = 128


#: Audit aggregates named by the intern they belong to.
_INTERN_AGGREGATES = frozenset({"interns", "findings_of_intern"})
#: Aggregates of a shift or a time entry: whose they are is read from the rows.
_SPAN_AGGREGATES = frozenset({"shifts", "time_entries"})
#: Aggregates no plan reads: writing them keeps every stored plan.
_UNPLANNED_AGGREGATES = frozenset(
    {
        "user_accounts",
        "placement_checklist",
        "placement_plan",
        "plan_templates",
        "evaluations",
        "competency_frameworks",
    }
)
#: More events than this since a plan was read: read every plan again.
_TOUCHED_SCAN = 2000
#: What ``_touched`` found per (database, since, up to): the interns of one week
#: ask the same question.
_TOUCHED: OrderedDict[tuple[str, int, int, int], frozenset[int] | None] = OrderedDict()


def _touched(s: Session, db_key: tuple[str, int], since: int, upto: int) -> frozenset[int] | None:
    """The interns whose plans the audit events after ``since`` (up to ``upto``)
    may have changed; None when one of them may change any plan (a worksite, a
    staff member, a calendar, a closure...)."""
    key = (*db_key, since, upto)
    if key in _TOUCHED:
        return _TOUCHED[key]
    _TOUCHED[key] = found = _touched_now(s, since, upto)
    while len(_TOUCHED) > _BASES_KEPT:
        _TOUCHED.popitem(last=False)
    return found


def _touched_now(s: Session, since: int, upto: int) -> frozenset[int] | None:
    rows = list(
        s.execute(
            select(AuditEvent.aggregate_type, AuditEvent.aggregate_id, AuditEvent.payload)
            .where(AuditEvent.seq > since, AuditEvent.seq <= upto)
            .limit(_TOUCHED_SCAN + 1)
        )
    )
    if len(rows) > _TOUCHED_SCAN:
        return None
    interns: set[int] = set()
    placements: set[int] = set()
    for kind, record_id, payload in rows:
        if kind in _UNPLANNED_AGGREGATES:
            continue
        if kind in _INTERN_AGGREGATES and record_id is not None:
            interns.add(record_id)
        elif kind in _SPAN_AGGREGATES and record_id is not None:
            named = _placements_named(payload, kind, record_id)
            if not named:
                named = _span_placement(s, kind, record_id)
            if not named:
                return None
            placements |= named
        else:
            return None
    if placements:
        interns |= set(s.scalars(select(Placement.intern_id).where(Placement.id.in_(placements))))
    return frozenset(interns)


def _span_placement(s: Session, kind: str, record_id: int) -> set[int]:
    """The placement of a stored shift or time entry (none when it is gone)."""
    column = Shift.placement_id if kind == "shifts" else TimeEntry.placement_id
    key = Shift.id if kind == "shifts" else TimeEntry.id
    return set(s.scalars(select(column).where(key == record_id)))


def _placements_named(payload: str, kind: str, record_id: int) -> set[int]:
    """The placements a span's audit payload names, before and after the change
    (a removed shift is gone from its table, not from the trail)."""
    try:
        change = json.loads(payload).get(f"{kind}:{record_id}") or {}
    except (ValueError, AttributeError):
        return set()
    out = set()
    for side in ("before", "after"):
        values = change.get(side) if isinstance(change, dict) else None
        if isinstance(values, dict) and isinstance(values.get("placement_id"), int):
            out.add(values["placement_id"])
    return out


def _base(s: Session, intern: Intern, placement_id: int, cache: FactCache | None = None) -> _Base:
    """The stored plan of ``placement_id`` (of ``intern``), from the last read of it
    when nothing written since touched it; ``cache``: what the interns of one read
    share."""
    bind = s.get_bind()
    db_key = (str(bind.engine.url), id(bind.engine))
    key = (*db_key, intern.id, placement_id)
    seq = s.scalar(select(func.max(AuditEvent.seq))) or 0
    base = _BASES.get(key)
    if base is not None and base.seq != seq:
        touched = _touched(s, db_key, base.seq, seq)
        if touched is not None and intern.id not in touched:
            base.seq = seq
    if base is not None and base.seq == seq:
        _BASES.move_to_end(key)
        base.cache.s = s
        return base
    cache = cache or FactCache(s)
    base = _Base(seq, _stored_plan(s, intern, placement_id, cache), cache)
    _BASES[key] = base
    while len(_BASES) > _BASES_KEPT:
        _BASES.popitem(last=False)
    return base


def _stored_plan(s: Session, intern: Intern, placement_id: int, cache: FactCache) -> _Plan:
    """The placement's stored shifts as a case with stable indexes."""
    for stored in placement_cases(s, intern, cache, keep_empty=True):
        if stored.placement_id == placement_id and stored.kind == "shifts":
            shifts = tuple(
                replace(sh, index=_id_of(ref))
                for sh, ref in zip(stored.case.shifts, stored.refs, strict=True)
            )
            refs = {sh.index: ref for sh, ref in zip(shifts, stored.refs, strict=True)}
            case = replace(stored.case, shifts=shifts)
            return _Plan(replace(stored, case=case, refs=tuple(refs.values())), refs)
    raise NotFound(f"placement {placement_id} has no worksite to plan at")


def _id_of(ref: str) -> int:
    return int(ref.partition(":")[2])


def _with_draft(
    plan: _Plan, checked: _Checked, index: int, ref: str, cache: FactCache, zone: ZoneInfo
) -> _Plan:
    """``plan`` with shift ``index`` replaced by (or, new, added as) ``checked``."""
    row = checked.row(Shift(id=index))
    (fact,), _refs = span_facts([row], zone, cache)
    fact = replace(fact, index=index, ref=ref)
    shifts = (*(sh for sh in plan.case.shifts if sh.index != index), fact)
    shifts = tuple(sorted(shifts, key=lambda sh: (sh.span.start_utc, sh.index)))
    refs = {**plan.refs, index: ref}
    return _Plan(replace(plan.stored, case=replace(plan.case, shifts=shifts)), refs)


def _apply(
    plan: _Plan,
    result: rf.CheckResult,
    checked: _Checked,
    index: int,
    ref: str,
    cache: FactCache,
    zone: ZoneInfo,
) -> tuple[_Plan, rf.CheckResult]:
    """The plan and its findings after one shift's edit, re-checked incrementally."""
    old = next((sh for sh in plan.case.shifts if sh.index == index), None)
    after = _with_draft(plan, checked, index, ref, cache, zone)
    moved = old.date if old is not None and old.date != checked.start.date() else None
    return after, recheck(after.case, result, index, old_date=moved)


# -- findings as the planner shows them


def _overrides(s: Session, intern_id: int) -> dict[str, str]:
    """HR's standing decisions on the intern's findings, by identity."""
    rows = s.execute(
        select(FindingOverride.identity, FindingOverride.kind)
        .where(FindingOverride.intern_id == intern_id, FindingOverride.revoked_at.is_(None))
        .order_by(FindingOverride.decided_at)
    )
    return {identity: kind for identity, kind in rows}


def _view(actor: Actor) -> View:
    return View.EXACT if actor.can(Permission.SEE_BIRTH_DATES) else View.BAND


def _plan_finding(
    finding: rf.Finding | Finding, view: View, decision: str | None
) -> dto.PlanFinding:
    rule = finding.rule if isinstance(finding, rf.Finding) else finding.rule_id
    table = decision_for(finding.category, finding.severity, finding.verification)
    return dto.PlanFinding(
        rule=rule,
        category=finding.category,
        severity=finding.severity,
        message=render(finding, view),
        citation=finding.citation,
        verification=finding.verification,
        blocks_plan=table.stops("plan") and decision != "override",
        advice=table.advice,
        decision=decision,
        may_override=table.may_override,
    )


def _identity(plan: _Plan, finding: rf.Finding) -> str:
    ref = (
        plan.refs[finding.shift]
        if finding.shift is not None
        else f"placement:{plan.stored.placement_id}:shifts"
    )
    return finding.identity(ref)


def _blocking(
    plan: _Plan,
    before: rf.CheckResult,
    after: rf.CheckResult,
    edited: set[int],
    decided: dict[str, str],
) -> list[rf.Finding]:
    """The findings that keep the edit from being saved: those the decisions table says
    block a plan, not overridden, on an edited shift or new since the edit."""
    known = {_identity(plan, f) for f in before.findings}
    out = []
    for f in after.findings:
        if f.shift is None:
            continue
        identity = _identity(plan, f)
        if decided.get(identity) == "override":
            continue
        if not decision_for(f.category, f.severity, f.verification).stops("plan"):
            continue
        if f.shift in edited or identity not in known:
            out.append(f)
    return out


def _refusal(
    findings: Iterable[rf.Finding], view: View, where: str = "", *, overriding: bool = False
) -> ValidationError:
    """Why ``findings`` keep a plan from being saved, each naming its day and how to
    fix it; ``overriding``: why HR may not override them (leave the day out)."""
    errors = []
    for f in findings:
        table = decision_for(f.category, f.severity, f.verification)
        field = where or _FIELD_OF_CATEGORY.get(f.category, "end")
        on = f" ({f.date})" if f.date else ""
        what = "cannot be overridden" if overriding else "cannot be planned"
        then = " Leave the day out instead." if overriding else ""
        errors.append(
            FieldError(field, f"{what}{on}: {render(f, view)} [{f.citation}] {table.advice}{then}")
        )
    return ValidationError(errors)


# -- the week view


def _check_week(week_start: date) -> None:
    check = Checker()
    check.work_date("week_start", week_start, required=True)
    check.done()


def _intern(s: Session, actor: Actor, intern_id: int) -> Intern:
    intern = by_id(s, Intern, intern_id)
    if (
        intern is None
        or s.scalar(
            visible_interns(select(Intern.id), actor, among=[intern_id]).where(
                Intern.id == intern_id
            )
        )
        is None
    ):
        raise NotFound(f"no intern with id {intern_id}")
    return intern


def _open_placements(
    s: Session,
    actor: Actor,
    first: date,
    last: date,
    *,
    intern_id: int | None,
    worksite_id: int | None,
) -> list[Placement]:
    stmt = visible_placements(select(Placement), actor).where(
        Placement.archived_at.is_(None),
        Placement.status.in_(PLANNABLE),
        Placement.worksite_id.is_not(None),
        Placement.start_date <= last,
        or_(Placement.end_date.is_(None), Placement.end_date >= first),
    )
    if intern_id is not None:
        stmt = stmt.where(Placement.intern_id == intern_id)
    if worksite_id is not None:
        stmt = stmt.where(Placement.worksite_id == worksite_id)
    return list(s.scalars(stmt.order_by(Placement.start_date.desc(), Placement.id)))


def week_plan(
    s: Session,
    actor: Actor,
    week_start: date,
    *,
    today: date,
    intern_id: int | None = None,
    worksite_id: int | None = None,
) -> dto.WeekPlan:
    """The week from ``week_start`` for one intern or one worksite's interns: each
    intern's legal window day by day, planned shifts with their stored findings, the
    plant's closures, and the hours planned ahead and logged behind."""
    require(actor, Permission.READ_RECORDS)
    if (intern_id is None) == (worksite_id is None):
        raise ValidationError("name one intern or one worksite", field="intern")
    _check_week(week_start)
    if intern_id is not None:
        _intern(s, actor, intern_id)
    last = week_start + timedelta(days=6)
    placements = _open_placements(
        s, actor, week_start, last, intern_id=intern_id, worksite_id=worksite_id
    )
    by_intern: dict[int, list[Placement]] = {}
    for p in placements:
        by_intern.setdefault(p.intern_id, []).append(p)
    interns = {
        i.id: i
        for i in s.scalars(
            select(Intern)
            .where(Intern.id.in_(by_intern))
            .options(selectinload(Intern.placements).selectinload(Placement.notice_hours))
        )
    }
    cache = FactCache(s)
    view = _view(actor)
    lanes = [
        _lane(s, actor, interns[i], by_intern[i], week_start, today, cache, view)
        for i in sorted(by_intern, key=lambda i: interns[i].sort_name)
    ]
    return dto.WeekPlan(week_start, tuple(lanes), actor.can(Permission.EDIT_RECORDS))


def _lane(
    s: Session,
    actor: Actor,
    intern: Intern,
    placements: list[Placement],
    week_start: date,
    today: date,
    cache: FactCache,
    view: View,
) -> dto.PlanLane:
    first = placements[0]
    plan = _base(s, intern, first.id, cache).plan
    week = [week_start + timedelta(days=i) for i in range(7)]
    ids = [p.id for p in placements]
    rows = list(
        s.scalars(
            select(Shift)
            .where(Shift.placement_id.in_(ids), Shift.work_date.between(week[0], week[-1]))
            .options(selectinload(Shift.breaks), selectinload(Shift.tasks))
            .order_by(Shift.start_local)
        )
    )
    decided = _overrides(s, intern.id)
    stored = _stored_findings(s, [r.id for r in rows], view, decided)
    shifts = tuple(_plan_shift(r, intern.id, cache, stored.get(r.id, ())) for r in rows)
    days = _days(s, plan.case, first.worksite_id, ids, week, today, shifts)
    change = _rule_change(intern.birth_date, week[0], week[-1])
    sees_age = actor.can(Permission.SEE_BIRTH_DATES)
    return dto.PlanLane(
        intern_id=intern.id,
        name=_name(intern),
        age_band=ages.age_band(age_on(intern.birth_date, week_start)),
        placement_ids=tuple(ids),
        worksite_id=first.worksite_id,
        days=days,
        shifts=shifts,
        rule_change_on=change if sees_age else None,
        rules_change_this_week=change is not None,
    )


def _name(intern: Intern) -> str:
    first = intern.preferred_name or intern.legal_first_name
    return f"{intern.legal_last_name}, {first}"


def _rule_change(born: date, first: date, last: date) -> date | None:
    """The day in ``first``–``last`` a birthday starts a new age band of the packs."""
    for age in ages.band_starts():
        day = birthday_of_age(born, age)
        if first <= day <= last:
            return day
    return None


def _stored_findings(
    s: Session, shift_ids: list[int], view: View, decided: dict[str, str]
) -> dict[int, tuple[dto.PlanFinding, ...]]:
    out: dict[int, list[dto.PlanFinding]] = {}
    if not shift_ids:
        return {}
    order = rf.SEVERITY_ORDER
    rows = s.scalars(select(Finding).where(Finding.shift_id.in_(shift_ids)))
    for f in sorted(rows, key=lambda f: (order[f.severity], f.rule_id)):
        assert f.shift_id is not None
        out.setdefault(f.shift_id, []).append(_plan_finding(f, view, decided.get(f.identity)))
    return {k: tuple(v) for k, v in out.items()}


def _plan_shift(
    row: Shift,
    intern_id: int,
    cache: FactCache,
    findings: tuple[dto.PlanFinding, ...],
    key: str | None = None,
) -> dto.PlanShift:
    area = next((a.name for a in _areas(cache, row.area_id)), "")
    staff = cache.staff.get(row.supervisor_staff_id) if row.supervisor_staff_id else None
    return dto.PlanShift(
        key=key or f"shift:{row.id}",
        id=row.id if key is None else None,
        intern_id=intern_id,
        placement_id=row.placement_id,
        work_date=row.start_local.date(),
        start=row.start_local,
        end=row.end_local,
        area_id=row.area_id,
        area=area,
        supervisor_staff_id=row.supervisor_staff_id,
        supervisor=staff.full_name if staff else row.supervisor_name,
        supervisor_21_or_older=row.supervisor_21_or_older,
        tasks=tuple(t.task_key for t in row.tasks),
        breaks=tuple((b.start_local, b.end_local) for b in row.breaks),
        series=row.series,
        findings=findings,
    )


def _areas(cache: FactCache, area_id: int | None) -> list[Area]:
    if area_id is None:
        return []
    area = cache.s.get(Area, area_id)
    return [area] if area else []


def _days(
    s: Session,
    case: Case,
    worksite_id: int | None,
    placement_ids: list[int],
    week: list[date],
    today: date,
    shifts: Sequence[dto.PlanShift],
) -> tuple[dto.PlanDay, ...]:
    closed = _closed_days(s, worksite_id, week[0], week[-1])
    logged: dict[date, float] = {}
    entries = s.scalars(
        select(TimeEntry)
        .where(
            TimeEntry.placement_id.in_(placement_ids),
            TimeEntry.work_date.between(week[0], week[-1]),
        )
        .options(selectinload(TimeEntry.breaks))
    )
    for e in entries:
        gone = sum((b.end_local - b.start_local).total_seconds() for b in e.breaks)
        worked = (
            (e.end_local - e.start_local).total_seconds() - gone - 60 * (e.auto_break_minutes or 0)
        )
        logged[e.work_date] = logged.get(e.work_date, 0.0) + worked / 3600
    planned: dict[date, float] = {}
    for sh in shifts:
        planned[sh.work_date] = planned.get(sh.work_date, 0.0) + sh.hours
    # A day's window reads its own workweek and the 24 hours before it: the shifts a
    # week either side are all it needs, not the whole term.
    first, last = week[0] - WEEK, week[-1] + WEEK
    near = replace(case, shifts=tuple(sh for sh in case.shifts if first <= sh.date <= last))
    return tuple(
        _day(near, d, closed.get(d), planned.get(d, 0.0), logged.get(d, 0.0), today) for d in week
    )


def _day(
    case: Case, day: date, closed: str | None, planned: float, logged: float, today: date
) -> dto.PlanDay:
    w = legal_window(case, day)
    return dto.PlanDay(
        day=day,
        may_work=w.may_work,
        earliest=w.earliest,
        latest=w.latest,
        blocked=w.blocked,
        hours_left_day=w.hours_left_day,
        hours_left_week=w.hours_left_week,
        binding=w.binding,
        closed=closed,
        planned_hours=round(planned, 2),
        logged_hours=round(logged, 2),
        past=day < today,
    )


# -- the live check


def preview(
    s: Session,
    actor: Actor,
    intern_id: int,
    shifts: Sequence[ShiftDraft],
    *,
    week_start: date,
    today: date,
) -> dto.PlanPreview:
    """The findings of an intern's plan with ``shifts`` edited or added (nothing is
    saved), and the week's legal windows given them. Each draft keeps its ``key``,
    so the next preview re-checks from this one's stored result."""
    require(actor, Permission.EDIT_RECORDS)
    intern = _intern(s, actor, intern_id)
    _check_week(week_start)
    view = _view(actor)
    checked = [_checked_draft(s, intern.id, d) for d in shifts]
    placement_id = checked[0][1].placement.id if checked else None
    if placement_id is None:
        open_ = _open_placements(
            s,
            actor,
            week_start,
            week_start + timedelta(days=6),
            intern_id=intern.id,
            worksite_id=None,
        )
        if not open_:
            return dto.PlanPreview(intern.id, {}, ())
        placement_id = open_[0].id
    base = _base(s, intern, placement_id)
    plan, result, cache = base.plan, base.result, base.cache
    zone = ZoneInfo(plan.case.worksite_tz)
    for index, (draft, c) in enumerate(checked):
        if c.placement.id != placement_id:
            raise ValidationError(
                "plan one placement at a time", field=f"shifts[{index}].placement"
            )
        ref = f"shift:{draft.shift_id}" if draft.shift_id is not None else draft.key
        shift_index = draft.shift_id if draft.shift_id is not None else -(index + 1)
        plan, result = _apply(plan, result, c, shift_index, ref, cache, zone)
    decided = _overrides(s, intern.id)
    findings: dict[str, list[dto.PlanFinding]] = {}
    general = []
    for f in result.findings:
        item = _plan_finding(f, view, decided.get(_identity(plan, f)))
        if f.shift is None:
            general.append(item)
        else:
            findings.setdefault(plan.refs[f.shift], []).append(item)
    week = [week_start + timedelta(days=i) for i in range(7)]
    planned: dict[date, float] = {}
    for sh in plan.case.shifts:
        if week[0] <= sh.date <= week[-1]:
            planned[sh.date] = planned.get(sh.date, 0.0) + sh.worked_minutes / 60
    lane_days = _days_for_preview(s, plan.case, intern, placement_id, week, today, planned)
    return dto.PlanPreview(
        intern.id, {k: tuple(v) for k, v in findings.items()}, lane_days, tuple(general)
    )


def _days_for_preview(
    s: Session,
    case: Case,
    intern: Intern,
    placement_id: int,
    week: list[date],
    today: date,
    planned: dict[date, float],
) -> tuple[dto.PlanDay, ...]:
    placement = s.get(Placement, placement_id)
    assert placement is not None
    shifts = [
        dto.PlanShift(
            key="",
            id=None,
            intern_id=intern.id,
            placement_id=placement_id,
            work_date=d,
            start=datetime.combine(d, time()),
            end=datetime.combine(d, time()) + timedelta(hours=h),
            area_id=None,
            area="",
            supervisor_staff_id=None,
            supervisor="",
            supervisor_21_or_older=None,
            tasks=(),
            breaks=(),
            series=None,
        )
        for d, h in planned.items()
    ]
    return _days(s, case, placement.worksite_id, [placement_id], week, today, shifts)


def _checked_draft(s: Session, intern_id: int, draft: ShiftDraft) -> tuple[ShiftDraft, _Checked]:
    if not isinstance(draft, ShiftDraft):
        raise ValidationError("is not a planned shift", field="shifts")
    if draft.shift_id is not None:
        stored = by_id(s, Shift, draft.shift_id)
        if stored is None:
            raise NotFound(f"no planned shift with id {draft.shift_id}")
    return draft, _checked(s, draft.data, intern_id=intern_id, shift_id=draft.shift_id)


# -- saving


def shift_choices(s: Session, actor: Actor, worksite_id: int) -> dto.ShiftChoices:
    """The areas of a worksite, the current staff (each said to be 21 or older or
    not, as Illinois asks of a minor's supervisor) and the task catalog: what the
    planner's shift details offer."""
    require(actor, Permission.EDIT_RECORDS)
    if by_id(s, Worksite, worksite_id) is None:
        raise NotFound(f"no worksite with id {worksite_id}")
    areas = s.execute(
        select(Area.id, Area.name).where(Area.worksite_id == worksite_id).order_by(Area.name)
    )
    staff = s.scalars(
        select(Staff)
        .where(Staff.archived_at.is_(None))
        .order_by(func.lower(Staff.last_name), func.lower(Staff.first_name), Staff.id)
    )
    return dto.ShiftChoices(
        areas=tuple((i, name) for i, name in areas),
        supervisors=tuple(
            dto.SupervisorChoice(m.id, m.full_name, staff_21_or_older(m)) for m in staff
        ),
        tasks=tuple(task_catalog()),
    )


def shift_input(s: Session, actor: Actor, shift_id: int) -> ShiftInput:
    """A stored shift's values, for the planner's editor."""
    require(actor, Permission.EDIT_RECORDS)
    shift = _shift(s, actor, shift_id)
    return ShiftInput(
        placement_id=shift.placement_id,
        start=shift.start_local,
        end=shift.end_local,
        area_id=shift.area_id,
        supervisor_staff_id=shift.supervisor_staff_id,
        supervisor_21_or_older=shift.supervisor_21_or_older,
        tasks=tuple(t.task_key for t in shift.tasks),
        breaks=tuple((b.start_local, b.end_local) for b in shift.breaks),
        note=shift.note,
    )


def _shift(s: Session, actor: Actor, shift_id: int) -> Shift:
    shift = by_id(
        s, Shift, shift_id, options=[selectinload(Shift.breaks), selectinload(Shift.tasks)]
    )
    if shift is None:
        raise NotFound(f"no planned shift with id {shift_id}")
    placement = s.get(Placement, shift.placement_id)
    assert placement is not None
    _intern(s, actor, placement.intern_id)
    return shift


def save_shift(
    s: Session,
    actor: Actor,
    data: ShiftInput,
    shift_id: int | None = None,
    *,
    today: date,
    override_reason: str | None = None,
) -> dto.PlanShift:
    """Plan a shift, or change one, if no finding the decisions table says blocks a
    plan comes of it; then re-check and store the intern's findings.

    With ``override_reason`` HR saves it anyway when the table lets HR override every
    finding that blocks it: each is stored and overridden with that reason, as the
    Compliance screen records it (``findings.decide_finding``), in the same unit of
    work, so the shift is never kept without its overrides."""
    require(actor, Permission.EDIT_RECORDS)
    if override_reason is not None:
        require(actor, DECIDE_PERMISSION)
    current = _shift(s, actor, shift_id) if shift_id is not None else None
    if current is not None and current.work_date < today:
        raise ValidationError(
            "a shift on a past day is the plan its hours were logged against; it cannot be changed",
            field="start",
        )
    c = _checked(s, data, shift_id=shift_id)
    if c.start.date() < today:
        raise ValidationError(f"{c.start.date()} is in the past: plan from today on", field="start")
    reason = _override_reason(override_reason)
    intern = s.get(Intern, c.placement.intern_id)
    assert intern is not None
    blocking = _blocking_edits(s, intern, [(shift_id, c)])
    if blocking and (reason is None or not _all_overridable(blocking)):
        raise _refusal(blocking, _view(actor))
    audit.label(s, "plan shift" if current is None else "change planned shift")
    shift = c.row(current if current is not None else Shift())
    if current is None:
        s.add(shift)
    s.flush()
    compliance.check_intern(s, actor, intern.id, today)
    if blocking and reason is not None:
        _override_stored(s, actor, intern.id, _saved_identities(blocking, {-1: shift}), reason)
    return _saved_row(s, actor, shift, intern.id)


def _override_reason(reason: str | None) -> str | None:
    if reason is None:
        return None
    check = Checker()
    text = check.text("override_reason", reason, required=True, max_len=REASON_MAX, multiline=True)
    check.done()
    return text


def _all_overridable(findings: Iterable[rf.Finding]) -> bool:
    return all(decision_for(f.category, f.severity, f.verification).may_override for f in findings)


def _override_stored(
    s: Session, actor: Actor, intern_id: int, wanted: set[str], reason: str
) -> None:
    """Override the just-stored findings (by identity) that blocked a save."""
    rows = s.execute(
        select(Finding.identity, Finding.id).where(
            Finding.intern_id == intern_id, Finding.identity.in_(wanted)
        )
    )
    stored = {identity: finding_id for identity, finding_id in rows}
    missing = wanted - stored.keys()
    if missing:
        raise Conflict("the check stored other findings than the preview showed; save again")
    for identity in sorted(wanted):
        decide_finding(s, actor, stored[identity], "override", reason)


def _refuse_blocking(
    s: Session,
    actor: Actor,
    intern: Intern,
    edits: Sequence[tuple[int | None, _Checked]],
    where: str = "",
) -> None:
    """Raise the ValidationError saying why, when ``edits`` (stored shift id or None,
    values) would bring findings that block a plan."""
    blocking = _blocking_edits(s, intern, edits)
    if blocking:
        raise _refusal(blocking, _view(actor), where)


def _blocking_edits(
    s: Session, intern: Intern, edits: Sequence[tuple[int | None, _Checked]]
) -> list[rf.Finding]:
    """The findings ``edits`` would bring that block a plan (none overridden)."""
    base = _base(s, intern, edits[0][1].placement.id)
    plan, before, cache = base.plan, base.result, base.cache
    zone = ZoneInfo(plan.case.worksite_tz)
    result, after, edited = before, plan, set()
    for n, (shift_id, c) in enumerate(edits):
        index = shift_id if shift_id is not None else -(n + 1)
        ref = f"shift:{shift_id}" if shift_id is not None else f"new:{n}"
        if len(edits) == 1:
            after, result = _apply(after, result, c, index, ref, cache, zone)
        else:
            after = _with_draft(after, c, index, ref, cache, zone)
        edited.add(index)
    if len(edits) > 1:
        result = check(after.case)
    return _blocking(after, before, result, edited, _overrides(s, intern.id))


def _saved_row(s: Session, actor: Actor, shift: Shift, intern_id: int) -> dto.PlanShift:
    decided = _overrides(s, intern_id)
    stored = _stored_findings(s, [shift.id], _view(actor), decided)
    return _plan_shift(shift, intern_id, FactCache(s), stored.get(shift.id, ()))


def move_shift(
    s: Session, actor: Actor, shift_id: int, start: datetime, end: datetime, *, today: date
) -> dto.PlanShift:
    """Move or resize a shift (a drag in the week view): a move takes its breaks
    along; a resize keeps the breaks still inside it."""
    require(actor, Permission.EDIT_RECORDS)
    data = shift_input(s, actor, shift_id)
    assert data.start is not None and data.end is not None
    check = Checker()
    _local_time(check, "start", start)
    _local_time(check, "end", end)
    check.done()
    breaks = moved_breaks(data.breaks, data.start, data.end, start, end)
    return save_shift(
        s, actor, replace(data, start=start, end=end, breaks=breaks), shift_id, today=today
    )


def moved_breaks(
    breaks: Sequence[tuple[datetime, datetime]],
    old_start: datetime,
    old_end: datetime,
    start: datetime,
    end: datetime,
) -> tuple[tuple[datetime, datetime], ...]:
    """A shift's breaks after it moved to ``start``–``end``: a move (the same length)
    takes them along; a resize keeps those still inside it."""
    if end - start == old_end - old_start:
        delta = start - old_start
        return tuple((a + delta, b + delta) for a, b in breaks)
    return tuple((a, b) for a, b in breaks if start < a and b < end)


def delete_shift(
    s: Session, actor: Actor, shift_id: int, *, whole_series: bool = False, today: date
) -> int:
    """Remove a planned shift (or, ``whole_series``, every shift of its pattern from
    today on); past shifts stay, as the plan their hours were logged against.
    Returns how many were removed."""
    require(actor, Permission.EDIT_RECORDS)
    shift = _shift(s, actor, shift_id)
    if shift.work_date < today:
        raise ValidationError(
            "a shift on a past day cannot be removed: mark it absent instead", field="start"
        )
    placement = s.get(Placement, shift.placement_id)
    assert placement is not None
    doomed = [shift]
    if whole_series and shift.series:
        doomed = list(
            s.scalars(
                select(Shift).where(
                    Shift.series == shift.series,
                    Shift.work_date >= today,
                    Shift.placement_id == shift.placement_id,
                )
            )
        )
    audit.label(s, "remove planned shifts" if len(doomed) > 1 else "remove planned shift")
    for row in doomed:
        s.delete(row)
    s.flush()
    compliance.check_intern(s, actor, placement.intern_id, today)
    return len(doomed)


# -- recurring patterns


@dataclass(frozen=True)
class _Series:
    """A pattern's occurrences, each checked, and the days it leaves out."""

    intern: Intern
    recurrence: str
    occurrences: list[_Checked]
    skipped: dict[date, str]


def _series(s: Session, data: SeriesInput, today: date) -> _Series:
    """The occurrences of ``data``'s pattern, every field checked (all or nothing)."""
    first = _checked_first(s, data.shift, today)
    rule, recurrence = _pattern(data, first)
    days = [moment.date() for moment in rule]
    if len(days) > MAX_OCCURRENCES:
        raise ValidationError(
            f"gives more than {MAX_OCCURRENCES} shifts; end the pattern sooner", field="until"
        )
    skipped = _skipped(s, first.placement, days, data.skip_non_school_days)
    wanted = [d for d in days if d not in skipped]
    if not wanted:
        raise ValidationError("leaves no day to plan (every one is skipped)", field="weekdays")
    occurrences: list[_Checked] = []
    errors: list[FieldError] = []
    for day in wanted:
        shifted = _on_day(data.shift, first.start, day)
        try:
            occurrences.append(_checked(s, shifted))
        except ValidationError as exc:
            errors += [FieldError(f"shift.{e.field}", f"on {day}: {e.message}") for e in exc.errors]
    if errors:
        raise ValidationError(errors)
    intern = s.get(Intern, first.placement.intern_id)
    assert intern is not None
    _check_overlaps(occurrences)
    return _Series(intern, recurrence, occurrences, skipped)


def preview_series(
    s: Session,
    actor: Actor,
    data: SeriesInput,
    *,
    today: date,
    leave_out_blocked: bool = False,
) -> dto.SeriesPreview:
    """What ``plan_series`` would do, saving nothing: the days it plans, the days it
    leaves out and why, and the findings the new shifts bring (those that block it
    marked), so HR sees the pattern's cost before saving it. ``leave_out_blocked``:
    as ``plan_series`` with it, the days a blocking finding keeps out listed apart."""
    require(actor, Permission.EDIT_RECORDS)
    found = _series(s, data, today)
    if not isinstance(leave_out_blocked, bool):
        raise ValidationError("is not yes or no", field="leave_out_blocked")
    checked = _series_check(s, actor, found, leave_out_blocked)
    known = {_identity(checked.base.plan, f) for f in checked.base.result.findings}
    decided = _overrides(s, found.intern.id)
    view = _view(actor)
    shown = []
    for f in checked.result.findings:
        identity = _identity(checked.plan, f)
        if (f.shift is None or f.shift >= 0) and identity in known:
            continue
        shown.append((f.date, _plan_finding(f, view, decided.get(identity))))
    shown.sort(key=lambda p: (p[0] or date.min, rf.SEVERITY_ORDER[p[1].severity], p[1].rule))
    return dto.SeriesPreview(
        days=tuple(found.occurrences[n].start.date() for n in checked.kept),
        skipped=tuple(sorted(found.skipped.items())),
        findings=tuple(shown),
        left_out=tuple(sorted(checked.left_out.items())),
    )


@dataclass(frozen=True)
class _SeriesCheck:
    """A pattern's occurrences checked on the stored plan: those kept (their
    positions in the pattern), the days left out for a finding that blocks them,
    the plan and findings with the kept ones, and what still blocks it."""

    base: _Base
    kept: list[int]
    left_out: dict[date, str]
    plan: _Plan
    result: rf.CheckResult
    blocking: list[rf.Finding]


def _series_check(s: Session, actor: Actor, series: _Series, leave_out: bool) -> _SeriesCheck:
    """The pattern's occurrences on the stored plan (the n-th a draft of index
    ``-(n + 1)``). ``leave_out``: each day in turn is kept only if it brings no
    finding that blocks a plan, given the days kept before it (so a day that would
    cross a weekly cap later in the week is left out, not the week)."""
    intern, occurrences = series.intern, series.occurrences
    base = _base(s, intern, occurrences[0].placement.id)
    zone = ZoneInfo(base.plan.case.worksite_tz)
    decided = _overrides(s, intern.id)
    if not leave_out:
        plan = base.plan
        for n, c in enumerate(occurrences):
            plan = _with_draft(plan, c, -(n + 1), f"new:{n}", base.cache, zone)
        result = check(plan.case)
        edited = {-(n + 1) for n in range(len(occurrences))}
        blocking = _blocking(plan, base.result, result, edited, decided)
        return _SeriesCheck(base, list(range(len(occurrences))), {}, plan, result, blocking)
    view = _view(actor)
    plan, result = base.plan, base.result
    kept: list[int] = []
    left_out: dict[date, str] = {}
    for n, c in enumerate(occurrences):
        after, checked = _apply(plan, result, c, -(n + 1), f"new:{n}", base.cache, zone)
        blocking = _blocking(after, result, checked, {-(n + 1)}, decided)
        if blocking:
            left_out[c.start.date()] = " ".join(dict.fromkeys(render(f, view) for f in blocking))
        else:
            plan, result = after, checked
            kept.append(n)
    if not kept:
        raise ValidationError(
            "leaves no day to plan: a finding blocks every one (see the preview)",
            field="leave_out_blocked",
        )
    return _SeriesCheck(base, kept, left_out, plan, result, [])


def plan_series(
    s: Session,
    actor: Actor,
    data: SeriesInput,
    *,
    today: date,
    leave_out_blocked: bool = False,
    override_reason: str | None = None,
) -> dto.SeriesResult:
    """Plan ``data.shift`` again on each day of its pattern (a dateutil ``rrule``),
    leaving out the plant's closures and, if asked, the district's days without
    school. All or nothing: one occurrence that cannot be planned refuses the lot,
    unless HR chose what to do with the days a finding blocks, in this one call:
    ``leave_out_blocked`` plans the other days; ``override_reason`` plans every day
    and overrides each blocking finding with that reason, as ``save_shift`` does,
    when the decisions table lets HR override every one (a finding it never lets
    be overridden, a hazardous order, can only be left out)."""
    require(actor, Permission.EDIT_RECORDS)
    if override_reason is not None:
        require(actor, DECIDE_PERMISSION)
    found = _series(s, data, today)
    reason = _override_reason(override_reason)
    if not isinstance(leave_out_blocked, bool):
        raise ValidationError("is not yes or no", field="leave_out_blocked")
    if leave_out_blocked and reason is not None:
        raise ValidationError(
            "leave the blocked days out or override their findings, not both",
            field="leave_out_blocked",
        )
    checked = _series_check(s, actor, found, leave_out_blocked)
    blocking = checked.blocking
    if blocking and reason is None:
        raise _refusal(blocking, _view(actor), "shift")
    fixed = [f for f in blocking if not _all_overridable([f])]
    if fixed:
        raise _refusal(fixed, _view(actor), "override_reason", overriding=True)
    series = uuid.uuid4().hex
    audit.label(s, "plan recurring shifts")
    rows: dict[int, Shift] = {}
    for n in checked.kept:
        row = found.occurrences[n].row(Shift())
        row.series, row.recurrence = series, found.recurrence
        s.add(row)
        rows[-(n + 1)] = row
    s.flush()
    compliance.check_intern(s, actor, found.intern.id, today)
    if blocking and reason is not None:
        _override_stored(s, actor, found.intern.id, _saved_identities(blocking, rows), reason)
        audit.label(s, "plan recurring shifts, overriding findings")
    created = tuple(_saved_row(s, actor, r, found.intern.id) for r in rows.values())
    return dto.SeriesResult(
        series,
        created,
        tuple(sorted(found.skipped.items())),
        left_out=tuple(sorted(checked.left_out.items())),
    )


def _saved_identities(findings: Iterable[rf.Finding], rows: dict[int, Shift]) -> set[str]:
    """The identities ``findings`` are stored under once their drafts (``rows``, by
    draft index) were saved; a finding on a stored shift keeps its own."""
    out = set()
    for f in findings:
        if f.shift is None:
            continue
        shift_id = rows[f.shift].id if f.shift < 0 else f.shift
        out.add(f.identity(f"shift:{shift_id}"))
    return out


def save_series(
    s: Session, actor: Actor, shift_id: int, data: ShiftInput, *, today: date
) -> dto.SeriesResult:
    """Change every shift of ``shift_id``'s pattern from today on as ``data`` changes
    that one: the same shift of its start and end, the same area, supervisor and
    tasks, each keeping its own day and the breaks still inside it (or, when
    ``data``'s breaks were changed, those breaks at its own day). All or nothing,
    refused as ``save_shift`` refuses a blocking finding on any of them."""
    require(actor, Permission.EDIT_RECORDS)
    shift = _shift(s, actor, shift_id)
    if not shift.series:
        raise ValidationError("is not one of a recurring pattern", field="series")
    if shift.work_date < today:
        raise ValidationError(
            "a shift on a past day cannot be changed: pick one from today on", field="start"
        )
    first = _checked(s, data, shift_id=shift_id)
    if first.start.date() != shift.work_date or first.placement.id != shift.placement_id:
        raise ValidationError(
            "a whole pattern keeps its days and placement: move this shift alone", field="start"
        )
    starts, ends = first.start - shift.start_local, first.end - shift.end_local
    own = tuple((b.start_local, b.end_local) for b in shift.breaks)
    # Breaks HR changed (not just carried along by the new times) go to every shift
    # at the same time of its own day.
    new_breaks = first.breaks != moved_breaks(
        own, shift.start_local, shift.end_local, first.start, first.end
    )
    rows = s.scalars(
        select(Shift)
        .where(
            Shift.series == shift.series,
            Shift.placement_id == shift.placement_id,
            Shift.work_date >= today,
        )
        .options(selectinload(Shift.breaks), selectinload(Shift.tasks))
        .order_by(Shift.start_local)
    ).all()
    edits: list[tuple[Shift, _Checked]] = []
    errors: list[FieldError] = []
    for row in rows:
        start, end = row.start_local + starts, row.end_local + ends
        if new_breaks:
            delta = start - first.start
            breaks = tuple((a + delta, b + delta) for a, b in first.breaks)
        else:
            kept = tuple((b.start_local, b.end_local) for b in row.breaks)
            breaks = moved_breaks(kept, row.start_local, row.end_local, start, end)
        each = replace(data, start=start, end=end, breaks=breaks)
        try:
            edits.append((row, _checked(s, each, shift_id=row.id)))
        except ValidationError as exc:
            errors += [FieldError(e.field, f"on {row.work_date}: {e.message}") for e in exc.errors]
    if errors:
        raise ValidationError(errors)
    intern = s.get(Intern, first.placement.intern_id)
    assert intern is not None
    _refuse_blocking(s, actor, intern, [(row.id, c) for row, c in edits])
    audit.label(s, "change recurring shifts")
    for row, c in edits:
        c.row(row)
    s.flush()
    compliance.check_intern(s, actor, intern.id, today)
    changed = tuple(_saved_row(s, actor, row, intern.id) for row, _c in edits)
    return dto.SeriesResult(shift.series, changed, ())


def _checked_first(s: Session, data: ShiftInput, today: date) -> _Checked:
    """The pattern's first shift checked, its errors named as the series' ``shift``."""
    try:
        checked = _checked(s, data, on_its_day=False)
    except ValidationError as exc:
        raise ValidationError(
            [FieldError(f"shift.{e.field}", e.message) for e in exc.errors]
        ) from None
    if checked.start.date() < today:
        raise ValidationError(
            f"{checked.start.date()} is in the past: plan from today on", field="shift.start"
        )
    return checked


def _pattern(data: SeriesInput, first: _Checked) -> tuple[rrule, str]:
    check = Checker()
    weekdays = tuple(data.weekdays or ())
    unknown = [w for w in weekdays if w not in _WEEKDAY_RULES]
    if not weekdays or unknown:
        check.fail("weekdays", f"must name days among {', '.join(WEEKDAYS)}")
    check.whole("every_weeks", data.every_weeks, low=1, high=4, required=True)
    until = check.work_date("until", data.until, required=True)
    end = first.placement.end_date
    if until is not None and until < first.start.date():
        check.fail("until", "is before the first shift")
    if until is not None and end is not None and until > end:
        check.fail("until", f"is after the placement ends ({end})")
    if not isinstance(data.skip_non_school_days, bool):
        check.fail("skip_non_school_days", "is not yes or no")
    check.done()
    assert until is not None
    rule = rrule(
        WEEKLY,
        dtstart=first.start,
        until=datetime.combine(until, time.max),
        interval=data.every_weeks,
        byweekday=[_WEEKDAY_RULES[w] for w in dict.fromkeys(weekdays)],
    )
    return rule, str(rule)


def _on_day(data: ShiftInput, first: datetime, day: date) -> ShiftInput:
    """The pattern's shift moved to ``day``, breaks and all."""
    delta = datetime.combine(day, first.time()) - first
    assert data.start is not None and data.end is not None
    return replace(
        data,
        start=data.start + delta,
        end=data.end + delta,
        breaks=tuple((a + delta, b + delta) for a, b in data.breaks),
    )


def _skipped(
    s: Session, placement: Placement, days: list[date], skip_no_school: bool
) -> dict[date, str]:
    """The pattern's days left out: the plant's closures and, if asked, the weekdays
    inside a school year of the intern's school district without school."""
    if not days:
        return {}
    closed = _closed_days(s, placement.worksite_id, min(days), max(days))
    out = {day: closed[day] for day in days if day in closed}
    if skip_no_school:
        from internhost.core.services.case_facts import district_calendar

        district = _school_district(s, placement)
        school = district_calendar(s, district)
        years = list(
            s.execute(
                select(SchoolCalendar.first_day, SchoolCalendar.last_day).where(
                    SchoolCalendar.district_id == district
                )
            )
        )
        for day in days:
            in_year = any(a <= day <= b for a, b in years)
            if in_year and day.weekday() < 5 and day not in school and day not in out:
                out[day] = "no school"
    return out


def _school_district(s: Session, placement: Placement) -> int | None:
    from internhost.core.models import School

    school = s.get(School, placement.school_id)
    return school.district_id if school else None


def _check_overlaps(occurrences: list[_Checked]) -> None:
    ordered = sorted(occurrences, key=lambda c: c.start)
    for a, b in pairwise(ordered):
        if b.start < a.end:
            raise ValidationError(
                f"on {b.start.date()}: overlaps the pattern's shift before it", field="shift.end"
            )
