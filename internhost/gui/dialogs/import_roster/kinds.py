"""What tells one import the dialog runs from another: a school's roster or a time
clock's punches. The steps are the same (file, columns, preview, result); a kind
names the file, its columns (the core's ``ColumnSpec``), the core function that
imports it, the options it takes and the record kinds a commit changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from internhost.core.importers import hours, roster
from internhost.core.importers.mapping import ColumnSpec
from internhost.core.importers.result import ImportReport


@dataclass(frozen=True)
class ImportKind:
    #: Where the dialog keeps its size and its last folder (``UiSettings``).
    key: str
    title: str
    #: The file as the steps name it ("roster", "time-clock file").
    noun: str
    spec: ColumnSpec
    intro: str
    #: The core import: ``run(factory, actor, path, **options)``.
    run: Callable[..., ImportReport]
    #: What a commit changed (``gui.ops.KINDS``).
    changes: frozenset[str]
    #: The roster's options: a default school, updating interns on record.
    school_options: bool
    #: A record a row writes, for the result ("new intern", "time entry").
    record: str
    #: What an unchanged row is, for the result.
    unchanged: str


ROSTER = ImportKind(
    key="import_roster",
    title="Import a roster",
    noun="roster",
    spec=roster.SPEC,
    intro="Choose the roster as a CSV file, saved from Excel (CSV UTF-8 or CSV) or exported "
    "from the student information system. Nothing is written until you press Import "
    "on the last step.",
    run=roster.import_roster,
    changes=frozenset({"intern", "placement", "checklist"}),
    school_options=True,
    record="new intern",
    unchanged="intern on record already matched the file",
)

HOURS = ImportKind(
    key="import_hours",
    title="Import hours",
    noun="time-clock file",
    spec=hours.SPEC,
    intro="Choose the time clock's export as a CSV file: a row per punch pair, naming the "
    "intern by badge or student ID. A row already imported is skipped, so a file that "
    "grows through the term can be imported again. Nothing is written until you press "
    "Import on the last step.",
    run=hours.import_hours,
    changes=frozenset({"time_entry", "finding"}),
    school_options=False,
    record="time entry",
    unchanged="entry was imported before",
)


def options_for(kind: ImportKind, school: str | None, update_existing: bool) -> dict[str, Any]:
    """The kind's own keyword options for its core import."""
    if not kind.school_options:
        return {}
    return {"school": school, "update_existing": update_existing}
