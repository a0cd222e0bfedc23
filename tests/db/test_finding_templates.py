"""Revision 0004: findings stored as text are read back into templates, or kept as
text that only HR reads until a re-check replaces it; the trail explains every step
(the upgrade, the downgrade, the re-check)."""

from __future__ import annotations

import json
import shutil
from contextlib import closing
from datetime import date
from pathlib import Path

import pytest
from proofkit import downgrade
from sqlalchemy import select
from testkeys import TEST_KEY

import internhost.paths
from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.models import Finding
from internhost.core.rules.messages import WITHHELD_TEXT
from internhost.core.services import accounts, compliance
from internhost.core.storage import db, migrate
from internhost.core.trail import audit_verify

TODAY = date(2026, 11, 24)
LATE = "US-FLSA-570.35-a6"  # the sample's 15-year-old past 7 p.m.
HR = Actor(Role.HR_ADMIN, "hr", user_id=1)


def rows(path: Path) -> dict[int, tuple]:
    """Finding id -> (rule, template, params, message), as stored."""
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        columns = {c[1] for c in conn.execute("PRAGMA table_info(findings)")}
        if "template" not in columns:
            found = conn.execute("SELECT id, rule_id, message FROM findings").fetchall()
            return {i: (rule, None, None, message) for i, rule, message in found}
        found = conn.execute("SELECT id, rule_id, template, params, message FROM findings")
        return {
            i: (rule, template, json.loads(params) if params else None, message)
            for i, rule, template, params, message in found
        }


def upgrade_events(path: Path, operation: str) -> set[str]:
    """The record keys the system events of ``operation`` name."""
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        found = conn.execute(
            "SELECT payload FROM audit_events WHERE operation = ? AND actor_kind = 'system'",
            (operation,),
        ).fetchall()
    return {key for (payload,) in found for key in json.loads(payload)}


class Reading:
    """The database as the app reads it: each role's findings, and ``audit verify``."""

    def __init__(self, path: Path) -> None:
        self.engine = db.make_engine(path, TEST_KEY)
        self.factory = db.make_session_factory(self.engine)
        with db.read_session(self.factory, SYSTEM) as s:
            listed = accounts.list_accounts(s, SYSTEM)
        self.actors = {a.role: accounts.actor_for(a) for a in listed}

    def messages(self, role: str) -> dict[int, str]:
        actor = self.actors[role]
        with db.read_session(self.factory, actor) as s:
            interns = set(s.scalars(select(Finding.intern_id)))
            found = {}
            for intern_id in interns:
                try:
                    found |= {
                        r.id: r.message for r in compliance.list_findings(s, actor, intern_id)
                    }
                except compliance.NotFound:  # not the mentor's intern
                    continue
            return found

    def problems(self) -> list[str]:
        with db.read_session(self.factory, HR) as s:
            return [p.text for p in audit_verify.verify(s).problems]

    def close(self) -> None:
        self.engine.dispose()


def read(path: Path) -> Reading:
    return Reading(path)


def test_stored_texts_are_read_back_into_templates_and_the_trail_explains_it(
    demo_path: Path,
) -> None:
    at_head = read(demo_path)
    hr_before, mentor_before = at_head.messages("hr_admin"), at_head.messages("mentor")
    at_head.close()

    downgrade(demo_path, "0003_audit_explains")
    old = rows(demo_path)
    assert old and {i: r[3] for i, r in old.items()} == hr_before  # HR's words, as text
    assert upgrade_events(demo_path, "downgrade 0004: finding texts") == {
        f"findings:{i}" for i in old
    }

    migrate.upgrade_to_head(demo_path, TEST_KEY)

    new = rows(demo_path)
    assert new.keys() == old.keys()
    assert all(r[1] and r[1].startswith(r[0]) and r[3] is None for r in new.values())
    assert any(r[2].get("age") == 15 for r in new.values() if r[0] == LATE)
    assert upgrade_events(demo_path, "upgrade 0004: finding templates") == {
        f"findings:{i}" for i in old
    }
    after = read(demo_path)
    try:
        assert after.messages("hr_admin") == hr_before
        assert after.messages("mentor") == mentor_before
        assert after.problems() == []
        with db.unit_of_work(after.factory, SYSTEM) as s:  # re-checked after the upgrade
            compliance.check_all(s, SYSTEM, TODAY)
        assert after.problems() == []
        assert after.messages("hr_admin") == hr_before
    finally:
        after.close()


def reword_late_shifts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """From here the revision reads packs with the late-shift rule worded otherwise than
    the stored texts (as if a pack had changed its wording since they were stored)."""
    packs = tmp_path / "rules"
    shutil.copytree(internhost.paths.rules_dir(), packs)
    federal = packs / "us-federal.toml"
    text = federal.read_text(encoding="utf-8")
    wording = 'explain = "Worked {when}; a {age}-year-old may work only between'
    assert text.count(wording) == 1
    federal.write_text(text.replace(wording, wording.replace("Worked", "Hours:")), "utf-8")
    monkeypatch.setattr(internhost.paths, "rules_dir", lambda: packs)


def test_text_no_template_gives_back_is_for_hr_only_until_a_recheck(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    downgrade(demo_path, "0003_audit_explains")
    old = rows(demo_path)
    reword_late_shifts(tmp_path, monkeypatch)
    migrate.upgrade_to_head(demo_path, TEST_KEY)

    new = rows(demo_path)
    kept = {i for i, r in new.items() if r[1] is None}
    assert kept == {i for i, r in old.items() if r[0] == LATE} and kept
    assert all(new[i][3] == old[i][3] and "a 15-year-old" in new[i][3] for i in kept)
    assert all(r[1] is not None for i, r in new.items() if i not in kept)
    assert f"findings:{min(kept)}" not in upgrade_events(
        demo_path, "upgrade 0004: finding templates"
    )
    app = read(demo_path)
    try:
        assert app.problems() == []
        for_hr, for_mentor = app.messages("hr_admin"), app.messages("mentor")
        assert all(for_hr[i] == old[i][3] for i in kept)
        mine = kept & for_mentor.keys()  # the demo mentor's own intern's
        assert mine and all(for_mentor[i] == WITHHELD_TEXT for i in mine)

        mentor = app.actors["mentor"]
        with db.unit_of_work(app.factory, mentor) as s:  # the app's start, as the mentor
            compliance.startup_sweep(s, mentor, TODAY)
        rechecked = rows(demo_path)
        late = [rechecked[i] for i in mine]
        assert late and all(r[1] == LATE and r[3] is None for r in late)
        # Interns the mentor does not see wait for a sweep by someone who does.
        assert not any(r[1] is None for i, r in rechecked.items() if i not in kept - mine)
        for_mentor = app.messages("mentor")
        assert any("a 14–15-year-old may work only" in m for m in for_mentor.values())
        assert WITHHELD_TEXT not in for_mentor.values()
        assert app.problems() == []
    finally:
        app.close()
