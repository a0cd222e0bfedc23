"""The day's work for each role: the queue of what needs doing, most urgent first.

One item per intern per kind of work (``dto.QUEUE_KINDS``), each naming where to
act. Every kind is one small query registered in ``queue_kinds`` (how to add one:
``queue_registry``); this module asks each for its count and its most urgent items
and merges them. It reads stored due dates and stored findings only: never
recomputes hours. A mentor gets only their interns (``visible_placements``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.collection import cycle_collection_paused
from internhost.core.models import Employer
from internhost.core.services import (  # noqa: F401  (register the kinds)
    queue_kinds,
    queue_mentoring,
)
from internhost.core.services.queue_registry import KINDS, Context, Found, Kind
from internhost.core.validation import Checker

DEFAULT_LIMIT = dto.QUEUE_LIMIT
MAX_LIMIT = 10_000


def read_queue(s: Session, actor: Actor, today: date, limit: int = DEFAULT_LIMIT) -> dto.Queue:
    """``actor``'s queue on ``today``: counts per kind, and at most ``limit`` items,
    the most urgent first (concerns and incidents, then by due date, undated work as
    due today, then by kind and name)."""
    require(actor, Permission.READ_RECORDS)
    check = Checker()
    day = check.work_date("today", today, required=True)
    most = check.whole("limit", limit, low=1, high=MAX_LIMIT, required=True)
    check.done()
    assert day is not None and most is not None
    with cycle_collection_paused():  # thousands of rows read, no cycles made
        return _read(s, actor, day, most)


def _read(s: Session, actor: Actor, today: date, limit: int) -> dto.Queue:
    week_starts_on = s.scalar(select(Employer.workweek_start).limit(1)) or "sun"
    ctx = Context(s, actor, today, limit, week_starts_on)
    counts = dict.fromkeys(dto.QUEUE_KINDS, 0)
    merged: list[tuple[tuple[object, ...], dto.QueueItem]] = []
    for name in dto.QUEUE_KINDS:
        kind = KINDS.kinds.get(name)
        if kind is None:
            continue
        answer = kind.read(ctx)
        counts[name] = answer.count
        for f in answer.found:
            item = _item(kind, f, ctx)
            key = (not kind.at_once, f.due or today, dto.QUEUE_KINDS.index(name), f.sort_name)
            merged.append((key, item))
    merged.sort(key=lambda pair: (*pair[0], pair[1].intern_id))
    return dto.Queue(today, counts, tuple(item for _, item in merged[:limit]))


def _item(kind: Kind, f: Found, ctx: Context) -> dto.QueueItem:
    return dto.QueueItem(
        kind=kind.name,
        intern_id=f.intern_id,
        intern_name=f.intern_name,
        placement_id=f.placement_id,
        due=f.due,
        what=kind.word(f, ctx),
        target=kind.target,
        record_id=f.record_id,
        overdue=f.due is not None and f.due < ctx.today,
    )
