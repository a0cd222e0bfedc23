"""Evaluators for hours: daily and weekly caps, the rolling 24 hours, school hours,
time of day, school plus work, meal periods and the weekly day of rest."""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from internhost.core.rules.context import Context, evaluator
from internhost.core.rules.facts import Shift, to_utc
from internhost.core.rules.findings import Finding
from internhost.core.rules.packs import Rule
from internhost.core.rules.periods import Period, Stretch, periods, work_days

MINUTE = timedelta(minutes=1)
SATURDAY = 5


def hours(minutes: float) -> str:
    """3 h, 3.5 h, 2.83 h: how the law states limits."""
    text = f"{minutes / 60:.2f}".rstrip("0").rstrip(".")
    return f"{text} h"


def clock(moment: datetime | time) -> str:
    return moment.strftime("%H:%M")


def labor_day(year: int) -> date:
    first = date(year, 9, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def summer_span(rule: Rule, day: date) -> tuple[date, date]:
    month, dom = (int(x) for x in rule.params["summer_start"].split("-"))
    start = date(day.year, month, dom)
    end_spec = rule.params["summer_end"]
    end = (
        labor_day(day.year)
        if end_spec == "labor_day"
        else date.fromisoformat(f"{day.year}-{end_spec}")
    )
    return start, end


def _crossings(
    shifts: list[Shift], key: Callable[[Shift], date], limit_of: Callable[[date], float]
) -> Iterator[tuple[Shift, float, float, date]]:
    """For shifts grouped by ``key`` (their day, their week's first day), the first
    shift in time whose running total of hours worked passes the group's limit:
    (shift, group total, limit, key)."""
    totals: dict[date, float] = defaultdict(float)
    for s in shifts:
        totals[key(s)] += s.worked_minutes
    running: dict[date, float] = defaultdict(float)
    reported: set[date] = set()
    for s in shifts:
        k = key(s)
        running[k] += s.worked_minutes
        limit = limit_of(k)
        if k not in reported and running[k] > limit + 1e-9:
            reported.add(k)
            yield s, totals[k], limit, k


def _work_days(rule: Rule, ctx: Context) -> list[Period]:
    """The rule's shifts as days of work (``periods.work_days``), shared by rules of one scope."""
    return ctx.memo(("work_days", rule.scope), lambda: work_days(ctx.applicable(rule)))


def _periods(rule: Rule, ctx: Context) -> list[Period]:
    """The rule's shifts as work periods (``periods.periods``), shared by rules of one scope."""
    return ctx.memo(("periods", rule.scope), lambda: periods(ctx.applicable(rule)))


def _stretches(rule: Rule, ctx: Context) -> list[Stretch]:
    """The rule's shifts as stretches of work without a break, in time order."""
    return ctx.memo(
        ("stretches", rule.scope),
        lambda: [s for p in _periods(rule, ctx) for s in p.stretches],
    )


@evaluator("daily_cap")
def daily_cap(rule: Rule, ctx: Context) -> Iterator[Finding]:
    calendar = ctx.calendar_for(rule)
    want_school = rule.params["day"] == "school"
    day = ctx.day
    shifts = [s for s in ctx.applicable(rule) if (day[s.index] in calendar) == want_school]
    base = rule.params["max_hours"] * 60
    extended = rule.params.get("max_hours_if_school_hours_worked")
    worked_in_school = {on for _, on, _ in _school_work(shifts, calendar)} if extended else ()

    def limit(on: date) -> float:
        return extended * 60 if extended and on in worked_in_school else base

    for s, total, cap, on in _crossings(shifts, lambda s: day[s.index], limit):
        yield ctx.finding(
            rule,
            s,
            worked=hours(total),
            limit=hours(cap),
            window=(_midnight(on), _midnight(on + timedelta(days=1))),
        )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time())


def _is_school_week(week_start: date, calendar: dict[date, tuple[time, time]]) -> bool:
    return any(week_start + timedelta(days=i) in calendar for i in range(7))


def _longest_run_of_days(days: set[date]) -> int:
    best = run = 0
    previous = None
    for day in sorted(days):
        run = run + 1 if previous and day - previous == timedelta(days=1) else 1
        best = max(best, run)
        previous = day
    return best


@evaluator("weekly_cap")
def weekly_cap(rule: Rule, ctx: Context) -> Iterator[Finding]:
    calendar = ctx.calendar_for(rule)
    want_school = rule.params["week"] == "school"
    day = ctx.day
    weeks = {s.index: ctx.case.week_start(day[s.index]) for s in ctx.applicable(rule)}

    def week_of(s: Shift) -> date:
        return weeks[s.index]

    shifts = [
        s for s in ctx.applicable(rule) if _is_school_week(week_of(s), calendar) == want_school
    ]
    cap = rule.params["max_hours"] * 60
    exception: Mapping[str, Any] = rule.params.get("weekend_exception") or {}
    days_by_week: dict[date, set[date]] = defaultdict(set)
    weekend_day: dict[date, float] = defaultdict(float)
    for s in shifts:
        days_by_week[week_of(s)].add(day[s.index])
        if day[s.index].weekday() >= SATURDAY:
            weekend_day[day[s.index]] += s.worked_minutes

    def exception_holds(week: date) -> bool:
        """206/30(a): weekend days of at most 8 h, at most 6 consecutive days."""
        days = days_by_week[week]
        return _longest_run_of_days(days) <= exception["max_consecutive_days"] and all(
            weekend_day[d] <= exception["max_weekend_day_hours"] * 60
            for d in days
            if d.weekday() >= SATURDAY
        )

    def limit(week: date) -> float:
        """206/30(a) lets weekend work (only) take a school week past 18 h, up to 24 h."""
        if exception and exception_holds(week):
            weekend = sum(weekend_day[d] for d in days_by_week[week] if d.weekday() >= SATURDAY)
            return min(exception["max_hours"] * 60, cap + weekend)
        return cap

    for s, total, lim, week in _crossings(shifts, week_of, limit):
        yield ctx.finding(
            rule,
            s,
            worked=hours(total),
            limit=hours(lim),
            week_start=week.isoformat(),
            window=(_midnight(week), _midnight(week + timedelta(days=7))),
        )


@evaluator("rolling_cap")
def rolling_cap(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """The most worked in any window of ``window_hours``; one finding per run of
    overlapping over-cap windows, on the run's first shift. Windows are measured on
    stretches of work, so how the work was split into records does not matter."""
    stretches = _stretches(rule, ctx)
    if not stretches:
        return
    width = timedelta(hours=rule.params["window_hours"])
    cap = rule.params["max_hours"] * 60
    starts = [s.start_utc for s in stretches]
    ends = [s.end_utc for s in stretches]

    def worked_in(start: datetime) -> float:
        # Stretches never overlap, so both their starts and ends are in order: those
        # ending after the window's start and starting before its end are in it.
        end = start + width
        total = 0.0
        for s in stretches[bisect_right(ends, start) : bisect_left(starts, end)]:
            total += (min(s.end_utc, end) - max(s.start_utc, start)) / MINUTE
        return total

    points = sorted(
        {t for a, b in zip(starts, ends, strict=True) for t in (a, b, a - width, b - width)}
    )
    values = [worked_in(t) for t in points]
    runs: list[tuple[datetime, datetime, float, datetime]] = []
    for i in range(len(points) - 1):
        if values[i] <= cap and values[i + 1] <= cap:
            continue
        peak, at = max((values[i], points[i]), (values[i + 1], points[i + 1]))
        if runs and values[i] > cap and runs[-1][1] == points[i]:
            start, _end, best, best_at = runs[-1]
            runs[-1] = (start, points[i + 1], max(best, peak), best_at if best >= peak else at)
        else:
            runs.append((points[i], points[i + 1], peak, at))
    for start, end, peak, at in runs:
        window_end = end + width
        first = stretches[bisect_right(ends, start)].record_at(start)
        yield ctx.finding(
            rule,
            first,
            worked=hours(peak),
            limit=hours(cap),
            window_start=_local(at, first).strftime("%Y-%m-%d %H:%M"),
            window=(_local(start, first), _local(window_end, first)),
        )


def _local(instant: datetime, shift: Shift) -> datetime:
    """A UTC instant as the local wall-clock time of the shift's zone."""
    offset = shift.span.start_utc.replace(tzinfo=UTC) - shift.span.start.replace(tzinfo=UTC)
    return (instant - offset).replace(tzinfo=None)


def _school_work(
    shifts: Iterable[Shift], calendar: dict[date, tuple[time, time]]
) -> Iterator[tuple[Shift, date, float]]:
    """Minutes worked during school hours: (shift, school day, minutes) in time order,
    each worked piece against the school hours of every date it runs on, so work
    past midnight meets the next day's school hours."""
    for s in shifts:
        for piece in s.worked:
            on = piece.start.date()
            while on <= piece.end.date():
                if on in calendar:
                    start, end = (datetime.combine(on, t) for t in calendar[on])
                    minutes = (min(piece.end, end) - max(piece.start, start)) / MINUTE
                    if minutes > 0:
                        yield s, on, minutes
                on += timedelta(days=1)


@evaluator("outside_school_hours")
def outside_school_hours(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """One finding per work period that reaches into school hours, on its first shift there."""
    calendar = ctx.calendar_for(rule)
    for period in _periods(rule, ctx):
        found = list(_school_work(period.records, calendar))
        if found:
            s, on, _ = found[0]
            start, end = calendar[on]
            overlap = sum(minutes for _, _, minutes in found)
            yield ctx.finding(
                rule, s, overlap=hours(overlap), school_hours=f"{clock(start)}–{clock(end)}"
            )


@evaluator("school_hours_days")
def school_hours_days(rule: Rule, ctx: Context) -> Iterator[Finding]:
    calendar = ctx.calendar_for(rule)
    week_of = ctx.case.week_start
    p = rule.params
    usual, most, cycle = (
        p["max_days_per_week"],
        p["max_days_in_one_week_per_cycle"],
        p["cycle_weeks"],
    )
    seen: dict[date, set[date]] = defaultdict(set)
    reported: set[date] = set()
    busy_weeks: list[date] = []  # weeks that used the cycle's one longer allowance
    for s, on, _ in _school_work(ctx.applicable(rule), calendar):
        week = week_of(on)
        seen[week].add(on)
        days = len(seen[week])
        if week in reported or days <= usual:
            continue
        recent = [w for w in busy_weeks if w != week and (week - w).days < 7 * cycle]
        if days > most or recent:
            reported.add(week)
            yield ctx.finding(
                rule, s, days=days, limit=usual, most=most, cycle=cycle, week_start=week.isoformat()
            )
        elif week not in busy_weeks:
            busy_weeks.append(week)


@evaluator("time_of_day")
def time_of_day(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Each work period from its first shift's start to its last shift's end, on its
    day's hours: a period running over midnight is judged as one shift would be."""
    earliest = time.fromisoformat(rule.params["earliest"])
    normal_latest = time.fromisoformat(rule.params["latest"])
    summer_latest = time.fromisoformat(rule.params["summer_latest"])
    for period in _periods(rule, ctx):
        on = period.day
        first, last = summer_span(rule, on)
        summer = first <= on <= last
        latest = datetime.combine(on, summer_latest if summer else normal_latest)
        usual_latest = datetime.combine(on, normal_latest)
        start, end = period.records[0].span.start, period.records[-1].span.end
        if start.time() < earliest or end > latest:
            culprit = period.records[0] if start.time() < earliest else _past(period, latest)
            yield ctx.finding(
                rule,
                culprit,
                when=f"{clock(start)}–{clock(end)}",
                earliest=_ampm(earliest),
                latest=_ampm(latest.time()),
            )
        elif "boundary_rule" in rule.params and on in (first, last) and end > usual_latest:
            yield ctx.finding(ctx.rule(rule.params["boundary_rule"]), _past(period, usual_latest))


def _past(period: Period, moment: datetime) -> Shift:
    """The period's first shift still running after the local time ``moment``."""
    return next(s for s in period.records if s.span.end > moment)


def _ampm(moment: time) -> str:
    hour = moment.hour % 12 or 12
    suffix = "a.m." if moment.hour < 12 else "p.m."
    return f"{hour}:{moment.minute:02d} {suffix}" if moment.minute else f"{hour} {suffix}"


@evaluator("advisory_only")
def advisory_only(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Rules emitted by another evaluator (e.g. the Illinois boundary advisory)."""
    return iter(())


@evaluator("combined_school_work")
def combined_school_work(rule: Rule, ctx: Context) -> Iterator[Finding]:
    calendar = ctx.calendar_for(rule)
    day = ctx.day
    shifts = [s for s in ctx.applicable(rule) if day[s.index] in calendar]
    cap = rule.params["max_hours"] * 60

    def school_minutes(on: date) -> float:
        start, end = (datetime.combine(on, t) for t in calendar[on])
        return (end - start) / MINUTE

    def limit(on: date) -> float:
        return cap - school_minutes(on)

    for s, total, _lim, on in _crossings(shifts, lambda s: day[s.index], limit):
        school = school_minutes(on)
        yield ctx.finding(
            rule,
            s,
            school=hours(school),
            worked=hours(total),
            total=hours(school + total),
            limit=hours(cap),
            window=(_midnight(on), _midnight(on + timedelta(days=1))),
        )


def continuous_runs(stretches: list[Stretch], min_gap: timedelta) -> list[list[Stretch]]:
    """Stretches of work merged into runs of continuous work: a pause shorter than
    ``min_gap`` (a break, or the time between two shifts) does not end a run."""
    runs: list[list[Stretch]] = []
    for stretch in stretches:
        if runs and stretch.start_utc - runs[-1][-1].end_utc < min_gap:
            runs[-1].append(stretch)
        else:
            runs.append([stretch])
    return runs


@evaluator("meal_period")
def meal_period(rule: Rule, ctx: Context) -> Iterator[Finding]:
    meal = timedelta(minutes=rule.params["min_meal_minutes"])
    limit = rule.params["max_continuous_minutes"]
    for run in continuous_runs(_stretches(rule, ctx), meal):
        start, end = run[0].start_utc, run[-1].end_utc
        elapsed = (end - start) / MINUTE
        if elapsed <= limit:
            continue
        passed_at = start + timedelta(minutes=limit)
        culprit = next(s for s in run if s.end_utc > passed_at).record_at(passed_at)
        deducted = _deducted(record for stretch in run for _, record in stretch.pieces)
        yield ctx.finding(
            rule,
            culprit,
            continuous=hours(elapsed),
            meal=f"{rule.params['min_meal_minutes']} min",
            limit=hours(limit),
            window=(_local(start, culprit), _local(end, culprit)),
            **deducted,
        )


def _deducted(records: Iterable[Shift]) -> dict[str, Any]:
    """For a meal finding whose work a time clock cut a break from without punches:
    the message variant that says that break is no meal period, and its minutes."""
    minutes = sum({id(r): r.auto_break_minutes for r in records}.values())
    if not minutes:
        return {}
    return {"variant": "clock_deducted", "deducted": f"{minutes} min"}


@evaluator("odrisa_meal")
def odrisa_meal(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """820 ILCS 140/3 on each day's work (``periods.work_days``): its hours worked
    against the threshold, and every pause in it, an unpaid break or the gap between
    two shifts, a meal period if it is long enough."""
    p = rule.params
    threshold, meal = p["threshold_minutes"], p["meal_minutes"]
    start_by, extra = p["start_by_minutes"], p["extra_every_minutes"]
    for work in _work_days(rule, ctx):
        length = work.worked_minutes
        if length < threshold:
            continue
        # One more meal for each further 4.5 h: a second only past 12 h (LEGAL.md §2.9).
        needed = max(1, math.ceil((length - threshold) / extra))
        meals = [a for a, b in work.breaks if (b - a) / MINUTE >= meal]
        problem = None
        first_at = (meals[0] - work.stretches[0].start_utc) / MINUTE if meals else 0.0
        if not meals:
            problem = f"No meal period of {meal} min or more"
        elif first_at > start_by:
            problem = f"The first meal period began {hours(first_at)} after work started"
        elif len(meals) < needed:
            problem = f"Only {len(meals)} of the {needed} meal periods owed"
        if problem:
            # On the shift in which the day's work reached the threshold: the meal was owed.
            yield ctx.finding(
                rule,
                work.record_reaching(threshold),
                problem=problem,
                worked=hours(length),
                meal=f"{meal} min",
                start_by=hours(start_by),
                threshold=hours(threshold),
                extra=hours(extra),
                **_deducted(work.records),
            )


@evaluator("rest_day")
def rest_day(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """820 ILCS 140/2: 24 consecutive hours of rest in each calendar week (Sun–Sat)."""
    rest = timedelta(hours=rule.params["rest_hours"])
    exempt = rule.params["exempt_at_most_hours"] * 60
    zone = ZoneInfo(ctx.case.worksite_tz)
    day = ctx.day
    by_week: dict[date, list[Shift]] = defaultdict(list)
    for s in ctx.applicable(rule):
        on = day[s.index]
        by_week[on - timedelta(days=(on.weekday() + 1) % 7)].append(s)
    for sunday, shifts in by_week.items():
        if sum(s.worked_minutes for s in shifts) <= exempt:
            continue
        start, end = _midnight(sunday), _midnight(sunday + timedelta(days=7))
        culprit = _first_without_rest(shifts, to_utc(start, zone), to_utc(end, zone), rest)
        if culprit is not None:
            yield ctx.finding(
                rule,
                culprit,
                week_start=sunday.isoformat(),
                exempt_hours=hours(exempt),
                window=(start, end),
            )


def _first_without_rest(
    shifts: list[Shift], start: datetime, end: datetime, rest: timedelta
) -> Shift | None:
    """The first shift (in time order) after which the work between two instants
    leaves no ``rest`` without work (real elapsed time). Time not worked is rest
    whether it is an unpaid break or the time between two shifts."""
    cursor, longest = start, timedelta(0)
    for s in shifts:
        for piece in s.worked:
            longest = max(longest, piece.start_utc - cursor)
            cursor = max(cursor, piece.end_utc)
        if max(longest, end - cursor) < rest:
            return s
    return None
