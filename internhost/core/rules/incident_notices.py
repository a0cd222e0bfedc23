"""Who must be told of an incident (LEGAL.md C19, §2.3), from the checklist pack's
``[[incident_notices]]`` alone: the guardian, the school and, for an Illinois minor the
Act covers, the IDOL report. Pure: the facts of the incident in, the notices out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from internhost.core.rules.checklist import exempted
from internhost.core.rules.packs import PackError, load_pack

#: The notices an incident records (one date and one not-needed reason column each).
NOTICE_KEYS = ("guardian", "school", "idol")


@dataclass(frozen=True)
class Notice:
    key: str
    title: str
    citation: str
    verification: str
    #: Guidance shown beside it (e.g. that its deadline is unverified).
    note: str


@cache
def _notices() -> tuple[tuple[Notice, dict[str, Any]], ...]:
    out = []
    for raw in load_pack("checklist").raw.get("incident_notices", ()):
        try:
            notice = Notice(
                raw["key"], raw["title"], raw["citation"], raw["verification"], raw["note"]
            )
            conditions = {
                "kinds": frozenset(raw["kinds"]),
                "ages": (int(raw["ages"][0]), int(raw["ages"][1])),
                "states": frozenset(raw["states"]) if "states" in raw else None,
                "exempt": raw.get("exempt"),
            }
        except KeyError as exc:
            raise PackError(f"an incident notice in the checklist pack lacks {exc}") from exc
        if notice.key not in NOTICE_KEYS:
            raise PackError(f"incident notice {notice.key!r} is not one of {NOTICE_KEYS}")
        out.append((notice, conditions))
    return tuple(out)


def all_notices() -> tuple[Notice, ...]:
    """Every notice the pack knows, in its order."""
    return tuple(n for n, _ in _notices())


def required_notices(
    kind: str, age: int, day: date, state: str | None, program: str
) -> tuple[Notice, ...]:
    """The notices an incident of ``kind`` needs, for an intern aged ``age`` on its
    ``day``, where it happened (``state``), in the placement's ``program``."""
    out = []
    for notice, when in _notices():
        low, high = when["ages"]
        if kind not in when["kinds"] or not low <= age <= high:
            continue
        if when["states"] is not None and state not in when["states"]:
            continue
        if exempted(when["exempt"], state, program, ((age, day),)):
            continue
        out.append(notice)
    return tuple(out)
