"""The legal window for an intern on a date: earliest start, latest end, and the
hours still allowed that day and that week. It drives the shift planner.

Every bound comes from a rule that applies to the intern that day, read from the
packs, so the window and the checks can never disagree about a number.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from internhost.core.dates import age_on
from internhost.core.rules.checks_hours import summer_span
from internhost.core.rules.context import Context
from internhost.core.rules.facts import Case
from internhost.core.rules.packs import Rule, RuleSet, load_rules

MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class LegalWindow:
    day: date
    age: int
    #: False when the intern may not work at all that day (a ``min_age`` rule applies).
    may_work: bool
    earliest: time | None
    latest: time | None
    #: School hours during which work is not allowed (an ``outside_school_hours`` rule).
    blocked: tuple[time, time] | None
    #: Hours still allowed; None means no legal limit applies.
    hours_left_day: float | None
    hours_left_week: float | None
    #: The rules that set a bound, for the planner to explain itself.
    binding: tuple[str, ...]


def legal_window(case: Case, day: date, rules: RuleSet | None = None) -> LegalWindow:
    """The window on ``day``, given the shifts already in ``case``."""
    rules = rules or load_rules(case.worksite_state)
    ctx = Context(case, rules)
    age = age_on(case.intern.birth_date, day)
    applicable = [
        r
        for r in rules.rules()
        if r.applies(age, day, case.intern.program)
        and not ctx.act_exempt(r.act, age, day)
        and (case.flsa_covered or not r.needs_covered_employer)
    ]
    worked_day = sum(s.worked_minutes for s in case.shifts if s.date == day) / 60
    week = case.week_start(day)
    worked_week = (
        sum(s.worked_minutes for s in case.shifts if week <= s.date < week + timedelta(days=7)) / 60
    )
    earliest: time | None = None
    latest: time | None = None
    blocked = None
    left_day: float | None = None
    left_week: float | None = None
    binding: list[str] = []

    def tighten_day(limit: float, rule: Rule) -> None:
        nonlocal left_day
        if left_day is None or limit < left_day:
            left_day = max(0.0, limit)
        binding.append(rule.id)

    for rule in applicable:
        calendar = ctx.calendar_for(rule)
        school_day = day in calendar
        if rule.check == "min_age":
            return LegalWindow(day, age, False, None, None, None, 0.0, 0.0, (rule.id,))
        if rule.check == "time_of_day":
            first, last = summer_span(rule, day)
            late = rule.params["summer_latest"] if first <= day <= last else rule.params["latest"]
            start, end = time.fromisoformat(rule.params["earliest"]), time.fromisoformat(late)
            earliest = start if earliest is None else max(earliest, start)
            latest = end if latest is None else min(latest, end)
            binding.append(rule.id)
        elif rule.check == "outside_school_hours" and school_day:
            blocked = calendar[day]
            binding.append(rule.id)
        elif rule.check == "daily_cap" and school_day == (rule.params["day"] == "school"):
            tighten_day(rule.params["max_hours"] - worked_day, rule)
        elif rule.check == "combined_school_work" and school_day:
            start, end = (datetime.combine(day, t) for t in calendar[day])
            school = (end - start) / MINUTE / 60
            tighten_day(rule.params["max_hours"] - school - worked_day, rule)
        elif rule.check == "rolling_cap":
            window_start = datetime.combine(day, time()) - timedelta(
                hours=rule.params["window_hours"]
            )
            before = (
                sum(
                    p.minutes
                    for s in case.shifts
                    for p in s.worked
                    if window_start <= p.start < datetime.combine(day, time())
                )
                / 60
            )
            tighten_day(rule.params["max_hours"] - before - worked_day, rule)
        elif rule.check == "weekly_cap":
            school_week = any(week + timedelta(days=i) in calendar for i in range(7))
            if school_week == (rule.params["week"] == "school"):
                limit = rule.params["max_hours"] - worked_week
                if left_week is None or limit < left_week:
                    left_week = max(0.0, limit)
                binding.append(rule.id)
    if left_day is not None and left_week is not None:
        left_day = min(left_day, left_week)
    return LegalWindow(
        day,
        age,
        True,
        earliest,
        latest,
        blocked,
        left_day,
        left_week,
        tuple(dict.fromkeys(binding)),
    )
