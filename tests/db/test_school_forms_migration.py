"""Revision 0007 (schools' own forms): the upgrade adds the two tables; the downgrade
records every registered form and mapped field it drops (the PDF as its HMAC, as the
audit hooks record it), so ``audit verify`` finds every row explained after a round
trip, and the forms written after it too."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

from formkit import school_form
from proofkit import downgrade, verify_trail
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.services import directory, school_forms
from internhost.core.storage import db, migrate

DOWNGRADE = "downgrade 0007: no school forms"


def _register(path: Path) -> int:
    engine = db.make_engine(path, TEST_KEY)
    try:
        factory = db.make_session_factory(engine)
        with db.unit_of_work(factory, SYSTEM) as s:
            school = directory.list_schools(s, SYSTEM)[0].id
            data = school_forms.SchoolFormInput(school, "WBL form", "wbl.pdf", school_form())
            form = school_forms.register_form(s, SYSTEM, data).form.id
            school_forms.save_mapping(
                s, SYSTEM, form, {"student_name": "intern.legal_name", "grade": "intern.grade"}
            )
            return form
    finally:
        engine.dispose()


def tables(path: Path) -> set[str]:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def test_a_round_trip_records_what_it_drops_and_the_trail_verifies(demo_path: Path) -> None:
    form = _register(demo_path)
    assert verify_trail(demo_path, TEST_KEY).ok

    downgrade(demo_path, "0006_mentorship")

    assert not {"school_forms", "school_form_fields"} & tables(demo_path)
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        payloads = conn.execute(
            "SELECT payload FROM audit_events WHERE operation = ?", (DOWNGRADE,)
        ).fetchall()
    recorded = {k: v for (p,) in payloads for k, v in json.loads(p).items()}
    kept = recorded[f"school_forms:{form}"]
    assert kept["after"] is None and kept["before"]["name"] == "WBL form"
    assert kept["before"]["content"].startswith("hmac:")  # never the PDF itself
    assert sum(k.startswith("school_form_fields:") for k in recorded) == 2

    # (The app's verifier reads the head schema: verified once back at head.)
    migrate.upgrade_to_head(demo_path, TEST_KEY)
    assert {"school_forms", "school_form_fields"} <= tables(demo_path)
    _register(demo_path)
    report = verify_trail(demo_path, TEST_KEY)
    assert report.ok, report.lines()
