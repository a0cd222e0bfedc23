"""Evaluators for who may work, on what, under whom, with which papers, for what pay."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

from internhost.core.rules.checks_hours import clock, hours
from internhost.core.rules.context import Context, evaluator
from internhost.core.rules.facts import WEEKDAY_KEYS, Shift, TaskFact
from internhost.core.rules.findings import Finding
from internhost.core.rules.packs import Exemption, Rule, Task, WageRate


def _labels(tasks: list[Task]) -> str:
    return ", ".join(t.label for t in tasks)


def _catalog(ctx: Context, fact: TaskFact) -> Task:
    return ctx.rules.tasks[fact.key]


def _task_minutes(fact: TaskFact, shift: Shift) -> float:
    return float(fact.minutes) if fact.minutes is not None else shift.worked_minutes


# ---- who may work at all ------------------------------------------------------------


@evaluator("min_age", placement=True)
def min_age(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for s in ctx.applicable(rule):
        yield ctx.finding(rule, s, min_age=rule.params["min_age"])


# ---- occupations ----------------------------------------------------------------------


@evaluator("workroom_ban", placement=True)
def workroom_ban(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for s in ctx.applicable(rule):
        tasks = [_catalog(ctx, t) for t in s.tasks if _catalog(ctx, t).production_area]
        if tasks:
            yield ctx.finding(rule, s, task=_labels(tasks))


@evaluator("prohibited_tasks", placement=True)
def prohibited_tasks(rule: Rule, ctx: Context) -> Iterator[Finding]:
    field = rule.params["field"]
    for s in ctx.applicable(rule):
        hits: list[Task] = []
        for fact in s.tasks:
            task = _catalog(ctx, fact)
            value = getattr(task, field)
            if rule.params.get("skip_production_area") and task.production_area:
                continue
            if (rule.params.get("non_empty") and value) or value == rule.params.get("value"):
                hits.append(task)
        if hits:
            items = sorted({i for t in hits for i in t.il_206_40})
            yield ctx.finding(rule, s, task=_labels(hits), items=", ".join(map(str, items)))


def exemption_gap(ctx: Context, ex: Exemption, shift: Shift, fact: TaskFact) -> str | None:
    """Why ``ex`` does not cover this task on this shift; None when it does.
    A fact the exemption needs and that is absent counts as not met."""
    intern = ctx.case.intern
    age = ctx.ages[shift.index]
    if not ex.ages[0] <= age <= ex.ages[1]:
        return f"the {ex.label} covers only ages {ex.ages[0]}–{ex.ages[1]}"
    if intern.program != ex.program:
        return f"the {ex.label} needs a {ex.program.replace('_', '-')} placement"
    if not intern.has_document(ex.document, shift.date):
        return f"the {ex.label} needs the {ex.document.replace('_', ' ')} on file"
    if fact.details.get(ex.task_fact) is not True:
        return f"the {ex.label} needs the task done under {ex.task_fact.replace('_', ' ')}"
    return None


def exempt(ctx: Context, rule: Rule, shift: Shift, fact: TaskFact) -> tuple[bool, str]:
    """Whether one of the rule's exemptions covers the task, and if not, why: the
    exemption of the intern's own program if it has one, else the first."""
    gaps: dict[str, str] = {}
    for key in rule.params.get("exemptions", ()):
        ex = ctx.rules.exemptions[key]
        gap = exemption_gap(ctx, ex, shift, fact)
        if gap is None:
            return True, ""
        gaps[ex.program] = gap
    why = gaps.get(ctx.case.intern.program) or next(iter(gaps.values()), "")
    return False, f" ({why})" if why else ""


def _condition_rules(ctx: Context, task_key: str) -> list[Rule]:
    """The rules that allow a task under conditions (HO 2 at 17, baler loading)."""
    return ctx.memo(
        ("conditions", task_key),
        lambda: [
            r for r in ctx.rules.rules() if r.check == "conditions" and r.names_task(task_key)
        ],
    )


def _tasks_by_ho(ctx: Context) -> dict[int, list[tuple[Shift, TaskFact]]]:
    def build() -> dict[int, list[tuple[Shift, TaskFact]]]:
        out: dict[int, list[tuple[Shift, TaskFact]]] = defaultdict(list)
        for s in ctx.chronological:
            for fact in s.tasks:
                ho = _catalog(ctx, fact).ho
                if ho:
                    out[ho].append((s, fact))
        return out

    return ctx.memo("tasks_by_ho", build)


def _ho_rule(ctx: Context, ho: int) -> Rule:
    """The rule encoding Hazardous Occupations Order ``ho``."""
    return ctx.memo(
        ("ho", ho),
        lambda: next(
            r for r in ctx.rules.rules() if r.check == "hazardous_order" and r.params["ho"] == ho
        ),
    )


@evaluator("hazardous_order", placement=True)
def hazardous_order(rule: Rule, ctx: Context) -> Iterator[Finding]:
    program = ctx.case.intern.program
    allowed = {s.index for s in ctx.applicable(rule)}
    hits: dict[int, tuple[Shift, list[Task], list[str]]] = {}
    for s, fact in _tasks_by_ho(ctx).get(rule.params["ho"], ()):
        if s.index not in allowed:
            continue
        age = ctx.ages[s.index]
        conditional = _condition_rules(ctx, fact.key)
        if any(r.applies(age, s.date, program) for r in conditional):
            continue  # its conditions rule decides (HO 2 at 17, baler loading at 16-17)
        covered, why = exempt(ctx, rule, s, fact)
        if covered:
            continue
        if not why and conditional:
            low, high = conditional[0].ages
            who = f"{low}-year-olds" if low == high else f"ages {low}–{high}"
            why = f" (only {who} may, under its conditions)"
        _shift, tasks, reasons = hits.setdefault(s.index, (s, [], []))
        tasks.append(_catalog(ctx, fact))
        reasons.append(why)
    for s, tasks, reasons in hits.values():
        yield ctx.finding(rule, s, task=_labels(tasks), reason=reasons[0])


def _condition_unmet(spec: dict[str, Any], value: Any) -> bool:
    if value is None:
        return True
    if "equals" in spec:
        return value != spec["equals"]
    return value > spec["at_most"]


@evaluator("conditions", placement=True)
def conditions(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """A task allowed only when every listed fact holds (absent facts do not)."""
    driver = ctx.case.intern.driver
    for s in ctx.applicable(rule):
        for fact in s.tasks:
            if not rule.names_task(fact.key):
                continue
            if exempt(ctx, _ho_rule(ctx, _catalog(ctx, fact).ho), s, fact)[0]:
                continue
            missing = [
                spec["says"]
                for key, spec in rule.params["require"].items()
                if _condition_unmet(
                    spec,
                    getattr(driver, key)
                    if spec.get("source") == "driver"
                    else fact.details.get(key),
                )
            ]
            if missing:
                yield ctx.finding(
                    rule, s, task=_catalog(ctx, fact).label, missing="; ".join(missing)
                )


@evaluator("driving_limits")
def driving_limits(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Trips and the share of a workday and workweek spent driving. A workday is the
    day's work periods (``ctx.day``): a record punched after midnight that continues
    the evening's work is that evening's, as for the hours rules."""
    p = rule.params
    day_of = ctx.day
    drives_by_day: dict[date, list[tuple[Shift, TaskFact]]] = defaultdict(list)
    for s in ctx.applicable(rule):
        for t in s.tasks:
            if rule.names_task(t.key):
                drives_by_day[day_of[s.index]].append((s, t))
    if not drives_by_day:
        return
    week_of = ctx.case.week_start
    day_work: dict[date, float] = defaultdict(float)
    week_work: dict[date, float] = defaultdict(float)
    for s in ctx.chronological:
        day_work[day_of[s.index]] += s.worked_minutes
        week_work[week_of(day_of[s.index])] += s.worked_minutes
    week_drive: dict[date, float] = defaultdict(float)
    first_drive_of_week: dict[date, Shift] = {}
    for day in sorted(drives_by_day):
        drives = drives_by_day[day]
        first = drives[0][0]
        first_drive_of_week.setdefault(week_of(day), first)
        minutes = sum(_task_minutes(t, s) for s, t in drives)
        week_drive[week_of(day)] += minutes
        worked = day_work[day]
        trips = sum(int(t.details.get("trips") or 0) for _, t in drives)
        passenger_trips = sum(int(t.details.get("passenger_trips") or 0) for _, t in drives)
        problems = []
        if trips > p["max_trips_per_day"]:
            problems.append(f"{trips} delivery trips (at most {p['max_trips_per_day']} a day)")
        if passenger_trips > p["max_passenger_trips_per_day"]:
            problems.append(
                f"{passenger_trips} trips with passengers (at most "
                f"{p['max_passenger_trips_per_day']} a day)"
            )
        if worked and minutes / worked > p["max_share_of_day"] + 1e-9:
            problems.append(
                f"{hours(minutes)} of driving in a {hours(worked)} workday (at most "
                f"{_percent(p['max_share_of_day'])})"
            )
        if problems:
            yield ctx.finding(rule, first, problem="; ".join(problems))
    for week, minutes in week_drive.items():
        if week_work[week] and minutes / week_work[week] > p["max_share_of_week"] + 1e-9:
            yield ctx.finding(
                rule,
                first_drive_of_week[week],
                problem=f"{hours(minutes)} of driving in a {hours(week_work[week])} workweek "
                f"(at most {_percent(p['max_share_of_week'])})",
            )


def _percent(share: float) -> str:
    return f"{share * 100:.0f}%"


@evaluator("intermittent_heuristic")
def intermittent_heuristic(rule: Rule, ctx: Context) -> Iterator[Finding]:
    p = rule.params
    program = ctx.case.intern.program
    for s in ctx.applicable(rule):
        for fact in s.tasks:
            task = _catalog(ctx, fact)
            if not task.ho or program not in ctx.rules.exemptions:
                continue
            if ctx.rules.exemptions[program].key not in _ho_rule(ctx, task.ho).params.get(
                "exemptions", ()
            ):
                continue
            minutes = _task_minutes(fact, s)
            share = minutes / s.worked_minutes if s.worked_minutes else 1.0
            if minutes > p["max_minutes_at_a_time"] or share > p["max_share_of_shift"]:
                yield ctx.finding(
                    rule,
                    s,
                    task=task.label,
                    minutes=round(minutes),
                    limit=f"{p['max_minutes_at_a_time']} min at a time or "
                    f"{round(p['max_share_of_shift'] * 100)}% of the shift",
                )


@evaluator("no_tasks")
def no_tasks(rule: Rule, ctx: Context) -> Iterator[Finding]:
    for s in ctx.applicable(rule):
        if not s.tasks:
            yield ctx.finding(rule, s)


# ---- papers, postings, supervision -------------------------------------------------------


def _once(rule: Rule, ctx: Context, needed: bool, **facts: str | None) -> Iterator[Finding]:
    """One finding about the whole case (so without a window), when any shift falls
    under the rule."""
    shifts = ctx.applicable(rule)
    if shifts and needed:
        yield ctx.finding(rule, None, window=None, age=ctx.ages[shifts[0].index], **facts)


@evaluator("no_calendar")
def no_calendar(rule: Rule, ctx: Context) -> Iterator[Finding]:
    return _once(rule, ctx, ctx.case.school_days is None)


@evaluator("no_state_pack", placement=True)
def no_state_pack(rule: Rule, ctx: Context) -> Iterator[Finding]:
    state = ctx.case.worksite_state
    return _once(rule, ctx, bool(state) and ctx.rules.state is None, state=state)


@evaluator("flsa_not_covered", placement=True)
def flsa_not_covered(rule: Rule, ctx: Context) -> Iterator[Finding]:
    return _once(rule, ctx, not ctx.case.flsa_covered)


@evaluator("act_exemption", placement=True)
def act_exemption(rule: Rule, ctx: Context) -> Iterator[Finding]:
    return _once(rule, ctx, True)


@evaluator("certificate", placement=True)
def certificate(rule: Rule, ctx: Context) -> Iterator[Finding]:
    name, intern = rule.params["document"], ctx.case.intern
    missing = any(not intern.has_document(name, s.date) for s in ctx.applicable(rule))
    return _once(rule, ctx, missing)


@evaluator("posting", placement=True)
def posting(rule: Rule, ctx: Context) -> Iterator[Finding]:
    return _once(rule, ctx, not ctx.case.child_labor_notice_posted)


@evaluator("employee_status", placement=True)
def employee_status(rule: Rule, ctx: Context) -> Iterator[Finding]:
    return _once(rule, ctx, ctx.case.intern.employee_status == "not_employee")


@evaluator("primary_beneficiary", placement=True)
def primary_beneficiary(rule: Rule, ctx: Context) -> Iterator[Finding]:
    answers = ctx.case.intern.primary_beneficiary
    if ctx.case.intern.paid or not answers or ctx.case.intern.employee_status == "employee":
        return
    pointing = [n for n in rule.params["decisive_factors"] if answers[n - 1] is False]
    if pointing:
        yield from _once(rule, ctx, True, factors=", ".join(map(str, pointing)))


@evaluator("supervisor_age")
def supervisor_age(rule: Rule, ctx: Context) -> Iterator[Finding]:
    minimum = rule.params["min_age"]
    for s in ctx.applicable(rule):
        if s.supervisor_age is not None:
            if s.supervisor_age < minimum:
                yield ctx.finding(
                    rule,
                    s,
                    min_age=minimum,
                    problem=f"The on-site supervisor is {s.supervisor_age}",
                )
            continue
        if s.supervisor_21_or_older is True:
            continue
        if s.supervisor_21_or_older is False:
            yield ctx.finding(
                rule, s, min_age=minimum, problem=f"The on-site supervisor is under {minimum}"
            )
        else:
            yield ctx.finding(
                rule,
                s,
                severity="warning",
                min_age=minimum,
                problem="No supervisor's age was recorded, so this cannot be confirmed",
            )


@evaluator("notice_hours")
def notice_hours(rule: Rule, ctx: Context) -> Iterator[Finding]:
    stated = ctx.case.intern.certificate_hours
    if stated is None:
        return
    for s in ctx.applicable(rule):
        weekday = WEEKDAY_KEYS[s.date.weekday()]
        allowed = [h for h in stated if weekday in h.days]
        inside = any(
            datetime.combine(s.date, h.start) <= s.span.start
            and s.span.end <= datetime.combine(s.date, h.end)
            for h in allowed
        )
        if not inside:
            text = ", ".join(f"{clock(h.start)}–{clock(h.end)}" for h in allowed)
            yield ctx.finding(
                rule,
                s,
                when=f"{weekday} {clock(s.span.start)}–{clock(s.span.end)}",
                stated=f"{weekday}: {text}" if text else f"none on {weekday}",
            )


# ---- pay ------------------------------------------------------------------------------------


@evaluator("unpaid_employee", placement=True)
def unpaid_employee(rule: Rule, ctx: Context) -> Iterator[Finding]:
    intern = ctx.case.intern
    if intern.paid or intern.employee_status != "employee":
        return
    for s in ctx.applicable(rule):
        yield ctx.finding(rule, s)


def _yearly_hours(ctx: Context) -> dict[int, tuple[float, float]]:
    """Hours with the employer this calendar year before and after each shift."""
    intern = ctx.case.intern
    out: dict[int, tuple[float, float]] = {}
    first_year = ctx.chronological[0].date.year if ctx.chronological else None
    totals: dict[int, float] = defaultdict(float)
    if first_year is not None:
        totals[first_year] = intern.hours_this_year_before * 60
    for s in ctx.chronological:
        before = totals[s.date.year]
        totals[s.date.year] += s.worked_minutes
        out[s.index] = (before / 60, totals[s.date.year] / 60)
    return out


def _minimum(rate: WageRate, age: int, hours_so_far: float) -> tuple[int, str | None]:
    """The minimum for this worker under ``rate``: the youth rate up to the rate's
    youth age until their hours this calendar year pass the limit, else the adult
    rate; and the message variant that says which (None: an adult's)."""
    if not rate.youth(age):
        return rate.adult_cents, None
    if rate.youth_cents is not None and hours_so_far <= (rate.youth_max_hours_per_year or 0):
        return rate.youth_cents, "youth"
    return rate.adult_cents, "past_youth"


def _dollars(cents: int) -> str:
    return f"${cents / 100:.2f}"


def _wage_findings(rule: Rule, ctx: Context, city: str | None) -> Iterator[Finding]:
    intern = ctx.case.intern
    if not intern.paid or intern.hourly_rate_cents is None:
        return
    yearly = ctx.memo("yearly_hours", lambda: _yearly_hours(ctx))
    for s in ctx.applicable(rule):
        rate = ctx.rules.rate_on(rule.jurisdiction, s.date, city)
        if rate is None:
            continue
        minimum, variant = _minimum(rate, ctx.ages[s.index], yearly[s.index][1])
        if intern.hourly_rate_cents < minimum:
            # A local overlay is its own law: its citation and marker, not the rule's.
            source = replace(rule, citation=rate.citation, verification=rate.verification)
            # A rule whose message is the same for everyone words no youth (the federal).
            variant = variant if f"{rule.id}.{variant}" in rule.templates else None
            yield ctx.finding(
                source,
                s,
                rate=_dollars(intern.hourly_rate_cents),
                minimum=_dollars(minimum),
                variant=variant,
                jurisdiction=rule.jurisdiction,
                citation=rate.citation,
                city=city or "",
            )


@evaluator("minimum_wage", placement=True)
def minimum_wage(rule: Rule, ctx: Context) -> Iterator[Finding]:
    return _wage_findings(rule, ctx, None)


@evaluator("local_minimum_wage", placement=True)
def local_minimum_wage(rule: Rule, ctx: Context) -> Iterator[Finding]:
    """Local (city, county) overlays in the wage pack, for the worksite's city."""
    city = ctx.case.worksite_city
    return _wage_findings(rule, ctx, city) if city else iter(())


@evaluator("youth_hours", placement=True)
def youth_hours(rule: Rule, ctx: Context) -> Iterator[Finding]:
    intern = ctx.case.intern
    if not intern.paid or intern.hourly_rate_cents is None:
        return
    yearly = ctx.memo("yearly_hours", lambda: _yearly_hours(ctx))
    for s in ctx.applicable(rule):
        rate = ctx.rules.rate_on(rule.jurisdiction, s.date)
        if rate is None or rate.youth_max_hours_per_year is None:
            continue
        before, after = yearly[s.index]
        limit = rate.youth_max_hours_per_year
        if before <= limit < after and intern.hourly_rate_cents < rate.adult_cents:
            yield ctx.finding(
                rule, s, limit=limit, year=s.date.year, adult=_dollars(rate.adult_cents)
            )
