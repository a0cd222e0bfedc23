"""The sample's fixed part as data: ``resources/sample/demo.toml`` (employer,
worksites, staff, districts with their calendars, schools, six named interns, and the
names and phrases the generator draws from) and the competency framework the
evaluations rate against.

The file's dates describe one day, its ``reference_day``; ``laid_out`` moves them
to the day the sample is loaded, so a demo always opens on a term in progress."""

from __future__ import annotations

import copy
import tomllib
from datetime import date, time, timedelta
from functools import cache
from typing import Any

from internhost.paths import resource

#: A term is named for the season of its middle (school terms: spring to May).
SEASONS = ((5, "Spring"), (7, "Summer"), (12, "Fall"))


@cache
def load_spec() -> dict[str, Any]:
    with resource("sample", "demo.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def load_competencies() -> dict[str, Any]:
    with resource("competencies", "il-essential-employability.toml").open("rb") as fh:
        return tomllib.load(fh)


def reference_day() -> date:
    """The day the spec's dates describe as today."""
    return as_date(load_spec()["reference_day"])


def laid_out(today: date | None = None) -> dict[str, Any]:
    """The spec as loaded on ``today`` (the reference day when None).

    Every date moves by the whole number of weeks nearest ``today`` less the
    reference day: weekdays, ages on a date and school days keep their relations.
    Terms are renamed for their new season and year, calendars for their school
    year, and each term is logged up to the day before ``today`` (never past its
    end), which ``logged_through`` reads. The plants' closures are not in the spec:
    they are computed per year, on their real dates."""
    day = today or reference_day()
    weeks = round((day - reference_day()).days / 7)
    spec = _moved(copy.deepcopy(load_spec()), timedelta(weeks=weeks))
    spec["today"] = day
    for term in spec["terms"]:
        start, end = as_date(term["start"]), as_date(term["end"])
        term["logged_through"] = min(day - timedelta(days=1), end)
        if weeks:
            term["name"] = _term_name(start + (end - start) / 2)
    for district in spec["districts"]:
        for calendar in district["calendars"]:
            first = as_date(calendar["first_day"]).year
            calendar["school_year"] = f"{first}-{(first + 1) % 100:02d}"
    return spec


def _moved(value: Any, by: timedelta) -> Any:
    """``value`` with every date inside it (in tables and lists) moved ``by``."""
    if isinstance(value, date):
        return value + by
    if isinstance(value, dict):
        return {key: _moved(item, by) for key, item in value.items()}
    if isinstance(value, list):
        return [_moved(item, by) for item in value]
    return value


def _term_name(middle: date) -> str:
    season = next(name for last_month, name in SEASONS if middle.month <= last_month)
    return f"{season} {middle.year}"


def as_time(text: str) -> time:
    return time.fromisoformat(text)


def as_date(value: str | date) -> date:
    """A date the spec gives as a TOML date or as ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def logged_through(term: dict[str, Any]) -> date:
    """The last day of a term whose hours are logged (``laid_out`` sets it): its end
    unless it says otherwise."""
    return as_date(term.get("logged_through", term["end"]))
