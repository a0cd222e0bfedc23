"""The incident dialog and the incident lists on the sample: an incident recorded by
keyboard alone from the intern's Incidents tab, then closed by HR; closing refused
while a notice is still to do, with the refusal beside that notice."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from dialogs import in_dialog, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QWidget
from sqlalchemy import select

from internhost.core.actor import SYSTEM
from internhost.core.models import Incident, Intern, Placement, Worksite
from internhost.core.services import accounts
from internhost.core.storage import db
from internhost.gui.database import Database
from internhost.gui.dialogs.incident import IncidentDialog
from internhost.gui.ops import Ops
from internhost.gui.views.incidents import IncidentsView

TODAY = date(2026, 11, 20)  # the sample's today (conftest.SAMPLE_TODAY)


def _an_illinois_intern_under_16(database: Database) -> int:
    """An intern under 16 today with a placement under way in Illinois (employment)."""
    with db.read_session(database.factory, SYSTEM) as s:
        found = s.scalar(
            select(Intern.id)
            .join(Placement, Placement.intern_id == Intern.id)
            .join(Worksite, Worksite.id == Placement.worksite_id)
            .where(
                Worksite.state == "IL",
                Placement.program == "employment",
                Placement.start_date <= TODAY - timedelta(days=7),
                (Placement.end_date.is_(None)) | (Placement.end_date >= TODAY),
                Intern.birth_date > date(TODAY.year - 16, TODAY.month, TODAY.day),
            )
            .order_by(Intern.id)
            .limit(1)
        )
    assert found is not None
    return found


def _stored(database: Database) -> list[Incident]:
    with db.read_session(database.factory, SYSTEM) as s:
        return list(s.scalars(select(Incident).order_by(Incident.id.desc())))


def tab_to(dialog: QDialog, widget: QWidget, qtbot) -> None:
    """Press Tab until ``widget`` has the focus (as a keyboard user does)."""
    for _ in range(40):
        if QApplication.focusWidget() is widget:
            return
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {widget!r}")


@pytest.fixture
def tab(qtbot, ops: Ops, database: Database) -> IncidentsView:
    view = IncidentsView(ops, every_intern=False)
    qtbot.addWidget(view)
    view.resize(1000, 600)
    view.show()
    view.show_intern(_an_illinois_intern_under_16(database))
    settle(view)
    return view


def test_hr_records_an_injury_by_keyboard_then_closes_it(
    qtbot, tab: IncidentsView, database: Database, screenshot
) -> None:
    before = len(_stored(database))

    def by_keyboard(dialog: QDialog, form) -> None:
        assert isinstance(dialog, IncidentDialog)
        settle(dialog)  # which notices apply: asked on the worker
        notices = dialog.notice_forms
        shown = [n.key for n in dialog.choices.notices if n.key in dialog._applies]
        assert shown == ["guardian", "school", "idol"]  # an Illinois under-16's injury
        steps = (
            (form.input("description").editor(), "Slipped on oil by press 4; bruised knee."),
            (form.input("body_part").editor(), "Right knee"),
            (form.input("treatment").editor(), "Ice pack from the first-aid kit."),
            (form.input("told_whom").editor(), "Supervisor Dee Park"),
            (notices["guardian"].input("guardian.done_on").editor(), TODAY.isoformat()),
            (notices["school"].input("school.done_on").editor(), TODAY.isoformat()),
            (notices["idol"].input("idol.not_needed").editor(), "Counsel: bruise, no treatment."),
        )
        for editor, text in steps:
            tab_to(dialog, editor, qtbot)
            qtbot.keyClicks(editor, text)
        screenshot(dialog, "incident-recorded")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Enter saves
        settle(dialog)
        assert not dialog.isVisible(), dialog.findChild(QWidget, "banner").text()

    in_dialog(tab.record, by_keyboard, save=False)
    incidents = _stored(database)
    assert len(incidents) == before + 1
    new = incidents[0]
    assert (new.kind, new.status, new.body_part) == ("injury", "open", "Right knee")
    assert new.guardian_notified_on == TODAY and new.idol_not_needed.startswith("Counsel")
    assert new.treatment == "Ice pack from the first-aid kit."
    settle(tab)
    assert tab.model.rowCount() >= 1 and tab.selected().id == new.id
    settle(tab)  # the detail of the selected incident
    assert "Ice pack" in tab.detail_label.text()
    assert tab.close_button.isEnabled()
    qtbot.mouseClick(tab.close_button, Qt.MouseButton.LeftButton)
    settle(tab)
    assert _stored(database)[0].status == "closed"
    settle(tab)
    assert tab.selected().status == "closed" and tab.reopen_button.isEnabled()
    screenshot(tab, "incidents-tab")


def test_closing_with_a_notice_to_do_is_refused_beside_it_and_keeps_nothing(
    qtbot, tab: IncidentsView, database: Database
) -> None:
    def record(dialog: QDialog, form) -> None:
        settle(dialog)
        form.input("description").set_value("Felt faint on the line; sat down, recovered.")
        form.input("kind").set_value("illness")

    assert in_dialog(tab.record, record).saved
    settle(tab)
    row = tab.selected()
    assert row is not None and len(row.to_do) == 3

    def close(dialog: QDialog, form) -> None:
        settle(dialog)
        form.input("body_part").set_value("None")
        dialog.notice_forms["guardian"].input("guardian.done_on").set_value(TODAY)
        dialog.close_button.click()
        settle(dialog)

    run = in_dialog(lambda: tab.edit(), close, save=False)
    assert "School coordinator told" in run.errors["school.done_on"]
    assert "IDOL" in run.errors["idol.done_on"]
    stored = _stored(database)[0]
    assert stored.status == "open" and stored.guardian_notified_on is None
    assert stored.body_part == ""


@pytest.fixture
def mentor_view(qtbot, demo_path, ops_for, database: Database) -> Iterator[IncidentsView]:
    """The Incidents tab as the sample's mentor sees it, on one of their interns."""
    with db.read_session(database.factory, SYSTEM) as s:
        rows = accounts.list_accounts(s, SYSTEM)
        mentor = accounts.actor_for(next(r for r in rows if r.role == "mentor"))
        intern = s.scalar(
            select(Placement.intern_id)
            .where(
                Placement.mentor_id == mentor.staff_id,
                Placement.start_date <= TODAY - timedelta(days=7),
                (Placement.end_date.is_(None)) | (Placement.end_date >= TODAY),
            )
            .order_by(Placement.intern_id)
            .limit(1)
        )
    handle = Database.open(demo_path, mentor, lambda: TODAY)
    view = IncidentsView(ops_for(handle), every_intern=False)
    qtbot.addWidget(view)
    view.show()
    view.show_intern(intern)
    settle(view)
    yield view
    view.ops.runner.settle()
    handle.close()


def test_a_mentor_writes_treatment_but_never_reads_it_back(
    mentor_view: IncidentsView, database: Database
) -> None:
    view = mentor_view
    assert not view.close_button.isVisible() and view.record_button.isVisible()

    def record(dialog: QDialog, form) -> None:
        settle(dialog)
        assert dialog.close_button is None
        assert not form.input("osha_recordable").isVisibleTo(dialog)
        form.input("description").set_value("Dropped a bin on a toe; steel toe held.")
        form.input("treatment").set_value("Checked by the safety lead; no injury.")
        for key, box in dialog.notice_boxes.items():
            if box.isVisibleTo(dialog):
                dialog.notice_forms[key].input(f"{key}.done_on").set_value(TODAY)

    assert in_dialog(view.record, record).saved
    settle(view)
    settle(view)  # the new row's detail
    assert view.detail is not None and view.detail.treatment is None
    assert "safety lead" not in view.detail_label.text()

    def edit(dialog: QDialog, form) -> None:
        settle(dialog)
        assert form.input("treatment").value() == ""  # nothing read back
        captions = [c.text() for c in dialog.findChildren(QLabel) if c.buddy() is not None]
        assert "Add to treatment" in captions

    in_dialog(view.edit, edit, save=False)
    assert _stored(database)[0].treatment == "Checked by the safety lead; no injury."
