"""The plants' closure calendar: days a worksite (or every worksite) is closed.

Recurring shifts skip these days as they skip the school district's days without
school, and no shift may be planned on one (``services/schedules.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import NotFound
from internhost.core.models import PlantClosure, Worksite
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id

REASON_MAX = 200


@dataclass(frozen=True)
class ClosureInput:
    day: date | None
    #: None: every worksite is closed that day.
    worksite_id: int | None = None
    reason: str = ""


def _row(closure: PlantClosure, sites: dict[int, str]) -> dto.ClosureRow:
    site = sites.get(closure.worksite_id, "") if closure.worksite_id else ""
    return dto.ClosureRow(closure.id, closure.day, closure.worksite_id, site, closure.reason)


def _site_names(s: Session) -> dict[int, str]:
    return {i: name for i, name in s.execute(select(Worksite.id, Worksite.name))}


def list_closures(
    s: Session,
    actor: Actor,
    *,
    worksite_id: int | None = None,
    first: date | None = None,
    last: date | None = None,
) -> list[dto.ClosureRow]:
    """Closures in date order: of one worksite (with those of every worksite) or all,
    between ``first`` and ``last`` when given."""
    require(actor, Permission.READ_RECORDS)
    stmt = select(PlantClosure).order_by(PlantClosure.day, PlantClosure.id)
    if worksite_id is not None:
        stmt = stmt.where(
            or_(PlantClosure.worksite_id == worksite_id, PlantClosure.worksite_id.is_(None))
        )
    if first is not None:
        stmt = stmt.where(PlantClosure.day >= first)
    if last is not None:
        stmt = stmt.where(PlantClosure.day <= last)
    sites = _site_names(s)
    return [_row(c, sites) for c in s.scalars(stmt)]


def add_closure(s: Session, actor: Actor, data: ClosureInput) -> dto.ClosureRow:
    """Record a day a worksite, or every worksite, is closed."""
    require(actor, Permission.EDIT_RECORDS)
    check = Checker()
    day = check.work_date("day", data.day, required=True)
    reason = check.text("reason", data.reason, max_len=REASON_MAX)
    if data.worksite_id is not None and by_id(s, Worksite, data.worksite_id) is None:
        check.fail("worksite", f"no worksite with id {data.worksite_id}")
    check.done()
    same = select(PlantClosure.id).where(PlantClosure.day == day)
    same = same.where(
        PlantClosure.worksite_id.is_(None)
        if data.worksite_id is None
        else PlantClosure.worksite_id == data.worksite_id
    )
    if s.scalar(same) is not None:
        check.fail("day", f"{day} is already recorded as a closure")
        check.done()
    audit.label(s, "add plant closure")
    closure = PlantClosure(worksite_id=data.worksite_id, day=day, reason=reason)
    s.add(closure)
    s.flush()
    return _row(closure, _site_names(s))


def remove_closure(s: Session, actor: Actor, closure_id: int) -> None:
    """Open the plant again on a day recorded as closed."""
    require(actor, Permission.EDIT_RECORDS)
    closure = by_id(s, PlantClosure, closure_id)
    if closure is None:
        raise NotFound(f"no plant closure with id {closure_id}")
    audit.label(s, "remove plant closure")
    s.delete(closure)
    s.flush()
