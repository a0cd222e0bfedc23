"""Does the audit trail explain the data? The check behind ``audit verify`` that a
valid hash chain alone cannot give: an edited row, a row with no event, a deleted
create event or a forged purge leave every link intact.

**Lives.** For each audited table and each record key (``interns:12``) the trail's
entries are folded in seq order: a create starts a life (SQLite gives a deleted row's
id to a new row, so a key may live several times; ``services/retention.py`` splits
them the same way), an update merges its after-values into it, a delete ends it.
Then every row that exists must be the end of its life: created by an entry, not
deleted since, and its current values (serialized as the audit hooks serialize them:
``audit.json_value``, redacted columns as their keyed hash) equal to the life's
values; a column no entry gave must be NULL. A life that has not ended must still
have its row. Events that name no rows (settings in ``app_state``, failed logins)
have nothing to explain and are left alone.

**Purges.** A retention purge blanks the payloads of the events that named the
purged records (their hashes stay, so the chain holds) and deletes the rows. Its
summary event accounts for both (``purge_record``): the seqs it blanked and the ids
it deleted. A blanked payload no later purge event accounts for is a problem, and a
row a purge deleted counts as deleted by that event.

Columns copied from rule packs (``__audit_derived__``) are left out, as the hooks
leave them out. One pass over the events, one per table, no query per row.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime, time
from functools import cache, partial
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    LargeBinary,
    Table,
    Time,
    select,
)
from sqlalchemy.engine import Connection, Dialect

from internhost.core.models import Base
from internhost.core.models.base import UTCDateTime
from internhost.core.trail.audit import json_value
from internhost.core.trail.audit_chain import Problem, seq_problem
from internhost.core.trail.audit_hmac import SECRET_KEY, keyed_hash, stored_secret

#: The record a purge's summary event carries to account for what it did, and the
#: aggregate of the events that may carry it (the retention purge's).
PURGE_RECORD = "purge"
PURGE_AGGREGATE = "retention"
#: Longest value shown in a line, in characters of its JSON.
_SHOWN = 60
_ROWS_PER_FETCH = 5000
#: A record key's id, as the hooks write it.
_ID = re.compile(r"[0-9]{1,18}")


def purge_record(blanked: Iterable[int], deleted: Mapping[str, Iterable[int]]) -> dict[str, Any]:
    """The entry of a purge's summary event that accounts for it: the seqs of the
    events whose payloads it blanked and the ids of the rows it deleted, by table (ids
    and seqs, no personal data)."""
    return {
        "before": None,
        "after": {
            "blanked_seqs": sorted(blanked),
            "deleted": {table: sorted(ids) for table, ids in sorted(deleted.items()) if ids},
        },
    }


def _accounting(records: Mapping[str, Any]) -> tuple[list[int], dict[str, list[int]]] | None:
    """(blanked seqs, deleted ids by table) of a purge's accounting entry, else None."""
    entry = records.get(PURGE_RECORD)
    after = entry.get("after") if isinstance(entry, dict) else None
    if not isinstance(after, dict):
        return None
    blanked, deleted = after.get("blanked_seqs"), after.get("deleted")
    if not isinstance(blanked, list) or not isinstance(deleted, dict):
        return None
    ids = {t: v for t, v in deleted.items() if isinstance(v, list)}
    return [s for s in blanked if type(s) is int], {
        t: [i for i in v if type(i) is int] for t, v in ids.items()
    }


# -- what each audited table looks like to the check


@dataclass(frozen=True)
class _Table:
    name: str
    table: Table
    #: Compared columns (all but ``id`` and the derived ones), by column name.
    names: tuple[str, ...]
    index: dict[str, int]
    #: Per column: how its values compare (``_kind``).
    kinds: tuple[str, ...]


def _kind(column: Any, redacted: bool) -> str:
    if redacted:
        return "redacted"
    for kind, types in (
        ("utc", UTCDateTime),
        ("datetime", DateTime),
        ("date", Date),
        ("time", Time),
        ("bool", Boolean),
        ("json", JSON),
        ("bytes", LargeBinary),
    ):
        if isinstance(column.type, types):
            return kind
    return "plain"


@cache
def audited_tables() -> dict[str, _Table]:
    """Every audited table, by name, as the check sees it."""
    out = {}
    for mapper in Base.registry.mappers:
        model: type[Base] = mapper.class_
        if not model.__audited__:
            continue
        names, kinds = [], []
        for attr in mapper.column_attrs:
            column = attr.columns[0]
            if column.name == "id" or attr.key in model.__audit_derived__:
                continue
            names.append(column.name)
            kinds.append(_kind(column, attr.key in model.__audit_redact__))
        table = model.__table__
        out[table.name] = _Table(
            table.name, table, tuple(names), {n: i for i, n in enumerate(names)}, tuple(kinds)
        )
    return out


# -- the fold


class _Life:
    """A record key's current life: its values so far (None once deleted)."""

    __slots__ = ("created", "purge", "seq", "since", "state")

    def __init__(self, seq: int, state: tuple[Any, ...] | None, *, created: bool) -> None:
        self.seq = seq  # its newest entry
        self.since = seq  # its first entry
        self.state = state
        self.created = created
        self.purge = False  # ended by a purge


class TrailFold:
    """The trail folded into lives, fed one event at a time in seq order."""

    def __init__(self) -> None:
        self.tables = audited_tables()
        self.lives: dict[str, dict[int, _Life]] = {name: {} for name in self.tables}
        # Per table, per column: each distinct value once (most repeat: a status, a
        # batch's timestamp), so the lives of 300,000 rows fit in memory; None for a
        # table with JSON columns (their values cannot be dict keys).
        self.memos: dict[str, list[dict[Any, Any]] | None] = {
            name: None if "json" in spec.kinds else [{} for _ in spec.names]
            for name, spec in self.tables.items()
        }
        self.purged: list[int] = []
        self.accounted: set[int] = set()
        #: Rows compared (``row_problems``).
        self.rows = 0

    def feed(self, seq: int, aggregate_type: str, payload: str, purged: bool) -> None:
        """Fold one event's entries into the lives of the records they name."""
        if purged:
            self.purged.append(seq)
            return
        try:
            records = json.loads(payload)
        except ValueError:
            return  # the chain check reports the payload
        if type(records) is not dict:
            return
        tables, all_lives, memos = self.tables, self.lives, self.memos
        for key, change in records.items():
            name, _, ident = key.partition(":")
            lives = all_lives.get(name)
            if lives is None or type(change) is not dict or not _ID.fullmatch(ident):
                continue
            after = change.get("after")
            if change.get("before") is None and type(after) is dict:  # a create: a new life
                state = tuple(map(after.get, tables[name].names))
                memo = memos[name]
                if memo is not None:
                    # (Not for a list or object where a column's value belongs.)
                    with suppress(TypeError):
                        state = tuple(map(dict.setdefault, memo, state, state))
                lives[int(ident)] = _Life(seq, state, created=True)
            else:
                _change(tables[name], lives, int(ident), seq, after)
        accounting = _accounting(records) if aggregate_type == PURGE_AGGREGATE else None
        if accounting is not None:
            blanked, deleted = accounting
            self.accounted.update(s for s in blanked if s < seq)
            for name, ids in deleted.items():
                lives = all_lives.get(name)
                if lives is None:
                    continue
                for row_id in ids:
                    life = lives[row_id] = _Life(seq, None, created=True)
                    life.purge = True

    def purge_problems(self) -> list[Problem]:
        """Blanked payloads no purge event accounts for."""
        return [
            seq_problem(seq, "its values were purged, but no purge event accounts for it")
            for seq in self.purged
            if seq not in self.accounted
        ]

    def row_problems(self, connection: Connection) -> list[Problem]:
        """Compare every audited table with its lives (one query per table)."""
        secret = stored_secret(connection)
        problems: list[Problem] = []
        if secret is None:
            problems.append(
                Problem(
                    (1, "app_state", 0),
                    f"app_state {SECRET_KEY}: missing or damaged, so redacted values "
                    "(password hashes) cannot be checked",
                )
            )
        for name, spec in sorted(self.tables.items()):
            found, rows = _compare(connection, spec, self.lives[name], secret)
            problems += found
            self.rows += rows
        return problems


def _change(spec: _Table, lives: dict[int, _Life], row_id: int, seq: int, after: Any) -> None:
    """An update (after-values merged into the life) or a delete (``after`` None)."""
    life = lives.get(row_id)
    if type(after) is not dict:  # a delete
        if life is None:
            life = lives[row_id] = _Life(seq, None, created=False)
        life.seq, life.state, life.purge = seq, None, False
        return
    if life is None or life.state is None:  # an update of a record with no life
        state: list[Any] = [None] * len(spec.names)
        life = lives[row_id] = _Life(seq, None, created=False)
    else:
        state = list(life.state)
    life.seq = seq
    for column, value in after.items():
        i = spec.index.get(column)
        if i is not None:
            state[i] = value
    life.state = tuple(state)


# -- comparing


#: Kinds converted once per distinct stored value: most values repeat (a batch's
#: timestamp, a term's dates), and converting each is most of the cost.
_TEMPORAL = ("utc", "datetime", "date", "time")


def _converters(
    spec: _Table, dialect: Dialect, secret: bytes | None
) -> list[Callable[[Sequence[Any]], list[Any]] | None]:
    """Per compared column, what turns the driver's values of a column into the
    trail's (None: nothing to do): the column type's own reading, as SQLAlchemy reads
    it, then the hooks' encoding."""
    out: list[Callable[[Sequence[Any]], list[Any]] | None] = []
    for name, kind in zip(spec.names, spec.kinds, strict=True):
        column_type = spec.table.c[name].type
        read = column_type.dialect_impl(dialect).result_processor(dialect, None)
        if kind == "redacted":
            out.append(partial(_keyed, read or _same_value, secret))
        elif kind in _TEMPORAL:
            out.append(partial(_memoized, read or _same_value))
        elif kind == "bytes":
            out.append(partial(_map_list, _then_json(read or _same_value)))
        elif read is not None:
            out.append(partial(_map_list, read))
        else:
            out.append(None)
    return out


def _same_value(value: Any) -> Any:
    return value


def _then_json(read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: json_value(read(value))


def _map_list(convert: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    try:
        return list(map(convert, values))
    except _UNREADABLE:
        return [_tolerant(convert, value) for value in values]


def _memoized(read: Callable[[Any], Any], stored: Sequence[Any]) -> list[Any]:
    convert = _then_json(read)
    seen = {value: _tolerant(convert, value) for value in set(stored) if value is not None}
    seen[None] = None
    return list(map(seen.__getitem__, stored))


#: What a column type's reading raises for a value written into the file by hand.
_UNREADABLE = (ValueError, TypeError, OverflowError)


def _tolerant(convert: Callable[[Any], Any], value: Any) -> Any:
    """``convert(value)``, or the stored value itself when its type cannot read it
    (a date column holding "garbage"): it then differs from the trail, and the line
    shows what is stored."""
    try:
        return convert(value)
    except _UNREADABLE:
        return value


def _keyed(read: Callable[[Any], Any], secret: bytes | None, values: Sequence[Any]) -> list[Any]:
    if secret is None:
        return [None if v is None else _UNCHECKED for v in values]
    return [None if v is None else keyed_hash(secret, read(v)) for v in values]


def _rows(connection: Connection, spec: _Table) -> Iterator[Sequence[tuple[Any, ...]]]:
    """The table's id and compared columns as the driver returns them, in chunks: a
    plain cursor in the session's transaction (SQLAlchemy's rows cost as much again
    as the check; ``_converters`` reads each column as SQLAlchemy would)."""
    table = spec.table
    query = select(table.c.id, *(table.c[name] for name in spec.names)).order_by(table.c.id)
    cursor = connection.connection.cursor()
    try:
        cursor.execute(str(query.compile(dialect=connection.dialect)))
        while chunk := cursor.fetchmany(_ROWS_PER_FETCH):
            yield chunk
    finally:
        cursor.close()


class _Unchecked:
    """A redacted value that cannot be checked (the secret is missing): equal to any."""

    def __eq__(self, other: object) -> bool:
        return True

    __hash__ = object.__hash__


_UNCHECKED = _Unchecked()


def _compare(
    connection: Connection, spec: _Table, lives: dict[int, _Life], secret: bytes | None
) -> tuple[list[Problem], int]:
    """The problems of one table's rows and lives, and how many rows it holds."""
    converters = _converters(spec, connection.dialect, secret)
    problems: list[Problem] = []
    counted = 0
    for chunk in _rows(connection, spec):
        counted += len(chunk)
        ids, *stored = zip(*chunk, strict=True)
        columns = [
            values if convert is None else convert(values)
            for values, convert in zip(stored, converters, strict=True)
        ]
        for row_id, values in zip(ids, zip(*columns, strict=True), strict=True):
            life = lives.pop(row_id, None)
            if life is not None and life.created and life.state == values:
                continue
            text = _row_problem(spec, life, values)
            if text is not None:
                problems.append(Problem((1, spec.name, row_id), f"{spec.name} {row_id}: {text}"))
    for row_id, life in sorted(lives.items()):
        if life.state is not None:
            problems.append(
                Problem(
                    (1, spec.name, row_id),
                    f"{spec.name} {row_id}: is gone, but no audit event deleted it "
                    f"(its last event is seq {life.seq})",
                )
            )
    lives.clear()
    return problems, counted


def _row_problem(spec: _Table, life: _Life | None, values: tuple[Any, ...]) -> str | None:
    if life is None:
        return "exists, but no audit event records it"
    if life.state is None:
        by = "the purge at" if life.purge else "its last audit event,"
        return f"exists, but {by} seq {life.seq}, deleted it"
    if not life.created:
        return f"has no create event (its first audit event, seq {life.since}, is an update)"
    if life.state == values:
        return None
    differ = [
        i
        for i, (kind, trail, stored) in enumerate(zip(spec.kinds, life.state, values, strict=True))
        if not _same(kind, trail, stored)
    ]
    if not differ:
        return None
    parts = []
    for i in differ:
        name, kind = spec.names[i], spec.kinds[i]
        if kind == "redacted":
            parts.append(f"{name} is not the value recorded (redacted: not shown)")
        else:
            parts.append(f"{name} is {_show(values[i])}, the trail says {_show(life.state[i])}")
    return f"differs from its last audit event (seq {life.seq}): " + "; ".join(parts)


def _show(value: Any) -> str:
    """A value as JSON on one line, shortened; invisible and direction-changing
    characters escaped, so a value written into the file cannot forge a line."""
    text = json.dumps(json_value(value), ensure_ascii=False, sort_keys=True, default=repr)
    text = "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in _HIDDEN else c for c in text)
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


#: Unicode categories of control, format (bidi controls, zero-width) and separator
#: characters.
_HIDDEN = frozenset({"Cc", "Cf", "Zl", "Zp"})


def _same(kind: str, trail: Any, stored: Any) -> bool:
    """Equal as the column's type sees them: the trail may spell a value otherwise
    than the row reads back (a time zone, a datetime given for a date)."""
    stored = json_value(stored)  # what the trail would hold for it (bytes in a text column)
    if trail == stored:
        return True
    if trail is None or stored is None:
        return False
    try:
        if kind in ("utc", "datetime"):
            return _instant(trail) == _instant(stored)
        if kind == "date":
            return _instant(trail).date() == _instant(stored).date()
        if kind == "time":
            return time.fromisoformat(trail) == time.fromisoformat(stored)
        if kind == "bool":
            return bool(trail) == bool(stored)
    except (TypeError, ValueError):
        return False
    return False


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)  # a date alone reads as its midnight
    return moment if moment.tzinfo is None else moment.astimezone(UTC).replace(tzinfo=None)
