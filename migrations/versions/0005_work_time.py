"""work time: placement status, badge and assignments; pay periods, absences, closures

What issue 13 ("work time") records:

- a placement's ``status`` (draft, active, completed, terminated, archived) with a
  ``status_note``, and its time-clock ``badge`` (unique among open placements);
- ``placement_assignments``: the areas, tasks and machines a placement says the intern
  will work with, checked before any shift exists;
- on shifts, the recurring ``series`` they were planned in and its ``recurrence``;
- on time entries, who ``entered_by`` and a clock's ``auto_break_minutes``;
- ``pay_periods`` (closed workweeks), ``absences`` (planned shifts not worked) and
  ``plant_closures`` (days a worksite is closed).

Existing placements keep their status: an archived one is ``archived``, any other
``active``. The trail must explain every row's values (0003), so each placement
gets a system event recording its new status (0003's frozen writer).

Revision ID: 0005_work_time
Revises: 0004_finding_templates
Create Date: 2026-12-06 18:00:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision: str = "0005_work_time"
down_revision: str | None = "0004_finding_templates"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPERATION = "upgrade 0005: placement status"
DOWNGRADE_OPERATION = "downgrade 0005: no placement status"
STATUSES = "'draft', 'active', 'completed', 'terminated', 'archived'"
OPEN = "'draft', 'active'"

_placements = sa.table(
    "placements",
    sa.column("id", sa.Integer),
    sa.column("intern_id", sa.Integer),
    sa.column("archived_at", sa.DateTime),
    sa.column("status", sa.String),
    sa.column("status_note", sa.Text),
    sa.column("badge", sa.String),
)


def _write_events(bind: Any, pending: dict, operation: str) -> None:
    """Append the system events, with 0003's frozen writer of the chain."""
    context.script.get_revision("0003_audit_explains").module._write(bind, pending, operation)


def _user_fk(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("user_accounts.id", ondelete="SET NULL"))


def upgrade() -> None:
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=12), nullable=False, server_default="active")
        )
        batch_op.add_column(sa.Column("status_note", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("badge", sa.String(length=40), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f("ck_placements_status_valid"), f"status IN ({STATUSES})"
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_placements_badge_not_empty"), "badge IS NULL OR length(badge) > 0"
        )
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=sa.String(length=12), server_default=None)
    op.create_index(
        "ix_placements_open_badge",
        "placements",
        ["badge"],
        unique=True,
        sqlite_where=sa.text(f"badge IS NOT NULL AND status IN ({OPEN})"),
    )

    op.create_table(
        "placement_assignments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("task_key", sa.String(length=64), nullable=True),
        sa.Column("equipment_id", sa.Integer(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "(area_id IS NOT NULL) + (task_key IS NOT NULL) + (equipment_id IS NOT NULL) = 1",
            name=op.f("ck_placement_assignments_one_thing"),
        ),
        sa.ForeignKeyConstraint(
            ["area_id"],
            ["areas.id"],
            name=op.f("fk_placement_assignments_area_id_areas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["equipment_id"],
            ["equipment.id"],
            name=op.f("fk_placement_assignments_equipment_id_equipment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["placement_id"],
            ["placements.id"],
            name=op.f("fk_placement_assignments_placement_id_placements"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_assignments")),
    )
    op.create_index(
        op.f("ix_placement_assignments_placement_id"),
        "placement_assignments",
        ["placement_id"],
        unique=False,
    )

    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("series", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("recurrence", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_shifts_series"), ["series"], unique=False)

    with op.batch_alter_table("time_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("entered_by", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("auto_break_minutes", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_time_entries_entered_by_user_accounts"),
            "user_accounts",
            ["entered_by"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_time_entries_auto_break_positive"),
            "auto_break_minutes IS NULL OR auto_break_minutes > 0",
        )

    op.create_table(
        "pay_periods",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=False),
        _user_fk("closed_by"),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_pay_periods_end_after_start")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_periods")),
        sa.UniqueConstraint("start_date", name=op.f("uq_pay_periods_start_date")),
    )
    op.create_table(
        "absences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("excused", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _user_fk("marked_by"),
        sa.Column(
            "created_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.Column(
            "updated_at",
            sa.DateTime(),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"],
            ["shifts.id"],
            name=op.f("fk_absences_shift_id_shifts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_absences")),
        sa.UniqueConstraint("shift_id", name=op.f("uq_absences_shift_id")),
    )
    op.create_table(
        "plant_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("worksite_id", sa.Integer(), nullable=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["worksite_id"],
            ["worksites.id"],
            name=op.f("fk_plant_closures_worksite_id_worksites"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plant_closures")),
        sa.UniqueConstraint("worksite_id", "day", name=op.f("uq_plant_closures_worksite_id_day")),
    )
    op.create_index(op.f("ix_plant_closures_day"), "plant_closures", ["day"], unique=False)
    op.create_index(
        op.f("ix_plant_closures_worksite_id"), "plant_closures", ["worksite_id"], unique=False
    )

    bind = op.get_bind()
    bind.execute(
        _placements.update().where(_placements.c.archived_at.is_not(None)).values(status="archived")
    )
    pending: dict = {}
    for row in bind.execute(
        sa.select(_placements.c.id, _placements.c.intern_id, _placements.c.status)
    ).all():
        pending.setdefault(("interns", row.intern_id), {})[f"placements:{row.id}"] = {
            "before": {"status": None},
            "after": {"status": row.status},
        }
    _write_events(bind, pending, OPERATION)


#: The tables the downgrade drops, and the aggregate each row is audited under
#: (the models' ``audit_aggregate``), from the row and its placement's intern.
_DROPPED: dict[str, Any] = {
    "plant_closures": lambda row, interns: ("plant_closures", row["id"]),
    "pay_periods": lambda row, interns: ("pay_periods", row["id"]),
    "absences": lambda row, interns: ("shifts", row["shift_id"]),
    "placement_assignments": lambda row, interns: ("interns", interns[row["placement_id"]]),
}


def _plain(value: Any) -> Any:
    """A value as the trail's JSON holds it."""
    return value.isoformat() if hasattr(value, "isoformat") else value


def _record_deleted(bind: Any, pending: dict, name: str, root: Any) -> None:
    """Record every row of ``name`` as deleted, under its aggregate."""
    table = sa.Table(name, sa.MetaData(), autoload_with=bind)
    interns = dict(bind.execute(sa.select(_placements.c.id, _placements.c.intern_id)).all())
    for row in bind.execute(sa.select(table)).mappings():
        before = {key: _plain(value) for key, value in row.items()}
        records = pending.setdefault(root(row, interns), {})
        records[f"{name}:{row['id']}"] = {"before": before, "after": None}


def _record_dropped_columns(bind: Any, pending: dict, name: str, columns: tuple[str, ...]) -> None:
    """Record the values of ``columns`` that go with them (a row's own aggregate)."""
    table = sa.Table(name, sa.MetaData(), autoload_with=bind)
    held = sa.or_(*(table.c[c].is_not(None) for c in columns))
    for row in bind.execute(sa.select(table.c.id, *(table.c[c] for c in columns)).where(held)):
        values = {c: _plain(getattr(row, c)) for c in columns}
        pending.setdefault((name, row.id), {})[f"{name}:{row.id}"] = {
            "before": values,
            "after": dict.fromkeys(columns),
        }


def downgrade() -> None:
    bind = op.get_bind()
    pending: dict = {}
    columns = ("status", "status_note", "badge")
    for row in bind.execute(
        sa.select(_placements.c.id, _placements.c.intern_id, *map(_placements.c.get, columns))
    ).all():
        # The columns go: should they come back, the rows hold nothing in them.
        pending.setdefault(("interns", row.intern_id), {})[f"placements:{row.id}"] = {
            "before": {name: getattr(row, name) for name in columns},
            "after": dict.fromkeys(columns),
        }
    # The tables go with their rows (the sample writes closures, absences and pay
    # periods): each row is deleted in the trail, so the trail still explains every
    # row after the downgrade.
    for table, root in _DROPPED.items():
        _record_deleted(bind, pending, table, root)
    _record_dropped_columns(bind, pending, "time_entries", ("entered_by", "auto_break_minutes"))
    _record_dropped_columns(bind, pending, "shifts", ("series", "recurrence"))
    op.drop_index(op.f("ix_plant_closures_worksite_id"), table_name="plant_closures")
    op.drop_index(op.f("ix_plant_closures_day"), table_name="plant_closures")
    op.drop_table("plant_closures")
    op.drop_table("absences")
    op.drop_table("pay_periods")
    with op.batch_alter_table("time_entries", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_time_entries_auto_break_positive"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_time_entries_entered_by_user_accounts"), type_="foreignkey"
        )
        batch_op.drop_column("auto_break_minutes")
        batch_op.drop_column("entered_by")
    with op.batch_alter_table("shifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_shifts_series"))
        batch_op.drop_column("recurrence")
        batch_op.drop_column("series")
    op.drop_index(op.f("ix_placement_assignments_placement_id"), table_name="placement_assignments")
    op.drop_table("placement_assignments")
    op.drop_index("ix_placements_open_badge", table_name="placements")
    with op.batch_alter_table("placements", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_placements_badge_not_empty"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_placements_status_valid"), type_="check")
        batch_op.drop_column("badge")
        batch_op.drop_column("status_note")
        batch_op.drop_column("status")
    _write_events(bind, pending, DOWNGRADE_OPERATION)
