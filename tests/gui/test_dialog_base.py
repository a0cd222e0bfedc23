"""The dialog base every record and editing dialog uses: Esc, Cancel and closing the
window ask "Discard changes?" only when the fields differ from what they held at
open; the first field has the focus; Enter in a table edits it and presses no
button; an error goes once its field changes; the size is remembered."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import interns_kit
import pytest
from dialogs import modal
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTableWidget

from internhost.core.errors import FieldError
from internhost.core.services import interns
from internhost.gui.dialogs import base
from internhost.gui.dialogs.base import BaseDialog
from internhost.gui.dialogs.intern_editor import InternEditor
from internhost.gui.dialogs.record import RecordDialog
from internhost.gui.ops import Ops
from internhost.gui.views import setup_forms
from internhost.gui.widgets.fields import FieldForm, TableInput

CANCEL = QDialogButtonBox.StandardButton.Cancel
ASK = base.confirm_discard  # as the app has it (conftest stands in for it in every test)
D = TypeVar("D", bound=BaseDialog)


def press(name: str) -> Any:
    """An act for ``modal``: press the button ``name`` of the "Discard changes?" box."""

    def act(box: QDialog) -> str:
        assert box.objectName() == "discardChanges", box.windowTitle()
        assert box.defaultButton().objectName() == "keepEditing"
        box.findChild(QPushButton, name).click()
        return box.windowTitle()

    return act


def never_discard(monkeypatch) -> list[str]:
    """Answer "Keep editing" to every "Discard changes?"; what each was asked about."""
    asked: list[str] = []

    def confirm(_parent: object, what: str = "") -> bool:
        asked.append(what)
        return False

    monkeypatch.setattr(base, "confirm_discard", confirm)
    return asked


@pytest.fixture
def shown(qtbot) -> Iterator[Callable[[D], D]]:
    """Show a dialog, and close it after the test without its question (not through
    ``qtbot.addWidget``, whose close would ask "Discard changes?" with nobody to answer)."""
    dialogs: list[BaseDialog] = []

    def show(dialog: D) -> D:
        dialogs.append(dialog)
        dialog.show()
        return dialog

    yield show
    for dialog in dialogs:
        dialog.discard()
        dialog.deleteLater()


@pytest.fixture
def intern_editor(shown, ops: Ops) -> InternEditor:
    return shown(interns_kit.intern_editor(ops, None))


@pytest.fixture
def worksite_dialog(shown, ops: Ops) -> Callable[[str], tuple[RecordDialog, FieldForm]]:
    def make(title: str = "New worksite") -> tuple[RecordDialog, FieldForm]:
        form = FieldForm(setup_forms.worksite_fields())
        return shown(RecordDialog(title, form, form.values, dict, form.show_errors, ops=ops)), form

    return make


def test_esc_cancel_and_close_on_a_filled_dialog_ask_before_discarding(
    qtbot, intern_editor: InternEditor, monkeypatch
) -> None:
    monkeypatch.setattr(base, "confirm_discard", ASK)  # the real question, answered below
    intern_editor.details.input("legal_first_name").set_value("Maya")
    contacts = intern_editor.contacts.input("contacts")
    assert isinstance(contacts, TableInput)
    contacts.table.item(0, 1).setText("Rosa Alvarez")  # the guardian
    with modal(press("keepEditing"), press("keepEditing")) as asked:
        qtbot.keyClick(intern_editor.focusWidget(), Qt.Key.Key_Escape)
        assert intern_editor.isVisible()
        intern_editor.close()  # the window's close button
        assert intern_editor.isVisible()
    assert asked == ["Discard changes?", "Discard changes?"]
    assert intern_editor.details.input("legal_first_name").value() == "Maya"

    with modal(press("discard")) as asked:
        intern_editor.buttons.button(CANCEL).click()
    assert asked == ["Discard changes?"]
    assert not intern_editor.isVisible()
    assert intern_editor.result() == QDialog.DialogCode.Rejected


def test_a_dialog_without_changes_closes_without_asking(
    qtbot, intern_editor: InternEditor, monkeypatch
) -> None:
    asked = never_discard(monkeypatch)
    name = intern_editor.details.input("legal_first_name")
    name.set_value("Maya")
    name.set_value("")  # typed, then taken back: nothing to lose
    contacts = intern_editor.contacts.input("contacts")
    assert isinstance(contacts, TableInput)
    contacts.add_row()  # a blank row is not an edit either
    assert not intern_editor.is_dirty()
    qtbot.keyClick(intern_editor.focusWidget(), Qt.Key.Key_Escape)
    assert not intern_editor.isVisible()
    assert asked == []


def test_a_typed_medical_note_counts_as_an_edit(shown, ops: Ops, monkeypatch) -> None:
    first = ops.database.read(interns.list_intern_ids)[0]
    editor = shown(interns_kit.intern_editor(ops, first))
    assert editor.medical is not None and not editor.is_dirty()
    editor.medical.text.setPlainText("Allergic to latex")
    assert editor.is_dirty()
    asked = never_discard(monkeypatch)
    editor.reject()
    assert editor.isVisible() and asked == ["edit intern"]


def test_the_first_field_has_the_focus_when_a_dialog_opens(
    qtbot, intern_editor: InternEditor, worksite_dialog
) -> None:
    first = intern_editor.details.input("legal_first_name").editor()
    assert intern_editor.focusWidget() is first
    qtbot.keyClicks(intern_editor.focusWidget(), "Maya")
    assert intern_editor.details.input("legal_first_name").value() == "Maya"

    dialog, form = worksite_dialog()
    assert dialog.focusWidget() is form.input("name").editor()


def test_enter_in_the_areas_table_edits_and_adds_no_row(
    qtbot, worksite_dialog, monkeypatch
) -> None:
    asked = never_discard(monkeypatch)
    dialog, form = worksite_dialog()
    areas = form.input("areas")
    assert isinstance(areas, TableInput)
    add = areas.findChild(QPushButton, "addRow")
    assert not add.autoDefault()  # focus on it does not make it the default...
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    assert areas.table.rowCount() == 1
    add.setDefault(True)  # ...and even as the default, Enter in the table leaves it be
    table: QTableWidget = areas.table
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)  # Enter opens the cell's editor
    assert table.rowCount() == 1  # and never presses "Add area"
    assert table.state() == QTableWidget.State.EditingState
    editor = dialog.focusWidget()
    assert table.isAncestorOf(editor)
    qtbot.keyClicks(editor, "Shipping dock")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # and commits it
    qtbot.waitUntil(lambda: table.state() != QTableWidget.State.EditingState)
    qtbot.keyClick(table, Qt.Key.Key_Enter)  # the keypad's Enter edits too
    assert table.state() == QTableWidget.State.EditingState
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)  # closes the cell's editor only
    assert table.rowCount() == 1
    assert table.item(0, 0).text() == "Shipping dock"
    assert dialog.isVisible() and asked == []  # no Save pressed, no Cancel either


def test_an_error_goes_once_its_field_changes(qtbot, worksite_dialog) -> None:
    _dialog, form = worksite_dialog()
    form.show_errors(
        [FieldError("name", "is required"), FieldError("areas[0].name", "is required")]
    )
    assert form.error_text("name") and form.error_text("areas")
    name = form.input("name")
    assert name.editor().property("invalid") is True
    qtbot.keyClicks(name.editor(), "Rockford Plant")
    assert form.error_text("name") == ""
    assert name.editor().property("invalid") is False
    assert form.error_text("areas")  # another field's error stays until it changes
    form.input("areas").add_row(("Shipping dock",))
    assert form.error_text("areas") == ""


def test_a_dialog_remembers_its_size(worksite_dialog) -> None:
    first, _form = worksite_dialog()
    first.resize(700, 520)
    first.discard()
    again, _form = worksite_dialog()
    assert (again.width(), again.height()) == (700, 520)
    other, _form = worksite_dialog("Edit worksite")
    assert (other.width(), other.height()) != (700, 520)  # each form keeps its own
