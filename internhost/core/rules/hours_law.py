"""The numbers the hours screens and the payroll export count against, from the packs.

Not rules that make findings: the Career Development Experience an endorsement
needs (the checklist pack, LEGAL.md §3.2) and the weekly hours after which
overtime is paid (the wage pack, §2.9). Each carries its citation and marker so a
screen can show where the number comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from internhost.core.rules.packs import PackError, load_pack


@dataclass(frozen=True)
class CdeTarget:
    """A Career Development Experience: ``total_hours`` across the experiences that
    count, each of at least ``min_experience_hours``."""

    total_hours: int
    min_experience_hours: int
    citation: str
    verification: str


@dataclass(frozen=True)
class OvertimeRule:
    """Hours over ``weekly_hours`` in a workweek are overtime."""

    weekly_hours: int
    multiplier: float
    citation: str
    verification: str


@cache
def cde_target() -> CdeTarget:
    raw = load_pack("checklist").raw.get("career_development_experience") or {}
    try:
        return CdeTarget(
            int(raw["total_hours"]),
            int(raw["min_experience_hours"]),
            raw["citation"],
            raw["verification"],
        )
    except (KeyError, TypeError) as exc:
        raise PackError(f"the checklist pack's career_development_experience lacks {exc}") from exc


@cache
def overtime_rule() -> OvertimeRule:
    raw = load_pack("wage").raw.get("overtime") or {}
    try:
        return OvertimeRule(
            int(raw["weekly_hours"]), float(raw["multiplier"]), raw["citation"], raw["verification"]
        )
    except (KeyError, TypeError) as exc:
        raise PackError(f"the wage pack's overtime lacks {exc}") from exc
