"""The engine: run every applicable rule of the packs over one intern's case.

Pure: facts in, findings out; no session, no clock. Both layers always run and
each finding names its own rule, so the stricter result stands. Federal findings
turn into warnings when HR recorded that the intern is not an employee; the
Illinois Act's rules are switched off for school-directed work-based learning of
14- and 15-year-olds (206/20(e)).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, time
from functools import cached_property
from typing import Any

from internhost.core.dates import age_on
from internhost.core.rules.facts import Case, Shift
from internhost.core.rules.findings import CheckResult, Finding
from internhost.core.rules.packs import Rule, RuleSet, load_rules

Evaluator = Callable[[Rule, "Context"], Iterable[Finding]]
EVALUATORS: dict[str, Evaluator] = {}

NOT_EMPLOYEE_NOTE = "(Applies if the intern is in fact an employee.)"


def evaluator(name: str) -> Callable[[Evaluator], Evaluator]:
    def register(fn: Evaluator) -> Evaluator:
        EVALUATORS[name] = fn
        return fn

    return register


@dataclass
class Context:
    """A case with what every evaluator asks about it computed once."""

    case: Case
    rules: RuleSet

    @cached_property
    def chronological(self) -> tuple[Shift, ...]:
        return tuple(sorted(self.case.shifts, key=lambda s: (s.span.start_utc, s.index)))

    @cached_property
    def ages(self) -> dict[int, int]:
        born = self.case.intern.birth_date
        return {s.index: age_on(born, s.date) for s in self.case.shifts}

    @cached_property
    def il_exempt_shifts(self) -> frozenset[int]:
        """Shifts the Illinois Act does not reach (206/20(e))."""
        spec = self._exemption_20e
        if spec is None or self.case.intern.program != spec["program"]:
            return frozenset()
        low, high = spec["ages"]
        return frozenset(i for i, age in self.ages.items() if low <= age <= high)

    @property
    def _exemption_20e(self) -> dict[str, Any] | None:
        return self.rules.state.raw.get("exemption_206_20e") if self.rules.state else None

    def applicable(self, rule: Rule) -> list[Shift]:
        """The rule's shifts, in time order."""
        program = self.case.intern.program
        skip = self.il_exempt_shifts if rule.act == "206" else frozenset()
        return [
            s
            for s in self.chronological
            if s.index not in skip and rule.applies(self.ages[s.index], s.date, program)
        ]

    def calendar_for(self, rule: Rule) -> dict[date, tuple[time, time]]:
        """Federal rules follow the district of residence; Illinois, attendance."""
        if rule.jurisdiction == "US":
            return dict(self.case.school_days or {})
        return dict(self.case.attended)

    def finding(
        self,
        rule: Rule,
        shift: Shift | None,
        *,
        severity: str | None = None,
        window: tuple[Any, Any] | None = None,
        **facts: Any,
    ) -> Finding:
        if shift is not None:
            facts.setdefault("age", self.ages[shift.index])
            facts.setdefault("date", shift.date.isoformat())
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=severity or rule.severity,
            shift=shift.index if shift else None,
            date=shift.date if shift else None,
            jurisdiction=rule.jurisdiction,
            citation=rule.citation,
            verification=rule.verification,
            message=rule.message(**facts),
            window=window,
        )

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules.rules():
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


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
        produced = EVALUATORS[rule.check](rule, ctx)
        if rule.pack == "us-federal" and not_employee and rule.category not in ("coverage", "wage"):
            produced = (
                f.as_warning(NOT_EMPLOYEE_NOTE) if f.severity == "violation" else f
                for f in produced
            )
        findings.extend(produced)
    findings.sort(key=Finding.sort_key)
    return CheckResult(tuple(findings), rules.versions)


# Evaluators register themselves on import.
from internhost.core.rules import checks_hours, checks_other  # noqa: E402, F401
