"""What a roster is checked against: read once per import, or once per batch.

Ten thousand rows must not mean ten thousand queries: schools, districts,
worksites and staff e-mails are loaded up front (a few thousand small rows at
most). The interns on record are not: a database may hold hundreds of thousands,
so before each batch ``prepare`` looks up those its rows may be (by school and
student id, or name and birth date: two indexed queries) and, for
``--update-existing``, their stored values, and keeps only the batch's. Names
match with ``core.text.fold`` (case, accents and spacing ignored), as the app's
search does.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import bindparam, func, select, tuple_
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
#: Keys in one look-up query (SQLite allows 32,766 parameters; a pair takes two).
_CHUNK = 1_000


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
        self._s = s
        self._with_stored = with_stored
        #: Interns on record before this import; the ones it writes have higher ids.
        self._last_id = s.scalar(select(func.max(Intern.id))) or 0
        #: The current batch's interns on record: by (school id, student id), by
        #: (sort name, birth date) (the first by id), and their stored values.
        self.by_student: dict[tuple[int, str | None], int] = {}
        self.by_name: dict[tuple[str, date], int] = {}
        self.stored: dict[int, Stored] = {}
        self._found: dict[tuple[int, str], Any] = {}

    def prepare(
        self, students: Collection[tuple[int, str]], names: Collection[tuple[str, date]]
    ) -> None:
        """Look up the interns on record with these keys (a batch's), and with
        ``with_stored`` their stored values, in place of the last batch's."""
        self.by_student = {
            (school_id, student_id): intern_id
            for chunk in _chunks(students)
            for intern_id, school_id, student_id in self._s.execute(
                _BY_STUDENT, {"last": self._last_id, "keys": chunk}
            )
        }
        self.by_name = {}
        for chunk in _chunks(names):
            rows = self._s.execute(_BY_NAME, {"last": self._last_id, "keys": chunk})
            for intern_id, sort_name, born in rows:
                self.by_name.setdefault((sort_name, born), intern_id)
        if self._with_stored:
            ids = {*self.by_student.values(), *self.by_name.values()}
            self.stored = {}
            for id_chunk in _chunks(ids):
                self.stored.update(_load_stored(self._s, id_chunk))

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


# Built once, the keys given when run: a statement holding its values would keep a
# batch's keys in reference cycles until the collector runs.
_BY_STUDENT = select(Intern.id, Intern.school_id, Intern.student_id).where(
    Intern.id <= bindparam("last"),
    tuple_(Intern.school_id, Intern.student_id).in_(bindparam("keys", expanding=True)),
)
_BY_NAME = (
    select(Intern.id, Intern.sort_name, Intern.birth_date)
    .where(
        Intern.id <= bindparam("last"),
        tuple_(Intern.sort_name, Intern.birth_date).in_(bindparam("keys", expanding=True)),
    )
    .order_by(Intern.id)
)


def _chunks(keys: Collection[T]) -> Iterator[Sequence[T]]:
    items = list(keys)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _load_stored(s: Session, ids: Sequence[int]) -> dict[int, Stored]:
    """The stored values of the interns ``ids``, with their contacts and placements."""
    table = Intern.__table__
    columns = [c.key for c in table.columns]
    stored = {
        row.id: Stored(dict(zip(columns, row, strict=True)))
        for row in s.execute(select(table).where(table.c.id.in_(ids)))
    }
    contacts = (
        select(
            InternContact.id,
            InternContact.intern_id,
            InternContact.kind,
            InternContact.name,
            InternContact.phone,
            InternContact.email,
            InternContact.position,
        )
        .where(InternContact.intern_id.in_(ids))
        .order_by(InternContact.intern_id, InternContact.position, InternContact.id)
    )
    for row in s.execute(contacts):
        record = stored[row.intern_id]
        record.next_position = max(record.next_position, row.position + 1)
        if getattr(record, row.kind) is None:
            setattr(record, row.kind, dict(row._mapping))
    placements = Placement.__table__
    p_columns = [c.key for c in placements.columns]
    for row in s.execute(select(placements).where(placements.c.intern_id.in_(ids))):
        values: dict[str, Any] = dict(zip(p_columns, row, strict=True))
        stored[values["intern_id"]].placements[(values["school_id"], values["start_date"])] = values
    return stored
