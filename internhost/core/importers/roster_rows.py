"""One roster row → what to write, with every problem it has.

A row is checked whole: all its errors are listed, not the first, so a user fixes
a spreadsheet in one pass. Intern fields go through the same
``validate_new_intern`` as the app's form (for an update, on the stored record
with the row's non-blank cells laid over it). Nothing here writes; the plan a row
yields is written later, with every other row's, by ``roster_write``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.dates import age_on
from internhost.core.importers.result import Issue
from internhost.core.importers.roster_context import RosterContext, Site, Stored, known
from internhost.core.importers.seen import FirstLines
from internhost.core.importers.values import (
    parse_bool,
    parse_cents,
    parse_date,
    parse_program,
    parse_whole,
)
from internhost.core.models import Placement, School
from internhost.core.models.enums import OPEN_PLACEMENT_STATUSES
from internhost.core.rules.ages import barred_from_workrooms, minimum_age
from internhost.core.rules.checklist import PlacementFacts
from internhost.core.services.interns import InternInput, name_columns, validate_new_intern
from internhost.core.services.placements import BADGE_MAX
from internhost.core.validation import MAX_HOURLY_RATE_CENTS, Checker

T = TypeVar("T")
#: Columns that describe a placement; a placement needs its start date.
PLACEMENT_DETAILS = (
    "placement_end",
    "worksite",
    "mentor_email",
    "paid",
    "hourly_rate",
    "program",
    "badge",
)
_FORM_FIELDS = {"legal_first_name": "first_name", "legal_last_name": "last_name"}
#: What makes two rows one student, with the column and words of the error.
_STUDENT, _NAME, _INTERN = 0, 1, 2
_SAME = {
    _STUDENT: ("student_id", "school and student id"),
    _NAME: ("last_name", "name and birth date"),
    _INTERN: ("last_name", "intern on record"),
}
#: Distinct cell texts whose parse is remembered; past this the memo starts over.
PARSED_MAX = 20_000


@dataclass
class Change:
    """A row to insert (``id`` None) or the changed attributes of a stored row."""

    id: int | None
    values: dict[str, Any]


@dataclass
class RowPlan:
    """What one valid row writes: a new intern (``intern_id`` None, ``intern`` the
    full row) or the changes to a stored one, with contacts and a placement."""

    line: int
    intern_id: int | None
    intern: dict[str, Any]
    contacts: list[Change] = field(default_factory=list)
    placement: Change | None = None
    #: For a new placement: the facts its legal checklist is computed from.
    facts: PlacementFacts | None = None

    @property
    def action(self) -> str:
        if self.intern_id is None:
            return "create"
        return "update" if self.intern or self.contacts or self.placement else "unchanged"


@dataclass
class RowResult:
    line: int
    #: "Last, First" as the row (or, for an update, the record) names the intern.
    label: str
    plan: RowPlan | None
    errors: list[Issue]
    warnings: list[Issue]


#: (parser, cell text) -> (value, None) or (None, the parser's message).
Parsed = dict[tuple[Callable[[str], Any], str], tuple[Any, str | None]]


class _Row:
    """One row's cells and the problems found in them so far."""

    def __init__(self, line: int, cells: dict[str, str], parsed: Parsed) -> None:
        self.line = line
        self.cells = cells
        self.check = Checker()
        self.warnings: list[Issue] = []
        self._parsed = parsed

    def cell(self, column: str) -> str:
        return self.cells.get(column, "")

    def fail(self, column: str, message: str) -> None:
        self.check.fail(column, message)

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(Issue(self.line, column, message))

    def failed(self, column: str) -> bool:
        return self.check.failed(column)

    def parse(self, column: str, parser: Callable[[str], T]) -> T | None:
        """The cell's value, or None with the parser's message as the column's error.
        Rosters repeat cells (start dates, programs, rates): each distinct text is
        parsed once per import; the parsers are pure."""
        text = self.cell(column)
        if not text:
            return None
        key = (parser, text)
        found = self._parsed.get(key)
        if found is None:
            try:
                found = self._parsed[key] = (parser(text), None)
            except ValueError as exc:
                found = self._parsed[key] = (None, str(exc))
        value, error = found
        if error is not None:
            self.fail(column, error)
        return value

    def errors(self) -> list[Issue]:
        return [Issue(self.line, e.field, e.message) for e in self.check.errors]


class _Identity(NamedTuple):
    """Whom a row names: enough to find them on record, or earlier in the file."""

    first: str
    last: str
    preferred: str
    born: date | None
    student_id: str | None
    school: School | None
    names: dict[str, str]

    @property
    def student_key(self) -> tuple[int, str] | None:
        return (self.school.id, self.student_id) if self.school and self.student_id else None

    @property
    def name_key(self) -> tuple[str, date] | None:
        if self.first and self.last and self.born:
            return self.names["sort_name"], self.born
        return None


def _same(column: str, stored: str | None, given: str) -> bool:
    """E-mail addresses are compared ignoring case (we store them lower-cased)."""
    if column == "email":
        return (stored or "").casefold() == given.casefold()
    return (stored or "") == given


def _changes(stored: dict[str, Any] | None, wanted: dict[str, Any]) -> dict[str, Any]:
    if stored is None:
        return wanted
    return {k: v for k, v in wanted.items() if stored.get(k) != v}


class RowChecker:
    """Checks rows in file order, remembering the keys of earlier rows (not the
    rows) to catch duplicates; ``close`` lets them go."""

    def __init__(
        self,
        s: Session,
        ctx: RosterContext,
        *,
        default_school: School | None,
        update_existing: bool,
        today: date,
    ) -> None:
        self.s = s
        self.ctx = ctx
        self.default_school = default_school
        self.update_existing = update_existing
        self.today = today
        #: Keys of the rows so far (_STUDENT, _NAME, _INTERN), for duplicates.
        self.seen = FirstLines()
        #: Badge -> the line that gave it, for badges given twice.
        self.badge_lines: dict[str, int] = {}
        self._open_badges: dict[str, int] | None = None
        self.parsed: Parsed = {}

    def close(self) -> None:
        self.seen.close()

    def check_batch(self, rows: Sequence[tuple[int, dict[str, str]]]) -> list[RowResult]:
        """Check a batch of rows, each its line and cells, in file order. Whom each
        row names is worked out first, so the interns on record they may be are
        looked up once for the batch (``RosterContext.prepare``)."""
        if len(self.parsed) > PARSED_MAX:  # a file of distinct bad cells
            self.parsed.clear()
        checked = [_Row(line, cells, self.parsed) for line, cells in rows]
        whom = [self._identity(row) for row in checked]
        self.ctx.prepare(
            {who.student_key for who in whom if who.student_key},
            {who.name_key for who in whom if who.name_key},
        )
        return [self._check(row, who) for row, who in zip(checked, whom, strict=True)]

    def _check(self, row: _Row, who: _Identity) -> RowResult:
        line = row.line
        intern, stored = self._intern(row, who)
        contacts = self._contacts(row, stored)
        placement, facts = self._placement(row, intern, stored)
        label = ", ".join(n for n in (intern["legal_last_name"], intern["legal_first_name"]) if n)
        errors = row.errors()
        if errors:
            return RowResult(line, label, None, errors, row.warnings)
        plan = RowPlan(
            line=line,
            intern_id=stored.intern["id"] if stored else None,
            intern=_changes(stored.intern if stored else None, intern),
            contacts=contacts,
            placement=placement,
            facts=facts,
        )
        return RowResult(line, label, plan, [], row.warnings)

    # -- the intern ----------------------------------------------------------------

    def _school(self, row: _Row) -> School | None:
        name = row.cell("school")
        if not name:
            return self.default_school
        school = self.ctx.school(name)
        if school is None:
            row.fail("school", f"unknown school {name!r}; known: {self.ctx.school_names()}")
        return school

    def _match(
        self,
        row: _Row,
        student_key: tuple[int, str] | None,
        name_key: tuple[str, date] | None,
    ) -> Stored | None:
        """The stored intern this row updates (with ``update_existing``; without it,
        duplicates), and duplicates of earlier rows, reported on this, the later row."""
        by_student = self.ctx.by_student.get(student_key) if student_key else None
        by_name = self.ctx.by_name.get(name_key) if name_key else None
        student_id = student_key[1] if student_key else ""
        if by_student and by_name and by_student != by_name:
            row.fail(
                "student_id",
                f"student id {student_id} is intern #{by_student} on record, but name and "
                f"birth date match intern #{by_name}",
            )
            return None
        existing = by_student or by_name
        if existing and not self.update_existing:
            hint = "(--update-existing updates the stored intern)"
            if by_student:
                row.fail("student_id", f"{student_id} is already on record at this school {hint}")
            else:
                row.fail(
                    "last_name", f"an intern with this name and birth date is on record {hint}"
                )
            return None
        keys = (
            (_STUDENT, student_key and f"{student_key[0]}:{student_key[1]}"),
            (_NAME, name_key and f"{name_key[1].isoformat()}:{name_key[0]}"),
            (_INTERN, existing and str(existing)),
        )
        for kind, key in keys:
            earlier = self.seen.first(kind, key) if key else None
            if earlier is not None:
                column, what = _SAME[kind]
                row.fail(column, f"same {what} as line {earlier}")
                return None
        for kind, key in keys:
            if key:
                self.seen.add(kind, key, row.line)
        return self.ctx.stored[existing] if existing else None

    def _identity(self, row: _Row) -> _Identity:
        first, last = row.cell("first_name"), row.cell("last_name")
        preferred = row.cell("preferred_name")
        born = row.parse("birth_date", parse_date)
        student_id = row.check.name("student_id", row.cell("student_id"), max_len=64) or None
        school = self._school(row)
        names = name_columns(first, last, preferred, student_id)
        return _Identity(first, last, preferred, born, student_id, school, names)

    def _intern(self, row: _Row, who: _Identity) -> tuple[dict[str, Any], Stored | None]:
        first, last, preferred, born, student_id, school, names = who
        grade = row.parse("grade", parse_whole)
        address = row.check.text("address", row.cell("address"), max_len=500, multiline=True)
        stored = self._match(row, who.student_key, who.name_key)
        base = stored.intern if stored else {}
        merged: dict[str, Any] = {
            "legal_first_name": first or base.get("legal_first_name", ""),
            "legal_last_name": last or base.get("legal_last_name", ""),
            "preferred_name": preferred or base.get("preferred_name", ""),
            "birth_date": born or base.get("birth_date"),
            "school_id": school.id if school else base.get("school_id"),
            "grade": grade if grade is not None else base.get("grade"),
            "student_id": student_id or base.get("student_id"),
            "address": address or base.get("address", ""),
        }
        # student_id None: duplicates are _match's business (an update is no clash).
        form = InternInput(**{**merged, "student_id": None})
        for problem in validate_new_intern(self.s, form, self.today):
            column = _FORM_FIELDS.get(problem.field, problem.field)
            if not row.failed(column):
                row.fail(column, problem.message)
        merged.update(self._residence(row, merged["school_id"], base))
        if stored is not None:  # names or student id may come from the record
            names = name_columns(
                merged["legal_first_name"],
                merged["legal_last_name"],
                merged["preferred_name"],
                merged["student_id"],
            )
        merged.update(names)
        return merged, stored

    def _residence(self, row: _Row, school_id: int | None, base: dict[str, Any]) -> dict[str, Any]:
        """The district of residence: the row's ``district``, else the school's
        district, unconfirmed (federal hours follow where the intern lives)."""
        name = row.cell("district")
        district = self.ctx.district(name) if name else None
        if name and district is None:
            names = known(d.name for d in self.ctx.districts.values())
            row.warn("district", f"unknown district {name!r}; known: {names}")
        if district is not None:
            if base.get("residence_district_id") == district.id:
                return {}
            return {"residence_district_id": district.id, "residence_district_confirmed": True}
        school = None if school_id is None else self.ctx.school_by_id.get(school_id)
        if school is None:
            return {}
        if base and (base["residence_district_confirmed"] or school_id == base["school_id"]):
            return {}  # keep what is on record
        return {"residence_district_id": school.district_id, "residence_district_confirmed": False}

    # -- contacts ------------------------------------------------------------------

    def _contacts(self, row: _Row, stored: Stored | None) -> list[Change]:
        guardian = self._contact(
            row,
            "guardian",
            {
                "name": row.check.name("guardian_name", row.cell("guardian_name")),
                "phone": row.check.text("guardian_phone", row.cell("guardian_phone"), max_len=40),
                "email": row.check.email("guardian_email", row.cell("guardian_email")) or "",
            },
            "guardian_name",
            stored.guardian if stored else None,
            0,
        )
        emergency = self._contact(
            row,
            "emergency",
            {
                "name": row.check.name("emergency_contact", row.cell("emergency_contact")),
                "phone": row.check.text("emergency_phone", row.cell("emergency_phone"), max_len=40),
            },
            "emergency_contact",
            stored.emergency if stored else None,
            stored.next_position if stored else 1,
        )
        return [c for c in (guardian, emergency) if c is not None]

    @staticmethod
    def _contact(
        row: _Row,
        kind: str,
        given: dict[str, str],
        name_column: str,
        stored: dict[str, Any] | None,
        position: int,
    ) -> Change | None:
        """The first guardian (or emergency contact): blank cells keep what is stored."""
        given = {k: v for k, v in given.items() if v}
        if not given:
            return None
        if stored is not None:
            changed = {k: v for k, v in given.items() if not _same(k, stored[k], v)}
            return Change(stored["id"], changed) if changed else None
        if "name" not in given:
            row.fail(name_column, f"is required when a {kind} phone or e-mail is given")
            return None
        values = {"kind": kind, "position": position, "name": "", "phone": "", "email": ""}
        return Change(None, {**values, **given})

    # -- the placement ---------------------------------------------------------------

    def _placement(
        self, row: _Row, intern: dict[str, Any], stored: Stored | None
    ) -> tuple[Change | None, PlacementFacts | None]:
        # The same limits as the placement form's: dates in the years work is planned
        # in, a wage below the most an hour may pay.
        start = row.check.work_date("placement_start", row.parse("placement_start", parse_date))
        end = row.check.work_date("placement_end", row.parse("placement_end", parse_date))
        paid = row.parse("paid", parse_bool)
        rate = row.check.cents(
            "hourly_rate", row.parse("hourly_rate", parse_cents), high=MAX_HOURLY_RATE_CENTS
        )
        program = row.parse("program", parse_program)
        mentor_email = row.check.email("mentor_email", row.cell("mentor_email"))
        badge = row.check.name("badge", row.cell("badge"), max_len=BADGE_MAX) or None
        if start is None:
            if row.cell("worksite"):
                self._site(row, None)  # an unknown one is an error all the same
            details = [c for c in PLACEMENT_DETAILS if row.cell(c)]
            if details and not row.failed("placement_start"):
                row.fail(
                    "placement_start", f"is required for a placement (given: {', '.join(details)})"
                )
            return None, None
        old = stored.placements.get((intern["school_id"], start)) if stored else None
        site = self._site(row, old)
        mentor_id = self.ctx.staff.get(mentor_email) if mentor_email else None
        if mentor_email and mentor_id is None:
            row.warn(
                "mentor_email", f"no staff member has the e-mail {mentor_email}; no mentor set"
            )
        base = old or {"paid": True, "program": "employment"}
        wanted = {
            "school_id": intern["school_id"],
            "start_date": start,
            "end_date": end or base.get("end_date"),
            "paid": base["paid"] if paid is None else paid,
            "hourly_rate_cents": base.get("hourly_rate_cents") if rate is None else rate,
            "program": program or base["program"],
            "worksite_id": site.id if site else base.get("worksite_id"),
            "mentor_id": mentor_id or base.get("mentor_id"),
            "badge": badge or base.get("badge"),
        }
        if badge:
            self._check_badge(row, badge, old)
        if not wanted["paid"]:
            if rate is not None:
                row.fail("hourly_rate", "is given for an unpaid placement")
            wanted["hourly_rate_cents"] = None
        if wanted["end_date"] and wanted["end_date"] < start:
            row.fail("placement_end", "is before placement_start")
        self._age_warnings(row, intern["birth_date"], start, site)
        if old is not None:
            changed = _changes(old, wanted)
            return (Change(old["id"], changed) if changed else None), None
        facts = PlacementFacts(
            birth_date=intern["birth_date"] or start,
            start=start,
            end=wanted["end_date"],
            state=site.state if site else None,
            program=wanted["program"],
            paid=wanted["paid"],
        )
        return Change(None, wanted), facts

    def _check_badge(self, row: _Row, badge: str, old: dict[str, Any] | None) -> None:
        """A badge names one open placement: not another on record, nor another row's."""
        key = badge  # compared exactly, as the database's unique index does
        if self._open_badges is None:
            self._open_badges = {
                b: pid
                for pid, b in self.s.execute(
                    select(Placement.id, Placement.badge).where(
                        Placement.badge.is_not(None),
                        Placement.status.in_(OPEN_PLACEMENT_STATUSES),
                    )
                )
                if b
            }
        holder = self._open_badges.get(key)
        first = self.badge_lines.setdefault(key, row.line)
        if first != row.line:
            row.fail("badge", f"{badge} is also the badge on line {first}")
        elif holder is not None and (old is None or old["id"] != holder):
            row.fail("badge", f"{badge} is already the badge of an open placement (id {holder})")

    def _site(self, row: _Row, old: dict[str, Any] | None) -> Site | None:
        name = row.cell("worksite")
        if name:
            site = self.ctx.site(name)
            if site is None:
                names = known(s.name for s in self.ctx.sites.values())
                row.fail("worksite", f"unknown worksite {name!r}; known: {names}")
            return site
        if old is not None:
            return self.ctx.site_by_id.get(old["worksite_id"])
        site = self.ctx.only_site()
        if site is None:
            row.warn(
                "worksite", "no worksite given: the placement is unassigned; set it in the app"
            )
        return site

    @staticmethod
    def _age_warnings(row: _Row, born: date | None, start: date, site: Site | None) -> None:
        if born is None:
            return
        age = age_on(born, start)
        state = site.state if site is not None else None
        youngest = minimum_age(state)
        if age < youngest:
            row.warn(
                "birth_date",
                f"student is {age} on the start date; federal law bars employing under-{youngest}s",
            )
        elif site is not None and site.has_production and barred_from_workrooms(age, state):
            row.warn(
                "worksite",
                f"student is {age} on the start date and {site.name} has production areas: "
                "keep them out of the workroom",
            )
