"""Work periods: the hours worked, read the same way by every hours rule.

Clock data splits work into several records (a punch at midnight, a lunch punch,
a split shift); the law counts the hours worked, not how they were punched. So the
meal, continuous-work, daily and rolling-window rules all read what is built here:

- records that touch (one ends as the next starts) are one period;
- time not worked between two stretches of work is a break, whether it is an
  unpaid break inside a record or a gap between two records: each rule judges it
  by its own numbers, the same way in both cases;
- a period belongs to the day its first record starts on, as a single record
  running over midnight always has; a day's work is the periods of that day, the
  gaps between them being breaks. A record starting on a later day after a gap is
  that day's work: nothing in the law says how long a pause ends a day's work.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from itertools import pairwise
from operator import attrgetter

from internhost.core.rules.facts import Interval, Shift

MINUTE = timedelta(minutes=1)
_START = attrgetter("span.start_utc")


@dataclass(frozen=True)
class Stretch:
    """Work without a break: worked pieces of one or more records, in time order,
    each beginning as the one before it ends."""

    start_utc: datetime
    end_utc: datetime
    pieces: tuple[tuple[Interval, Shift], ...]

    @property
    def minutes(self) -> float:
        return (self.end_utc - self.start_utc) / MINUTE

    def record_at(self, instant: datetime) -> Shift:
        """The record worked from ``instant`` on: the first whose piece ends after it."""
        return next((s for p, s in self.pieces if p.end_utc > instant), self.pieces[-1][1])


@dataclass(frozen=True)
class Period:
    """Shifts' worked stretches with the breaks between them, and the day they belong to."""

    day: date
    records: tuple[Shift, ...]

    @cached_property
    def stretches(self) -> tuple[Stretch, ...]:
        """The worked pieces of the records, those that touch merged, in time order."""
        out: list[Stretch] = []
        pieces: list[tuple[Interval, Shift]] = []
        start = end = None
        for record in self.records:
            for piece in record.worked:
                if end is not None and piece.start_utc <= end:
                    end = max(end, piece.end_utc)
                else:
                    if start is not None and end is not None:
                        out.append(Stretch(start, end, tuple(pieces)))
                    start, end, pieces = piece.start_utc, piece.end_utc, []
                pieces.append((piece, record))
        if start is not None and end is not None:
            out.append(Stretch(start, end, tuple(pieces)))
        return tuple(out)

    @cached_property
    def worked_minutes(self) -> float:
        return sum(r.worked_minutes for r in self.records)

    @property
    def breaks(self) -> list[tuple[datetime, datetime]]:
        """Each pause between two stretches (UTC instants), in time order."""
        return [(a.end_utc, b.start_utc) for a, b in pairwise(self.stretches)]

    def record_reaching(self, minutes: float) -> Shift:
        """The record in which the hours worked reach ``minutes``: the first whose
        running total of worked minutes gets there (the last if none does)."""
        total = 0.0
        for record in self.records:
            total += record.worked_minutes
            if total >= minutes - 1e-9:
                return record
        return self.records[-1]


def periods(records: Iterable[Shift]) -> list[Period]:
    """Records joined where they touch (or overlap), in time order; each period's
    day is the local date its first record starts on."""
    return [Period(chain[0].date, tuple(chain)) for chain in _chains(records)]


def _chains(records: Iterable[Shift]) -> list[list[Shift]]:
    """Records in time order, in runs each starting as (or before) the run so far ends."""
    chains: list[list[Shift]] = []
    reach: datetime | None = None
    for record in sorted(records, key=_START):
        span = record.span
        if reach is not None and span.start_utc <= reach:
            chains[-1].append(record)
            if span.end_utc > reach:
                reach = span.end_utc
        else:
            chains.append([record])
            reach = span.end_utc
    return chains


def work_days(records: Iterable[Shift]) -> list[Period]:
    """One period per day worked: the day's periods joined, the gaps between them
    breaks, in time order."""
    days: list[Period] = []
    same_day: list[Shift] = []
    for chain in _chains(records):
        if same_day and chain[0].date != same_day[0].date:
            days.append(Period(same_day[0].date, tuple(same_day)))
            same_day = []
        same_day += chain
    if same_day:
        days.append(Period(same_day[0].date, tuple(same_day)))
    return days


def day_of(records: Iterable[Shift]) -> dict[int, date]:
    """Each record's day (by index): the day of the period it is in."""
    out: dict[int, date] = {}
    for chain in _chains(records):
        day = chain[0].date
        for record in chain:
            out[record.index] = day
    return out
