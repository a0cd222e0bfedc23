"""The sample shows the mentor's job (issue 14, "Demo data that shows the job"):
check-ins with topics, shared and internal notes by ``hr`` and ``mentor``, an open
concern, incidents, a verified mid-point, a site visit, the two ways a placement
ends, goals in every status, and checklists and plans as HR keeps them."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path
from typing import Any

from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.models.enums import CHECK_IN_MODES, GOAL_STATUSES
from internhost.core.sample import load_spec, reference_day
from internhost.core.services.check_in_topics import default_topics
from internhost.core.storage import db
from internhost.core.trail import audit_verify

TODAY = reference_day()  # the fixture's load day


def query(path: Path, sql: str, *params: Any) -> list[tuple]:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return conn.execute(sql, params).fetchall()


def one(path: Path, sql: str, *params: Any) -> Any:
    (row,) = query(path, sql, *params)
    return row[0] if len(row) == 1 else row


def _account(path: Path, username: str) -> int:
    return one(path, "SELECT id FROM user_accounts WHERE username = ?", username)


def test_check_ins_have_topics_shared_notes_reflections_and_both_modes(
    demo_template: Path,
) -> None:
    rows = query(demo_template, "SELECT topics, shared_notes, reflection, mode FROM check_ins")
    vocabulary = {t.name for t in default_topics()}  # the shipped list
    topics = [json.loads(t) for t, *_ in rows]
    assert all(1 <= len(t) <= 3 and set(t) <= vocabulary for t in topics)
    assert len({tuple(t) for t in topics}) > 5
    assert all(shared for _, shared, _, _ in rows)
    assert 0 < sum(1 for *_, reflection, _ in rows if reflection) < len(rows)
    assert {mode for *_, mode in rows} == set(CHECK_IN_MODES)


def test_internal_notes_by_hr_and_mentor_on_the_demo_mentor_s_interns(
    demo_template: Path,
) -> None:
    hr, mentor = _account(demo_template, "hr"), _account(demo_template, "mentor")
    mentor_staff = one(demo_template, "SELECT staff_id FROM user_accounts WHERE id = ?", mentor)
    notes = query(
        demo_template,
        """SELECT n.author_user_id, n.visibility, p.mentor_id, n.intern_id = p.intern_id,
                  n.placement_id = c.placement_id, n.check_in_id
           FROM notes n JOIN check_ins c ON c.id = n.check_in_id
           JOIN placements p ON p.id = c.placement_id""",
    )
    assert {author for author, *_ in notes} == {hr, mentor}
    assert all(vis == "internal" for _, vis, *_ in notes)
    assert all(owner == mentor_staff for _, _, owner, *_ in notes)
    assert all(same_intern and same_placement for *_, same_intern, same_placement, _ in notes)
    by_check_in: dict[int, set[int]] = {}
    for author, *_, check_in in notes:
        by_check_in.setdefault(check_in, set()).add(author)
    assert {hr, mentor} in by_check_in.values()  # both wrote on one check-in
    # The demo mentor logged their own check-ins.
    authors = query(
        demo_template,
        "SELECT DISTINCT author_user_id FROM check_ins WHERE mentor_id = ?",
        mentor_staff,
    )
    assert authors == [(mentor,)]


def test_every_internal_note_is_a_sentence_of_its_own(demo_template: Path) -> None:
    """No internal note is used twice, nor in anything the school or a viewer reads."""
    bodies = [b for (b,) in query(demo_template, "SELECT body FROM notes")]
    assert len(bodies) >= 6 and len(set(bodies)) == len(bodies)
    elsewhere = [
        "SELECT shared_notes FROM check_ins",
        "SELECT reflection FROM check_ins",
        "SELECT strengths FROM evaluations",
        "SELECT growth_areas FROM evaluations",
        "SELECT details FROM concerns",
        "SELECT text FROM check_in_actions",
        "SELECT title || ' ' || description FROM goals",
        "SELECT notes FROM site_visits",
        "SELECT description || ' ' || told_whom FROM incidents",
        "SELECT termination_reason || exit_reflection || mentor_notes FROM placement_outcomes",
    ]
    texts = [t for sql in elsewhere for (t,) in query(demo_template, sql) if t]
    for body in bodies:
        assert not [t for t in texts if body in t], body


def test_one_open_concern_reaches_hr(demo_template: Path) -> None:
    concerns = query(
        demo_template, "SELECT category, details, resolved_at, resolution FROM concerns"
    )
    assert len(concerns) == 1
    category, details, resolved_at, resolution = concerns[0]
    assert category in ("wellbeing", "safety") and details
    assert (resolved_at, resolution) == (None, "")


def test_action_items_due_and_done_and_cadences(demo_template: Path) -> None:
    items = query(demo_template, "SELECT due_on, done_on FROM check_in_actions")
    assert items and any(done for _, done in items) and any(not done for _, done in items)
    cadences = query(demo_template, "SELECT every_days, weekdays FROM check_in_cadences")
    assert any(every for every, _ in cadences) and any(days for _, days in cadences)


def test_the_near_miss_is_closed_and_an_injury_waits_for_a_notification(
    demo_template: Path,
) -> None:
    rows = query(
        demo_template,
        """SELECT kind, status, worksite_id, area_id, closed_at, closed_by,
                  guardian_notified_on, guardian_not_needed, school_notified_on,
                  school_not_needed, idol_reported_on, idol_not_needed
           FROM incidents ORDER BY occurred_at_local""",
    )
    assert [(kind, status) for kind, status, *_ in rows] == [
        ("near_miss", "closed"),
        ("injury", "open"),
    ]
    for _, status, site, area, closed_at, closed_by, *told in rows:
        assert site is not None and area is not None
        pairs = list(zip(told[::2], told[1::2], strict=True))
        settled = [done is not None or not_needed for done, not_needed in pairs]
        if status == "closed":
            assert closed_at and closed_by and all(settled)
        else:
            assert closed_at is None and not all(settled)


def test_a_school_verified_mid_point_within_its_scale(demo_template: Path) -> None:
    verified = query(
        demo_template,
        """SELECT e.id, e.kind, e.framework_id, e.school_verified_by, e.school_verified_on,
                  e.intern_acknowledged_on, e.evaluated_on, f.scale_max
           FROM evaluations e JOIN competency_frameworks f ON f.id = e.framework_id
           WHERE e.school_verified_on IS NOT NULL""",
    )
    assert len(verified) == 1
    eid, kind, framework, by, on, acknowledged, evaluated, scale = verified[0]
    assert kind == "midpoint" and framework and by
    assert evaluated <= acknowledged <= on < TODAY.isoformat()
    levels = query(
        demo_template, "SELECT level FROM competency_ratings WHERE evaluation_id = ?", eid
    )
    assert levels and all(1 <= lv <= scale for (lv,) in levels)
    beyond = query(
        demo_template,
        """SELECT count(*) FROM evaluations e JOIN competency_frameworks f
           ON f.id = e.framework_id WHERE e.overall > f.scale_max""",
    )
    assert beyond == [(0,)]
    visits = query(demo_template, "SELECT placement_id, visitor, notes FROM site_visits")
    assert len(visits) == 1 and visits[0][1] == by and visits[0][2]


def test_one_placement_ended_early_and_one_completed(demo_template: Path) -> None:
    outcomes = query(
        demo_template,
        """SELECT o.kind, p.status, o.ended_on, p.end_date, o.termination_reason,
                  o.concerns_notice_sent_on, o.exit_reflection, o.mentor_notes,
                  o.next_steps, o.counts_toward_cde, o.placement_id
           FROM placement_outcomes o JOIN placements p ON p.id = o.placement_id
           ORDER BY o.kind""",
    )
    assert [(kind, status) for kind, status, *_ in outcomes] == [
        ("completed", "completed"),
        ("terminated", "terminated"),
    ]
    done, ended = outcomes
    assert done[6] and done[7] and json.loads(done[8]) and done[9] == 1
    assert ended[4] and ended[5] and ended[5] >= ended[2] == ended[3]
    late = query(
        demo_template,
        "SELECT count(*) FROM shifts WHERE placement_id = ? AND work_date > ?",
        ended[10],
        ended[2],
    )
    assert late == [(0,)]  # nothing planned or logged after it ended


def test_goals_in_every_status(demo_template: Path) -> None:
    statuses = {s for (s,) in query(demo_template, "SELECT DISTINCT status FROM goals")}
    assert statuses == set(GOAL_STATUSES)


def test_checklists_and_plans_are_kept_not_a_compliance_disaster(demo_template: Path) -> None:
    items = query(
        demo_template,
        """SELECT c.status, c.due_date, p.start_date <= ? AND p.end_date >= ?,
                  c.requirement_key, c.evidence_document_id, c.completed_by
           FROM checklist_items c JOIN placements p ON p.id = c.placement_id
           WHERE c.retired_at IS NULL""",
        TODAY.isoformat(),
        TODAY.isoformat(),
    )
    overdue = [r for r in items if r[0] == "open" and r[1] < TODAY.isoformat()]
    assert all(current for _, _, current, *_ in overdue)  # past terms' all done
    assert 0 < len(overdue) <= 12, len(overdue)
    done = [r for r in items if r[0] == "done"]
    assert len(done) > 10 * len(overdue)
    hr = _account(demo_template, "hr")
    assert {by for *_, by in done} == {hr}
    proved = set(load_spec()["checklist"]["evidence_documents"])
    with_paper = [r for r in done if r[3] in proved]
    assert with_paper and all(r[4] is not None for r in with_paper)
    assert all(r[4] is None for r in done if r[3] not in proved)
    steps = query(demo_template, "SELECT count(*) FROM plan_items WHERE status = 'done'")
    assert steps[0][0] > 0


def test_the_trail_explains_every_mentoring_row(demo_path: Path) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            report = audit_verify.verify(s)
    finally:
        engine.dispose()
    assert report.ok, report.lines()
