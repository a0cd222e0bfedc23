"""A concern reaches HR at once: logged by the demo mentor in another process, it
heads HR's open dashboard on the next look for others' writes, and leaves it once
HR records what was done; another mentor's dashboard never lists it."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from test_check_in_dialog import SAMPLE_TODAY, _actor
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.models import Concern, Staff
from internhost.core.services import cadences, check_ins
from internhost.core.storage import db
from internhost.gui.main_window import MainWindow


def _elsewhere(path: Path, actor: Actor, write) -> object:
    """``write(s)`` in a unit of work of another engine, as another process would."""
    engine = db.make_engine(path, TEST_KEY)
    try:
        with db.unit_of_work(db.make_session_factory(engine), actor) as s:
            return write(s)
    finally:
        engine.dispose()


def _look(window: MainWindow, qtbot) -> None:
    """One look for others' writes, as the idle timer makes it (stopped here, so its
    own looks cannot race the test's), waited for."""
    window.watch_timer.stop()
    assert window.runner.settle()
    window._look_for_changes()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=10_000)
    assert window.runner.settle()


def _concerns(window: MainWindow) -> list[str]:
    queue = window.dashboard_view.queue_read
    assert queue is not None
    return [i.intern_name for i in queue.items if i.kind == "concern"]


def test_a_concern_heads_hrs_dashboard_and_not_another_mentors(
    open_window, demo_path: Path, qtbot
) -> None:
    def resolve_all(s) -> None:
        for concern in s.query(Concern).filter(Concern.resolved_at.is_(None)):
            concern.resolved_at, concern.resolution = datetime.now(UTC), "Talked to the school."

    _elsewhere(demo_path, SYSTEM, resolve_all)
    mentor = _actor(demo_path, "mentor")
    hr = open_window(demo_path)
    assert _concerns(hr) == []
    _look(hr, qtbot)  # the first look notes where things stand

    def log_concern(s) -> tuple[int, str]:
        due = cadences.check_in_targets(s, mentor, SAMPLE_TODAY, limit=1)[0][0]
        row = check_ins.save_check_in(
            s,
            mentor,
            check_ins.CheckInInput(
                due.placement_id,
                SAMPLE_TODAY,
                topics=("Safety",),
                concern=check_ins.ConcernInput("wellbeing", "Asked not to be sent home early."),
            ),
            today=SAMPLE_TODAY,
        )
        return row.id, due.intern_name

    check_in_id, _name = _elsewhere(demo_path, mentor, log_concern)
    _look(hr, qtbot)
    first = hr.dashboard_view.queue_read.items[0]
    assert first.kind == "concern" and first.record_id == check_in_id
    assert first.what == "Concern raised: Wellbeing or possible abuse"
    assert "sent home" not in first.title  # the details stay on the check-in

    def other_mentor(s) -> Actor:
        staff = s.query(Staff).filter(Staff.role == "mentor", Staff.id != mentor.staff_id).first()
        return Actor(Role.MENTOR, "other", staff_id=staff.id)

    other = open_window(demo_path, actor=_elsewhere(demo_path, SYSTEM, other_mentor))
    assert _concerns(other) == []
    other.close()

    def resolve(s) -> None:
        (concern,) = s.query(Concern).filter(Concern.resolved_at.is_(None))
        check_ins.resolve_concern(s, SYSTEM, concern.id, "Called the school coordinator.")

    _elsewhere(demo_path, SYSTEM, resolve)
    _look(hr, qtbot)
    assert _concerns(hr) == []
