"""Stored findings are re-checked when their inputs change, and shown stale meanwhile:
a school calendar edit, a document added or expiring (a birth date re-checks at once,
``intern_records.update_intern``; a pack version, ``startup_sweep``)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, update
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.fileio.attachments import AttachmentInput, store_attachment
from internhost.core.models import AppState, Finding, Intern, School, SchoolCalendar
from internhost.core.services import accounts, compliance, directory, setup
from internhost.core.storage import db

TODAY = date(2026, 11, 24)
COMBINED = "US-IL-206-25-5-combined"  # school 7 h + work 2.5 h on 2025-10-14
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def factory(demo_path: Path):
    engine = db.make_engine(demo_path, TEST_KEY)
    yield db.make_session_factory(engine)
    engine.dispose()


def _combined(factory) -> tuple[int, date, int]:
    """(intern, the day, the calendar of their school's district) of the combined finding."""
    with db.read_session(factory, SYSTEM) as s:
        f = s.scalar(select(Finding).where(Finding.rule_id == COMBINED).limit(1))
        district = s.get(School, s.get(Intern, f.intern_id).school_id).district_id
        calendar = s.scalar(
            select(SchoolCalendar.id).where(
                SchoolCalendar.district_id == district,
                SchoolCalendar.first_day <= f.work_date,
                SchoolCalendar.last_day >= f.work_date,
            )
        )
        return f.intern_id, f.work_date, calendar


def _stale(factory, intern_id: int) -> set[bool]:
    with db.read_session(factory, SYSTEM) as s:
        return set(s.scalars(select(Finding.stale).where(Finding.intern_id == intern_id)))


def _queue(factory) -> set[int]:
    with db.read_session(factory, SYSTEM) as s:
        state = s.get(AppState, compliance.RECHECK_KEY)
        return set(json.loads(state.value)) if state else set()


def test_a_calendar_edit_marks_findings_stale_until_they_are_checked_again(factory) -> None:
    intern_id, day, calendar_id = _combined(factory)
    with db.read_session(factory, SYSTEM) as s:
        data = directory.calendar_for_edit(s, SYSTEM, calendar_id)
    # The day of the late shift becomes a day without school.
    edited = replace(data, no_school=(*data.no_school, day))
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_calendar(s, SYSTEM, edited, calendar_id)
    assert _stale(factory, intern_id) == {True}
    assert intern_id in _queue(factory)
    with db.unit_of_work(factory, SYSTEM) as s:
        checked = compliance.recheck_stale(s, SYSTEM, TODAY)
    assert intern_id in {r.intern_id for r in checked}
    assert _stale(factory, intern_id) == {False}
    assert _queue(factory) == set()
    with db.read_session(factory, SYSTEM) as s:
        rules = set(s.scalars(select(Finding.rule_id).where(Finding.intern_id == intern_id)))
    assert COMBINED not in rules  # no school that day: no combined hours


def test_saving_an_unchanged_calendar_still_refreshes_nothing_else(factory) -> None:
    _intern, _day, calendar_id = _combined(factory)
    with db.read_session(factory, SYSTEM) as s:
        data = directory.calendar_for_edit(s, SYSTEM, calendar_id)
    with db.unit_of_work(factory, SYSTEM) as s:
        setup.save_calendar(s, SYSTEM, data, calendar_id)
        results = compliance.recheck_stale(s, SYSTEM, TODAY)
    assert results and sum(r.added + r.removed for r in results) == 0


def test_a_document_added_marks_its_interns_findings_stale(factory) -> None:
    intern_id, _day, _calendar = _combined(factory)
    with db.unit_of_work(factory, SYSTEM) as s:
        store_attachment(
            s, SYSTEM, AttachmentInput("work_certificate", "permit.pdf", PDF, intern_id=intern_id)
        )
    assert _stale(factory, intern_id) == {True}
    with db.read_session(factory, SYSTEM) as s:
        rows = compliance.list_findings(s, SYSTEM, intern_id)
    assert rows and all(r.stale for r in rows)
    with db.unit_of_work(factory, SYSTEM) as s:
        compliance.recheck_stale(s, SYSTEM, TODAY)
    assert _stale(factory, intern_id) == {False}


def test_a_mentor_rechecks_only_their_own_and_the_rest_wait(factory) -> None:
    with db.read_session(factory, SYSTEM) as s:
        mentor = next(
            accounts.actor_for(a) for a in accounts.list_accounts(s, SYSTEM) if a.role == "mentor"
        )
        everyone = set(s.scalars(select(Intern.id)))
    with db.unit_of_work(factory, SYSTEM) as s:
        compliance.mark_stale(s, everyone)
    with db.unit_of_work(factory, mentor) as s:
        mine = {r.intern_id for r in compliance.recheck_stale(s, mentor, TODAY)}
    assert mine and mine < everyone
    assert _queue(factory) == everyone - mine
    with db.unit_of_work(factory, SYSTEM) as s:
        compliance.recheck_stale(s, SYSTEM, TODAY, limit=3)
    assert len(_queue(factory)) == len(everyone - mine) - 3


def test_the_start_up_sweep_rechecks_a_document_that_expired(factory) -> None:
    intern_id, _day, _calendar = _combined(factory)
    with db.unit_of_work(factory, SYSTEM) as s:
        store_attachment(
            s,
            SYSTEM,
            AttachmentInput(
                "work_certificate",
                "permit.pdf",
                PDF,
                intern_id=intern_id,
                issued_on=date(2026, 9, 1),
                expires_on=date(2026, 11, 22),
            ),
        )
        compliance.recheck_stale(s, SYSTEM, TODAY)
        s.execute(
            update(AppState)
            .where(AppState.key == compliance.LAST_SWEEP_KEY)
            .values(value="2026-11-20")
        )
    with db.unit_of_work(factory, SYSTEM) as s:
        swept = {r.intern_id for r in compliance.startup_sweep(s, SYSTEM, TODAY)}
    assert intern_id in swept
