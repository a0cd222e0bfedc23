"""What the audit trail names a record: "Intern Ana Ruiz", "Checklist item “Work
permit” — Ana Ruiz", never ``checklist_items:36``.

A name comes from the record's own values in the event (its after-values, or its
before-values for a delete), else from the row as it is now; a parent the record
points at (its intern, placement, worksite…) adds context, looked up for a whole page
of events at once. A purged event has no values and gets no name: the name is the
personal data the purge removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy import RowMapping, Select, Table, select
from sqlalchemy.orm import Session

from internhost.core.models import Base

#: The record's kind as a person says it, by table.
NOUNS = {
    "absences": "Absence",
    "areas": "Area",
    "calendar_days": "Calendar day",
    "check_ins": "Check-in",
    "check_in_actions": "Check-in action item",
    "check_in_cadences": "Check-in schedule",
    "concerns": "Concern",
    "checklist_items": "Checklist item",
    "competencies": "Competency",
    "competency_frameworks": "Competency framework",
    "competency_ratings": "Competency rating",
    "districts": "District",
    "documents": "Document",
    "employer": "Company",
    "equipment": "Equipment",
    "equipment_tasks": "Equipment task",
    "evaluations": "Evaluation",
    "finding_overrides": "Finding override",
    "findings": "Finding",
    "goals": "Goal",
    "import_mappings": "Import mapping",
    "incidents": "Incident",
    "placement_outcomes": "Placement outcome",
    "site_visits": "Site visit",
    "intern_contacts": "Contact",
    "interns": "Intern",
    "login_tokens": "Remembered login",
    "medical_notes": "Medical note",
    "notes": "Note",
    "notice_hours": "Notice hours",
    "packet_exports": "Packet",
    "placements": "Placement",
    "plan_items": "Plan step",
    "pay_periods": "Pay period",
    "placement_assignments": "Placement assignment",
    "plan_template_items": "Plan template step",
    "plan_templates": "Plan template",
    "plant_closures": "Plant closure",
    "record_releases": "Released record",
    "school_calendars": "School calendar",
    "schools": "School",
    "school_forms": "School form",
    "school_form_fields": "School form field",
    "shifts": "Shift",
    "staff": "Staff member",
    "student_learner_agreements": "Student-learner agreement",
    "time_entries": "Time entry",
    "user_accounts": "Account",
    "work_breaks": "Break",
    "work_tasks": "Task",
    "worksites": "Worksite",
}

#: Columns whose values name a record, in the order they are tried; a tuple is joined.
NAME_COLUMNS: tuple[str | tuple[str, ...], ...] = (
    ("legal_first_name", "legal_last_name"),
    ("first_name", "last_name"),
    "legal_name",
    "name",
    "title",
    "username",
    "school_year",
    "task_key",
    "rule_id",
    "work_date",
    "date",
)

#: Parents that give a record its context, by foreign-key column: (table, its name columns).
PARENTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "intern_id": ("interns", ("legal_first_name", "legal_last_name")),
    "worksite_id": ("worksites", ("name",)),
    "district_id": ("districts", ("name",)),
    "equipment_id": ("equipment", ("name",)),
    "template_id": ("plan_templates", ("name",)),
}
#: A placement's context is its intern's name, one step further.
PLACEMENT_INTERN = "placement_id"
#: Aggregates that are no table: what they are, and the table their id belongs to.
AGGREGATES = {
    "placement_checklist": ("Checklist", "placements"),
    "placement_plan": ("Onboarding plan", "placements"),
    "findings_of_intern": ("Findings", "interns"),
}
#: Ids per ``IN (…)``: well below SQLite's limit on bound variables.
CHUNK = 500
#: Records named without quotes: people and accounts.
PEOPLE = frozenset({"interns", "staff", "user_accounts", "intern_contacts"})


def noun(table: str) -> str:
    if table in AGGREGATES:
        return AGGREGATES[table][0]
    return NOUNS.get(table, table.replace("_", " ").capitalize())


def own_name(values: Mapping[str, Any]) -> str:
    """The record's own name from its values, or "" when none of its columns name it."""
    for columns in NAME_COLUMNS:
        parts = (columns,) if isinstance(columns, str) else columns
        found = [str(values[c]).strip() for c in parts if values.get(c) not in (None, "")]
        if found:
            return " ".join(found)
    return ""


class Labeller:
    """Names records for one page of events: parents are looked up in bulk, once."""

    def __init__(
        self, s: Session, records: Iterable[tuple[str, int | None, Mapping[str, Any]]]
    ) -> None:
        self.s = s
        self._names: dict[tuple[str, int], str] = {}
        self._placement_interns: dict[int, int] = {}
        self._current: dict[tuple[str, int], Mapping[str, Any]] = {}
        self._load(list(records))

    def label(self, table: str, record_id: int | None, values: Mapping[str, Any]) -> str:
        """``Kind “name” — context``, as much of it as the values and rows tell."""
        if table in AGGREGATES and record_id:
            owner = AGGREGATES[table][1]
            values = {"placement_id" if owner == "placements" else "intern_id": record_id}
        values = self._values(table, record_id, values)
        name, context = own_name(values), self._context(values)
        if not name:
            if context:
                return f"{noun(table)} — {context}"
            return f"{noun(table)} #{record_id}" if record_id else noun(table)
        text = f"{noun(table)} {name}" if table in PEOPLE else f"{noun(table)} “{name}”"
        return f"{text} — {context}" if context and context != name else text

    def _values(
        self, table: str, record_id: int | None, values: Mapping[str, Any]
    ) -> Mapping[str, Any]:
        """The event's values, over the row as it is now where the event leaves out
        what names it (a checklist item's title is derived, so never recorded)."""
        current = self._current.get((table, record_id or 0))
        return {**current, **values} if current else values or {}

    def _context(self, values: Mapping[str, Any]) -> str:
        for column, (table, _) in PARENTS.items():
            parent = values.get(column)
            if isinstance(parent, int) and (table, parent) in self._names:
                return self._names[(table, parent)]
        placement = values.get(PLACEMENT_INTERN)
        intern = self._placement_interns.get(placement) if isinstance(placement, int) else None
        return self._names.get(("interns", intern), "") if intern else ""

    def _load(self, records: list[tuple[str, int | None, Mapping[str, Any]]]) -> None:
        """Fetch, a query per table, the rows of records whose event does not name
        them, then the rows the records name as parents."""
        unnamed: dict[str, set[int]] = {}
        wanted: dict[str, set[int]] = {}
        for table, record_id, values in records:
            if table in AGGREGATES and record_id:
                wanted.setdefault(AGGREGATES[table][1], set()).add(record_id)
            elif record_id and table in Base.metadata.tables and not own_name(values):
                unnamed.setdefault(table, set()).add(record_id)
        for table, ids in unnamed.items():
            t: Table = Base.metadata.tables[table]
            if "id" in t.c:
                for row in self._rows(t, select(t), ids):
                    self._current[(table, row["id"])] = dict(row)
        for table, record_id, values in records:
            values = self._values(table, record_id, values)
            for column, (parent, _) in PARENTS.items():
                if isinstance(values.get(column), int):
                    wanted.setdefault(parent, set()).add(values[column])
            if isinstance(values.get(PLACEMENT_INTERN), int):
                wanted.setdefault("placements", set()).add(values[PLACEMENT_INTERN])
        placements = Base.metadata.tables["placements"]
        query = select(placements.c.id, placements.c.intern_id)
        for row in self._rows(placements, query, wanted.pop("placements", set())):
            self._placement_interns[row["id"]] = row["intern_id"]
            wanted.setdefault("interns", set()).add(row["intern_id"])
        for table, names in PARENTS.values():
            t = Base.metadata.tables[table]
            query = select(t.c.id, *(t.c[n] for n in names))
            for row in self._rows(t, query, wanted.get(table, set())):
                self._names[(table, row["id"])] = " ".join(str(row[n]) for n in names if row[n])

    def _rows(
        self, t: Table, query: Select[*tuple[Any, ...]], ids: set[int]
    ) -> Iterator[RowMapping]:
        """``query`` limited to ``ids``, in chunks SQLite's variable limit allows."""
        ordered = sorted(ids)
        for i in range(0, len(ordered), CHUNK):
            yield from self.s.execute(query.where(t.c.id.in_(ordered[i : i + CHUNK]))).mappings()
