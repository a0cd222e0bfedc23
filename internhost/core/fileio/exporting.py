"""What every list export looks like, and the CSV and JSON writers.

The headers are the contract of issue 5 (the interns export re-imports through the
roster importer), so they live here once, beside the writers that format them.
Services hand the writers typed values (``date``, ``bool``, integer cents); the
writers own the text form, so the app and the command write identical files.
This module imports neither SQLAlchemy nor Qt: the command line can build its
parser from it without loading the database layer.

CSV: UTF-8 with a BOM (Excel then reads accents correctly), CRLF line ends, ISO
dates, ``yes``/``no``, money as dollars with two decimals, an empty cell for a
missing or hidden value, and every text cell passed through ``csvsafe.guard``; a
list of words joined by ``;``, an object (or a list of objects) as ``key: value``
lines. JSON: a list of objects with the headers as keys in order; ``true``/``false``,
money as a number of dollars, ISO date strings, ``null`` for a missing value, lists
and objects as they are, and a hidden field left out of the object. JSON text is not
guarded: no spreadsheet evaluates it.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from internhost.core.fileio.csvsafe import guard

#: The roster importer's canonical columns, in order (issue 5, "Roster import").
ROSTER_COLUMNS = (
    "first_name",
    "last_name",
    "preferred_name",
    "birth_date",
    "school",
    "grade",
    "student_id",
    "guardian_name",
    "guardian_phone",
    "guardian_email",
    "emergency_contact",
    "emergency_phone",
    "address",
    "district",
    "worksite",
    "placement_start",
    "placement_end",
    "paid",
    "hourly_rate",
    "program",
    "mentor_email",
    "badge",
)

HEADERS: dict[str, tuple[str, ...]] = {
    "interns": ("id", *ROSTER_COLUMNS, "status"),
    "placements": (
        "id",
        "intern_id",
        "first_name",
        "last_name",
        "school",
        "worksite",
        "mentor_email",
        "placement_start",
        "placement_end",
        "paid",
        "hourly_rate",
        "program",
        "required_hours",
        "status",
        "status_note",
        "badge",
    ),
    "staff": (
        "id",
        "name",
        "role",
        "email",
        "phone",
        "is_21_or_older",
        "clearance_date",
        "mentor_training_date",
        "status",
    ),
    "schools": (
        "id",
        "name",
        "district",
        "coordinator_name",
        "coordinator_email",
        "coordinator_phone",
    ),
    "worksites": ("id", "name", "address", "state", "time_zone"),
    #: Issue 13, §6: source is placement, plan or logged; status is HR's last decision.
    "findings": (
        "intern_id",
        "placement_id",
        "rule_id",
        "severity",
        "category",
        "source",
        "work_date",
        "message",
        "citation",
        "verification",
        "status",
        "stale",
        "decided_by",
        "reason",
    ),
    # Issue 13 §6: times as local HH:MM, hours decimal, tasks ";"-separated task keys
    # (what the time-clock import reads back).
    "shifts": (
        "id",
        "intern_id",
        "placement_id",
        "work_date",
        "start",
        "end",
        "area",
        "supervisor",
        "tasks",
    ),
    "time-entries": (
        "id",
        "intern_id",
        "placement_id",
        "badge",
        "student_id",
        "work_date",
        "start",
        "end",
        "break_minutes",
        "hours",
        "source",
        "approved_by",
        "approved_at",
        "locked",
    ),
    # Issue 14, "Command line and exports": topics a list, internal notes a list of
    # {author, text} (HR all, a mentor their own, a viewer none), ratings an object.
    "check-ins": (
        "id",
        "intern_id",
        "placement_id",
        "held_on",
        "minutes",
        "mode",
        "topics",
        "shared_notes",
        "internal_notes",
        "reflection",
        "concern",
        "author",
    ),
    "evaluations": (
        "id",
        "intern_id",
        "placement_id",
        "kind",
        "evaluated_on",
        "evaluator",
        "ratings",
        "strengths",
        "growth_areas",
        "school_verified_by",
        "school_verified_on",
    ),
    "incidents": (
        "id",
        "intern_id",
        "placement_id",
        "occurred_at",
        "kind",
        "worksite",
        "area",
        "equipment",
        "description",
        "guardian_notified_on",
        "school_notified_on",
        "idol_reported_on",
        "status",
    ),
}
ENTITIES = tuple(HEADERS)
FORMATS = ("csv", "json")
#: Columns holding money: integer cents in rows, dollars in files.
MONEY_COLUMNS = frozenset({"hourly_rate", "youth_rate", "adult_rate"})
#: Columns holding hours: a float in rows, two decimals in files.
HOURS_COLUMNS = frozenset(
    {
        "hours",
        "regular_hours",
        "overtime_hours",
        "youth_rate_hours",
        "adult_rate_hours",
        "unapproved_hours",
    }
)
BOM = "\ufeff"
#: How a list of words (a check-in's topics) is written in one CSV cell.
LIST_SEPARATOR = ";"

Row = Mapping[str, object]


def dollars(cents: int) -> str:
    """``1325`` -> ``"13.25"``, in integer arithmetic (no float rounding)."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def csv_cell(column: str, value: object) -> str:
    """The CSV text of one typed value."""
    if value is None:
        return ""
    if isinstance(value, bool):  # before int: bool is an int
        return "yes" if value else "no"
    if isinstance(value, int) and column in MONEY_COLUMNS:
        return dollars(value)
    if isinstance(value, float) and column in HOURS_COLUMNS:
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return guard(value)
    if isinstance(value, Mapping):  # key: value, a line each (an evaluation's ratings)
        return guard("\n".join(f"{k}: {csv_cell(column, v)}" for k, v in value.items()))
    if isinstance(value, list | tuple):
        if all(isinstance(item, Mapping) for item in value):
            # a list of objects (internal notes): a line each, its values "a: b"
            lines = (": ".join(str(v) for v in item.values()) for item in value)
            return guard("\n".join(lines))
        return guard(LIST_SEPARATOR.join(str(item) for item in value))
    return str(value)


def json_value(column: str, value: object) -> Any:
    """The JSON value of one typed value (``None`` becomes ``null``)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int) and column in MONEY_COLUMNS:
        return value / 100  # correctly rounded, so 1325 prints as 13.25
    if isinstance(value, float) and column in HOURS_COLUMNS:
        return round(value, 2)
    if isinstance(value, date):
        return value.isoformat()
    return value


def write_csv(
    stream: TextIO,
    headers: Iterable[str],
    rows: Iterable[Row],
    hidden: frozenset[str] = frozenset(),
) -> None:
    """Write the rows as CSV. ``stream`` should be opened with ``newline=""``.

    ``hidden`` is accepted for symmetry with ``write_json``: services already set
    hidden fields to None, which CSV writes as an empty cell.
    """
    columns = list(headers)
    writer = csv.writer(stream)
    stream.write(BOM)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(c, row.get(c)) for c in columns])


def write_json(
    stream: TextIO,
    headers: Iterable[str],
    rows: Iterable[Row],
    hidden: frozenset[str] = frozenset(),
) -> None:
    """Write the rows as a JSON list, one object a line, leaving out ``hidden`` keys."""
    columns = [c for c in headers if c not in hidden]
    stream.write("[")
    for index, row in enumerate(rows):
        obj = {c: json_value(c, row.get(c)) for c in columns}
        stream.write(",\n" if index else "\n")
        stream.write(json.dumps(obj, ensure_ascii=False))
    stream.write("\n]\n")


Writer = Callable[[TextIO, Iterable[str], Iterable[Row], frozenset[str]], None]
WRITERS: dict[str, Writer] = {"csv": write_csv, "json": write_json}


@contextmanager
def atomic_text_file(path: Path, database: Path) -> Iterator[TextIO]:
    """``path`` opened for UTF-8 text (no newline translation), written whole or not at
    all, never onto the database or its files (``outputs.output_file``)."""
    from internhost.core.fileio.outputs import output_file

    with output_file(path, database, op="export", mode="w", field="out") as stream:
        yield stream
