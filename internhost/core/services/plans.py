"""The practical onboarding plan: an editable template, copied into each placement.

The template lives in the database (HR edits it); ``resources/plans/default.toml``
seeds it the first time it is needed. Copying is a plain function over rows so the
roster import can plan thousands of placements with one bulk insert.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
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
    """The default template, created from the seed file the first time (which only a
    role that may edit records does)."""
    require(actor, Permission.READ_RECORDS)
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
    return [
        {
            "placement_id": placement_id,
            "template_item_id": item.id,
            "position": item.position,
            "phase": item.phase,
            "title": item.title,
            "owner_role": item.owner_role,
            "due_date": start + timedelta(days=item.due_offset_days),
            "status": "open",
        }
        for item in items
    ]


def plan_columns(
    items: Sequence[PlanTemplateItem], placements: Sequence[tuple[int, date]]
) -> dict[str, list[Any]]:
    """``plan_rows`` for many (placement id, start date), column by column (for
    ``audit.bulk_insert_columns``): a few list extensions per placement."""
    fixed = [(item.id, item.position, item.phase, item.title, item.owner_role) for item in items]
    offsets = [timedelta(days=item.due_offset_days) for item in items]
    names = ("template_item_id", "position", "phase", "title", "owner_role")
    same = dict(zip(names, zip(*fixed, strict=True), strict=True)) if fixed else {}
    columns: dict[str, list[Any]] = {
        "placement_id": [],
        **{name: [] for name in names},
        "due_date": [],
        "status": [],
    }
    due_on: dict[date, list[date]] = {}
    count = len(fixed)
    for placement_id, start in placements:
        dues = due_on.get(start)
        if dues is None:
            dues = due_on[start] = [start + offset for offset in offsets]
        columns["placement_id"] += [placement_id] * count
        for name, values in same.items():
            columns[name] += values
        columns["due_date"] += dues
    columns["status"] = ["open"] * len(columns["placement_id"])
    return columns


def plan_placements(s: Session, actor: Actor, placements: Sequence[tuple[int, date]]) -> int:
    """Give each (placement id, start date) the default plan; how many items were made."""
    require(actor, Permission.EDIT_RECORDS)
    columns = plan_columns(default_template(s, actor).items, placements)
    return len(audit.bulk_insert_columns(s, PlanItem, columns))
