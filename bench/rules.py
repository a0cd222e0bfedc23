"""Rule engine speed: a semester for 500 interns (about 60,000 shifts) checked in
<= 3 s, and the re-check of one edited shift in <= 5 ms.

The cases are built in memory from a seed (ages 14–18, school days on a district
calendar, two or three shifts a week with breaks and tasks), so the figure is the
engine's alone: no database, no JSON.
"""

from __future__ import annotations

import argparse
import random
import time as clock
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from _common import median, report

from internhost.core.rules.engine import check
from internhost.core.rules.facts import Case, InternFacts, Shift, TaskFact, interval
from internhost.core.rules.incremental import recheck
from internhost.core.rules.packs import load_rules

TARGET_FULL_S = 3.0
TARGET_ONE_MS = 5.0
ZONE = ZoneInfo("America/Chicago")
TERM_START = date(2025, 8, 25)
WEEKS = 18


def calendar() -> dict[date, tuple[time, time]]:
    holidays = {date(2025, 9, 1), date(2025, 11, 26), date(2025, 11, 27), date(2025, 11, 28)}
    days = {}
    for offset in range(WEEKS * 7):
        day = TERM_START + timedelta(days=offset)
        if day.weekday() < 5 and day not in holidays:
            days[day] = (time(8), time(15))
    return days


def make_case(rng: random.Random, school: dict[date, tuple[time, time]]) -> Case:
    age = rng.choice((14, 15, 16, 16, 17, 17, 18))
    born = TERM_START.replace(year=TERM_START.year - age) - timedelta(days=rng.randrange(1, 360))
    program = "employment" if age < 16 else rng.choice(("employment", "student_learner"))
    intern = InternFacts(
        birth_date=born,
        program=program,
        hourly_rate_cents=1300 + 25 * rng.randrange(10),
        documents=frozenset({"il_employment_certificate", "student_learner_agreement"}),
    )
    shifts = []
    for week in range(WEEKS):
        monday = TERM_START + timedelta(weeks=week)
        weekend = [5, 6] if rng.random() < 0.7 else [5]
        for offset in [0, 1, 2, 3, 4, *weekend]:
            day = monday + timedelta(days=offset)
            if offset >= 5:
                start, end = datetime.combine(day, time(8)), datetime.combine(day, time(14))
                breaks = (
                    interval(
                        datetime.combine(day, time(11)), datetime.combine(day, time(11, 30)), ZONE
                    ),
                )
            else:
                start = datetime.combine(day, time(15, 30))
                end = start + timedelta(minutes=rng.choice((60, 90, 150, 180, 210)))
                breaks = ()
            tasks = (
                (TaskFact("office_clerical"),)
                if age < 16
                else (
                    TaskFact("production_floor"),
                    TaskFact(
                        rng.choice(("press_brake", "cnc_operation", "band_saw")),
                        30,
                        {"direct_supervision": True},
                    ),
                )
            )
            shifts.append(
                Shift(
                    len(shifts),
                    interval(start, end, ZONE),
                    breaks,
                    tasks,
                    supervisor_age=rng.choice((25, 40, None)),
                )
            )
    rng.shuffle(shifts)
    shifts = [replace(s, index=i) for i, s in enumerate(shifts)]
    return Case(intern=intern, shifts=tuple(shifts), school_days=school)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interns", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rng = random.Random(20251014)
    school = calendar()
    cases = [make_case(rng, school) for _ in range(args.interns)]
    rules = load_rules("IL")
    total_shifts = sum(len(c.shifts) for c in cases)
    check(cases[0], rules)  # warm caches (pack loading is not the figure)

    full = []
    findings = 0
    for _ in range(args.runs):
        fresh = [replace(c, shifts=tuple(replace(s) for s in c.shifts)) for c in cases]
        started = clock.perf_counter()
        findings = sum(len(check(c, rules).findings) for c in fresh)
        full.append(clock.perf_counter() - started)
    print(f"{args.interns} interns, {total_shifts} shifts, {findings} findings")
    report(
        "full semester check",
        median(full),
        "s",
        f"<= {TARGET_FULL_S}",
        median(full) <= TARGET_FULL_S,
    )

    one, mismatches = [], 0
    for case in cases[:100]:
        before = check(case, rules)
        index = rng.randrange(len(case.shifts))
        edited = _lengthen(case, index, minutes=rng.choice((30, 90, 240)))
        started = clock.perf_counter()
        after = recheck(edited, before, index, rules=rules)
        one.append((clock.perf_counter() - started) * 1000)
        mismatches += after.findings != check(edited, rules).findings
    report(
        "re-check of one edited shift (median)",
        median(one),
        "ms",
        f"<= {TARGET_ONE_MS}",
        median(one) <= TARGET_ONE_MS,
    )
    report("re-check, slowest of 100", max(one), "ms", "-", True)
    print(f"incremental results differing from a full check: {mismatches} of {len(one)}")


def _lengthen(case: Case, index: int, minutes: int) -> Case:
    shifts = list(case.shifts)
    old = shifts[index]
    end = old.span.end + timedelta(minutes=minutes)
    later = [s.span.start for s in shifts if s.span.start > old.span.start]
    if later and min(later) < end:
        end = min(later)
    shifts[index] = replace(old, span=interval(old.span.start, end, ZONE))
    return replace(case, shifts=tuple(shifts))


if __name__ == "__main__":
    main()
