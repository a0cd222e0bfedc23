"""Stored findings and checklists: what the demo opens with, and how re-checks keep them."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, update
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.errors import NotFound
from internhost.core.models import (
    AppState,
    ChecklistItem,
    Finding,
    FindingOverride,
    Intern,
    Placement,
    WorkTask,
)
from internhost.core.services import compliance, placements
from internhost.core.storage import db

TODAY = date(2026, 11, 24)


@pytest.fixture
def demo_factory(demo_path: Path):
    engine = db.make_engine(demo_path, TEST_KEY)
    yield db.make_session_factory(engine)
    engine.dispose()


def _intern_id(s, last_name: str) -> int:
    return s.scalar(select(Intern.id).where(Intern.legal_last_name == last_name))


def test_the_demo_opens_with_its_deliberate_slips_found(demo_factory) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        rules = dict(
            s.execute(
                select(Finding.rule_id, func.count())
                .where(Finding.severity == "violation")
                .group_by(Finding.rule_id)
            ).all()
        )
        # The forklift slip (planned and logged), the late shift of a 15-year-old
        # (planned and logged) and a 15-year-old's logged clock-out after 7 p.m.
        assert rules["US-FLSA-HO7"] == 2
        assert rules["US-FLSA-570.35-a6"] == 3 and rules["US-IL-206-25-4"] == 3
        assert s.scalar(select(func.count()).select_from(ChecklistItem)) > 300
        packs = s.scalar(select(Finding.rule_packs).limit(1))
        assert set(packs) == {"us-federal", "us-il", "tasks", "wage"}


def test_a_recheck_with_nothing_changed_rewrites_nothing(demo_factory) -> None:
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        results = compliance.check_all(s, SYSTEM, TODAY)
    assert sum(r.added + r.removed for r in results) == 0


def test_editing_a_shift_updates_its_findings_and_overrides_survive(demo_factory) -> None:
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        forklift = s.scalar(select(Finding).where(Finding.rule_id == "US-FLSA-HO7").limit(1))
        intern_id, identity = forklift.intern_id, forklift.identity
        s.add(
            FindingOverride(
                intern_id=intern_id,
                identity=identity,
                rule_id="US-FLSA-HO7",
                kind="acknowledge",
                reason="Trainer rode along; retrained.",
            )
        )
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        result = compliance.check_intern(s, SYSTEM, intern_id, TODAY)
        assert result.added == 0 and result.removed == 0
        assert s.scalar(select(Finding.id).where(Finding.identity == identity)) is not None
    # Remove the forklift task: the finding goes, the override (keyed by identity) stays.
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        for task in s.scalars(select(WorkTask).where(WorkTask.task_key == "forklift")):
            s.delete(task)
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        result = compliance.check_intern(s, SYSTEM, intern_id, TODAY)
        assert result.removed >= 1
        assert s.scalar(select(Finding.id).where(Finding.identity == identity)) is None
        assert s.scalar(select(FindingOverride.id).where(FindingOverride.identity == identity))


def test_the_16th_birthday_retires_the_certificate_item(demo_factory) -> None:
    """Ben Okafor turns 16 on 2025-11-20, mid-placement: a sweep after it retires C2."""
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        ben = _intern_id(s, "Okafor")
        placement = s.scalar(
            select(Placement.id).where(Placement.intern_id == ben).order_by(Placement.start_date)
        )
        s.execute(
            update(AppState)
            .where(AppState.key == compliance.LAST_SWEEP_KEY)
            .values(value="2025-09-01")
        )
        compliance.check_intern(s, SYSTEM, ben, date(2025, 9, 1))
    with db.read_session(demo_factory, SYSTEM) as s:
        item = s.scalar(
            select(ChecklistItem).where(
                ChecklistItem.placement_id == placement, ChecklistItem.requirement_key == "C2"
            )
        )
        assert item is not None and item.retired_at is None
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        swept = compliance.startup_sweep(s, SYSTEM, date(2025, 11, 21))
        assert ben in {r.intern_id for r in swept}
        assert all(r.intern_id != _intern_id(s, "Łukasiewicz") for r in swept)
    with db.read_session(demo_factory, SYSTEM) as s:
        item = s.scalar(
            select(ChecklistItem).where(
                ChecklistItem.placement_id == placement, ChecklistItem.requirement_key == "C2"
            )
        )
        assert item.retired_at is not None
        last = s.get(AppState, compliance.LAST_SWEEP_KEY).value
        assert last == "2025-11-21"


def test_stored_findings_are_audited(demo_factory) -> None:
    from internhost.core.models import AuditEvent

    with db.read_session(demo_factory, SYSTEM) as s:
        kinds = set(s.scalars(select(AuditEvent.aggregate_type)))
    assert "findings_of_intern" in kinds and "placement_checklist" in kinds


def test_findings_list_gravest_first_with_unverified_marked(demo_factory) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        intern_id = s.scalar(select(Finding.intern_id).where(Finding.rule_id == "US-FLSA-HO7"))
        rows = compliance.list_findings(s, SYSTEM, intern_id)
    assert rows and rows[0].severity == "violation"
    assert [r.severity for r in rows] == sorted(
        (r.severity for r in rows), key=["violation", "warning", "advisory"].index
    )
    forklift = next(r for r in rows if r.rule == "US-FLSA-HO7")
    assert forklift.source in {"planned shift", "logged hours"} and not forklift.unverified


def test_mentors_see_findings_only_for_their_own_interns(demo_factory) -> None:
    from internhost.core.actor import Actor, Role
    from internhost.core.errors import NotFound
    from internhost.core.models import Staff

    with db.read_session(demo_factory, SYSTEM) as s:
        intern_id = s.scalar(select(Finding.intern_id).where(Finding.rule_id == "US-FLSA-HO7"))
        placement_mentors = set(
            s.scalars(select(Placement.mentor_id).where(Placement.intern_id == intern_id))
        )
        other = s.scalar(
            select(Staff.id).where(Staff.role == "mentor", Staff.id.not_in(placement_mentors))
        )
        mentor = Actor(Role.MENTOR, "m", user_id=None, staff_id=other)
        with pytest.raises(NotFound):
            compliance.list_findings(s, mentor, intern_id)


def test_checklist_status_changes_but_requirements_do_not(demo_factory) -> None:
    from internhost.core.actor import Actor, Role
    from internhost.core.errors import PermissionDenied, ValidationError

    with db.unit_of_work(demo_factory, SYSTEM) as s:
        intern_id = _intern_id(s, "Okafor")
        item = next(r for r in compliance.list_checklist(s, SYSTEM, intern_id) if r.key == "C1")
        updated = compliance.update_checklist_item(
            s, SYSTEM, item.id, status="done", note="Birth certificate seen 2025-08-29."
        )
        assert updated.status == "done" and updated.title == item.title
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        with pytest.raises(ValidationError) as bad:
            compliance.update_checklist_item(s, SYSTEM, item.id, status="finished")
        assert bad.value.errors[0].field == "status"
        viewer = Actor(Role.VIEWER, "v")
        with pytest.raises(PermissionDenied):
            compliance.update_checklist_item(s, viewer, item.id, status="open")
    with db.read_session(demo_factory, SYSTEM) as s:
        again = next(r for r in compliance.list_checklist(s, SYSTEM, intern_id) if r.id == item.id)
        assert again.status == "done" and again.note.startswith("Birth certificate")


@pytest.mark.parametrize(
    ("note", "kept"),
    [
        ("ok\x00", None),
        ("ok\x1b[31m", None),
        ("ok\x7f", None),
        ("ok\ud800", None),
        ("x" * (compliance.NOTE_MAX + 1), None),
        ("Seen:\n\t- birth certificate\r\n", "Seen:\n\t- birth certificate"),
    ],
)
def test_a_checklist_note_is_text_a_form_could_show(demo_factory, note: str, kept) -> None:
    """Control characters (tab and line breaks allowed), lone surrogates and more than
    NOTE_MAX characters are refused, naming the note; an item id beyond 64 bits is
    not found."""
    from internhost.core.errors import NotFound, ValidationError

    with db.read_session(demo_factory, SYSTEM) as s:
        intern_id = _intern_id(s, "Okafor")
        item = compliance.list_checklist(s, SYSTEM, intern_id)[0]
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        if kept is None:
            with pytest.raises(ValidationError) as bad:
                compliance.update_checklist_item(s, SYSTEM, item.id, status="done", note=note)
            assert bad.value.by_field().keys() == {"note"}
        else:
            row = compliance.update_checklist_item(s, SYSTEM, item.id, status="done", note=note)
            assert row.note == kept
        with pytest.raises(NotFound):
            compliance.update_checklist_item(s, SYSTEM, 2**63, status="done")


def test_findings_from_older_packs_are_marked_stale_and_replaced(demo_factory) -> None:
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        old = s.scalar(select(Finding).where(Finding.rule_id == "US-FLSA-HO7").limit(1))
        old.rule_packs = {**old.rule_packs, "us-federal": "2024.9"}
        intern_id, identity = old.intern_id, old.identity
        state = s.get(AppState, compliance.LAST_SWEEP_KEY)
        state.value = TODAY.isoformat()  # no birthdays to catch up on
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        swept = compliance.startup_sweep(s, SYSTEM, TODAY)
    assert [r.intern_id for r in swept] == [intern_id]
    with db.read_session(demo_factory, SYSTEM) as s:
        fresh = s.scalar(select(Finding).where(Finding.identity == identity))
        assert fresh.rule_packs["us-federal"] != "2024.9" and not fresh.stale


def test_the_650_hour_counter_carries_hours_from_other_placements_that_year(
    demo_factory,
) -> None:
    from internhost.core.services.case_facts import _hours_worked_before

    with db.read_session(demo_factory, SYSTEM) as s:
        intern = s.get(Intern, _intern_id(s, "Łukasiewicz"))
        first, second = sorted(intern.placements, key=lambda p: p.start_date)
        same_year = _hours_worked_before(s, intern, second.id, date(2025, 12, 31))
        next_year = _hours_worked_before(s, intern, second.id, date(2026, 9, 1))
        own = _hours_worked_before(s, intern, first.id, date(2025, 12, 31))
    assert same_year > 40  # the Fall 2025 term's logged hours
    assert next_year == 0  # the counter resets on January 1
    assert own == 0  # a placement's own hours are counted by the engine itself


def test_after_new_entries_only_the_cases_they_feed_are_checked_again() -> None:
    """A placement's own case and its plan read the hours of the intern's other
    placements (the youth wage's yearly counter); its entries case its own too."""
    from types import SimpleNamespace

    def intern(*ids: int):  # type: ignore[no-untyped-def]
        return SimpleNamespace(placements=[SimpleNamespace(id=i) for i in ids])

    cache = SimpleNamespace(first_day=lambda kind, placement_id: None)
    alone = intern(7)
    assert compliance._unchanged_cases(alone, {7}, cache) == {(7, "placement"), (7, "shifts")}
    assert compliance._unchanged_cases(alone, {8}, cache) == {
        (7, "placement"),
        (7, "shifts"),
        (7, "entries"),
    }
    # 2 and 3 count the hours logged under 1; 1 counts theirs, which stayed
    assert compliance._unchanged_cases(intern(1, 2, 3), {1}, cache) == {
        (1, "placement"),
        (1, "shifts"),
    }
    assert compliance._unchanged_cases(intern(1, 2), {1, 2}, cache) == set()


def test_new_entries_leave_the_cases_whose_hour_counter_they_do_not_move() -> None:
    """Given the new entries' days, another placement's cases are checked again only
    when those days fall in their year before the day each case starts on."""
    from types import SimpleNamespace

    first_days = {("shift", 2): date(2026, 1, 5), ("entry", 2): date(2025, 9, 2)}
    cache = SimpleNamespace(first_day=lambda kind, pid: first_days.get((kind, pid)))
    later = SimpleNamespace(
        placements=[
            SimpleNamespace(id=1, start_date=date(2025, 9, 1)),
            SimpleNamespace(id=2, start_date=date(2025, 11, 3)),
        ]
    )
    october = {1: {100: date(2025, 10, 6)}}
    # 2 starts after the new day (moved), plans for next year (not), logged from before
    assert compliance._unchanged_cases(later, october, cache) == {
        (1, "placement"),
        (1, "shifts"),
        (2, "shifts"),
        (2, "entries"),
    }
    # a day after every case of 2 starts moves none of them
    assert (2, "placement") in compliance._unchanged_cases(
        later, {1: {100: date(2026, 2, 2)}}, cache
    )
    # a day before them in the same year moves each one whose first day is known
    assert compliance._unchanged_cases(later, {1: {100: date(2025, 9, 1)}}, cache) == {
        (1, "placement"),
        (1, "shifts"),
        (2, "shifts"),
    }


def _stored(s) -> tuple[list[tuple], list[tuple]]:
    """Every finding and checklist item, as comparable values (not ids or stamps)."""
    found = s.execute(
        select(
            Finding.intern_id,
            Finding.identity,
            Finding.severity,
            Finding.template,
            Finding.input_hash,
            Finding.stale,
        ).order_by(Finding.intern_id, Finding.identity)
    ).all()
    items = s.execute(
        select(
            ChecklistItem.placement_id,
            ChecklistItem.requirement_key,
            ChecklistItem.status,
            ChecklistItem.retired_at.is_(None),
        ).order_by(ChecklistItem.placement_id, ChecklistItem.requirement_key)
    ).all()
    return [tuple(r) for r in found], [tuple(r) for r in items]


def _undo_some_checks(factory) -> list[int]:
    """Remove every other finding, retire some checklist items and remove others, so
    that re-checking has findings to add and items to revive and add."""
    with db.unit_of_work(factory, SYSTEM) as s:
        for finding in s.scalars(select(Finding).order_by(Finding.id)).all()[::2]:
            s.delete(finding)
        items = s.scalars(select(ChecklistItem).order_by(ChecklistItem.id)).all()
        for item in items[::7]:
            item.retired_at = item.created_at
        for item in [i for i in items if i.status == "open"][::2]:
            s.delete(item)  # comes back open: one HR had ticked would not
        return list(s.scalars(select(Intern.id).order_by(Intern.id)))


def test_checking_interns_together_stores_what_checking_each_stores(
    demo_path: Path, tmp_path: Path
) -> None:
    """The batched check (the roster import's) and the one-by-one check agree on
    every finding and checklist item, and on their summaries."""
    apart = tmp_path / "apart.db"
    shutil.copyfile(demo_path, apart)
    summaries, stored = [], []
    for path, together in ((demo_path, True), (apart, False)):
        engine = db.make_engine(path, TEST_KEY)
        try:
            factory = db.make_session_factory(engine)
            before = _stored_in(factory)
            ids = _undo_some_checks(factory)
            with db.unit_of_work(factory, SYSTEM) as s:
                if together:
                    results = compliance.check_interns(s, SYSTEM, ids, TODAY)
                else:
                    results = [compliance.check_intern(s, SYSTEM, i, TODAY) for i in ids]
            summaries.append(results)
            stored.append(_stored_in(factory))
        finally:
            engine.dispose()
        assert stored[-1] == before  # every finding and item is back as it was
    assert summaries[0] == summaries[1]
    assert sum(r.added for r in summaries[0]) > 0
    assert stored[0] == stored[1]


def _stored_in(factory) -> tuple[list[tuple], list[tuple]]:
    with db.read_session(factory, SYSTEM) as s:
        return _stored(s)


def test_checking_interns_together_refuses_an_intern_the_actor_may_not_see(
    demo_factory,
) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        ids = list(s.scalars(select(Intern.id).order_by(Intern.id)))
    with (
        pytest.raises(NotFound, match="no intern with id 999999"),
        db.unit_of_work(demo_factory, SYSTEM) as s,
    ):
        compliance.check_interns(s, SYSTEM, [*ids, 999_999], TODAY)


def test_saving_a_placement_re_checks_that_placement_alone(demo_factory) -> None:
    """A placement's fields feed only its own checks: saving it stores its findings
    again and leaves its intern's other placements' findings as they were."""
    with db.read_session(demo_factory, SYSTEM) as s:
        counts = s.execute(
            select(Finding.intern_id, func.count(func.distinct(Finding.placement_id)))
            .group_by(Finding.intern_id)
            .having(func.count(func.distinct(Finding.placement_id)) > 1)
        ).all()
        assert counts, "the sample has an intern with findings on two placements"
        intern_id = counts[0][0]
        saved_id, other_id = s.scalars(
            select(Finding.placement_id)
            .where(Finding.intern_id == intern_id)
            .distinct()
            .order_by(Finding.placement_id)
        ).all()[:2]
        data = placements.placement_input(s, SYSTEM, saved_id)
        before = _stored(s)[0]
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        for finding in s.scalars(select(Finding).where(Finding.intern_id == intern_id)):
            s.delete(finding)
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        placements.save_placement(s, SYSTEM, data, saved_id, today=TODAY)
    with db.read_session(demo_factory, SYSTEM) as s:
        placed = dict(s.execute(select(Finding.identity, Finding.placement_id)).all())
        after = _stored(s)[0]
    mine = [row for row in before if row[0] == intern_id]
    assert {placed[row[1]] for row in after if row[0] == intern_id} == {saved_id}
    assert [row for row in after if row[0] == intern_id] == [
        row for row in mine if row[1] in placed and placed[row[1]] == saved_id
    ]
    assert any(row[1] not in placed for row in mine)  # the other placement's: not re-checked
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        compliance.check_intern(s, SYSTEM, intern_id, TODAY)
    with db.read_session(demo_factory, SYSTEM) as s:
        assert _stored(s)[0] == before
        assert other_id in set(s.scalars(select(Finding.placement_id)))
