"""The hours rules read work periods, not records (issue 13 §5; rules/periods.py).

Properties, over a fixed set of generated cases (ages 14, 15, 16, 17 and adult,
Illinois, 1-5 records over a few days with unpaid breaks, many touching):

1. Splitting a record in two at any minute never changes the hours findings.
2. Two records with a gap give the same findings as one record with that unpaid
   break (for the meal, continuous-work, daily and rolling-window rules), when the
   second record starts on its period's day: a record starting on a later day
   after a gap is that day's work.
3. Lengthening an unpaid break (work still on each side of it) never adds a meal
   finding: no meal rule fires that did not, the every-age rule flags no day it did
   not, and every run of continuous work the under-16 rule flags lies inside one it
   flagged before (a break grown to 30 minutes may cut one run that was too long
   into two that still are).

Findings are compared whole (rule, severity, identity, day, message parameters),
the split-off record's findings read as the original record's and merged as the
engine merges a rule's findings on one record. Plus the issue's regressions.
"""

from __future__ import annotations

import copy
import json
import random
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from rulecase import ADULT, case, describe, of_rule, rule_ids, run, shift

from internhost.core.rules.context import EVALUATORS, Context
from internhost.core.rules.engine import one_per_shift
from internhost.core.rules.findings import CheckResult, Finding
from internhost.core.rules.packs import load_rules
from internhost.core.rules.parse import parse_case
from internhost.core.rules.periods import day_of, periods, work_days

FMT = "%Y-%m-%dT%H:%M"
ODRISA_MEAL, IL_MEAL = "US-IL-140-3", "US-IL-206-35-d"
#: The meal, continuous-work, daily and rolling-window rules (issue 13 §5).
PERIOD_CATEGORIES = frozenset(
    {
        "meal_break",
        "daily_hours",
        "weekly_hours",
        "rolling_24h",
        "combined_school_work",
        "rest_day",
    }
)
#: Every rule about when and how long one works: also judged per period.
HOURS_CATEGORIES = PERIOD_CATEGORIES | {"time_of_day", "school_hours"}
SEEDS = range(300)

# Mondays: a school term (no daylight-saving change within a week of them) and summer.
BASES = (date(2025, 9, 8), date(2025, 10, 13), date(2025, 6, 2))
AGES = (14, 15, 16, 17, None)  # None: an adult
PROGRAMS = ("employment", "employment", "school_wbl", "work_study", "wecep")
GAPS = (0, 0, 0, 5, 10, 19, 20, 29, 30, 45, 60, 120, 300, 600, 900, 1440)
LENGTHS = (30, 60, 120, 180, 240, 270, 300, 301, 360, 420, 450, 480, 540, 600, 720)
BREAKS = (5, 10, 19, 20, 29, 30, 31, 45, 60, 120, 300)
SCHOOL = ({"start": "08:00", "end": "15:00"}, {"start": "08:00", "end": "13:00"})


def _stamp(moment: datetime) -> str:
    return moment.strftime(FMT)


def _at(text: str) -> datetime:
    return datetime.strptime(text, FMT)


def _breaks(rng: random.Random, start: datetime, length: int) -> list[tuple[str, str]]:
    """0-2 unpaid breaks inside a record of ``length`` minutes (edges allowed)."""
    taken: list[tuple[int, int]] = []
    for _ in range(rng.choice((0, 1, 1, 2))):
        minutes = rng.choice(BREAKS)
        if minutes >= length:
            continue
        offset = rng.randrange(0, length - minutes + 1, 1 if rng.random() < 0.3 else 5)
        if any(offset < e and s < offset + minutes for s, e in taken):
            continue
        taken.append((offset, offset + minutes))
    return [
        (_stamp(start + timedelta(minutes=s)), _stamp(start + timedelta(minutes=e)))
        for s, e in sorted(taken)
    ]


def generated(seed: int) -> dict[str, Any]:
    """One intern's schedule over a few days, as ``internhost check`` reads it."""
    rng = random.Random(seed)
    base = rng.choice(BASES)
    cursor = datetime.combine(base, time()) + timedelta(minutes=rng.randrange(5 * 60, 23 * 60, 5))
    shifts = []
    for i in range(rng.randint(1, 5)):
        if i:
            cursor += timedelta(minutes=rng.choice(GAPS))
        length = rng.choice(LENGTHS)
        shifts.append(
            shift(
                _stamp(cursor),
                _stamp(cursor + timedelta(minutes=length)),
                breaks=_breaks(rng, cursor, length),
            )
        )
        cursor += timedelta(minutes=length)
    days = [base + timedelta(days=d) for d in range((cursor.date() - base).days + 1)]
    hours = rng.choice(SCHOOL)
    school = {d.isoformat(): dict(hours) for d in days if d.weekday() < 5 and rng.random() < 0.6}
    age = rng.choice(AGES)
    if age is None:
        born = ADULT
    elif rng.random() < 0.15:  # a birthday during the schedule: the age changes on a work day
        day = rng.choice(days)
        born = day.replace(year=day.year - age).isoformat()
    else:
        born = f"{base.year - age}-01-01"
    return case(
        shifts, birth_date=born, school_days=school, intern={"program": rng.choice(PROGRAMS)}
    )


def normalized(result: CheckResult, categories: frozenset[str], same: dict[int, int]) -> list:
    """The findings of ``categories``, each split-off record (``same``: its index ->
    the original's) read as the original record, a rule's findings on one record
    merged as the engine merges them; comparable whole."""
    by_rule: dict[str, list[Finding]] = {}
    for f in result.findings:
        if f.category in categories:
            shift_ = same.get(f.shift, f.shift) if f.shift is not None else None
            by_rule.setdefault(f.rule, []).append(replace(f, shift=shift_))
    out = []
    for rule in sorted(by_rule):
        for f in one_per_shift(sorted(by_rule[rule], key=lambda f: (f.shift, f.date))):
            params = json.dumps(f.params, sort_keys=True, default=str)
            out.append((f.identity(), f.severity, f.date, f.template, params))
    return sorted(out)


def _span_of(item: dict[str, Any]) -> tuple[datetime, datetime]:
    return _at(item["start"]), _at(item["end"])


def _cut(item: dict[str, Any], start: datetime, end: datetime) -> dict[str, Any]:
    """The part of a record between two instants, its breaks clipped to it."""
    part = copy.deepcopy(item)
    part["start"], part["end"] = _stamp(start), _stamp(end)
    part["breaks"] = [
        {"start": _stamp(max(a, start)), "end": _stamp(min(b, end))}
        for a, b in ((_at(x["start"]), _at(x["end"])) for x in item.get("breaks", []))
        if a < end and start < b
    ]
    return part


def _replace_record(data: dict[str, Any], index: int, first: dict, second: dict) -> dict:
    """``data`` with record ``index`` replaced by ``first`` (same index) and ``second``
    appended (the last index)."""
    out = copy.deepcopy(data)
    out["shifts"][index] = first
    out["shifts"].append(second)
    return out


def _describe_both(before: dict, after: dict) -> str:
    return f"before:\n{describe(run(before))}\nafter:\n{describe(run(after))}"


# ---- 1. splitting a record -------------------------------------------------------------------


@pytest.mark.parametrize("seed", SEEDS)
def test_splitting_a_record_at_any_minute_never_changes_the_findings(seed: int) -> None:
    data = generated(seed)
    rng = random.Random(-seed)
    index = rng.randrange(len(data["shifts"]))
    start, end = _span_of(data["shifts"][index])
    minutes = int((end - start) / timedelta(minutes=1))
    at = start + timedelta(minutes=rng.randrange(1, minutes))
    item = data["shifts"][index]
    split = _replace_record(data, index, _cut(item, start, at), _cut(item, at, end))
    same = {len(data["shifts"]): index}
    assert normalized(run(split), HOURS_CATEGORIES, same) == normalized(
        run(data), HOURS_CATEGORIES, {}
    ), f"split shifts[{index}] at {at}\n" + _describe_both(data, split)


# ---- 2. a gap between two records is a break -------------------------------------------------


def _gap_candidates(data: dict[str, Any]) -> list[tuple[int, int]]:
    """(record, break) pairs whose break lies inside the record and ends on the day
    of the record's work period."""
    day = day_of(parse_case(copy.deepcopy(data)).shifts)
    out = []
    for i, item in enumerate(data["shifts"]):
        start, end = _span_of(item)
        for b, brk in enumerate(item.get("breaks", [])):
            a, c = _span_of(brk)
            if start < a and c < end and c.date() == day[i]:
                out.append((i, b))
    return out


@pytest.mark.parametrize("seed", SEEDS)
def test_two_records_with_a_gap_are_one_record_with_that_unpaid_break(seed: int) -> None:
    data = generated(seed)
    candidates = _gap_candidates(data)
    if not candidates:
        pytest.skip("no break inside a record in this schedule")
    index, b = random.Random(-seed).choice(candidates)
    item = data["shifts"][index]
    start, end = _span_of(item)
    gap_start, gap_end = _span_of(item["breaks"][b])
    apart = _replace_record(data, index, _cut(item, start, gap_start), _cut(item, gap_end, end))
    same = {len(data["shifts"]): index}
    assert normalized(run(apart), PERIOD_CATEGORIES, same) == normalized(
        run(data), PERIOD_CATEGORIES, {}
    ), f"shifts[{index}] apart at its break {gap_start}-{gap_end}\n" + _describe_both(data, apart)


def test_the_gap_cases_are_not_all_skipped() -> None:
    assert sum(bool(_gap_candidates(generated(seed))) for seed in SEEDS) >= len(SEEDS) // 3


# ---- 3. a longer unpaid break never adds a meal finding -------------------------------------


def _lengthened(data: dict[str, Any], rng: random.Random) -> dict[str, Any] | None:
    """``data`` with one unpaid break made longer (earlier start or later end), with
    work still on each side of it in its record: a break that swallowed all the work
    before it would no longer be a pause in the work but the time before work
    started (two breaks run together are one). None if no break can grow."""
    options = []
    for i, item in enumerate(data["shifts"]):
        start, end = _span_of(item)
        spans = [_span_of(b) for b in item.get("breaks", [])]
        for b, (a, c) in enumerate(spans):
            before = max([start, *(y for x, y in spans if y <= a)])
            after = min([end, *(x for x, y in spans if x >= c)])
            if a - before > timedelta(minutes=1):
                options.append((i, b, "start", int((a - before).total_seconds() // 60) - 1))
            if after - c > timedelta(minutes=1):
                options.append((i, b, "end", int((after - c).total_seconds() // 60) - 1))
    if not options:
        return None
    i, b, side, room = rng.choice(options)
    grow = timedelta(minutes=rng.randint(1, room))
    out = copy.deepcopy(data)
    brk = out["shifts"][i]["breaks"][b]
    moment = _at(brk[side])
    brk[side] = _stamp(moment - grow if side == "start" else moment + grow)
    return out


def _raw(data: dict[str, Any], rule_id: str) -> list[Finding]:
    """A rule's findings as its evaluator gives them (before the engine merges a
    rule's findings on one record)."""
    parsed = parse_case(copy.deepcopy(data))
    rules = load_rules(parsed.worksite_state)
    rule = next(r for r in rules.rules() if r.id == rule_id)
    return list(EVALUATORS[rule.check](rule, Context(parsed, rules)))


@pytest.mark.parametrize("seed", SEEDS)
def test_lengthening_an_unpaid_break_never_adds_a_meal_finding(seed: int) -> None:
    data = generated(seed)
    longer = _lengthened(data, random.Random(-seed))
    if longer is None:
        pytest.skip("no break that can grow in this schedule")
    info = _describe_both(data, longer)
    meal_rules = {f.rule for f in run(longer).findings if f.category == "meal_break"}
    assert meal_rules <= {f.rule for f in run(data).findings if f.category == "meal_break"}, info
    days = {f.date for f in _raw(data, ODRISA_MEAL)}
    assert {f.date for f in _raw(longer, ODRISA_MEAL)} <= days, info
    runs = [f.window for f in _raw(data, IL_MEAL) if f.window]
    for f in _raw(longer, IL_MEAL):
        assert f.window and any(a <= f.window[0] and f.window[1] <= b for a, b in runs), info


# ---- the regressions ------------------------------------------------------------------


def _odrisa_params() -> dict[str, Any]:
    rule = next(r for r in load_rules("IL").rules() if r.id == ODRISA_MEAL)
    return dict(rule.params)


def test_an_overnight_shift_punched_at_midnight_is_one_work_period() -> None:
    touching = case(
        [
            shift("2025-10-17T22:00", "2025-10-18T00:00"),
            shift("2025-10-18T00:00", "2025-10-18T06:00"),
        ],
        birth_date=ADULT,
    )
    result = run(touching)
    found = of_rule(result, ODRISA_MEAL)
    # 8 h worked without a meal: owed from the 7.5 h reached in the second record.
    assert [(f.shift, f.date, f.params["worked"]) for f in found] == [
        (1, date(2025, 10, 17), "8 h")
    ], describe(result)
    single = case([shift("2025-10-17T22:00", "2025-10-18T06:00")], birth_date=ADULT)
    assert normalized(run(single), HOURS_CATEGORIES, {}) == normalized(
        result, HOURS_CATEGORIES, {0: 0, 1: 0}
    )


def test_hours_worked_not_the_span_decide_the_every_age_meal() -> None:
    """6 h worked in an 8-hour span: the unpaid break is no work."""
    p = _odrisa_params()
    assert 6 * 60 < p["threshold_minutes"] <= 8 * 60
    data = case(
        [shift("2025-10-18T08:00", "2025-10-18T16:00", breaks=[("13:30", "15:30")])],
        birth_date=ADULT,
    )
    assert ODRISA_MEAL not in rule_ids(run(data)), describe(run(data))


@pytest.mark.parametrize(
    "shifts",
    [
        [shift("2025-06-14T07:00", "2025-06-14T20:00", breaks=[("11:00", "16:00")])],
        [
            shift("2025-06-14T07:00", "2025-06-14T11:00"),
            shift("2025-06-14T16:00", "2025-06-14T20:00"),
        ],
    ],
    ids=["one-record", "two-records"],
)
@pytest.mark.parametrize("born", [ADULT, "2010-01-01"], ids=["adult", "15"])
def test_a_split_shift_of_4_and_4_hours_around_a_5_hour_break_owes_no_meal(
    shifts: list[dict[str, Any]], born: str
) -> None:
    """8 h worked with a 5-hour meal after 4 h: no meal finding at any age; a
    15-year-old on a summer Saturday is within every hours rule."""
    result = run(case(shifts, birth_date=born))
    assert not [f for f in result.findings if f.category == "meal_break"], describe(result)
    assert not [
        f for f in result.findings if f.category in HOURS_CATEGORIES and f.severity == "violation"
    ], describe(result)


@pytest.mark.parametrize(("gap_end", "owed"), [("12:10", True), ("12:19", True), ("12:20", False)])
def test_a_gap_between_two_records_is_a_meal_only_if_long_enough(gap_end: str, owed: bool) -> None:
    """Two records of 4 h and 3 h 50 on one day, apart by less than the meal period,
    are 7 h 50 without a meal; apart by the meal period, they have one after 4 h."""
    p = _odrisa_params()
    data = case(
        [
            shift("2025-10-18T08:00", "2025-10-18T12:00"),
            shift(f"2025-10-18T{gap_end}", "2025-10-18T16:00"),
        ],
        birth_date=ADULT,
    )
    assert p["meal_minutes"] == 20  # the gaps above straddle the pack's meal period
    result = run(data)
    assert (ODRISA_MEAL in rule_ids(result)) == owed, describe(result)


def test_a_birthday_at_midnight_leaves_the_period_to_the_age_it_began_with() -> None:
    """LEGAL.md §0: the age at the start of the shift governs the whole of it; a
    record punched at midnight on the 16th birthday still continues a 15-year-old's
    work period, like the one record it was: 9 h on one non-school day."""
    touching = case(
        [
            shift("2025-11-22T21:00", "2025-11-23T00:00"),
            shift("2025-11-23T00:00", "2025-11-23T06:00"),
        ],
        birth_date="2009-11-23",
    )
    parsed = parse_case(copy.deepcopy(touching))
    assert Context(parsed, load_rules("IL")).ages == {0: 15, 1: 15}
    found = of_rule(run(touching), "US-FLSA-570.35-a4")
    assert [(f.shift, f.date, f.params["worked"]) for f in found] == [
        (1, date(2025, 11, 22), "9 h")
    ], describe(run(touching))


# ---- the periods themselves -----------------------------------------------------------------


def test_periods_join_touching_records_and_belong_to_the_day_they_start() -> None:
    parsed = parse_case(
        case(
            [
                shift("2025-10-17T08:00", "2025-10-17T12:00", breaks=[("11:30", "12:00")]),
                shift("2025-10-17T12:00", "2025-10-17T14:00"),
                shift("2025-10-17T22:00", "2025-10-18T00:00"),
                shift("2025-10-18T00:00", "2025-10-18T02:00"),
                shift("2025-10-18T09:00", "2025-10-18T10:00"),
            ],
            birth_date=ADULT,
        )
    )
    found = periods(parsed.shifts)
    assert [[s.index for s in p.records] for p in found] == [[0, 1], [2, 3], [4]]
    assert [p.day for p in found] == [date(2025, 10, 17), date(2025, 10, 17), date(2025, 10, 18)]
    first = found[0]
    assert first.worked_minutes == 330 and len(first.breaks) == 1
    assert day_of(parsed.shifts) == {
        0: date(2025, 10, 17),
        1: date(2025, 10, 17),
        2: date(2025, 10, 17),
        3: date(2025, 10, 17),
        4: date(2025, 10, 18),
    }
    days = work_days(parsed.shifts)
    assert [(d.day, [s.index for s in d.records]) for d in days] == [
        (date(2025, 10, 17), [0, 1, 2, 3]),
        (date(2025, 10, 18), [4]),
    ]
    # 5.5 h, then 4 h across midnight: the gap between them is the day's second break.
    assert days[0].worked_minutes == 570 and len(days[0].breaks) == 2
    assert days[0].record_reaching(450) is parsed.shifts[2]
    assert days[0].record_reaching(451) is parsed.shifts[3]
    stretch = days[0].stretches[-1]
    assert [s.index for _, s in stretch.pieces] == [2, 3]
    assert stretch.record_at(stretch.start_utc + timedelta(hours=3)).index == 3
