"""Re-checking one edited shift without re-checking the whole semester.

Hours rules look at a day, a workweek, a calendar week (day of rest) or the 24
hours around a shift, so an edit can change findings only on shifts in those
windows. ``recheck`` runs the windowed rules on the shifts around the edit (the
workweek and calendar week it falls in, one day either side), keeps the earlier
findings of every other shift, and re-runs the whole-case and pay rules, which
are linear and whose yearly hour counters an edit moves for every later shift.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from internhost.core.rules.engine import check
from internhost.core.rules.facts import Case
from internhost.core.rules.findings import CheckResult, Finding
from internhost.core.rules.packs import RuleSet, load_rules

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


def _core_days(case: Case, day: date) -> tuple[date, date]:
    """First and last day of the workweek and calendar week (Sun–Sat) around ``day``."""
    work_start = case.week_start(day)
    sunday = day - timedelta(days=(day.weekday() + 1) % 7)
    first = min(work_start, sunday)
    last = max(work_start, sunday) + timedelta(days=6)
    return first, last


def recheck(
    case: Case,
    previous: CheckResult,
    changed: int,
    *,
    old_date: date | None = None,
    rules: RuleSet | None = None,
) -> CheckResult:
    """Findings for ``case`` after shift ``changed`` was edited or added, given the
    ``previous`` result (for the case before the edit, same shift indexes)."""
    rules = rules or load_rules(case.worksite_state)
    by_index = {s.index: s for s in case.shifts}
    days = [by_index[changed].date] + ([old_date] if old_date else [])
    spans = [_core_days(case, d) for d in days]
    core_first, core_last = min(s[0] for s in spans), max(s[1] for s in spans)
    margin = timedelta(days=1)
    near = tuple(s for s in case.shifts if core_first - margin <= s.date <= core_last + margin)
    core = {s.index for s in near if core_first <= s.date <= core_last}

    windowed = _subset(rules, whole_case=False)
    whole = _subset(rules, whole_case=True)
    local = check(replace(case, shifts=near), windowed).findings
    global_ = check(case, whole).findings

    kept = [
        f
        for f in previous.findings
        if f.shift is not None and f.shift not in core and not _is_whole_case(f, rules)
    ]
    fresh = [f for f in local if f.shift in core]
    findings = sorted([*global_, *kept, *fresh], key=Finding.sort_key)
    return CheckResult(tuple(findings), rules.versions)


def _is_whole_case(finding: Finding, rules: RuleSet) -> bool:
    return any(r.id == finding.rule and r.check in WHOLE_CASE_CHECKS for r in rules.rules())


def _subset(rules: RuleSet, *, whole_case: bool) -> RuleSet:
    """The same packs, holding only the windowed or only the whole-case rules."""

    def keep(pack):
        if pack is None:
            return None
        chosen = tuple(r for r in pack.rules if (r.check in WHOLE_CASE_CHECKS) == whole_case)
        return replace(pack, rules=chosen)

    return replace(
        rules, federal=keep(rules.federal), state=keep(rules.state), wage=keep(rules.wage)
    )
