"""Revision 0006 moves the old check-in texts where issue 14 says: the texts of a
shared check-in into its shared notes, of an internal one into an internal note by
its author, a safety flag into a safety concern; an evaluation's kind comes from its
label. The trail explains every row after the upgrade, and after a round trip."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from proofkit import downgrade, verify_trail
from testkeys import TEST_KEY

from internhost.core.storage import db, migrate


def rows(path: Path, query: str, *args: object) -> list[tuple]:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return conn.execute(query, args).fetchall()


def test_old_check_ins_move_into_notes_and_concerns(demo_path: Path) -> None:
    downgrade(demo_path, "0005_work_time")
    first, second, third = (
        i for (i,) in rows(demo_path, "SELECT id FROM check_ins ORDER BY id LIMIT 3")
    )
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        # As an older InternHost wrote them: an internal check-in with its author, a
        # shared one with all three texts and a safety flag.
        conn.execute(
            "UPDATE check_ins SET visibility = 'internal', went_well = 'Calm today', "
            "needs_help = '', next_steps = '' WHERE id = ?",
            (first,),
        )
        conn.execute(
            "UPDATE check_ins SET went_well = 'Measured parts', needs_help = 'Calipers', "
            "next_steps = 'Practice', safety_concern = 1 WHERE id = ?",
            (second,),
        )
        conn.execute("UPDATE check_ins SET went_well = 'Only this' WHERE id = ?", (third,))
        conn.commit()

    migrate.upgrade_to_head(demo_path, TEST_KEY)

    shared = dict(rows(demo_path, "SELECT id, shared_notes FROM check_ins"))
    assert shared[first] == ""
    assert shared[second] == "Went well: Measured parts\nNeeds help: Calipers\nNext steps: Practice"
    assert shared[third] == "Only this"
    notes = rows(
        demo_path,
        "SELECT author_user_id, visibility, body, placement_id FROM notes WHERE check_in_id = ?",
        first,
    )
    ((placement, author),) = rows(
        demo_path, "SELECT placement_id, author_user_id FROM check_ins WHERE id = ?", first
    )
    assert notes == [(author, "internal", "Calm today", placement)]
    assert rows(demo_path, "SELECT check_in_id, category, resolved_at FROM concerns") == [
        (second, "safety", None)
    ]
    kinds = dict(rows(demo_path, "SELECT period_label, kind FROM evaluations GROUP BY 1"))
    assert kinds == {"Midpoint": "midpoint", "Final": "final"}
    assert not rows(demo_path, "SELECT id FROM evaluations WHERE framework_id IS NULL")
    assert rows(demo_path, "SELECT DISTINCT shipped FROM competency_frameworks") == [(1,)]
    report = verify_trail(demo_path, TEST_KEY)
    assert report.ok, report.lines()


def test_a_round_trip_keeps_the_shared_notes_and_the_trail(demo_path: Path) -> None:
    before = dict(rows(demo_path, "SELECT id, shared_notes FROM check_ins"))
    downgrade(demo_path, "0005_work_time")
    migrate.upgrade_to_head(demo_path, TEST_KEY)
    after = dict(rows(demo_path, "SELECT id, shared_notes FROM check_ins"))
    assert any(before.values()) and after == before
    report = verify_trail(demo_path, TEST_KEY)
    assert report.ok, report.lines()
