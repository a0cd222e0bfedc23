"""What a check returns: findings, each naming its rule, numbers and citation.

A finding's message is data, its template's id and parameters, rendered when it is
read (``rules/messages.py``): the command line reads it with exact ages, a stored
finding is read by whoever opens it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from internhost.core.rules.messages import ALSO, NOTE, render
from internhost.core.rules.templates import View

SEVERITY_ORDER = {"violation": 0, "warning": 1, "advisory": 2}


@dataclass(frozen=True)
class Finding:
    rule: str
    category: str
    severity: str
    shift: int | None
    date: date | None
    jurisdiction: str
    citation: str
    verification: str
    #: The message template's id in the rule packs (``<rule id>`` or ``<rule id>.<variant>``).
    template: str
    #: Its parameters: plain JSON values, the intern's age as an int under ``templates.AGE``.
    params: Mapping[str, Any]
    #: The span the finding is about (a day, a week, a 24-hour window), for stable identity.
    window: tuple[datetime, datetime] | None = None

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.shift is not None,
            self.shift if self.shift is not None else -1,
            SEVERITY_ORDER[self.severity],
            self.rule,
        )

    def identity(self, shift_ref: str | None = None) -> str:
        """Stable across re-checks: rule, what it is about, and its window."""
        subject = shift_ref or (f"shift:{self.shift}" if self.shift is not None else "case")
        span = (
            ""
            if self.window is None
            else f"{self.window[0]:%Y-%m-%dT%H:%M}/{self.window[1]:%Y-%m-%dT%H:%M}"
        )
        return f"{self.rule}|{subject}|{span}"

    @property
    def message(self) -> str:
        """The message with exact ages, as the command line shows it."""
        return render(self, View.EXACT)

    def _parts(self) -> list[dict[str, Any]]:
        own = {k: v for k, v in self.params.items() if k not in (ALSO, NOTE)}
        return [{"template": self.template, "params": own}, *self.params.get(ALSO, ())]

    def merge(self, other: Finding) -> Finding:
        """One finding carrying both messages, at the graver severity."""
        graver = min(self.severity, other.severity, key=SEVERITY_ORDER.__getitem__)
        if other._parts() == self._parts():
            return replace(self, severity=graver)
        also = [*self.params.get(ALSO, ()), *other._parts()]
        return replace(self, severity=graver, params={**self.params, ALSO: also})

    def as_warning(self, note: str) -> Finding:
        return replace(self, severity="warning", params={**self.params, NOTE: note})

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "category": self.category,
            "severity": self.severity,
            "shift": self.shift,
            "date": self.date.isoformat() if self.date else None,
            "jurisdiction": self.jurisdiction,
            "citation": self.citation,
            "verification": self.verification,
            "message": self.message,
        }


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    rule_packs: dict[str, str] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, int]:
        counts = {"violations": 0, "warnings": 0, "advisories": 0}
        plural = {"violation": "violations", "warning": "warnings", "advisory": "advisories"}
        for f in self.findings:
            counts[plural[f.severity]] += 1
        return counts

    @property
    def has_violation(self) -> bool:
        return any(f.severity == "violation" for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "findings": [f.to_json() for f in self.findings],
            "summary": self.summary,
            "rule_packs": dict(self.rule_packs),
        }
