"""The practical onboarding plan: an editable template, copied into each placement.

The template lives in the database (HR edits it on the Onboarding plan screen through
``template_for_edit`` and ``save_template``); ``resources/plans/default.toml`` seeds
it the first time it is needed, and ``reset_template_to_default`` brings the seed
back. A placement copies the template when it is created, so an edit changes the
plans of placements created afterwards, never the plans already copied. Copying is a
plain function over rows so the roster import can plan thousands of placements with
one bulk insert.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping, Sequence, Sized
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import islice
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from internhost.core.actor import Actor, Permission, require
from internhost.core.models import PlanItem, PlanTemplate, PlanTemplateItem
from internhost.core.models.enums import OWNER_ROLES, PLAN_PHASES
from internhost.core.trail import audit
from internhost.core.validation import Checker
from internhost.paths import resource

#: Due dates a template step may have, in days from the placement's start.
EARLIEST_DUE, LATEST_DUE = -90, 365
TITLE_MAX = 300
#: More steps than this is a template pasted by mistake, not a plan.
MOST_STEPS = 100


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


# -- editing the template


@dataclass(frozen=True)
class PlanStepInput:
    """One step of the template as the Onboarding plan screen edits it. A template's
    steps are a sequence: its order is the steps' order (within each phase)."""

    phase: str
    title: str
    owner_role: str
    #: Due date relative to the placement's start (negative: before day one).
    due_offset_days: int
    #: The stored step this row edits; None for a new step.
    id: int | None = None


@dataclass(frozen=True)
class PlanTemplateForm:
    name: str
    #: In position order: phase by phase, in the order HR gave within each.
    steps: tuple[PlanStepInput, ...]
    #: False: no template is stored yet, these are the seed's steps (saving stores them).
    stored: bool


def _stored(s: Session) -> PlanTemplate | None:
    return s.scalar(
        select(PlanTemplate)
        .where(PlanTemplate.is_default.is_(True))
        .options(selectinload(PlanTemplate.items))
    )


def _seed_steps() -> tuple[PlanStepInput, ...]:
    return tuple(
        PlanStepInput(item["phase"], item["title"], item["owner"], item["due_days"])
        for item in _seed()["items"]
    )


def _form(template: PlanTemplate) -> PlanTemplateForm:
    steps = tuple(
        PlanStepInput(i.phase, i.title, i.owner_role, i.due_offset_days, i.id)
        for i in sorted(template.items, key=lambda i: (i.position, i.id))
    )
    return PlanTemplateForm(template.name, steps, stored=True)


def template_for_edit(s: Session, actor: Actor) -> PlanTemplateForm:
    """The default template's steps, for the Onboarding plan screen. Only reads: where
    no template is stored yet, the seed's steps (without ids)."""
    require(actor, Permission.READ_RECORDS)
    template = _stored(s)
    if template is None:
        return PlanTemplateForm(_seed()["name"], _seed_steps(), stored=False)
    return _form(template)


def save_template(s: Session, actor: Actor, items: Iterable[PlanStepInput]) -> PlanTemplateForm:
    """Replace the template's steps by ``items`` (a list, or any iterable): a row with
    an id updates that step, a row without one adds a step, and a stored step no row
    names is deleted. Steps are kept phase by phase (before day one, day one, first
    weeks), in the order given within each. Errors name the row: ``items[2].title``;
    input that is no list of steps is an error of ``items``. Placements created
    afterwards get the new plan; the plans of existing placements stay as they are."""
    require(actor, Permission.EDIT_RECORDS)
    template = _stored(s)
    steps = _checked(items, {i.id for i in template.items} if template else set())
    audit.label(s, "save onboarding plan template")
    return _write(s, template, steps)


def reset_template_to_default(s: Session, actor: Actor) -> PlanTemplateForm:
    """Bring back the seed's steps (``resources/plans/default.toml``). A stored step
    with the same phase and title as a seed step is kept (and updated), so the plans
    already copied from it still point at it; the others are deleted."""
    require(actor, Permission.EDIT_RECORDS)
    template = _stored(s)
    current = {(i.phase, i.title.casefold()): i.id for i in template.items} if template else {}
    steps = [
        PlanStepInput(
            step.phase,
            step.title,
            step.owner_role,
            step.due_offset_days,
            current.pop((step.phase, step.title.casefold()), None),
        )
        for step in _seed_steps()
    ]
    audit.label(s, "reset onboarding plan template")
    return _write(s, template, steps)


def _rows(check: Checker, items: object) -> list[Any]:
    """``items`` as a list: any iterable of steps (a generator too), read no further
    than one step past ``MOST_STEPS``. None is no step; text, a mapping or anything
    else that is no list of steps is an error of ``items``."""
    if items is None:
        items = ()
    if isinstance(items, (str, bytes, bytearray, Mapping)) or not isinstance(items, Iterable):
        check.fail("items", "is not a list of steps")
        return []
    rows = list(islice(items, MOST_STEPS + 1))
    if not rows:
        check.fail("items", "add at least one step")
    elif len(rows) > MOST_STEPS:
        count = f"{len(items)}" if isinstance(items, Sized) else f"more than {MOST_STEPS}"
        check.fail("items", f"has {count} steps; a plan may have at most {MOST_STEPS}")
    return rows


def _checked(items: Iterable[PlanStepInput], stored_ids: set[int]) -> list[PlanStepInput]:
    """The rows cleaned and checked (every problem of every row, then one error)."""
    check = Checker()
    out: list[PlanStepInput] = []
    seen_titles: set[tuple[str, str]] = set()
    seen_ids: set[int] = set()
    for i, item in enumerate(_rows(check, items)):
        where = f"items[{i}]"
        if not isinstance(item, PlanStepInput):
            check.fail(where, "is not a step")
            continue
        phase = check.choice(f"{where}.phase", item.phase, PLAN_PHASES)
        title = check.name(f"{where}.title", item.title, required=True, max_len=TITLE_MAX)
        owner = check.choice(f"{where}.owner_role", item.owner_role, OWNER_ROLES)
        due = _days(check, f"{where}.due_offset_days", item.due_offset_days)
        if title and (phase, title.casefold()) in seen_titles:
            check.fail(f"{where}.title", f"{title!r} is listed twice in this phase")
        seen_titles.add((phase, title.casefold()))
        step_id = _step_id(check, f"{where}.id", item.id)
        if step_id is None:
            pass
        elif step_id not in stored_ids:
            check.fail(where, "is no longer in the template (someone changed it): revert")
        elif step_id in seen_ids:
            check.fail(where, "is listed twice")
        else:
            seen_ids.add(step_id)
        out.append(PlanStepInput(phase, title, owner, due, step_id))
    check.done()
    return out


def _step_id(check: Checker, field: str, value: object) -> int | None:
    """The id of the stored step a row edits; None for a new step, or when ``value``
    is no id (a list, which could not even be looked up: unhashable)."""
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        check.fail(field, "is not a step's id")
        return None
    return value


def _days(check: Checker, field: str, value: object) -> int:
    if value is None:
        check.fail(field, "is required")
        return 0
    if not isinstance(value, int) or isinstance(value, bool):
        check.fail(field, "is not a whole number of days")
        return 0
    if not EARLIEST_DUE <= value <= LATEST_DUE:
        check.fail(
            field,
            f"must be within {-EARLIEST_DUE} days before and {LATEST_DUE} days after the start",
        )
    return value


def _write(
    s: Session, template: PlanTemplate | None, steps: Sequence[PlanStepInput]
) -> PlanTemplateForm:
    """Store checked ``steps`` as the template's, through the ORM (each insert, update
    and delete is audited), ordered phase by phase."""
    if template is None:
        template = PlanTemplate(name=_seed()["name"], is_default=True)
        s.add(template)
    existing = {item.id: item for item in template.items}
    order = {phase: n for n, phase in enumerate(PLAN_PHASES)}
    ordered = sorted(enumerate(steps), key=lambda pair: (order[pair[1].phase], pair[0]))
    kept: list[PlanTemplateItem] = []
    for position, (_index, step) in enumerate(ordered):
        item = existing.pop(step.id, None) if step.id is not None else None
        item = item or PlanTemplateItem()
        item.position = position
        item.phase, item.title = step.phase, step.title
        item.owner_role, item.due_offset_days = step.owner_role, step.due_offset_days
        kept.append(item)
    template.items = kept
    for removed in existing.values():  # explicitly, so each delete is audited as one
        s.delete(removed)
    s.flush()
    return _form(template)
