"""What an interactive roster import shows before any row is checked: the file's
headers, a few sample values under each, and which canonical column each header
would import as (and why), so a user can correct the mapping before the dry run.

Qt-free, for the GUI's mapping step. The proposal comes from the same
``mapping.resolve`` the import runs (this run's mappings, then remembered ones,
then the aliases), so what the step shows is what the import would do. The
user's choices go back to ``import_roster`` as ordinary ``mappings`` (remembered
on commit, as ``--map`` is); a header the user chose to ignore is blanked in the
file's header line (``apply_choices``), so the core ignores its column without a
word, and every line stays where it was.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission, require
from internhost.core.importers import mapping
from internhost.core.importers.reading import Table, decode, read_table, sniff_delimiter
from internhost.core.importers.result import ImportRefused, Issue
from internhost.core.importers.roster import COLUMNS, KIND, REQUIRED, SPEC
from internhost.core.importers.values import match_key
from internhost.core.models import School

#: How many sample values each header shows, and how many records are searched for them.
SAMPLES = 3
SAMPLE_ROWS = 50
#: Why a header imports as what it does (``HeaderGuess.source``).
NAME, ALIAS, REMEMBERED = "name", "alias", "remembered"
EXPECTED, DUPLICATE, UNKNOWN, BLANK = "expected", "duplicate", "unknown", "blank"
#: What an ignored header is rewritten to: a name no column has, read as blank.
BLANKED = "-"


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

    def proposed(self) -> list[str | None]:
        """The column each header would import as, in header order."""
        return [h.column for h in self.headers]


@dataclass(frozen=True)
class Prepared:
    """What to hand ``import_roster`` for the user's choices."""

    data: bytes
    mappings: dict[str, str]


def school_names(s: Session, actor: Actor) -> tuple[str, ...]:
    """Schools a roster can default to: those not archived, by name."""
    require(actor, Permission.IMPORT)
    names = s.scalars(select(School.name).where(School.archived_at.is_(None)))
    return tuple(sorted(names, key=str.casefold))


def preview_file(s: Session, actor: Actor, data: bytes) -> FilePreview:
    """Read ``data`` and propose a column for each header; nothing is checked or
    written. Raises ``ImportRefused`` when the file cannot be read."""
    require(actor, Permission.IMPORT)
    table = read_table(data)
    stored = mapping.remembered(s, KIND)
    layout = mapping.resolve(table.headers, SPEC, stored, {})
    placed = {index: column for column, index in layout.positions.items()}
    lookup = SPEC.lookup()
    guesses = []
    for index, header in enumerate(table.headers):
        column = placed.get(index)
        source, also = _source(match_key(header), column, stored, lookup)
        guesses.append(HeaderGuess(index, header, column, source, _samples(table, index), also))
    return FilePreview(
        headers=tuple(guesses),
        rows=len(table.records),
        encoding=table.encoding,
        delimiter=table.delimiter,
        warnings=table.warnings,
        schools=school_names(s, actor),
    )


def _source(
    key: str, column: str | None, stored: dict[str, str], lookup: dict[str, str]
) -> tuple[str, str | None]:
    """Why a header (folded ``key``) imports as ``column``, and for a duplicate, the
    column an earlier header already fills."""
    if column is not None:
        if key in stored:
            return REMEMBERED, None
        return (NAME if key == match_key(column) else ALIAS), None
    if not key:
        return BLANK, None
    if key in SPEC.ignored:
        return EXPECTED, None
    if key in stored or key in lookup:
        return DUPLICATE, stored.get(key) or lookup[key]
    return UNKNOWN, None


def _samples(table: Table, index: int) -> tuple[str, ...]:
    found: list[str] = []
    for record in table.records[:SAMPLE_ROWS]:
        value = record.cells[index] if index < len(record.cells) else ""
        if value and value not in found:
            found.append(value)
            if len(found) == SAMPLES:
                break
    return tuple(found)


def missing_columns(
    choices: Sequence[str | None], *, default_school: bool = False
) -> tuple[str, ...]:
    """The required columns no header is chosen for (``school`` is required only
    without a default school), in column order."""
    needed = [*REQUIRED, *([] if default_school else ["school"])]
    chosen = set(choices)
    return tuple(c for c in COLUMNS if c in needed and c not in chosen)


def apply_choices(data: bytes, preview: FilePreview, choices: Sequence[str | None]) -> Prepared:
    """The bytes and ``mappings`` that make ``import_roster`` read each header as
    ``choices`` says (one entry per header; None ignores it).

    A choice that differs from the proposal becomes a mapping (remembered on
    commit). A header chosen to be ignored is blanked in the header line, so the
    import neither reads it nor warns about it; the file's lines stay where they
    were, so every message still points at the line the user sees.
    """
    if len(choices) != len(preview.headers):
        raise ValueError(f"{len(choices)} choices for {len(preview.headers)} headers")
    taken: dict[str, str] = {}
    mappings: dict[str, str] = {}
    blank: set[int] = set()
    for guess, column in zip(preview.headers, choices, strict=True):
        if column is None:
            if guess.source not in (BLANK, EXPECTED):
                blank.add(guess.index)
            continue
        if column not in COLUMNS:
            raise ImportRefused(f"{column!r} is not a roster column")
        if column in taken:
            raise ImportRefused(
                f"{taken[column]!r} and {guess.header!r} are both chosen as {column}; "
                "ignore one of them"
            )
        taken[column] = guess.header
        if column != guess.column:
            mappings[guess.header] = column
    return Prepared(blank_headers(data, blank) if blank else data, mappings)


def blank_headers(data: bytes, indexes: set[int]) -> bytes:
    """``data`` with the header cells at ``indexes`` blanked (``BLANKED``), in the
    same encoding and delimiter, every line after the header byte-for-byte as it was."""
    text, encoding, _ = decode(data)
    delimiter = sniff_delimiter(text)
    start, end = _header_span(text)
    cells = next(csv.reader(io.StringIO(text[start:end], newline=""), delimiter=delimiter))
    # A blanked cell reads as "-": no column's name, so it is ignored without a
    # warning, yet not whitespace, which the delimiter sniffer would skip. It keeps
    # its line breaks (quoted; trimmed away on reading), so a header spanning lines
    # still ends on the line it did.
    cells = [
        BLANKED + "".join(ch for ch in c if ch in "\r\n") if i in indexes else c
        for i, c in enumerate(cells)
    ]
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\n").writerow(cells)
    header = out.getvalue()[:-1]
    rewritten = text[:start] + header + text[end:]
    if encoding == "utf-8" and data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    return rewritten.encode(encoding)


def _header_span(text: str) -> tuple[int, int]:
    """Where the first non-blank logical line starts and ends (as ``reading`` finds
    the header: a quoted header may contain line breaks)."""
    quoted = False
    start = None
    for i, char in enumerate(text):
        if start is None:
            if char.isspace():
                continue
            start = i
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            return start, i
    return (start, len(text)) if start is not None else (0, 0)
