"""The engine: run every applicable rule of the packs over one intern's case.

Pure: facts in, findings out; no session, no clock. Both layers always run and
each finding names its own rule, so the stricter result stands. Whom a pack's
rules bind is the pack's to say: the federal pack's are skipped for an employer
recorded as not covered by the FLSA and turn into warnings when HR recorded that
the intern is not an employee; a rule exempting a whole Act (Illinois' 206/20(e))
switches that Act's rules off.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

# The evaluator modules register themselves in EVALUATORS when imported.
from internhost.core.rules import checks_hours, checks_other  # noqa: F401
from internhost.core.rules.context import EVALUATORS, PLACEMENT_CHECKS, Context
from internhost.core.rules.facts import Case
from internhost.core.rules.findings import CheckResult, Finding
from internhost.core.rules.packs import RuleSet, load_rules

NOT_EMPLOYEE_NOTE = "(Applies if the intern is in fact an employee.)"


def one_per_shift(produced: Iterable[Finding]) -> list[Finding]:
    """A rule broken by a shift gives one finding for that shift: several reasons
    (two runs without a meal, a daily and a weekly driving limit) become one message."""
    order: list[Finding] = []
    position: dict[int, int] = {}  # shift -> index in ``order``
    for finding in produced:
        if finding.shift is None or finding.shift not in position:
            if finding.shift is not None:
                position[finding.shift] = len(order)
            order.append(finding)
        else:
            at = position[finding.shift]
            order[at] = order[at].merge(finding)
    return order


def check(
    case: Case, rules: RuleSet | None = None, *, checks: Collection[str] | None = None
) -> CheckResult:
    """Every finding for ``case``, ordered: whole-case first, then by shift, severity, rule;
    with ``checks``, only those of rules whose evaluator is named there."""
    rules = rules or load_rules(case.worksite_state)
    ctx = Context(case, rules)
    jurisdictions = {rules.federal.jurisdiction, rules.state.jurisdiction if rules.state else None}
    not_employee = case.intern.employee_status == "not_employee"
    findings: list[Finding] = []
    for rule in rules.rules():
        if rule.needs_covered_employer and not case.flsa_covered:
            continue
        if rule.jurisdiction not in jurisdictions:
            continue
        if checks is not None and rule.check not in checks:
            continue
        produced: Iterable[Finding] = one_per_shift(EVALUATORS[rule.check](rule, ctx))
        if rule.needs_employee and not_employee:
            produced = (
                f.as_warning(NOT_EMPLOYEE_NOTE) if f.severity == "violation" else f
                for f in produced
            )
        findings.extend(produced)
    findings.sort(key=Finding.sort_key)
    return CheckResult(tuple(findings), rules.versions)


def check_placement(case: Case, rules: RuleSet | None = None) -> CheckResult:
    """The findings of a placement before any shift: ``case``'s shifts are its probes
    (its start, each birthday, each new year and each new minimum wage inside it, with
    the tasks it assigns), and only the checks that need no hours run on them. A
    finding a later probe repeats word for word (bar its date) is the earlier one."""
    result = check(case, rules, checks=PLACEMENT_CHECKS)
    seen: set[str] = set()
    kept: list[Finding] = []
    for finding in result.findings:
        key = _repeat_key(finding)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return CheckResult(tuple(kept), result.rule_packs)


def _repeat_key(finding: Finding) -> str:
    params: dict[str, Any] = {k: v for k, v in finding.params.items() if k != "date"}
    return repr((finding.rule, finding.template, finding.severity, sorted(params.items())))
