"""The audit trail's hash chain, and checking it.

Every audit event stores ``payload_hash`` (SHA-256 of its canonical JSON payload),
``prev_hash`` (the entry hash of the event before it, ``GENESIS`` for the first)
and ``entry_hash``: SHA-256 over the canonical JSON of

    [prev_hash, seq, occurred_at (ISO, UTC), actor_kind, actor_user_id, actor_name,
     operation, action, aggregate_type, aggregate_id, payload_hash]

The newest link (its seq and entry hash) is kept in ``app_state`` under
``HEAD_KEY``, so deleting the newest events is detected too. An edited, inserted,
deleted or reordered event breaks the chain; a purge replaces the payload of the
events that named purged records by ``PURGED_PAYLOAD`` and sets ``purged_at``,
keeping ``payload_hash``, so the chain still verifies.

The links are written by ``internhost.core.audit`` in the same transaction as the
events (``link``). This module imports no other part of the audit machinery.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from internhost.core.models import AppState, AuditEvent

GENESIS = "0" * 64
HEAD_KEY = "audit_chain_head"
#: What a purge leaves of an event's payload (its hash stays).
PURGED_PAYLOAD = '{"purged":true}'


def payload_hash(payload: str) -> str:
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def entry_hash(
    prev: str,
    seq: int,
    occurred_at: datetime,
    actor_kind: str,
    actor_user_id: int | None,
    actor_name: str,
    operation: str,
    action: str,
    aggregate_type: str,
    aggregate_id: int | None,
    payload_sha: str,
    *,
    occurred_iso: str | None = None,
) -> str:
    fields = [
        prev,
        seq,
        occurred_iso or _iso(occurred_at),
        actor_kind,
        actor_user_id,
        actor_name,
        operation,
        action,
        aggregate_type,
        aggregate_id,
        payload_sha,
    ]
    text = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _head(session: Session) -> tuple[int, str] | None:
    value = session.connection().scalar(
        select(AppState.__table__.c.value).where(AppState.__table__.c.key == HEAD_KEY)
    )
    if value is None:
        return None
    seq, _, digest = value.partition(":")
    return int(seq), digest


def _last_event(session: Session) -> tuple[int, str] | None:
    table = AuditEvent.__table__
    row = (
        session.connection()
        .execute(select(table.c.seq, table.c.entry_hash).order_by(table.c.seq.desc()).limit(1))
        .first()
    )
    return None if row is None else (row[0], row[1] or GENESIS)


def link(session: Session, columns: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """The chain columns (``seq``, ``payload_hash``, ``prev_hash``, ``entry_hash``) of
    new events given column by column in the order of ``audit._EVENT_COLUMNS``; reads
    the previous link once and moves the head past the new events. Runs inside the
    write transaction (SQLite holds its write lock since the events' rows were written)."""
    (occurred, kinds, user_ids, names, operations, actions, types, ids, payloads) = columns
    head = _head(session)
    had_head = head is not None
    if head is None:
        head = _last_event(session) or (0, GENESIS)
    seq, prev = head
    count = len(payloads)
    seqs = list(range(seq + 1, seq + 1 + count))
    payload_hashes = list(map(payload_hash, payloads))
    prevs: list[str] = []
    entries: list[str] = []
    isos: dict[int, str] = {}
    for i in range(count):
        moment = occurred[i]
        iso = isos.get(id(moment))
        if iso is None:
            iso = isos[id(moment)] = _iso(moment)
        prevs.append(prev)
        prev = entry_hash(
            prev,
            seqs[i],
            moment,
            kinds[i],
            user_ids[i],
            names[i],
            operations[i],
            actions[i],
            types[i],
            ids[i],
            payload_hashes[i],
            occurred_iso=iso,
        )
        entries.append(prev)
    _set_head(session, seqs[-1], prev, exists=had_head)
    return [seqs, payload_hashes, prevs, entries]


def _set_head(session: Session, seq: int, digest: str, *, exists: bool) -> None:
    table = AppState.__table__
    value = f"{seq}:{digest}"
    connection = session.connection()
    if exists:
        connection.execute(update(table).where(table.c.key == HEAD_KEY).values(value=value))
    else:
        connection.execute(insert(table).values(key=HEAD_KEY, value=value))


@dataclass(frozen=True)
class VerifyReport:
    """``events`` checked; the first event that breaks the chain and why (None: intact)."""

    events: int
    first_bad_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_bad_seq is None


def verify(session: Session) -> VerifyReport:
    """Walk the whole chain in seq order; stop at the first broken link. Read-only."""
    t = AuditEvent.__table__
    query = select(
        t.c.seq,
        t.c.occurred_at,
        t.c.actor_kind,
        t.c.actor_user_id,
        t.c.actor_name,
        t.c.operation,
        t.c.action,
        t.c.aggregate_type,
        t.c.aggregate_id,
        t.c.payload,
        t.c.payload_hash,
        t.c.prev_hash,
        t.c.entry_hash,
        t.c.purged_at,
    ).order_by(t.c.seq)
    prev = GENESIS
    count = 0
    last_seq = 0
    result = session.connection().execution_options(yield_per=2000).execute(query)
    for row in result:
        count += 1
        last_seq = row.seq

        def bad(problem: str, row: Any = row, count: int = count) -> VerifyReport:
            return VerifyReport(count, row.seq, problem)

        if row.entry_hash is None or row.payload_hash is None:
            return bad("the event has no hash (written outside the audit trail)")
        if row.prev_hash != prev:
            return bad(
                "the event does not follow the one before it: an event before it "
                "was deleted, inserted or moved"
            )
        if row.purged_at is None:
            if payload_hash(row.payload) != row.payload_hash:
                return bad("the payload was changed (its hash does not match)")
        elif row.payload != PURGED_PAYLOAD:
            return bad("a purged event holds a payload again")
        expected = entry_hash(
            prev,
            row.seq,
            row.occurred_at,
            row.actor_kind,
            row.actor_user_id,
            row.actor_name,
            row.operation,
            row.action,
            row.aggregate_type,
            row.aggregate_id,
            row.payload_hash,
        )
        if expected != row.entry_hash:
            return bad(
                "the event's time, actor, operation, record or seq was changed "
                "(its entry hash does not match)"
            )
        prev = row.entry_hash
    head = _head(session)
    if head is None:
        if count:
            return VerifyReport(count, last_seq, "the chain's head is missing")
        return VerifyReport(0)
    head_seq, head_hash = head
    if head_seq != last_seq or head_hash != prev:
        if head_seq > last_seq:
            return VerifyReport(
                count, last_seq + 1, f"the newest events (after seq {last_seq}) were deleted"
            )
        return VerifyReport(count, head_seq, "the chain's head does not match its newest event")
    return VerifyReport(count)


def verify_chain(s: Session, actor: Any) -> VerifyReport:
    """``verify`` for an acting user: HR admins only (``Permission.READ_AUDIT``)."""
    from internhost.core.actor import Permission, require

    require(actor, Permission.READ_AUDIT)
    return verify(s)
