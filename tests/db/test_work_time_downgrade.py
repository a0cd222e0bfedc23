"""Revision 0005's downgrade: the rows of the tables it drops (the sample's plant
closures, absences and closed pay periods, a placement's assignments) and the values
of the columns it drops are recorded in the trail, so ``audit verify`` still finds
every row explained after the round trip back to head."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

from proofkit import downgrade, verify_trail
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.models import PlacementAssignment, TimeEntry
from internhost.core.storage import db, migrate
from internhost.core.trail import audit_verify

DOWNGRADE = "downgrade 0005: no placement status"
HR = Actor(Role.HR_ADMIN, "hr", user_id=1)


def ids(path: Path, table: str) -> set[int]:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return {i for (i,) in conn.execute(f"SELECT id FROM {table}")}


def events(path: Path, operation: str) -> dict[str, dict]:
    """The records the system events of ``operation`` hold, by key."""
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        found = conn.execute(
            "SELECT payload FROM audit_events WHERE operation = ? AND actor_kind = 'system'",
            (operation,),
        ).fetchall()
    return {k: v for (payload,) in found for k, v in json.loads(payload).items()}


def verify(path: Path) -> audit_verify.VerifyReport:
    return verify_trail(path, TEST_KEY)


def test_the_downgrade_records_every_row_and_value_it_drops(demo_path: Path) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
            s.add(PlacementAssignment(placement_id=1, task_key="office_clerical"))
            entry = s.scalars(select(TimeEntry).order_by(TimeEntry.id).limit(1)).one()
            entry.auto_break_minutes = 30
    finally:
        engine.dispose()
    dropped = {
        table: ids(demo_path, table)
        for table in ("plant_closures", "absences", "pay_periods", "placement_assignments")
    }
    assert all(dropped.values()), dropped  # the sample wrote each, the test an assignment

    downgrade(demo_path, "0004_finding_templates")

    recorded = events(demo_path, DOWNGRADE)
    for table, rows in dropped.items():
        gone = {int(k.partition(":")[2]) for k, v in recorded.items() if k.startswith(f"{table}:")}
        assert gone == rows, table
        assert all(recorded[f"{table}:{i}"]["after"] is None for i in rows)
    absence = recorded[f"absences:{min(dropped['absences'])}"]["before"]
    assert absence["reason"] and isinstance(absence["excused"], (bool, int))
    assert recorded[f"time_entries:{entry.id}"] == {
        "before": {"entered_by": None, "auto_break_minutes": 30},
        "after": {"entered_by": None, "auto_break_minutes": None},
    }

    migrate.upgrade_to_head(demo_path, TEST_KEY)
    result = verify(demo_path)
    assert result.ok, result.lines()
