"""Frozen values for incidents and injuries (``services/incidents.py``).

Treatment is medical: ``IncidentDetail.treatment`` is None for a role that may not
see medical notes (a mentor who wrote it never reads it back), as in ``dto``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class IncidentNotice:
    """One notice of the incident's checklist: what the packs say applies, and what
    was recorded (a date, or not needed with a reason)."""

    key: str
    title: str
    citation: str
    verification: str
    note: str
    done_on: date | None = None
    not_needed: str | None = None

    @property
    def settled(self) -> bool:
        return self.done_on is not None or bool(self.not_needed)


@dataclass(frozen=True)
class IncidentRow:
    id: int
    intern_id: int
    intern_name: str
    placement_id: int
    kind: str
    kind_label: str
    occurred_at: datetime
    description: str
    worksite: str | None
    area: str | None
    status: str
    #: Titles of the notices still to do (neither dated nor marked not needed).
    to_do: tuple[str, ...]


@dataclass(frozen=True)
class IncidentDetail:
    row: IncidentRow
    equipment_id: int | None
    equipment: str | None
    task_key: str | None
    task: str | None
    body_part: str
    #: None when the reader's role may not see medical details.
    treatment: str | None
    told_whom: str
    osha_recordable: bool | None
    notices: tuple[IncidentNotice, ...]
    reported_by: str | None
    closed_at: datetime | None
    closed_by: str | None
    #: What the reader may do to it.
    can_edit: bool
    can_close: bool
    can_reopen: bool


@dataclass(frozen=True)
class OpenIncident:
    """An open incident as the dashboard's queue shows it: what is still to do."""

    id: int
    intern_id: int
    placement_id: int
    intern_name: str
    kind_label: str
    occurred_on: date
    to_do: tuple[str, ...]

    @property
    def title(self) -> str:
        what = f"{self.kind_label} on {self.occurred_on.isoformat()}"
        if self.to_do:
            return f"{what}: still to do: {'; '.join(self.to_do)}"
        return f"{what}: every notice done; HR may close it"


@dataclass(frozen=True)
class Choice:
    id: int
    name: str
    #: The worksite an area or a machine belongs to (None for a worksite).
    worksite_id: int | None = None


@dataclass(frozen=True)
class IncidentChoices:
    """What the incident dialog offers for one intern."""

    #: (placement id, label), newest first.
    placements: tuple[tuple[int, str], ...]
    #: The worksite each placement is at.
    placement_worksites: tuple[tuple[int, int | None], ...]
    worksites: tuple[Choice, ...]
    areas: tuple[Choice, ...]
    equipment: tuple[Choice, ...]
    #: (task key, label) from the task catalog.
    tasks: tuple[tuple[str, str], ...]
    kinds: tuple[tuple[str, str], ...]
    #: Every notice the packs know (which apply depends on the incident).
    notices: tuple[IncidentNotice, ...]
    #: Whether the reader may write treatment (every recorder) and read it back.
    sees_treatment: bool
    #: Whether the reader records OSHA recordability (HR).
    records_osha: bool
