"""Re-checking one edited shift gives exactly what a full check gives."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from internhost.core.rules.engine import check
from internhost.core.rules.facts import Case, InternFacts, Shift, TaskFact, interval
from internhost.core.rules.incremental import recheck
from internhost.core.rules.packs import load_rules

ZONE = ZoneInfo("America/Chicago")
START = date(2025, 9, 1)
SCHOOL = {
    START + timedelta(days=d): (time(8), time(15))
    for d in range(70)
    if (START + timedelta(days=d)).weekday() < 5
}


def _shift(index: int, start: datetime, minutes: int, rng: random.Random) -> Shift:
    end = start + timedelta(minutes=minutes)
    breaks = ()
    if minutes > 300 and rng.random() < 0.5:
        b = start + timedelta(minutes=rng.choice((180, 240, 330)))
        if b + timedelta(minutes=30) < end:
            breaks = (interval(b, b + timedelta(minutes=rng.choice((15, 30))), ZONE),)
    tasks = (TaskFact(rng.choice(("office_clerical", "production_floor", "band_saw"))),)
    return Shift(index, interval(start, end, ZONE), breaks, tasks, supervisor_age=30)


GAPS = (300, 600, 900, 1200, 1500, 2880)
#: Records often touching (a punch at midnight, a lunch punch) and running overnight.
TOUCHING_GAPS = (0, 0, 0, 10, 45, 300, 600, 1440)


def _case(
    rng: random.Random, gaps: tuple[int, ...] = GAPS, years: tuple[int, ...] = (0, 1, 2, 3)
) -> Case:
    born = date(2010 - rng.choice(years), rng.randrange(1, 13), 10)
    shifts, cursor = [], datetime.combine(START, time(6))
    while len(shifts) < 40:
        cursor += timedelta(minutes=rng.choice(gaps))
        minutes = rng.choice((60, 120, 180, 330, 420, 540))
        shifts.append(_shift(len(shifts), cursor, minutes, rng))
        cursor += timedelta(minutes=minutes)
    return Case(
        InternFacts(born, documents=frozenset({"il_employment_certificate"})),
        tuple(shifts),
        school_days=SCHOOL,
    )


def _edit(case: Case, rng: random.Random) -> tuple[Case, int, date | None]:
    shifts = list(case.shifts)
    index = rng.randrange(len(shifts))
    old = shifts[index]
    action = rng.choice(("lengthen", "shorten", "move"))
    start, end = old.span.start, old.span.end
    if action == "lengthen":
        end += timedelta(minutes=rng.choice((30, 120, 300)))
    elif action == "shorten":
        end = max(start + timedelta(minutes=30), end - timedelta(minutes=120))
    else:
        shift_by = timedelta(days=rng.choice((-9, -2, -1, 1, 3, 8)))
        start, end = start + shift_by, end + shift_by
    others = [s for s in shifts if s.index != index]
    if any(s.span.start < end and start < s.span.end for s in others):
        return case, index, None  # would overlap: leave the case as it was
    shifts[index] = replace(old, span=interval(start, end, ZONE), breaks=())
    moved = old.date if action == "move" else None
    return replace(case, shifts=tuple(shifts)), index, moved


@pytest.mark.parametrize("seed", range(6))
def test_recheck_equals_a_full_check(seed: int) -> None:
    rng = random.Random(seed)
    rules = load_rules("IL")
    for _ in range(50):
        case = _case(rng)
        edited, index, old_date = _edit(case, rng)
        expected = check(edited, rules).findings
        got = recheck(edited, check(case, rules), index, old_date=old_date, rules=rules)
        assert got.findings == expected


def _join_or_part(case: Case, rng: random.Random) -> tuple[Case, int, date | None]:
    """Lengthen a record to touch the next, cut a record short of the one it touches,
    or move a record to another day: edits that join or part work periods."""
    shifts = sorted(case.shifts, key=lambda s: s.span.start)
    at = rng.randrange(len(shifts) - 1)
    old, after = shifts[at], shifts[at + 1]
    start, end = old.span.start, old.span.end
    action = rng.choice(("join", "part", "move"))
    if action == "join":
        end = after.span.start
    elif action == "part" and end == after.span.start:
        end -= timedelta(minutes=rng.choice((1, 30)))
    elif action == "move":
        by = timedelta(days=rng.choice((-1, 1, 2)), minutes=rng.choice((0, 30)))
        start, end = start + by, end + by
    others = [s for s in shifts if s.index != old.index]
    if end <= start or any(s.span.start < end and start < s.span.end for s in others):
        return case, old.index, None
    edited = replace(old, span=interval(start, end, ZONE), breaks=())
    moved = old.date if action == "move" else None
    return (
        replace(case, shifts=tuple(edited if s.index == old.index else s for s in case.shifts)),
        old.index,
        moved,
    )


@pytest.mark.parametrize("seed", range(4))
def test_recheck_equals_a_full_check_when_work_periods_join_or_part(seed: int) -> None:
    rng = random.Random(1000 + seed)
    rules = load_rules("IL")
    for _ in range(40):
        case = _case(rng, TOUCHING_GAPS, years=(0, 1, 2, 10))
        edited, index, old_date = _join_or_part(case, rng)
        expected = check(edited, rules).findings
        got = recheck(edited, check(case, rules), index, old_date=old_date, rules=rules)
        assert got.findings == expected


@pytest.mark.parametrize("seed", range(3))
def test_recheck_keeps_an_act_s_exemption(seed: int) -> None:
    """A 14- or 15-year-old in school-directed work-based learning is outside the
    Illinois Act (206/20(e)): the re-checked week and chain rules skip it too (the
    planner's preview found what the stored check did not)."""
    rng = random.Random(seed)
    rules = load_rules("IL")
    for _ in range(20):
        case = _case(rng, years=(0,))
        case = replace(case, intern=replace(case.intern, program="school_wbl"))
        edited, index, old_date = _edit(case, rng)
        expected = check(edited, rules).findings
        got = recheck(edited, check(case, rules), index, old_date=old_date, rules=rules)
        assert got.findings == expected


@pytest.mark.parametrize("seed", range(6))
def test_recheck_of_added_shifts_equals_a_full_check(seed: int) -> None:
    """Days logged at once (a time-clock import): the shifts added anywhere in the
    case, a few or most of them, touching or not, re-checked together from the
    result before they came find what a full check finds."""
    rng = random.Random(2000 + seed)
    rules = load_rules("IL")
    for _ in range(30):
        case = _case(rng, rng.choice((GAPS, TOUCHING_GAPS)), years=(0, 1, 2, 10))
        added = set(rng.sample(range(len(case.shifts)), rng.choice((1, 2, 5, 12, 30))))
        before = replace(case, shifts=tuple(s for s in case.shifts if s.index not in added))
        got = recheck(case, check(before, rules), added, rules=rules)
        assert got.findings == check(case, rules).findings
