"""The HR compliance binder: names and user text come out exactly and literally, the
stored findings with HR's decisions and the incidents' notifications are in it, every
page has the footer, and only HR may print it."""

from __future__ import annotations

from pathlib import Path

import pytest
from packetkit import (
    HOSTILE,
    INTERNAL,
    MEDICAL,
    TODAY,
    Case,
    no_links_or_files,
    opened,
    page_texts,
    prepare,
    syntax_ok,
    text,
)
from sqlalchemy import select

from internhost.core.errors import PermissionDenied
from internhost.core.models import ChecklistItem, Intern
from internhost.core.services import binders, packets
from internhost.core.storage import db


@pytest.fixture
def case(demo_path: Path):
    with opened(demo_path) as factory:
        yield prepare(factory, demo_path)


def _busiest_intern(case: Case) -> int:
    """An intern with stored findings and decisions (the sample's own)."""
    from internhost.core.models import FindingOverride

    with db.read_session(case.factory, case.hr) as s:
        found = s.scalar(select(FindingOverride.intern_id).limit(1))
    assert found is not None
    return found


def test_names_hostile_text_and_no_internal_notes(case: Case) -> None:
    with db.unit_of_work(case.factory, case.hr) as s:
        item = s.scalars(
            select(ChecklistItem).where(ChecklistItem.placement_id == case.placement_id)
        ).first()
        item.note = "\n".join(HOSTILE)
    with db.read_session(case.factory, case.hr) as s:
        rendered = binders.render_hr_binder(s, case.hr, case.intern_id, None, TODAY)
    body = text(rendered.content)
    joined = "".join(body.split())  # a narrow column wraps the longer lines
    for line in HOSTILE:
        assert "".join(line.split()) in joined, line
    assert "Nguyễn Thị Ánh" in body and "Zoë Łukasiewicz" in body
    assert INTERNAL not in body and MEDICAL not in body
    no_links_or_files(rendered.content)
    syntax_ok(rendered.content)
    pages = page_texts(rendered.content)
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page and "Verification " in page


def test_findings_decisions_and_notifications_are_printed(case: Case) -> None:
    intern = _busiest_intern(case)
    with db.read_session(case.factory, case.hr) as s:
        data = binders.hr_binder_data(s, case.hr, intern, TODAY)
        rendered = binders.render_hr_binder(s, case.hr, intern, None, TODAY)
        name = s.get(Intern, intern).legal_last_name
    body = text(rendered.content)
    assert data.findings and name in body
    decided = [f for f in data.findings if f.decided_by]
    assert decided and decided[0].decided_by in body
    assert "not legal advice" in body
    for incident in data.incidents:
        for notice in incident.notices:
            assert notice.title.split()[0] in body


def test_only_hr_prints_the_binder(case: Case, tmp_path: Path) -> None:
    for actor in (case.mentor, case.viewer):
        with db.read_session(case.factory, actor) as s, pytest.raises(PermissionDenied):
            binders.render_hr_binder(s, actor, case.intern_id, None, TODAY)
    with db.unit_of_work(case.factory, case.hr) as s:
        written = packets.write_packet(
            s, case.hr, case.intern_id, None, tmp_path / "b.pdf", case.path, today=TODAY, kind="hr"
        )
    assert written.pages > 1 and written.placement_id is None
    with db.read_session(case.factory, case.mentor) as s:
        kinds = {p.kind for p in packets.list_packets(s, case.mentor, case.intern_id)}
    assert "hr" not in kinds
