"""The app's printing jobs (``gui/printing.py``, Qt-free): which forms a role may have
pre-filled, a preview saved as shown (a packet recorded, the database refused), and a
batch of chosen interns that reports the one it could not print."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from packetkit import actors, syntax_ok
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import PermissionDenied, ValidationError
from internhost.core.models import PacketExport
from internhost.core.storage import db
from internhost.gui import printing
from internhost.gui.database import Database

TODAY = date(2026, 11, 20)


@pytest.fixture
def opened(demo_path: Path) -> Iterator[tuple[Database, dict[str, Actor]]]:
    handle = Database.open(demo_path, SYSTEM, lambda: TODAY, key=TEST_KEY)
    with db.read_session(handle.factory, SYSTEM) as s:
        who = actors(s)
    try:
        yield handle, who
    finally:
        handle.close()


def _as(handle: Database, actor: Actor) -> Database:
    """The open file, used by ``actor`` (as the app does once they logged in)."""
    as_actor = Database(handle.path, handle.engine, handle.factory, actor, handle.clock)
    as_actor.key = handle.key
    return as_actor


def _records(handle: Database) -> int:
    with db.read_session(handle.factory, SYSTEM) as s:
        return s.scalar(select(func.count(PacketExport.id))) or 0


def test_a_role_gets_pre_filled_only_the_forms_showing_what_it_may_see() -> None:
    mentor = {c.info.name: c for c in printing.form_choices(Actor(Role.MENTOR, "M", 2, 1))}
    hr = printing.form_choices(Actor(Role.HR_ADMIN, "H", 1))
    assert len(mentor) == len(hr) == 9 and all(c.prefill and not c.why for c in hr)
    assert not mentor["parental-consent"].prefill
    assert "birth dates" in mentor["student-learner-agreement"].why
    assert mentor["completion-certificate"].prefill and mentor["timesheet"].prefill
    assert {n for n, c in mentor.items() if c.prefill} == {
        c.info.name for c in hr if c.info.mentor_may_fill
    }


def test_a_previewed_packet_is_saved_as_shown_and_recorded(
    opened: tuple[Database, dict[str, Actor]], tmp_path: Path
) -> None:
    handle, who = opened
    hr = _as(handle, who["hr"])
    from internhost.core.services import packets

    target = hr.read(packets.packet_targets, every=True)[0]
    preview = printing.render_packet(hr, printing.SCHOOL, target.intern_id, None)
    assert preview.pages > 0 and preview.note.startswith("Verification ")
    with pytest.raises(ValidationError, match="choose another file"):
        printing.save_preview(hr, preview, hr.path)
    assert _records(hr) == 0
    saved = printing.save_preview(hr, preview, tmp_path / "p.pdf")
    assert saved.path.read_bytes() == preview.content and saved.written is not None
    assert _records(hr) == 1
    form = printing.render_form(hr, "parental-consent", target.intern_id)
    syntax_ok(form.content)
    assert form.file_name == f"parental-consent-{target.intern_id}.pdf" and form.pages > 0
    assert printing.save_preview(hr, form, tmp_path / "f.pdf").written is None
    assert _records(hr) == 1  # a form is not a packet: nothing recorded


def test_binders_for_chosen_interns_report_one_not_found_and_write_the_rest(
    opened: tuple[Database, dict[str, Actor]], tmp_path: Path
) -> None:
    from internhost.core.services import packets

    handle, who = opened
    hr = _as(handle, who["hr"])
    chosen = list(dict.fromkeys(t.intern_id for t in hr.read(packets.packet_targets, every=True)))[
        :2
    ]
    request = printing.BatchRequest(
        tmp_path / "out", kind=printing.HR, intern_ids=(*chosen, 999_999)
    )
    with pytest.raises(PermissionDenied):
        printing.run_batch(_as(handle, who["viewer"]), request)
    with pytest.raises(ValidationError):
        printing.run_batch(hr, printing.BatchRequest(hr.path, kind=printing.HR, intern_ids=(1,)))
    outcome = printing.run_batch(hr, request)
    assert not outcome.in_workers and len(outcome.written) == 2
    assert outcome.counts() == "2 written, 0 kept, 1 failed."
    (line,) = outcome.failure_lines()
    assert line.startswith("Intern 999999: ") and "999999" in line
    again = printing.run_batch(hr, request)
    assert again.counts() == "0 written, 2 kept, 1 failed."


def test_cancel_stops_a_batch_between_packets_keeping_those_written(
    opened: tuple[Database, dict[str, Actor]], tmp_path: Path
) -> None:
    from internhost.core.progress import Cancelled, Progress
    from internhost.core.services import packets

    handle, who = opened
    hr = _as(handle, who["hr"])
    chosen = tuple(dict.fromkeys(t.intern_id for t in hr.read(packets.packet_targets, every=True)))
    steps: list[int] = []
    stop_after_one = Progress(lambda done, _total, _text: steps.append(done), lambda: bool(steps))
    request = printing.BatchRequest(tmp_path / "out", intern_ids=chosen[:3])
    with pytest.raises(Cancelled):
        printing.run_batch(hr, request, progress=stop_after_one)
    assert len(list((tmp_path / "out").glob("*.pdf"))) == _records(hr) == 1
