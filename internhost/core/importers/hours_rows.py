"""One time-clock row → the entry to write, with every problem it has.

A row names its intern by badge (on the placement, unique among open placements) or
by student id, which is unique only within a school: an optional ``school`` cell
settles it, and a student id found at two schools without one is an error. A name
alone never matches a person. The punches are read as the entry dialog reads them
(``core.timespans``), so an entry refused there is refused here, for the same
reason, named by line and column.

Re-importing the same file adds nothing: a row equal to a stored entry (same
person, date, in and out) is "already imported", a warning, and is not written, so
cumulative clock files work; the same person, date and in-time with another
out-time is an error. What is looked up per batch (interns by student id, their
placements, their stored entries near the batch's dates) is read in a few
queries; what is small (schools, staff, machines, pay periods, badges) once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.importers.result import Issue
from internhost.core.importers.roster_context import known
from internhost.core.importers.values import parse_date, parse_time
from internhost.core.models import (
    Equipment,
    EquipmentTask,
    Intern,
    PayPeriod,
    Placement,
    School,
    Staff,
    TimeEntry,
)
from internhost.core.rules.packs import load_rules
from internhost.core.services.time_entries import WORKING_STATUSES
from internhost.core.text import fold
from internhost.core.timespans import MAX_OUT_DAYS, Span, break_span, describe, entry_span, hhmm
from internhost.core.validation import Checker

T = TypeVar("T")
#: Keys in one look-up query (SQLite allows 32,766 parameters).
_CHUNK = 1_000
#: How far apart two entries of one person may start and still overlap: an entry
#: ends at most ``MAX_OUT_DAYS`` after its work date.
_REACH = tuple(timedelta(days=d) for d in range(-MAX_OUT_DAYS, MAX_OUT_DAYS + 1))
#: A clock file repeats its dates and punch times row after row: each text is
#: parsed once (a bad one raises each time; errors are not remembered).
_parse_date = lru_cache(maxsize=4096)(parse_date)
_parse_time = lru_cache(maxsize=4096)(parse_time)


class _Placement(NamedTuple):
    id: int
    intern_id: int
    status: str
    start: date
    end: date | None
    worksite_id: int | None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass
class EntryPlan:
    """What one valid row writes: a time entry (``TimeEntry`` columns), its break and
    its tasks; ``action`` is ``unchanged`` for a row already imported."""

    line: int
    intern_id: int
    entry: dict[str, Any]
    breaks: list[tuple[datetime, datetime]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    action: str = "create"


@dataclass
class RowResult:
    line: int
    label: str
    plan: EntryPlan | None
    errors: list[Issue]
    warnings: list[Issue]


class HoursContext:
    """The small tables a time-clock file is checked against, read once."""

    def __init__(self, s: Session) -> None:
        self.schools = {fold(n): (i, n) for i, n in s.execute(select(School.id, School.name))}
        self.school_names = {i: n for i, n in s.execute(select(School.id, School.name))}
        self.staff_by_email: dict[str, tuple[int, str]] = {}
        self.staff_by_name: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
        for member in s.scalars(select(Staff).where(Staff.archived_at.is_(None))):
            if member.email:
                self.staff_by_email[member.email.casefold()] = (member.id, member.full_name)
            self.staff_by_name[fold(member.full_name)].append((member.id, member.full_name))
        tasks: defaultdict[int, list[str]] = defaultdict(list)
        for machine_id, key in s.execute(
            select(EquipmentTask.equipment_id, EquipmentTask.task_key)
        ):
            tasks[machine_id].append(key)
        self.machines: dict[tuple[int, str], tuple[int, str, tuple[str, ...]]] = {
            (site, fold(name)): (machine_id, name, tuple(sorted(tasks[machine_id])))
            for machine_id, site, name in s.execute(
                select(Equipment.id, Equipment.worksite_id, Equipment.name).where(
                    Equipment.archived_at.is_(None)
                )
            )
        }
        self.catalog = frozenset(load_rules(None).tasks)
        self.closed = sorted(
            (a, b) for a, b in s.execute(select(PayPeriod.start_date, PayPeriod.end_date))
        )
        self._closed_on: dict[date, tuple[date, date] | None] = {}
        self.by_badge: defaultdict[str, list[_Placement]] = defaultdict(list)
        self._badged: dict[str, list[_Placement]] = {}
        for badge, pid, intern_id, status, start, end, site in s.execute(
            select(
                Placement.badge,
                Placement.id,
                Placement.intern_id,
                Placement.status,
                Placement.start_date,
                Placement.end_date,
                Placement.worksite_id,
            ).where(Placement.badge.is_not(None), Placement.status != "archived")
        ):
            placement = _Placement(pid, intern_id, status, start, end, site)
            self.by_badge[fold(badge or "")].append(placement)

    def badged(self, badge: str) -> list[_Placement]:
        """The placements with ``badge`` (folded as stored), each text folded once."""
        found = self._badged.get(badge)
        if found is None:
            found = self._badged[badge] = self.by_badge.get(fold(badge), [])
        return found

    def closed_period(self, day: date) -> tuple[date, date] | None:
        """The closed pay period holding ``day``, looked up once per day (a file's rows
        share a few hundred days)."""
        if day not in self._closed_on:
            self._closed_on[day] = next(((a, b) for a, b in self.closed if a <= day <= b), None)
        return self._closed_on[day]


class _Row:
    def __init__(self, line: int, cells: dict[str, str]) -> None:
        self.line = line
        self.cells = cells
        self.check = Checker()
        self.warnings: list[Issue] = []

    def cell(self, column: str) -> str:
        return self.cells.get(column, "")

    def fail(self, column: str, message: str) -> None:
        self.check.fail(column, message)

    def warn(self, column: str, message: str) -> None:
        self.warnings.append(Issue(self.line, column, message))

    def parse(self, column: str, parser: Callable[[str], T]) -> T | None:
        text = self.cell(column)
        if not text:
            return None
        try:
            return parser(text)
        except ValueError as exc:
            self.fail(column, str(exc))
            return None

    def errors(self) -> list[Issue]:
        return [Issue(self.line, e.field, e.message) for e in self.check.errors]


class HoursChecker:
    """Checks rows in file order, remembering the entries of earlier rows (by person
    and day) to catch overlaps and repeats however far apart they are."""

    def __init__(self, s: Session, ctx: HoursContext, *, today: date, entered_by: int | None):
        self.s = s
        self.ctx = ctx
        self.today = today
        self.entered_by = entered_by
        #: (intern id, work date) -> [(span, line)] of the file's rows so far.
        self.in_file: defaultdict[tuple[int, date], list[tuple[Span, int]]] = defaultdict(list)
        #: The current batch's look-ups.
        self.by_student: defaultdict[str, list[tuple[int, int]]] = defaultdict(list)
        self.placements: defaultdict[int, list[_Placement]] = defaultdict(list)
        self.stored: defaultdict[tuple[int, date], list[Span]] = defaultdict(list)
        self.names: dict[int, str] = {}

    def close(self) -> None:
        self.in_file.clear()

    def check_batch(self, rows: Sequence[tuple[int, dict[str, str]]]) -> list[RowResult]:
        self._prepare(rows)
        return [self._check(_Row(line, cells)) for line, cells in rows]

    # -- the batch's look-ups --------------------------------------------------------

    def _prepare(self, rows: Sequence[tuple[int, dict[str, str]]]) -> None:
        students = {c["student_id"] for _, c in rows if c.get("student_id")}
        self.by_student = defaultdict(list)
        for chunk in _chunks(students):
            for intern_id, school_id, student_id in self.s.execute(
                select(Intern.id, Intern.school_id, Intern.student_id).where(
                    Intern.student_id.in_(chunk)
                )
            ):
                self.by_student[student_id or ""].append((intern_id, school_id))
        interns = {i for found in self.by_student.values() for i, _ in found}
        for _, cells in rows:
            for p in self.ctx.badged(cells.get("badge", "")):
                interns.add(p.intern_id)
        self.placements = defaultdict(list)
        self.names = {}
        self.stored = defaultdict(list)
        days = [d for _, c in rows if (d := _quiet_date(c.get("date", "")))]
        for ids in _chunks(interns):
            for values in self.s.execute(
                select(
                    Placement.id,
                    Placement.intern_id,
                    Placement.status,
                    Placement.start_date,
                    Placement.end_date,
                    Placement.worksite_id,
                ).where(Placement.intern_id.in_(ids))
            ):
                self.placements[values[1]].append(_Placement(*values))
            for intern_id, first, last in self.s.execute(
                select(Intern.id, Intern.legal_first_name, Intern.legal_last_name).where(
                    Intern.id.in_(ids)
                )
            ):
                self.names[intern_id] = f"{last}, {first}"
            if days:
                low = min(days) - timedelta(days=MAX_OUT_DAYS)
                high = max(days) + timedelta(days=MAX_OUT_DAYS)
                for intern_id, day, start, end in self.s.execute(
                    select(
                        Placement.intern_id,
                        TimeEntry.work_date,
                        TimeEntry.start_local,
                        TimeEntry.end_local,
                    )
                    .join(Placement, Placement.id == TimeEntry.placement_id)
                    .where(
                        Placement.intern_id.in_(ids),
                        TimeEntry.work_date >= low,
                        TimeEntry.work_date <= high,
                    )
                ):
                    self.stored[(intern_id, day)].append(Span(start, end))

    # -- one row ---------------------------------------------------------------------

    def _check(self, row: _Row) -> RowResult:
        day = row.parse("date", _parse_date)
        start = row.parse("in", _parse_time)
        end = row.parse("out", _parse_time)
        out_date = row.parse("out_date", _parse_date)
        for column, value in (("date", day), ("in", start), ("out", end)):
            if value is None and not row.check.failed(column):
                row.fail(column, "is required")
        candidates = self._whom(row)
        intern_id = candidates[0].intern_id if candidates else None
        label = self.names.get(intern_id, "") if intern_id else ""
        if day is not None:
            label = f"{label} {day.isoformat()}".strip()
        placement = self._placement(row, candidates, day) if day else None
        span = None
        if day is not None and start is not None and end is not None:
            shaped = entry_span(day, start, end, out_date)
            if isinstance(shaped, str):
                row.fail("out_date" if "out date" in shaped and out_date else "out", shaped)
            else:
                span = shaped
        breaks = self._break(row, span)
        supervisor = self._supervisor(row)
        tasks = self._tasks(row, placement)
        action = "create"
        if span is not None and placement is not None and not row.check.errors:
            action = self._against_others(row, placement.intern_id, span)
        errors = row.errors()
        if errors or placement is None or span is None:
            return RowResult(row.line, label, None, errors, row.warnings)
        staff_id, supervisor_name = supervisor
        entry = {
            "placement_id": placement.id,
            "work_date": span.start.date(),
            "start_local": span.start,
            "end_local": span.end,
            "supervisor_staff_id": staff_id,
            "supervisor_name": supervisor_name,
            "source": "import",
            "entered_by": self.entered_by,
        }
        plan = EntryPlan(row.line, placement.intern_id, entry, breaks, tasks, action)
        return RowResult(row.line, label, plan, [], row.warnings)

    def _whom(self, row: _Row) -> list[_Placement]:
        """The placements the row's badge or student id names (one intern's)."""
        badge, student = row.cell("badge"), row.cell("student_id")
        if not badge and not student:
            row.fail("badge", "give a badge or a student id: a name alone never matches a person")
            return []
        by_badge: list[_Placement] = []
        if badge:
            by_badge = self.ctx.badged(badge)
            if not by_badge:
                row.fail("badge", f"no placement has badge {badge!r}")
                return []
        if not student:
            return by_badge
        found = self.by_student.get(student, [])
        school_name = row.cell("school")
        if school_name:
            school = self.ctx.schools.get(fold(school_name))
            if school is None:
                names = known(self.ctx.school_names.values())
                row.fail("school", f"unknown school {school_name!r}; known: {names}")
                return []
            found = [f for f in found if f[1] == school[0]]
        if not found:
            at = f" at {school_name}" if school_name else ""
            row.fail("student_id", f"no intern with student id {student!r}{at}")
            return []
        if len(found) > 1:
            schools = known(self.ctx.school_names[school_id] for _, school_id in found)
            row.fail(
                "student_id",
                f"student id {student!r} is ambiguous: students at {schools} have it; "
                "add a school column",
            )
            return []
        intern_id = found[0][0]
        if by_badge and by_badge[0].intern_id != intern_id:
            row.fail("student_id", f"badge {badge!r} belongs to another intern")
            return []
        return by_badge or self.placements.get(intern_id, [])

    def _placement(self, row: _Row, candidates: list[_Placement], day: date) -> _Placement | None:
        if not candidates:
            return None
        if day > self.today:
            row.fail("date", f"{day.isoformat()} is after today: import hours once worked")
            return None
        closed = self.ctx.closed_period(day)
        if closed is not None:
            row.fail(
                "date",
                f"is in the pay period {closed[0].isoformat()}–{closed[1].isoformat()}, "
                "which is closed",
            )
            return None
        covering = [p for p in candidates if p.covers(day)]
        working = [p for p in covering if p.status in WORKING_STATUSES]
        if working:
            return min(working, key=lambda p: WORKING_STATUSES.index(p.status))
        if covering:
            row.fail("date", f"the placement on {day.isoformat()} is a {covering[0].status}")
        else:
            row.fail("date", f"no active placement of this intern covers {day.isoformat()}")
        return None

    def _break(self, row: _Row, span: Span | None) -> list[tuple[datetime, datetime]]:
        start = row.parse("break_start", _parse_time)
        end = row.parse("break_end", _parse_time)
        if (start is None) != (end is None):
            missing = "break_end" if end is None else "break_start"
            if not row.check.failed(missing) and not row.check.failed(_other(missing)):
                row.fail(missing, "give both the break's start and its end")
            return []
        if span is None or start is None or end is None:
            return []
        shaped = break_span(span, start, end)
        if isinstance(shaped, str):
            row.fail("break_start", shaped)
            return []
        return [(shaped.start, shaped.end)]

    def _supervisor(self, row: _Row) -> tuple[int | None, str]:
        if not row.cell("supervisor"):  # most rows: nothing to check
            return None, ""
        text = row.check.name("supervisor", row.cell("supervisor"))
        if not text:
            return None, ""
        found = self.ctx.staff_by_email.get(text.casefold())
        if found is None:
            named = self.ctx.staff_by_name.get(fold(text), [])
            found = named[0] if len(named) == 1 else None
        if found is None:
            row.warn("supervisor", f"{text!r} is no staff member on record; kept as written")
            return None, text
        return found

    def _tasks(self, row: _Row, placement: _Placement | None) -> list[dict[str, Any]]:
        if not row.cell("tasks"):  # most rows: nothing to check
            return []
        text = row.check.text("tasks", row.cell("tasks"), max_len=2000)
        out: list[dict[str, Any]] = []
        for part in (p.strip() for p in text.split(";")):
            if not part:
                continue
            if part in self.ctx.catalog:
                out.append({"task_key": part, "equipment_id": None})
                continue
            site = placement.worksite_id if placement else None
            machine = self.ctx.machines.get((site or 0, fold(part)))
            if machine is None:
                row.fail("tasks", f"{part!r} is neither a task key nor a machine at the worksite")
            elif len(machine[2]) != 1:
                keys = ", ".join(machine[2]) or "none"
                row.fail("tasks", f"machine {machine[1]!r} has tasks {keys}: name the task key")
            else:
                out.append({"task_key": machine[2][0], "equipment_id": machine[0]})
        return out

    def _against_others(self, row: _Row, intern_id: int, span: Span) -> str:
        """``unchanged`` for a row already imported; an error for an overlap."""
        day = span.start.date()
        stored = self.stored.get((intern_id, day), [])
        if span in stored:
            row.warn("in", "already imported: the same entry is on record")
            return "unchanged"
        for earlier, line in self.in_file.get((intern_id, day), []):
            if earlier == span:
                row.warn("in", f"same entry as line {line}: imported once")
                return "unchanged"
        same_start = next((s for s in stored if s.start == span.start), None)
        if same_start is not None:
            row.fail(
                "out",
                f"an entry starting {hhmm(span.start)} on {day.isoformat()} is on record "
                f"with out-time {hhmm(same_start.end)}",
            )
            return "create"
        for offset in _REACH:
            near = (intern_id, day + offset)
            if near in self.stored:
                clash = next((s for s in self.stored[near] if s.overlaps(span)), None)
                if clash is not None:
                    row.fail("in", f"overlaps the entry on record of {describe(clash)}")
                    return "create"
            if near in self.in_file:
                hit = next((ln for s, ln in self.in_file[near] if s.overlaps(span)), None)
                if hit is not None:
                    row.fail("in", f"overlaps the entry of line {hit}")
                    return "create"
        self.in_file[(intern_id, day)].append((span, row.line))
        return "create"


def _other(column: str) -> str:
    return "break_start" if column == "break_end" else "break_end"


def _quiet_date(text: str) -> date | None:
    try:
        return _parse_date(text) if text else None
    except ValueError:
        return None


def _chunks(keys: Iterable[T]) -> Iterator[list[T]]:
    items = list(keys)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]
