"""What evaluators see: a case with its derived facts computed once, and the
registry that maps a rule's ``check`` to the function that evaluates it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, time
from functools import cached_property
from operator import itemgetter
from typing import Any

from internhost.core.dates import age_on, birthday_of_age
from internhost.core.rules.facts import Case, Shift
from internhost.core.rules.findings import Finding
from internhost.core.rules.packs import PackError, Rule, RuleSet
from internhost.core.rules.periods import day_of
from internhost.core.rules.templates import AGE

Evaluator = Callable[[Rule, "Context"], Iterable[Finding]]
EVALUATORS: dict[str, Evaluator] = {}
#: The checks that judge a placement before any shift exists: who may work, on what,
#: for what pay, with which papers. They read a shift only for its date and tasks, so
#: the engine runs them on a placement's dated probes (``engine.check_placement``).
PLACEMENT_CHECKS: set[str] = set()


def evaluator(name: str, *, placement: bool = False) -> Callable[[Evaluator], Evaluator]:
    """Register an evaluator; ``placement``: it needs no hours (``PLACEMENT_CHECKS``)."""

    def register(fn: Evaluator) -> Evaluator:
        EVALUATORS[name] = fn
        if placement:
            PLACEMENT_CHECKS.add(name)
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
    def day(self) -> dict[int, date]:
        """The day each shift's work belongs to: a shift continuing a period that
        began the day before (a punch at midnight) is that day's, like the rest of it."""
        return day_of(self.chronological)

    @cached_property
    def ages(self) -> dict[int, int]:
        """The age at the start of each shift's work period governs all of it (LEGAL.md §0).
        Worked out again only from a birthday on, days taken in order."""
        born = self.case.intern.birth_date
        out: dict[int, int] = {}
        age, birthday = 0, None
        for index, day in sorted(self.day.items(), key=itemgetter(1)):
            if birthday is None or day >= birthday:
                age = age_on(born, day)
                birthday = birthday_of_age(born, age + 1)
            out[index] = age
        return out

    @cached_property
    def _dated(self) -> tuple[tuple[Shift, int, date], ...]:
        """Each shift in time order with its age and day, as ``applicable`` reads them
        for every scope of rules."""
        ages, day = self.ages, self.day
        return tuple((s, ages[s.index], day[s.index]) for s in self.chronological)

    @cached_property
    def _memo(self) -> dict[Any, Any]:
        return {}

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """A fact several evaluators need, computed once per case."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    @cached_property
    def _act_exemptions(self) -> tuple[Rule, ...]:
        """Rules that switch a whole Act off (206/20(e) for school-directed WBL)."""
        return tuple(r for r in self.rules.rules() if r.check == "act_exemption")

    def act_exempt(self, act: str | None, age: int, day: date) -> bool:
        program = self.case.intern.program
        return act is not None and any(
            r.params["exempts_act"] == act and r.applies(age, day, program)
            for r in self._act_exemptions
        )

    @cached_property
    def _exempt_cache(self) -> dict[str | None, frozenset[int]]:
        return {}

    def exempt_shifts(self, act: str | None) -> frozenset[int]:
        """Shifts an Act does not reach."""
        if act not in self._exempt_cache:
            self._exempt_cache[act] = frozenset(
                s.index
                for s in self.case.shifts
                if self.act_exempt(act, self.ages[s.index], self.day[s.index])
            )
        return self._exempt_cache[act]

    @cached_property
    def _applicable_cache(self) -> dict[tuple[Any, ...], list[Shift]]:
        return {}

    def applicable(self, rule: Rule) -> list[Shift]:
        """The rule's shifts, in time order (shared by rules with the same scope)."""
        scope = rule.scope
        found = self._applicable_cache.get(scope)
        if found is None:
            program = self.case.intern.program
            skip = self.exempt_shifts(rule.act)
            found = [
                s
                for s, age, on in self._dated
                if s.index not in skip and rule.applies(age, on, program)
            ]
            self._applicable_cache[scope] = found
        return found

    def calendar_for(self, rule: Rule) -> dict[date, tuple[time, time]]:
        """School days and hours come from the district where the intern lives; only
        Illinois' school-plus-work cap counts the hours the intern actually attends."""
        if rule.check == "combined_school_work":
            return dict(self.case.attended)
        return dict(self.case.school_days or {})

    def finding(
        self,
        rule: Rule,
        shift: Shift | None,
        *,
        severity: str | None = None,
        window: tuple[Any, Any] | None = None,
        variant: str | None = None,
        **facts: Any,
    ) -> Finding:
        """A finding of ``rule`` worded by its ``explain`` (or the named ``variant``),
        whose placeholders ``facts`` fill; a shift's finding also knows its day (its work
        period's) and the intern's age on it."""
        on = None
        if shift is not None:
            on = self.day[shift.index]
            facts.setdefault(AGE, self.ages[shift.index])
            facts.setdefault("date", on.isoformat())
        template = rule.id if variant is None else f"{rule.id}.{variant}"
        if template not in rule.templates:
            raise PackError(f"rule {rule.id} has no message variant {variant!r}")
        return Finding(
            rule=rule.id,
            category=rule.category,
            severity=severity or rule.severity,
            shift=shift.index if shift else None,
            date=on,
            jurisdiction=rule.jurisdiction,
            citation=rule.citation,
            verification=rule.verification,
            template=template,
            params={name: _plain(name, value) for name, value in facts.items()},
            window=window,
        )

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules.rules():
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


def _plain(name: str, value: Any) -> Any:
    """A finding parameter as stored: a plain JSON value (a date as ISO text)."""
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"finding parameter {name} is a {type(value).__name__}, not a plain value")
