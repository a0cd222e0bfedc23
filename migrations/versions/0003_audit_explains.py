"""audit explains the data: the HMAC secret, and a baseline so the trail explains every row

From this revision ``audit verify`` also checks that the trail explains the data:
each row's values equal the values its audit entries leave it with (redacted
columns as an HMAC under a per-database secret), and every purged payload is
accounted for by a purge event. Trails written before it do not: bulk inserts left
out defaults and timestamps, redacted values were "[redacted]", ``updated_at`` was
never recorded, and purges did not list what they blanked.

So this revision creates the secret (``app_state`` ``audit_hmac_key``), folds the
trail as ``core/trail/audit_explain.py`` does, and writes system events (operation
``UPGRADE_OPERATION``) for what the trail does not explain yet: an update with the
values that differ, a create for a row no event recorded, a delete for a row that
is gone, and an accounting of the payloads already purged. After it the trail
explains the data as it stood at the upgrade; what was changed before the upgrade
is part of that baseline (the hash chain still shows edited events).

A frozen copy of what it needs from the app (the chain's hashing, the HMAC, the
audit hooks' encoding of each column type, the aggregates), since revisions do not
import the app.

Revision ID: 0003_audit_explains
Revises: 0002_audit_chain
Create Date: 2026-12-06 09:00:00
"""

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003_audit_explains"
down_revision: str | None = "0002_audit_chain"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS = "0" * 64
HEAD_KEY = "audit_chain_head"
SECRET_KEY = "audit_hmac_key"
PURGED_PAYLOAD = '{"purged":true}'
UPGRADE_OPERATION = "upgrade 0003: audit baseline"

#: Tables that are not audited; every other table is.
_UNAUDITED = {"audit_events", "app_state", "alembic_version"}
#: Columns the audit hooks leave out (copied from rule packs).
_DERIVED = {"checklist_items": {"title", "citation", "verification", "evidence_needed"}}
#: Columns recorded as an HMAC, never as their value.
_REDACTED = {
    "user_accounts": {"password_hash", "password_salt"},
    "login_tokens": {"token_hash"},
    "documents": {"content"},
}
#: DATETIME columns holding local wall-clock times; every other one is UTC.
_LOCAL = {"start_local", "end_local"}
#: Rows audited under another record: table -> (aggregate type, column of its id).
_ROOTS = {
    "calendar_days": ("school_calendars", "calendar_id"),
    "intern_contacts": ("interns", "intern_id"),
    "medical_notes": ("interns", "intern_id"),
    "notes": ("interns", "intern_id"),
    "record_releases": ("interns", "intern_id"),
    "placements": ("interns", "intern_id"),
    "checklist_items": ("placement_checklist", "placement_id"),
    "plan_template_items": ("plan_templates", "template_id"),
    "plan_items": ("placement_plan", "placement_id"),
    "findings": ("findings_of_intern", "intern_id"),
    "finding_overrides": ("findings_of_intern", "intern_id"),
    "areas": ("worksites", "worksite_id"),
    "equipment_tasks": ("equipment", "equipment_id"),
    "login_tokens": ("user_accounts", "user_id"),
    "competencies": ("competency_frameworks", "framework_id"),
    "competency_ratings": ("evaluations", "evaluation_id"),
}

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
    sa.column("purged_at", sa.DateTime),
)
_state = sa.table("app_state", sa.column("key", sa.String), sa.column("value", sa.Text))
_ID = re.compile(r"[0-9]{1,18}")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _canonical(value: Any) -> str:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_bytes
    )


def _bytes(value: Any) -> Any:
    """How the audit hooks write bytes (here: bytes stored in a column of another type)."""
    if isinstance(value, bytes):
        return {"sha256": hashlib.sha256(value).hexdigest(), "size": len(value)}
    raise TypeError(f"cannot audit a {type(value).__name__}")


# -- the tables as the check sees them


class _Table:
    def __init__(self, bind: Any, name: str) -> None:
        self.name = name
        declared = bind.exec_driver_sql(f'PRAGMA table_info("{name}")').all()
        skip = {"id"} | _DERIVED.get(name, set())
        self.names = [c[1] for c in declared if c[1] not in skip]
        types = {c[1]: (c[2] or "").upper() for c in declared}
        self.kinds = [self._kind(n, types[n]) for n in self.names]
        self.index = {n: i for i, n in enumerate(self.names)}

    def _kind(self, column: str, declared: str) -> str:
        if column in _REDACTED.get(self.name, ()):
            return "redacted"
        if declared.startswith("DATETIME"):
            return "datetime" if column in _LOCAL else "utc"
        for prefix, kind in (("DATE", "date"), ("TIME", "time"), ("BOOLEAN", "bool")):
            if declared.startswith(prefix):
                return kind
        return {"JSON": "json", "BLOB": "bytes"}.get(declared, "plain")


def _value(kind: str, raw: Any, secret: bytes) -> Any:
    """A stored value as the audit hooks record it, in JSON's terms; one its column
    type cannot read (written into the file by hand) as it is stored."""
    try:
        return _read(kind, raw, secret)
    except (ValueError, TypeError, OverflowError):
        return raw


def _read(kind: str, raw: Any, secret: bytes) -> Any:
    if raw is None:
        return None
    if kind == "redacted":
        data = raw if isinstance(raw, bytes) else str(raw).encode("utf-8")
        return "hmac:" + hmac.new(secret, data, hashlib.sha256).hexdigest()
    if kind == "utc":
        return datetime.fromisoformat(raw).replace(tzinfo=UTC).isoformat()
    if kind == "datetime":
        return datetime.fromisoformat(raw).isoformat()
    if kind == "time":
        return time.fromisoformat(raw).isoformat()
    if kind == "bool":
        return bool(raw)
    if kind == "json":
        return json.loads(raw)
    if kind == "bytes":
        return {"sha256": hashlib.sha256(raw).hexdigest(), "size": len(raw)}
    return raw


def _instant(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment


def _same(kind: str, trail: Any, stored: Any) -> bool:
    if trail == stored:
        return True
    if trail is None or stored is None:
        return False
    try:
        if kind in ("utc", "datetime"):
            return _instant(trail) == _instant(stored)
        if kind == "date":
            return _instant(trail).date() == _instant(stored).date()
        if kind == "time":
            return time.fromisoformat(trail) == time.fromisoformat(stored)
        if kind == "bool":
            return bool(trail) == bool(stored)
    except (TypeError, ValueError):
        return False
    return False


# -- the trail folded into lives


def _fold(bind: Any, tables: dict[str, _Table]) -> tuple[dict[str, dict[int, list]], list[int]]:
    """Per table, row id -> [created?, values or None once deleted]; and purged seqs."""
    lives: dict[str, dict[int, list]] = {name: {} for name in tables}
    purged: list[int] = []
    accounted: set[int] = set()
    query = sa.select(
        _events.c.seq, _events.c.aggregate_type, _events.c.payload, _events.c.purged_at
    ).order_by(_events.c.seq)
    for seq, aggregate_type, payload, purged_at in bind.execute(query):
        if purged_at is not None:
            purged.append(seq)
            continue
        try:
            records = json.loads(payload)
        except ValueError:
            continue
        if not isinstance(records, dict):
            continue
        for key, change in records.items():
            name, _, ident = key.partition(":")
            if name not in lives or not isinstance(change, dict) or not _ID.fullmatch(ident):
                continue
            spec, row_id = tables[name], int(ident)
            before, after = change.get("before"), change.get("after")
            life = lives[name].get(row_id)
            if not isinstance(after, dict):
                lives[name][row_id] = [life is not None and life[0], None]
            elif before is None:
                lives[name][row_id] = [True, [after.get(n) for n in spec.names]]
            else:
                if life is None or life[1] is None:
                    life = lives[name][row_id] = [False, [None] * len(spec.names)]
                for column, value in after.items():
                    if column in spec.index:
                        life[1][spec.index[column]] = value
        account = records.get("purge") if aggregate_type == "retention" else None
        after = account.get("after") if isinstance(account, dict) else None
        if isinstance(after, dict) and isinstance(after.get("blanked_seqs"), list):
            accounted.update(s for s in after["blanked_seqs"] if type(s) is int and s < seq)
            for name, ids in (after.get("deleted") or {}).items():
                for row_id in ids if name in lives and isinstance(ids, list) else ():
                    lives[name][row_id] = [True, None]
    return lives, [s for s in purged if s not in accounted]


# -- the baseline


def _aggregate(name: str, values: dict[str, Any], row_id: int, intern_of: Any) -> tuple:
    """The aggregate the audit hooks record a row's changes under (for a row that is
    gone, from what the trail said of it, which may be anything)."""

    def ref(column: str) -> int | None:
        value = values.get(column)
        return value if type(value) is int else None

    if name in ("work_breaks", "work_tasks"):
        if ref("shift_id") is not None:
            return "shifts", ref("shift_id")
        return "time_entries", ref("time_entry_id")
    if name == "notice_hours":
        return "interns", intern_of(ref("placement_id"))
    if name in _ROOTS:
        kind, column = _ROOTS[name]
        return kind, ref(column)
    return name, row_id


def _baseline(bind: Any, secret: bytes) -> dict[tuple, dict[str, dict]]:
    """aggregate -> record key -> entry, for every row the trail does not explain."""
    tables = {
        name: _Table(bind, name)
        for name in sa.inspect(bind).get_table_names()
        if name not in _UNAUDITED
    }
    lives, unaccounted = _fold(bind, tables)
    placements = dict(bind.exec_driver_sql("SELECT id, intern_id FROM placements").all())
    pending: dict[tuple, dict[str, dict]] = {}

    def add(spec: _Table, row_id: int, values: list[Any], entry: dict) -> None:
        row = dict(zip(spec.names, values, strict=True))
        aggregate = _aggregate(spec.name, row, row_id, placements.get)
        pending.setdefault(aggregate, {})[f"{spec.name}:{row_id}"] = entry

    for name, spec in sorted(tables.items()):
        columns = ", ".join(f'"{n}"' for n in ["id", *spec.names])
        for raw in bind.exec_driver_sql(f'SELECT {columns} FROM "{name}" ORDER BY id'):
            row_id = raw[0]
            values = [_value(k, v, secret) for k, v in zip(spec.kinds, raw[1:], strict=True)]
            life = lives[name].pop(row_id, None)
            if life is None or life[1] is None or not life[0]:
                row = dict(zip(spec.names, values, strict=True))
                add(spec, row_id, values, {"before": None, "after": row})
                continue
            differ = [
                i for i, kind in enumerate(spec.kinds) if not _same(kind, life[1][i], values[i])
            ]
            if differ:
                before = {spec.names[i]: life[1][i] for i in differ}
                after = {spec.names[i]: values[i] for i in differ}
                add(spec, row_id, values, {"before": before, "after": after})
        for row_id, (_created, state) in sorted(lives[name].items()):
            if state is not None:  # gone without a delete: recorded gone, no values copied
                add(spec, row_id, state, {"before": {}, "after": None})
    if unaccounted:
        record = {"before": None, "after": {"blanked_seqs": unaccounted, "deleted": {}}}
        pending[("retention", None)] = {"purge": record}
    return pending


def _action(aggregate: tuple, records: dict[str, dict]) -> str:
    def kind(entry: dict) -> str:
        if entry["before"] is None:
            return "create"
        return "delete" if entry["after"] is None else "update"

    root = records.get(f"{aggregate[0]}:{aggregate[1]}")
    if root is not None:
        return kind(root)
    kinds = {kind(e) for k, e in records.items() if ":" in k}
    return kinds.pop() if len(kinds) == 1 else "update"


def _write(
    bind: Any, pending: dict[tuple, dict[str, dict]], operation: str = UPGRADE_OPERATION
) -> None:
    """Append one system event per aggregate to the chain, and move its head (later
    revisions that change audited rows write their events with it, under their own
    ``operation``)."""
    head = bind.execute(sa.select(_state.c.value).where(_state.c.key == HEAD_KEY)).scalar()
    if head is not None:
        seq_text, _, prev = head.partition(":")
        seq = int(seq_text)
    else:  # no head: a new chain, or one whose head was removed (the break stays visible)
        last = bind.execute(sa.select(sa.func.max(_events.c.seq))).scalar()
        seq, prev = last or 0, GENESIS
    now = datetime.now(UTC).replace(tzinfo=None)
    iso = now.replace(tzinfo=UTC).isoformat()
    rows = []
    for aggregate in sorted(pending, key=lambda a: (a[0], a[1] is None, a[1] or 0)):
        records = pending[aggregate]
        payload = _canonical(records)
        seq += 1
        action = _action(aggregate, records)
        payload_sha = _sha(payload)
        fields = [
            prev,
            seq,
            iso,
            "system",
            None,
            "system",
            operation,
            action,
            aggregate[0],
            aggregate[1],
            payload_sha,
        ]
        entry = _sha(json.dumps(fields, separators=(",", ":"), ensure_ascii=False))
        rows.append(
            {
                "seq": seq,
                "occurred_at": now,
                "actor_kind": "system",
                "actor_user_id": None,
                "actor_name": "system",
                "operation": operation,
                "action": action,
                "aggregate_type": aggregate[0],
                "aggregate_id": aggregate[1],
                "payload": payload,
                "payload_hash": payload_sha,
                "prev_hash": prev,
                "entry_hash": entry,
            }
        )
        prev = entry
    if not rows:
        return
    bind.execute(_events.insert(), rows)
    bind.execute(_state.delete().where(_state.c.key == HEAD_KEY))
    bind.execute(_state.insert().values(key=HEAD_KEY, value=f"{seq}:{prev}"))


def upgrade() -> None:
    bind = op.get_bind()
    bind.execute(_state.delete().where(_state.c.key == SECRET_KEY))
    secret = secrets.token_bytes(32)
    bind.execute(_state.insert().values(key=SECRET_KEY, value=secret.hex()))
    _write(bind, _baseline(bind, secret))


def downgrade() -> None:
    # The baseline's events stay: they are history, chained like any other.
    op.get_bind().execute(_state.delete().where(_state.c.key == SECRET_KEY))
