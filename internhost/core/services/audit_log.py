"""Reading the audit trail (HR admins only): pages of events, newest first, and
checking it (``verify_audit_trail``: the chain, and that it explains the data)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, String, cast, select
from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission, require
from internhost.core.dto import AuditEventRow
from internhost.core.models import AuditEvent
from internhost.core.storage.db import DatabaseKey
from internhost.core.trail import audit_verify
from internhost.core.trail.audit_chain import PURGED_PAYLOAD
from internhost.core.trail.audit_labels import Labeller, noun
from internhost.core.trail.audit_verify import VerifyReport
from internhost.core.validation import Checker

MAX_FILTER = 200


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def list_audit_events(
    s: Session,
    actor: Actor,
    *,
    since: date | None = None,
    until: date | None = None,
    user: str | None = None,
    operation: str | None = None,
    record: str | None = None,
    before_seq: int | None = None,
    limit: int = 200,
) -> list[AuditEventRow]:
    """Events newest first, at most ``limit``, with seq below ``before_seq`` (keyset
    paging: pass the last row's seq for the next page). ``since``/``until``: UTC days,
    inclusive; ``user``, ``operation``: text the actor name or operation contains;
    ``record``: text the aggregate (``interns:12``) or the recorded values (a name)
    contain."""
    require(actor, Permission.READ_AUDIT)
    check = Checker()
    user, operation, record = (
        check.search(field, value, max_len=MAX_FILTER)
        for field, value in (("user", user), ("operation", operation), ("record", record))
    )
    check.done()
    limit = max(1, min(int(limit), 1000))
    t = AuditEvent
    where: list[ColumnElement[bool]] = []
    if before_seq is not None:
        where.append(t.seq < before_seq)
    if since is not None:
        where.append(t.occurred_at >= datetime.combine(since, time(), UTC))
    if until is not None:
        where.append(t.occurred_at < datetime.combine(until + timedelta(days=1), time(), UTC))
    if user:
        where.append(t.actor_name.ilike(_like(user), escape="\\"))
    if operation:
        where.append(t.operation.ilike(_like(operation), escape="\\"))
    if record:
        key = t.aggregate_type + ":" + cast(t.aggregate_id, String)
        text = _like(record)
        where.append(
            key.ilike(text, escape="\\")
            | t.aggregate_type.ilike(text, escape="\\")
            | t.payload.ilike(text, escape="\\")
        )
    query = select(t).where(*where).order_by(t.seq.desc()).limit(limit)
    events = [(e, e.purged_at is not None or e.payload == PURGED_PAYLOAD) for e in s.scalars(query)]
    changes = {e.seq: {} if purged else json.loads(e.payload) for e, purged in events}
    labeller = Labeller(
        s, (r for e, purged in events if not purged for r in _records(e, changes[e.seq]))
    )
    rows = []
    for e, purged in events:
        named = {} if purged else {r[:2]: labeller.label(*r) for r in _records(e, changes[e.seq])}
        rows.append(
            AuditEventRow(
                seq=e.seq,
                occurred_at=e.occurred_at,
                actor_kind=e.actor_kind,
                actor_name=e.actor_name,
                operation=e.operation,
                action=e.action,
                aggregate_type=e.aggregate_type,
                aggregate_id=e.aggregate_id,
                changes=changes[e.seq],
                purged=purged,
                record_label=(
                    f"{noun(e.aggregate_type)} (purged)"
                    if purged
                    else named.get((e.aggregate_type, e.aggregate_id), noun(e.aggregate_type))
                ),
                labels={f"{table}:{rid}": label for (table, rid), label in named.items()},
            )
        )
    return rows


def _records(
    e: AuditEvent, changes: dict[str, Any]
) -> list[tuple[str, int | None, dict[str, Any]]]:
    """(table, id, values) of the event's aggregate and of every record it changed;
    values are the after-values, or the before-values of a delete."""
    found: dict[tuple[str, int | None], dict[str, Any]] = {}
    for key, change in changes.items():
        table, _, rid = key.partition(":")
        values = (change or {}).get("after") or (change or {}).get("before") or {}
        found[(table, int(rid) if rid.isdigit() else None)] = values
    found.setdefault((e.aggregate_type, e.aggregate_id), {})
    return [(table, rid, values) for (table, rid), values in found.items()]


def verify_audit_trail(
    s: Session, actor: Actor, *, against: Path | None = None, key: DatabaseKey | None = None
) -> VerifyReport:
    """Check the trail (HR admins only): its hash chain, that every purged payload is
    accounted for, and that it explains every audited row. ``against``: a backup of
    this database (opened with ``key``, only read) whose chain the live one must
    extend. Read-only; about 6 s of CPU for 10,000 interns (bench/audit_verify.py)."""
    require(actor, Permission.READ_AUDIT)
    if against is None:
        return audit_verify.verify(s)
    return audit_verify.verify_against(s, against, key)
