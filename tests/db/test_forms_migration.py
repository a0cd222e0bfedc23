"""Revision 0007 adds the student-learner agreement's terms and the mentor's reference
letter. Its downgrade drops both and records what it dropped, so the trail still
explains every row after the round trip; the upgrade back starts them empty."""

from __future__ import annotations

import json
from contextlib import closing
from datetime import date
from pathlib import Path

from proofkit import downgrade, verify_trail
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.models import Placement, StudentLearnerAgreement
from internhost.core.storage import db, migrate

DOWNGRADE = "downgrade 0007: no forms data"


def rows(path: Path, query: str, *args: object) -> list[tuple]:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return conn.execute(query, args).fetchall()


def test_a_round_trip_records_what_it_drops_and_keeps_the_trail(demo_path: Path) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
            # One the sample left without a letter or terms (it records one of each).
            placement = s.scalars(
                select(Placement)
                .where(
                    Placement.reference_letter.is_(None),
                    ~Placement.student_learner_agreement.has(),
                )
                .order_by(Placement.id)
                .limit(1)
            ).one()
            placement.reference_letter = "Zoë was a joy: AT&T <b>x</b>"
            s.add(
                StudentLearnerAgreement(
                    placement_id=placement.id,
                    vocational_program="Welding co-op",
                    work_incidental=True,
                    employer_signed_on=date(2025, 9, 2),
                )
            )
            placement_id, intern_id = placement.id, placement.intern_id
    finally:
        engine.dispose()
    (agreement_id,) = rows(
        demo_path, "SELECT id FROM student_learner_agreements WHERE placement_id = ?", placement_id
    )[0]
    assert verify_trail(demo_path, TEST_KEY).ok

    downgrade(demo_path, "0007_school_forms")

    columns = [r[1] for r in rows(demo_path, "PRAGMA table_info(placements)")]
    assert "reference_letter" not in columns
    assert not rows(
        demo_path, "SELECT name FROM sqlite_master WHERE name = 'student_learner_agreements'"
    )
    # One event per intern whose letter or terms it dropped (the sample's own too).
    events = rows(
        demo_path,
        "SELECT aggregate_id, payload FROM audit_events WHERE operation = ?",
        DOWNGRADE,
    )
    by_intern = {aggregate_id: json.loads(payload) for aggregate_id, payload in events}
    assert len(by_intern) == len(events)
    recorded = by_intern[intern_id]
    assert recorded[f"placements:{placement_id}"] == {
        "before": {"reference_letter": "Zoë was a joy: AT&T <b>x</b>"},
        "after": {"reference_letter": None},
    }
    dropped = recorded[f"student_learner_agreements:{agreement_id}"]
    assert dropped["after"] is None
    assert dropped["before"]["vocational_program"] == "Welding co-op"

    migrate.upgrade_to_head(demo_path, TEST_KEY)
    assert rows(demo_path, "SELECT count(*) FROM student_learner_agreements") == [(0,)]
    assert rows(demo_path, "SELECT count(*) FROM placements WHERE reference_letter IS NOT NULL")[
        0
    ] == (0,)
    report = verify_trail(demo_path, TEST_KEY)
    assert report.ok, report.lines()
