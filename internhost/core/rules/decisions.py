"""What a finding blocks and what HR may decide about it, read from the ``decisions``
pack (``resources/rules/decisions.toml``): one table for placements, planned shifts
and the acknowledge/override dialog, so no screen or service decides it on its own.

A violation is judged by its category's class and its rule's verification; warnings
and advisories block nothing and are acknowledged. Logged hours are never blocked:
``blocks`` is what a finding keeps from being *saved*, and a logged entry records
what happened (its findings are decided afterwards, like any other).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from internhost.core.models.enums import FINDING_CATEGORIES, SEVERITIES
from internhost.core.rules.packs import PackError, load_pack

PACK = "decisions"
#: What a finding can keep from being saved.
BLOCKABLE = ("placement", "plan", "activation")
#: What HR may record about a finding.
DECISIONS = ("none", "override", "acknowledge")
#: What a decision's written reason must name.
REASONS = ("written", "evidence")


@dataclass(frozen=True)
class Decision:
    """What one finding blocks and what HR may do about it, in words for the user."""

    blocks: frozenset[str]
    #: "none" (fix the facts or record an exemption), "override" or "acknowledge".
    decision: str
    #: "written", or "evidence" when the reason must name the evidence relied on.
    reason: str
    advice: str
    #: The table's row, for the user: "Minimum age, 14–15 occupations, …".
    title: str

    def stops(self, what: str) -> bool:
        """Does the finding keep ``what`` ("placement", "plan", "activation") from being saved?"""
        if what not in BLOCKABLE:
            raise ValueError(f"unknown thing to block: {what!r}")
        return what in self.blocks

    @property
    def may_override(self) -> bool:
        return self.decision == "override"

    @property
    def may_acknowledge(self) -> bool:
        return self.decision == "acknowledge"


@dataclass(frozen=True)
class _Table:
    by_category: dict[str, tuple[Decision, Decision]]  # (verified, unverified)
    advisories: Decision
    advisory_severities: frozenset[str]


def _decision(raw: Any, title: str, where: str) -> Decision:
    try:
        blocks = frozenset(raw["blocks"])
        decision, reason = raw["decision"], raw.get("reason", "written")
        advice = raw["advice"]
    except (KeyError, TypeError) as exc:
        raise PackError(f"{PACK}: {where} lacks {exc}") from exc
    if not blocks <= set(BLOCKABLE):
        raise PackError(f"{PACK}: {where} blocks {sorted(blocks - set(BLOCKABLE))}")
    if decision not in DECISIONS or reason not in REASONS:
        raise PackError(f"{PACK}: {where} has decision {decision!r}, reason {reason!r}")
    return Decision(blocks, decision, reason, advice, title)


@cache
def _table() -> _Table:
    raw = load_pack(PACK).raw
    by_category: dict[str, tuple[Decision, Decision]] = {}
    for row in raw.get("classes", []):
        title = row["title"]
        pair = (
            _decision(row.get("verified"), title, f"class {row['key']} verified"),
            _decision(row.get("unverified"), title, f"class {row['key']} unverified"),
        )
        for category in row["categories"]:
            if category in by_category:
                raise PackError(f"{PACK}: category {category} is in two classes")
            by_category[category] = pair
    missing = set(FINDING_CATEGORIES) - set(by_category)
    if missing:
        raise PackError(f"{PACK}: no class for the categories {sorted(missing)}")
    advisories = raw["advisories"]
    severities = frozenset(advisories["severities"])
    if not severities < set(SEVERITIES):
        raise PackError(f"{PACK}: advisories name severities {sorted(severities)}")
    return _Table(by_category, _decision(advisories, advisories["title"], "advisories"), severities)


def decision_for(category: str, severity: str, verification: str) -> Decision:
    """The row of the table for a finding of ``category`` and ``severity`` whose rule is
    marked ``verification`` ("V", or "S"/"M" for an unverified rule)."""
    table = _table()
    if severity in table.advisory_severities:
        return table.advisories
    try:
        verified, unverified = table.by_category[category]
    except KeyError:
        raise ValueError(f"unknown finding category: {category!r}") from None
    return verified if verification == "V" else unverified
