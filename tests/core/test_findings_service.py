"""Every stored finding across interns, and HR's decisions on them: filters, the
decisions table applied (a verified hazardous order is never overridden), the last
decision winning, revokes, and decisions that outlive re-checks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor
from internhost.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from internhost.core.models import AuditEvent, Finding, FindingOverride, Intern
from internhost.core.rules.decisions import decision_for
from internhost.core.services import accounts, compliance, dashboard, findings
from internhost.core.services.findings import FindingFilter
from internhost.core.storage import db
from internhost.core.trail import audit_verify

TODAY = date(2026, 11, 24)
HAZARD = "US-FLSA-HO7"  # the sample's forklift slip (a verified hazardous order)
LATE = "US-FLSA-570.35-a6"  # the sample's 15-year-old past 7 p.m.
NOTICE = "US-IL-206-55-notice-hours"  # a warning


@pytest.fixture
def demo(demo_path: Path):
    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    with db.read_session(factory, SYSTEM) as s:
        actors = {a.role: accounts.actor_for(a) for a in accounts.list_accounts(s, SYSTEM)}
    yield factory, actors
    engine.dispose()


def _ids(factory, actor: Actor = SYSTEM, **filters) -> list[int]:
    with db.read_session(factory, actor) as s:
        return findings.list_finding_ids(s, actor, FindingFilter(**filters))


def _rows(factory, actor: Actor = SYSTEM, **filters):
    with db.read_session(factory, actor) as s:
        ids = findings.list_finding_ids(s, actor, FindingFilter(**filters))
        return findings.finding_rows(s, actor, ids)


def _one(factory, rule: str, source: str):
    rows = _rows(factory, rule=rule, source=source)
    assert rows, (rule, source)
    return rows[0]


def _write(factory, actor: Actor, service, *args):
    with db.unit_of_work(factory, actor) as s:
        return service(s, actor, *args)


def _events(factory) -> int:
    with db.read_session(factory, SYSTEM) as s:
        return s.scalar(select(func.count(AuditEvent.seq)))


def test_the_list_filters_and_orders_in_sql(demo) -> None:
    factory, _ = demo
    every = _rows(factory)
    with db.read_session(factory, SYSTEM) as s:
        assert len(every) == s.scalar(select(func.count(Finding.id)))
    ranks = [("violation", "warning", "advisory").index(r.severity) for r in every]
    assert ranks == sorted(ranks)  # gravest first
    assert {r.severity for r in _rows(factory, severity="warning")} == {"warning"}
    assert {r.source for r in _rows(factory, source="logged")} == {"logged hours"}
    assert {r.source for r in _rows(factory, source="plan")} == {"planned shift"}
    assert {r.source for r in _rows(factory, source="placement")} == {"placement"}
    assert {r.rule for r in _rows(factory, rule=HAZARD)} == {HAZARD}
    hazard = _one(factory, HAZARD, "plan")
    assert hazard.intern_name and hazard.worksite and hazard.intern_id
    # Search by the intern's name, accents ignored; by worksite; by intern.
    last = hazard.intern_name.split(",")[0]
    folded = last.replace("ễ", "e").lower()
    assert {r.intern_id for r in _rows(factory, search=folded)} == {hazard.intern_id}
    with db.read_session(factory, SYSTEM) as s:
        site = s.get(Intern, hazard.intern_id).placements[0].worksite_id
    assert {r.worksite for r in _rows(factory, worksite_id=site)} == {hazard.worksite}
    assert {r.intern_id for r in _rows(factory, intern_id=hazard.intern_id)} == {hazard.intern_id}
    # The sample's HR acknowledged one finding of logged hours and overrode another.
    decided = _rows(factory, statuses=("acknowledged", "overridden"))
    assert sorted(r.status for r in decided) == ["acknowledged", "overridden"]
    assert len(_rows(factory, statuses=("open",))) == len(every) - 2


def test_bad_filters_name_their_field(demo) -> None:
    factory, _ = demo
    cases = {
        "severity": {"severity": "grave"},
        "source": {"source": "dreamed"},
        "statuses": {"statuses": ("closed",)},
        "worksite_id": {"worksite_id": 10**6},
        "search": {"search": "x" * 201},
    }
    for field, bad in cases.items():
        with pytest.raises(ValidationError) as caught:
            _ids(factory, **bad)
        assert [e.field for e in caught.value.errors] == [field]
    with db.read_session(factory, SYSTEM) as s, pytest.raises(ValidationError, match="sort"):
        findings.list_finding_ids(s, SYSTEM, sort="colour")


def test_acknowledging_a_warning_records_who_when_and_why_and_outlives_a_recheck(demo) -> None:
    factory, actors = demo
    hr = actors["hr_admin"]
    warning = _one(factory, NOTICE, "plan")
    assert warning.status == "open" and warning.actions == ("acknowledge",)
    before = _events(factory)
    row = _write(
        factory, hr, findings.decide_finding, warning.id, "acknowledge", "  Notice sent.  "
    )
    assert (row.status, row.decision, row.decision_reason) == (
        "acknowledged",
        "acknowledge",
        "Notice sent.",
    )
    assert row.decided_by and row.decided_at is not None
    assert "revoke" in row.actions
    assert _events(factory) > before  # audited
    _write(factory, SYSTEM, compliance.check_intern, warning.intern_id, TODAY)
    with db.read_session(factory, hr) as s:
        tab = compliance.list_findings(s, hr, warning.intern_id)
    again = next(r for r in tab if r.id == warning.id)
    assert (again.status, again.decided_by) == ("acknowledged", row.decided_by)
    assert warning.id in _ids(factory, statuses=("acknowledged",))
    with db.read_session(factory, hr) as s:
        assert audit_verify.verify(s).ok


def test_the_override_is_refused_for_a_verified_hazardous_order(demo) -> None:
    factory, actors = demo
    hazard = _one(factory, HAZARD, "plan")
    assert hazard.verification == "V" and hazard.actions == ()
    advice = decision_for("hazardous_order", "violation", "V").advice
    assert hazard.advice == advice
    before = _events(factory)
    with db.read_session(factory, SYSTEM) as s:
        decisions = s.scalar(select(func.count(FindingOverride.id)))  # the sample's
    for kind in ("override", "acknowledge"):
        with pytest.raises(ValidationError) as caught:
            _write(
                factory,
                actors["hr_admin"],
                findings.decide_finding,
                hazard.id,
                kind,
                "Supervisor said so.",
            )
        assert [(e.field, e.message) for e in caught.value.errors] == [("kind", advice)]
    assert _events(factory) == before
    with db.read_session(factory, SYSTEM) as s:
        assert s.scalar(select(func.count(FindingOverride.id))) == decisions
    # The same slip in logged hours happened: HR acknowledges what was done about it.
    logged = _one(factory, HAZARD, "logged")
    assert logged.actions == ("acknowledge",)
    row = _write(
        factory,
        actors["hr_admin"],
        findings.decide_finding,
        logged.id,
        "acknowledge",
        "Retrained; the forklift is locked out for interns.",
    )
    assert row.status == "acknowledged"


def test_the_last_decision_wins_and_a_revoke_opens_it_again(demo) -> None:
    factory, actors = demo
    hr = actors["hr_admin"]
    late = _one(factory, LATE, "logged")
    counted = _write(factory, SYSTEM, dashboard.dashboard, TODAY).findings["violation"]
    overridden = _write(factory, hr, findings.decide_finding, late.id, "override", "Left at 7.")
    assert overridden.status == "overridden" and overridden.decision == "override"
    assert _write(factory, SYSTEM, dashboard.dashboard, TODAY).findings["violation"] == counted - 1
    acknowledged = _write(
        factory, hr, findings.decide_finding, late.id, "acknowledge", "Talked to the supervisor."
    )
    assert acknowledged.status == "acknowledged"
    assert acknowledged.decision_reason == "Talked to the supervisor."
    with db.read_session(factory, SYSTEM) as s:
        live = s.scalars(
            select(FindingOverride.kind).where(
                FindingOverride.revoked_at.is_(None),
                FindingOverride.intern_id == late.intern_id,
                FindingOverride.rule_id == LATE,
            )
        ).all()
    assert live == ["acknowledge"]  # the override was superseded
    assert _write(factory, SYSTEM, dashboard.dashboard, TODAY).findings["violation"] == counted
    revoked = _write(factory, hr, findings.revoke_decision, late.id)
    assert (revoked.status, revoked.decision) == ("revoked", None)
    assert "revoke" not in revoked.actions and "override" in revoked.actions
    assert late.id in _ids(factory, statuses=("revoked",))
    with pytest.raises(Conflict):
        _write(factory, hr, findings.revoke_decision, late.id)


def test_a_planned_violation_is_overridden_not_acknowledged_and_needs_a_reason(demo) -> None:
    factory, actors = demo
    hr = actors["hr_admin"]
    planned = _one(factory, LATE, "plan")
    assert planned.actions == ("override",)
    with pytest.raises(ValidationError) as caught:
        _write(factory, hr, findings.decide_finding, planned.id, "acknowledge", "Seen.")
    assert [e.field for e in caught.value.errors] == ["kind"]
    with pytest.raises(ValidationError) as caught:
        _write(factory, hr, findings.decide_finding, planned.id, "override", " \n ")
    assert [(e.field, e.message) for e in caught.value.errors] == [("reason", "is required")]
    with pytest.raises(NotFound):
        _write(factory, hr, findings.decide_finding, 10**9, "override", "x")


def test_a_mentor_reads_their_interns_findings_in_bands_and_decides_nothing(demo) -> None:
    factory, actors = demo
    mentor = actors["mentor"]
    mine = _rows(factory, mentor)
    everyone = _rows(factory)
    assert mine and len(mine) < len(everyone)
    with db.read_session(factory, SYSTEM) as s:
        own = set(
            s.scalars(
                select(Intern.id).where(
                    Intern.placements.any(mentor_id=mentor.staff_id)  # type: ignore[arg-type]
                )
            )
        )
    assert {r.intern_id for r in mine} <= own
    assert all(r.actions == () for r in mine)
    assert not any("-year-old" in r.message and "–" not in r.message for r in mine)
    with pytest.raises(PermissionDenied):
        _write(factory, mentor, findings.decide_finding, mine[0].id, "acknowledge", "ok")
    stranger = next(r for r in everyone if r.intern_id not in own)
    with db.read_session(factory, mentor) as s:
        assert findings.finding_rows(s, mentor, [stranger.id]) == []
