"""The placement editor (pay, the primary-beneficiary factors and their live
assessment, the not-an-employee decision) and the New term dialog, against the
sample database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dialogs import in_dialog, saved, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QScrollArea
from sqlalchemy import func, select

from internhost.core.models import AuditEvent
from internhost.core.services import directory, intern_records, interns, new_term, placements
from internhost.gui.database import Database
from internhost.gui.dialogs.new_term import NewTermDialog
from internhost.gui.models.columns import PILLS_ROLE, Pill
from internhost.gui.ops import Ops
from internhost.gui.views.placement_check import AssignmentsInput, CheckPanel
from internhost.gui.views.placements import FactorsInput, PlacementsView
from internhost.gui.widgets.fields import FieldForm

SAMPLE_TODAY = date(2026, 11, 20)
LEFT = Qt.MouseButton.LeftButton
#: The rule pack's wording (resources/rules/us-federal.toml, the primary_beneficiary rule).
LIKELY_EMPLOYEE = "likely an employee — pay at least minimum wage"
CITATION = "DOL Fact Sheet #71 (primary-beneficiary test)"
SPRING = (date(2027, 1, 25), date(2027, 5, 28))


@pytest.fixture
def view(qtbot, ops: Ops) -> PlacementsView:
    view = PlacementsView(ops)
    qtbot.addWidget(view)
    view.resize(1200, 720)
    view.show()
    assert ops.runner.settle()  # its rows, read on the database worker
    return view


def audit_count(database: Database) -> int:
    return database.read(lambda s, _a: s.scalar(select(func.count()).select_from(AuditEvent)))


def placement_count(database: Database) -> int:
    return len(database.read(placements.list_placements))


def intern_named(database: Database, last_name: str) -> tuple[int, int]:
    """(intern id, their school id)."""

    def find(s, actor):
        for intern_id in interns.list_intern_ids(s, actor):
            data = intern_records.intern_input(s, actor, intern_id)
            if data.legal_last_name == last_name:
                return intern_id, data.school_id
        raise AssertionError(f"no intern named {last_name}")

    return database.read(find)


def row_visible(form: FieldForm, name: str) -> bool:
    return form.layout_.isRowVisible(form.input(name).parentWidget())


def answer(factors: FactorsInput, number: int, value: bool | None) -> None:
    combo = factors.combos[number - 1]
    combo.setCurrentIndex(combo.findData(value))


def fill_placement(form: FieldForm, intern: tuple[int, int], sites: dict[str, int]) -> None:
    form.input("intern_id").set_value(intern[0])
    form.input("school_id").set_value(intern[1])
    form.input("worksite_id").set_value(sites["Rockford Plant"])
    form.input("start_date").set_value(SPRING[0])
    form.input("end_date").set_value(SPRING[1])
    form.input("program").set_value("school_wbl")
    form.input("required_hours").set_value(60)


# -- the editor --------------------------------------------------------------------------


def test_unpaid_shows_the_factors_and_the_live_assessment_then_saves_the_answers(
    qtbot, view: PlacementsView, database: Database, screenshot
) -> None:
    intern = intern_named(database, "Okafor")
    sites = {w.name: w.id for w in database.read(directory.list_worksites)}
    before, events = placement_count(database), audit_count(database)
    answers = (True, True, False, None, True, True, True)

    def fill(dialog, form) -> None:
        assert dialog.windowTitle() == "New placement"
        assert form.input("paid").value() is True
        assert row_visible(form, "hourly_rate_cents")
        for name in ("primary_beneficiary", "employee_status", "employee_status_reason"):
            assert not row_visible(form, name), name

        form.input("paid").set_value(False)
        assert not row_visible(form, "hourly_rate_cents")
        assert row_visible(form, "primary_beneficiary") and row_visible(form, "employee_status")
        factors = form.input("primary_beneficiary")
        assert isinstance(factors, FactorsInput) and len(factors.combos) == 7
        assert factors.assessment.text().startswith("Answer factors 1, 3 and 6")
        assert factors.assessment.property("role") == "muted"

        answer(factors, 3, False)  # not tied to the intern's education
        assert "(factors 3)" in factors.assessment.text()
        assert LIKELY_EMPLOYEE in factors.assessment.text()
        assert factors.assessment.text().endswith(CITATION)
        assert factors.assessment.property("role") == "error"
        answer(factors, 1, False)
        assert "(factors 1 and 3)" in factors.assessment.text()
        for number in (1, 3, 6):
            answer(factors, number, True)
        assert "point to the intern as the primary beneficiary" in factors.assessment.text()
        assert LIKELY_EMPLOYEE not in factors.assessment.text()
        assert factors.assessment.property("role") == "muted"

        factors.set_value(answers)
        assert LIKELY_EMPLOYEE in factors.assessment.text()
        fill_placement(form, intern, sites)
        dialog.resize(900, 780)
        screenshot(dialog, "placement-editor-unpaid")

    saved(lambda: qtbot.mouseClick(view.new_button, LEFT), fill)
    assert view.ops.runner.settle()  # the list reads again
    assert placement_count(database) == before + 1
    assert audit_count(database) > events
    row = next(
        r
        for r in database.read(placements.list_placements, intern_id=intern[0])
        if r.start_date == SPRING[0]
    )
    stored = database.read(placements.placement_input, row.id)
    assert stored.paid is False and stored.hourly_rate_cents is None
    assert stored.primary_beneficiary == answers
    assert (stored.program, stored.required_hours, stored.worksite_id) == (
        "school_wbl",
        60,
        sites["Rockford Plant"],
    )
    assert stored.employee_status == "employee"
    detail = database.read(placements.placement_detail, row.id)
    assert detail.assessment is not None and detail.assessment.likely_employee
    assert detail.assessment.factors == (3,)

    # The list shows it, flagged unpaid, with no rate.
    view_row = next(r for r in range(view.model.rowCount()) if view.model.row_at(r).id == row.id)
    assert Pill("Unpaid", "info") in view.model.data(view.model.index(view_row, 0), PILLS_ROLE)
    assert view.model.data(view.model.index(view_row, 6)) == "—"


def test_invalid_placement_shows_errors_beside_fields_and_writes_nothing(
    qtbot, view: PlacementsView, database: Database
) -> None:
    intern = intern_named(database, "Okafor")
    before, events = placement_count(database), audit_count(database)

    def paid_without_rate(_dialog, form) -> None:
        form.input("intern_id").set_value(intern[0])
        form.input("school_id").set_value(intern[1])
        form.input("end_date").set_value(SPRING[1])
        form.input("check_in_every_days").set_value(0)

    run = in_dialog(view.new_record, paid_without_rate)
    assert not run.saved
    assert run.errors == {
        "start_date": "Is required",
        "hourly_rate_cents": "Is required for a paid placement",
        "check_in_every_days": "Must be at least 1 day",
    }

    def not_an_employee(_dialog, form) -> None:
        form.input("intern_id").set_value(intern[0])
        form.input("school_id").set_value(intern[1])
        form.input("start_date").set_value(SPRING[0])
        form.input("paid").set_value(False)
        form.input("primary_beneficiary").set_value((True,) * 6 + (None,))
        form.input("employee_status").set_value("not_employee")

    run = in_dialog(view.new_record, not_an_employee)
    assert run.errors["employee_status_reason"].startswith("Is required: say why")
    assert run.errors["primary_beneficiary"] == (
        "Answer all seven factors before concluding the intern is not an employee"
    )
    assert run.errors["employee_status"].startswith(
        "Only an HR user signed in with an account may record this decision"
    )

    def bad_rate(_dialog, form) -> None:
        form.input("intern_id").set_value(intern[0])
        form.input("school_id").set_value(intern[1])
        form.input("start_date").set_value(SPRING[0])
        form.input("hourly_rate_cents").editor().setText("fifteen")

    run = in_dialog(view.new_record, bad_rate)
    assert list(run.errors) == ["hourly_rate_cents"]
    assert placement_count(database) == before
    assert audit_count(database) == events


def test_editing_a_paid_placement_opens_with_its_values(
    qtbot, view: PlacementsView, database: Database
) -> None:
    first = next(r for r in view.rows() if r.row.paid)  # the sample has unpaid ones too
    stored = database.read(placements.placement_input, first.id)
    view.select(first.id)

    def fill(dialog, form) -> None:
        assert dialog.windowTitle() == "Edit placement"
        assert form.input("intern_id").value() == stored.intern_id
        assert form.input("hourly_rate_cents").value() == stored.hourly_rate_cents
        assert form.input("paid").value() is True
        assert not row_visible(form, "primary_beneficiary")
        form.input("required_hours").set_value(120)

    saved(lambda: qtbot.mouseClick(view.edit_button, LEFT), fill)
    assert database.read(placements.placement_input, first.id).required_hours == 120
    assert view.selected_id() == first.id

    events = audit_count(database)
    run = in_dialog(view.edit_selected, lambda _d, form: form.input("required_hours").set_value(1))
    assert run.saved
    run = in_dialog(
        view.edit_selected, lambda _d, form: form.input("required_hours").set_value(9), save=False
    )
    assert not run.saved
    assert database.read(placements.placement_input, first.id).required_hours == 1
    assert audit_count(database) > events


def test_saving_a_placement_unchanged_keeps_its_archived_mentor(
    qtbot, view: PlacementsView, database: Database
) -> None:
    first = view.rows()[0]
    stored = database.read(placements.placement_input, first.id)
    assert stored.mentor_id is not None
    database.write(directory.archive, "staff", stored.mentor_id, today=SAMPLE_TODAY)
    events = audit_count(database)
    view.refresh()
    view.select(first.id)

    def look(_dialog, form) -> None:
        mentor = form.input("mentor_id")
        assert mentor.value() == stored.mentor_id
        assert mentor.editor().currentText() == f"{first.row.mentor} (archived)"

    saved(view.edit_selected, look)  # Save pressed without changes
    assert database.read(placements.placement_input, first.id) == stored
    assert audit_count(database) == events  # an unchanged save writes nothing

    def choose_anew(_dialog, form) -> None:  # another placement may not pick them
        form.input("intern_id").set_value(stored.intern_id)
        form.input("school_id").set_value(stored.school_id)
        form.input("start_date").set_value(SPRING[0])
        form.input("hourly_rate_cents").set_value(1500)
        form.input("mentor_id").set_value(stored.mentor_id)

    run = in_dialog(view.new_record, choose_anew)
    assert run.errors == {"mentor_id": f"{first.row.mentor} is archived"}


# -- New term ----------------------------------------------------------------------------


@pytest.fixture
def term_dialog(qtbot, ops: Ops) -> NewTermDialog:
    dialog = NewTermDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(dialog)  # the term to copy, guessed on the database worker
    return dialog


def test_new_term_picks_the_term_under_way_not_one_planned_ahead(
    qtbot, database: Database, ops: Ops
) -> None:
    from internhost.core.services.placements import list_placements

    rows = database.read(list_placements, include_archived=False)
    first = min(r.start_date for r in rows)
    assert first < date(2026, 8, 31)  # the sample has an earlier term, and the fall one
    database.clock = lambda: first + timedelta(days=20)
    dialog = NewTermDialog(ops)
    qtbot.addWidget(dialog)
    settle(dialog)
    assert dialog.form.input("from_start").value() == first
    ends = {r.end_date for r in rows if r.start_date == first}
    assert dialog.form.input("from_end").value() == max(ends)


def test_new_term_guesses_the_latest_term_and_previews_what_the_service_would_copy(
    qtbot, term_dialog: NewTermDialog, database: Database, qtmodeltester
) -> None:
    form = term_dialog.form
    assert form.input("from_start").value() == date(2026, 8, 31)
    assert form.input("from_end").value() == date(2027, 1, 15)
    assert not term_dialog.copy_button.isEnabled()
    form.input("new_start").set_value(SPRING[0])
    form.input("new_end").set_value(SPRING[1])
    events = audit_count(database)
    qtbot.mouseClick(term_dialog.preview_button, LEFT)
    settle(term_dialog)  # previewed on the database worker

    data = new_term.NewTermInput(date(2026, 8, 31), date(2027, 1, 15), *SPRING)
    expected = database.read(new_term.preview_new_term, data, SAMPLE_TODAY)
    copies = len(expected.to_copy)
    skipped = len(expected.placements) - copies
    assert (copies, skipped) == (11, 1)
    assert term_dialog.summary.text() == (
        "11 placements to copy, 1 skipped; 0 calendars to copy to the next year."
    )
    model = term_dialog.model
    qtmodeltester.check(model)
    assert model.rowCount() == len(expected.placements)
    tones = [model.data(model.index(r, 0), PILLS_ROLE)[0].text for r in range(model.rowCount())]
    assert tones.count("Copy") == 11 and tones.count("Skip") == 1
    skip = next(r for r in range(model.rowCount()) if not model.row_at(r).copy)
    assert model.data(model.index(skip, 1)) == "Łukasiewicz, Zoë"
    assert "turns 18 on 2026-12-25" in model.data(model.index(skip, 5))
    assert term_dialog.copy_button.isEnabled()
    assert audit_count(database) == events  # a preview writes nothing

    form.input("new_end").set_value(date(2027, 6, 4))  # the preview is stale now
    assert not term_dialog.copy_button.isEnabled()


def test_new_term_refuses_dates_that_overlap_the_term_it_copies(
    qtbot, term_dialog: NewTermDialog
) -> None:
    form = term_dialog.form
    form.input("new_start").set_value(date(2027, 1, 10))
    term_dialog.run_preview()
    settle(term_dialog)
    assert (
        form.error_text("new_start") == "Must be after the term it copies (which ends 2027-01-15)"
    )
    assert term_dialog.banner.isHidden()
    assert not term_dialog.copy_button.isEnabled()
    form.input("from_start").set_value(None)
    term_dialog.run_preview()
    assert form.error_text("from_start") == "Is required"


def test_new_term_copies_placements_and_calendars(
    qtbot, database: Database, view: PlacementsView
) -> None:
    """Driven as a user would from the interns screen's More menu: modal."""
    from internhost.gui.views.interns import InternsView

    screen = InternsView(view.ops)  # beside the placements list, as in the window
    qtbot.addWidget(screen)
    screen.show()
    assert view.ops.runner.settle()
    autumn = (date(2027, 8, 30), date(2028, 1, 14))
    data = new_term.NewTermInput(date(2026, 8, 31), date(2027, 1, 15), *autumn)
    expected = database.read(new_term.preview_new_term, data, SAMPLE_TODAY)
    assert expected.to_copy and len(expected.calendars_to_copy) == 2
    before = placement_count(database)

    def fill(dialog, form) -> None:
        assert dialog.windowTitle() == "New term"
        settle(dialog)  # the term to copy, guessed on the worker, is in the form
        assert form.input("from_start").value() == date(2026, 8, 31)
        form.input("new_start").set_value(autumn[0])
        form.input("new_end").set_value(autumn[1])
        dialog.run_preview()
        settle(dialog)
        found = dialog.preview
        assert len(found.to_copy) == len(expected.to_copy)
        assert dialog.copy_button.isEnabled()

    run = saved(screen.term_action.trigger, fill)
    result = run.dialog.result_value
    assert len(result.placements) == len(expected.to_copy)
    assert placement_count(database) == before + len(expected.to_copy)
    copies = [p for p in database.read(placements.list_placements) if p.start_date == autumn[0]]
    assert sorted(p.intern_id for p in copies) == sorted(p.intern_id for p in expected.to_copy)
    assert all(p.end_date == autumn[1] for p in copies)
    years = {(c.district, c.school_year) for c in database.read(directory.list_calendars)}
    assert {(c.district, "2027-28") for c in expected.calendars_to_copy} <= years
    assert view.ops.runner.settle()  # the list heard the new term and read again
    assert view.model.rowCount() == before + len(expected.to_copy)


def test_new_term_copy_pressed_twice_copies_once(
    qtbot, term_dialog: NewTermDialog, database: Database
) -> None:
    form = term_dialog.form
    form.input("new_start").set_value(SPRING[0])
    form.input("new_end").set_value(SPRING[1])
    before, events = placement_count(database), audit_count(database)
    term_dialog.accept()
    assert term_dialog.saving and not term_dialog.buttons.isEnabled()  # on the worker
    term_dialog.accept()  # a second click while the copy runs does nothing
    term_dialog.reject()  # nor does Cancel: the copy cannot be called back
    settle(term_dialog)
    assert placement_count(database) == before + 11
    assert audit_count(database) > events
    assert not term_dialog.isVisible() and len(term_dialog.result_value.placements) == 11


def test_new_term_leaves_what_the_user_typed_before_its_guess_came(qtbot, ops: Ops) -> None:
    dialog = NewTermDialog(ops)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.form.input("from_start").set_value(date(2026, 1, 5))  # before the guess came
    settle(dialog)
    assert dialog.form.input("from_start").value() == date(2026, 1, 5)
    assert dialog.form.input("from_end").value() is None


def test_the_editor_shows_what_the_check_finds_before_saving(
    qtbot, view: PlacementsView, database: Database, screenshot
) -> None:
    """A punch press assigned to a minor: the check (run on the worker as the form
    changes) shows the hazardous order, written out, and that saving keeps a draft;
    saved, the placement is a draft whose note says why."""
    intern = intern_named(database, "Okafor")
    sites = {w.name: w.id for w in database.read(directory.list_worksites)}
    shots: list = []

    def fill(dialog, form) -> None:
        fill_placement(form, intern, sites)
        form.input("program").set_value("employment")
        form.input("hourly_rate_cents").set_value(1600)
        form.input("badge").set_value("B-7777")
        work = form.input("assignments")
        assert isinstance(work, AssignmentsInput)
        index = next(
            i for i in range(work.picker.count()) if "Punch press" in work.picker.itemText(i)
        )
        work.picker.setCurrentIndex(index)
        qtbot.mouseClick(dialog.findChild(QPushButton, "addAssignment"), LEFT)
        assert work.table.rowCount() == 1 and "HO 8" in work.table.item(0, 1).text()
        panel = dialog.findChild(CheckPanel)
        qtbot.waitUntil(
            lambda: "Hazardous Occupations Order 8" in panel.findings.text(), timeout=15_000
        )
        assert panel.findings.text().startswith("Violation: ")  # written out, not a colour
        assert "Saving makes it: Draft" in panel.status.text()
        dialog.resize(900, 780)
        dialog.findChild(QScrollArea).ensureWidgetVisible(panel)
        shots.append(screenshot(dialog, "placement-editor-check"))

    saved(lambda: qtbot.mouseClick(view.new_button, LEFT), fill)
    assert view.ops.runner.settle()
    row = next(
        r
        for r in database.read(placements.list_placements, intern_id=intern[0])
        if r.start_date == SPRING[0]
    )
    assert (row.status, row.badge) == ("draft", "B-7777")
    assert "Punch press" in row.status_note
    stored = database.read(placements.placement_input, row.id)
    assert [a.equipment_id for a in stored.assignments] == [index_of_press(database, sites)]
    print(shots)


def index_of_press(database: Database, sites: dict[str, int]) -> int:
    machines = database.read(directory.list_equipment, sites["Rockford Plant"])
    return next(m.id for m in machines if m.name.startswith("Punch press"))
