"""Re-checking one edited shift without re-checking the whole semester.

Most hours rules look at a day (the day a work period belongs to, as
``rules/periods.py`` builds them), a workweek or a calendar week (day of rest); the
rolling 24 hours and continuous work without a meal follow chains of shifts less
than 24 hours apart, which may cross weeks. So ``recheck`` runs the week rules on
the weeks the edit touches, the chain rules on the chains it touches, and keeps
the earlier findings of every other shift (of edits, or of additions anywhere: a
time-clock import); the whole-case and pay rules, linear
and with yearly hour counters an edit moves for every later shift, run in full.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, timedelta

from internhost.core.rules.engine import check
from internhost.core.rules.facts import Case
from internhost.core.rules.findings import CheckResult, Finding
from internhost.core.rules.packs import Pack, RuleSet, load_rules
from internhost.core.rules.periods import day_of

#: Evaluators that are not windowed: they run over the whole case every time.
WHOLE_CASE_CHECKS = frozenset(
    {
        "certificate",
        "posting",
        "no_calendar",
        "no_state_pack",
        "flsa_not_covered",
        "act_exemption",
        "employee_status",
        "primary_beneficiary",
        "minimum_wage",
        "local_minimum_wage",
        "youth_hours",
        "unpaid_employee",
    }
)


#: Checks that switch a whole Act off for the other rules (``Context.act_exempt``
#: reads them among the rules checked): every group carries them, and only the
#: whole-case run keeps their findings.
SWITCHES = frozenset({"act_exemption"})


def _core_days(case: Case, day: date) -> tuple[date, date]:
    """First and last day of the workweek and calendar week (Sun–Sat) around ``day``."""
    work_start = case.week_start(day)
    sunday = day - timedelta(days=(day.weekday() + 1) % 7)
    first = min(work_start, sunday)
    last = max(work_start, sunday) + timedelta(days=6)
    return first, last


#: Evaluators whose findings follow chains of work (a 24-hour window, continuous
#: work without a meal) that can run across week boundaries.
CHAIN_CHECKS = frozenset({"rolling_cap", "meal_period"})
CHAIN_GAP = timedelta(hours=24)


def _chains(case: Case) -> dict[int, int]:
    """Shift index -> chain number: shifts less than 24 h apart share a chain."""
    chain, number, reach = {}, -1, None
    for s in sorted(case.shifts, key=lambda s: s.span.start_utc):
        if reach is None or s.span.start_utc - reach >= CHAIN_GAP:
            number += 1
        reach = s.span.end_utc if reach is None else max(reach, s.span.end_utc)
        chain[s.index] = number
    return chain


def _touched_days(
    case: Case, day: dict[int, date], changed: Collection[int], old_dates: Collection[date]
) -> set[date]:
    """The days whose work edits of the shifts ``changed`` may have moved (``day``: the
    day each shift's work belongs to): each one's own and those of its day's shifts,
    the date of the shift after it (a work period it joined or left), and for each of
    ``old_dates`` (where a moved shift was), those of the shifts a day around it."""
    order = sorted(case.shifts, key=lambda s: (s.span.start_utc, s.index))
    position = {s.index: i for i, s in enumerate(order)}
    dates_of_day: dict[date, set[date]] = {}
    for s in case.shifts:
        dates_of_day.setdefault(day[s.index], set()).add(s.date)
    touched: set[date] = set()
    for index in changed:
        at = position[index]
        edited, mine = order[at], day[index]
        touched |= {edited.date, mine, *dates_of_day[mine]}
        after = at + 1
        while after < len(order) and order[after].span.start_utc <= edited.span.start_utc:
            after += 1
        if after < len(order):
            touched.add(order[after].date)
    for old_date in old_dates:
        near = [s for s in case.shifts if abs(s.date - old_date) <= timedelta(days=1)]
        touched |= {old_date, *(s.date for s in near), *(day[s.index] for s in near)}
    return touched


@dataclass(frozen=True)
class Region:
    """What edits change in a case's findings: the ``fresh`` findings of the whole-case
    rules and of the weeks and chains of work the edits touch; a previous finding of
    any other shift stands (``keeps``)."""

    fresh: tuple[Finding, ...]
    week_core: frozenset[int]
    chain_core: frozenset[int]
    kind: dict[str, str]
    rule_packs: dict[str, str]

    def keeps(self, rule: str, shift: int | None) -> bool:
        """Whether a previous finding of ``rule`` on ``shift`` stands."""
        if shift is None:
            return False
        kind = self.kind.get(rule)
        if kind == "week":
            return shift not in self.week_core
        return kind == "chain" and shift not in self.chain_core


def recheck_region(
    case: Case,
    changed: Collection[int],
    *,
    old_dates: Collection[date] = (),
    rules: RuleSet | None = None,
) -> Region:
    """The ``Region`` of ``case`` that edits of the shifts ``changed`` (edited or added)
    touch: the workweeks and calendar weeks around the days they moved, the chains of
    work they are in (or, for ``old_dates``, were in). When they touch most of the
    case, the region is the whole case, checked once."""
    rules = rules or load_rules(case.worksite_state)
    kind = _kinds(rules)
    everything = frozenset(s.index for s in case.shifts)
    if len(set(changed)) * 2 > len(everything):  # the region holds at least these
        return _whole(case, rules, kind, everything)
    margin = timedelta(days=1)
    day = day_of(case.shifts)

    # Week rules: the workweeks and calendar weeks the edits touch, a day either side.
    # A shift's work belongs to its work period's day (rules/periods.py), so whole
    # periods are taken or left.
    core_days: set[date] = set()
    for touched in _touched_days(case, day, changed, old_dates):
        first, last = _core_days(case, touched)
        core_days.update(first + timedelta(days=d) for d in range((last - first).days + 1))
    week_core = frozenset(s.index for s in case.shifts if day[s.index] in core_days)

    # Chain rules: every chain of work an edited shift is in, or was in before.
    chain_of = _chains(case)
    seeds = {chain_of[index] for index in changed}
    for old_date in old_dates:
        seeds |= {chain_of[s.index] for s in case.shifts if abs(s.date - old_date) <= margin}
    chain_core = frozenset(i for i, c in chain_of.items() if c in seeds)

    near = tuple(
        s
        for s in case.shifts
        if {day[s.index] - margin, day[s.index], day[s.index] + margin} & core_days
    )
    chained = tuple(s for s in case.shifts if s.index in chain_core)
    if max(len(near), len(chained)) * 2 > len(everything):
        return _whole(case, rules, kind, everything)
    fresh = (
        *check(case, _subset(rules, WHOLE_CASE_CHECKS)).findings,
        *(
            f
            for f in check(replace(case, shifts=near), _subset(rules, WEEK)).findings
            if f.shift in week_core and kind[f.rule] == "week"
        ),
        *(
            f
            for f in check(replace(case, shifts=chained), _subset(rules, CHAIN_CHECKS)).findings
            if f.shift in chain_core and kind[f.rule] == "chain"
        ),
    )
    return Region(fresh, week_core, chain_core, kind, rules.versions)


def _whole(case: Case, rules: RuleSet, kind: dict[str, str], everything: frozenset[int]) -> Region:
    """The whole case as the region, checked once: for edits reaching most of it, one
    full check costs less than three partial ones."""
    result = check(case, rules)
    return Region(result.findings, everything, everything, kind, rules.versions)


def recheck(
    case: Case,
    previous: CheckResult,
    changed: int | Collection[int],
    *,
    old_date: date | None = None,
    rules: RuleSet | None = None,
) -> CheckResult:
    """Findings for ``case`` after shift ``changed`` (or each of several) was edited or
    added, given the ``previous`` result (for the case before the edits, same shift
    indexes); ``old_date`` is where the shift was, if the edit moved it to another day."""
    edited = [changed] if isinstance(changed, int) else list(changed)
    region = recheck_region(case, edited, old_dates=[old_date] if old_date else (), rules=rules)
    kept = [f for f in previous.findings if region.keeps(f.rule, f.shift)]
    findings = sorted([*region.fresh, *kept], key=Finding.sort_key)
    return CheckResult(tuple(findings), region.rule_packs)


#: ``_subset`` argument for the week rules: everything neither whole-case nor chain.
WEEK = None


def _group(check_name: str) -> str:
    if check_name in WHOLE_CASE_CHECKS:
        return "whole"
    return "chain" if check_name in CHAIN_CHECKS else "week"


def _kinds(rules: RuleSet) -> dict[str, str]:
    return {r.id: _group(r.check) for r in rules.rules()}


def _subset(rules: RuleSet, checks: frozenset[str] | None) -> RuleSet:
    """The same packs holding only the rules of one group: those whose check is in
    ``checks``, or (None) the week-local rules, which are in neither other group;
    and the ``SWITCHES``, which decide whether the others apply."""

    def wanted(check_name: str) -> bool:
        if check_name in SWITCHES:
            return True
        if checks is None:
            return _group(check_name) == "week"
        return check_name in checks

    def keep(pack: Pack) -> Pack:
        return replace(pack, rules=tuple(r for r in pack.rules if wanted(r.check)))

    return replace(
        rules,
        federal=keep(rules.federal),
        state=keep(rules.state) if rules.state is not None else None,
        wage=keep(rules.wage),
    )
