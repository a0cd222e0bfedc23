"""school forms: a school's own fillable PDF and the InternHost value of each field

Issue 15's "schools' own forms": HR registers a school's AcroForm PDF once
(``school_forms``: the PDF's bytes kept in the database as an attachment's are,
deferred and redacted from the trail, with its SHA-256, HR's flatten choice and who
registered it) and maps each of its fields to a value key (``school_form_fields``).

The upgrade only creates the two tables (no rows to explain). The downgrade drops
them; their rows are recorded in the trail first (the PDF as its HMAC, as the audit
hooks record a redacted column), so ``audit verify`` still finds every row explained.

Revision ID: 0007_school_forms
Revises: 0006_mentorship
Create Date: 2026-12-07 01:30:00
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision: str = "0007_school_forms"
down_revision: str | None = "0006_mentorship"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOWNGRADE_OPERATION = "downgrade 0007: no school forms"
_SECRET_KEY = "audit_hmac_key"
#: Dropped in this order (children first); each row's aggregate.
_TABLES = (
    ("school_form_fields", lambda row_id, v: ("school_forms", v["form_id"])),
    ("school_forms", lambda row_id, v: ("school_forms", row_id)),
)


def _frozen(name: str) -> Any:
    return context.script.get_revision(name).module


def upgrade() -> None:
    now = sa.text("(CURRENT_TIMESTAMP)")
    op.create_table(
        "school_forms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("flatten", sa.Boolean(), nullable=False),
        sa.Column("registered_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), server_default=now, nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=now, nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_school_forms_name_not_empty")),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_school_forms_sha256_hex")),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_school_forms_size_positive")),
        sa.ForeignKeyConstraint(
            ["registered_by"],
            ["user_accounts.id"],
            name=op.f("fk_school_forms_registered_by_user_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_school_forms_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_forms")),
        sa.UniqueConstraint("school_id", "name", name=op.f("uq_school_forms_school_id_name")),
    )
    op.create_index(op.f("ix_school_forms_school_id"), "school_forms", ["school_id"], unique=False)
    op.create_table(
        "school_form_fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.Integer(), nullable=False),
        sa.Column("field_name", sa.String(length=500), nullable=False),
        sa.Column("value_key", sa.String(length=64), nullable=False),
        sa.CheckConstraint(
            "length(field_name) > 0", name=op.f("ck_school_form_fields_field_name_not_empty")
        ),
        sa.ForeignKeyConstraint(
            ["form_id"],
            ["school_forms.id"],
            name=op.f("fk_school_form_fields_form_id_school_forms"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_school_form_fields")),
        sa.UniqueConstraint("form_id", "field_name", name=op.f("uq_school_form_fields_form_id_field_name")),
    )


def _deleted_rows(bind: Any, name: str, secret: bytes) -> dict[int, dict[str, Any]]:
    """id -> every column as the audit hooks record it (0003's reader; ``content``
    as its HMAC, which 0003's list of redacted columns predates)."""
    frozen = _frozen("0003_audit_explains")
    table = frozen._Table(bind, name)
    kinds = ["redacted" if c == "content" else k for c, k in zip(table.names, table.kinds)]
    columns = ", ".join(f'"{c}"' for c in table.names)
    out: dict[int, dict[str, Any]] = {}
    for row in bind.exec_driver_sql(f'SELECT id, {columns} FROM "{name}"').all():
        values = zip(table.names, kinds, row[1:], strict=True)
        out[row[0]] = {c: frozen._value(kind, raw, secret) for c, kind, raw in values}
    return out


def downgrade() -> None:
    bind = op.get_bind()
    state = sa.table("app_state", sa.column("key", sa.String), sa.column("value", sa.Text))
    held = bind.execute(sa.select(state.c.value).where(state.c.key == _SECRET_KEY)).scalar()
    secret = bytes.fromhex(held) if held else b""
    pending: dict = {}
    for name, root in _TABLES:
        for row_id, values in _deleted_rows(bind, name, secret).items():
            aggregate = pending.setdefault(root(row_id, values), {})
            aggregate[f"{name}:{row_id}"] = {"before": values, "after": None}
    if pending:
        _frozen("0003_audit_explains")._write(bind, pending, DOWNGRADE_OPERATION)
    op.drop_table("school_form_fields")
    op.drop_index(op.f("ix_school_forms_school_id"), table_name="school_forms")
    op.drop_table("school_forms")


