"""Which file column holds which canonical column.

Every school and SIS names its headers differently ("DOB", "Birth Date", "Date of
Birth"), so headers are matched on a folded key (case, accents, spacing and
punctuation ignored) against each import's aliases. What the aliases miss the
user maps once (``--map "Header=column"`` or the GUI's mapping step); mappings
are remembered per import kind in ``import_mappings`` and apply to every later
file. Precedence: this run's mappings, then remembered ones, then the aliases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from internhost.core.importers.reading import Record
from internhost.core.importers.result import ImportRefused, Issue
from internhost.core.importers.values import match_key as header_key
from internhost.core.models import ImportMapping


@dataclass(frozen=True)
class ColumnSpec:
    """An import's vocabulary: its canonical columns, their aliases, and headers it
    expects and ignores without a word (e.g. an export's ``id``)."""

    kind: str
    columns: tuple[str, ...]
    aliases: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    ignored: frozenset[str] = frozenset()
    #: Columns a file must have, and columns of which it must have at least one.
    required: tuple[str, ...] = ()
    any_of: tuple[str, ...] = ()
    #: What the file is called in messages ("roster", "time-clock").
    noun: str = "import"

    def lookup(self) -> dict[str, str]:
        """Folded header key → canonical column, from the names and aliases."""
        table = {header_key(c): c for c in self.columns}
        for column, names in self.aliases.items():
            table.update({header_key(n): column for n in names})
        return table


def parse_mapping(text: str, spec: ColumnSpec) -> tuple[str, str]:
    """``"Header=column"`` → (header, column); the header may itself contain ``=``."""
    header, sep, column = text.rpartition("=")
    column = column.strip()
    if not sep or not header.strip():
        raise ImportRefused(f"mapping {text!r} is not Header=column")
    if column not in spec.columns:
        raise ImportRefused(
            f"mapping {text!r}: {column!r} is not a column; use one of {', '.join(spec.columns)}"
        )
    return header.strip(), column


def remembered(s: Session, kind: str) -> dict[str, str]:
    """The mappings stored for an import kind: folded header → column."""
    rows = s.execute(
        select(ImportMapping.header, ImportMapping.column).where(ImportMapping.kind == kind)
    )
    return {header: column for header, column in rows}


def remember(s: Session, kind: str, mappings: Mapping[str, str]) -> None:
    """Store (or change) this run's mappings for the next files of this kind."""
    if not mappings:
        return
    keys = {header_key(h): c for h, c in mappings.items()}
    stored = {
        m.header: m
        for m in s.scalars(
            select(ImportMapping).where(
                ImportMapping.kind == kind, ImportMapping.header.in_(list(keys))
            )
        )
    }
    for key, column in keys.items():
        if key in stored:
            stored[key].column = column
        else:
            s.add(ImportMapping(kind=kind, header=key, column=column))
    s.flush()


@dataclass(frozen=True)
class Layout:
    """Where each canonical column sits in the file's records."""

    positions: Mapping[str, int]
    warnings: tuple[Issue, ...]

    def has(self, column: str) -> bool:
        return column in self.positions

    def values(self, record: Record) -> dict[str, str]:
        """Canonical column → cell text ("" for a short record)."""
        cells = record.cells
        return {c: (cells[i] if i < len(cells) else "") for c, i in self.positions.items()}


def resolve(
    headers: Iterable[str],
    spec: ColumnSpec,
    stored: Mapping[str, str],
    given: Mapping[str, str],
) -> Layout:
    """Place every header; unknown ones are ignored with one warning naming them."""
    table = {**spec.lookup(), **stored, **{header_key(h): c for h, c in given.items()}}
    positions: dict[str, int] = {}
    unknown: list[str] = []
    warnings: list[Issue] = []
    seen_keys: set[str] = set()
    for index, header in enumerate(headers):
        key = header_key(header)
        seen_keys.add(key)
        column = table.get(key)
        if column is None:
            if key and key not in spec.ignored:
                unknown.append(header)
        elif column in positions:
            warnings.append(
                Issue(None, column, f"column {header!r} also means {column}; it is ignored")
            )
        else:
            positions[column] = index
    if unknown:
        names = ", ".join(repr(h) for h in unknown)
        warnings.append(
            Issue(
                None,
                None,
                f"ignored column{'s' if len(unknown) > 1 else ''} {names} "
                f'(map one with --map "Header=column")',
            )
        )
    for header in given:
        if header_key(header) not in seen_keys:
            warnings.append(Issue(None, None, f"mapped header {header!r} is not in the file"))
    return Layout(positions, tuple(warnings))
