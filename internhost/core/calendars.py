"""School calendars as data: which days are in session, and at what hours.

A calendar says "weekdays from the first to the last day, at the default hours",
plus exceptions (no school, early dismissal, late start). The rules engine, the
planner and the sample data all ask this one function.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

SATURDAY = 5


@dataclass(frozen=True)
class DayException:
    kind: str  # no_school | early_dismissal | late_start
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class Calendar:
    first_day: date
    last_day: date
    day_start: time
    day_end: time
    exceptions: Mapping[date, DayException]

    def hours_on(self, day: date) -> tuple[time, time] | None:
        """School hours on ``day``, or None when school is not in session."""
        if not self.first_day <= day <= self.last_day or day.weekday() >= SATURDAY:
            return None
        exc = self.exceptions.get(day)
        if exc is None:
            return self.day_start, self.day_end
        if exc.kind == "no_school":
            return None
        return exc.start or self.day_start, exc.end or self.day_end

    def school_days(self) -> Iterator[tuple[date, tuple[time, time]]]:
        """Every day in session, with its hours: the weekdays of the school year
        (a dateutil recurrence) less the days off."""
        from dateutil.rrule import DAILY, FR, MO, TH, TU, WE, rrule

        weekdays = rrule(
            DAILY,
            dtstart=datetime.combine(self.first_day, time()),
            until=datetime.combine(self.last_day, time()),
            byweekday=(MO, TU, WE, TH, FR),
        )
        for moment in weekdays:
            hours = self.hours_on(moment.date())
            if hours is not None:
                yield moment.date(), hours
