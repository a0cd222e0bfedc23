"""How far ahead work is listed as due: data in ``resources/queue/lead_times.toml``.

The queue of what needs doing (``services/queue.py``) and the intern's "rules change
soon" read these numbers; they are working habits HR may change, so they are data,
not constants in code. Read once per process; a bad file fails loudly, naming the key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType
from typing import Any

from internhost.paths import resource

FILE = ("queue", "lead_times.toml")


@dataclass(frozen=True)
class LeadTimes:
    checklist_days: int
    plan_step_days: int
    rule_change_days: int
    action_item_days: int
    #: Days of notice per document type; ``document_default_days`` for the others.
    document_days: MappingProxyType[str, int]
    document_default_days: int

    def document_cutoffs(self, today: date) -> tuple[dict[str, date], date]:
        """The latest expiry listed, per known type and for any other type."""
        by_type = {t: today + timedelta(days=n) for t, n in self.document_days.items()}
        return by_type, today + timedelta(days=self.document_default_days)


def _days(table: dict[str, Any], key: str, where: str) -> int:
    value = table.get(key)
    if type(value) is not int or not 0 <= value <= 3660:
        raise ValueError(f"{'/'.join(FILE)}: {where}.{key} must be a whole number of days")
    return value


@cache
def lead_times() -> LeadTimes:
    with resource(*FILE).open("rb") as fh:
        data = tomllib.load(fh)
    ahead, documents = dict(data.get("ahead", {})), dict(data.get("documents", {}))
    default = _days(documents, "default_days", "documents")
    return LeadTimes(
        checklist_days=_days(ahead, "checklist_days", "ahead"),
        plan_step_days=_days(ahead, "plan_step_days", "ahead"),
        rule_change_days=_days(ahead, "rule_change_days", "ahead"),
        action_item_days=_days(ahead, "action_item_days", "ahead"),
        document_days=MappingProxyType(
            {k: _days(documents, k, "documents") for k in documents if k != "default_days"}
        ),
        document_default_days=default,
    )
