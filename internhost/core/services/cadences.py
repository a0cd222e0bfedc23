"""When a placement's check-ins are due, and which are due or overdue now.

A cadence is every N days or chosen weekdays, counted by a dateutil ``rrule`` from
the placement's start (the first check-in falls due one period in), optionally
leaving out the days without school of the intern's district and the plant's
closures. A placement with no cadence of its own checks in every "check-in every"
days of the placement, else weekly.

Each due date is the deadline of the days since the one before it: a check-in held
in that stretch meets it. So the next check-in is due on the deadline after the one
the last check-in met (held early on Friday for Monday's, the next is due the Monday
after); with none held yet, on the first deadline. It is overdue once that day has
passed. The queue reads ``due_check_ins``: a few queries (the placements a check-in
may be due on, a loose test in SQL on the last check-in and the cadence's shortest
gap; their cadences, the closures, the districts' calendars) and, per placement left,
a binary search in its deadlines, which are worked out once per distinct start, end
and cadence.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission, require
from internhost.core.dto_check_ins import CadenceRow, CheckInDue
from internhost.core.errors import NotFound
from internhost.core.models import (
    CheckIn,
    CheckInCadence,
    Intern,
    Placement,
    PlantClosure,
    School,
    SchoolCalendar,
    Staff,
    Worksite,
)
from internhost.core.models.enums import WEEKDAYS
from internhost.core.services.interns import visible_placements
from internhost.core.text import like_pattern
from internhost.core.trail import audit
from internhost.core.validation import Checker, storable

#: The cadence of a placement that names none.
DEFAULT_EVERY_DAYS = 7
#: The longest "every N days" a cadence may be: a check-in less than twice a term is none.
MAX_EVERY_DAYS = 90
#: How far past today the deadlines of a placement without an end date are worked out.
OPEN_ENDED_DAYS = 400
#: Matches the check-in dialog's intern picker lists.
TARGET_MATCHES = 20
SEARCH_MAX = 200


@dataclass(frozen=True)
class CadenceInput:
    #: Every this many days (None: on ``weekdays``).
    every_days: int | None = DEFAULT_EVERY_DAYS
    #: ``mon``..``sun``; empty when ``every_days`` is set.
    weekdays: tuple[str, ...] = ()
    skip_non_school_days: bool = False
    skip_closures: bool = True


def _require_logging(actor: Actor) -> None:
    """HR edits records; a mentor logs check-ins for their own interns."""
    if not actor.can(Permission.EDIT_RECORDS):
        require(actor, Permission.LOG_MENTORING)


def _placement(s: Session, actor: Actor, placement_id: object) -> Placement:
    found = None
    if storable(placement_id):
        stmt = visible_placements(select(Placement), actor).where(Placement.id == placement_id)
        found = s.scalar(stmt)
    if found is None:
        raise NotFound(f"no placement with id {placement_id}")
    return found


def _row(placement: Placement, cadence: CheckInCadence | None) -> CadenceRow:
    if cadence is None:
        every = placement.check_in_every_days or DEFAULT_EVERY_DAYS
        return CadenceRow(placement.id, every, (), False, True, stored=False)
    return CadenceRow(
        placement.id,
        cadence.every_days,
        _weekdays(cadence.weekdays),
        cadence.skip_non_school_days,
        cadence.skip_closures,
        stored=True,
    )


@lru_cache(maxsize=128)
def _weekdays(stored: str) -> tuple[str, ...]:
    chosen = set(stored.split(",")) if stored else set()
    return tuple(d for d in WEEKDAYS if d in chosen)


def _stored(s: Session, placement_id: int) -> CheckInCadence | None:
    return s.scalar(select(CheckInCadence).where(CheckInCadence.placement_id == placement_id))


def placement_cadence(s: Session, actor: Actor, placement_id: int) -> CadenceRow:
    """A placement's cadence (its default when none is stored)."""
    require(actor, Permission.READ_RECORDS)
    placement = _placement(s, actor, placement_id)
    return _row(placement, _stored(s, placement.id))


def save_cadence(s: Session, actor: Actor, placement_id: int, data: CadenceInput) -> CadenceRow:
    """Set how often a placement's check-ins are due (HR, or the intern's mentor)."""
    _require_logging(actor)
    placement = _placement(s, actor, placement_id)
    check = Checker()
    weekdays: object = data.weekdays
    if not isinstance(weekdays, tuple | list) or not all(isinstance(d, str) for d in weekdays):
        check.fail("weekdays", "is not a list of weekdays")
        weekdays = ()
    unknown = [d for d in weekdays if d not in WEEKDAYS]
    if unknown:
        check.fail("weekdays", f"{unknown[0]!r} is not one of {', '.join(WEEKDAYS)}")
    every = check.whole("every_days", data.every_days, low=1, high=MAX_EVERY_DAYS)
    if every is None and not weekdays and not check.failed("every_days"):
        check.fail("every_days", "give a number of days, or choose weekdays")
    elif every is not None and weekdays and not check.failed("weekdays"):
        check.fail("weekdays", "choose weekdays or a number of days, not both")
    for name in ("skip_non_school_days", "skip_closures"):
        if not isinstance(getattr(data, name), bool):
            check.fail(name, "is not yes or no")
    check.done()
    values = {
        "every_days": None if weekdays else every,
        "weekdays": ",".join(d for d in WEEKDAYS if d in weekdays),
        "skip_non_school_days": data.skip_non_school_days,
        "skip_closures": data.skip_closures,
    }
    cadence = _stored(s, placement.id)
    audit.label(s, "set check-in cadence")
    if cadence is None:
        cadence = CheckInCadence(placement_id=placement.id, **values)
        s.add(cadence)
    else:
        for name, value in values.items():
            setattr(cadence, name, value)
    s.flush()
    return _row(placement, cadence)


# -- deadlines


@lru_cache(maxsize=4096)
def deadlines(
    start: date, last: date, every_days: int | None, weekdays: tuple[str, ...]
) -> tuple[date, ...]:
    """The due dates of a cadence after ``start`` through ``last``, by ``rrule``."""
    from dateutil.rrule import DAILY, WEEKLY, rrule
    from dateutil.rrule import weekdays as rrule_days

    begin = datetime.combine(start + timedelta(days=1), time())
    until = datetime.combine(last, time())
    if weekdays:
        by = [rrule_days[WEEKDAYS.index(d)] for d in weekdays]
        rule = rrule(WEEKLY, dtstart=begin, until=until, byweekday=by)
    else:
        step = every_days or DEFAULT_EVERY_DAYS
        first = datetime.combine(start + timedelta(days=step), time())
        rule = rrule(DAILY, interval=step, dtstart=first, until=until)
    return tuple(moment.date() for moment in rule)


def next_due(
    days: tuple[date, ...], skipped: Collection[date], last_held: date | None
) -> date | None:
    """The deadline after the one the last check-in met (the first, with none held),
    leaving out ``skipped`` days; None once the placement has no deadline left."""
    index = 0
    if last_held is not None:
        index = bisect_left(days, last_held)
        while index < len(days) and days[index] in skipped:
            index += 1
        index += 1  # the deadline the last check-in met
    while index < len(days) and days[index] in skipped:
        index += 1
    return days[index] if index < len(days) else None


@dataclass(frozen=True)
class _Open:
    """A running placement as its deadlines need it (names are read for the few shown)."""

    placement_id: int
    intern_id: int
    #: The intern's folded "last first" name: the order of placements due alike.
    sort_name: str
    worksite_id: int | None
    district_id: int | None
    start: date
    end: date | None
    last_held: date | None
    #: The cadence: every this many days, or on these weekdays.
    every_days: int | None
    weekdays: tuple[str, ...]
    skip_non_school_days: bool
    skip_closures: bool


@dataclass(frozen=True)
class DueDate:
    """A placement's next check-in, unnamed: what the queue ranks thousands of."""

    placement_id: int
    intern_id: int
    sort_name: str
    last_held_on: date | None
    due_on: date | None


def _running(today: date) -> tuple[ColumnElement[bool], ...]:
    return (
        Placement.status == "active",
        Placement.start_date <= today,
        or_(Placement.end_date.is_(None), Placement.end_date >= today),
    )


def _may_be_due(last_held: ColumnElement[date], today: date) -> ColumnElement[bool]:
    """Whether a check-in may be due by ``today``: none falls due before the last one
    held (or the start) plus the cadence's shortest gap, N days for every N days, a
    day for weekdays (``next_due`` skips on from there). A loose test in SQL, so the
    placements checked in lately never reach Python; the exact day is ``next_due``'s."""
    gap = case(
        (
            CheckInCadence.id.is_(None),
            func.coalesce(func.nullif(Placement.check_in_every_days, 0), DEFAULT_EVERY_DAYS),
        ),
        (CheckInCadence.every_days.is_(None), 1),
        else_=CheckInCadence.every_days,
    )
    since = func.julianday(today.isoformat()) - func.julianday(
        func.coalesce(last_held, Placement.start_date)
    )
    return since >= gap


def _open_placements(
    s: Session,
    actor: Actor,
    today: date,
    where: Iterable[ColumnElement[bool]] = (),
    *,
    due_only: bool = False,
) -> list[_Open]:
    """The running placements the actor keeps check-ins for (a mentor the ones they
    mentor, anyone else all of them), each with its last check-in and its cadence, in
    one query: lists of thousands of ids cost more to bind than the lookups by index.
    ``due_only``: only those a check-in may be due on by ``today`` (``_may_be_due``)."""
    last_held = (
        select(func.max(CheckIn.held_on))
        .where(CheckIn.placement_id == Placement.id)
        .correlate(Placement)
        .scalar_subquery()
    )
    if due_only:  # the few that may be due first, then their names and cadences
        may_be_due = (
            select(Placement.id)
            .outerjoin(CheckInCadence, CheckInCadence.placement_id == Placement.id)
            .where(*_running(today), _may_be_due(last_held, today))
        )
        where = [*where, Placement.id.in_(may_be_due)]
    stmt = (
        select(
            Placement.id,
            Placement.intern_id,
            Intern.sort_name,
            Placement.worksite_id,
            School.district_id,
            Placement.start_date,
            Placement.end_date,
            last_held,
            Placement.check_in_every_days,
            CheckInCadence.id,
            CheckInCadence.every_days,
            CheckInCadence.weekdays,
            CheckInCadence.skip_non_school_days,
            CheckInCadence.skip_closures,
        )
        .join(Intern, Intern.id == Placement.intern_id)
        .join(School, School.id == Placement.school_id)
        .outerjoin(CheckInCadence, CheckInCadence.placement_id == Placement.id)
        .where(*_running(today), *where)
    )
    if actor.sees_only_own_interns:
        stmt = stmt.where(Placement.mentor_id == (actor.staff_id or -1))
    out = []
    for (
        pid,
        iid,
        sort_name,
        wid,
        district,
        start,
        end,
        held,
        default_every,
        cadence,
        every,
        weekdays,
        skip_school,
        skip_closed,
    ) in s.connection().execute(stmt).all():
        if cadence is None:  # the default: the placement's "check-in every", else weekly
            every, weekdays = default_every or DEFAULT_EVERY_DAYS, ""
            skip_school, skip_closed = False, True
        out.append(
            _Open(
                pid,
                iid,
                sort_name,
                wid,
                district,
                start,
                end,
                held,
                every,
                _weekdays(weekdays),
                skip_school,
                skip_closed,
            )
        )
    return out


def _skipped_days(s: Session, rows: list[_Open]) -> dict[int, frozenset[date]]:
    """Per placement, the days its cadence leaves out (closures; days without school)."""
    first = min(r.start for r in rows)
    closed: dict[int | None, set[date]] = {}
    for site, day in s.execute(
        select(PlantClosure.worksite_id, PlantClosure.day).where(PlantClosure.day >= first)
    ):
        closed.setdefault(site, set()).add(day)
    no_school: dict[int | None, frozenset[date]] = {}
    # Placements at one worksite, of one district, skipping alike share one set.
    shared: dict[tuple[int | None, int | None, bool, bool], frozenset[date]] = {}
    out: dict[int, frozenset[date]] = {}
    for r in rows:
        key = (r.worksite_id, r.district_id, r.skip_closures, r.skip_non_school_days)
        if key not in shared:
            skip: set[date] = set()
            if r.skip_closures:
                skip |= closed.get(None, set()) | closed.get(r.worksite_id, set())
            if r.skip_non_school_days:
                if r.district_id not in no_school:
                    no_school[r.district_id] = _days_without_school(s, r.district_id)
                skip |= no_school[r.district_id]
            shared[key] = frozenset(skip)
        out[r.placement_id] = shared[key]
    return out


def _days_without_school(s: Session, district_id: int | None) -> frozenset[date]:
    """The weekdays inside a district's school years without school (as the planner's
    recurring shifts skip them)."""
    from internhost.core.services.case_facts import district_calendar

    if district_id is None:
        return frozenset()
    school = district_calendar(s, district_id)
    years = s.execute(
        select(SchoolCalendar.first_day, SchoolCalendar.last_day).where(
            SchoolCalendar.district_id == district_id
        )
    )
    out = set()
    for first, last in years:
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            if day.weekday() < 5 and day not in school:
                out.add(day)
    return frozenset(out)


def _due_dates(
    s: Session, rows: list[_Open], today: date, *, ordered: bool = True
) -> list[DueDate]:
    """Each placement's next check-in, the earliest first (none left: last), or as
    they come without ``ordered``."""
    if not rows:
        return []
    skipped = _skipped_days(s, rows)
    out = []
    for r in rows:
        last = r.end or today + timedelta(days=OPEN_ENDED_DAYS)
        days = deadlines(r.start, last, None if r.weekdays else r.every_days, r.weekdays)
        due = next_due(days, skipped[r.placement_id], r.last_held)
        out.append(DueDate(r.placement_id, r.intern_id, r.sort_name, r.last_held, due))
    if ordered:
        out.sort(key=lambda d: (d.due_on is None, d.due_on or today, d.sort_name, d.placement_id))
    return out


def _named(s: Session, dues: list[DueDate], today: date) -> list[CheckInDue]:
    """``dues`` as the picker and the Check-ins tab show them: with the intern's,
    mentor's and worksite's names, read for these placements only."""
    names: dict[int, Any] = {}
    ids = [d.placement_id for d in dues]
    for begin in range(0, len(ids), 500):
        stmt = (
            select(
                Placement.id,
                Intern.legal_last_name,
                Intern.legal_first_name,
                Placement.mentor_id,
                Staff.first_name,
                Staff.last_name,
                Worksite.name,
            )
            .join(Intern, Intern.id == Placement.intern_id)
            .outerjoin(Staff, Staff.id == Placement.mentor_id)
            .outerjoin(Worksite, Worksite.id == Placement.worksite_id)
            .where(Placement.id.in_(ids[begin : begin + 500]))
        )
        names.update((row[0], row) for row in s.connection().execute(stmt))
    out = []
    for d in dues:
        _, last, first, mentor_id, m_first, m_last, site = names[d.placement_id]
        mentor = f"{m_first} {m_last}" if mentor_id is not None and m_first is not None else None
        out.append(
            CheckInDue(
                d.placement_id,
                d.intern_id,
                f"{last}, {first}",
                mentor_id,
                mentor,
                site,
                d.last_held_on,
                d.due_on,
                d.due_on is not None and d.due_on < today,
            )
        )
    return out


def due_dates(s: Session, actor: Actor, today: date) -> list[DueDate]:
    """The check-ins due today or overdue, unnamed and unordered: the queue's, which
    ranks them per intern and names only the first few (``due_check_ins`` names all)."""
    require(actor, Permission.READ_RECORDS)
    rows = _due_dates(s, _open_placements(s, actor, today, due_only=True), today, ordered=False)
    return [r for r in rows if r.due_on is not None and r.due_on <= today]


def due_check_ins(
    s: Session, actor: Actor, today: date, intern_ids: Collection[int] | None = None
) -> list[CheckInDue]:
    """The check-ins due today or overdue, earliest first: a mentor's for the placements
    they mentor, HR's and a viewer's for every running placement (``intern_ids``: only
    those interns')."""
    require(actor, Permission.READ_RECORDS)
    where = []
    if intern_ids is not None:
        where.append(Placement.intern_id.in_([i for i in intern_ids if storable(i)]))
    rows = _due_dates(s, _open_placements(s, actor, today, where, due_only=True), today)
    return _named(s, [r for r in rows if r.due_on is not None and r.due_on <= today], today)


def check_in_targets(
    s: Session, actor: Actor, today: date, search: str = "", limit: int = TARGET_MATCHES
) -> tuple[list[CheckInDue], int]:
    """The running placements the actor may log a check-in on whose intern's name or
    student ID matches ``search`` (all when empty), the one due first first: the
    check-in dialog's picker. Returns at most ``limit`` and how many matched."""
    _require_logging(actor)
    check = Checker()
    text = check.search("search", search, max_len=SEARCH_MAX)
    count = check.whole("limit", limit, low=1, high=1000)
    check.done()
    where = [Intern.search_name.like(like_pattern(text), escape="\\")] if text else []
    rows = _due_dates(s, _open_placements(s, actor, today, where), today)
    return _named(s, rows[: count or TARGET_MATCHES], today), len(rows)


def check_in_target(s: Session, actor: Actor, placement_id: int, today: date) -> CheckInDue | None:
    """One placement as the picker names it (None: not one the actor may log on)."""
    _require_logging(actor)
    if not storable(placement_id):
        return None
    rows = _due_dates(s, _open_placements(s, actor, today, [Placement.id == placement_id]), today)
    return _named(s, rows, today)[0] if rows else None


def next_check_in(
    s: Session, actor: Actor, intern_id: int, today: date
) -> tuple[CheckInDue, CadenceRow] | None:
    """The intern's running placement (the latest to start), its next check-in and its
    cadence: what the intern's Check-ins tab shows (None: no placement running)."""
    require(actor, Permission.READ_RECORDS)
    if not storable(intern_id):
        return None
    rows = _due_dates(
        s, _open_placements(s, actor, today, [Placement.intern_id == intern_id]), today
    )
    if not rows:
        return None
    due = _named(s, rows[:1], today)[0]
    placement = s.get(Placement, due.placement_id)
    assert placement is not None
    return due, _row(placement, _stored(s, placement.id))
