"""The queue's kinds from mentorship (issue 14): incidents still open, concerns HR has
not answered, check-ins and evaluations due, action items due. Registered like the
kinds of ``queue_kinds``; each reads stored rows only.

Incidents and concerns are "at once": they head the queue, undated, until HR records
what was done (an incident closed, a concern resolved)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, null, select

from internhost.core.models import Incident, Intern, Placement
from internhost.core.services.interns import visible_placements
from internhost.core.services.queue_kinds import _more
from internhost.core.services.queue_registry import KINDS, Context


@KINDS.query(
    "incident",
    target="incidents",
    at_once=True,
    word=lambda f, ctx: "Open incident: " + _more(f, "incident", "incidents"),
)
def _incident(ctx: Context) -> Select[*tuple[Any, ...]]:
    """Open incidents, on any placement (an ended one's incident is still open work)."""
    stmt = (
        select(
            Placement.intern_id.label("intern_id"),
            Incident.placement_id.label("placement_id"),
            null().label("due"),
            Incident.id.label("record_id"),
            func.replace(Incident.kind, "_", " ").label("label"),
        )
        .join(Placement, Placement.id == Incident.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(Incident.status == "open", Intern.archived_at.is_(None))
    )
    return visible_placements(stmt, ctx.actor)
