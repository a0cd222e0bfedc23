"""A logged time entry's shape: punches on a work date → local wall-clock instants.

The entry dialog and the time-clock import read punches the same way, so both go
through here: an out-time is on the work date unless an out date says otherwise
(a shift past midnight), a break's times fall inside the entry (after midnight when
the entry runs past it), and two entries of one intern may touch but not overlap.
Pure: no session, no clock. Messages name what is wrong for the field that has it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from internhost.core import workweeks

#: The longest an entry may run, in days after its work date (a night shift ends the
#: next morning; anything longer is a punch missed).
MAX_OUT_DAYS = 1


@dataclass(frozen=True)
class Span:
    start: datetime
    end: datetime

    @property
    def minutes(self) -> float:
        return (self.end - self.start) / timedelta(minutes=1)

    def overlaps(self, other: Span) -> bool:
        """Overlapping, not merely touching (one ends as the other starts)."""
        return self.start < other.end and other.start < self.end


def hhmm(moment: datetime | time) -> str:
    return f"{moment.hour:02d}:{moment.minute:02d}"


def entry_span(work_date: date, start: time, end: time, out_date: date | None) -> Span | str:
    """The entry's span, or why the punches make none (a message for the out-time)."""
    begin = datetime.combine(work_date, start.replace(second=0, microsecond=0))
    day = out_date or work_date
    if out_date is not None and not work_date <= out_date <= work_date + timedelta(MAX_OUT_DAYS):
        return f"the out date {out_date.isoformat()} is not the work date or the day after"
    finish = datetime.combine(day, end.replace(second=0, microsecond=0))
    if finish <= begin:
        if out_date is None:
            return (
                f"{hhmm(end)} is not after the in-time {hhmm(start)}; "
                "for a shift past midnight give the out date"
            )
        return f"{hhmm(end)} on {day.isoformat()} is not after the in-time {hhmm(start)}"
    return Span(begin, finish)


def break_span(entry: Span, start: time, end: time) -> Span | str:
    """A break's span inside ``entry`` (a time before the entry's start is the next
    day's), or why it does not fit."""
    begin = datetime.combine(entry.start.date(), start.replace(second=0, microsecond=0))
    if begin < entry.start:
        begin += timedelta(days=1)
    finish = datetime.combine(begin.date(), end.replace(second=0, microsecond=0))
    if finish <= begin:
        finish += timedelta(days=1)
    if begin < entry.start or finish > entry.end:
        return (
            f"the break {hhmm(start)}–{hhmm(end)} is not inside the entry "
            f"{hhmm(entry.start)}–{hhmm(entry.end)}"
        )
    return Span(begin, finish)


def overlapping(spans: Sequence[Span]) -> int | None:
    """The index of the first span that overlaps an earlier one, if any."""
    for i, span in enumerate(spans):
        if any(span.overlaps(other) for other in spans[:i]):
            return i
    return None


def first_clash(span: Span, others: Iterable[Span]) -> Span | None:
    """The first of ``others`` that ``span`` overlaps."""
    return next((other for other in others if span.overlaps(other)), None)


def worked_minutes(span: Span, breaks: Iterable[Span], auto_break_minutes: int | None) -> int:
    """The minutes worked: the span less its punched breaks and a clock's deduction,
    as ``workweeks.worked_minutes`` counts them for approval and payroll."""
    return workweeks.worked_minutes(
        span.start, span.end, [(b.start, b.end) for b in breaks], auto_break_minutes
    )


def describe(span: Span) -> str:
    """``2025-10-14 15:30–17:30`` (with the out date when it differs)."""
    end = hhmm(span.end)
    if span.end.date() != span.start.date():
        end = f"{span.end.date().isoformat()} {end}"
    return f"{span.start.date().isoformat()} {hhmm(span.start)}–{end}"
