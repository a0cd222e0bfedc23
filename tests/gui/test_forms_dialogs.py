"""The editors of the employer's forms, on the sample: the mentor's reference letter
(from the Progress tab; saved, it is what the ``reference-letter`` form prints) and
the terms of a student-learner agreement (from the placement editor; a bad value is
refused beside its field, a good one saved). A role without the right has no button."""

from __future__ import annotations

from typing import Any

from dialogs import in_dialog
from interns_kit import read_on_worker
from PySide6.QtWidgets import QLabel, QPushButton
from screens import progress_tab
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM
from internhost.core.models import Placement, StudentLearnerAgreement
from internhost.core.services import forms, progress, student_learner
from internhost.core.storage import db
from internhost.gui.dialogs.reference_letter import ReferenceLetterDialog
from internhost.gui.dialogs.student_learner import read_terms, terms_dialog
from internhost.gui.views.placements import edit_placement
from internhost.gui.views.progress_tab import placement_choices

LETTER = "Zoë led the Friday huddle.\n\nAT&T <b>not bold</b> x<y: all kept as typed."


def _one(database: Any, *where: Any) -> tuple[int, int]:
    """(intern id, placement id) of the first placement matching ``where``."""
    with db.read_session(database.factory, SYSTEM) as s:
        found = s.execute(
            select(Placement.intern_id, Placement.id).where(*where).order_by(Placement.id).limit(1)
        ).one()
    return found[0], found[1]


def test_the_letter_is_edited_saved_and_printed(
    qtbot: Any, ops: Any, database: Any, screenshot: Any
) -> None:
    intern, placement = _one(database, Placement.status == "completed")
    tab = progress_tab(qtbot, ops, intern)
    assert tab.letter_button.isVisible() and tab.letter_button.isEnabled()

    def edit(dialog: Any, form: Any) -> None:
        assert isinstance(dialog, ReferenceLetterDialog)
        assert dialog.letter.placement_id == placement and dialog.letter.saved  # the sample's
        screenshot(dialog, "reference-letter")
        dialog.start_again()
        assert form.input("text").value() == dialog.letter.draft
        form.input("text").set_value(LETTER)

    run = in_dialog(tab.reference_letter, edit)
    assert run.saved
    content = read_on_worker(
        ops,
        forms.form_content,
        "reference-letter",
        today=ops.today(),
        placement_id=placement,
    )
    assert content.value("letter") == LETTER


def test_a_letter_too_long_is_refused_beside_it(qtbot: Any, ops: Any, database: Any) -> None:
    _intern, placement = _one(database, Placement.status == "active")
    letter = read_on_worker(ops, forms.reference_letter, placement, today=ops.today())
    assert not letter.saved and letter.text == letter.draft

    def too_long(_dialog: Any, form: Any) -> None:
        form.input("text").set_value("x" * (forms.LETTER_MAX + 1))

    run = in_dialog(lambda: ReferenceLetterDialog(ops, letter, [], "Test Intern").exec(), too_long)
    assert not run.saved and "text" in run.errors
    again = read_on_worker(ops, forms.reference_letter, placement, today=ops.today())
    assert not again.saved


def test_another_placement_reads_its_own_letter(qtbot: Any, ops: Any, database: Any) -> None:
    with db.read_session(database.factory, SYSTEM) as s:
        intern = s.scalar(
            select(Placement.intern_id)
            .group_by(Placement.intern_id)
            .having(func.count() > 1)
            .order_by(Placement.intern_id)
            .limit(1)
        )
    data = read_on_worker(ops, progress.intern_progress, intern, ops.today())
    first, second = (p.id for p in data.placements[:2])
    letter = read_on_worker(ops, forms.reference_letter, first, today=ops.today())
    dialog = ReferenceLetterDialog(ops, letter, placement_choices(data), "Test Intern")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.placement.isEnabled()
    dialog.placement.setCurrentIndex(dialog.placement.findData(second))
    assert ops.runner.settle()
    qtbot.waitUntil(lambda: dialog.letter.placement_id == second)
    assert not dialog.is_dirty() and dialog.form.input("text").value() == dialog.letter.text
    dialog.discard()


def test_student_learner_terms_refuse_a_bad_value_and_save_a_good_one(
    qtbot: Any, ops: Any, database: Any, screenshot: Any
) -> None:
    _intern, placement = _one(
        database, Placement.student_learner_agreement.has(), Placement.program == "student_learner"
    )
    data = read_on_worker(ops, read_terms, placement, ops.today())
    assert data.terms.work_incidental and data.intern  # the sample's recorded terms
    today = ops.today()

    def signed_unnamed(dialog: Any, form: Any) -> None:
        screenshot(dialog, "student-learner-terms")
        assert "570.50(c)" in dialog.findChild(QLabel, "legalSource").text()
        form.input("employer_signed_by").set_value("")

    run = in_dialog(lambda: terms_dialog(None, ops, data, today).run(), signed_unnamed)
    assert not run.saved
    assert "required with the date" in run.errors["employer_signed_by"]

    def good(_dialog: Any, form: Any) -> None:
        form.input("supervisor_name").set_value("Zoë Łukasiewicz")

    assert in_dialog(lambda: terms_dialog(None, ops, data, today).run(), good).saved
    saved = read_on_worker(ops, student_learner.student_learner_input, placement)
    assert saved.supervisor_name == "Zoë Łukasiewicz"
    with db.read_session(database.factory, SYSTEM) as s:
        assert s.scalar(
            select(StudentLearnerAgreement.employer_signed_by).where(
                StudentLearnerAgreement.placement_id == placement
            )
        )


def test_the_placement_editor_opens_the_terms_for_student_learners_only(
    qtbot: Any, ops: Any, database: Any, monkeypatch: Any
) -> None:
    from internhost.gui.dialogs import student_learner as dialog_module

    _intern, placement = _one(database, Placement.program == "student_learner")
    opened: list[tuple[str, int]] = []  # (the parent's title, the placement): no widget kept
    monkeypatch.setattr(
        dialog_module,
        "open_student_learner",
        lambda parent, _ops, pid: opened.append((parent.windowTitle(), pid)),
    )
    seen: dict[str, Any] = {}

    def look(dialog: Any, form: Any) -> None:
        button = dialog.findChild(QPushButton, "studentLearnerTerms")
        seen["student-learner"] = button.isVisible() and button.isEnabled()
        button.click()
        seen["over the editor"] = opened == [(dialog.windowTitle(), placement)]
        form.input("program").set_value("employment")
        seen["employment"] = button.isEnabled()

    in_dialog(lambda: edit_placement(None, ops, placement), look, save=False)
    assert seen == {"student-learner": True, "over the editor": True, "employment": False}
