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
keeping ``payload_hash``, so the chain still verifies (the purge's own event
accounts for each payload it blanked: ``core/trail/audit_explain.py``).

The chain is not keyed: whoever can write the file can rebuild it whole. What
stops that is a head kept elsewhere (``current_head``: each backup holds one, and
packets will record one), which ``audit verify --against`` compares.

The links are written by ``internhost.core.trail.audit`` in the same transaction as the
events (``link``); ``ChainWalk`` checks them for ``core/trail/audit_verify.py``. This
module imports no other part of the audit machinery.
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
        # Events but no head: someone removed it. Go on numbering after the newest
        # event but link to GENESIS, so the break stays in the chain for verify to
        # report (``RESTARTED``) instead of being healed away by the next save.
        last = _last_event(session)
        head = (last[0], GENESIS) if last is not None else (0, GENESIS)
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


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the trail: ``text`` is its line (``seq N: …`` or
    ``<table> <id>: …``); problems sort by ``order`` (events by seq, then rows)."""

    order: tuple[Any, ...]
    text: str


def seq_problem(seq: int, text: str) -> Problem:
    return Problem((0, seq), f"seq {seq}: {text}")


@dataclass(frozen=True)
class ChainHead:
    """The newest link of a chain: what a backup or a packet records, so a copy kept
    elsewhere can later prove that the live chain still extends it."""

    seq: int
    entry_hash: str

    def __str__(self) -> str:
        return f"seq {self.seq}, hash {self.entry_hash[:12]}"


def current_head(session: Session) -> ChainHead | None:
    """The chain's head as ``app_state`` records it (None: no event yet). Packets and
    backups record it; ``audit verify --against`` compares a recorded head with the
    live chain (``core/trail/audit_verify.py``)."""
    head = _head(session)
    return None if head is None else ChainHead(*head)


_NOT_FOLLOWING = (
    "the event does not follow the one before it: an event before it was deleted, inserted or moved"
)
#: An event written while the chain's head was missing (``link``).
RESTARTED = (
    "the chain starts again here: the chain's head was missing when this event was "
    "written (it was removed, or the events after it deleted)"
)

#: The columns the chain check reads, in seq order.
EVENT_COLUMNS = (
    "seq",
    "occurred_at",
    "actor_kind",
    "actor_user_id",
    "actor_name",
    "operation",
    "action",
    "aggregate_type",
    "aggregate_id",
    "payload",
    "payload_hash",
    "prev_hash",
    "entry_hash",
    "purged_at",
)


class ChainWalk:
    """Checks the links one event at a time, in seq order (``feed``), then the head
    (``finish``). A broken link is reported and the walk goes on from that event's own
    hash, so one deleted or edited event gives one problem, not one per later event."""

    def __init__(self) -> None:
        self.prev = GENESIS
        self.events = 0
        self.last_seq = 0
        self.problems: list[Problem] = []

    def feed(self, row: Any) -> None:
        self.events += 1
        self.last_seq = row.seq
        bad = self.problems.append
        if row.entry_hash is None or row.payload_hash is None:
            bad(seq_problem(row.seq, "the event has no hash (written outside the audit trail)"))
            self.prev = row.entry_hash or GENESIS
            return
        if row.prev_hash != self.prev:
            restarted = row.prev_hash == GENESIS and self.events > 1
            bad(seq_problem(row.seq, RESTARTED if restarted else _NOT_FOLLOWING))
        if row.purged_at is None:
            if payload_hash(row.payload) != row.payload_hash:
                bad(seq_problem(row.seq, "the payload was changed (its hash does not match)"))
        elif row.payload != PURGED_PAYLOAD:
            bad(seq_problem(row.seq, "a purged event holds a payload again"))
        expected = entry_hash(
            row.prev_hash,
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
            bad(
                seq_problem(
                    row.seq,
                    "the event's time, actor, operation, record or seq was changed "
                    "(its entry hash does not match)",
                )
            )
        self.prev = row.entry_hash

    def finish(self, head: ChainHead | None) -> None:
        if head is None:
            if self.events:
                self.problems.append(seq_problem(self.last_seq, "the chain's head is missing"))
            return
        if head.seq == self.last_seq and head.entry_hash == self.prev:
            return
        if head.seq > self.last_seq:
            self.problems.append(
                seq_problem(
                    self.last_seq + 1, f"the newest events (after seq {self.last_seq}) were deleted"
                )
            )
        else:
            self.problems.append(
                seq_problem(head.seq, "the chain's head does not match its newest event")
            )


def events_query() -> Any:
    t = AuditEvent.__table__
    return select(*(t.c[name] for name in EVENT_COLUMNS)).order_by(t.c.seq)


def walk_events(session: Session) -> Any:
    """Every event, in seq order, fetched in batches."""
    return session.connection().execution_options(yield_per=2000).execute(events_query())
