"""Workweeks and hours worked: the arithmetic approval, pay periods, payroll and the
Hours tab share.

A workweek starts on the employer's ``workweek_start`` (``WEEKDAYS``: "mon" …
"sun"); hours worked are a span less its unpaid breaks and any break the clock
deducted without punches. Minutes are integers, so sums never drift. This is the
one count of a logged entry's minutes worked: the entry dialog's (``timespans``)
and the checks' yearly hour counter (``case_facts``) are this one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import Protocol

from internhost.core.models.enums import WEEKDAYS


def week_start(day: date, workweek_start: str) -> date:
    """The first day of the workweek holding ``day``."""
    first = WEEKDAYS.index(workweek_start)
    return day - timedelta(days=(day.weekday() - first) % 7)


def span_minutes(start: datetime, end: datetime) -> int:
    return int((end - start).total_seconds() // 60)


def worked_minutes(
    start: datetime,
    end: datetime,
    breaks: Iterable[tuple[datetime, datetime]] = (),
    auto_break_minutes: int | None = None,
) -> int:
    """Minutes worked: the span, less the unpaid breaks inside it and a clock's
    deducted break (never below zero)."""
    unpaid = sum(max(0, span_minutes(max(b0, start), min(b1, end))) for b0, b1 in breaks)
    return max(0, span_minutes(start, end) - unpaid - (auto_break_minutes or 0))


class _Part(Protocol):
    @property
    def start_local(self) -> datetime: ...
    @property
    def end_local(self) -> datetime: ...


class Logged(_Part, Protocol):
    """A stored time entry or shift, or a record read like one: its local times and
    its breaks (``auto_break_minutes`` where a clock deducted one)."""

    @property
    def breaks(self) -> Sequence[_Part]: ...


def record_minutes(record: Logged) -> int:
    """``worked_minutes`` of a stored record with its breaks."""
    return worked_minutes(
        record.start_local,
        record.end_local,
        [(b.start_local, b.end_local) for b in record.breaks],
        getattr(record, "auto_break_minutes", None),
    )


def hours(minutes: int) -> float:
    """Minutes as decimal hours, two places (what files and screens show)."""
    return round(minutes / 60, 2)
