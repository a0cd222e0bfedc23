"""The intern editor (details and contacts in one unit of work, HR-only medical notes,
released school records) and the interns screen's toolbar, against the sample."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import interns_kit
import pytest
from dialogs import Calls, in_dialog, saved
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget
from sqlalchemy import func, select

from internhost.core.actor import ROLE_PERMISSIONS, SYSTEM, Actor, Permission, Role
from internhost.core.models import AuditEvent
from internhost.core.services import directory, intern_records, interns, placements
from internhost.gui.database import Database
from internhost.gui.dialogs.intern_editor import InternEditor, edit_intern
from internhost.gui.ops import Ops
from internhost.gui.views.interns import InternsView

#: The editor and the interns screen are proved inside the record dialog's modal loop too.

SAMPLE_TODAY = date(2026, 11, 20)
LEFT = Qt.MouseButton.LeftButton
HR = Actor(Role.HR_ADMIN, "hr")
VIEWER = Actor(Role.VIEWER, "v")


def open_db(path: Path, actor: Actor = SYSTEM) -> Database:
    return Database.open(path, actor, lambda: SAMPLE_TODAY)


@pytest.fixture
def hr(demo_path: Path) -> Iterator[Database]:
    handle = open_db(demo_path, HR)
    yield handle
    handle.close()


@pytest.fixture
def hr_ops(ops_for, hr: Database) -> Ops:
    return ops_for(hr)


@pytest.fixture
def screen(qtbot, ops: Ops) -> InternsView:
    view = InternsView(ops)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    assert ops.runner.settle() and view.model.is_loaded
    return view


def settle(screen: InternsView) -> None:
    """Wait for the answers the screen asked for (after a click, a save)."""
    assert screen.ops.runner.settle()


def audit_events(database: Database, after: int = 0) -> list[AuditEvent]:
    return database.read(
        lambda s, _a: list(
            s.scalars(select(AuditEvent).where(AuditEvent.seq > after).order_by(AuditEvent.seq))
        )
    )


def last_seq(database: Database) -> int:
    return database.read(lambda s, _a: s.scalar(select(func.max(AuditEvent.seq)))) or 0


def intern_ids(database: Database) -> list[int]:
    return database.read(interns.list_intern_ids)


def school_id(database: Database, name: str) -> int:
    return next(s.id for s in database.read(directory.list_schools) if s.name == name)


def select_intern(screen: InternsView, last_name: str) -> int:
    """Select the intern in the list, and wait for their detail."""
    model = screen.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).name.startswith(last_name))
    screen.table.selectRow(row)
    settle(screen)
    assert screen.detail.current.id == model.intern_id(row)
    return model.intern_id(row)


@pytest.fixture
def elgin(database: Database) -> int:
    """Elgin High School's id, read before any dialog opens: a read inside a dialog's
    modal loop has app code on the stack, and the guard refuses it."""
    return school_id(database, "Elgin High School")


# -- creating ----------------------------------------------------------------------------


def test_new_intern_with_two_contacts_is_one_audited_unit_of_work(
    qtbot, screen: InternsView, database: Database, elgin: int, screenshot
) -> None:
    seq, before = last_seq(database), len(intern_ids(database))

    def fill(editor, _form) -> None:
        assert isinstance(editor, InternEditor) and editor.windowTitle() == "New intern"
        tabs = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
        assert tabs == ["Details", "Guardians and contacts"]  # notes come once it exists
        assert editor.contacts.input("contacts").table.rowCount() == 1  # a guardian to fill
        interns_kit.fill_details(editor, elgin)
        screenshot(editor, "intern-editor-details")
        editor.contacts.input("contacts").set_value(interns_kit.CONTACTS)
        editor.tabs.setCurrentIndex(1)
        screenshot(editor, "intern-editor-contacts")

    saved(lambda: qtbot.mouseClick(screen.new_button, LEFT), fill)
    settle(screen)
    assert len(intern_ids(database)) == before + 1
    new_id = screen.selected_intern_id()
    assert new_id is not None and screen.detail.current.id == new_id
    assert screen.detail.current.display_name == "Mariana Pérez-Lindqvist"
    stored = database.read(intern_records.contact_inputs, new_id)
    assert (
        tuple(
            (c.kind, c.name, c.relationship, c.phone, c.email, c.may_authorize_treatment)
            for c in stored
        )
        == interns_kit.CONTACTS
    )

    events = audit_events(database, seq)
    assert [(e.aggregate_type, e.aggregate_id, e.action) for e in events] == [
        ("interns", new_id, "create")
    ]
    records = json.loads(events[0].payload)
    assert f"interns:{new_id}" in records
    assert sum(key.startswith("intern_contacts:") for key in records) == 2


@pytest.mark.parametrize("confirmed", [True, False])
def test_the_confirmed_box_is_saved_on_create(
    qtbot, screen: InternsView, database: Database, elgin: int, confirmed: bool
) -> None:
    u46 = next(d.id for d in database.read(directory.list_districts) if "U-46" in d.name)

    def fill(editor, _form) -> None:
        interns_kit.fill_details(editor, elgin)
        editor.details.input("residence_district_id").set_value(u46)
        editor.details.input("residence_district_confirmed").set_value(confirmed)
        editor.contacts.input("contacts").set_value(interns_kit.CONTACTS)

    saved(lambda: qtbot.mouseClick(screen.new_button, LEFT), fill)
    settle(screen)
    detail = screen.detail.current
    assert detail.display_name == "Mariana Pérez-Lindqvist"
    assert detail.residence_district_confirmed is confirmed


def test_a_bad_contact_email_keeps_the_dialog_open_and_writes_nothing(
    qtbot, screen: InternsView, database: Database, elgin: int
) -> None:
    seq, before = last_seq(database), len(intern_ids(database))

    def fill(editor, _form) -> None:
        interns_kit.fill_details(editor, elgin)
        bad = (interns_kit.CONTACTS[0], (*interns_kit.CONTACTS[1][:4], "luis@", False))
        editor.contacts.input("contacts").set_value(bad)

    run = in_dialog(screen.new_record, fill)
    assert not run.saved
    assert run.errors == {"contacts": "Row 2, email: 'luis@' is not an e-mail address"}
    assert run.dialog.tabs.currentIndex() == 1  # the tab with the error is shown
    assert len(intern_ids(database)) == before  # the intern was rolled back with them
    assert audit_events(database, seq) == []


def test_a_contact_error_below_a_blank_row_names_and_tints_the_row_the_user_sees(
    qtbot, screen: InternsView, database: Database, elgin: int
) -> None:
    """value() skips the blank row, so the service's contacts[1] is table row 3."""
    before = len(intern_ids(database))

    def fill(editor, _form) -> None:
        interns_kit.fill_details(editor, elgin)
        editor.contacts.input("contacts").set_value(
            (
                interns_kit.CONTACTS[0],
                ("emergency",),
                (*interns_kit.CONTACTS[1][:4], "luis@", False),
            )
        )

    run = in_dialog(screen.new_record, fill)
    assert not run.saved
    assert run.errors == {"contacts": "Row 3, email: 'luis@' is not an e-mail address"}
    table = run.dialog.contacts.input("contacts").table
    tinted = {
        row
        for row in range(table.rowCount())
        if table.item(row, 1).background().style() != Qt.BrushStyle.NoBrush
    }
    assert tinted == {2}
    assert len(intern_ids(database)) == before


def test_missing_details_show_on_the_details_tab(qtbot, screen: InternsView) -> None:
    def fill(editor, _form) -> None:
        editor.tabs.setCurrentIndex(1)
        editor.details.input("legal_first_name").set_value("Mariana")
        editor.details.input("grade").set_value(14)

    run = in_dialog(screen.new_record, fill)
    assert run.errors == {
        "legal_last_name": "Is required",
        "birth_date": "Is required",
        "grade": "Must be between 1 and 12",
    }
    assert run.dialog.tabs.currentIndex() == 0


# -- editing -----------------------------------------------------------------------------


def test_editing_an_intern_keeps_their_contacts_and_an_unchanged_save_writes_nothing(
    qtbot, screen: InternsView, database: Database
) -> None:
    intern_id = select_intern(screen, "Okafor")
    stored = database.read(intern_records.intern_input, intern_id)
    contacts = database.read(intern_records.contact_inputs, intern_id)
    seq = last_seq(database)

    def look(editor, _form) -> None:
        assert editor.windowTitle() == "Edit intern"
        assert editor.details.input("legal_last_name").value() == "Okafor"
        assert editor.details.input("birth_date").value() == stored.birth_date
        assert len(editor.contacts.input("contacts").value()) == len(contacts)

    saved(lambda: qtbot.mouseClick(screen.edit_button, LEFT), look)
    assert audit_events(database, seq) == []

    saved(
        screen.edit_selected,
        lambda editor, _f: editor.details.input("preferred_name").set_value("Benji"),
    )
    assert stored.preferred_name == "Ben"
    assert database.read(intern_records.intern_input, intern_id).preferred_name == "Benji"
    assert database.read(intern_records.contact_inputs, intern_id) == contacts
    settle(screen)
    assert screen.detail.current.display_name == "Benji Okafor"
    assert [(e.aggregate_type, e.aggregate_id) for e in audit_events(database, seq)] == [
        ("interns", intern_id)
    ]


def test_the_editors_audit_event_names_what_the_user_did(
    qtbot, screen: InternsView, database: Database, elgin: int
) -> None:
    def fill(editor, _form) -> None:
        interns_kit.fill_details(editor, elgin)
        editor.contacts.input("contacts").set_value(interns_kit.CONTACTS)

    seq = last_seq(database)
    saved(screen.new_record, fill)
    created = audit_events(database, seq)
    settle(screen)
    select_intern(screen, "Okafor")
    seq = last_seq(database)
    saved(
        screen.edit_selected,
        lambda editor, _f: editor.details.input("preferred_name").set_value("Benji"),
    )
    edited = audit_events(database, seq)
    assert [e.operation for e in created] == ["create intern"]
    assert [e.operation for e in edited] == ["update intern"]


def test_editing_an_intern_of_an_archived_school_keeps_their_school(
    qtbot, screen: InternsView, database: Database
) -> None:
    intern_id = select_intern(screen, "Okafor")
    stored = database.read(intern_records.intern_input, intern_id)
    database.write(directory.archive, "school", stored.school_id, today=SAMPLE_TODAY)

    school = next(s for s in database.read(directory.list_schools) if s.id == stored.school_id)
    seq = last_seq(database)

    def look(editor, _form) -> None:
        picker = editor.details.input("school_id")
        assert picker.value() == stored.school_id
        assert picker.editor().currentText() == f"{school.name} (archived)"

    saved(screen.edit_selected, look)  # Save pressed without changes
    assert database.read(intern_records.intern_input, intern_id) == stored
    assert audit_events(database, seq) == []


# -- who sees what -----------------------------------------------------------------------


def test_hr_sees_every_tab(qtbot, hr_ops: Ops) -> None:
    editor = interns_kit.intern_editor(hr_ops, intern_ids(hr_ops.database)[0])
    qtbot.addWidget(editor)
    tabs = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
    assert tabs == ["Details", "Guardians and contacts", "Medical notes", "Released school records"]


def test_a_viewer_sees_no_medical_notes(
    qtbot, demo_path: Path, ops_for, monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer = open_db(demo_path, VIEWER)
    try:
        ops = ops_for(viewer)
        intern_id = intern_ids(viewer)[0]
        warnings = Calls()
        monkeypatch.setattr(QMessageBox, "warning", warnings)
        owner = QWidget()
        qtbot.addWidget(owner)
        edit_intern(owner, ops, intern_id)
        assert ops.runner.settle()
        # A viewer may not open the editor at all: they are told, and nothing opens.
        assert warnings.calls == [("Edit intern", "A viewer may not create or edit records")]
        assert not isinstance(QApplication.activeModalWidget(), InternEditor)
        # A role that may edit records but not see medical notes gets no such tab.
        editing = ROLE_PERMISSIONS[Role.VIEWER] | {Permission.EDIT_RECORDS}
        monkeypatch.setitem(ROLE_PERMISSIONS, Role.VIEWER, editing)
        editor = interns_kit.intern_editor(ops, intern_id)
        qtbot.addWidget(editor)
        tabs = [editor.tabs.tabText(i) for i in range(editor.tabs.count())]
        assert "Medical notes" not in tabs and editor.medical is None
        assert tabs == ["Details", "Guardians and contacts", "Released school records"]
    finally:
        viewer.close()


def test_hr_adds_and_deletes_a_medical_note(
    qtbot, hr_ops: Ops, monkeypatch: pytest.MonkeyPatch
) -> None:
    hr = hr_ops.database
    intern_id = intern_ids(hr)[0]
    editor = interns_kit.intern_editor(hr_ops, intern_id)
    qtbot.addWidget(editor)
    editor.show()
    tab = editor.medical
    editor.tabs.setCurrentWidget(tab)
    assert tab.list.count() == 0

    tab.add()  # an empty note
    assert hr_ops.runner.settle()
    assert not tab.error.isHidden() and "is required" in tab.error.text()
    seq = last_seq(hr)
    body = "Peanut allergy: EpiPen in the first-aid kit by the break room."
    tab.text.setPlainText(body)
    tab.add()
    assert not tab.add_button.isEnabled()  # on its way: a second click adds nothing
    assert hr_ops.runner.settle()
    assert tab.error.isHidden() and tab.text.toPlainText() == ""
    assert tab.list.count() == 1 and tab.list.item(0).text().startswith(body)
    assert [n.body for n in hr.read(intern_records.list_medical_notes, intern_id)] == [body]
    assert [(e.aggregate_type, e.aggregate_id) for e in audit_events(hr, seq)] == [
        ("interns", intern_id)
    ]

    answers = Calls(QMessageBox.StandardButton.No)
    monkeypatch.setattr(QMessageBox, "question", answers)
    tab.list.setCurrentRow(0)
    tab.delete()  # "No": kept
    assert hr_ops.runner.settle()
    assert tab.list.count() == 1 and answers.texts == ["Delete this medical note?"]
    answers.answer = QMessageBox.StandardButton.Yes
    tab.delete()
    assert hr_ops.runner.settle()
    assert tab.list.count() == 0
    assert hr.read(intern_records.list_medical_notes, intern_id) == []
    editor.reject()


def test_hr_records_a_released_school_record(qtbot, hr_ops: Ops, qtmodeltester) -> None:
    hr = hr_ops.database
    intern_id = intern_ids(hr)[0]
    editor = interns_kit.intern_editor(hr_ops, intern_id)
    qtbot.addWidget(editor)
    editor.show()
    tab = editor.releases
    qtmodeltester.check(tab.model)
    assert tab.model.rowCount() == 0

    def unsigned(dialog, form) -> None:
        assert dialog.windowTitle() == "Released school record"
        form.input("record_type").set_value("IEP accommodations")
        form.input("released_on").set_value(date(2026, 9, 2))
        form.input("consent_basis").set_value(intern_records.WRITTEN_CONSENT)

    run = in_dialog(lambda: tab.edit(new=True), unsigned)
    assert run.errors == {
        "consent_signed_by": "Is required for written consent (34 CFR 99.30)",
    }

    def signed(_dialog, form) -> None:
        unsigned(_dialog, form)
        form.input("consent_signed_by").set_value("Ana Pérez (mother)")
        form.input("redisclosure_notice_received").set_value(True)

    saved(lambda: tab.edit(new=True), signed)
    assert hr_ops.runner.settle()
    assert tab.model.rowCount() == 1
    row = tab.model.row_at(0)
    assert (row.record_type, row.consent_signed_by, row.redisclosure_notice_received) == (
        "IEP accommodations",
        "Ana Pérez (mother)",
        True,
    )
    assert [r.id for r in hr.read(intern_records.list_releases, intern_id)] == [row.id]
    editor.reject()


# -- the interns screen's toolbar --------------------------------------------------------


def test_toolbar_buttons_follow_the_selection(qtbot, screen: InternsView, qtmodeltester) -> None:
    qtmodeltester.check(screen.model)
    assert screen.new_button.isVisible() and screen.new_button.isEnabled()
    for button in (screen.edit_button, screen.placement_button, screen.archive_button):
        assert button.isVisible() and not button.isEnabled(), button.text()
    assert screen.import_action.isVisible() and screen.term_action.isVisible()
    assert screen.export_action.isVisible()
    select_intern(screen, "Okafor")
    for button in (screen.edit_button, screen.placement_button, screen.archive_button):
        assert button.isEnabled(), button.text()
    assert screen.archive_button.text() == "Archive"
    screen.table.clearSelection()
    assert not screen.edit_button.isEnabled()


def test_a_viewer_sees_no_new_or_edit_buttons(qtbot, demo_path: Path, ops_for) -> None:
    viewer = open_db(demo_path, VIEWER)
    try:
        view = InternsView(ops_for(viewer))
        qtbot.addWidget(view)
        view.show()
        settle(view)
        for button in (
            view.new_button,
            view.edit_button,
            view.placement_button,
            view.archive_button,
        ):
            assert not button.isVisibleTo(view), button.text()
        assert not view.import_action.isVisible() and not view.term_action.isVisible()
        assert view.export_action.isVisible()
        assert view.model.rowCount() == 24
    finally:
        viewer.close()


def test_archive_then_restore_an_intern(
    qtbot, screen: InternsView, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    info = Calls()
    monkeypatch.setattr(QMessageBox, "information", info)
    monkeypatch.setattr(QMessageBox, "warning", Calls())
    intern_id = select_intern(screen, "Okafor")
    qtbot.mouseClick(screen.archive_button, LEFT)
    assert not screen.archive_button.isEnabled()  # on its way: a second click does nothing
    settle(screen)
    assert info.calls == [("Interns", "1 placement is still current: end or archive it too")]
    assert database.read(interns.get_intern, intern_id, SAMPLE_TODAY).archived
    assert screen.selected_intern_id() == intern_id  # archived interns stay listed
    assert screen.detail.current.archived and screen.archive_button.text() == "Restore"
    qtbot.mouseClick(screen.archive_button, LEFT)
    settle(screen)
    assert not database.read(interns.get_intern, intern_id, SAMPLE_TODAY).archived
    assert screen.archive_button.text() == "Archive"
    assert len(info.calls) == 1


def test_add_placement_for_the_selected_intern(
    qtbot, screen: InternsView, database: Database
) -> None:
    intern_id = select_intern(screen, "Okafor")
    before = len(database.read(placements.list_placements, intern_id=intern_id))
    school = database.read(intern_records.intern_input, intern_id).school_id

    def fill(dialog, form) -> None:
        assert dialog.windowTitle() == "New placement"
        assert form.input("intern_id").value() == intern_id  # preset to the selection
        form.input("school_id").set_value(school)
        form.input("start_date").set_value(date(2027, 1, 25))
        form.input("hourly_rate_cents").set_value(1625)

    saved(lambda: qtbot.mouseClick(screen.placement_button, LEFT), fill)
    settle(screen)
    rows = database.read(placements.list_placements, intern_id=intern_id)
    assert len(rows) == before + 1
    assert rows[0].start_date == date(2027, 1, 25) and rows[0].hourly_rate_cents == 1625
    assert screen.selected_intern_id() == intern_id


def test_export_from_the_more_menu(
    qtbot, screen: InternsView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "interns.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    with qtbot.waitSignal(screen.exported) as written:
        screen.export_action.trigger()
    assert written.args == [f"Exported 24 rows to {target}"]
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
