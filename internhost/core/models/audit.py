"""The audit log: one event per aggregate per unit of work.

Metadata (who, when, what) lives in columns; the change itself is a canonical
JSON payload keyed by record (``"interns:12"``), so one record's personal data
can later be blanked without touching the rest. ``seq`` is AUTOINCREMENT, never
reused, so the hash chain follows it: ``payload_hash``, ``prev_hash`` and
``entry_hash`` link each event to the one before (see ``core/trail/audit_chain.py``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from internhost.core.models.base import Base, UTCDateTime
from internhost.core.models.enums import one_of

AUDIT_ACTIONS = ("create", "update", "delete")
ACTOR_KINDS = ("user", "system")


class AuditEvent(Base):
    __tablename__ = "audit_events"
    __table_args__ = (
        one_of("action", AUDIT_ACTIONS),
        one_of("actor_kind", ACTOR_KINDS),
        CheckConstraint("length(payload) > 1", name="payload_set"),
        Index("ix_audit_events_aggregate", "aggregate_type", "aggregate_id"),
        {"sqlite_autoincrement": True},
    )
    __audited__ = False

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_kind: Mapped[str] = mapped_column(String(10))
    actor_user_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(100))
    operation: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))
    aggregate_type: Mapped[str] = mapped_column(String(64))
    aggregate_id: Mapped[int | None] = mapped_column(Integer)
    #: Canonical JSON: {"table:id": {"before": {...} | null, "after": {...} | null}}.
    payload: Mapped[str] = mapped_column(Text)
    payload_hash: Mapped[str | None] = mapped_column(String(64))
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    #: SHA-256 over prev_hash, seq, the metadata and payload_hash (core/trail/audit_chain.py).
    entry_hash: Mapped[str | None] = mapped_column(String(64))
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
