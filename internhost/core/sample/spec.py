"""The sample's fixed part as data: ``resources/sample/demo.toml`` (employer,
worksites, staff, districts with their calendars, schools, six named interns, and the
names and phrases the generator draws from) and the competency framework the
evaluations rate against."""

from __future__ import annotations

import tomllib
from datetime import date, time
from functools import cache
from typing import Any

from internhost.paths import resource


@cache
def load_spec() -> dict[str, Any]:
    with resource("sample", "demo.toml").open("rb") as fh:
        return tomllib.load(fh)


@cache
def load_competencies() -> dict[str, Any]:
    with resource("competencies", "il-essential-employability.toml").open("rb") as fh:
        return tomllib.load(fh)


def as_time(text: str) -> time:
    return time.fromisoformat(text)


def as_date(value: str | date) -> date:
    """A date the spec gives as a TOML date or as ISO text."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def logged_through(term: dict[str, Any]) -> date:
    """The last day of a term whose hours are logged: its end unless it says otherwise."""
    return as_date(term.get("logged_through", term["end"]))
