"""A placement's status as its findings allow it (issue 13's decisions table, read
through ``rules.decisions``; never restated here).

A finding that blocks a placement (minimum age, 14–15 occupations, hazardous
orders) keeps it a draft, whatever was asked; one that blocks activation (hours,
wage, documents) keeps a placement that is not yet active from becoming active. A
finding HR overrode blocks nothing. A placement that ended (completed, terminated)
keeps its status: it records what happened. The draft's note says why, in the words
every role may read (age bands, not ages).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from internhost.core.rules.decisions import decision_for
from internhost.core.rules.messages import Renderable, render
from internhost.core.rules.templates import View

#: The statuses a placement's findings can hold back; the others record an ending.
HELD_BACK = ("draft", "active")
#: The longest draft note kept: the first reasons are the ones to fix first.
NOTE_MAX = 2000


class Judged(Renderable, Protocol):
    """A finding as the engine returns it or as it is stored."""

    @property
    def category(self) -> str: ...
    @property
    def severity(self) -> str: ...


def blocked(findings: Iterable[Judged], what: str) -> list[str]:
    """Why the findings keep ``what`` ("placement", "activation") from being saved:
    each blocking finding's message and what to do about it, once each."""
    reasons: dict[str, None] = {}
    for finding in findings:
        decision = decision_for(finding.category, finding.severity, finding.verification)
        if decision.stops(what):
            reasons[f"{render(finding, View.BAND)} {decision.advice}"] = None
    return list(reasons)


def settle(
    requested: str, note: str, was_active: bool, findings: Iterable[Judged]
) -> tuple[str, str]:
    """The status and note a placement gets when saved asking for ``requested`` (with
    HR's ``note``): ``findings`` are its own, those HR overrode left out."""
    if requested not in HELD_BACK:
        return requested, note
    judged = list(findings)
    why = blocked(judged, "placement")
    if not why and requested == "active" and not was_active:
        why = blocked(judged, "activation")
    if why:
        text = "Kept as a draft: " + " ".join(why)
        return "draft", text if len(text) <= NOTE_MAX else text[: NOTE_MAX - 1] + "…"
    return requested, note if requested == "draft" else ""
