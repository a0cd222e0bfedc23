"""packets: a printed packet names its intern, its verification code, the audit
chain's head when it was made, and the earlier version a reprint replaces

What issue 15 records on ``packet_exports``:

- ``intern_id`` (SET NULL when the intern is deleted, as ``placement_id`` is): the
  intern's page lists what was sent to the school;
- ``verification``: the 12 base-32 characters printed in the footer, a hash of the
  packet's data snapshot (same data, same code);
- ``chain_seq``/``chain_hash``: the audit chain's head at generation, which
  ``audit verify --against`` can compare with the live chain;
- ``replaces_id``: the earlier packet of the same intern, placement and kind that a
  reprint after a change replaces (its cover says so).

Existing rows get an empty code and no chain head (they never recorded one); the
trail explains them (0003), so every changed row gets its system event, both ways.

Revision ID: 0009_packets
Revises: 0008_forms
Create Date: 2026-12-07 01:40:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision: str = "0009_packets"
down_revision: str | None = "0008_forms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPERATION = "upgrade 0007: packets"
DOWNGRADE_OPERATION = "downgrade 0007: no packet details"
_TABLE = "packet_exports"
_COLUMNS = ("intern_id", "verification", "chain_seq", "chain_hash", "replaces_id")


def _frozen(name: str) -> Any:
    return context.script.get_revision(name).module


def _record(bind: Any, pending: dict, *, added: bool) -> None:
    """Record each row's values of the new columns: appearing (``added``) or going."""
    mentorship = _frozen("0006_mentorship")
    if added:
        mentorship._record_values(bind, pending, _TABLE, _COLUMNS)
    else:
        mentorship._record_dropped(
            bind, pending, _TABLE, _COLUMNS, lambda row_id, _values: (_TABLE, row_id)
        )


def upgrade() -> None:
    with op.batch_alter_table(_TABLE, schema=None) as batch_op:
        batch_op.add_column(sa.Column("intern_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("verification", sa.String(length=12), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("chain_seq", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("chain_hash", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_packet_exports_intern_id_interns"),
            "interns",
            ["intern_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_packet_exports_replaces_id_packet_exports"),
            _TABLE,
            ["replaces_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_packet_exports_intern_id"), ["intern_id"])
    with op.batch_alter_table(_TABLE, schema=None) as batch_op:
        batch_op.alter_column("verification", server_default=None)
        batch_op.alter_column("chain_hash", server_default=None)
    bind = op.get_bind()
    # A packet written before knew its placement: its intern is the placement's.
    bind.exec_driver_sql(
        "UPDATE packet_exports SET intern_id = "
        "(SELECT intern_id FROM placements WHERE placements.id = packet_exports.placement_id) "
        "WHERE placement_id IS NOT NULL"
    )
    pending: dict = {}
    _record(bind, pending, added=True)
    _frozen("0006_mentorship")._write_events(bind, pending, OPERATION)


def downgrade() -> None:
    bind = op.get_bind()
    pending: dict = {}
    _record(bind, pending, added=False)
    with op.batch_alter_table(_TABLE, schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_packet_exports_intern_id"))
        batch_op.drop_constraint(
            batch_op.f("fk_packet_exports_replaces_id_packet_exports"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_packet_exports_intern_id_interns"), type_="foreignkey"
        )
        for column in reversed(_COLUMNS):
            batch_op.drop_column(column)
    _frozen("0006_mentorship")._write_events(bind, pending, DOWNGRADE_OPERATION)
