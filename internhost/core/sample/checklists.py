"""The sample's legal checklists as HR keeps them: once the check has written each
placement's items, every item due by the load day is done (by ``hr``, on its due
day), with the placement's paper as its evidence where the spec says the item is
proved by one (without that paper it stays open), but a realistic handful left open
in the term in progress. Without
this the sample opened with every item open and nearly all overdue."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.models import ChecklistItem, Document, Placement
from internhost.core.trail import audit

#: HR ticks an item at the end of an office day (UTC).
OFFICE_CLOSE = time(17)


def complete_checklists(s: Session, spec: dict[str, Any], today: date, hr: int) -> int:
    """Tick the items due by ``today`` as the spec's ``[checklist]`` says; returns
    how many were ticked."""
    rules = spec["checklist"]
    current = list(
        s.scalars(
            select(Placement.id)
            .where(Placement.start_date <= today, Placement.end_date >= today)
            .order_by(Placement.id)
        )
    )
    kept_open = set(current[:: rules["open_every"]])
    papers = {pid: doc for pid, doc in s.execute(select(Document.placement_id, Document.id))}
    latest = today - timedelta(days=1)
    rows = [
        {
            "id": item_id,
            "status": "done",
            "completed_at": datetime.combine(min(due, latest), OFFICE_CLOSE, UTC),
            "completed_by": hr,
            "evidence_document_id": (
                papers.get(placement_id) if key in rules["evidence_documents"] else None
            ),
        }
        for item_id, placement_id, key, due in s.execute(
            select(
                ChecklistItem.id,
                ChecklistItem.placement_id,
                ChecklistItem.requirement_key,
                ChecklistItem.due_date,
            )
            .where(ChecklistItem.status == "open", ChecklistItem.retired_at.is_(None))
            .order_by(ChecklistItem.id)
        )
        if due is not None
        and due < today
        and not (placement_id in kept_open and key in rules["left_open"])
        # an item proved by a paper the placement lacks stays open
        and (key not in rules["evidence_documents"] or placement_id in papers)
    ]
    audit.bulk_update(s, ChecklistItem, rows)
    return len(rows)
