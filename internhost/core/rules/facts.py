"""The facts a check runs on: one intern's case, in plain frozen values.

Times are local wall-clock times at the worksite; ``Shift`` turns them into
elapsed minutes through the worksite's time zone once, so a shift across a
daylight-saving change counts the time really worked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from internhost.core.rules.packs import default_hourly_rate_cents

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@dataclass(frozen=True)
class TaskFact:
    key: str
    #: None: the task spans the whole shift.
    minutes: int | None = None
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Interval:
    """A span of local wall-clock time, with its real UTC instants."""

    start: datetime
    end: datetime
    start_utc: datetime
    end_utc: datetime

    @property
    def minutes(self) -> float:
        return (self.end_utc - self.start_utc).total_seconds() / 60


@dataclass(frozen=True)
class CertificateHours:
    days: frozenset[str]
    start: time
    end: time


@dataclass(frozen=True)
class Driver:
    licensed: bool | None = None
    driver_ed_completed: bool | None = None
    moving_violations: bool | None = None


@dataclass(frozen=True)
class InternFacts:
    birth_date: date
    paid: bool = True
    #: By default the wage pack's ``[default_rate]``.
    hourly_rate_cents: int | None = field(default_factory=default_hourly_rate_cents)
    hours_this_year_before: float = 0
    program: str = "employment"
    employee_status: str = "employee"
    documents: frozenset[str] = frozenset()
    #: When each document is valid (issued, expires; None: open-ended). A document
    #: without spans is valid on every date, as ``internhost check`` states them.
    document_spans: Mapping[str, tuple[tuple[date | None, date | None], ...]] = field(
        default_factory=dict
    )
    certificate_hours: tuple[CertificateHours, ...] | None = None
    driver: Driver = Driver()
    #: The seven primary-beneficiary answers (True: points to the intern), if recorded.
    primary_beneficiary: tuple[bool | None, ...] | None = None

    def has_document(self, name: str, on: date) -> bool:
        """On file and valid on ``on``: a certificate covers only the shifts it was
        valid for, not those before it was issued or after it expired."""
        if name not in self.documents:
            return False
        spans = self.document_spans.get(name)
        return not spans or any(
            (start is None or start <= on) and (end is None or on <= end) for start, end in spans
        )


@dataclass(frozen=True)
class Shift:
    index: int
    span: Interval
    breaks: tuple[Interval, ...] = ()
    tasks: tuple[TaskFact, ...] = ()
    supervisor_age: int | None = None
    supervisor_21_or_older: bool | None = None
    #: Opaque identity of the stored shift or time entry ("shift:12"), for stored findings.
    ref: str | None = None
    #: Minutes a time clock deducted as a break with no punches: not worked, yet no
    #: break for the meal and continuous-work rules (nobody recorded when, or whether,
    #: it was taken), so the stretches of work run through it.
    auto_break_minutes: int = 0

    @cached_property
    def date(self) -> date:
        return self.span.start.date()

    @cached_property
    def worked(self) -> tuple[Interval, ...]:
        """The shift minus its breaks (breaks are unpaid: time not worked)."""
        pieces: list[Interval] = []
        cursor = self.span.start_utc
        cursor_local = self.span.start
        for brk in sorted(self.breaks, key=lambda b: b.start_utc):
            if brk.start_utc > cursor:
                pieces.append(Interval(cursor_local, brk.start, cursor, brk.start_utc))
            if brk.end_utc > cursor:
                cursor, cursor_local = brk.end_utc, brk.end
        if self.span.end_utc > cursor:
            pieces.append(Interval(cursor_local, self.span.end, cursor, self.span.end_utc))
        return tuple(pieces)

    @cached_property
    def worked_minutes(self) -> float:
        return max(0.0, sum(p.minutes for p in self.worked) - self.auto_break_minutes)


@dataclass(frozen=True)
class Case:
    intern: InternFacts
    shifts: tuple[Shift, ...]
    worksite_state: str | None = "IL"
    #: The worksite's city, for local minimum-wage overlays.
    worksite_city: str | None = None
    worksite_tz: str = "America/Chicago"
    flsa_covered: bool = True
    workweek_start: int = 6  # Monday=0 … Sunday=6
    child_labor_notice_posted: bool = True
    #: Residence district calendar (federal); None: no calendar was given at all.
    school_days: Mapping[date, tuple[time, time]] | None = None
    #: The intern's own attendance (Illinois school-plus-work); defaults to school_days.
    attended_school_days: Mapping[date, tuple[time, time]] | None = None

    @property
    def attended(self) -> Mapping[date, tuple[time, time]]:
        if self.attended_school_days is not None:
            return self.attended_school_days
        return self.school_days or {}

    def week_start(self, day: date) -> date:
        return day - timedelta(days=(day.weekday() - self.workweek_start) % 7)


class LocalTimeError(ValueError):
    """A local time that does not exist in the zone (skipped by a DST change)."""


@lru_cache(maxsize=1 << 16)
def to_utc(local: datetime, zone: ZoneInfo) -> datetime:
    """The instant of a local wall-clock time: ambiguous times take their first
    occurrence; times skipped by a daylight-saving change are an error. Remembered:
    a check of many interns converts the same punch times again and again."""
    aware = local.replace(tzinfo=zone, fold=0)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != local:
        raise LocalTimeError(f"{local.isoformat(timespec='minutes')} does not exist in {zone.key}")
    return aware.astimezone(UTC)


def interval(start: datetime, end: datetime, zone: ZoneInfo) -> Interval:
    return Interval(start, end, to_utc(start, zone), to_utc(end, zone))
