"""forms: the student-learner agreement's terms, and the mentor's reference letter

What issue 15's forms need stored:

- ``student_learner_agreements``: one per placement, the elements of the written
  agreement 29 CFR 570.50(c) requires (LEGAL.md §1.6) that nothing held before: the
  cooperative vocational program and its educational authority; that the hazardous
  work is incidental to the training, intermittent and for short periods, under the
  direct and close supervision of a named qualified person; the school's safety
  instruction and the employer's correlated on-the-job training; the schedule of
  organized and progressive work processes; who signed for the employer and for the
  school (coordinator or principal) and when; and that both keep a copy. The
  student-learner's name, the school and the assigned work are the placement's.
- ``placements.reference_letter``: the mentor's draft reference letter, as edited.

The upgrade adds an empty table and a column of NULLs: no row changes, so the trail
needs no event. The downgrade records every agreement row it drops and every letter
it drops (0006's frozen writers), so ``audit verify`` still explains every row.

Revision ID: 0008_forms
Revises: 0007_school_forms
Create Date: 2026-12-07 02:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision: str = "0008_forms"
down_revision: str | None = "0007_school_forms"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOWNGRADE_OPERATION = "downgrade 0007: no forms data"
_TABLE = "student_learner_agreements"


def _frozen(name: str) -> Any:
    return context.script.get_revision(name).module


def upgrade() -> None:
    now = sa.text("(CURRENT_TIMESTAMP)")
    op.create_table(
        _TABLE,
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("vocational_program", sa.String(length=200), nullable=False),
        sa.Column("educational_authority", sa.String(length=200), nullable=False),
        sa.Column("work_incidental", sa.Boolean(), nullable=False),
        sa.Column("intermittent_short_periods", sa.Boolean(), nullable=False),
        sa.Column("supervisor_name", sa.String(length=200), nullable=False),
        sa.Column("school_safety_instruction", sa.Text(), nullable=False),
        sa.Column("employer_safety_training", sa.Text(), nullable=False),
        sa.Column("work_processes", sa.Text(), nullable=False),
        sa.Column("employer_signed_by", sa.String(length=200), nullable=False),
        sa.Column("employer_signed_on", sa.Date(), nullable=True),
        sa.Column("school_signed_by", sa.String(length=200), nullable=False),
        sa.Column("school_signed_on", sa.Date(), nullable=True),
        sa.Column("school_copy_on_file", sa.Boolean(), nullable=False),
        sa.Column("employer_copy_on_file", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=now, nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=now, nullable=False),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placements.id"],
            name=op.f(f"fk_{_TABLE}_placement_id_placements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{_TABLE}")),
        sa.UniqueConstraint("placement_id", name=op.f(f"uq_{_TABLE}_placement_id")),
    )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reference_letter", sa.Text(), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    frozen = _frozen("0006_mentorship")
    placements = sa.Table("placements", sa.MetaData(), autoload_with=bind)
    intern_of = dict(bind.execute(sa.select(placements.c.id, placements.c.intern_id)).all())
    pending: dict = {}
    frozen._record_deleted(
        bind, pending, _TABLE, lambda _id, v: ("interns", intern_of[v["placement_id"]])
    )
    frozen._record_dropped(
        bind,
        pending,
        "placements",
        ("reference_letter",),
        lambda _id, v: ("interns", v["intern_id"]),
    )
    op.drop_table(_TABLE)
    # SQLite's own DROP COLUMN (3.35+; SQLCipher ships 3.5x): a batch would rebuild
    # ``placements``, and with foreign keys on, dropping the old table cascades into every
    # table that points at it before the older downgrades could record those rows.
    op.execute("ALTER TABLE placements DROP COLUMN reference_letter")
    frozen._write_events(bind, pending, DOWNGRADE_OPERATION)
