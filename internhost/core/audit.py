"""Audit of every write, in the same transaction as the write.

Session events collect what each flush changed, grouped by aggregate (an intern
with their contacts and placements is one aggregate); just before commit, one
``AuditEvent`` per aggregate is inserted. Bulk Core writes go through
``bulk_insert``/``bulk_update`` here, which record the same events; any other
ORM or Core insert, update or delete on an audited table is refused. Deleting a
row also records what the database's own ON DELETE CASCADE and SET NULL will do
to the rows that refer to it. Raw SQL text is not seen (used only in migrations).
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import event, func, insert, inspect, select, update
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from internhost.core.actor import Actor
from internhost.core.models.audit import AuditEvent
from internhost.core.models.base import Base, utcnow

_PENDING = "audit_pending"
_SAVEPOINTS = "audit_savepoints"
_BULK_OK = "audit_bulk_ok"
_VANISHED = "audit_vanished"
REDACTED = "[redacted]"

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


def canonical_json(value: Any) -> str:
    """Deterministic JSON (sorted keys, no spaces) so a later hash chain is stable."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return {"sha256": hashlib.sha256(value).hexdigest(), "size": len(value)}
    raise TypeError(f"cannot audit a {type(value).__name__}")


def _encode(model: type[Base], key: str, value: Any) -> Any:
    if key in model.__audit_redact__ and value is not None:
        return REDACTED
    return value


def _audited(obj: object) -> bool:
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
    if entry["before"] is None:  # created in this unit of work
        if after is None:
            del records[record_key]  # ...and deleted again: it never existed
            vanished.add(record_key)
        else:
            entry["after"] = {**entry["after"], **after}
        return
    entry["before"] = {**(before or {}), **entry["before"]}
    entry["after"] = None if after is None else {**(entry["after"] or {}), **after}


def _snapshot(obj: Base) -> dict[str, Any]:
    state = inspect(obj)
    model = type(obj)
    out = {}
    for attr in state.mapper.column_attrs:
        if attr.key in state.dict and attr.key not in model.__audit_derived__:
            out[attr.columns[0].name] = _encode(model, attr.key, state.dict[attr.key])
    return out


def _changes(obj: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    model = type(obj)
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        hist = state.attrs[attr.key].history
        if not hist.has_changes():
            continue
        name = attr.columns[0].name
        before[name] = _encode(model, attr.key, hist.deleted[0] if hist.deleted else None)
        after[name] = _encode(model, attr.key, hist.added[0] if hist.added else None)
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
        attr = next(a.key for a in inspect(model).column_attrs if a.columns[0] is column)
        rows = list(session.scalars(select(model).where(column.in_(ids))))
        if not rows:
            continue
        if action == "CASCADE":
            for row in rows:
                _record(session, row.audit_aggregate(), _record_key(row), _snapshot(row), None)
            _record_cascades(session, table.name, [r.id for r in rows])
        else:
            for row in rows:
                before = {column.name: getattr(row, attr)}
                _record(
                    session, row.audit_aggregate(), _record_key(row), before, {column.name: None}
                )


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.deleted):
        if _audited(obj):
            key = inspect(obj).mapper.primary_key_from_instance(obj)
            _record_cascades(session, obj.__tablename__, list(key))


def _after_flush(session: Session, _context: Any) -> None:
    changed = [o for o in (*session.new, *session.dirty, *session.deleted) if _audited(o)]
    if not changed:
        return
    if session.info.get("read_only"):
        raise RuntimeError("a read-only session tried to write")
    if not isinstance(session.info.get("actor"), Actor):
        raise RuntimeError("a write outside a unit of work (no acting user)")
    for obj in session.new:
        if _audited(obj):
            _record(session, obj.audit_aggregate(), _record_key(obj), None, _snapshot(obj))
    for obj in session.dirty:
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            before, after = _changes(obj)
            if after:
                _record(session, obj.audit_aggregate(), _record_key(obj), before, after)
    for obj in session.deleted:
        if _audited(obj):
            _record(session, obj.audit_aggregate(), _record_key(obj), _snapshot(obj), None)


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
    actor = session.info.get("actor")
    rows = []
    now = utcnow()
    for aggregate, records in pending.items():
        if not records:
            continue
        payload = {k: {"before": v["before"], "after": v["after"]} for k, v in records.items()}
        rows.append(
            {
                "occurred_at": now,
                "actor_kind": actor.kind,
                "actor_user_id": actor.user_id,
                "actor_name": actor.name,
                "operation": session.info.get("operation", ""),
                "action": _action(aggregate, records),
                "aggregate_type": aggregate[0],
                "aggregate_id": aggregate[1],
                "payload": canonical_json(payload),
            }
        )
    if rows:
        session.execute(insert(AuditEvent.__table__), rows)


def _after_transaction_create(session: Session, transaction: Any) -> None:
    if transaction.nested:
        stack = session.info.setdefault(_SAVEPOINTS, {})
        stack[id(transaction)] = copy.deepcopy(session.info.get(_PENDING, {}))


def _after_soft_rollback(session: Session, previous: Any) -> None:
    saved = session.info.get(_SAVEPOINTS, {}).pop(id(previous), None)
    if previous.nested and saved is not None:
        session.info[_PENDING] = saved
    elif not previous.nested:
        session.info.pop(_PENDING, None)
        session.info.pop(_VANISHED, None)


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


def bulk_insert(
    session: Session,
    model: type[Base],
    rows: Sequence[dict[str, Any]],
    *,
    root: Callable[[dict[str, Any]], tuple[str, int | None]] | None = None,
) -> list[int]:
    """Insert many rows (keyed by attribute name) with Core statements and audit each;
    returns the new ids in the order of ``rows``. ``root`` maps a row (by column name,
    with its new ``id``) to its aggregate when ``__audit_root__`` cannot (grandchildren).

    One plain executemany per shape of row, as fast as the driver allows. The ids
    are read back, not returned: inside our write transaction SQLite gives each
    new row max(id) + 1, so a batch takes the consecutive ids below the new
    max(id), which is checked. (RETURNING with ordered results would make SQLAlchemy
    send the rows one statement each.)
    """
    if not rows:
        return []
    _require_actor(session)
    table = model.__table__
    columns = {a.key: a.columns[0].name for a in inspect(model).column_attrs}
    by_shape: dict[tuple[str, ...], list[int]] = {}
    for index, row in enumerate(rows):
        if "id" in row:
            raise ValueError("bulk_insert assigns ids itself; rows must not carry one")
        by_shape.setdefault(tuple(sorted(row)), []).append(index)
    ids = [0] * len(rows)
    top = select(func.max(table.c.id))
    session.info[_BULK_OK] = True
    try:
        for shape, indexes in by_shape.items():
            params = [{columns[k]: rows[i][k] for k in shape} for i in indexes]
            session.execute(insert(table), params)
            last = session.scalar(top)
            first = last - len(indexes) + 1
            span = select(func.count()).where(table.c.id.between(first, last))
            if session.scalar(span) != len(indexes):
                raise RuntimeError(
                    f"ids of the rows just inserted into {table.name} are not consecutive"
                )
            for offset, index in enumerate(indexes):
                ids[index] = first + offset
    finally:
        session.info[_BULK_OK] = False
    resolve = root or (lambda r: _root_of(model, r))
    derived = model.__audit_derived__
    for new_id, row in zip(ids, rows, strict=True):
        after = {columns[k]: _encode(model, k, v) for k, v in row.items() if k not in derived}
        after["id"] = new_id
        _record(session, resolve(after), f"{table.name}:{new_id}", None, after)
    return ids


def bulk_update(session: Session, model: type[Base], rows: Iterable[dict[str, Any]]) -> None:
    """Update many rows by ``id`` with Core statements, auditing before and after."""
    rows = [dict(r) for r in rows]
    if not rows:
        return
    _require_actor(session)
    table = model.__table__
    # Rows are keyed by attribute name; the stored row and the payload by column name.
    columns = {a.key: a.columns[0].name for a in inspect(model).column_attrs}
    ids = [r["id"] for r in rows]
    current = {r.id: r._mapping for r in session.execute(select(table).where(table.c.id.in_(ids)))}
    session.info[_BULK_OK] = True
    try:
        session.execute(update(model), rows)
    finally:
        session.info[_BULK_OK] = False
    for row in rows:
        old = current.get(row["id"])
        if old is None:
            continue
        changed = [k for k in row if k != "id" and old[columns[k]] != row[k]]
        before = {columns[k]: _encode(model, k, old[columns[k]]) for k in changed}
        after = {columns[k]: _encode(model, k, row[k]) for k in changed}
        if after:
            _record(
                session, _root_of(model, {**old, **row}), f"{table.name}:{row['id']}", before, after
            )


def _require_actor(session: Session) -> None:
    if not isinstance(session.info.get("actor"), Actor):
        raise RuntimeError("a write outside a unit of work (no acting user)")
