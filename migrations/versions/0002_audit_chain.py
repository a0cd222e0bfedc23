"""audit chain: entry_hash on every audit event, backfilled, and the chain's head

Revision ID: 0002_audit_chain
Revises: 0001_baseline
Create Date: 2026-11-25 10:00:00
"""

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC

import sqlalchemy as sa
from alembic import op

revision: str = "0002_audit_chain"
down_revision: str | None = "0001_baseline"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
HEAD_KEY = "audit_chain_head"

# A frozen copy of core/trail/audit_chain.py's hashing (revisions do not import the app).
_events = sa.table(
    "audit_events",
    sa.column("seq", sa.Integer),
    sa.column("occurred_at", sa.DateTime),
    sa.column("actor_kind", sa.String),
    sa.column("actor_user_id", sa.Integer),
    sa.column("actor_name", sa.String),
    sa.column("operation", sa.String),
    sa.column("action", sa.String),
    sa.column("aggregate_type", sa.String),
    sa.column("aggregate_id", sa.Integer),
    sa.column("payload", sa.Text),
    sa.column("payload_hash", sa.String),
    sa.column("prev_hash", sa.String),
    sa.column("entry_hash", sa.String),
)
_state = sa.table("app_state", sa.column("key", sa.String), sa.column("value", sa.Text))


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def upgrade() -> None:
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))

    bind = op.get_bind()
    prev, last = GENESIS, 0
    rows = bind.execute(sa.select(_events).order_by(_events.c.seq)).all()
    links = []
    for row in rows:
        payload_sha = _sha(row.payload)
        fields = [
            prev,
            row.seq,
            row.occurred_at.replace(tzinfo=UTC).isoformat(),
            row.actor_kind,
            row.actor_user_id,
            row.actor_name,
            row.operation,
            row.action,
            row.aggregate_type,
            row.aggregate_id,
            payload_sha,
        ]
        entry = _sha(json.dumps(fields, separators=(",", ":"), ensure_ascii=False))
        links.append({"s": row.seq, "p": payload_sha, "v": prev, "e": entry})
        prev, last = entry, row.seq
    if links:
        bind.execute(
            _events.update()
            .where(_events.c.seq == sa.bindparam("s"))
            .values(
                payload_hash=sa.bindparam("p"),
                prev_hash=sa.bindparam("v"),
                entry_hash=sa.bindparam("e"),
            ),
            links,
        )
    bind.execute(_state.delete().where(_state.c.key == HEAD_KEY))
    if links:  # a database without events gets its head with its first event
        bind.execute(_state.insert().values(key=HEAD_KEY, value=f"{last}:{prev}"))


def downgrade() -> None:
    op.get_bind().execute(_state.delete().where(_state.c.key == HEAD_KEY))
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("entry_hash")
