"""The onboarding wizard, driven from the first page to the summary on an empty
database, checking what each page saved; resuming after closing half-way; Next and
Finish on one press each, while the pages read and save on the database worker
(the tests wait for it: ``settle``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time
from pathlib import Path

import pytest
from dialogs import in_dialog as drive
from dialogs import settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.services import directory, interns, onboarding, setup
from internhost.gui.database import Database
from internhost.gui.ops import Ops
from internhost.gui.widgets.fields import FieldForm
from internhost.gui.wizards.onboarding import PAGES, OnboardingWizard

TODAY = date(2025, 8, 20)


@pytest.fixture
def database(db_path: Path):
    handle = Database.open(db_path, SYSTEM, lambda: TODAY)
    yield handle
    handle.close()


@pytest.fixture
def wizard(qtbot, ops: Ops) -> OnboardingWizard:
    return opened(qtbot, ops)


@pytest.fixture
def set_up(qtbot, database: Database, ops: Ops) -> OnboardingWizard:
    """The wizard on a database whose company is on record already."""
    database.write(setup.save_employer, setup.EmployerInput(legal_name="Prairie Forge LLC"))
    return opened(qtbot, ops)


def opened(qtbot, ops: Ops) -> OnboardingWizard:
    w = OnboardingWizard(ops)
    qtbot.addWidget(w)
    w.resize(1000, 720)
    w.show()
    w.resume()
    settle(w)
    return w


def in_dialog(qtbot, values: dict[str, object], open_it: Callable[[], object]) -> None:
    """Run ``open_it`` (which opens a modal dialog, once what it reads has come), set
    ``values`` on the dialog's forms (whichever holds each input) and save. Fails the
    test if the dialog stays open (the service refused the input)."""

    def fill(dialog: QDialog, _form: FieldForm | None) -> None:
        forms = dialog.findChildren(FieldForm)
        for name, value in values.items():
            next(f for f in forms if name in f.inputs).input(name).set_value(value)

    run = drive(open_it, fill)
    assert run.saved, f"the dialog refused the input: {run.errors} {run.banner!r}"
    settle(run.dialog.parentWidget())  # the lists read again


def next_page(wizard: OnboardingWizard) -> None:
    """Press Next and wait for what the page saves and reads."""
    wizard.next()
    settle(wizard)


def page(wizard: OnboardingWizard):
    return wizard.currentPage()


def test_walk_from_company_to_summary_saves_every_page(
    qtbot, wizard: OnboardingWizard, database: Database, screenshot
) -> None:
    assert wizard.current_key() == "company"
    screenshot(wizard, "wizard-1-company")

    # 1. Company: an empty legal name is refused beside the field; a real one is saved.
    next_page(wizard)
    form = page(wizard).form
    assert wizard.current_key() == "company"
    assert "required" in form.error_text("legal_name").lower()
    form.input("legal_name").set_value("Prairie Forge Manufacturing LLC")
    form.input("hr_contact_name").set_value("Angela Ortiz")
    form.input("hr_contact_email").set_value("angela.ortiz@prairieforge.example")
    form.input("wc_carrier").set_value("Illinois Mutual")
    form.input("wc_policy_expires").set_value(date(2026, 6, 30))
    next_page(wizard)
    assert wizard.current_key() == "worksites"
    saved = database.read(directory.employer_input)
    assert saved.legal_name == "Prairie Forge Manufacturing LLC"
    assert saved.wc_policy_expires == date(2026, 6, 30)
    assert saved.flsa_covered is True

    # 2. Worksites: Next waits for one; its areas say production or office.
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()

    worksite = {
        "name": "Rockford Plant",
        "city": "Rockford",
        "areas": (("Assembly", "production"), ("Front office", "office")),
    }
    in_dialog(qtbot, worksite, page(wizard).panels[0].new_record)
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    screenshot(wizard, "wizard-2-worksites")
    [site] = database.read(directory.list_worksites)
    assert site.areas == (("Assembly", "production"), ("Front office", "office"))
    assert site.has_production_areas
    next_page(wizard)

    # 3. Equipment: a baler with its catalog tasks; who may do them comes from the packs.
    keys = [t.key for t in directory.task_catalog() if "baler" in t.key]
    assert keys, "the catalog names baler tasks"
    baler = {"worksite_id": site.id, "name": "Cardboard baler", "area": "Assembly"}
    in_dialog(qtbot, {**baler, "task_keys": keys}, page(wizard).panels[0].new_record)
    screenshot(wizard, "wizard-3-equipment")
    [machine] = database.read(directory.list_equipment)
    assert machine.name == "Cardboard baler"
    assert all(who for _key, _label, who in machine.tasks)
    assert any("16" in who for _key, _label, who in machine.tasks)  # HO 12: 16–17 only…
    next_page(wizard)

    # 4. Staff: a mentor, 21 or older, with clearance and training dates.
    mentor = {
        "first_name": "Darnell",
        "last_name": "Brooks",
        "email": "darnell.brooks@prairieforge.example",
        "worksite_id": site.id,
        "is_21_or_older": True,
        "clearance_date": date(2025, 7, 28),
        "mentor_training_date": date(2025, 8, 12),
    }
    in_dialog(qtbot, mentor, page(wizard).panels[0].new_record)
    screenshot(wizard, "wizard-4-staff")
    [staff] = database.read(directory.list_staff)
    assert (staff.role, staff.is_21_or_older) == ("mentor", True)
    next_page(wizard)

    # 5. Schools: the district's calendar first, then the school in that district.
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    calendars, schools = page(wizard).panels

    calendar = {
        "district": "Rockford SD 205",
        "school_year": "2025-26",
        "first_day": date(2025, 8, 20),
        "last_day": date(2026, 6, 4),
        "days": (
            (date(2025, 9, 1), "no_school", None),
            (date(2025, 10, 10), "early_dismissal", time(12, 0)),
        ),
    }
    in_dialog(qtbot, calendar, calendars.new_record)

    school = {
        "name": "Auburn High School",
        "district": "Rockford SD 205",
        "coordinator_name": "Dana Whitfield",
    }
    in_dialog(qtbot, school, schools.new_record)
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
    screenshot(wizard, "wizard-5-schools")
    [cal] = database.read(directory.list_calendars)
    assert (cal.no_school_days, cal.early_dismissals) == (1, 1)
    [auburn] = database.read(directory.list_schools)
    assert auburn.district == "Rockford SD 205"
    next_page(wizard)

    # 6. Interns: one added by hand (the roster import has its own tests).
    intern = {
        "legal_first_name": "Zoë",
        "legal_last_name": "Łukasiewicz",
        "birth_date": date(2009, 5, 13),
        "school_id": auburn.id,
        "grade": 11,
    }
    in_dialog(qtbot, intern, page(wizard).panels[0].new_record)
    screenshot(wizard, "wizard-6-interns")

    def saved_interns(s, actor):
        ids = interns.list_intern_ids(s, actor)
        return interns.intern_rows(s, actor, ids, TODAY)

    [zoe] = database.read(saved_interns)
    assert zoe.name == "Łukasiewicz, Zoë"
    next_page(wizard)

    # 7. Summary: what is still missing (no placement yet), each with a Fix link.
    assert wizard.current_key() == "summary"
    screenshot(wizard, "wizard-7-summary")
    status = database.read(onboarding.onboarding_status, TODAY)
    assert status.step("worksites").complete
    assert status.step("staff").complete
    fixes = [b for b in page(wizard).findChildren(QWidget) if b.objectName().startswith("fix_")]
    assert len(fixes) == status.missing_count
    # A Fix link goes back to the page that fixes it.
    company_fix = next((b for b in fixes if b.objectName() == "fix_company"), None)
    if company_fix is not None:
        company_fix.click()
        assert wizard.current_key() == "company"
        wizard.walk_to("summary")
        settle(wizard)
    assert wizard.current_key() == "summary"
    wizard.accept()
    settle(wizard)
    assert not wizard.isVisible()
    assert database.read(lambda s, _a: onboarding.wizard_finished(s))
    assert database.read(lambda s, _a: onboarding.wizard_position(s)) is None


def test_closing_half_way_loses_nothing_and_reopening_resumes(
    qtbot, wizard: OnboardingWizard, database: Database, ops: Ops
) -> None:
    form = page(wizard).form
    form.input("legal_name").set_value("Prairie Forge Manufacturing LLC")
    wizard.reject()  # "Close" on the company page: its edits are saved first
    settle(wizard)
    assert not wizard.isVisible()
    assert database.read(directory.employer_input).legal_name == ("Prairie Forge Manufacturing LLC")
    assert database.read(lambda s, _a: onboarding.wizard_position(s)) == "company"

    again = OnboardingWizard(ops)
    qtbot.addWidget(again)
    again.show()
    again.resume()
    settle(again)
    assert again.current_key() == "company"
    next_page(again)  # now on worksites; close there
    assert again.current_key() == "worksites"
    again.reject()
    settle(again)

    third = OnboardingWizard(ops)
    qtbot.addWidget(third)
    third.resume()  # asked before it shows: it walks once it does
    third.show()
    settle(third)
    assert third.current_key() == "worksites"
    assert third.pages["company"].form.input("legal_name").value() == (
        "Prairie Forge Manufacturing LLC"
    )


def test_closing_with_errors_asks_before_losing_them(
    qtbot, wizard: OnboardingWizard, database: Database, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    page(wizard).form.input("hr_contact_email").set_value("not an address")
    wizard.reject()  # No: stay
    settle(wizard)
    assert wizard.isVisible() and asked
    wizard.reject()  # Yes: close, nothing saved
    settle(wizard)
    assert not wizard.isVisible()
    assert database.read(directory.employer_input) is None


def test_every_page_has_its_place(wizard: OnboardingWizard) -> None:
    assert [wizard.page(i).key for i in wizard.pageIds()] == list(PAGES)
    titles = [wizard.page(i).title() for i in wizard.pageIds()]
    assert titles[0].startswith("Step 1 of 7")


def test_welcome_opens_the_wizard_for_hr_only(
    open_window, db_path: Path, qtbot, monkeypatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        "internhost.gui.main_window.MainWindow.open_setup_wizard",
        lambda self, page="": opened.append(page),
    )
    window = open_window(db_path)
    assert window.current_page == "welcome"
    assert not window.welcome_page.setup_button.isHidden()
    window.welcome_page.setup_button.click()
    assert opened == [""]

    viewer = open_window(db_path, actor=Actor(Role.VIEWER, "viewer"))
    assert viewer.welcome_page.setup_button.isHidden()


def test_finish_finishes_on_one_press(qtbot, set_up: OnboardingWizard, database) -> None:
    wizard = set_up
    wizard.walk_to("summary")  # each page on the way passes (the company is on record)
    settle(wizard)
    assert wizard.current_key() == "summary"
    finish = wizard.button(wizard.WizardButton.FinishButton)
    with qtbot.waitSignal(wizard.finished_setup):
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
        settle(wizard)
    assert not wizard.isVisible()
    assert database.read(lambda s, _a: onboarding.wizard_finished(s))


def test_finish_pressed_twice_finishes_once(
    qtbot, set_up: OnboardingWizard, database, monkeypatch
) -> None:
    wizard = set_up
    wizard.walk_to("summary")
    settle(wizard)
    written: list[str | None] = []
    position = onboarding.set_wizard_position

    def counted(s, actor, page: str | None) -> None:
        written.append(page)
        position(s, actor, page)

    monkeypatch.setattr(onboarding, "set_wizard_position", counted)
    finished: list[bool] = []
    wizard.finished_setup.connect(lambda: finished.append(True))
    finish = wizard.button(wizard.WizardButton.FinishButton)
    finish.click()
    assert wizard.isVisible() and not finish.isEnabled()  # written on the worker first
    wizard.accept()  # a second press (or Enter) while the first is written
    settle(wizard)
    assert finished == [True] and not wizard.isVisible()
    assert written == [None]  # "set-up finished", written once
    assert database.read(lambda s, _a: onboarding.wizard_finished(s))


def test_next_pressed_before_the_company_was_read_goes_on_by_itself(
    qtbot, database: Database, ops: Ops
) -> None:
    database.write(setup.save_employer, setup.EmployerInput(legal_name="Prairie Forge LLC"))
    wizard = OnboardingWizard(ops)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()  # before the stored company has been read
    assert wizard.current_key() == "company" and not page(wizard).form.isEnabled()
    settle(wizard)
    assert wizard.current_key() == "worksites"  # one press was enough


def test_a_worksite_added_in_the_wizard_shows_on_the_worksites_screen_and_in_pickers(
    qtbot, set_up: OnboardingWizard, ops: Ops
) -> None:
    from internhost.gui.widgets.screens import records_view

    wizard = set_up
    worksites = records_view("worksites", ops)  # the Worksites screen, on the same ops
    qtbot.addWidget(worksites)
    worksites.show()
    next_page(wizard)
    in_dialog(qtbot, {"name": "Rockford Plant"}, page(wizard).panels[0].new_record)
    settle(worksites)
    assert [r.name for r in worksites.rows()] == ["Rockford Plant"]
    next_page(wizard)
    assert wizard.current_key() == "equipment"

    def pickers(dialog: QDialog, form: FieldForm | None) -> None:
        assert form is not None
        sites = form.input("worksite_id")
        assert [text for _value, text in sites.choices()] == ["Rockford Plant"]
        # Another worksite, saved elsewhere while this dialog is open: it appears.
        ops.write(
            worksites,
            setup.save_worksite,
            setup.WorksiteInput("Belvidere Annex", "IL", "America/Chicago"),
            changes={"worksite"},
        )
        settle(dialog)
        assert [text for _value, text in sites.choices()] == ["Belvidere Annex", "Rockford Plant"]

    run = drive(page(wizard).panels[0].new_record, pickers, save=False)
    assert run.title == "New machine"
    settle(worksites)
    assert [r.name for r in worksites.rows()] == ["Belvidere Annex", "Rockford Plant"]
