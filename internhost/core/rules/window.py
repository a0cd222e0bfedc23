"""The legal window for an intern on a date: earliest start, latest end, and the
hours still allowed that day and that week. It drives the shift planner.

Every bound comes from a rule that applies to the intern that day, read from the
packs, so the window and the checks can never disagree about a number. Each kind of
rule (its ``check``) has one constraint function below that says what the rule
allows on the day; ``legal_window`` narrows the window by each in the packs' order.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from internhost.core.dates import age_on
from internhost.core.rules.checks_hours import summer_span
from internhost.core.rules.context import Context
from internhost.core.rules.facts import Case
from internhost.core.rules.packs import Rule, RuleSet, load_rules
from internhost.core.rules.periods import day_of

MINUTE = timedelta(minutes=1)
WEEK = timedelta(days=7)

#: School hours by date, as ``Context.calendar_for`` gives them for a rule.
_SchoolHours = Mapping[date, tuple[time, time]]


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


@dataclass(frozen=True)
class _WorkDay:
    """The day asked about and the hours the case already has around it."""

    case: Case
    day: date
    age: int
    #: The first day of the employer's workweek holding ``day``.
    week: date
    worked_day: float
    worked_week: float
    #: The day each shift's work belongs to (its work period's, ``periods.day_of``).
    belongs: Mapping[int, date]

    @classmethod
    def of(cls, case: Case, day: date) -> _WorkDay:
        week = case.week_start(day)
        belongs = day_of(case.shifts)
        return cls(
            case=case,
            day=day,
            age=age_on(case.intern.birth_date, day),
            week=week,
            worked_day=_hours(case, belongs, lambda worked_on: worked_on == day),
            worked_week=_hours(case, belongs, lambda worked_on: week <= worked_on < week + WEEK),
            belongs=belongs,
        )


def _hours(case: Case, belongs: Mapping[int, date], on: Callable[[date], bool]) -> float:
    """Hours worked in the case's shifts whose work period belongs to a day ``on``
    accepts (``periods.day_of``): a record punched after midnight that continues the
    evening's work counts on the evening's day, as the rules count it."""
    return sum(s.worked_minutes for s in case.shifts if on(belongs[s.index])) / 60


@dataclass(frozen=True)
class _Bound:
    """What one rule allows on the day; None where it says nothing."""

    #: Earliest start and latest end.
    hours: tuple[time, time] | None = None
    #: School hours, when work is not allowed.
    blocked: tuple[time, time] | None = None
    #: Hours the day may still hold (may be negative: already over).
    day_limit: float | None = None
    #: Hours the week may still hold.
    week_limit: float | None = None


#: A rule's constraint: its bound on the day, or None when it does not bind that day.
_Constraint = Callable[[Rule, _WorkDay, _SchoolHours], _Bound | None]


def _time_of_day(rule: Rule, day: _WorkDay, calendar: _SchoolHours) -> _Bound:
    """Work between the rule's earliest and latest hours, later in its summer span."""
    first, last = summer_span(rule, day.day)
    late = rule.params["summer_latest"] if first <= day.day <= last else rule.params["latest"]
    return _Bound(hours=(time.fromisoformat(rule.params["earliest"]), time.fromisoformat(late)))


def _outside_school_hours(rule: Rule, day: _WorkDay, calendar: _SchoolHours) -> _Bound | None:
    """No work while school is in session."""
    return _Bound(blocked=calendar[day.day]) if day.day in calendar else None


def _daily_cap(rule: Rule, day: _WorkDay, calendar: _SchoolHours) -> _Bound | None:
    """At most so many hours on a school day, or on a day without school."""
    if (day.day in calendar) != (rule.params["day"] == "school"):
        return None
    return _Bound(day_limit=rule.params["max_hours"] - day.worked_day)


def _combined_school_work(rule: Rule, day: _WorkDay, calendar: _SchoolHours) -> _Bound | None:
    """School and work together within the cap on a school day."""
    if day.day not in calendar:
        return None
    start, end = (datetime.combine(day.day, t) for t in calendar[day.day])
    school = (end - start) / MINUTE / 60
    return _Bound(day_limit=rule.params["max_hours"] - school - day.worked_day)


def _rolling_cap(rule: Rule, day: _WorkDay, calendar: _SchoolHours) -> _Bound:
    """At most so many hours in any span of the rule's length (24 hours): the work of
    earlier days' periods in the span before the day's midnight counts against the
    day, and so does the part of such a period that runs past midnight."""
    midnight = datetime.combine(day.day, time())
    since = midnight - timedelta(hours=rule.params["window_hours"])
    until = midnight + timedelta(days=1)
    before = (
        sum(
            _overlap(p.start, p.end, since, until)
            for s in day.case.shifts
            if day.belongs[s.index] < day.day
            for p in s.worked
        )
        / 60
    )
    return _Bound(day_limit=rule.params["max_hours"] - before - day.worked_day)


def _overlap(start: datetime, end: datetime, since: datetime, until: datetime) -> float:
    """Minutes of ``start``–``end`` inside ``since``–``until`` (wall-clock)."""
    return max(0.0, (min(end, until) - max(start, since)) / MINUTE)


def _weekly_cap(rule: Rule, day: _WorkDay, calendar: _SchoolHours) -> _Bound | None:
    """At most so many hours in a week with school, or in a week without."""
    school_week = any(day.week + timedelta(days=i) in calendar for i in range(7))
    if school_week != (rule.params["week"] == "school"):
        return None
    return _Bound(week_limit=rule.params["max_hours"] - day.worked_week)


#: The constraint of each rule ``check`` that bounds the window; other checks do not.
_CONSTRAINTS: dict[str, _Constraint] = {
    "time_of_day": _time_of_day,
    "outside_school_hours": _outside_school_hours,
    "daily_cap": _daily_cap,
    "combined_school_work": _combined_school_work,
    "rolling_cap": _rolling_cap,
    "weekly_cap": _weekly_cap,
}


def _tighter(left: float | None, limit: float) -> float | None:
    """The hours left once ``limit`` applies too: the lower, never below zero."""
    return max(0.0, limit) if left is None or limit < left else left


@dataclass
class _Narrowing:
    """The window so far, as the applicable rules narrow it one at a time."""

    earliest: time | None = None
    latest: time | None = None
    blocked: tuple[time, time] | None = None
    left_day: float | None = None
    left_week: float | None = None
    binding: list[str] = field(default_factory=list)

    def apply(self, rule: Rule, bound: _Bound) -> None:
        if bound.hours is not None:
            start, end = bound.hours
            self.earliest = start if self.earliest is None else max(self.earliest, start)
            self.latest = end if self.latest is None else min(self.latest, end)
        if bound.blocked is not None:
            self.blocked = bound.blocked
        if bound.day_limit is not None:
            self.left_day = _tighter(self.left_day, bound.day_limit)
        if bound.week_limit is not None:
            self.left_week = _tighter(self.left_week, bound.week_limit)
        self.binding.append(rule.id)

    def window(self, day: _WorkDay) -> LegalWindow:
        """The window: no more hours on the day than are left in the week."""
        left_day = self.left_day
        if left_day is not None and self.left_week is not None:
            left_day = min(left_day, self.left_week)
        return LegalWindow(
            day.day,
            day.age,
            True,
            self.earliest,
            self.latest,
            self.blocked,
            left_day,
            self.left_week,
            tuple(dict.fromkeys(self.binding)),
        )


def _applicable(ctx: Context, day: _WorkDay) -> list[Rule]:
    """The rules binding the intern that day: of their age and program, not switched off
    by an exemption of their Act, and reaching their employer."""
    case = ctx.case
    return [
        r
        for r in ctx.rules.rules()
        if r.applies(day.age, day.day, case.intern.program)
        and not ctx.act_exempt(r.act, day.age, day.day)
        and (case.flsa_covered or not r.needs_covered_employer)
    ]


def legal_window(case: Case, day: date, rules: RuleSet | None = None) -> LegalWindow:
    """The window on ``day``, given the shifts already in ``case``."""
    ctx = Context(case, rules or load_rules(case.worksite_state))
    work_day = _WorkDay.of(case, day)
    narrowing = _Narrowing()
    for rule in _applicable(ctx, work_day):
        if rule.check == "min_age":
            return LegalWindow(day, work_day.age, False, None, None, None, 0.0, 0.0, (rule.id,))
        constraint = _CONSTRAINTS.get(rule.check)
        bound = constraint(rule, work_day, ctx.calendar_for(rule)) if constraint else None
        if bound is not None:
            narrowing.apply(rule, bound)
    return narrowing.window(work_day)
