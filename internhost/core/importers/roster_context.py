"""What a roster is checked against, read once per import.

Ten thousand rows must not mean ten thousand queries: schools, districts,
worksites, staff e-mails and the keys of every intern on record are loaded up
front (a few thousand small rows at most), and so, for ``--update-existing``,
are the stored values the rows may change. Names match with ``core.text.fold``
(case, accents and spacing ignored), as the app's search does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.models import (
    Area,
    District,
    Intern,
    InternContact,
    Placement,
    School,
    Staff,
    Worksite,
)
from internhost.core.text import fold

T = TypeVar("T")
#: Distinct names whose look-up is remembered; past this the memo starts over.
_FOUND_MAX = 20_000


@dataclass(frozen=True)
class Site:
    id: int
    name: str
    state: str
    has_production: bool


@dataclass
class Stored:
    """One intern on record, as ``--update-existing`` compares and merges it:
    column values by attribute name, the first guardian and emergency contact,
    and placements by (school id, start date)."""

    intern: dict[str, Any]
    guardian: dict[str, Any] | None = None
    emergency: dict[str, Any] | None = None
    placements: dict[tuple[int, date], dict[str, Any]] = field(default_factory=dict)
    next_position: int = 1


def _named(items: Iterable[Any]) -> dict[str, Any]:
    return {fold(item.name): item for item in items}


def known(names: Iterable[str]) -> str:
    """ "A, B and C" for messages that name what would have matched."""
    names = sorted(names)
    if not names:
        return "none on record"
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class RosterContext:
    """Lookups for validating a roster inside one session."""

    def __init__(self, s: Session, *, with_stored: bool) -> None:
        # ORM objects kept referenced: validate_new_intern's s.get() then hits the
        # identity map instead of the database.
        self.schools: dict[str, School] = _named(s.scalars(select(School)))
        self.school_by_id = {school.id: school for school in self.schools.values()}
        self.districts: dict[str, District] = _named(s.scalars(select(District)))
        production = set(s.scalars(select(Area.worksite_id).where(Area.kind == "production")))
        self.sites: dict[str, Site] = _named(
            Site(w.id, w.name, w.state, w.id in production)
            for w in s.scalars(select(Worksite).where(Worksite.archived_at.is_(None)))
        )
        self.site_by_id = {site.id: site for site in self.sites.values()}
        self.staff: dict[str, int] = {
            email.lower(): staff_id
            for staff_id, email in s.execute(select(Staff.id, Staff.email))
            if email
        }
        self.by_student: dict[tuple[int, str], int] = {}
        self.by_name: dict[tuple[str, date], int] = {}
        keys = select(
            Intern.id, Intern.school_id, Intern.student_id, Intern.sort_name, Intern.birth_date
        )
        for intern_id, school_id, student_id, sort_name, born in s.execute(keys):
            if student_id:
                self.by_student[(school_id, student_id)] = intern_id
            self.by_name.setdefault((sort_name, born), intern_id)
        self.stored: dict[int, Stored] = _load_stored(s) if with_stored else {}
        self._found: dict[tuple[int, str], Any] = {}

    def _find(self, table: dict[str, T], name: str) -> T | None:
        """``table``'s entry for ``name`` folded; rosters repeat a few names
        thousands of times, so each distinct cell is folded once."""
        key = (id(table), name)
        if key not in self._found:
            if len(self._found) > _FOUND_MAX:  # a file of distinct unknown names
                self._found.clear()
            self._found[key] = table.get(fold(name))
        return self._found[key]

    def school(self, name: str) -> School | None:
        return self._find(self.schools, name)

    def school_names(self) -> str:
        return known(s.name for s in self.schools.values())

    def district(self, name: str) -> District | None:
        return self._find(self.districts, name)

    def site(self, name: str) -> Site | None:
        return self._find(self.sites, name)

    def only_site(self) -> Site | None:
        """The employer's worksite when it has exactly one."""
        return next(iter(self.sites.values())) if len(self.sites) == 1 else None


def _load_stored(s: Session) -> dict[int, Stored]:
    columns = [c.key for c in Intern.__table__.columns]
    stored = {
        row.id: Stored(dict(zip(columns, row, strict=True)))
        for row in s.execute(select(Intern.__table__))
    }
    contacts = select(
        InternContact.id,
        InternContact.intern_id,
        InternContact.kind,
        InternContact.name,
        InternContact.phone,
        InternContact.email,
        InternContact.position,
    ).order_by(InternContact.intern_id, InternContact.position, InternContact.id)
    for row in s.execute(contacts):
        record = stored[row.intern_id]
        record.next_position = max(record.next_position, row.position + 1)
        if getattr(record, row.kind) is None:
            setattr(record, row.kind, dict(row._mapping))
    p_columns = [c.key for c in Placement.__table__.columns]
    for row in s.execute(select(Placement.__table__)):
        values = dict(zip(p_columns, row, strict=True))
        stored[values["intern_id"]].placements[(values["school_id"], values["start_date"])] = values
    return stored
