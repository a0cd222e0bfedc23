"""Who may tick which onboarding step or checklist item.

HR (a role that may edit records) changes every item. A mentor holds only the narrow
``TICK_OWN_STEPS``: the onboarding-plan steps a mentor owns on the placements they
mentor (or a step named for them), and the checklist items the packs give the
supervisor on placements they supervise. A placement records its supervisor on each
shift and time entry (the C8 rule reads them there), so a mentor supervises a
placement when they are recorded as the supervisor of one of its shifts or entries.
A mentor completes such an item or opens it again; waiving a legal requirement or
calling it not applicable stays HR's decision.

The services read ``step_rights`` once for the placements they show or change, and
ask it per item: the list rows say what the actor may do (the GUI enables by them),
and the change refuses with the reason.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission
from internhost.core.models import ChecklistItem, Placement, PlanItem, Shift, TimeEntry
from internhost.core.models.enums import CHECKLIST_STATUSES

#: What a mentor may set on an item they own: done, or open again.
MENTOR_STATUSES = ("open", "done")

NO_STAFF = "your account is linked to no mentor's staff record, so it owns no steps"

_OWNER_WORDS = {
    "hr": "HR's",
    "mentor": "a mentor's",
    "supervisor": "the supervisor's",
    "school": "the school's",
    "guardian": "the guardian's",
    "intern": "the intern's",
}


@dataclass(frozen=True)
class StepRights:
    """What one actor may tick on a set of placements, read once."""

    #: HR: every item, every status.
    everything: bool
    #: A mentor's own steps: on these placements they are the mentor.
    mentored: frozenset[int] = frozenset()
    #: The supervisor's items: on these placements they supervise a shift or entry.
    supervised: frozenset[int] = frozenset()
    staff_id: int | None = None

    def plan_refusal(self, item: PlanItem) -> str | None:
        """Why the actor may not tick this plan step; None when they may."""
        if self.everything:
            return None
        if self.staff_id is None:
            return NO_STAFF
        if item.owner_staff_id is not None and item.owner_staff_id == self.staff_id:
            return None
        if item.owner_role != "mentor":
            return (
                f"a mentor may tick only the steps a mentor owns; this step is "
                f"{_OWNER_WORDS.get(item.owner_role, item.owner_role)}"
            )
        if item.placement_id not in self.mentored:
            return "this step belongs to a placement another mentor mentors"
        return None

    def checklist_statuses(self, item: ChecklistItem) -> tuple[str, ...]:
        """The statuses the actor may give this checklist item (none: read only)."""
        if self.everything:
            return CHECKLIST_STATUSES
        return () if self.checklist_refusal(item) else MENTOR_STATUSES

    def checklist_refusal(self, item: ChecklistItem, status: str | None = None) -> str | None:
        """Why the actor may not change this checklist item (to ``status``); None
        when they may."""
        if self.everything:
            return None
        if self.staff_id is None:
            return NO_STAFF
        if item.owner_role != "supervisor":
            return (
                f"a mentor may change only the checklist items the supervisor owns; this "
                f"item is {_OWNER_WORDS.get(item.owner_role, item.owner_role)}"
            )
        if item.placement_id not in self.supervised:
            return (
                "a mentor may change the supervisor's items only of a placement they "
                "supervise (recorded as the supervisor of one of its shifts)"
            )
        if status is not None and status not in MENTOR_STATUSES:
            return (
                "a mentor may mark an item done or open it again; waiving it or "
                "marking it not applicable is HR's decision"
            )
        return None


def step_rights(s: Session, actor: Actor, placement_ids: Collection[int]) -> StepRights:
    """What ``actor`` may tick on these placements (the caller checks the permission
    and visibility first): everything for HR; for a mentor what two small queries
    over the placements find."""
    if actor.can(Permission.EDIT_RECORDS):
        return StepRights(everything=True)
    if not actor.can(Permission.TICK_OWN_STEPS):
        return StepRights(everything=False)
    if actor.staff_id is None or not placement_ids:
        return StepRights(everything=False, staff_id=actor.staff_id)
    ids = list(set(placement_ids))
    mentored = s.scalars(
        select(Placement.id).where(Placement.id.in_(ids), Placement.mentor_id == actor.staff_id)
    )
    supervised = s.scalars(
        union(
            *(
                select(model.placement_id).where(
                    model.placement_id.in_(ids), model.supervisor_staff_id == actor.staff_id
                )
                for model in (Shift, TimeEntry)
            )
        )
    )
    return StepRights(
        everything=False,
        mentored=frozenset(mentored),
        supervised=frozenset(supervised),
        staff_id=actor.staff_id,
    )
