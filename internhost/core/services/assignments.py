"""What a placement says the intern will do: worksite areas, tasks of the task catalog
and machines of the equipment register (``PlacementAssignment``).

The placement check reads them as the engine's task facts before any shift exists
(``case_facts.assignment_tasks``). An assignment's ``details`` are the facts an
exemption or a task's conditions ask about (direct supervision for the
student-learner and apprentice exemptions, a vehicle's weight for HO 2), by the
names the rule packs give them: a fact no pack asks about is refused, not stored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core import dto
from internhost.core.models import Area, Equipment, Placement, PlacementAssignment
from internhost.core.rules.guidance import who_may
from internhost.core.rules.packs import load_rules
from internhost.core.validation import Checker, by_id

#: The most things one placement may assign: a whole plant's register is a typo.
MAX_ASSIGNMENTS = 200
#: The longest text a detail may hold.
DETAIL_TEXT_MAX = 200


@dataclass(frozen=True)
class AssignmentInput:
    """One thing a placement assigns: exactly one of an area of its worksite, a task
    of the catalog or a machine of its worksite, with the facts the packs ask of it."""

    area_id: int | None = None
    task_key: str | None = None
    equipment_id: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@cache
def detail_facts() -> dict[str, str]:
    """The task facts a pack asks about (name -> how it words it): each exemption's
    task fact, and each fact a task's conditions require of the task itself."""
    rules = load_rules(None)
    facts = {ex.task_fact: ex.task_fact.replace("_", " ") for ex in rules.exemptions.values()}
    for rule in rules.rules():
        if rule.check == "conditions":
            for name, spec in rule.params["require"].items():
                if spec.get("source") != "driver":
                    facts.setdefault(name, spec.get("says", name.replace("_", " ")))
    return facts


def _plausible_number(value: object) -> bool:
    """A weight, a count: a finite number well inside what JSON and SQLite hold."""
    return isinstance(value, int | float) and abs(value) < 10**9


def _checked_details(check: Checker, where: str, details: object) -> dict[str, Any]:
    if not isinstance(details, Mapping):
        check.fail(f"{where}.details", "is not a set of named facts")
        return {}
    known = detail_facts()
    out: dict[str, Any] = {}
    for name, value in details.items():
        if name not in known:
            check.fail(f"{where}.details", f"{name!r} is not a fact the rule packs ask about")
        elif value is None or isinstance(value, bool) or _plausible_number(value):
            out[name] = value
        elif isinstance(value, str):
            out[name] = check.text(f"{where}.details", value, max_len=DETAIL_TEXT_MAX)
        else:
            check.fail(f"{where}.details", f"{name} is not yes/no, a number or a short text")
    return out


def checked_assignments(
    s: Session,
    check: Checker,
    worksite_id: int | None,
    items: Sequence[AssignmentInput],
    current: Placement | None,
) -> list[dict[str, Any]]:
    """The assignment rows to store for a placement at ``worksite_id``, each problem
    noted under ``assignments[i]``. An archived machine stays if the placement has it
    already, but is not newly assigned."""
    given: object = items  # from a form or a caller: checked, not trusted
    if not isinstance(given, Sequence) or isinstance(given, str):
        check.fail("assignments", "is not a list of areas, tasks and machines")
        return []
    if len(items) > MAX_ASSIGNMENTS:
        check.fail("assignments", f"may hold at most {MAX_ASSIGNMENTS} areas, tasks and machines")
        return []
    held = {a.equipment_id for a in current.assignments} if current is not None else set()
    catalog = load_rules(None).tasks
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, object]] = set()
    for i, item in enumerate(items):
        where = f"assignments[{i}]"
        if not isinstance(item, AssignmentInput):
            check.fail(where, "is not an area, a task or a machine")
            continue
        given = [
            (k, v)
            for k, v in (
                ("area", item.area_id),
                ("task", item.task_key),
                ("machine", item.equipment_id),
            )
            if v is not None
        ]
        if len(given) != 1:
            check.fail(where, "names exactly one area, task or machine")
            continue
        kind, value = given[0]
        if (kind, value) in seen:
            check.fail(where, f"assigns the same {kind} twice")
            continue
        seen.add((kind, value))
        details = _checked_details(check, where, item.details)
        if kind == "task":
            if not isinstance(value, str) or value not in catalog:
                check.fail(where, f"{value!r} is not in the task catalog")
                continue
        elif not _place_ok(s, check, where, kind, value, worksite_id, held):
            continue
        rows.append(
            {
                "area_id": item.area_id,
                "task_key": item.task_key,
                "equipment_id": item.equipment_id,
                "details": details,
            }
        )
    return rows


def _place_ok(
    s: Session,
    check: Checker,
    where: str,
    kind: str,
    value: object,
    worksite_id: int | None,
    held: set[int | None],
) -> bool:
    """An area or a machine of the placement's worksite."""
    found: Area | Equipment | None = (
        by_id(s, Area, value) if kind == "area" else by_id(s, Equipment, value)
    )
    if found is None:
        check.fail(where, f"no {kind} with id {value!r}")
        return False
    if worksite_id is None:
        check.fail(where, f"choose the worksite before its {kind}s")
        return False
    if found.worksite_id != worksite_id:
        check.fail(where, f"{found.name} is not at the placement's worksite")
        return False
    if isinstance(found, Equipment) and found.archived_at is not None and found.id not in held:
        check.fail(where, f"{found.name} is archived")
        return False
    return True


def write_assignments(s: Session, placement: Placement, rows: Sequence[dict[str, Any]]) -> None:
    """Make the placement's assignments ``rows``: kept ones keep their id (their
    details updated), the others go or are added."""
    current = {_key(a.area_id, a.task_key, a.equipment_id): a for a in placement.assignments}
    wanted = []
    for row in rows:
        kept = current.get(_key(row["area_id"], row["task_key"], row["equipment_id"]))
        if kept is None:
            kept = PlacementAssignment(**row)
        elif kept.details != row["details"]:
            kept.details = row["details"]
        wanted.append(kept)
    placement.assignments = wanted


def _key(area_id: int | None, task_key: str | None, equipment_id: int | None) -> tuple[Any, ...]:
    return (area_id, task_key, equipment_id)


def as_inputs(placement: Placement) -> tuple[AssignmentInput, ...]:
    """The stored assignments as the form edits them."""
    return tuple(
        AssignmentInput(a.area_id, a.task_key, a.equipment_id, dict(a.details or {}))
        for a in sorted(placement.assignments, key=lambda a: a.id or 0)
    )


def assignment_options(s: Session, worksite_id: int | None) -> list[dto.AssignmentOption]:
    """What a placement at ``worksite_id`` may assign, for the editor's pickers: its
    areas, its machines (each with its tasks' "who may" wording) and every task of the
    catalog, each with who may do it."""
    catalog = load_rules(None).tasks
    out: list[dto.AssignmentOption] = []
    if worksite_id is not None:
        for area in s.scalars(
            select(Area).where(Area.worksite_id == worksite_id).order_by(Area.name)
        ):
            out.append(dto.AssignmentOption("area", area.id, area.name, area.kind.capitalize(), ""))
        for machine in s.scalars(
            select(Equipment)
            .where(Equipment.worksite_id == worksite_id)
            .order_by(Equipment.name, Equipment.id)
        ):
            keys = [t.task_key for t in machine.tasks if t.task_key in catalog]
            out.append(
                dto.AssignmentOption(
                    "machine",
                    machine.id,
                    machine.name + (" (archived)" if machine.archived_at else ""),
                    ", ".join(catalog[k].label for k in keys),
                    "; ".join(dict.fromkeys(who_may(k) for k in keys)),
                )
            )
    for task in sorted(catalog.values(), key=lambda t: t.label.casefold()):
        detail = f"HO {task.ho}" if task.ho else ""
        out.append(dto.AssignmentOption("task", task.key, task.label, detail, who_may(task.key)))
    return out
