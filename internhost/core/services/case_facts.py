"""Turning stored records into the rule engine's facts.

Three cases per placement: the placement itself, checked before any shift exists
(its probes: the start, each birthday, new year and new minimum wage inside it,
each with the tasks, machines and areas it assigns), its planned shifts, and its
logged time entries. The calendar of the district where the intern lives drives the federal
school-hour rules; the attending school's calendar drives Illinois' school-plus-
work cap (LEGAL.md §0). A shift in a production area counts as a production-floor
task even when nobody recorded one, so the workroom ban cannot be missed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from functools import cached_property, lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, null, select
from sqlalchemy.orm import Session, selectinload

from internhost.core.calendars import Calendar, DayException
from internhost.core.dates import birthday_of_age
from internhost.core.models import (
    Area,
    Document,
    Employer,
    Equipment,
    Intern,
    Placement,
    PlacementAssignment,
    School,
    SchoolCalendar,
    Shift,
    Staff,
    TimeEntry,
    WorkBreak,
    Worksite,
    WorkTask,
)
from internhost.core.models.enums import WEEKDAYS
from internhost.core.models.interns import PRIMARY_BENEFICIARY_FACTORS
from internhost.core.rules import facts as f
from internhost.core.rules.engine import check, check_placement
from internhost.core.rules.findings import CheckResult
from internhost.core.rules.packs import load_rules
from internhost.core.rules.parse import DOCUMENTS
from internhost.core.trail.audit import canonical_json
from internhost.core.workweeks import record_minutes


@dataclass(frozen=True)
class StoredCase:
    """A case and what its shift indexes stand for in the database."""

    placement_id: int
    kind: str  # "placement" | "shifts" | "entries"
    case: f.Case
    refs: tuple[str, ...]  # index -> "shift:12" / "entry:40" / "placement:3:start"
    input_hash: str

    def check(self) -> CheckResult:
        """The engine's findings: a placement's probes get the checks that need no hours."""
        return check_placement(self.case) if self.kind == "placement" else check(self.case)


def district_calendar(s: Session, district_id: int | None) -> dict[date, tuple[time, time]]:
    """Every school day of every stored school year of a district."""
    if district_id is None:
        return {}
    out: dict[date, tuple[time, time]] = {}
    calendars = s.scalars(
        select(SchoolCalendar)
        .where(SchoolCalendar.district_id == district_id)
        .options(selectinload(SchoolCalendar.days))
    )
    for cal in calendars:
        exceptions = tuple(
            sorted(
                ((d.day, DayException(d.kind, d.start_time, d.end_time)) for d in cal.days),
                key=lambda pair: pair[0],
            )
        )
        out.update(_in_session(cal.first_day, cal.last_day, cal.day_start, cal.day_end, exceptions))
    return out


@lru_cache(maxsize=64)
def _in_session(
    first: date,
    last: date,
    start: time,
    end: time,
    exceptions: tuple[tuple[date, DayException], ...],
) -> tuple[tuple[date, tuple[time, time]], ...]:
    """A school year's days in session, worked out once per content of its calendar
    (every re-check reads the same calendars; expanding a year costs milliseconds)."""
    return tuple(Calendar(first, last, start, end, dict(exceptions)).school_days())


def _supervisor_21(row: Shift | TimeEntry | SpanRecord, staff: dict[int, Staff]) -> bool | None:
    """Recorded on the row, else attested on the supervisor's staff record (a record
    whose age was never attested says nothing: its flag is only a default)."""
    if row.supervisor_21_or_older is not None:
        return row.supervisor_21_or_older
    return staff_21_or_older(
        staff.get(row.supervisor_staff_id) if row.supervisor_staff_id else None
    )


def staff_21_or_older(member: Staff | None) -> bool | None:
    """Whether a staff member is 21 or older: yes, no (attested under 21), or unknown."""
    if member is None:
        return None
    if member.is_21_or_older:
        return True
    return False if member.age_attested_on is not None else None


def _span_facts(
    rows: Sequence[Shift | TimeEntry | SpanRecord],
    zone: ZoneInfo,
    production_areas: set[int],
    staff: dict[int, Staff],
) -> tuple[tuple[f.Shift, ...], tuple[str, ...]]:
    catalog = load_rules(None).tasks
    shifts, refs = [], []
    for index, row in enumerate(sorted(rows, key=lambda r: (r.start_local, r.id))):
        tasks = tuple(
            f.TaskFact(t.task_key, t.minutes, dict(t.details or {}))
            for t in row.tasks
            if t.task_key in catalog
        )
        if row.area_id in production_areas and not any(
            catalog[t.key].production_area for t in tasks
        ):
            tasks = (f.TaskFact("production_floor"), *tasks)
        ref = f"{_kind_of(row)}:{row.id}"
        shifts.append(
            f.Shift(
                index=index,
                span=f.interval(row.start_local, row.end_local, zone),
                breaks=tuple(f.interval(b.start_local, b.end_local, zone) for b in row.breaks),
                tasks=tasks,
                supervisor_21_or_older=_supervisor_21(row, staff),
                ref=ref,
                auto_break_minutes=getattr(row, "auto_break_minutes", None) or 0,
            )
        )
        refs.append(ref)
    return tuple(shifts), tuple(refs)


def _kind_of(row: Shift | TimeEntry | SpanRecord) -> str:
    if isinstance(row, SpanRecord):
        return row.kind
    return "shift" if isinstance(row, Shift) else "entry"


def span_facts(
    rows: Sequence[Shift | TimeEntry], zone: ZoneInfo, cache: FactCache
) -> tuple[tuple[f.Shift, ...], tuple[str, ...]]:
    """The engine's shifts for ``rows`` (stored, or unsaved ones the planner checks),
    in time order, with the ref each stands for ("shift:12")."""
    return _span_facts(rows, zone, cache.production_areas, cache.staff)


class FactCache:
    """What every intern's case shares (employer, calendars, staff, sites), loaded
    once per unit of work however many interns are checked."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.employer = s.get(Employer, 1)
        self.school_district = {sc.id: sc.district_id for sc in s.scalars(select(School))}
        self.staff = {m.id: m for m in s.scalars(select(Staff))}
        self.sites = {w.id: w for w in s.scalars(select(Worksite))}
        self.production_areas = set(s.scalars(select(Area.id).where(Area.kind == "production")))
        self._calendars: dict[int | None, dict[date, tuple[time, time]]] = {}
        #: Shifts and entries read ahead by ``prefetch``, by (kind, placement id).
        self._spans: dict[tuple[str, int], list[SpanRecord]] = {}
        #: (work date, minutes worked) of each prefetched placement's entries.
        self._worked: dict[int, list[tuple[date, int]]] = {}
        #: The documents of the prefetched placements (by id) and their interns
        #: (by ("intern", id)), as rows of ``_documents``.
        self._documents: dict[Any, list[DocumentRow]] = {}
        #: School calendars as ``case_hash`` renders them: every case of a district
        #: shares its calendar, which is most of what a hash reads.
        self.days: DaysMemo = {}

    def prefetch(self, placement_ids: Collection[int]) -> None:
        """Read the shifts and time entries of many placements in a few plain queries,
        for the checks that follow (an import checks hundreds of interns at once):
        each placement's are handed out once and let go; what each placement's
        entries worked, by day, stays until the next prefetch (``worked_before``)."""
        ids = list(placement_ids)
        self._worked = {}
        for kind in ("shift", "entry"):
            found: dict[int, list[SpanRecord]] = {pid: [] for pid in ids}
            for chunk in _chunks(ids):
                for record in _span_records(self.s, kind, chunk):
                    found[record.placement_id].append(record)
            self._spans.update({(kind, pid): rows for pid, rows in found.items()})
        self._documents = _documents_of(self.s, ids)
        for pid in ids:
            self._worked[pid] = [
                (e.work_date, record_minutes(e)) for e in self._spans[("entry", pid)]
            ]

    def documents(
        self, intern_id: int, placement_id: int | None
    ) -> tuple[frozenset[str], dict[str, Spans]] | None:
        """``_documents`` of an intern and one of the prefetched placements (None for
        a placement not prefetched)."""
        if placement_id is None or placement_id not in self._documents:
            return None
        found = {*self._documents.get(("intern", intern_id), ()), *self._documents[placement_id]}
        return _document_facts(row[1:] for row in sorted(found))

    def spans(self, kind: str, placement_id: int) -> list[SpanRecord] | None:
        """The prefetched rows of ``kind`` ("shift" or "entry") for a placement
        (once), or None."""
        return self._spans.pop((kind, placement_id), None)

    def first_day(self, kind: str, placement_id: int) -> date | None:
        """The first day a prefetched placement's rows of ``kind`` ("shift" or "entry")
        start on (a case's hour counter runs to it); None when it has none or was not
        prefetched."""
        rows = self._spans.get((kind, placement_id))
        return min((r.start_local.date() for r in rows), default=None) if rows else None

    def worked_before(self, placement_ids: Collection[int], first: date, day: date) -> int | None:
        """Minutes the prefetched entries of ``placement_ids`` worked from ``first``
        to the day before ``day``; None when one of them was not prefetched."""
        if any(pid not in self._worked for pid in placement_ids):
            return None
        return sum(
            minutes
            for pid in placement_ids
            for worked_on, minutes in self._worked[pid]
            if first <= worked_on < day
        )

    @cached_property
    def machines(self) -> dict[int, tuple[int | None, tuple[str, ...]]]:
        """Each machine of the equipment register: its area and its catalog tasks."""
        return {
            m.id: (m.area_id, tuple(t.task_key for t in m.tasks))
            for m in self.s.scalars(select(Equipment).options(selectinload(Equipment.tasks)))
        }

    def calendar(self, district_id: int | None) -> dict[date, tuple[time, time]]:
        if district_id not in self._calendars:
            self._calendars[district_id] = district_calendar(self.s, district_id)
        return self._calendars[district_id]


def placement_cases(
    s: Session,
    intern: Intern,
    cache: FactCache | None = None,
    *,
    keep_empty: bool = False,
    skip: Collection[tuple[int, str]] = (),
    only: int | None = None,
) -> list[StoredCase]:
    """The cases to check for every placement of ``intern`` that has a worksite (with
    ``only``, of that placement alone); with ``keep_empty``, also the cases without a
    record (the planner adds shifts to them). ``skip`` names cases not to build, as
    (placement id, kind): their inputs did not change since they were last checked."""
    cache = cache or FactCache(s)
    residence = intern.residence_district_id or cache.school_district.get(intern.school_id)
    out: list[StoredCase] = []
    for placement in intern.placements:
        if placement.worksite_id is None or _archived(placement):
            continue
        if only is not None and placement.id != only:
            continue
        base = _base_case(s, cache, intern, placement)
        if (placement.id, "placement") not in skip:
            out.append(_placement_case(s, cache, intern, placement, placement.assignments, base))
        zone = ZoneInfo(base.worksite_tz)
        for kind, rows in _span_rows(s, placement.id, cache):
            if (placement.id, kind) in skip or (not rows and not keep_empty):
                continue
            # Only hours are judged against the school calendars.
            federal_calendar = cache.calendar(residence)
            attended = cache.calendar(cache.school_district.get(placement.school_id))
            shifts, refs = _span_facts(rows, zone, cache.production_areas, cache.staff)
            first_day = min((sh.date for sh in shifts), default=placement.start_date)
            earlier = _hours_worked_before(s, intern, placement.id, first_day, cache)
            case = replace(
                base,
                intern=replace(base.intern, hours_this_year_before=earlier),
                shifts=shifts,
                school_days=federal_calendar or None,
                attended_school_days=attended or None,
            )
            out.append(StoredCase(placement.id, kind, case, refs, case_hash(case, cache.days)))
    return out


def _archived(placement: Placement) -> bool:
    return placement.archived_at is not None or placement.status == "archived"


def _base_case(
    s: Session,
    cache: FactCache,
    intern: Intern,
    placement: Placement,
) -> f.Case:
    """The case of ``placement`` without any shift or school calendar: the intern, the
    worksite, the employer. ``placement`` may be unsaved (a preview)."""
    employer = cache.employer
    site = cache.sites[placement.worksite_id] if placement.worksite_id is not None else None
    if site is None:
        raise ValueError("a placement is checked only at a worksite")
    saved: int | None = placement.id  # None: a preview of a placement not yet saved
    mine = Document.intern_id == intern.id
    if saved is not None:
        mine = mine | (Document.placement_id == saved)
    documents, spans = cache.documents(intern.id, saved) or _documents(s, mine)
    intern_facts = f.InternFacts(
        birth_date=intern.birth_date,
        paid=placement.paid,
        hourly_rate_cents=placement.hourly_rate_cents,
        program=placement.program,
        employee_status=placement.employee_status,
        documents=documents,
        document_spans=spans,
        certificate_hours=_notice_hours(placement) if placement.notice_hours else None,
        primary_beneficiary=tuple(getattr(placement, c) for c in PRIMARY_BENEFICIARY_FACTORS),
    )
    return f.Case(
        intern=intern_facts,
        shifts=(),
        worksite_state=site.state,
        worksite_city=site.city or None,
        worksite_tz=site.time_zone,
        flsa_covered=employer.flsa_covered if employer else True,
        workweek_start=WEEKDAYS.index(employer.workweek_start if employer else "sun"),
        child_labor_notice_posted=bool(employer and employer.child_labor_notice_posted_on),
    )


#: How far ahead a placement with no end date is checked: a year from its start.
OPEN_ENDED = timedelta(days=365)
#: The time of day a probe stands at: noon exists on every day in every time zone.
PROBE_TIME = time(12, 0)


def probe_days(
    born: date, start: date, end: date | None, rate_changes: Sequence[date]
) -> list[date]:
    """The days a placement is judged on: its start, and each day inside it on which
    the answer can change: a birthday (the age), a new year (the youth wage's hour
    counter) and a new minimum wage."""
    last = end or start + OPEN_ENDED
    days = {start}
    age = start.year - born.year
    while (day := birthday_of_age(born, age)) <= last:
        if day > start:
            days.add(day)
        age += 1
    days.update(date(year, 1, 1) for year in range(start.year + 1, last.year + 1))
    days.update(d for d in rate_changes if start < d <= last)
    return sorted(days)


def assignment_tasks(
    assignments: Sequence[PlacementAssignment], cache: FactCache
) -> tuple[f.TaskFact, ...]:
    """What a placement assigns, as the engine's task facts: each task, each task of
    each machine (with the assignment's details, e.g. direct supervision for an
    exemption), and the production floor for an assigned production area (a machine's
    area counts) when no task already puts the intern there."""
    catalog = load_rules(None).tasks
    tasks: list[f.TaskFact] = []
    areas: set[int] = set()
    for a in assignments:
        details = dict(a.details or {})
        if a.task_key is not None and a.task_key in catalog:
            tasks.append(f.TaskFact(a.task_key, None, details))
        elif a.equipment_id is not None and a.equipment_id in cache.machines:
            area, keys = cache.machines[a.equipment_id]
            tasks += [f.TaskFact(k, None, details) for k in keys if k in catalog]
            if area is not None:
                areas.add(area)
        elif a.area_id is not None:
            areas.add(a.area_id)
    if areas & cache.production_areas and not any(catalog[t.key].production_area for t in tasks):
        tasks.insert(0, f.TaskFact("production_floor"))
    return tuple(tasks)


def _placement_case(
    s: Session,
    cache: FactCache,
    intern: Intern,
    placement: Placement,
    assignments: Sequence[PlacementAssignment],
    base: f.Case,
) -> StoredCase:
    """The placement's own case: one probe a day of ``probe_days``."""
    zone = ZoneInfo(base.worksite_tz)
    rates = [r.effective_from for r in load_rules(base.worksite_state).rates]
    tasks = assignment_tasks(assignments, cache)
    days = probe_days(intern.birth_date, placement.start_date, placement.end_date, rates)
    saved: int | None = placement.id  # None: a preview of a placement not yet saved
    name = saved if saved is not None else "new"
    probes, refs = [], []
    for index, day in enumerate(days):
        at = datetime.combine(day, PROBE_TIME)
        ref = f"placement:{name}:" + ("start" if index == 0 else day.isoformat())
        probes.append(f.Shift(index=index, span=f.interval(at, at, zone), tasks=tasks, ref=ref))
        refs.append(ref)
    earlier = _hours_worked_before(s, intern, placement.id, placement.start_date, cache)
    case = replace(
        base,
        intern=replace(base.intern, hours_this_year_before=earlier),
        shifts=tuple(probes),
    )
    return StoredCase(placement.id, "placement", case, tuple(refs), case_hash(case, cache.days))


def preview_case(
    s: Session, intern: Intern, placement: Placement, assignments: Sequence[PlacementAssignment]
) -> StoredCase | None:
    """The placement case of an unsaved (or edited, not yet saved) placement: nothing
    is added to the session. None without a worksite (nothing to check it against)."""
    if placement.worksite_id is None:
        return None
    cache = FactCache(s)
    return _placement_case(
        s, cache, intern, placement, assignments, _base_case(s, cache, intern, placement)
    )


#: A planned shift or a logged time entry: the rows a case is made of.
SpanRow = TypeVar("SpanRow", Shift, TimeEntry)


def _span_rows(
    s: Session, placement_id: int, cache: FactCache
) -> Iterator[tuple[str, Sequence[Shift | TimeEntry | SpanRecord]]]:
    """A placement's two kinds of case, each read when its turn comes (unless the
    cache read it ahead): its planned shifts, then its logged time entries."""
    shifts = cache.spans("shift", placement_id)
    yield "shifts", _rows(s, Shift, placement_id) if shifts is None else shifts
    entries = cache.spans("entry", placement_id)
    yield "entries", _rows(s, TimeEntry, placement_id) if entries is None else entries


@dataclass(frozen=True, slots=True)
class SpanPart:
    """A break of a prefetched record (local times), as ``WorkBreak`` has them."""

    start_local: datetime
    end_local: datetime


@dataclass(frozen=True, slots=True)
class TaskPart:
    """A task of a prefetched record, as ``WorkTask`` has it."""

    task_key: str
    minutes: int | None
    details: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class SpanRecord:
    """A stored shift or time entry as the checks read it: plain values from a few
    queries for hundreds of placements, instead of ORM objects (an import reads
    tens of thousands)."""

    kind: str  # "shift" | "entry"
    id: int
    placement_id: int
    work_date: date
    start_local: datetime
    end_local: datetime
    area_id: int | None
    supervisor_staff_id: int | None
    supervisor_21_or_older: bool | None
    auto_break_minutes: int | None
    breaks: tuple[SpanPart, ...]
    tasks: tuple[TaskPart, ...]


def _span_records(s: Session, kind: str, placement_ids: list[int]) -> list[SpanRecord]:
    """The shifts (``kind`` "shift") or time entries of ``placement_ids``, with their
    breaks (in time order) and tasks, in three queries."""
    model: type[Shift] | type[TimeEntry] = Shift if kind == "shift" else TimeEntry
    owner = WorkBreak.shift_id if kind == "shift" else WorkBreak.time_entry_id
    task_owner = WorkTask.shift_id if kind == "shift" else WorkTask.time_entry_id
    mine = model.placement_id.in_(placement_ids)
    breaks: dict[int | None, list[SpanPart]] = {}
    for owner_id, start, end in s.execute(
        select(owner, WorkBreak.start_local, WorkBreak.end_local)
        .join(model, model.id == owner)
        .where(mine)
        .order_by(owner, WorkBreak.start_local)
    ):
        breaks.setdefault(owner_id, []).append(SpanPart(start, end))
    tasks: dict[int | None, list[TaskPart]] = {}
    for owner_id, key, minutes, details in s.execute(
        select(task_owner, WorkTask.task_key, WorkTask.minutes, WorkTask.details)
        .join(model, model.id == task_owner)
        .where(mine)
        .order_by(task_owner, WorkTask.id)
    ):
        tasks.setdefault(owner_id, []).append(TaskPart(key, minutes, details))
    auto = TimeEntry.auto_break_minutes if kind == "entry" else null()
    rows = s.execute(
        select(
            model.id,
            model.placement_id,
            model.work_date,
            model.start_local,
            model.end_local,
            model.area_id,
            model.supervisor_staff_id,
            model.supervisor_21_or_older,
            auto,
        ).where(mine)
    )
    return [
        SpanRecord(
            kind,
            *values,
            tuple(breaks.get(values[0], ())),
            tuple(tasks.get(values[0], ())),
        )
        for values in rows
    ]


def _chunks(ids: list[int], size: int = 500) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _rows(s: Session, model: type[SpanRow], placement_id: int) -> list[SpanRow]:
    return list(
        s.scalars(
            select(model)
            .where(model.placement_id == placement_id)
            .options(selectinload(model.breaks), selectinload(model.tasks))
        )
    )


def _hours_worked_before(
    s: Session, intern: Intern, placement_id: int | None, day: date, cache: FactCache | None = None
) -> float:
    """Hours logged for the employer in ``day``'s calendar year before ``day`` under the
    intern's other placements: the youth wage's 650-hour counter runs per employer."""
    others = [p.id for p in intern.placements if p.id != placement_id]
    if not others:
        return 0.0
    first = date(day.year, 1, 1)
    minutes = cache.worked_before(others, first, day) if cache else None
    if minutes is None:
        entries = s.scalars(
            select(TimeEntry)
            .where(
                TimeEntry.placement_id.in_(others),
                TimeEntry.work_date >= first,
                TimeEntry.work_date < day,
            )
            .options(selectinload(TimeEntry.breaks))
        )
        minutes = sum(map(record_minutes, entries))
    return minutes / 60


#: When each copy of a document is valid: (issued on, expires on), either unknown.
Spans = tuple[tuple[date | None, date | None], ...]


#: A document as the checks read it: its id, type, issued on, expires on.
DocumentRow = tuple[int, str, date | None, date | None]


def _documents(s: Session, where: ColumnElement[bool]) -> tuple[frozenset[str], dict[str, Spans]]:
    """The engine's document facts: which known documents are on file, and when each
    copy is valid (the engine asks per shift date)."""
    return _document_facts(
        s.execute(
            select(Document.doc_type, Document.issued_on, Document.expires_on)
            .where(where)
            .order_by(Document.id)
        )
    )


def _document_facts(rows: Iterable[Any]) -> tuple[frozenset[str], dict[str, Spans]]:
    spans: dict[str, list[tuple[date | None, date | None]]] = {}
    for doc_type, issued, expires in rows:
        if doc_type in DOCUMENTS:
            spans.setdefault(doc_type, []).append((issued, expires))
    return frozenset(spans), {k: tuple(v) for k, v in spans.items()}


def _documents_of(s: Session, placement_ids: list[int]) -> dict[Any, list[DocumentRow]]:
    """The documents of ``placement_ids`` (by placement id) and of their interns (by
    ``("intern", id)``), each placement present, in a few queries."""
    out: dict[Any, list[DocumentRow]] = {pid: [] for pid in placement_ids}
    for chunk in _chunks(placement_ids):
        interns = select(Placement.intern_id).where(Placement.id.in_(chunk))
        for intern_id, placement_id, doc_id, doc_type, issued, expires in s.execute(
            select(
                Document.intern_id,
                Document.placement_id,
                Document.id,
                Document.doc_type,
                Document.issued_on,
                Document.expires_on,
            ).where(Document.placement_id.in_(chunk) | Document.intern_id.in_(interns))
        ):
            row = (doc_id, doc_type, issued, expires)
            if intern_id is not None:
                out.setdefault(("intern", intern_id), []).append(row)
            if placement_id in out:
                out[placement_id].append(row)
    return out


def _notice_hours(placement: Placement) -> tuple[f.CertificateHours, ...]:
    return tuple(
        f.CertificateHours(frozenset({n.weekday}), n.start_time, n.end_time)
        for n in placement.notice_hours
    )


#: A calendar's canonical JSON for the hash, by the calendar's ``id`` (the calendar
#: kept with it, so a reused id is never taken for it).
DaysMemo = dict[int, tuple[object, str]]


def _days(calendar: Mapping[date, tuple[time, time]] | None, memo: DaysMemo) -> str:
    """``canonical_json`` of a calendar's days, rendered once per calendar: every case
    of a district shares it, and it is most of what a hash reads."""
    if not calendar:
        return "[]"
    hit = memo.get(id(calendar))
    if hit is not None and hit[0] is calendar:
        return hit[1]
    rendered = canonical_json(sorted((d.isoformat(), str(h)) for d, h in calendar.items()))
    memo[id(calendar)] = (calendar, rendered)
    return rendered


def case_hash(case: f.Case, days: DaysMemo | None = None) -> str:
    """A hash of every fact the check reads and of the rule-pack versions, so a
    stored finding whose facts or packs changed can be told apart (stale). ``days``
    remembers the school calendars rendered for earlier cases."""
    memo: DaysMemo = {} if days is None else days
    rules = load_rules(case.worksite_state)
    shifts = [
        (
            s.span.start.isoformat(),
            s.span.end.isoformat(),
            [(b.start.isoformat(), b.end.isoformat()) for b in s.breaks],
            [(t.key, t.minutes, dict(t.details)) for t in s.tasks],
            s.supervisor_age,
            s.supervisor_21_or_older,
            *([s.auto_break_minutes] if s.auto_break_minutes else []),
        )
        for s in case.shifts
    ]
    intern = case.intern
    parts = {
        "packs": rules.versions,
        "intern": [
            intern.birth_date.isoformat(),
            intern.paid,
            intern.hourly_rate_cents,
            intern.hours_this_year_before,
            intern.program,
            intern.employee_status,
            sorted(intern.documents),
            sorted((k, repr(v)) for k, v in intern.document_spans.items()),
            repr(intern.certificate_hours),
            repr(intern.primary_beneficiary),
        ],
        "site": [
            case.worksite_state,
            case.worksite_city,
            case.worksite_tz,
            case.flsa_covered,
            case.workweek_start,
            case.child_labor_notice_posted,
        ],
        "shifts": shifts,
    }
    rendered = {key: canonical_json(value) for key, value in parts.items()}
    rendered["school"] = _days(case.school_days, memo)
    rendered["attended"] = _days(case.attended, memo)
    # canonical_json of the whole payload: its keys in order, each with its value's
    whole = "{" + ",".join(f'"{key}":{rendered[key]}' for key in sorted(rendered)) + "}"
    return hashlib.sha256(whole.encode()).hexdigest()
