"""mentorship: check-in topics, shared and internal notes, concerns, action items,
cadences; incident notifications and status; evaluation kinds and signatures;
framework versions and retired competencies; site visits; placement outcomes

What issue 14 ("mentorship and progress") records:

- a check-in's ``mode``, ``topics``, ``shared_notes`` (what the school sees) and the
  intern's ``reflection``; internal notes are ``notes`` rows with a ``check_in_id``;
  a ``concerns`` row per raised concern and ``check_in_actions`` (action items);
- ``check_in_cadences``: when a placement's check-ins are due;
- on incidents, where (worksite, area), who was told, a reason per notification not
  needed, and ``status`` (open until HR closes it);
- on evaluations, ``kind`` (progress, midpoint, final), the framework rated, and when
  the intern acknowledged it; ``overall`` is no longer bounded 1–5 but by the
  framework's scale (the service checks it);
- frameworks are (key, version), ``shipped`` or edited by HR, and may be retired, as
  may a competency; a competency may carry its own verification marker;
- ``site_visits`` and ``placement_outcomes``;
- the indexes the dashboard's queue of what needs doing reads (open checklist items
  and plan steps by due date, entries waiting for approval, expiring documents,
  birthdays).

Existing check-ins move as the issue says: ``went_well``/``needs_help``/``next_steps``
become the shared notes of a shared check-in, or an internal note by its author of an
internal one; ``safety_concern`` becomes a concern of category safety; ``mood`` stays.
An evaluation's kind comes from its period label ("Midpoint", "Final"). The trail
must explain every row (0003), so every changed row gets its system event.

Revision ID: 0006_mentorship
Revises: 0005_work_time
Create Date: 2026-12-07 00:00:00
"""

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import context, op

revision: str = "0006_mentorship"
down_revision: str | None = "0005_work_time"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPERATION = "upgrade 0006: mentorship"
DOWNGRADE_OPERATION = "downgrade 0006: no mentorship records"
_LABELS = (("went_well", "Went well"), ("needs_help", "Needs help"), ("next_steps", "Next steps"))
_OLD_CHECK_IN = ("went_well", "needs_help", "next_steps", "safety_concern", "visibility")
_NEW_TABLES = (
    "placement_outcomes",
    "site_visits",
    "check_in_cadences",
    "check_in_actions",
    "concerns",
)


def _frozen(name: str) -> Any:
    return context.script.get_revision(name).module


def _write_events(bind: Any, pending: dict, operation: str) -> None:
    """Append the system events, with 0003's frozen writer of the chain."""
    _frozen("0003_audit_explains")._write(bind, pending, operation)


def _user_fk(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey("user_accounts.id", ondelete="SET NULL"))


def _stamps() -> list[sa.Column]:
    now = sa.text("(CURRENT_TIMESTAMP)")
    return [
        sa.Column("created_at", sa.DateTime(), server_default=now, nullable=False),
        sa.Column("updated_at", sa.DateTime(), server_default=now, nullable=False),
    ]


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def _rows_as_audited(bind: Any, name: str, ids: list[int]) -> dict[int, dict[str, Any]]:
    """id -> every column of the rows, as the audit hooks record them (0003's reader)."""
    frozen = _frozen("0003_audit_explains")
    table = frozen._Table(bind, name)
    columns = ", ".join(f'"{c}"' for c in table.names)
    out: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" * len(chunk))
        query = f'SELECT id, {columns} FROM "{name}" WHERE id IN ({marks})'
        for row in bind.exec_driver_sql(query, tuple(chunk)).all():
            values = zip(table.names, table.kinds, row[1:], strict=True)
            out[row[0]] = {c: frozen._value(kind, raw, b"") for c, kind, raw in values}
    return out


def _record(pending: dict, aggregate: tuple, key: str, before: Any, after: Any) -> None:
    pending.setdefault(aggregate, {})[key] = {"before": before, "after": after}


def _record_created(bind: Any, pending: dict, name: str, ids: list[int], root: Callable) -> None:
    for row_id, values in _rows_as_audited(bind, name, ids).items():
        _record(pending, root(row_id, values), f"{name}:{row_id}", None, values)


def _record_values(bind: Any, pending: dict, name: str, columns: tuple[str, ...]) -> None:
    """Record the non-NULL values ``columns`` now hold (defaults of new columns)."""
    table = sa.Table(name, sa.MetaData(), autoload_with=bind)
    for row_id, values in _rows_as_audited(
        bind, name, list(bind.execute(sa.select(table.c.id)).scalars())
    ).items():
        after = {c: values[c] for c in columns if values[c] is not None}
        if after:
            records = pending.setdefault((name, row_id), {})
            entry = records.setdefault(f"{name}:{row_id}", {"before": {}, "after": {}})
            entry["before"].update(dict.fromkeys(after))
            entry["after"].update(after)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# -- upgrade


def _add_check_in_columns() -> None:
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mode", sa.String(length=10), nullable=False, server_default="in_person")
        )
        batch_op.add_column(
            sa.Column("topics", sa.JSON(), nullable=False, server_default=sa.text("'[]'"))
        )
        batch_op.add_column(
            sa.Column("shared_notes", sa.Text(), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("reflection", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("check_in_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_notes_check_in_id_check_ins"),
            "check_ins",
            ["check_in_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_index(batch_op.f("ix_notes_check_in_id"), ["check_in_id"], unique=False)


def _finish_check_in_columns() -> None:
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_check_ins_visibility_valid"), type_="check")
        for column in _OLD_CHECK_IN:
            batch_op.drop_column(column)
        for column in ("mode", "topics", "shared_notes", "reflection"):
            batch_op.alter_column(column, server_default=None)
        batch_op.create_check_constraint(
            batch_op.f("ck_check_ins_mode_valid"), "mode IN ('in_person', 'remote')"
        )


def _create_tables() -> None:
    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_in_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        _user_fk("resolved_by"),
        sa.Column("resolution", sa.Text(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "category IN ('safety', 'wellbeing', 'attendance', 'conduct', 'other')",
            name=op.f("ck_concerns_category_valid"),
        ),
        _fk("concerns", "check_in_id", "check_ins", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_concerns")),
        sa.UniqueConstraint("check_in_id", name=op.f("uq_concerns_check_in_id")),
    )
    op.create_index(op.f("ix_concerns_resolved_at"), "concerns", ["resolved_at"], unique=False)
    op.create_table(
        "check_in_actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("check_in_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.CheckConstraint("length(text) > 0", name=op.f("ck_check_in_actions_text_not_empty")),
        _fk("check_in_actions", "check_in_id", "check_ins", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_in_actions")),
    )
    op.create_index(
        op.f("ix_check_in_actions_check_in_id"), "check_in_actions", ["check_in_id"], unique=False
    )
    op.create_table(
        "check_in_cadences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("every_days", sa.Integer(), nullable=True),
        sa.Column("weekdays", sa.String(length=30), nullable=False),
        sa.Column("skip_non_school_days", sa.Boolean(), nullable=False),
        sa.Column("skip_closures", sa.Boolean(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "every_days IS NULL OR every_days > 0",
            name=op.f("ck_check_in_cadences_every_days_positive"),
        ),
        sa.CheckConstraint(
            "(every_days IS NULL) <> (weekdays = '')",
            name=op.f("ck_check_in_cadences_every_days_or_weekdays"),
        ),
        _fk("check_in_cadences", "placement_id", "placements", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_in_cadences")),
        sa.UniqueConstraint("placement_id", name=op.f("uq_check_in_cadences_placement_id")),
    )
    op.create_table(
        "site_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("visited_on", sa.Date(), nullable=False),
        sa.Column("visitor", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        _user_fk("recorded_by"),
        *_stamps(),
        sa.CheckConstraint("length(visitor) > 0", name=op.f("ck_site_visits_visitor_not_empty")),
        _fk("site_visits", "placement_id", "placements", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_visits")),
    )
    op.create_index(
        op.f("ix_site_visits_placement_id"), "site_visits", ["placement_id"], unique=False
    )
    op.create_table(
        "placement_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("placement_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=False),
        sa.Column("termination_reason", sa.Text(), nullable=False),
        sa.Column("concerns_notice_sent_on", sa.Date(), nullable=True),
        sa.Column("exit_reflection", sa.Text(), nullable=False),
        sa.Column("mentor_notes", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.JSON(), nullable=False),
        sa.Column("counts_toward_cde", sa.Boolean(), nullable=True),
        *_stamps(),
        sa.CheckConstraint(
            "kind IN ('completed', 'terminated')", name=op.f("ck_placement_outcomes_kind_valid")
        ),
        _fk("placement_outcomes", "placement_id", "placements", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement_outcomes")),
        sa.UniqueConstraint("placement_id", name=op.f("uq_placement_outcomes_placement_id")),
    )


def _alter_incidents() -> None:
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("worksite_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("area_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("told_whom", sa.Text(), nullable=False, server_default=""))
        for party in ("guardian", "school", "idol"):
            batch_op.add_column(sa.Column(f"{party}_not_needed", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("status", sa.String(length=10), nullable=False, server_default="open")
        )
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_by", sa.Integer(), nullable=True))
        for column, target in (
            ("worksite_id", "worksites"),
            ("area_id", "areas"),
            ("closed_by", "user_accounts"),
        ):
            batch_op.create_foreign_key(
                batch_op.f(f"fk_incidents_{column}_{target}"),
                target,
                [column],
                ["id"],
                ondelete="SET NULL",
            )
        batch_op.create_check_constraint(
            batch_op.f("ck_incidents_status_valid"), "status IN ('open', 'closed')"
        )
        batch_op.create_index(batch_op.f("ix_incidents_status"), ["status"], unique=False)
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.alter_column("told_whom", server_default=None)
        batch_op.alter_column("status", server_default=None)


def _alter_progress() -> None:
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_evaluations_overall_range"), type_="check")
        batch_op.add_column(
            sa.Column("kind", sa.String(length=10), nullable=False, server_default="progress")
        )
        batch_op.add_column(sa.Column("framework_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("intern_acknowledged_on", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_evaluations_framework_id_competency_frameworks"),
            "competency_frameworks",
            ["framework_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_evaluations_kind_valid"), "kind IN ('progress', 'midpoint', 'final')"
        )
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.alter_column("kind", server_default=None)
    with op.batch_alter_table("competency_frameworks", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_competency_frameworks_key"), type_="unique")
        batch_op.create_unique_constraint(
            batch_op.f("uq_competency_frameworks_key_version"), ["key", "version"]
        )
        batch_op.add_column(
            sa.Column("shipped", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("edited_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("competency_frameworks", schema=None) as batch_op:
        batch_op.alter_column("shipped", server_default=None)
    with op.batch_alter_table("competencies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("verification", sa.String(length=1), nullable=True))
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))


def _move_check_ins(bind: Any, pending: dict) -> None:
    """Old check-in texts into shared notes, internal notes and safety concerns."""
    table = sa.Table("check_ins", sa.MetaData(), autoload_with=bind)
    notes = sa.Table("notes", sa.MetaData(), autoload_with=bind)
    concerns = sa.Table("concerns", sa.MetaData(), autoload_with=bind)
    placements = sa.Table("placements", sa.MetaData(), autoload_with=bind)
    intern_of = dict(bind.execute(sa.select(placements.c.id, placements.c.intern_id)).all())
    shared: list[dict] = []
    new_notes: list[dict] = []
    new_concerns: list[dict] = []
    now = _now()
    for row in bind.execute(sa.select(table)).mappings():
        text = _notes_text(row)
        before = {c: row[c] for c in _OLD_CHECK_IN}
        after: dict[str, Any] = dict.fromkeys(_OLD_CHECK_IN)
        if row["visibility"] == "internal" and text:
            new_notes.append(
                {
                    "intern_id": intern_of[row["placement_id"]],
                    "placement_id": row["placement_id"],
                    "check_in_id": row["id"],
                    "author_user_id": row["author_user_id"],
                    "visibility": "internal",
                    "body": text,
                    "created_at": now,
                    "updated_at": now,
                }
            )
        elif text:
            shared.append({"b_id": row["id"], "shared_notes": text})
            after["shared_notes"] = text
            before["shared_notes"] = ""
        if row["safety_concern"]:
            new_concerns.append(
                {
                    "check_in_id": row["id"],
                    "category": "safety",
                    "details": "",
                    "resolution": "",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        _record(pending, ("check_ins", row["id"]), f"check_ins:{row['id']}", before, after)
    if shared:
        bind.execute(
            table.update()
            .where(table.c.id == sa.bindparam("b_id"))
            .values(shared_notes=sa.bindparam("shared_notes")),
            shared,
        )
    first_note = bind.execute(sa.select(sa.func.max(notes.c.id))).scalar() or 0
    first_concern = bind.execute(sa.select(sa.func.max(concerns.c.id))).scalar() or 0
    if new_notes:
        bind.execute(notes.insert(), new_notes)
    if new_concerns:
        bind.execute(concerns.insert(), new_concerns)
    note_ids = list(bind.execute(sa.select(notes.c.id).where(notes.c.id > first_note)).scalars())
    _record_created(
        bind, pending, "notes", note_ids, lambda _id, values: ("interns", values["intern_id"])
    )
    concern_ids = list(
        bind.execute(sa.select(concerns.c.id).where(concerns.c.id > first_concern)).scalars()
    )
    _record_created(
        bind,
        pending,
        "concerns",
        concern_ids,
        lambda _id, values: ("check_ins", values["check_in_id"]),
    )


def _notes_text(row: Any) -> str:
    """The old texts as one, each labelled when there are several (a lone text, as
    the downgrade leaves it, comes back as it was)."""
    filled = [(label, row[c].strip()) for c, label in _LABELS if (row[c] or "").strip()]
    if len(filled) == 1:
        return filled[0][1]
    return "\n".join(f"{label}: {text}" for label, text in filled)


def _kind_of_evaluations(bind: Any) -> None:
    """An evaluation's kind from its label, and the framework its ratings rate."""
    table = sa.Table("evaluations", sa.MetaData(), autoload_with=bind)
    label = sa.func.lower(table.c.period_label)
    bind.execute(table.update().where(label.like("%mid%")).values(kind="midpoint"))
    bind.execute(table.update().where(label.like("%final%")).values(kind="final"))
    ratings = sa.Table("competency_ratings", sa.MetaData(), autoload_with=bind)
    competencies = sa.Table("competencies", sa.MetaData(), autoload_with=bind)
    framework = (
        sa.select(competencies.c.framework_id)
        .join(ratings, ratings.c.competency_id == competencies.c.id)
        .where(ratings.c.evaluation_id == table.c.id)
        .limit(1)
        .scalar_subquery()
    )
    bind.execute(table.update().values(framework_id=framework))


#: Indexes the dashboard's queue reads by (name, table, columns, partial WHERE or None).
_QUEUE_INDEXES = (
    (
        "ix_checklist_items_open_due",
        "checklist_items",
        ["placement_id", "due_date"],
        "status = 'open' AND retired_at IS NULL",
    ),
    ("ix_plan_items_open_due", "plan_items", ["due_date", "placement_id"], "status = 'open'"),
    (
        "ix_time_entries_unapproved",
        "time_entries",
        ["placement_id", "work_date"],
        "approved_at IS NULL",
    ),
    ("ix_documents_expires_on", "documents", ["expires_on"], None),
    ("ix_interns_birth_date", "interns", ["birth_date"], None),
)


def upgrade() -> None:
    for name, table, columns, where in _QUEUE_INDEXES:
        partial = {"sqlite_where": sa.text(where)} if where else {}
        op.create_index(name, table, columns, unique=False, **partial)
    _add_check_in_columns()
    _create_tables()
    _alter_incidents()
    _alter_progress()
    bind = op.get_bind()
    pending: dict = {}
    _move_check_ins(bind, pending)
    _finish_check_in_columns()
    for name, columns in (
        ("check_ins", ("mode", "topics", "shared_notes", "reflection")),
        ("incidents", ("told_whom", "status")),
    ):
        _record_values(bind, pending, name, columns)
    frameworks = sa.Table("competency_frameworks", sa.MetaData(), autoload_with=bind)
    # Every framework so far came from resources/competencies (the sample loads it).
    bind.execute(frameworks.update().values(shipped=True))
    _record_values(bind, pending, "competency_frameworks", ("shipped",))
    _kind_of_evaluations(bind)
    _record_values(bind, pending, "evaluations", ("kind", "framework_id"))
    _write_events(bind, pending, OPERATION)


# -- downgrade


def _record_deleted(bind: Any, pending: dict, name: str, root: Callable) -> None:
    table = sa.Table(name, sa.MetaData(), autoload_with=bind)
    ids = list(bind.execute(sa.select(table.c.id)).scalars())
    for row_id, values in _rows_as_audited(bind, name, ids).items():
        _record(pending, root(row_id, values), f"{name}:{row_id}", values, None)


def _record_dropped(
    bind: Any, pending: dict, name: str, columns: tuple[str, ...], root: Callable
) -> None:
    """Record the values of ``columns`` that go with them."""
    table = sa.Table(name, sa.MetaData(), autoload_with=bind)
    ids = list(bind.execute(sa.select(table.c.id)).scalars())
    for row_id, values in _rows_as_audited(bind, name, ids).items():
        held = {c: values[c] for c in columns if values[c] is not None}
        if held:
            records = pending.setdefault(root(row_id, values), {})
            entry = records.setdefault(f"{name}:{row_id}", {"before": {}, "after": {}})
            entry["before"].update(held)
            entry["after"].update(dict.fromkeys(held))


def _own(name: str) -> Callable:
    return lambda row_id, values: (name, row_id)


def _check_ins_back(bind: Any, pending: dict) -> None:
    """Shared notes back into ``went_well``; a safety concern into ``safety_concern``."""
    table = sa.Table("check_ins", sa.MetaData(), autoload_with=bind)
    concerns = sa.Table("concerns", sa.MetaData(), autoload_with=bind)
    safety = set(
        bind.execute(
            sa.select(concerns.c.check_in_id).where(concerns.c.category == "safety")
        ).scalars()
    )
    rows = []
    for row_id, notes in bind.execute(sa.select(table.c.id, table.c.shared_notes)).all():
        after = {
            "went_well": notes or "",
            "needs_help": "",
            "next_steps": "",
            "safety_concern": row_id in safety,
            "visibility": "shared",
        }
        rows.append({"b_id": row_id, **after})
        records = pending.setdefault(("check_ins", row_id), {})
        entry = records.setdefault(f"check_ins:{row_id}", {"before": {}, "after": {}})
        entry["before"].update(dict.fromkeys(after))
        entry["after"].update(after)
    if rows:
        bind.execute(
            table.update()
            .where(table.c.id == sa.bindparam("b_id"))
            .values({c: sa.bindparam(c) for c in _OLD_CHECK_IN}),
            rows,
        )


def downgrade() -> None:
    bind = op.get_bind()
    frameworks = sa.Table("competency_frameworks", sa.MetaData(), autoload_with=bind)
    twice = bind.execute(
        sa.select(frameworks.c.key).group_by(frameworks.c.key).having(sa.func.count() > 1)
    ).scalars()
    if (key := next(iter(twice), None)) is not None:
        raise RuntimeError(
            f"competency framework {key!r} has several versions; before 0006 a key was "
            "unique: retire and delete all but one first"
        )
    pending: dict = {}
    for name in _NEW_TABLES:
        _record_deleted(
            bind,
            pending,
            name,
            (lambda _id, v: ("check_ins", v["check_in_id"]))
            if name in ("concerns", "check_in_actions")
            else _own(name),
        )
    _record_dropped(
        bind,
        pending,
        "check_ins",
        ("mode", "topics", "shared_notes", "reflection"),
        _own("check_ins"),
    )
    _record_dropped(
        bind, pending, "notes", ("check_in_id",), lambda _id, v: ("interns", v["intern_id"])
    )
    _record_dropped(
        bind,
        pending,
        "incidents",
        (
            "worksite_id",
            "area_id",
            "told_whom",
            "guardian_not_needed",
            "school_not_needed",
            "idol_not_needed",
            "status",
            "closed_at",
            "closed_by",
        ),
        _own("incidents"),
    )
    _record_dropped(
        bind,
        pending,
        "evaluations",
        ("kind", "framework_id", "intern_acknowledged_on"),
        _own("evaluations"),
    )
    _record_dropped(
        bind,
        pending,
        "competency_frameworks",
        ("shipped", "edited_at", "retired_at"),
        _own("competency_frameworks"),
    )
    _record_dropped(
        bind,
        pending,
        "competencies",
        ("verification", "retired_at"),
        lambda _id, v: ("competency_frameworks", v["framework_id"]),
    )
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("went_well", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("needs_help", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("next_steps", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("safety_concern", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("visibility", sa.String(length=10), nullable=False, server_default="shared")
        )
    _check_ins_back(bind, pending)
    for name in _NEW_TABLES:
        op.drop_table(name)
    with op.batch_alter_table("check_ins", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_check_ins_mode_valid"), type_="check")
        for column in ("reflection", "shared_notes", "topics", "mode"):
            batch_op.drop_column(column)
        for column in _OLD_CHECK_IN:
            batch_op.alter_column(column, server_default=None)
        batch_op.create_check_constraint(
            batch_op.f("ck_check_ins_visibility_valid"), "visibility IN ('shared', 'internal')"
        )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_check_in_id"))
        batch_op.drop_constraint(batch_op.f("fk_notes_check_in_id_check_ins"), type_="foreignkey")
        batch_op.drop_column("check_in_id")
    with op.batch_alter_table("incidents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidents_status"))
        batch_op.drop_constraint(batch_op.f("ck_incidents_status_valid"), type_="check")
        for column, target in (
            ("worksite_id", "worksites"),
            ("area_id", "areas"),
            ("closed_by", "user_accounts"),
        ):
            batch_op.drop_constraint(
                batch_op.f(f"fk_incidents_{column}_{target}"), type_="foreignkey"
            )
        for column in (
            "closed_by",
            "closed_at",
            "status",
            "idol_not_needed",
            "school_not_needed",
            "guardian_not_needed",
            "told_whom",
            "area_id",
            "worksite_id",
        ):
            batch_op.drop_column(column)
    with op.batch_alter_table("evaluations", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_evaluations_kind_valid"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_evaluations_framework_id_competency_frameworks"), type_="foreignkey"
        )
        batch_op.drop_column("intern_acknowledged_on")
        batch_op.drop_column("framework_id")
        batch_op.drop_column("kind")
        batch_op.create_check_constraint(
            batch_op.f("ck_evaluations_overall_range"), "overall IS NULL OR overall BETWEEN 1 AND 5"
        )
    with op.batch_alter_table("competencies", schema=None) as batch_op:
        batch_op.drop_column("retired_at")
        batch_op.drop_column("verification")
    with op.batch_alter_table("competency_frameworks", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_competency_frameworks_key_version"), type_="unique"
        )
        batch_op.create_unique_constraint(batch_op.f("uq_competency_frameworks_key"), ["key"])
        batch_op.drop_column("retired_at")
        batch_op.drop_column("edited_at")
        batch_op.drop_column("shipped")
    for name, table, _columns, _where in _QUEUE_INDEXES:
        op.drop_index(name, table_name=table)
    _write_events(bind, pending, DOWNGRADE_OPERATION)
