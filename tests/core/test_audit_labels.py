"""The audit trail names records as people do ("Checklist item “Work permit” — Ana
Ruiz"), never ``checklist_items:36``, and a purged entry names no one."""

from __future__ import annotations

import re
from contextlib import closing

from testkeys import TEST_KEY

from internhost.core.actor import Actor, Role
from internhost.core.models import Base
from internhost.core.services.audit_log import list_audit_events
from internhost.core.storage import db
from internhost.core.trail.audit_chain import PURGED_PAYLOAD
from internhost.core.trail.audit_labels import NOUNS, noun, own_name

HR = Actor(Role.HR_ADMIN, "hr", user_id=1)
RAW_KEY = re.compile(r"\b[a-z_]+:\d+\b")


def test_every_table_has_a_noun() -> None:
    audited = {t for t in Base.metadata.tables if t not in ("audit_events", "app_state")}
    assert audited - set(NOUNS) == set()
    assert noun("checklist_items") == "Checklist item" and noun("new_things") == "New things"


def test_own_name_prefers_the_legal_name_then_a_name_then_a_title() -> None:
    assert own_name({"legal_first_name": "Ana", "legal_last_name": "Ruiz", "name": "x"}) == (
        "Ana Ruiz"
    )
    assert own_name({"title": "Work permit", "note": ""}) == "Work permit"
    assert own_name({"status": "open"}) == ""


def _events(path, **filters):
    engine = db.make_engine(path, TEST_KEY)
    try:
        with db.read_session(db.make_session_factory(engine), HR) as s:
            return list_audit_events(s, HR, **filters)
    finally:
        engine.dispose()


def test_the_sample_trail_names_its_records(demo_path) -> None:
    rows = _events(demo_path, limit=1000)
    checklist = _events(demo_path, record="checklist_items", limit=50)
    assert rows and all(not RAW_KEY.search(r.record_label) for r in rows)
    assert all(
        r.record_label.startswith("Checklist — ")
        for r in rows
        if r.aggregate_type == "placement_checklist"
    )
    interns = _events(demo_path, record="interns", limit=1000)
    interns = [r for r in interns if r.aggregate_type == "interns" and r.action == "create"]
    first = interns[-1].changes[f"interns:{interns[-1].aggregate_id}"]["after"]
    name = f"{first['legal_first_name']} {first['legal_last_name']}"
    assert interns[-1].record_label == f"Intern {name}"
    item_labels = [
        label for r in checklist for key, label in r.labels.items() if key.startswith("checklist")
    ]
    assert item_labels and all(label.startswith("Checklist item “") for label in item_labels)
    assert all(" — " in label for label in item_labels)  # whose checklist it is


def test_a_purged_entry_names_no_one(demo_path) -> None:
    newest = _events(demo_path, record="interns", limit=1)[0]
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        conn.execute(
            "UPDATE audit_events SET payload = ? WHERE seq = ?", (PURGED_PAYLOAD, newest.seq)
        )
        conn.commit()
    purged = _events(demo_path, record="interns", limit=1)[0]
    assert purged.seq == newest.seq and purged.purged
    assert purged.record_label == "Intern (purged)" and purged.labels == {}
