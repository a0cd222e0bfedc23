"""Every screen, wizard page and main dialog on the sample data, at 1024×700 and
1920×1080: the gallery in ``docs/screenshots`` (``INTERNHOST_SCREENSHOTS=docs``), which
someone looks at picture by picture after changing a layout. A dialog is shot as a
screen of that size shows it: at its own size, no larger than the screen."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from dialogs import in_dialog, settle
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QDialog, QScrollArea, QWidget
from screens import show_intern

from internhost.core.services import retention
from internhost.gui.dialogs.import_roster import ImportRosterDialog, Step
from internhost.gui.dialogs.purge import PurgeDialog
from internhost.gui.main_window import MainWindow
from internhost.gui.wizards.onboarding import PAGES, OnboardingWizard

SIZES = {"1024": QSize(1024, 700), "1920": QSize(1920, 1080)}
SCREENS = (
    "dashboard",
    "setup",
    "planner",
    "compliance",
    "incidents",
    "placements",
    "staff",
    "schools",
    "calendars",
    "worksites",
    "equipment",
    "plan",
    "backups",
    "accounts",
    "audit",
)
RECORD_EDITORS = ("placements", "staff", "schools", "calendars", "worksites", "equipment")
#: Long after the sample's first term: some interns are past the retention period.
LATER = date(2029, 6, 1)
ROSTER = (
    "First Name,Last Name,DOB,Pupil Number,School,Start Date,Site,Mentor Email,Notes\r\n"
    "Ana,Ruiz,2010-03-04,900101,Auburn High School,2026-09-08,Rockford Plant,"
    "maria.kowalski@prairieforge.example,likes welding\r\n"
    "Ben,Ortiz,2010-02-30,900102,Auburn High School,2026-09-08,Moon Base,,\r\n"
    "Cleo,Nguyễn,2013-05-06,900103,,2026-09-08,Rockford Plant,nobody@example.com,quiet\r\n"
)

Shot = Callable[[QWidget, str], Path]


@pytest.fixture(params=list(SIZES))
def size(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def window(open_window, demo_path: Path, size: str) -> Iterator[MainWindow]:
    window = open_window(demo_path)
    window.resize(SIZES[size])
    window.runner.settle()
    yield window


def fit(dialog: QWidget, size: str) -> None:
    screen = SIZES[size]
    dialog.resize(min(dialog.width(), screen.width()), min(dialog.height(), screen.height()))


def test_every_screen(window: MainWindow, size: str, gallery: Shot) -> None:
    for key in SCREENS:
        window.show_page(key)
        window.runner.settle()
        gallery(window, f"{key}-{size}")
    detail = show_intern(window).detail
    for tab, name in enumerate(
        ("overview", "findings", "checklist", "plan", "hours", "check-ins", "incidents", "progress")
    ):
        detail.tabs.setCurrentIndex(tab)
        window.runner.settle()  # the Hours tab reads once it is shown
        gallery(window, f"interns-{name}-{size}")
    assert window.size() == SIZES[size]  # nothing's minimum outgrew the screen


def test_every_record_dialog(window: MainWindow, size: str, gallery: Shot) -> None:
    def shoot(name: str, tabs: tuple[str, ...] = ()) -> Callable[[QDialog, object], None]:
        def act(dialog: QDialog, _form: object) -> None:
            fit(dialog, size)
            gallery(dialog, f"{name}-{size}")
            for index, tab in enumerate(tabs[1:], start=1):
                dialog.tabs.setCurrentIndex(index)
                gallery(dialog, f"{name}-{tab}-{size}")

        return act

    view = show_intern(window)
    tabs = ("details", "contacts", "medical", "releases")
    in_dialog(view.edit_selected, shoot("intern-editor", tabs), save=False)
    for key in RECORD_EDITORS:
        window.show_page(key)
        window.runner.settle()
        page = window._page(key)
        page.table.selectRow(0)
        in_dialog(page.edit_selected, shoot(f"{key}-editor"), save=False)
    window.show_page("accounts")
    in_dialog(window._page("accounts").new_record, shoot("account-editor"), save=False)
    window.show_page("compliance")
    window.runner.settle()
    compliance = window._page("compliance")
    model = compliance.model
    row = next(r for r in range(model.rowCount()) if "override" in model.row_at(r).actions)
    compliance.table.selectRow(row)
    in_dialog(lambda: compliance.decide("override"), shoot("finding-decision"), save=False)
    forms_dialogs(window, size, gallery)


def test_new_term_purge_and_import(
    window: MainWindow, size: str, gallery: Shot, qtbot, tmp_path: Path
) -> None:
    def term(dialog: QDialog, form: Any) -> None:
        fit(dialog, size)
        settle(dialog)  # the term to copy, guessed on the database worker
        form.input("new_start").set_value(date(2027, 1, 19))
        form.input("new_end").set_value(date(2027, 5, 28))
        dialog.run_preview()
        settle(dialog)
        gallery(dialog, f"new-term-{size}")

    view = show_intern(window)
    in_dialog(view.new_term, term, save=False)

    purge = PurgeDialog(window.database.read(retention.propose_purge, LATER), window)
    qtbot.addWidget(purge)
    fit(purge, size)
    purge.show()
    gallery(purge, f"purge-review-{size}")
    purge.reject()

    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    dialog = ImportRosterDialog(window.ops, window, settings=window.settings)
    qtbot.addWidget(dialog)
    fit(dialog, size)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy)
    dialog.load_file(roster)
    qtbot.waitUntil(lambda: not dialog.busy)
    gallery(dialog, f"import-file-{size}")
    dialog.go_next()
    assert dialog.step == Step.COLUMNS
    dialog.set_choice("Pupil Number", "student_id")
    gallery(dialog, f"import-columns-{size}")
    dialog.go_next()
    qtbot.waitUntil(lambda: dialog.step == Step.PREVIEW, timeout=10_000)
    dialog.review_step.rows.table.selectRow(1)
    gallery(dialog, f"import-preview-{size}")
    dialog.discard()


def test_every_wizard_page(window: MainWindow, size: str, gallery: Shot, qtbot) -> None:
    wizard = OnboardingWizard(window.ops, window)
    qtbot.addWidget(wizard)
    fit(wizard, size)
    wizard.show()
    for number, key in enumerate(PAGES, start=1):
        wizard.walk_to(key)
        window.runner.settle()  # the pages read (and the company page saves) on the worker
        assert wizard.current_key() == key
        gallery(wizard, f"wizard-{number}-{key}-{size}")
    wizard.reject()


def test_the_welcome_screen(open_window, db_path: Path, size: str, gallery: Shot) -> None:
    window = open_window(db_path)  # an empty database opens on the welcome
    window.resize(SIZES[size])
    assert window.current_page == "welcome"
    gallery(window, f"welcome-{size}")


CLOCK = (
    "Employee ID,Student #,Punch Date,Clock In,Clock Out,Lunch Out,Lunch In,Job Code\r\n"
    "B-1001,,11/17/2026,7:00 AM,3:30 PM,11:00 AM,11:30 AM,office_clerical\r\n"
    ",900101,11/17/2026,3:30 PM,5:30 PM,,,\r\n"
)


def test_logged_hours_dialogs(
    window: MainWindow, size: str, gallery: Shot, qtbot, tmp_path: Path
) -> None:
    """The time-entry dialog (the Hours tab opens it) and the time clock's import."""
    from internhost.gui.dialogs.import_roster import HOURS
    from internhost.gui.dialogs.time_entry import open_time_entry

    view = show_intern(window)

    def entry(dialog: QDialog, _form: object) -> None:
        fit(dialog, size)
        gallery(dialog, f"time-entry-{size}")

    intern_id = view.selected_intern_id()
    assert intern_id is not None
    in_dialog(lambda: open_time_entry(window, window.ops, intern_id), entry, save=False)

    clock = tmp_path / "clock.csv"
    clock.write_text(CLOCK, encoding="utf-8")
    dialog = ImportRosterDialog(window.ops, window, settings=window.settings, kind=HOURS)
    qtbot.addWidget(dialog)
    fit(dialog, size)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy)
    dialog.load_file(clock)
    qtbot.waitUntil(lambda: not dialog.busy)
    gallery(dialog, f"import-hours-file-{size}")
    dialog.go_next()
    assert dialog.step == Step.COLUMNS
    gallery(dialog, f"import-hours-columns-{size}")
    dialog.discard()


def test_planner_dialogs(window: MainWindow, size: str, gallery: Shot, qtbot) -> None:
    """The planner with a shift selected (its details), the recurring-pattern dialog
    and the plant closure calendar (under More)."""
    window.show_page("planner")
    window.runner.settle()
    planner = window._page("planner")
    planner.view.setFocus()
    qtbot.keyClick(planner.view, Qt.Key.Key_Tab)
    window.runner.settle()
    gallery(window, f"planner-shift-{size}")

    def shoot(name: str) -> Callable[[QDialog, object], None]:
        def act(dialog: QDialog, _form: object) -> None:
            fit(dialog, size)
            preview = getattr(dialog, "preview", None)  # the pattern's, read on the worker
            if preview is not None:
                qtbot.waitUntil(lambda: "Checking" not in preview.text())
            settle(dialog)
            gallery(dialog, f"{name}-{size}")

        return act

    in_dialog(planner.plan_series, shoot("planner-series"), save=False)
    in_dialog(planner.edit_closures, shoot("plant-closures"), save=False)


def test_incident_dialog(window: MainWindow, size: str, gallery: Shot) -> None:
    """The incident dialog, recording an injury of the sample intern from their
    Incidents tab: the form, then the notification checklist the packs say applies."""
    detail = show_intern(window).detail
    detail.tabs.setCurrentWidget(detail.incidents_tab)
    window.runner.settle()

    def shoot(dialog: QDialog, form: Any) -> None:
        settle(dialog)  # which notices apply, read on the worker
        form.input("description").set_value("Caught a sleeve on the bench grinder guard.")
        form.input("body_part").set_value("Left forearm")
        settle(dialog)
        fit(dialog, size)
        gallery(dialog, f"incident-{size}")
        scroll = dialog.findChild(QScrollArea)
        scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())
        gallery(dialog, f"incident-checklist-{size}")

    in_dialog(detail.incidents_tab.record, shoot, save=False)


def test_check_in_dialogs(window: MainWindow, size: str, gallery: Shot) -> None:
    """The two-minute check-in (its shortcut's action), a wellbeing concern's guidance
    in it, the cadence editor of the Check-ins tab and HR's topic list (Set-up)."""

    def check_in(dialog: QDialog, form: Any) -> None:
        settle(dialog)
        fit(dialog, size)
        gallery(dialog, f"check-in-{size}")
        form.input("concern_category").set_value("wellbeing")
        settle(dialog)
        gallery(dialog, f"check-in-concern-{size}")

    in_dialog(window.log_check_in, check_in, save=False)
    detail = show_intern(window).detail
    detail.tabs.setCurrentWidget(detail.check_ins_tab)
    window.runner.settle()

    def cadence(dialog: QDialog, _form: object) -> None:
        fit(dialog, size)
        gallery(dialog, f"check-in-cadence-{size}")

    if detail.check_ins_tab.cadence_button.isEnabled():
        in_dialog(detail.check_ins_tab.edit_cadence, cadence, save=False)

    def topics(dialog: QDialog, _form: object) -> None:
        fit(dialog, size)
        gallery(dialog, f"check-in-topics-{size}")

    window.show_page("setup")
    window.runner.settle()
    in_dialog(window._page("setup").topics, topics, save=False)


def test_progress_dialogs(window: MainWindow, size: str, gallery: Shot, qtbot) -> None:
    """The Progress tab's dialogs (evaluation, goal, site visit, ending) and the
    frameworks editor under Set-up."""
    detail = show_intern(window).detail
    detail.tabs.setCurrentWidget(detail.progress_tab)
    window.runner.settle()
    tab = detail.progress_tab
    qtbot.waitUntil(lambda: tab.data is not None)

    def shoot(name: str) -> Callable[[QDialog, object], None]:
        def act(dialog: QDialog, _form: object) -> None:
            fit(dialog, size)
            gallery(dialog, f"{name}-{size}")

        return act

    for name, open_it in (
        ("evaluation", tab.add_evaluation),
        ("goal", tab.add_goal),
        ("site-visit", tab.add_visit),
        ("placement-outcome", tab.end),
    ):
        in_dialog(open_it, shoot(name), save=False)
    window.show_page("setup")
    window.runner.settle()
    in_dialog(window._page("setup").frameworks, shoot("frameworks"), save=False)


def test_school_forms_dialog(window: MainWindow, size: str, gallery: Shot) -> None:
    """Set-up's School forms: a school's PDF registered and mapped, previewed for an
    intern of the school."""
    from formkit import school_form

    from internhost.core.services import directory, school_forms

    database = window.ops.database
    school = database.read(directory.list_schools)[0].id
    data = school_forms.SchoolFormInput(
        school, "Work-based learning form", "wbl.pdf", school_form()
    )
    form = database.write(school_forms.register_form, data).form.id
    mapping = {
        "student_name": "intern.legal_name",
        "birth_date": "intern.birth_date",
        "mentor": "mentor.name",
        "employer": "employer.name",
        "notes": "worksite.address",
        "cde_met": "hours.cde_met",
        "grade": "intern.grade",
    }
    database.write(school_forms.save_mapping, form, mapping)
    window.show_page("setup")
    window.runner.settle()

    def shoot(dialog: QDialog, _form: object) -> None:
        settle(dialog)
        combo = dialog.school  # type: ignore[attr-defined]
        combo.setCurrentIndex(combo.findData(school))
        settle(dialog)
        fit(dialog, size)
        gallery(dialog, f"school-forms-{size}")

    in_dialog(window._page("setup").school_forms, shoot, save=False)


def forms_dialogs(window: MainWindow, size: str, gallery: Shot) -> None:
    """The reference letter (the Progress tab opens it) and the student-learner
    agreement's terms (the placement editor opens them), as the sample keeps them
    (in ``test_every_record_dialog``'s window: a window of their own costs seconds)."""
    from sqlalchemy import select

    from internhost.core.models import Placement
    from internhost.core.services import progress
    from internhost.gui.dialogs.reference_letter import open_reference_letter
    from internhost.gui.dialogs.student_learner import open_student_learner

    def find(s: Any, _actor: Any) -> tuple[int, int]:
        intern = s.scalar(select(Placement.intern_id).where(Placement.status == "completed"))
        terms = s.scalar(select(Placement.id).where(Placement.student_learner_agreement.has()))
        return intern, terms

    intern, terms = window.database.read(find)
    data = window.database.read(progress.intern_progress, intern, window.ops.today())

    def shoot(name: str) -> Callable[[QDialog, object], None]:
        def act(dialog: QDialog, _form: object) -> None:
            fit(dialog, size)
            gallery(dialog, f"{name}-{size}")

        return act

    letter = lambda: open_reference_letter(window, window.ops, data, "Jamal Smith")  # noqa: E731
    in_dialog(letter, shoot("reference-letter"), save=False)
    in_dialog(
        lambda: open_student_learner(window, window.ops, terms),
        shoot("student-learner"),
        save=False,
    )


def test_packets_tab_preview_and_batch(
    window: MainWindow, size: str, gallery: Shot, tmp_path: Path
) -> None:
    """The intern's Packets tab with a packet printed, the preview of the next, and the
    Schools screen's batch dialog."""
    from internhost.core.services import packets
    from internhost.gui.dialogs.pdf_preview import PdfPreviewDialog
    from internhost.gui.dialogs.print_packets import PrintPacketsDialog

    database = window.ops.database
    view = show_intern(window)
    intern = view.detail.current.id
    database.write(
        packets.write_packet,
        intern,
        None,
        tmp_path / "p.pdf",
        database.path,
        today=database.today(),
    )
    window.ops.announce({"packet"})
    detail = view.detail
    detail.tabs.setCurrentWidget(detail.packets_tab)
    window.runner.settle()
    gallery(window, f"interns-packets-{size}")
    detail.packets_tab.print_school_packet()
    window.runner.settle()
    preview = detail.packets_tab.findChild(PdfPreviewDialog)
    assert preview is not None and preview.pdf.page_count > 0
    fit(preview, size)
    gallery(preview, f"packet-preview-{size}")
    preview.discard()
    window.show_page("schools")
    window.runner.settle()
    schools = window._page("schools")
    schools.table.selectRow(0)
    assert schools.print_packets()
    batch = schools.findChild(PrintPacketsDialog)
    assert batch is not None
    gallery(batch, f"print-packets-{size}")
    batch.discard()
