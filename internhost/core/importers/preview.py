"""What an interactive import (a roster, a time clock's file) shows before any row
is checked: the file's
headers, a few sample values under each, and which canonical column each header
would import as (and why), so a user can correct the mapping before the dry run.

Qt-free, for the GUI's mapping step; each function takes the import's
``ColumnSpec`` (the roster's by default). The proposal comes from the same
``mapping.resolve`` the import runs (this run's mappings, then remembered ones,
then the aliases), so what the step shows is what the import would do. The
user's choices go back to the import as ordinary ``mappings`` (remembered
on commit, as ``--map`` is) and, for a header the user chose to ignore, as its
position in ``ignore``, so the core ignores its column without a word. The file
is streamed like the import streams it (the same size limits apply); its digest
lets the import refuse a file changed since.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission, require
from internhost.core.importers import mapping
from internhost.core.importers.mapping import ColumnSpec
from internhost.core.importers.reading import Record, Source, open_roster
from internhost.core.importers.result import ImportRefused, Issue
from internhost.core.importers.roster import SPEC
from internhost.core.importers.values import match_key
from internhost.core.models import School

#: How many sample values each header shows, and how many records are searched for them.
SAMPLES = 3
SAMPLE_ROWS = 50
#: Why a header imports as what it does (``HeaderGuess.source``).
NAME, ALIAS, REMEMBERED = "name", "alias", "remembered"
EXPECTED, DUPLICATE, UNKNOWN, BLANK = "expected", "duplicate", "unknown", "blank"


@dataclass(frozen=True)
class HeaderGuess:
    """One header of the file and the column it would import as."""

    index: int
    header: str
    #: The canonical column, or None: ignored.
    column: str | None
    #: ``name`` (the header is the column's own name), ``alias``, ``remembered``
    #: (a mapping stored by an earlier import), ``expected`` (an export's ``id`` or
    #: ``status``, ignored silently), ``duplicate`` (means a column an earlier
    #: header already fills), ``unknown`` or ``blank``.
    source: str
    #: The first few non-empty, distinct values under the header.
    samples: tuple[str, ...]
    #: For a duplicate: the column it also means.
    also: str | None = None


@dataclass(frozen=True)
class FilePreview:
    """A roster file read but not yet checked: what the mapping step needs."""

    headers: tuple[HeaderGuess, ...]
    rows: int
    encoding: str
    delimiter: str
    #: File-level warnings from reading (an encoding fallback).
    warnings: tuple[Issue, ...]
    #: Schools on record (not archived), by name: the choices for a default school.
    schools: tuple[str, ...]
    #: The file's SHA-256 as read: the import refuses the file if it changed since.
    digest: str = ""

    def proposed(self) -> list[str | None]:
        """The column each header would import as, in header order."""
        return [h.column for h in self.headers]


@dataclass(frozen=True)
class Prepared:
    """What to hand ``import_roster`` for the user's choices."""

    mappings: dict[str, str]
    #: Positions of the headers chosen to be ignored.
    ignore: frozenset[int] = frozenset()


def school_names(s: Session, actor: Actor) -> tuple[str, ...]:
    """Schools a roster can default to: those not archived, by name."""
    require(actor, Permission.IMPORT)
    names = s.scalars(select(School.name).where(School.archived_at.is_(None)))
    return tuple(sorted(names, key=str.casefold))


def preview_file(s: Session, actor: Actor, source: Source, spec: ColumnSpec = SPEC) -> FilePreview:
    """Read ``source`` and propose a column of ``spec`` for each header; nothing is
    checked or written. Raises ``ImportRefused`` when the file cannot be read or is
    over the limits, ``OSError`` when a path cannot be opened."""
    require(actor, Permission.IMPORT)
    with open_roster(source) as roster:
        records = roster.records()
        first = list(islice(records, SAMPLE_ROWS))
        rows = len(first) + sum(1 for _ in records)
    stored = mapping.remembered(s, spec.kind)
    layout = mapping.resolve(roster.headers, spec, stored, {})
    placed = {index: column for column, index in layout.positions.items()}
    lookup = spec.lookup()
    guesses = []
    for index, header in enumerate(roster.headers):
        column = placed.get(index)
        why, also = _source(match_key(header), column, stored, lookup, spec)
        guesses.append(HeaderGuess(index, header, column, why, _samples(first, index), also))
    return FilePreview(
        headers=tuple(guesses),
        rows=rows,
        encoding=roster.encoding,
        delimiter=roster.delimiter,
        warnings=roster.warnings,
        schools=school_names(s, actor),
        digest=roster.digest,
    )


def _source(
    key: str, column: str | None, stored: dict[str, str], lookup: dict[str, str], spec: ColumnSpec
) -> tuple[str, str | None]:
    """Why a header (folded ``key``) imports as ``column``, and for a duplicate, the
    column an earlier header already fills."""
    if column is not None:
        if key in stored:
            return REMEMBERED, None
        return (NAME if key == match_key(column) else ALIAS), None
    if not key:
        return BLANK, None
    if key in spec.ignored:
        return EXPECTED, None
    if key in stored or key in lookup:
        return DUPLICATE, stored.get(key) or lookup[key]
    return UNKNOWN, None


def _samples(records: list[Record], index: int) -> tuple[str, ...]:
    found: list[str] = []
    for record in records:
        value = record.cells[index] if index < len(record.cells) else ""
        if value and value not in found:
            found.append(value)
            if len(found) == SAMPLES:
                break
    return tuple(found)


def missing_columns(
    choices: Sequence[str | None], *, default_school: bool = False, spec: ColumnSpec = SPEC
) -> tuple[str, ...]:
    """The required columns no header is chosen for, in column order (a roster's
    ``school`` only without a default school); with none of the ``any_of`` columns
    chosen, the first of them."""
    needed = {c for c in spec.required if not (default_school and c == "school")}
    chosen = set(choices)
    if spec.any_of and not chosen & set(spec.any_of):
        needed.add(spec.any_of[0])
    return tuple(c for c in spec.columns if c in needed and c not in chosen)


def apply_choices(
    preview: FilePreview, choices: Sequence[str | None], spec: ColumnSpec = SPEC
) -> Prepared:
    """The ``mappings`` and ``ignore`` that make the import read each header as
    ``choices`` says (one entry per header; None ignores it).

    A choice that differs from the proposal becomes a mapping (remembered on
    commit). A header chosen to be ignored is ignored by position, so the import
    neither reads it nor warns about it.
    """
    if len(choices) != len(preview.headers):
        raise ValueError(f"{len(choices)} choices for {len(preview.headers)} headers")
    taken: dict[str, str] = {}
    mappings: dict[str, str] = {}
    ignore: set[int] = set()
    for guess, column in zip(preview.headers, choices, strict=True):
        if column is None:
            if guess.source not in (BLANK, EXPECTED):
                ignore.add(guess.index)
            continue
        if column not in spec.columns:
            raise ImportRefused(f"{column!r} is not a {spec.noun} column")
        if column in taken:
            raise ImportRefused(
                f"{taken[column]!r} and {guess.header!r} are both chosen as {column}; "
                "ignore one of them"
            )
        taken[column] = guess.header
        if column != guess.column:
            mappings[guess.header] = column
    return Prepared(mappings, frozenset(ignore))
