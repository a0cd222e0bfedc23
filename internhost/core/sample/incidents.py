"""The sample's incidents: a near miss in the first term, closed by HR with every
notification done or not needed, and an injury in the term in progress still open,
its IDOL report due when the intern is young enough for one (the guardian and the
school were told)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from internhost.core.dates import age_on
from internhost.core.models import Area, Incident
from internhost.core.sample.generator import Generator
from internhost.core.sample.placements import PlacementPlan
from internhost.core.trail import audit

#: The near miss happened this many days after its placement began, late in a shift.
NEAR_MISS_AFTER_DAYS = 23
NEAR_MISS_AT = time(16, 40)
#: The injury happened on the intern's latest logged day, at this time.
INJURY_AT = time(17, 10)
#: HR closes an incident at the end of an office day (UTC).
OFFICE_CLOSE = time(17)


def add_incidents(
    gen: Generator, placements: list[PlacementPlan], days: dict[int, list[date]]
) -> None:
    rows = [row for row in (_near_miss(gen, placements), _injury(gen, placements, days)) if row]
    audit.bulk_insert(gen.s, Incident, rows)
    gen.count("incidents", len(rows))


def _area(gen: Generator, worksite_id: int, names: list[str]) -> int | None:
    """The worksite's area among ``names`` (the spec names one per worksite)."""
    return gen.s.scalar(
        select(Area.id).where(Area.worksite_id == worksite_id, Area.name.in_(names)).limit(1)
    )


def _near_miss(gen: Generator, placements: list[PlacementPlan]) -> dict[str, Any] | None:
    """One near miss, in the first placement of an intern old enough for the floor
    (one of the demo mentor's who has left, if any): the guardian and school told
    that day, the IDOL report not needed, closed. An intern who has left keeps their
    records past the retention period for it (``services.retention``)."""
    spec = gen.spec["mentoring"]["near_miss"]
    older = [p for p in placements if p.age >= gen.law.young_below]
    if not older:
        return None
    first_term = min(p.start for p in placements)
    later = {p.intern_id for p in placements if p.start > first_term}
    p = min(
        older,
        key=lambda q: (
            q.intern_id in later,
            q.mentor_id != gen.accounts.mentor_staff or q.ending is not None,
            q.id,
        ),
    )
    when = datetime.combine(p.start + timedelta(days=NEAR_MISS_AFTER_DAYS), NEAR_MISS_AT)
    site = p.row["worksite_id"]
    return {
        "placement_id": p.id,
        "kind": "near_miss",
        "occurred_at_local": when,
        "description": (
            "A pallet slid off the rack while the intern was walking the aisle; "
            "nobody was hurt. Aisle marking repainted."
        ),
        "worksite_id": site,
        "area_id": _area(gen, site, spec["areas"]),
        "reported_by": gen.accounts.hr,
        "told_whom": spec["told_whom"],
        "guardian_notified_on": when.date(),
        "school_notified_on": when.date(),
        "idol_not_needed": gen.spec["mentoring"]["idol_not_needed"],
        "osha_recordable": False,
        "status": "closed",
        "closed_at": datetime.combine(when.date() + timedelta(days=1), OFFICE_CLOSE, UTC),
        "closed_by": gen.accounts.hr,
    }


def _injury(
    gen: Generator, placements: list[PlacementPlan], days: dict[int, list[date]]
) -> dict[str, Any] | None:
    """A small injury on the latest logged day of a placement in progress, the
    demo mentor's youngest intern's (anyone's younger one first): the guardian told
    that day; for an intern young enough for the IDOL report the school the next day
    and the report still due, otherwise the report not needed and the school not
    yet told."""
    spec = gen.spec["mentoring"]["incident"]
    current = [p for p in placements if p.start <= gen.today <= p.end and days.get(p.id)]
    if not current:
        return None

    def young(p: PlacementPlan) -> bool:
        return age_on(p.birth_date, days[p.id][-1]) < gen.law.young_below

    p = min(current, key=lambda q: (not young(q), q.mentor_id != gen.accounts.mentor_staff, q.id))
    day = days[p.id][-1]
    site = p.row["worksite_id"]
    return {
        "placement_id": p.id,
        "kind": spec["kind"],
        "occurred_at_local": datetime.combine(day, INJURY_AT),
        "description": spec["description"],
        "worksite_id": site,
        "area_id": _area(gen, site, spec["areas"]),
        "body_part": spec["body_part"],
        "treatment": spec["treatment"],
        "reported_by": (
            gen.accounts.mentor if p.mentor_id == gen.accounts.mentor_staff else gen.accounts.hr
        ),
        "told_whom": spec["told_whom"],
        "guardian_notified_on": day,
        "school_notified_on": min(day + timedelta(days=1), gen.today) if young(p) else None,
        "idol_not_needed": None if young(p) else gen.spec["mentoring"]["idol_not_needed"],
        "osha_recordable": False,
        "status": "open",
    }
