"""The hours logged against the planned shifts, up to the day before the load day.

Each shift worked gets a time entry, a few minutes late or early at random and now
and then clearly late (the Hours tab's late minutes); a few shifts were missed and
are marked absent, excused or not, with a reason. A few entries break a rule as
logged (logged hours record what happened): a 15-year-old clocking out after 7 p.m.
on a school day, a 16-year-old's long Saturday without the meal break, and the
youngest intern's extra day in a week with a day off school; HR decides two of their
findings once the sample is checked (``decide_findings``).

Entries are approved as ``services.approval`` leaves them (by the first mentor for
their interns, by HR for the others, whose mentors have no account) and every
workweek but the current and the previous one is closed: its ``PayPeriod`` row
written and its entries locked. The previous and current weeks are partly
unapproved, so a mentor has something to approve.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Role
from internhost.core.dates import age_on
from internhost.core.models import Absence, Finding, PayPeriod, TimeEntry
from internhost.core.rules.decisions import decision_for
from internhost.core.sample.company import Site
from internhost.core.sample.generator import Generator
from internhost.core.sample.hours import SATURDAY, PlannedShift, add_children
from internhost.core.trail import audit
from internhost.core.workweeks import week_start

#: Every so many logged shifts, one starts clearly late (by 10 to 20 minutes) ...
LATE_EVERY = 23
#: ... and one was missed, marked absent.
ABSENT_EVERY = 97
#: Stamps of approvals and closes, at the end of an office day (UTC).
OFFICE_CLOSE = time(17)


@dataclass
class _Entry:
    """A time entry as it will be written, with what the steps below decide on."""

    shift: PlannedShift
    row: dict[str, Any]
    breaks: list[dict[str, Any]]
    tasks: list[dict[str, Any]]

    @property
    def day(self) -> date:
        return self.row["work_date"]

    def age(self) -> int:
        return age_on(self.shift.placement.birth_date, self.day)


@dataclass
class Decision:
    """HR's decision to take on one finding of some entries, once they are checked."""

    kind: str
    reason: str
    #: The entries (by their index in the written order) whose findings qualify.
    entries: list[int]
    #: Categories of finding decided on before any other of those entries.
    prefer: tuple[str, ...] = ()
    #: The entries' ids, once written.
    entry_ids: list[int] = field(default_factory=list)


def add_logged_hours(
    gen: Generator,
    shifts: list[PlannedShift],
    shift_ids: list[int],
    sites: dict[str, Site],
) -> list[Decision]:
    """Write the entries, absences and closed pay periods; returns the decisions HR
    takes on their findings after the check."""
    entries, absences = _entries(gen, shifts, shift_ids)
    decisions = _violations(gen, entries, sites)
    closed = _approve(gen, entries)
    ids = _insert(gen, entries)
    for decision in decisions:
        decision.entry_ids = [ids[i] for i in decision.entries]
    _add_absences(gen, absences)
    _add_pay_periods(gen, closed)
    return decisions


def _entries(
    gen: Generator, shifts: list[PlannedShift], shift_ids: list[int]
) -> tuple[list[_Entry], list[tuple[int, PlannedShift, int]]]:
    """An entry per shift worked up to the term's last logged day, and the shifts
    missed (with their place among the logged ones)."""
    entries: list[_Entry] = []
    absences: list[tuple[int, PlannedShift, int]] = []
    logged = 0
    for shift, shift_id in zip(shifts, shift_ids, strict=True):
        work_date = shift.row["work_date"]
        if work_date > shift.placement.logged_through:
            continue
        late = timedelta(minutes=gen.rng.choice((0, 0, 0, 2, 5, 8)))
        early = timedelta(minutes=gen.rng.choice((0, 0, 0, 3, 6)))
        logged += 1
        if logged % ABSENT_EVERY == ABSENT_EVERY // 2:
            absences.append((shift_id, shift, len(absences)))
            continue
        if logged % LATE_EVERY == LATE_EVERY // 2:
            late = timedelta(minutes=10 + logged % 11)
        start, end = shift.row["start_local"] + late, shift.row["end_local"] - early
        if end <= start:
            end = shift.row["end_local"]
        row = {
            **shift.row,
            "start_local": start,
            "end_local": end,
            "shift_id": shift_id,
            "source": "manual",
        }
        entries.append(_Entry(shift, row, list(shift.breaks), list(shift.tasks)))
    return entries, absences


def _insert(gen: Generator, entries: list[_Entry]) -> list[int]:
    ids = audit.bulk_insert(gen.s, TimeEntry, [e.row for e in entries])
    add_children(gen, ids, [(e.breaks, e.tasks) for e in entries], "time_entry_id")
    gen.count("time entries", len(ids))
    return ids


def _weeks(gen: Generator) -> tuple[str, date]:
    """The employer's first day of the week, and the previous week's first day."""
    starts_on = gen.spec["employer"]["workweek_start"]
    return starts_on, week_start(gen.today, starts_on) - timedelta(days=7)


def _approve(gen: Generator, entries: list[_Entry]) -> list[date]:
    """Approve and lock the entries of every week before the previous one (returns
    those weeks, to close); in the previous and current weeks approve every other
    entry at least two days old."""
    starts_on, previous = _weeks(gen)
    accounts = gen.accounts
    closed: set[date] = set()
    for n, entry in enumerate(entries):
        week = week_start(entry.day, starts_on)
        p = entry.shift.placement
        approver = accounts.mentor if p.mentor_id == accounts.mentor_staff else accounts.hr
        if week < previous:
            closed.add(week)
            entry.row["approved_at"] = _stamp(entry.day + timedelta(days=2))
            entry.row["approved_by"] = approver
            entry.row["locked_at"] = _closed_at(week)
        elif n % 2 == 0 and entry.day <= gen.today - timedelta(days=2):
            entry.row["approved_at"] = _stamp(entry.day + timedelta(days=1))
            entry.row["approved_by"] = approver
    return sorted(closed)


def _stamp(day: date) -> datetime:
    return datetime.combine(day, OFFICE_CLOSE, UTC)


def _closed_at(week: date) -> datetime:
    """HR closes a week on the Tuesday after it (once its entries are approved)."""
    return _stamp(week + timedelta(days=9))


def _add_pay_periods(gen: Generator, weeks: list[date]) -> None:
    rows = [
        {
            "start_date": week,
            "end_date": week + timedelta(days=6),
            "closed_at": _closed_at(week),
            "closed_by": gen.accounts.hr,
        }
        for week in weeks
    ]
    audit.bulk_insert(gen.s, PayPeriod, rows)
    gen.count("closed pay periods", len(rows))


def _add_absences(gen: Generator, absences: list[tuple[int, PlannedShift, int]]) -> None:
    """The shifts missed: every other one excused, each with a reason."""
    phrases = gen.spec["phrases"]
    rows = []
    for shift_id, shift, n in absences:
        excused = n % 2 == 0
        reasons = phrases["absence_excused" if excused else "absence_unexcused"]
        p = shift.placement
        mentor = gen.accounts.mentor if p.mentor_id == gen.accounts.mentor_staff else None
        rows.append(
            {
                "shift_id": shift_id,
                "excused": excused,
                "reason": reasons[n // 2 % len(reasons)],
                "marked_by": mentor or gen.accounts.hr,
            }
        )
    audit.bulk_insert(gen.s, Absence, rows)
    gen.count("absences", len(rows))


# -- entries that break a rule as logged ---------------------------------------------------


def _violations(gen: Generator, entries: list[_Entry], sites: dict[str, Site]) -> list[Decision]:
    """Three entries as a real week might log them, in the weeks before the previous
    one of the term in progress; HR acknowledges the first's finding and overrides
    one of the third's (``decide_findings``)."""
    _, previous = _weeks(gen)
    before = [
        (n, e)
        for n, e in enumerate(entries)
        if e.day < previous and e.shift.placement.logged_through >= previous
    ]
    phrases = gen.spec["phrases"]
    decisions = []
    late = _stayed_late(gen, before)
    if late is not None:
        decisions.append(
            Decision("acknowledge", phrases["acknowledged"], [late], prefer=("time_of_day",))
        )
    _long_saturday(gen, before)
    extra = _extra_day(gen, entries, before, sites)
    if extra:
        decisions.append(Decision("override", phrases["overridden"], extra))
    return decisions


def _latest(candidates: list[tuple[int, _Entry]]) -> tuple[int, _Entry] | None:
    return max(candidates, key=lambda c: (c[1].day, c[0]), default=None)


def _stayed_late(gen: Generator, before: list[tuple[int, _Entry]]) -> int | None:
    """A 15-year-old clocks out at 7:20 p.m. on a school day (the latest such day)."""
    young = gen.law.young_below
    found = _latest(
        [
            (n, e)
            for n, e in before
            if e.age() == young - 1 and e.shift.school_day and e.day.weekday() < SATURDAY
        ]
    )
    if found is None:
        return None
    n, entry = found
    entry.row["end_local"] = datetime.combine(entry.day, time(19, 20))
    return n


def _long_saturday(gen: Generator, before: list[tuple[int, _Entry]]) -> None:
    """A 16-year-old works a Saturday from 7 a.m. to 3:30 p.m. without the meal break."""
    found = _latest(
        [(n, e) for n, e in before if e.age() == gen.law.young_below and e.day.weekday() == 5]
    )
    if found is None:
        return
    _, entry = found
    entry.row["start_local"] = datetime.combine(entry.day, time(7))
    entry.row["end_local"] = datetime.combine(entry.day, time(15, 30))
    entry.breaks = []


def _extra_day(
    gen: Generator,
    entries: list[_Entry],
    before: list[tuple[int, _Entry]],
    sites: dict[str, Site],
) -> list[int]:
    """The youngest intern planned at the limits works the whole of a weekday without
    school and the Saturday after (an inventory), with their meal breaks: within each
    day's limits, over the school week's. Returns the week's entries."""
    found = _latest(
        [
            (n, e)
            for n, e in before
            if e.shift.placement.at_the_limits
            and e.age() < gen.law.young_below
            and not e.shift.school_day
            and e.day.weekday() < SATURDAY
        ]
    )
    if found is None:
        return []
    _, entry = found
    _whole_day(entry.row, entry.breaks, entry.day)
    saturday = entry.day + timedelta(days=SATURDAY - entry.day.weekday())
    site = sites[entry.shift.placement.site]
    row = {
        **entry.row,
        "work_date": saturday,
        "shift_id": None,
        "area_id": site.office_area,
    }
    breaks: list[dict[str, Any]] = []
    _whole_day(row, breaks, saturday)
    entries.append(_Entry(entry.shift, row, breaks, list(entry.tasks)))
    starts_on, _ = _weeks(gen)
    week = week_start(entry.day, starts_on)
    placement = entry.shift.placement.id
    return [
        n
        for n, e in enumerate(entries)
        if e.row["placement_id"] == placement and week_start(e.day, starts_on) == week
    ]


def _whole_day(row: dict[str, Any], breaks: list[dict[str, Any]], day: date) -> None:
    """8 a.m. to 4:30 p.m. with a half-hour meal at noon: eight hours worked."""
    row["start_local"] = datetime.combine(day, time(8))
    row["end_local"] = datetime.combine(day, time(16, 30))
    breaks[:] = [
        {
            "start_local": datetime.combine(day, time(12)),
            "end_local": datetime.combine(day, time(12, 30)),
        }
    ]


def decide_findings(s: Session, decisions: list[Decision], hr: int) -> int:
    """HR's decisions on the checked findings of the logged violations, through
    ``services.findings.decide_finding``; how many were taken."""
    from internhost.core.services.findings import decide_finding

    actor = Actor(Role.HR_ADMIN, "hr", user_id=hr)
    taken = 0
    for decision in decisions:
        found = list(
            s.scalars(
                select(Finding)
                .where(Finding.time_entry_id.in_(decision.entry_ids))
                .order_by(Finding.id)
            )
        )
        allowed = [f for f in found if _allows(f, decision.kind)]
        allowed.sort(key=lambda f: f.category not in decision.prefer)
        if allowed:
            decide_finding(s, actor, allowed[0].id, decision.kind, decision.reason)
            taken += 1
    return taken


def _allows(finding: Finding, kind: str) -> bool:
    table = decision_for(finding.category, finding.severity, finding.verification)
    if kind == "override":
        return table.may_override
    return True  # any finding of logged hours may be acknowledged
