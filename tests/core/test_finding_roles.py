"""Stored findings are data, worded for each reader: a mentor's re-check stores no
words of the mentor's, and HR and the mentor then each read their own rendering of
the same rows; the audit trail explains them."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.dates import age_on
from internhost.core.models import AuditEvent, Finding, Intern, Placement
from internhost.core.rules.templates import AGE, View, fill
from internhost.core.services import accounts, compliance
from internhost.core.storage import db
from internhost.core.trail import audit_verify

TODAY = date(2026, 11, 24)
#: The sample's deliberate slip: a 15-year-old working past 7 p.m. (federal rule).
LATE = "US-FLSA-570.35-a6"


@pytest.fixture
def demo(demo_path: Path):
    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    with db.read_session(factory, SYSTEM) as s:
        actors = {a.role: accounts.actor_for(a) for a in accounts.list_accounts(s, SYSTEM)}
    yield factory, actors
    engine.dispose()


def _late_intern(factory, mentor: Actor) -> tuple[int, int]:
    """(intern id, their age on the late shift) of the demo mentor's intern with it."""
    with db.read_session(factory, SYSTEM) as s:
        intern_id, work_date = s.execute(
            select(Finding.intern_id, Finding.work_date)
            .join(Placement, Placement.id == Finding.placement_id)
            .where(Finding.rule_id == LATE, Placement.mentor_id == mentor.staff_id)
            .limit(1)
        ).one()
        return intern_id, age_on(s.get(Intern, intern_id).birth_date, work_date)


def _verified(factory) -> None:
    hr = Actor(Role.HR_ADMIN, "hr", user_id=1)
    with db.read_session(factory, hr) as s:
        result = audit_verify.verify(s)
    assert result.ok, [p.text for p in result.problems]


def test_a_mentors_recheck_stores_data_and_each_reader_reads_their_own_words(demo) -> None:
    factory, actors = demo
    hr, mentor = actors["hr_admin"], actors["mentor"]
    intern_id, age = _late_intern(factory, mentor)
    with db.unit_of_work(factory, SYSTEM) as s:  # what the mentor's re-check will store anew
        for finding in s.scalars(select(Finding).where(Finding.intern_id == intern_id)):
            s.delete(finding)
    with db.unit_of_work(factory, mentor) as s:
        summary = compliance.check_intern(s, mentor, intern_id, TODAY)
    assert summary.added > 0

    with db.read_session(factory, SYSTEM) as s:
        stored = s.scalars(select(Finding).where(Finding.intern_id == intern_id)).all()
        late = [f for f in stored if f.rule_id == LATE]
        assert late and all(f.template == LATE and f.params[AGE] == age for f in late)
        assert all(f.message is None and f.template for f in stored)
        created = s.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.actor_name == mentor.name, AuditEvent.operation == "check compliance")
        )
        assert created  # the mentor's re-check, audited as theirs

    with db.read_session(factory, hr) as s:
        for_hr = {r.id: r for r in compliance.list_findings(s, hr, intern_id)}
    with db.read_session(factory, mentor) as s:
        for_mentor = {r.id: r for r in compliance.list_findings(s, mentor, intern_id)}
    assert for_hr.keys() == for_mentor.keys() == {f.id for f in stored}
    band = f"{fill('{age}', {AGE: age}, 'V', View.BAND)}-year-old"  # the mentor's words
    assert band == "14–15-year-old"
    for f in late:
        assert f"a {age}-year-old may work only" in for_hr[f.id].message
        assert f"a {band} may work only" in for_mentor[f.id].message
        assert for_mentor[f.id].message == for_hr[f.id].message.replace(f"{age}-year-old", band)
    exact = re.compile(rf"(?<![–\d]){age}-year-old")
    assert not any(exact.search(r.message) for r in for_mentor.values())
    _verified(factory)

    # HR re-checking the same facts finds nothing to change: the rows hold no reader's words.
    with db.read_session(factory, SYSTEM) as s:
        before = {f.id: (f.template, f.params) for f in s.scalars(select(Finding))}
    with db.unit_of_work(factory, hr) as s:
        again = compliance.check_intern(s, hr, intern_id, TODAY)
    assert (again.added, again.removed) == (0, 0)
    with db.read_session(factory, SYSTEM) as s:
        assert {f.id: (f.template, f.params) for f in s.scalars(select(Finding))} == before
    _verified(factory)


def test_a_viewer_reads_exact_ages_as_hr_does(demo) -> None:
    factory, actors = demo
    intern_id, age = _late_intern(factory, actors["mentor"])
    with db.read_session(factory, actors["viewer"]) as s:
        messages = [r.message for r in compliance.list_findings(s, actors["viewer"], intern_id)]
    assert any(f"a {age}-year-old may work only" in m for m in messages)


def test_a_mentors_start_rechecks_only_their_own_interns(demo) -> None:
    """Findings from other pack versions (or stored as text) of interns the mentor
    does not mentor wait for someone who may see them; the mentor's own are redone."""
    factory, actors = demo
    mentor = actors["mentor"]
    own, _age = _late_intern(factory, mentor)
    with db.unit_of_work(factory, SYSTEM) as s:
        for f in s.scalars(select(Finding)):
            f.rule_packs = {**f.rule_packs, "us-federal": "2024.9"}
        mentored = select(Placement.intern_id).where(Placement.mentor_id == mentor.staff_id)
        others = set(s.scalars(select(Finding.intern_id).where(Finding.intern_id.not_in(mentored))))
    assert others
    with db.unit_of_work(factory, mentor) as s:
        swept = {r.intern_id for r in compliance.startup_sweep(s, mentor, TODAY)}
    assert own in swept and not swept & others
    with db.read_session(factory, SYSTEM) as s:
        stale = set(s.scalars(select(Finding.intern_id).where(Finding.stale.is_(True))))
    assert stale == others
    _verified(factory)
