"""The School forms dialog under Set-up: HR registers a school's PDF, picks a value
for each field with its preview for an intern of the school, saves the mapping and
fills the form; everything on the database worker."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from formkit import school_form, xfa_form
from interns_kit import read_on_worker
from pypdf import PdfReader
from PySide6.QtWidgets import QComboBox, QFileDialog
from sqlalchemy import select

from internhost.core.actor import SYSTEM
from internhost.core.models import Intern, Placement
from internhost.core.services import school_forms
from internhost.core.storage import db
from internhost.gui.dialogs.school_forms import WITHHELD, SchoolFormsDialog


def _zoe(database: Any) -> tuple[int, int]:
    with db.read_session(database.factory, SYSTEM) as s:
        intern = s.scalar(select(Intern.id).where(Intern.legal_last_name == "Łukasiewicz"))
        school = s.scalar(
            select(Placement.school_id)
            .where(Placement.intern_id == intern)
            .order_by(Placement.start_date.desc())
        )
    assert intern is not None and school is not None
    return intern, school


def _opened(qtbot: Any, ops: Any, school: int) -> SchoolFormsDialog:
    dialog = SchoolFormsDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: dialog.school.count() > 0)
    dialog.school.setCurrentIndex(dialog.school.findData(school))
    assert ops.runner.settle()
    return dialog


def _value_combo(dialog: SchoolFormsDialog, field: str) -> QComboBox:
    combo = dialog.findChild(QComboBox, f"value:{field}")
    assert combo is not None, field
    return combo


def test_hr_registers_maps_previews_and_fills(
    qtbot: Any, ops: Any, database: Any, tmp_path: Path, monkeypatch: Any, screenshot: Any
) -> None:
    intern, school = _zoe(database)
    pdf = tmp_path / "WBL form.pdf"
    pdf.write_bytes(school_form())
    dialog = _opened(qtbot, ops, school)
    assert dialog.form.count() == 0 and "register" in dialog.message.text()

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(pdf), "PDF"))
    dialog.register()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 8)
    assert dialog.form.currentText().startswith("WBL form")

    dialog.intern.setCurrentIndex(dialog.intern.findData(intern))
    assert ops.runner.settle()
    name = _value_combo(dialog, "student_name")
    name.setCurrentIndex(name.findData("intern.legal_name"))
    row = next(r for r in range(8) if dialog.table.item(r, 0).text() == "student_name")
    qtbot.waitUntil(lambda: dialog.table.item(row, 3).text() == "Zoë Łukasiewicz")
    born = _value_combo(dialog, "birth_date")
    born.setCurrentIndex(born.findData("intern.birth_date"))
    assert dialog.is_dirty()
    screenshot(dialog, "school-forms-dialog")

    dialog.save()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: "8 fields, 2 mapped" in dialog.message.text())
    detail = read_on_worker(ops, school_forms.form_detail, dialog.form.currentData())
    assert {f.name: f.value_key for f in detail.fields if f.value_key} == {
        "student_name": "intern.legal_name",
        "birth_date": "intern.birth_date",
    }

    target = tmp_path / "zoe.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF"))
    dialog.flatten.setChecked(False)
    dialog.fill_intern()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: target.exists())
    assert PdfReader(target).get_fields()["student_name"]["/V"] == "Zoë Łukasiewicz"

    folder = tmp_path / "all"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    dialog.fill_school()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: "written" in dialog.message.text())
    assert list(folder.iterdir())
    dialog.discard()


def test_an_xfa_form_is_refused_in_the_dialog(
    qtbot: Any, ops: Any, database: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    _intern, school = _zoe(database)
    pdf = tmp_path / "xfa.pdf"
    pdf.write_bytes(xfa_form())
    dialog = _opened(qtbot, ops, school)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(pdf), "PDF"))
    dialog.register()
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: "XFA" in dialog.message.text())
    assert dialog.form.count() == 0
    assert WITHHELD  # the text a role without the right sees instead of a value
    dialog.discard()


def test_a_viewer_fills_but_does_not_register_or_map(
    qtbot: Any, database: Any, ops_for: Any, tmp_path: Path
) -> None:
    from internhost.core.services import accounts
    from internhost.gui.database import Database

    _intern, school = _zoe(database)
    data = school_forms.SchoolFormInput(school, "WBL form", "wbl.pdf", school_form())
    database.write(school_forms.register_form, data)
    with db.read_session(database.factory, SYSTEM) as s:
        viewer = next(
            accounts.actor_for(r) for r in accounts.list_accounts(s, SYSTEM) if r.role == "viewer"
        )
    handle = Database.open(database.path, viewer, database.today)
    try:
        ops = ops_for(handle)
        dialog = _opened(qtbot, ops, school)
        qtbot.waitUntil(lambda: dialog.table.rowCount() == 8)
        assert not dialog.register_button.isVisible() and not dialog.save_button.isVisible()
        assert dialog.fill_button.isVisible() and not dialog.flatten.isEnabled()
        assert not _value_combo(dialog, "student_name").isEnabled()
        dialog.discard()
        ops.runner.settle()
    finally:
        handle.close()
