"""The engine: run every applicable rule of the packs over one intern's case.

Pure: facts in, findings out; no session, no clock. Both layers always run and
each finding names its own rule, so the stricter result stands. Federal findings
turn into warnings when HR recorded that the intern is not an employee; the
Illinois Act's rules are switched off for school-directed work-based learning of
14- and 15-year-olds (206/20(e)).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

# The evaluator modules register themselves in EVALUATORS when imported.
from internhost.core.rules import checks_hours, checks_other  # noqa: F401
from internhost.core.rules.context import EVALUATORS, Context
from internhost.core.rules.facts import Case
from internhost.core.rules.findings import CheckResult, Finding
from internhost.core.rules.packs import RuleSet, load_rules

NOT_EMPLOYEE_NOTE = "(Applies if the intern is in fact an employee.)"


def _coverage(ctx: Context) -> Iterator[Finding]:
    """Findings about what the engine could not check, for the whole case."""
    case = ctx.case
    minors = [s for s in case.shifts if ctx.ages[s.index] < 18]
    if case.worksite_state and ctx.rules.state is None and minors:
        yield Finding(
            rule="US-COVERAGE-no-state-pack",
            category="coverage",
            severity="advisory",
            shift=None,
            date=None,
            jurisdiction="US",
            citation="—",
            verification="V",
            message=f"No rule pack for {case.worksite_state}: only federal rules were checked. "
            "State child-labor law may be stricter.",
        )
    if not case.flsa_covered and minors:
        yield Finding(
            rule="US-COVERAGE-flsa-not-covered",
            category="coverage",
            severity="advisory",
            shift=None,
            date=None,
            jurisdiction="US",
            citation="29 U.S.C. 203(s)",
            verification="V",
            message="The employer is recorded as not covered by the FLSA, so federal "
            "child-labor rules were not checked.",
        )
    spec = ctx._exemption_20e
    if spec and ctx.il_exempt_shifts:
        first = min(ctx.il_exempt_shifts)
        age = ctx.ages[first]
        yield Finding(
            rule=spec["id"],
            category="coverage",
            severity="advisory",
            shift=None,
            date=None,
            jurisdiction=ctx.rules.state.jurisdiction or "US-IL",
            citation=spec["citation"],
            verification=spec["verification"],
            message=spec["explain"].format(age=age),
        )


def one_per_shift(produced: Iterable[Finding]) -> list[Finding]:
    """A rule broken by a shift gives one finding for that shift: several reasons
    (two runs without a meal, a daily and a weekly driving limit) become one message."""
    merged: dict[int | None, Finding] = {}
    order: list[Finding] = []
    for finding in produced:
        key = finding.shift
        if key is None or key not in merged:
            merged[key] = finding
            order.append(finding)
            continue
        first = merged[key]
        combined = first.merge(finding)
        order[order.index(first)] = combined
        merged[key] = combined
    return order


def check(case: Case, rules: RuleSet | None = None) -> CheckResult:
    """Every finding for ``case``, ordered: whole-case first, then by shift, severity, rule."""
    rules = rules or load_rules(case.worksite_state)
    ctx = Context(case, rules)
    state_jurisdiction = rules.state.jurisdiction if rules.state else None
    not_employee = case.intern.employee_status == "not_employee"
    findings: list[Finding] = list(_coverage(ctx))
    for rule in rules.rules():
        if rule.pack == "us-federal" and not case.flsa_covered and rule.category != "wage":
            continue
        if rule.jurisdiction not in ("US", state_jurisdiction):
            continue
        produced = one_per_shift(EVALUATORS[rule.check](rule, ctx))
        if rule.pack == "us-federal" and not_employee and rule.category not in ("coverage", "wage"):
            produced = (
                f.as_warning(NOT_EMPLOYEE_NOTE) if f.severity == "violation" else f
                for f in produced
            )
        findings.extend(produced)
    findings.sort(key=Finding.sort_key)
    return CheckResult(tuple(findings), rules.versions)
