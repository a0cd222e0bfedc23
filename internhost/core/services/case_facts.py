"""Turning stored records into the rule engine's facts.

One case per placement and kind: its planned shifts, or its logged time
entries. The calendar of the district where the intern lives drives the federal
school-hour rules; the attending school's calendar drives Illinois' school-plus-
work cap (LEGAL.md §0). A shift in a production area counts as a production-floor
task even when nobody recorded one, so the workroom ban cannot be missed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, time
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, selectinload

from internhost.core.calendars import Calendar, DayException
from internhost.core.models import (
    Area,
    Document,
    Employer,
    Intern,
    Placement,
    School,
    SchoolCalendar,
    Shift,
    Staff,
    TimeEntry,
    Worksite,
)
from internhost.core.models.enums import WEEKDAYS
from internhost.core.models.interns import PRIMARY_BENEFICIARY_FACTORS
from internhost.core.rules import facts as f
from internhost.core.rules.packs import load_rules
from internhost.core.rules.parse import DOCUMENTS
from internhost.core.trail.audit import canonical_json


@dataclass(frozen=True)
class StoredCase:
    """A case and what its shift indexes stand for in the database."""

    placement_id: int
    kind: str  # "shifts" | "entries"
    case: f.Case
    refs: tuple[str, ...]  # index -> "shift:12" / "entry:40"
    input_hash: str


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
        exceptions = {d.day: DayException(d.kind, d.start_time, d.end_time) for d in cal.days}
        calendar = Calendar(cal.first_day, cal.last_day, cal.day_start, cal.day_end, exceptions)
        out.update(calendar.school_days())
    return out


def _supervisor_21(row: Shift | TimeEntry, staff: dict[int, Staff]) -> bool | None:
    """Recorded on the row, else attested on the supervisor's staff record."""
    if row.supervisor_21_or_older is not None:
        return row.supervisor_21_or_older
    member = staff.get(row.supervisor_staff_id) if row.supervisor_staff_id else None
    return True if member and member.is_21_or_older else None


def _span_facts(
    rows: Sequence[Shift | TimeEntry],
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
        ref = f"{'shift' if isinstance(row, Shift) else 'entry'}:{row.id}"
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
        #: Shifts and entries read ahead by ``prefetch``, by (model, placement id).
        self._spans: dict[tuple[type, int], list[Any]] = {}
        #: School calendars as ``case_hash`` renders them: every case of a district
        #: shares its calendar, which is most of what a hash reads.
        self.days: DaysMemo = {}

    def prefetch(self, placement_ids: Collection[int]) -> None:
        """Read the shifts and time entries of many placements in a few queries, for
        the checks that follow (an import checks hundreds of interns at once);
        each placement's are handed out once and let go."""
        ids = list(placement_ids)
        for model in (Shift, TimeEntry):
            found: dict[int, list[Any]] = {pid: [] for pid in ids}
            for chunk in _chunks(ids):
                rows: list[Shift] | list[TimeEntry] = (
                    _span_query(self.s, Shift, chunk)
                    if model is Shift
                    else _span_query(self.s, TimeEntry, chunk)
                )
                for row in rows:
                    found[row.placement_id].append(row)
            self._spans.update({(model, pid): rows for pid, rows in found.items()})

    def spans(self, model: type[SpanRow], placement_id: int) -> list[SpanRow] | None:
        """The prefetched rows of ``model`` for a placement (once), or None."""
        return self._spans.pop((model, placement_id), None)

    def calendar(self, district_id: int | None) -> dict[date, tuple[time, time]]:
        if district_id not in self._calendars:
            self._calendars[district_id] = district_calendar(self.s, district_id)
        return self._calendars[district_id]


def placement_cases(s: Session, intern: Intern, cache: FactCache | None = None) -> list[StoredCase]:
    """The cases to check for every placement of ``intern`` that has a worksite."""
    cache = cache or FactCache(s)
    employer = cache.employer
    residence = intern.residence_district_id or cache.school_district.get(intern.school_id)
    federal_calendar = cache.calendar(residence)
    out: list[StoredCase] = []
    for placement in intern.placements:
        if placement.worksite_id is None or placement.archived_at is not None:
            continue
        site = cache.sites[placement.worksite_id]
        zone = ZoneInfo(site.time_zone)
        attended = cache.calendar(cache.school_district.get(placement.school_id))
        documents, spans = _documents(
            s, (Document.intern_id == intern.id) | (Document.placement_id == placement.id)
        )
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
        for kind, rows in _span_rows(s, placement.id, cache):
            if not rows:
                continue
            shifts, refs = _span_facts(rows, zone, cache.production_areas, cache.staff)
            first_day = min(sh.date for sh in shifts)
            earlier = _hours_worked_before(s, intern, placement.id, first_day)
            case = f.Case(
                intern=replace(intern_facts, hours_this_year_before=earlier),
                shifts=shifts,
                worksite_state=site.state,
                worksite_city=site.city or None,
                worksite_tz=site.time_zone,
                flsa_covered=employer.flsa_covered if employer else True,
                workweek_start=WEEKDAYS.index(employer.workweek_start if employer else "sun"),
                child_labor_notice_posted=bool(employer and employer.child_labor_notice_posted_on),
                school_days=federal_calendar or None,
                attended_school_days=attended or None,
            )
            out.append(StoredCase(placement.id, kind, case, refs, case_hash(case, cache.days)))
    return out


#: A planned shift or a logged time entry: the rows a case is made of.
SpanRow = TypeVar("SpanRow", Shift, TimeEntry)


def _span_rows(
    s: Session, placement_id: int, cache: FactCache
) -> Iterator[tuple[str, Sequence[Shift | TimeEntry]]]:
    """A placement's two kinds of case, each read when its turn comes (unless the
    cache read it ahead): its planned shifts, then its logged time entries."""
    shifts = cache.spans(Shift, placement_id)
    yield "shifts", _rows(s, Shift, placement_id) if shifts is None else shifts
    entries = cache.spans(TimeEntry, placement_id)
    yield "entries", _rows(s, TimeEntry, placement_id) if entries is None else entries


def _span_query(s: Session, model: type[SpanRow], placement_ids: list[int]) -> list[SpanRow]:
    return list(
        s.scalars(
            select(model)
            .where(model.placement_id.in_(placement_ids))
            .options(selectinload(model.breaks), selectinload(model.tasks))
        )
    )


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


def _hours_worked_before(s: Session, intern: Intern, placement_id: int, day: date) -> float:
    """Hours logged for the employer in ``day``'s calendar year before ``day`` under the
    intern's other placements: the youth wage's 650-hour counter runs per employer."""
    others = [p.id for p in intern.placements if p.id != placement_id]
    if not others:
        return 0.0
    entries = s.scalars(
        select(TimeEntry)
        .where(
            TimeEntry.placement_id.in_(others),
            TimeEntry.work_date >= date(day.year, 1, 1),
            TimeEntry.work_date < day,
        )
        .options(selectinload(TimeEntry.breaks))
    )
    minutes = sum(
        (e.end_local - e.start_local).total_seconds() / 60
        - sum((b.end_local - b.start_local).total_seconds() / 60 for b in e.breaks)
        - (e.auto_break_minutes or 0)
        for e in entries
    )
    return minutes / 60


#: When each copy of a document is valid: (issued on, expires on), either unknown.
Spans = tuple[tuple[date | None, date | None], ...]


def _documents(s: Session, where: ColumnElement[bool]) -> tuple[frozenset[str], dict[str, Spans]]:
    """The engine's document facts: which known documents are on file, and when each
    copy is valid (the engine asks per shift date)."""
    spans: dict[str, list[tuple[date | None, date | None]]] = {}
    for doc_type, issued, expires in s.execute(
        select(Document.doc_type, Document.issued_on, Document.expires_on).where(where)
    ):
        if doc_type in DOCUMENTS:
            spans.setdefault(doc_type, []).append((issued, expires))
    return frozenset(spans), {k: tuple(v) for k, v in spans.items()}


def _notice_hours(placement: Placement) -> tuple[f.CertificateHours, ...]:
    return tuple(
        f.CertificateHours(frozenset({n.weekday}), n.start_time, n.end_time)
        for n in placement.notice_hours
    )


#: A calendar's rendering for the hash, by the calendar's ``id`` (the calendar kept
#: with it, so a reused id is never taken for it).
DaysMemo = dict[int, tuple[object, list[tuple[str, str]]]]


def _days(
    calendar: Mapping[date, tuple[time, time]] | None, memo: DaysMemo
) -> list[tuple[str, str]]:
    if not calendar:
        return []
    hit = memo.get(id(calendar))
    if hit is not None and hit[0] is calendar:
        return hit[1]
    rendered = sorted((d.isoformat(), str(h)) for d, h in calendar.items())
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
    payload = {
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
        "school": _days(case.school_days, memo),
        "attended": _days(case.attended, memo),
        "shifts": shifts,
    }
    return hashlib.sha256(canonical_json(payload).encode()).hexdigest()
