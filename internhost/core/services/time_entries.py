"""Logged hours: what an intern actually worked, typed by HR or the intern's mentor.

An entry records what happened, so a rule violation never refuses one: the save
re-checks the intern (``compliance.check_intern``) and the entry's findings are
stored for HR to acknowledge. What is refused is an entry that cannot be true or
cannot be kept: a work date after today, one outside every working placement, an
out-time before the in-time (unless an out date says the shift ran past midnight),
an overlap with another entry of the same intern, a date in a closed pay period.
Several punches on one day are several entries; the rules read the gap between
them as a break (``rules/periods.py``).

A mentor logs hours for their own interns and may not change an entry once it is
approved; HR corrects an approved entry with a reason, which goes into the audit
trail with the before and after values. A locked entry (its pay period closed)
changes for nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    Area,
    Equipment,
    Finding,
    Intern,
    PayPeriod,
    Placement,
    Staff,
    TimeEntry,
    UserAccount,
    WorkBreak,
    WorkTask,
)
from internhost.core.models.base import utcnow
from internhost.core.rules.messages import render
from internhost.core.rules.packs import load_rules
from internhost.core.rules.templates import View
from internhost.core.services import compliance, directory
from internhost.core.services.interns import visible_placements
from internhost.core.timespans import (
    Span,
    break_span,
    describe,
    entry_span,
    first_clash,
    overlapping,
    worked_minutes,
)
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id, storable

#: Placements hours can be logged under: work happened while they ran (a draft's has
#: not started; an archived one is off the lists).
WORKING_STATUSES = ("active", "completed", "terminated")
NOTE_MAX = 2000
REASON_MAX = 2000
#: The most breaks and tasks one entry records.
MAX_PARTS = 20


@dataclass(frozen=True)
class BreakInput:
    """An unpaid break, punched out and back in (local times; after midnight when the
    entry runs past it)."""

    start: time
    end: time


@dataclass(frozen=True)
class TaskInput:
    """A task of the catalog done during the entry, on a machine, for some minutes
    (None: the whole entry)."""

    task_key: str
    equipment_id: int | None = None
    minutes: int | None = None


@dataclass(frozen=True)
class TimeEntryInput:
    """What the entry dialog edits."""

    placement_id: int
    work_date: date | None
    start: time | None
    end: time | None
    #: The day the entry ends when not its work date (a shift past midnight).
    out_date: date | None = None
    breaks: tuple[BreakInput, ...] = ()
    #: A break the clock deducted with no punches: not worked, and no meal period.
    auto_break_minutes: int | None = None
    area_id: int | None = None
    supervisor_staff_id: int | None = None
    supervisor_name: str = ""
    tasks: tuple[TaskInput, ...] = ()
    note: str = ""


def _closed_period(s: Session, day: date) -> PayPeriod | None:
    """The closed pay period ``day`` falls in, if any."""
    return s.scalar(
        select(PayPeriod).where(PayPeriod.start_date <= day, PayPeriod.end_date >= day).limit(1)
    )


def _closed_message(period: PayPeriod) -> str:
    return (
        f"is in the pay period {period.start_date.isoformat()}–{period.end_date.isoformat()}, "
        "which is closed"
    )


def _require_logging(actor: Actor) -> None:
    """HR edits records; a mentor logs time for their own interns."""
    if not actor.can(Permission.EDIT_RECORDS):
        require(actor, Permission.LOG_MENTORING)


def _placement(s: Session, actor: Actor, placement_id: object) -> Placement | None:
    if not storable(placement_id):
        return None
    stmt = visible_placements(select(Placement), actor).where(Placement.id == placement_id)
    return s.scalar(stmt)


def _entry(s: Session, actor: Actor, entry_id: object) -> TimeEntry:
    entry = by_id(s, TimeEntry, entry_id)
    if entry is None or _placement(s, actor, entry.placement_id) is None:
        raise NotFound(f"no time entry with id {entry_id}")
    return entry


def _may_change(s: Session, actor: Actor, entry: TimeEntry) -> None:
    """Refuse a change a role may not make to a stored entry."""
    if entry.locked_at is not None:
        raise Conflict("this entry is locked: its pay period is closed")
    period = _closed_period(s, entry.work_date)
    if period is not None:
        raise Conflict(f"this entry {_closed_message(period)}")
    if entry.approved_at is not None and not actor.can(Permission.EDIT_RECORDS):
        raise PermissionDenied("this entry is approved: only HR may correct it")


@dataclass(frozen=True)
class _Checked:
    placement: Placement
    span: Span
    breaks: list[Span]
    supervisor: tuple[int | None, str]
    tasks: list[dict[str, object]]
    note: str


def _check(
    s: Session, actor: Actor, data: TimeEntryInput, entry_id: int | None, today: date
) -> _Checked:
    check = Checker()
    placement = _placement(s, actor, data.placement_id)
    if placement is None:
        check.fail("placement_id", f"no placement with id {data.placement_id}")
    day = check.work_date("work_date", data.work_date, required=True)
    start = check.time_of_day("start", data.start, required=True)
    end = check.time_of_day("end", data.end, required=True)
    out_date = check.work_date("out_date", data.out_date)
    if day is not None and day > today:
        check.fail("work_date", f"{day.isoformat()} is after today: log hours once worked")
    elif day is not None and placement is not None:
        _check_placement(check, placement, day)
    if day is not None and not check.failed("work_date"):
        period = _closed_period(s, day)
        if period is not None:
            check.fail("work_date", _closed_message(period))
    span: Span | None = None
    if day is not None and start is not None and end is not None and not check.failed("out_date"):
        shaped = entry_span(day, start, end, out_date)
        if isinstance(shaped, str):
            check.fail("out_date" if out_date and "out date" in shaped else "end", shaped)
        else:
            span = shaped
    breaks = _breaks(check, data.breaks, span)
    auto = check.whole("auto_break_minutes", data.auto_break_minutes, high=24 * 60, low=1)
    if span is not None and auto and worked_minutes(span, breaks, auto) <= 0:
        check.fail("auto_break_minutes", "leaves no time worked")
    if span is not None and placement is not None and not check.failed("work_date"):
        clash = _clash(s, placement.intern_id, span, entry_id)
        if clash is not None:
            check.fail("start", f"overlaps the entry of {describe(clash)}")
    site = placement.worksite_id if placement else None
    if data.area_id is not None:
        area = by_id(s, Area, data.area_id)
        if area is None or area.worksite_id != site:
            check.fail("area_id", f"no area with id {data.area_id} at the placement's worksite")
    supervisor = _supervisor(s, check, data)
    tasks = _tasks(s, check, data.tasks, site, span)
    note = check.text("note", data.note, max_len=NOTE_MAX, multiline=True)
    check.done()
    assert placement is not None and span is not None  # done() refused otherwise
    return _Checked(placement, span, breaks, supervisor, tasks, note)


def _check_placement(check: Checker, placement: Placement, day: date) -> None:
    if placement.status not in WORKING_STATUSES:
        check.fail("placement_id", f"the placement is {placement.status}: no hours under it")
    elif day < placement.start_date or (placement.end_date and day > placement.end_date):
        until = placement.end_date.isoformat() if placement.end_date else "open-ended"
        check.fail(
            "work_date",
            f"{day.isoformat()} is outside the placement "
            f"({placement.start_date.isoformat()} to {until})",
        )


def _breaks(check: Checker, breaks: object, span: Span | None) -> list[Span]:
    if not isinstance(breaks, tuple | list) or len(breaks) > MAX_PARTS:
        check.fail("breaks", f"must be a list of at most {MAX_PARTS} breaks")
        return []
    out: list[Span] = []
    for i, brk in enumerate(breaks):
        name = f"breaks[{i}]"
        if not isinstance(brk, BreakInput):
            check.fail(name, "is not a break")
            continue
        start = check.time_of_day(f"{name}.start", brk.start, required=True)
        end = check.time_of_day(f"{name}.end", brk.end, required=True)
        if span is None or start is None or end is None:
            continue
        shaped = break_span(span, start, end)
        if isinstance(shaped, str):
            check.fail(name, shaped)
        else:
            out.append(shaped)
    clash = overlapping(out)
    if clash is not None:
        check.fail(f"breaks[{clash}]", "overlaps another break")
    return out


def _clash(s: Session, intern_id: int, span: Span, entry_id: int | None) -> Span | None:
    rows = s.execute(
        select(TimeEntry.start_local, TimeEntry.end_local)
        .join(Placement, Placement.id == TimeEntry.placement_id)
        .where(
            Placement.intern_id == intern_id,
            TimeEntry.start_local < span.end,
            TimeEntry.end_local > span.start,
            TimeEntry.id != (entry_id or 0),
        )
        .order_by(TimeEntry.start_local)
    )
    return first_clash(span, (Span(a, b) for a, b in rows))


def _supervisor(s: Session, check: Checker, data: TimeEntryInput) -> tuple[int | None, str]:
    name = check.name("supervisor_name", data.supervisor_name)
    if data.supervisor_staff_id is None:
        return None, name
    member = by_id(s, Staff, data.supervisor_staff_id)
    if member is None:
        check.fail("supervisor_staff_id", f"no staff member with id {data.supervisor_staff_id}")
        return None, name
    return member.id, member.full_name


def _tasks(
    s: Session, check: Checker, tasks: object, site: int | None, span: Span | None
) -> list[dict[str, object]]:
    if not isinstance(tasks, tuple | list) or len(tasks) > MAX_PARTS:
        check.fail("tasks", f"must be a list of at most {MAX_PARTS} tasks")
        return []
    catalog = load_rules(None).tasks
    most = int(span.minutes) if span else 24 * 60
    out: list[dict[str, object]] = []
    for i, task in enumerate(tasks):
        name = f"tasks[{i}]"
        if not isinstance(task, TaskInput):
            check.fail(name, "is not a task")
            continue
        key = check.text(f"{name}.task_key", task.task_key, required=True, max_len=64)
        if key and key not in catalog:
            check.fail(f"{name}.task_key", f"{key!r} is not a task of the catalog")
        if task.equipment_id is not None:
            machine = by_id(s, Equipment, task.equipment_id)
            if machine is None or machine.worksite_id != site:
                check.fail(
                    f"{name}.equipment_id",
                    f"no machine with id {task.equipment_id} at the placement's worksite",
                )
        minutes = check.whole(f"{name}.minutes", task.minutes, high=most, low=1)
        out.append({"task_key": key, "equipment_id": task.equipment_id, "minutes": minutes})
    return out


def save_time_entry(
    s: Session,
    actor: Actor,
    data: TimeEntryInput,
    entry_id: int | None = None,
    *,
    today: date,
    reason: str = "",
) -> dto.TimeEntryRow:
    """Create (``entry_id`` None) or change an entry, then re-check the intern and
    store the findings. Changing an approved entry (HR only) needs a ``reason``; a
    reason, given or needed, goes into the audit trail beside the before and after."""
    _require_logging(actor)
    entry = None if entry_id is None else _entry(s, actor, entry_id)
    if entry is not None:
        _may_change(s, actor, entry)
    checked = _check(s, actor, data, entry_id, today)
    approved = entry is not None and entry.approved_at is not None
    why = Checker()
    text = why.text("reason", reason, required=approved, max_len=REASON_MAX, multiline=True)
    why.done()
    if approved:
        operation = f"correct logged hours: {text}"
    else:
        operation = "log hours" if entry is None else "edit time entry"
    audit.label(s, operation)
    before = None if entry is None else _snapshot(entry)
    staff_id, supervisor_name = checked.supervisor
    values = {
        "placement_id": checked.placement.id,
        "work_date": checked.span.start.date(),
        "start_local": checked.span.start,
        "end_local": checked.span.end,
        "area_id": data.area_id,
        "supervisor_staff_id": staff_id,
        "supervisor_name": supervisor_name,
        "auto_break_minutes": data.auto_break_minutes or None,
        "note": checked.note,
    }
    if entry is None:
        entry = TimeEntry(source="manual", entered_by=actor.user_id, **values)
        s.add(entry)
    else:
        for key, value in values.items():
            setattr(entry, key, value)
    entry.breaks = [WorkBreak(start_local=b.start, end_local=b.end) for b in checked.breaks]
    entry.tasks = [WorkTask(**task) for task in checked.tasks]
    if before is not None:
        _record_correction(s, actor, entry, before, text, approved)
    s.flush()
    compliance.check_intern(s, actor, checked.placement.intern_id, today)
    audit.label(s, operation)  # the re-check's changes belong to this save
    return _row(s, actor, entry, with_findings=True)


def _snapshot(entry: TimeEntry) -> dict[str, object]:
    """What a correction changes, as the audit trail keeps it before and after."""
    return {
        "start": entry.start_local.isoformat(timespec="minutes"),
        "end": entry.end_local.isoformat(timespec="minutes"),
        "breaks": [
            [b.start_local.isoformat(timespec="minutes"), b.end_local.isoformat(timespec="minutes")]
            for b in entry.breaks
        ],
        "auto_break_minutes": entry.auto_break_minutes,
        "area_id": entry.area_id,
        "supervisor": entry.supervisor_staff_id or entry.supervisor_name,
        "tasks": [[t.task_key, t.equipment_id, t.minutes] for t in entry.tasks],
        "note": entry.note,
    }


def _record_correction(
    s: Session,
    actor: Actor,
    entry: TimeEntry,
    before: dict[str, object],
    reason: str,
    approved: bool,
) -> None:
    """Keep a change with its reason beside the entry's before and after. An approved
    entry must change (a reason for nothing is no correction), and HR's correction is
    HR's approval of the result."""
    after = _snapshot(entry)
    if approved and after == before:
        raise ValidationError("changes nothing: the entry is as recorded", "start")
    if approved:
        entry.approved_at, entry.approved_by = utcnow(), actor.user_id
    if reason or approved:
        change = {"before": before, "after": after, "reason": reason}
        audit.add_event(s, ("time_entries", entry.id), "update", {f"correction:{entry.id}": change})


def delete_time_entry(s: Session, actor: Actor, entry_id: int, *, today: date) -> None:
    """Remove an entry typed in error, and re-check the intern without it."""
    _require_logging(actor)
    entry = _entry(s, actor, entry_id)
    _may_change(s, actor, entry)
    intern_id = s.get(Placement, entry.placement_id).intern_id  # type: ignore[union-attr]
    audit.label(s, "delete time entry")
    s.delete(entry)
    s.flush()
    compliance.check_intern(s, actor, intern_id, today)
    audit.label(s, "delete time entry")


def time_entry_input(s: Session, actor: Actor, entry_id: int) -> TimeEntryInput:
    """A stored entry as the dialog edits it."""
    require(actor, Permission.READ_RECORDS)
    e = _entry(s, actor, entry_id)
    out_date = e.end_local.date() if e.end_local.date() != e.work_date else None
    return TimeEntryInput(
        placement_id=e.placement_id,
        work_date=e.work_date,
        start=e.start_local.time(),
        end=e.end_local.time(),
        out_date=out_date,
        breaks=tuple(BreakInput(b.start_local.time(), b.end_local.time()) for b in e.breaks),
        auto_break_minutes=e.auto_break_minutes,
        area_id=e.area_id,
        supervisor_staff_id=e.supervisor_staff_id,
        supervisor_name="" if e.supervisor_staff_id else e.supervisor_name,
        tasks=tuple(TaskInput(t.task_key, t.equipment_id, t.minutes) for t in e.tasks),
        note=e.note,
    )


def list_time_entries(s: Session, actor: Actor, intern_id: int) -> list[dto.TimeEntryRow]:
    """An intern's logged entries, newest first."""
    require(actor, Permission.READ_RECORDS)
    if not storable(intern_id):
        raise NotFound(f"no intern with id {intern_id}")
    placements = list(
        s.scalars(
            visible_placements(select(Placement.id), actor, among=[intern_id]).where(
                Placement.intern_id == intern_id
            )
        )
    )
    entries = s.scalars(
        select(TimeEntry)
        .where(TimeEntry.placement_id.in_(placements))
        .options(selectinload(TimeEntry.breaks), selectinload(TimeEntry.tasks))
        .order_by(TimeEntry.start_local.desc(), TimeEntry.id.desc())
    )
    return [_row(s, actor, e) for e in entries]


def time_entry_choices(s: Session, actor: Actor, intern_id: int) -> dto.TimeEntryChoices:
    """What the entry dialog offers for ``intern_id``: the placements hours may be
    logged under, their worksites' areas and machines, the supervisors."""
    _require_logging(actor)
    if not storable(intern_id):
        raise NotFound(f"no intern with id {intern_id}")
    found = list(
        s.scalars(
            visible_placements(select(Placement), actor, among=[intern_id])
            .where(Placement.intern_id == intern_id, Placement.status.in_(WORKING_STATUSES))
            .order_by(Placement.start_date.desc())
        )
    )
    intern = s.get(Intern, intern_id)
    if intern is None or (not found and actor.sees_only_own_interns):
        raise NotFound(f"no intern with id {intern_id}")
    sites = {p.worksite_id for p in found if p.worksite_id}
    areas: dict[int, list[dto.ChoiceOption]] = {}
    for area in s.scalars(select(Area).where(Area.worksite_id.in_(sites)).order_by(Area.name)):
        areas.setdefault(area.worksite_id, []).append(dto.ChoiceOption(area.id, area.name))
    machines: dict[int, list[dto.ChoiceOption]] = {}
    for m in s.scalars(
        select(Equipment)
        .where(Equipment.worksite_id.in_(sites), Equipment.archived_at.is_(None))
        .order_by(Equipment.name)
    ):
        machines.setdefault(m.worksite_id, []).append(dto.ChoiceOption(m.id, m.name))
    staff = s.scalars(
        select(Staff)
        .where(Staff.archived_at.is_(None), Staff.role.in_(("mentor", "supervisor")))
        .order_by(Staff.last_name, Staff.first_name)
    )
    return dto.TimeEntryChoices(
        intern_id=intern.id,
        intern_name=f"{intern.legal_first_name} {intern.legal_last_name}",
        placements=tuple(dto.ChoiceOption(p.id, _placement_label(s, p)) for p in found),
        areas={p.id: tuple(areas.get(p.worksite_id or 0, ())) for p in found},
        supervisors=tuple(dto.ChoiceOption(m.id, m.full_name) for m in staff),
        equipment={p.id: tuple(machines.get(p.worksite_id or 0, ())) for p in found},
        tasks=tuple(directory.task_catalog()),
    )


def _placement_label(s: Session, p: Placement) -> str:
    from internhost.core.models import Worksite

    site = s.get(Worksite, p.worksite_id) if p.worksite_id else None
    until = p.end_date.isoformat() if p.end_date else "open-ended"
    return f"{site.name if site else 'No worksite'}, {p.start_date.isoformat()} to {until}"


def _row(
    s: Session, actor: Actor, e: TimeEntry, *, with_findings: bool = False
) -> dto.TimeEntryRow:
    span = Span(e.start_local, e.end_local)
    breaks = [Span(b.start_local, b.end_local) for b in e.breaks]
    catalog = load_rules(None).tasks
    tasks = []
    for t in e.tasks:
        label = catalog[t.task_key].label if t.task_key in catalog else t.task_key
        machine = s.get(Equipment, t.equipment_id) if t.equipment_id else None
        extra = [
            x
            for x in (machine.name if machine else "", f"{t.minutes} min" if t.minutes else "")
            if x
        ]
        tasks.append(f"{label} ({', '.join(extra)})" if extra else label)
    area = s.get(Area, e.area_id) if e.area_id else None
    who = s.get(UserAccount, e.entered_by) if e.entered_by else None
    approver = s.get(UserAccount, e.approved_by) if e.approved_by else None
    placement = s.get(Placement, e.placement_id)
    assert placement is not None  # a foreign key
    findings: tuple[str, ...] = ()
    if with_findings:
        view = View.EXACT if actor.can(Permission.SEE_BIRTH_DATES) else View.BAND
        stored = s.scalars(select(Finding).where(Finding.time_entry_id == e.id))
        findings = tuple(render(f, view) for f in stored)
    return dto.TimeEntryRow(
        id=e.id,
        intern_id=placement.intern_id,
        placement_id=e.placement_id,
        work_date=e.work_date,
        start=e.start_local,
        end=e.end_local,
        break_minutes=round(sum(b.minutes for b in breaks)),
        auto_break_minutes=e.auto_break_minutes,
        worked_minutes=worked_minutes(span, breaks, e.auto_break_minutes),
        supervisor=e.supervisor_name,
        area=area.name if area else None,
        tasks=tuple(tasks),
        source=e.source,
        note=e.note,
        entered_by=(who.display_name or who.username) if who else None,
        approved=e.approved_at is not None,
        approved_by=(approver.display_name or approver.username) if approver else None,
        approved_at=e.approved_at,
        locked=e.locked_at is not None,
        findings=findings,
    )
