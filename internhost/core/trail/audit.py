"""Audit of every write, in the same transaction as the write.

Session events collect what each flush changed, grouped by aggregate (an intern
with their contacts and placements is one aggregate); just before commit, one
``AuditEvent`` per aggregate is inserted. Bulk Core writes go through
``bulk_insert``/``bulk_update`` here, which record the same events; any other
ORM or Core insert, update or delete on an audited table is refused. Deleting a
row also records what the database's own ON DELETE CASCADE and SET NULL will do
to the rows that refer to it. Raw SQL text is not seen (used only in migrations).

``add_event`` adds an event the hooks cannot see (a setting in the unaudited
``app_state``), or one that stands for the entries of records it names: a
retention purge writes one summary instead of a snapshot of every row it deletes.

Each entry's ``after`` holds every value the row stores once the change is made
(the database's own timestamps and defaults included, redacted columns as their
keyed hash: ``core/trail/audit_hmac.py``), so ``audit verify`` can check that the trail
explains the data (``core/trail/audit_explain.py``).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache, lru_cache, partial
from itertools import groupby
from typing import Any, TypeGuard

from sqlalchemy import ColumnDefault, Table, event, func, insert, inspect, select, update
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from internhost.core.actor import Actor
from internhost.core.models.audit import AuditEvent
from internhost.core.models.base import Base, UTCDateTime, flush_moment, utcnow
from internhost.core.trail import audit_chain, audit_hmac

_PENDING = "audit_pending"
_SAVEPOINTS = "audit_savepoints"
_BULK_OK = "audit_bulk_ok"
_VANISHED = "audit_vanished"
#: The database's audit secret, read once per session when a redacted value needs it.
_SECRET = "audit_secret"
#: (id of an object, column name) -> its auto-updated timestamp before this flush.
_STAMPS = "audit_stamps"
#: Events ``add_event`` added to this unit of work: (aggregate, action, payload JSON).
_ADDED = "audit_added"
#: Record keys whose entries this unit of work leaves out (``add_event(replaces=...)``).
_REPLACED = "audit_replaced"
#: The time of this unit of work's events once ``flush_events`` has written some.
_NOW = "audit_now"
#: What a savepoint saves and its rollback restores.
_UNIT_STATE = (_PENDING, _ADDED, _REPLACED, _NOW)
#: An entry's canonical JSON, rendered by bulk_insert while it held only the insert.
_RENDERED = "json"

#: aggregate (type, id) -> record key "table:id" -> {"before": ..., "after": ...}
Pending = dict[tuple[str, int | None], dict[str, dict[str, Any]]]


def install(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _before_flush)
    event.listen(factory, "after_flush", _after_flush)
    event.listen(factory, "before_commit", _before_commit)
    event.listen(factory, "after_transaction_create", _after_transaction_create)
    event.listen(factory, "after_soft_rollback", _after_soft_rollback)
    event.listen(factory, "do_orm_execute", _guard_bulk)


def label(session: Session, operation: str) -> None:
    """Name the use case whose changes the next audit events record."""
    session.info["operation"] = operation


def add_event(
    session: Session,
    aggregate: tuple[str, int | None],
    action: str,
    payload: Mapping[str, Any],
    *,
    replaces: Iterable[str] = (),
) -> None:
    """Write one more event at commit, labelled and chained like the others.

    For a change the hooks do not see (a setting kept in ``app_state``), or for a
    summary that stands in for per-record entries: ``replaces`` names record keys
    (``"interns:12"``) whose entries this unit of work leaves out, whenever they
    were recorded. A retention purge deletes every row of an intern; an entry per
    deleted row would copy into the trail the very values the purge removes, so it
    writes one event of counts instead. Only the named keys are left out: anything
    else the unit of work changes is audited as usual.
    """
    if action not in ("create", "update", "delete"):
        raise ValueError(f"an audit event's action is create, update or delete, not {action!r}")
    _require_writable(session)
    session.info.setdefault(_ADDED, []).append((aggregate, action, canonical_json(payload)))
    session.info.setdefault(_REPLACED, set()).update(replaces)


def canonical_json(value: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces) so a later hash chain is stable."""
    return _CANONICAL.encode(value)


_encode_key = json.encoder.encode_basestring
_NULL = "null"


def _payload_json(records: dict[str, dict[str, Any]]) -> str:
    """``canonical_json`` of ``{key: {"before": ..., "after": ...}}`` for one
    aggregate's records, reusing the text bulk_insert rendered for an entry: the
    same characters, since canonical JSON of a mapping is its sorted keys, each
    with the canonical JSON of its value."""
    parts = []
    for key in sorted(records):
        entry = records[key]
        text = entry.get(_RENDERED)
        if text is None:
            after = entry["after"]
            if isinstance(after, _Inserted):
                after = dict(after)
            text = canonical_json({"before": entry["before"], "after": after})
        parts.append(f"{_encode_key(key)}:{text}")
    return "{" + ",".join(parts) + "}"


def _json_column(values: Sequence[Any]) -> list[str]:
    """``canonical_json`` of each value, at C speed for whole columns of one plain
    type (with or without None): each distinct value is encoded once, or, where
    most are distinct, text and whole numbers go straight to the C encoders."""
    if isinstance(values, range):
        return list(map(int.__repr__, values))
    if len(values) > 1 and len(set(map(id, values))) == 1:  # one object (a timestamp)
        return [canonical_json(values[0])] * len(values)
    kinds = set(map(type, values))
    plain = kinds - {type(None)}
    if plain == {datetime}:  # times of day worked: their ISO text, quoted as JSON has it
        return [_NULL if v is None else f'"{v.isoformat()}"' for v in values]
    if plain == {dict} and len(set(map(id, values))) * 2 <= len(values):
        # a few objects shared by many rows (the rule-pack versions of a check)
        shared = {id(v): canonical_json(v) for v in values}
        return [shared[id(v)] for v in values]
    # One type only: True == 1 must not share a table entry with 1.
    if len(plain) <= 1 and plain <= {str, int, bool}:
        distinct = set(values)
        if len(distinct) * 2 <= len(values):
            encoded = {value: canonical_json(value) for value in distinct}
            return list(map(encoded.__getitem__, values))
        if kinds == {str}:
            return list(map(_encode_key, values))
        if kinds == {int}:
            return list(map(int.__repr__, values))
    return list(map(canonical_json, values))


def _rendered_inserts(columns: dict[str, Sequence[Any]]) -> list[str]:
    """The canonical JSON of each inserted row's entry, ``{"after": {...},
    "before": null}``, from the payload's values column by column."""
    keys = sorted(columns)
    template = (
        '{"after":{'
        + ",".join(_encode_key(k).replace("%", "%%") + ":%s" for k in keys)
        + '},"before":null}'
    )
    encoded = [_json_column(columns[k]) for k in keys]
    return list(map(template.__mod__, zip(*encoded, strict=True)))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return {"sha256": hashlib.sha256(value).hexdigest(), "size": len(value)}
    raise TypeError(f"cannot audit a {type(value).__name__}")


#: ``json.dumps`` with these options builds this encoder anew for every call; an
#: import renders hundreds of thousands of values.
_CANONICAL = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default
)


def _encode(session: Session, model: type[Base], key: str, value: Any) -> Any:
    if key in model.__audit_redact__ and value is not None:
        return audit_hmac.keyed_hash(_secret(session), value)
    return value


def _secret(session: Session) -> bytes:
    secret = session.info.get(_SECRET)
    if secret is None:
        secret = session.info[_SECRET] = audit_hmac.require_secret(session.connection())
    return secret


def json_value(value: Any) -> Any:
    """A value as the trail holds it once read back: what ``canonical_json`` writes
    for it, parsed (a date as its ISO text, bytes as their hash and size). ``audit
    verify`` compares the stored rows with the trail through this and ``_encode``'s
    keyed hash, the hooks' own encoding."""
    return _json_default(value) if isinstance(value, _NOT_JSON) else value


_NOT_JSON = (datetime, date, time, Decimal, bytes)


def _audited(obj: object) -> TypeGuard[Base]:
    return isinstance(obj, Base) and type(obj).__audited__


def _pending(session: Session) -> Pending:
    return session.info.setdefault(_PENDING, {})


def _record(
    session: Session,
    aggregate: tuple[str, int | None],
    record_key: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add one record's change; several flushes in one unit of work merge into one
    entry whose ``before`` is the state at the start and ``after`` the state at the end."""
    vanished = session.info.setdefault(_VANISHED, set())
    if record_key in vanished:
        return  # created and deleted in this unit of work; seen again via a cascade
    records = _pending(session).setdefault(aggregate, {})
    entry = records.get(record_key)
    if entry is None:
        records[record_key] = {"before": before, "after": after}
        return
    entry.pop(_RENDERED, None)  # bulk_insert's text of the entry no longer holds
    if entry["before"] is None:  # created in this unit of work
        if after is None:
            del records[record_key]  # ...and deleted again: it never existed
            vanished.add(record_key)
        else:
            entry["after"] = {**entry["after"], **after}
        return
    entry["before"] = {**(before or {}), **entry["before"]}
    entry["after"] = None if after is None else {**(entry["after"] or {}), **after}


def _snapshot(session: Session, obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    model = type(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        if attr.key in state.dict and attr.key not in model.__audit_derived__:
            out[attr.columns[0].name] = _encode(session, model, attr.key, state.dict[attr.key])
    return out


@cache
def _auto_updated(model: type[Base]) -> tuple[tuple[str, str], ...]:
    """(attribute, column) of the columns an UPDATE stamps itself (``updated_at``)."""
    return tuple(
        (attr.key, attr.columns[0].name)
        for attr in inspect(model).column_attrs
        if attr.columns[0].onupdate is not None
    )


def _onupdate_value(model: type[Base], attribute: str) -> Any:
    default = inspect(model).column_attrs[attribute].columns[0].onupdate
    return default.arg(None) if default.is_callable else default.arg


def _changes(session: Session, obj: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    """Before and after of the columns the flush changed, the timestamps it stamped
    included (they change in the flush, so the attribute history misses them)."""
    state = inspect(obj)
    model = type(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        name = attr.columns[0].name
        before[name] = _encode(session, model, attr.key, hist.deleted[0] if hist.deleted else None)
        after[name] = _encode(session, model, attr.key, hist.added[0] if hist.added else None)
    if after:
        stamps = session.info.get(_STAMPS, {})
        for key, name in _auto_updated(model):
            if name not in after and key in state.dict:
                before[name] = stamps.get((id(obj), name))
                after[name] = state.dict[key]
    return before, after


def _record_key(obj: Base) -> str:
    # In after_flush new rows have their keys but no identity yet: ask the mapper.
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return f"{obj.__tablename__}:{key[0] if len(key) == 1 else ','.join(map(str, key))}"


@cache
def _dependents(table_name: str) -> tuple[tuple[Any, Any, str], ...]:
    """(referring table, its column, ON DELETE action) for every foreign key to a table."""
    out = []
    for table in Base.metadata.sorted_tables:
        for fk in table.foreign_keys:
            action = (fk.ondelete or "").upper()
            if fk.column.table.name == table_name and action in ("CASCADE", "SET NULL"):
                out.append((table, fk.parent, action))
    return tuple(out)


def _model_of(table: Any) -> type[Base]:
    return next(m.class_ for m in Base.registry.mappers if m.local_table is table)


def _record_cascades(session: Session, table_name: str, ids: list[Any]) -> None:
    """Record the rows the database will delete or blank when rows ``ids`` of
    ``table_name`` go: loaded as ORM objects, so each is audited like any other."""
    for table, column, action in _dependents(table_name):
        model = _model_of(table)
        if not model.__audited__:
            continue
        mapper = inspect(model)
        attr = next(a.key for a in mapper.column_attrs if a.columns[0] is column)
        rows = list(session.scalars(select(model).where(column.in_(ids))))
        if not rows:
            continue
        if action == "CASCADE":
            for row in rows:
                snapshot = _snapshot(session, row)
                _record(session, row.audit_aggregate(), _record_key(row), snapshot, None)
            keys = [mapper.primary_key_from_instance(r)[0] for r in rows]
            _record_cascades(session, table.name, keys)
        else:
            for row in rows:
                before = {column.name: getattr(row, attr)}
                _record(
                    session, row.audit_aggregate(), _record_key(row), before, {column.name: None}
                )


def _orphans(session: Session) -> Iterator[Base]:
    """Rows taken out of a delete-orphan collection (a dropped guardian, area or school
    day). The flush deletes them without listing them in ``session.deleted``."""
    for obj in list(session.dirty):
        if not _audited(obj):
            continue
        state = inspect(obj)
        for rel in state.mapper.relationships:
            if not rel.cascade.delete_orphan:
                continue
            for child in state.attrs[rel.key].history.deleted:  # never loads anything
                child_state = inspect(child)
                if child_state.persistent and child_state.mapper._is_orphan(child_state):
                    yield child


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    # Deleting orphans explicitly makes them ordinary deletes: audited, cascades recorded.
    for orphan in list(_orphans(session)):
        session.delete(orphan)
    # The timestamps an UPDATE will stamp, as they were: the "before" of their entries;
    # and the one moment this flush stamps (``update_stamp``).
    stamps = session.info[_STAMPS] = {}
    flush_moment.set(utcnow())
    for obj in session.dirty:
        if _audited(obj):
            loaded = inspect(obj).dict
            for key, name in _auto_updated(type(obj)):
                if key in loaded:
                    stamps.setdefault((id(obj), name), loaded[key])
    for obj in list(session.deleted):
        if _audited(obj):
            pk = inspect(obj).mapper.primary_key_from_instance(obj)
            _record_cascades(session, obj.__tablename__, list(pk))


def _after_flush(session: Session, _context: Any) -> None:
    flush_moment.set(None)
    changed = [o for o in (*session.new, *session.dirty, *session.deleted) if _audited(o)]
    if not changed:
        return
    if session.info.get("read_only"):
        raise RuntimeError("a read-only session tried to write")
    if not isinstance(session.info.get("actor"), Actor):
        raise RuntimeError("a write outside a unit of work (no acting user)")
    for obj in session.new:
        if _audited(obj):
            snapshot = _snapshot(session, obj)
            _record(session, obj.audit_aggregate(), _record_key(obj), None, snapshot)
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _changes(session, obj)
            if after:
                _record(session, obj.audit_aggregate(), _record_key(obj), before, after)
    for obj in session.deleted:
        if _audited(obj):
            snapshot = _snapshot(session, obj)
            _record(session, obj.audit_aggregate(), _record_key(obj), snapshot, None)
    session.info.pop(_STAMPS, None)


def _action(aggregate: tuple[str, int | None], records: dict[str, dict[str, Any]]) -> str:
    def kind(entry: dict[str, Any]) -> str:
        if entry["before"] is None:
            return "create"
        return "delete" if entry["after"] is None else "update"

    root = records.get(f"{aggregate[0]}:{aggregate[1]}")
    if root is not None:
        return kind(root)
    if aggregate[0] in Base.metadata.tables:
        return "update"  # the root record stays; only its parts changed
    kinds = {kind(e) for e in records.values()}  # a group with no root row (findings)
    return kinds.pop() if len(kinds) == 1 else "update"


def _before_commit(session: Session) -> None:
    if session.info.get("read_only"):
        return
    session.flush()
    pending: Pending = session.info.pop(_PENDING, {})
    session.info.pop(_VANISHED, None)
    added = session.info.pop(_ADDED, [])
    replaced = session.info.pop(_REPLACED, set())
    if replaced:
        pending = {
            aggregate: {k: e for k, e in records.items() if k not in replaced}
            for aggregate, records in pending.items()
        }
    now = session.info.pop(_NOW, None) or utcnow()
    events = [
        (_action(aggregate, records), aggregate[0], aggregate[1], _payload_json(records))
        for aggregate, records in pending.items()
        if records
    ]
    events += [(action, kind, key, payload) for (kind, key), action, payload in added]
    if events:
        actor = _require_actor(session)
        who = (now, actor.kind, actor.user_id, actor.name, session.info.get("operation", ""))
        columns: list[Sequence[Any]] = list(zip(*(who + event for event in events), strict=True))
        columns += audit_chain.link(session, columns)  # same transaction, seq order
        _insert_many(session, AuditEvent.__table__, _EVENT_COLUMNS + _CHAIN_COLUMNS, columns)


def flush_events(session: Session) -> None:
    """Write the events of what this unit of work has changed so far now, inside its
    transaction, instead of holding their payloads until commit: a long import calls
    it after each batch, so its memory grows with the batch, not the file.

    The events are those the commit would write for the same changes (the same
    payloads, chained in the same order), all with the one time the unit of work's
    events share; a rollback takes them back with the rows. An aggregate changed
    again after a flush gets another event, and ``add_event(replaces=...)`` leaves
    out only entries not flushed yet.
    """
    _require_writable(session)
    kept = {key: session.info[key] for key in (_VANISHED, _REPLACED) if key in session.info}
    now = session.info.setdefault(_NOW, utcnow())
    _before_commit(session)
    session.info.update(kept)
    session.info[_NOW] = now


_EVENT_COLUMNS = (
    "occurred_at",
    "actor_kind",
    "actor_user_id",
    "actor_name",
    "operation",
    "action",
    "aggregate_type",
    "aggregate_id",
    "payload",
)
_CHAIN_COLUMNS = ("seq", "payload_hash", "prev_hash", "entry_hash")


def _after_transaction_create(session: Session, transaction: Any) -> None:
    if transaction.nested:
        stack = session.info.setdefault(_SAVEPOINTS, {})
        stack[id(transaction)] = copy.deepcopy(
            {key: session.info[key] for key in _UNIT_STATE if key in session.info}
        )


def _after_soft_rollback(session: Session, previous: Any) -> None:
    flush_moment.set(None)  # a flush that failed
    saved = session.info.get(_SAVEPOINTS, {}).pop(id(previous), None)
    if previous.nested and saved is not None:
        for key in _UNIT_STATE:
            if key in saved:
                session.info[key] = saved[key]
            else:
                session.info.pop(key, None)
    elif not previous.nested:
        for key in (*_UNIT_STATE, _VANISHED):
            session.info.pop(key, None)


def _guard_bulk(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    if state.session.info.get("read_only"):
        # Checked first: bulk_insert/bulk_update in a read session would otherwise
        # write rows that commit without their audit events.
        raise RuntimeError("a read-only session tried to write")
    if state.session.info.get(_BULK_OK):
        return
    table = state.statement.table  # type: ignore[attr-defined]
    if table.name not in _UNAUDITED_TABLES:
        raise RuntimeError(
            f"bulk write to {table.name} outside audit.bulk_insert/bulk_update is not audited"
        )


_UNAUDITED_TABLES = {"audit_events", "app_state", "alembic_version"}


def _root_of(model: type[Base], row: dict[str, Any]) -> tuple[str, int | None]:
    if model.__audit_root__ is None:
        return model.__tablename__, row.get("id")
    kind, column = model.__audit_root__
    return kind, row[column]


Root = Callable[[Mapping[str, Any]], tuple[str, int | None]]


def bulk_insert(
    session: Session,
    model: type[Base],
    rows: Sequence[Mapping[str, Any]],
    *,
    root: Root | None = None,
) -> list[int]:
    """Insert many rows (keyed by attribute name) with Core statements and audit each;
    returns the new ids in the order of ``rows``. ``root`` maps a row (by column name,
    with its new ``id``) to its aggregate when ``__audit_root__`` cannot (grandchildren).

    One plain executemany per shape of row, as fast as the driver allows (see
    ``_insert_many``). The ids are read back, not returned: inside our write
    transaction SQLite gives each new row max(id) + 1, so a batch takes the
    consecutive ids below the new max(id), which is checked. (RETURNING with
    ordered results would make SQLAlchemy send the rows one statement each.)
    """
    if not rows:
        return []
    _require_writable(session)
    ids = [0] * len(rows)
    for shape, indexes in _by_shape(rows).items():
        group = rows if len(indexes) == len(rows) else [rows[i] for i in indexes]
        batch: dict[str, Sequence[Any]] = {k: [r[k] for r in group] for k in shape}
        for index, new_id in zip(indexes, _insert_batch(session, model, batch, root), strict=True):
            ids[index] = new_id
    return ids


def bulk_insert_columns(
    session: Session,
    model: type[Base],
    columns: Mapping[str, Sequence[Any]],
    *,
    root: Root | None = None,
) -> range:
    """``bulk_insert`` for rows given column by column: ``columns[attribute][i]``
    is row i's value, every row giving the same attributes. Builders of many rows
    (a checklist per placement) extend a few lists instead of making a dict per
    row. Returns the new ids, consecutive, in the order of the rows."""
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1:
        raise ValueError("bulk_insert_columns needs columns, all of one length")
    if "id" in columns:
        raise ValueError("bulk_insert assigns ids itself; rows must not carry one")
    if lengths == {0}:
        return range(0)
    _require_writable(session)
    return _insert_batch(session, model, {k: columns[k] for k in sorted(columns)}, root)


def _insert_batch(
    session: Session, model: type[Base], batch: dict[str, Sequence[Any]], root: Root | None
) -> range:
    """Insert rows given as columns by attribute name, sorted; record their
    entries; return their ids."""
    table = model.__table__
    columns = _column_names(model)
    count = len(next(iter(batch.values())))
    batch = _with_defaults(model, batch, count)
    shape = tuple(batch)
    names = tuple(columns[k] for k in shape)
    stored = _insert_many(session, table, names, list(batch.values()))
    last = session.scalar(select(func.max(table.c.id)))
    first = last - count + 1
    span = select(func.count()).where(table.c.id.between(first, last))
    if session.scalar(span) != count:
        raise RuntimeError(f"ids of the rows just inserted into {table.name} are not consecutive")
    new_ids = range(first, last + 1)
    # The payload: the row's values by column name (dates already as the ISO
    # text canonical_json makes of them), pack texts left out, and its id.
    derived, redacted = model.__audit_derived__, model.__audit_redact__
    payload: dict[str, Sequence[Any]] = {
        names[i]: stored[i] for i, k in enumerate(shape) if k not in derived
    }
    for i, k in enumerate(shape):
        if k in redacted and k not in derived:
            payload[names[i]] = [_encode(session, model, k, v) for v in stored[i]]
    payload["id"] = new_ids
    afters = [_Inserted(payload, i) for i in range(count)]
    if root is not None:
        roots = list(map(root, afters))
    elif model.__audit_root__ is None:
        roots = [(model.__tablename__, new_id) for new_id in new_ids]
    else:
        kind, column = model.__audit_root__
        roots = [(kind, value) for value in payload[column]]
    entries = [
        {"before": None, "after": after, _RENDERED: text}
        for after, text in zip(afters, _rendered_inserts(payload), strict=True)
    ]
    keys = list(map(f"{table.name}:".__add__, map(str, new_ids)))
    _add_inserted(session, roots, keys, entries)
    return new_ids


@cache
def _defaults(model: type[Base]) -> tuple[tuple[str, Callable[[], Any]], ...]:
    """(attribute, what gives its value) for every column but the id that the database
    or SQLAlchemy would fill when a row leaves it out: a Python default (a constant, or
    a function called once per batch) or the database's CURRENT_TIMESTAMP."""
    out: list[tuple[str, Callable[[], Any]]] = []
    for attr in inspect(model).column_attrs:
        column = attr.columns[0]
        if column.primary_key:
            continue
        default = column.default
        if default is not None and default.is_callable:  # called as SQLAlchemy calls it
            out.append((attr.key, partial(default.arg, None)))
        elif default is not None and default.is_scalar:
            out.append((attr.key, partial(_constant, default.arg)))
        elif default is not None or column.server_default is not None:
            if not isinstance(column.type, UTCDateTime):
                raise TypeError(
                    f"bulk_insert cannot audit the default of {model.__tablename__}.{column.name}"
                )
            out.append((attr.key, utcnow))
    return tuple(out)


def _constant(value: Any) -> Any:
    return value


def _with_defaults(
    model: type[Base], batch: dict[str, Sequence[Any]], count: int
) -> dict[str, Sequence[Any]]:
    """``batch`` with a column for each default the rows leave out, one value for the
    whole batch: the rows store what their entries record, timestamps included."""
    missing = [(key, make) for key, make in _defaults(model) if key not in batch]
    if not missing:
        return batch
    filled = dict(batch)
    for key, make in missing:
        filled[key] = [make()] * count
    return {key: filled[key] for key in sorted(filled)}


def _by_shape(rows: Sequence[Mapping[str, Any]]) -> Mapping[tuple[str, ...], Sequence[int]]:
    """Row indexes by the sorted keys of the row; rows built by one loop share them."""
    orders = set(map(tuple, rows))
    by_shape: Mapping[tuple[str, ...], Sequence[int]]
    if len(orders) == 1:
        (order,) = orders
        by_shape = {tuple(sorted(order)): range(len(rows))}
    else:
        shapes = {order: tuple(sorted(order)) for order in orders}
        groups: dict[tuple[str, ...], list[int]] = {}
        for index, row in enumerate(rows):
            groups.setdefault(shapes[tuple(row)], []).append(index)
        by_shape = groups
    if any("id" in shape for shape in by_shape):
        raise ValueError("bulk_insert assigns ids itself; rows must not carry one")
    return by_shape


def _add_inserted(
    session: Session,
    roots: list[tuple[str, int | None]],
    keys: list[str],
    entries: list[dict[str, Any]],
) -> None:
    """Add the entries of rows just inserted, as ``_record`` would one by one: a
    batch's rows come grouped by aggregate (a placement's checklist items follow
    each other), so each run of one aggregate is added at once."""
    pending = _pending(session)
    vanished = session.info.setdefault(_VANISHED, set())
    start = 0
    for aggregate, run in groupby(roots):
        end = start + len(list(run))
        chunk = keys[start:end]
        records = pending.get(aggregate)
        if records is None and not vanished:
            pending[aggregate] = dict(zip(chunk, entries[start:end], strict=True))
        elif records is not None and not vanished and records.keys().isdisjoint(chunk):
            records.update(zip(chunk, entries[start:end], strict=True))
        else:  # an id the database reused within this unit of work
            for key, entry in zip(chunk, entries[start:end], strict=True):
                if key in vanished:
                    continue
                records = pending.setdefault(aggregate, {})
                if key in records:
                    _record(session, aggregate, key, None, entry["after"])
                else:
                    records[key] = entry
        start = end


class _Inserted(Mapping[str, Any]):
    """A bulk-inserted row's payload values, read from its batch's columns when
    asked for: the commit writes the text rendered for the row instead, so most
    are never read, and a batch of 100,000 rows makes no 100,000 dicts."""

    __slots__ = ("_columns", "_index")

    def __init__(self, columns: dict[str, Sequence[Any]], index: int) -> None:
        self._columns = columns
        self._index = index

    def __getitem__(self, key: str) -> Any:
        return self._columns[key][self._index]

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns)

    def __len__(self) -> int:
        return len(self._columns)


def _column_names(model: type[Base]) -> dict[str, str]:
    """Attribute name -> column name (``relationship_`` -> ``relationship``)."""
    return {a.key: a.columns[0].name for a in inspect(model).column_attrs}


@dataclass(frozen=True)
class _Insert:
    """One compiled INSERT for a table and a set of given columns, with what turns
    the given values into the driver's parameters exactly as SQLAlchemy would."""

    sql: str
    #: Per parameter of ``sql``: the index of its column among the given ones, or
    #: None for a column filled from its scalar default.
    sources: tuple[int | None, ...]
    #: Per parameter: its scalar default, already as the driver gets it.
    defaults: tuple[Any, ...]
    #: Per parameter: the column type's bind processor (None: passed as is).
    processors: tuple[Callable[[Any], Any] | None, ...]
    #: Per parameter: True when the processor is SQLite's default DATE format,
    #: which for ``date`` objects is exactly ``date.isoformat()``.
    iso_dates: tuple[bool, ...]
    #: Per parameter: True when the processor is SQLite's default DATETIME format,
    #: which for naive ``datetime`` objects is ``isoformat(" ", "microseconds")``.
    iso_datetimes: tuple[bool, ...]


@lru_cache(maxsize=256)
def _compiled_insert(table: Table, names: tuple[str, ...], dialect: Dialect) -> _Insert | None:
    """The INSERT SQLAlchemy itself would send for rows giving columns ``names``,
    or None when a missing column's default must be computed per row (a callable
    or SQL expression): those go through SQLAlchemy."""
    compiled = insert(table).compile(dialect=dialect, column_keys=list(names), for_executemany=True)
    if compiled.positiontup is None or compiled.returning:
        return None
    prefetch = {c.key: c for c in compiled.insert_prefetch}
    sources: list[int | None] = []
    defaults: list[Any] = []
    processors: list[Callable[[Any], Any] | None] = []
    iso_dates: list[bool] = []
    iso_datetimes: list[bool] = []
    for key in compiled.positiontup:
        type_ = compiled.binds[key].type.dialect_impl(dialect)
        process = type_.bind_processor(dialect)
        if key in names:
            sources.append(names.index(key))
            defaults.append(None)
        else:
            column = prefetch.get(key)
            default = column.default if column is not None else None
            if not isinstance(default, ColumnDefault) or not default.is_scalar:
                return None
            sources.append(None)
            defaults.append(default.arg if process is None else process(default.arg))
        processors.append(process)
        iso_dates.append(
            isinstance(type_, sqlite.DATE) and type_._storage_format == sqlite.DATE._storage_format
        )
        iso_datetimes.append(
            isinstance(type_, sqlite.DATETIME)
            and type_._storage_format == sqlite.DATETIME._storage_format
        )
    return _Insert(
        compiled.string,
        tuple(sources),
        tuple(defaults),
        tuple(processors),
        tuple(iso_dates),
        tuple(iso_datetimes),
    )


def _insert_many(
    session: Session, table: Table, names: tuple[str, ...], columns: list[Sequence[Any]]
) -> list[Sequence[Any]]:
    """Insert rows given column by column (``columns[i]`` holds column ``names[i]``)
    with one executemany on the session's connection, each column converted by its
    type's own bind processor, so the stored bytes are those SQLAlchemy's INSERT
    stores.

    Returns the columns, a column of dates as their ISO text (what
    ``canonical_json`` makes of them): the audit payload reuses it.
    """
    connection = session.connection()
    plan = _compiled_insert(table, names, connection.dialect)
    count = len(columns[0]) if columns else 0
    given = list(columns)
    iso = set()
    for i, column in enumerate(columns):
        if column and set(map(type, column)) == {date}:
            given[i] = list(map(date.isoformat, column))
            iso.add(i)
    if plan is None:
        session.info[_BULK_OK] = True
        try:
            session.execute(
                insert(table),
                [dict(zip(names, v, strict=True)) for v in zip(*columns, strict=True)],
            )
        finally:
            session.info[_BULK_OK] = False
        return given
    params: list[Sequence[Any]] = []
    for source, default, process, iso_date, iso_datetime in zip(
        plan.sources,
        plan.defaults,
        plan.processors,
        plan.iso_dates,
        plan.iso_datetimes,
        strict=True,
    ):
        if source is None:
            params.append([default] * count)
        elif process is None:
            params.append(columns[source])
        elif iso_date and source in iso:
            params.append(given[source])  # SQLite's DATE format is date.isoformat()
        elif iso_datetime and _naive_times(columns[source]):
            params.append(
                [None if v is None else v.isoformat(" ", "microseconds") for v in columns[source]]
            )
        else:
            params.append(_processed(process, columns[source]))
    connection.exec_driver_sql(plan.sql, list(zip(*params, strict=True)))
    return given


def _naive_times(values: Sequence[Any]) -> bool:
    """Every value a naive ``datetime`` or None (local work times)."""
    return set(map(type, values)) <= {datetime, type(None)} and all(
        v is None or v.tzinfo is None for v in values
    )


def _processed(process: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    """``process`` of each value, once per object where a few objects fill the column
    (a timestamp, the rule-pack versions every finding of a check shares)."""
    objects = set(map(id, values))
    if len(objects) == 1 and len(values) > 1:
        return [process(values[0])] * len(values)
    if len(objects) * 2 <= len(values):
        shared = {id(v): process(v) for v in values}
        return [shared[id(v)] for v in values]
    return list(map(process, values))


def bulk_update(session: Session, model: type[Base], rows: Iterable[dict[str, Any]]) -> None:
    """Update many rows by ``id`` with Core statements, auditing before and after.
    Rows that would change nothing are not written (their ``updated_at`` stays); the
    others get one ``updated_at`` for the call, recorded with their changes."""
    rows = [dict(r) for r in rows]
    if not rows:
        return
    _require_actor(session)
    table = model.__table__
    # Rows are keyed by attribute name; the stored row and the payload by column name.
    columns = {a.key: a.columns[0].name for a in inspect(model).column_attrs}
    ids = [r["id"] for r in rows]
    current = {r.id: r._mapping for r in session.execute(select(table).where(table.c.id.in_(ids)))}
    stamped = {key: _onupdate_value(model, key) for key, _name in _auto_updated(model)}
    changes = []
    for row in rows:
        old = current.get(row["id"])
        if old is None:
            continue
        changed = [k for k in row if k != "id" and old[columns[k]] != row[k]]
        if not changed:
            continue
        row = {**{k: v for k, v in stamped.items() if k not in row}, **row}
        changed += [k for k in stamped if k not in changed]
        before = {columns[k]: _encode(session, model, k, old[columns[k]]) for k in changed}
        after = {columns[k]: _encode(session, model, k, row[k]) for k in changed}
        changes.append((row, old, before, after))
    if not changes:
        return
    session.info[_BULK_OK] = True
    try:
        session.execute(update(model), [row for row, *_ in changes])
    finally:
        session.info[_BULK_OK] = False
    for row, old, before, after in changes:
        key = f"{table.name}:{row['id']}"
        _record(session, _root_of(model, {**old, **row}), key, before, after)


def _require_writable(session: Session) -> None:
    """bulk_insert's statements bypass ``_guard_bulk``: the same checks, here."""
    if session.info.get("read_only"):
        raise RuntimeError("a read-only session tried to write")
    _require_actor(session)


def _require_actor(session: Session) -> Actor:
    actor = session.info.get("actor")
    if not isinstance(actor, Actor):
        raise RuntimeError("a write outside a unit of work (no acting user)")
    return actor
