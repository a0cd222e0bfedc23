"""Evaluators for hours: daily and weekly caps, the rolling 24 hours, school hours,
time of day, school plus work, meal periods and the weekly day of rest."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from internhost.core.rules.context import Context, evaluator
from internhost.core.rules.facts import Interval, Shift, to_utc
from internhost.core.rules.findings import Finding
from internhost.core.rules.packs import Rule

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
    shift in time whose worked minutes pass the group's limit: (shift, group total,
    limit, key)."""
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


@evaluator("daily_cap")
def daily_cap(rule: Rule, ctx: Context) -> Iterator[Finding]:
    calendar = ctx.calendar_for(rule)
    want_school = rule.params["day"] == "school"
    shifts = [s for s in ctx.applicable(rule) if (s.date in calendar) == want_school]
    base = rule.params["max_hours"] * 60
    extended = rule.params.get("max_hours_if_school_hours_worked")
    worked_in_school = {s.date for s in shifts if _school_overlap(s, calendar) > 0}

    def limit(day: date) -> float:
        return extended * 60 if extended and day in worked_in_school else base

    for s, total, cap, day in _crossings(shifts, lambda s: s.date, limit):
        yield ctx.finding(
            rule,
            s,
            worked=hours(total),
            limit=hours(cap),
            window=(_midnight(day), _midnight(day + timedelta(days=1))),
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
    week_of = ctx.case.week_start
    shifts = [
        s for s in ctx.applicable(rule) if _is_school_week(week_of(s.date), calendar) == want_school
    ]
    cap = rule.params["max_hours"] * 60
    exception: Mapping[str, Any] = rule.params.get("weekend_exception") or {}
    days_by_week: dict[date, set[date]] = defaultdict(set)
    for s in shifts:
        days_by_week[week_of(s.date)].add(s.date)

    weekend_day: dict[date, float] = defaultdict(float)
    for s in shifts:
        if s.date.weekday() >= SATURDAY:
            weekend_day[s.date] += s.worked_minutes

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

    for s, total, lim, week in _crossings(shifts, lambda s: week_of(s.date), limit):
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
    overlapping over-cap windows, on the run's first shift."""
    shifts = ctx.applicable(rule)
    pieces = sorted(
        ((p.start_utc, p.end_utc, s) for s in shifts for p in s.worked), key=lambda x: x[0]
    )
    if not pieces:
        return
    width = timedelta(hours=rule.params["window_hours"])
    cap = rule.params["max_hours"] * 60
    starts = [a for a, _, _ in pieces]

    def worked_in(start: datetime) -> float:
        # Pieces never overlap (shifts may not), so only those starting before the
        # window's end and not long before its start can touch it.
        end = start + width
        total = 0.0
        for a, b, _ in pieces[bisect_left(starts, start - width) : bisect_left(starts, end)]:
            if b > start:
                total += (min(b, end) - max(a, start)) / MINUTE
        return total

    points = sorted({t for a, b, _ in pieces for t in (a, b, a - width, b - width)})
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
        first = next(s for a, b, s in pieces if a < window_end and b > start)
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


def _school_overlap(s: Shift, calendar: dict[date, tuple[time, time]]) -> float:
    hours_ = calendar.get(s.date)
    if hours_ is None:
        return 0.0
    start, end = (datetime.combine(s.date, t) for t in hours_)
    return sum(max(0.0, (min(p.end, end) - max(p.start, start)) / MINUTE) for p in s.worked)


@evaluator("outside_school_hours")
def outside_school_hours(rule: Rule, ctx: Context) -> Iterator[Finding]:
    calendar = ctx.calendar_for(rule)
    for s in ctx.applicable(rule):
        overlap = _school_overlap(s, calendar)
        if overlap > 0:
            start, end = calendar[s.date]
            yield ctx.finding(
                rule, s, overlap=hours(overlap), school_hours=f"{clock(start)}–{clock(end)}"
            )


@evaluator("school_hours_days")
def school_hours_days(rule: Rule, ctx: Context) -> Iterator[Finding]:
    calendar = ctx.calendar_for(rule)
    week_of = ctx.case.week_start
    shifts = [s for s in ctx.applicable(rule) if _school_overlap(s, calendar) > 0]
    p = rule.params
    usual, most, cycle = (
        p["max_days_per_week"],
        p["max_days_in_one_week_per_cycle"],
        p["cycle_weeks"],
    )
    seen: dict[date, set[date]] = defaultdict(set)
    reported: set[date] = set()
    busy_weeks: list[date] = []  # weeks that used the cycle's one longer allowance
    for s in shifts:
        week = week_of(s.date)
        seen[week].add(s.date)
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
    earliest = time.fromisoformat(rule.params["earliest"])
    normal_latest = time.fromisoformat(rule.params["latest"])
    summer_latest = time.fromisoformat(rule.params["summer_latest"])
    for s in ctx.applicable(rule):
        first, last = summer_span(rule, s.date)
        summer = first <= s.date <= last
        latest = summer_latest if summer else normal_latest
        start, end = s.span.start, s.span.end
        too_early = start.time() < earliest
        too_late = end > datetime.combine(s.date, latest)
        if too_early or too_late:
            yield ctx.finding(
                rule,
                s,
                when=f"{clock(start)}–{clock(end)}",
                earliest=_ampm(earliest),
                latest=_ampm(latest),
            )
        elif (
            "boundary_rule" in rule.params
            and s.date in (first, last)
            and end > datetime.combine(s.date, normal_latest)
        ):
            yield ctx.finding(ctx.rule(rule.params["boundary_rule"]), s)


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
    shifts = [s for s in ctx.applicable(rule) if s.date in calendar]
    cap = rule.params["max_hours"] * 60

    def school_minutes(day: date) -> float:
        start, end = (datetime.combine(day, t) for t in calendar[day])
        return (end - start) / MINUTE

    def limit(day: date) -> float:
        return cap - school_minutes(day)

    for s, total, _lim, day in _crossings(shifts, lambda s: s.date, limit):
        school = school_minutes(day)
        yield ctx.finding(
            rule,
            s,
            school=hours(school),
            worked=hours(total),
            total=hours(school + total),
            limit=hours(cap),
            window=(_midnight(day), _midnight(day + timedelta(days=1))),
        )


def continuous_runs(shifts: list[Shift], min_gap: timedelta) -> list[list[tuple[Interval, Shift]]]:
    """Worked pieces merged into runs of continuous work: a pause shorter than
    ``min_gap`` (a break, or the time between two shifts) does not end a run."""
    pieces = sorted(((p, s) for s in shifts for p in s.worked), key=lambda x: x[0].start_utc)
    runs: list[list[tuple[Interval, Shift]]] = []
    for piece in pieces:
        if runs and piece[0].start_utc - runs[-1][-1][0].end_utc < min_gap:
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


@evaluator("meal_period")
def meal_period(rule: Rule, ctx: Context) -> Iterator[Finding]:
    meal = timedelta(minutes=rule.params["min_meal_minutes"])
    limit = rule.params["max_continuous_minutes"]
    for run in continuous_runs(ctx.applicable(rule), meal):
        elapsed = (run[-1][0].end_utc - run[0][0].start_utc) / MINUTE
        if elapsed <= limit:
            continue
        passed_at = run[0][0].start_utc + timedelta(minutes=limit)
        culprit = next(s for p, s in run if p.end_utc > passed_at)
        yield ctx.finding(
            rule,
            culprit,
            continuous=hours(elapsed),
            meal=f"{rule.params['min_meal_minutes']} min",
            limit=hours(limit),
            window=(_local(run[0][0].start_utc, culprit), _local(run[-1][0].end_utc, culprit)),
        )


@evaluator("odrisa_meal")
def odrisa_meal(rule: Rule, ctx: Context) -> Iterator[Finding]:
    p = rule.params
    threshold, meal = p["threshold_minutes"], p["meal_minutes"]
    start_by, extra = p["start_by_minutes"], p["extra_every_minutes"]
    for s in ctx.applicable(rule):
        length = s.span.minutes
        if length < threshold:
            continue
        # One more meal for each further 4.5 h: a second only past 12 h (LEGAL.md §2.9).
        needed = max(1, math.ceil((length - threshold) / extra))
        meals = sorted((b for b in s.breaks if b.minutes >= meal), key=lambda b: b.start_utc)
        problem = None
        first_at = (meals[0].start_utc - s.span.start_utc) / MINUTE if meals else 0.0
        if not meals:
            problem = f"No meal period of {meal} min or more"
        elif first_at > start_by:
            problem = f"The first meal period began {hours(first_at)} after work started"
        elif len(meals) < needed:
            problem = f"Only {len(meals)} of the {needed} meal periods owed"
        if problem:
            yield ctx.finding(
                rule,
                s,
                problem=problem,
                worked=hours(length),
                meal=f"{meal} min",
                start_by=hours(start_by),
                threshold=hours(threshold),
                extra=hours(extra),
            )


@evaluator("rest_day")
def rest_day(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """820 ILCS 140/2: 24 consecutive hours of rest in each calendar week (Sun–Sat)."""
    rest = timedelta(hours=rule.params["rest_hours"])
    exempt = rule.params["exempt_at_most_hours"] * 60
    zone = ZoneInfo(ctx.case.worksite_tz)
    by_week: dict[date, list[Shift]] = defaultdict(list)
    for s in ctx.applicable(rule):
        by_week[s.date - timedelta(days=(s.date.weekday() + 1) % 7)].append(s)
    for sunday, shifts in by_week.items():
        if sum(s.worked_minutes for s in shifts) <= exempt:
            continue
        start, end = _midnight(sunday), _midnight(sunday + timedelta(days=7))
        start_utc, end_utc = to_utc(start, zone), to_utc(end, zone)
        for k in range(1, len(shifts) + 1):
            if _longest_gap(shifts[:k], start_utc, end_utc) < rest:
                yield ctx.finding(
                    rule,
                    shifts[k - 1],
                    week_start=sunday.isoformat(),
                    exempt_hours=hours(exempt),
                    window=(start, end),
                )
                break


def _longest_gap(shifts: list[Shift], start: datetime, end: datetime) -> timedelta:
    """Longest stretch without work between two instants (real elapsed time)."""
    cursor, best = start, timedelta(0)
    for s in sorted(shifts, key=lambda s: s.span.start_utc):
        best = max(best, s.span.start_utc - cursor)
        cursor = max(cursor, s.span.end_utc)
    return max(best, end - cursor)
