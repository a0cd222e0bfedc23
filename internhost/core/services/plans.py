"""The practical onboarding plan: an editable template, copied into each placement.

The template lives in the database (HR edits it); ``resources/plans/default.toml``
seeds it the first time it is needed. Copying is a plain function over rows so the
roster import can plan thousands of placements with one bulk insert.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from internhost.core import audit
from internhost.core.actor import Actor, Permission, require
from internhost.core.models import PlanItem, PlanTemplate, PlanTemplateItem
from internhost.paths import resource


@cache
def _seed() -> dict[str, Any]:
    with resource("plans", "default.toml").open("rb") as fh:
        return tomllib.load(fh)


def default_template(s: Session, actor: Actor) -> PlanTemplate:
    """The default template, created from the seed file the first time."""
    template = s.scalar(
        select(PlanTemplate)
        .where(PlanTemplate.is_default.is_(True))
        .options(selectinload(PlanTemplate.items))
    )
    if template is not None:
        return template
    require(actor, Permission.EDIT_RECORDS)
    seed = _seed()
    template = PlanTemplate(
        name=seed["name"],
        is_default=True,
        items=[
            PlanTemplateItem(
                position=i,
                phase=item["phase"],
                title=item["title"],
                owner_role=item["owner"],
                due_offset_days=item["due_days"],
            )
            for i, item in enumerate(seed["items"])
        ],
    )
    s.add(template)
    s.flush()
    return template


def plan_rows(
    items: Sequence[PlanTemplateItem], placement_id: int, start: date
) -> list[dict[str, Any]]:
    """PlanItem rows (for ``audit.bulk_insert``) copying ``items`` for one placement."""
    return plan_copier(items)(placement_id, start)


def plan_copier(items: Sequence[PlanTemplateItem]) -> Callable[[int, date], list[dict[str, Any]]]:
    """``plan_rows`` for many placements: the template items are read once."""
    copies = [
        (
            {
                "template_item_id": item.id,
                "position": item.position,
                "phase": item.phase,
                "title": item.title,
                "owner_role": item.owner_role,
            },
            timedelta(days=item.due_offset_days),
        )
        for item in items
    ]

    def rows(placement_id: int, start: date) -> list[dict[str, Any]]:
        return [
            {"placement_id": placement_id, **fixed, "due_date": start + due, "status": "open"}
            for fixed, due in copies
        ]

    return rows


def plan_placements(s: Session, actor: Actor, placements: Sequence[tuple[int, date]]) -> int:
    """Give each (placement id, start date) the default plan; how many items were made."""
    require(actor, Permission.EDIT_RECORDS)
    copy = plan_copier(default_template(s, actor).items)
    rows = [row for pid, start in placements for row in copy(pid, start)]
    audit.bulk_insert(s, PlanItem, rows)
    return len(rows)
