"""The roster import dialog driven like a user: a messy CSV, the mapping step, the
preview's errors by line, the commit, cancelling the dialog (which writes nothing),
the import's batches in the progress window and its Cancel (which keeps nothing),
and every read on the database worker, none on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QProgressBar,
    QProgressDialog,
    QPushButton,
)
from sqlalchemy import func, select

from internhost.core.actor import SYSTEM
from internhost.core.importers import roster as roster_module
from internhost.core.importers.result import ImportReport
from internhost.core.models import AuditEvent, ImportMapping, Intern, Placement
from internhost.core.storage.db import read_session
from internhost.gui.database import Database
from internhost.gui.dialogs import base
from internhost.gui.dialogs.import_roster import FOLDER_KEY, ImportRosterDialog, Step, summary
from internhost.gui.models.columns import PILLS_ROLE
from internhost.gui.models.import_preview_model import ImportPreviewModel
from internhost.gui.ops import Ops
from internhost.gui.settings import UiSettings
from internhost.gui.tasks import TaskRunner

#: Inside the sample's first term (2025-09-08 to 2025-12-18).
TODAY = date(2025, 10, 15)
MENTOR = "maria.kowalski@prairieforge.example"
#: Excel-ish: a BOM, an unknown header ("Pupil Number"), a notes column, a blank line,
#: a quoted comma, an impossible date, an unknown worksite, a 13-year-old, a missing school.
MESSY = (
    "\ufeffFirst Name,Last Name,DOB,Pupil Number,School,Start Date,End Date,Site,"
    "Mentor Email,Paid,Rate,Notes\r\n"
    "Ana,Ruiz,3/4/2008 0:00,900101,Auburn High School,9/8/2025,2025-12-18,Rockford Plant,"
    f"{MENTOR},yes,$15.50,likes welding\r\n"
    "Ben,Ortiz,2008-02-30,900102,Auburn High School,9/8/2025,,Moon Base,,maybe,,\r\n"
    "\r\n"
    "Cleo,Nguyễn,2012-05-06,900103,,9/8/2025,,Rockford Plant,nobody@example.com,no,,quiet\r\n"
    'Dan,"Ames, Jr.",2008-01-02,900104,Auburn High School,,,,,,,"paints, draws"\r\n'
    "Eve,Bo,2008-01-03,900105,Elgin High School,,,,,,,sings\r\n"
)
CLEAN = (
    "First Name,Last Name,DOB,Pupil Number,School\r\n"
    "Fay,Lind,2008-04-05,900201,Auburn High School\r\n"
    "Gus,Moe,2008-06-07,900202,Elgin High School\r\n"
)


@pytest.fixture
def database(demo_path: Path) -> Iterator[Database]:
    database = Database.open(demo_path, SYSTEM, lambda: TODAY)
    yield database
    database.close()


@pytest.fixture
def runner(qtbot) -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def ops(database: Database, runner: TaskRunner) -> Ops:
    return Ops(database, runner)


@pytest.fixture
def roster(tmp_path: Path) -> Callable[[str | bytes, str], Path]:
    def write(text: str | bytes, name: str = "roster.csv") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
        return path

    return write


@pytest.fixture
def dialog(qtbot, ops: Ops, ui_settings: UiSettings):
    dialog = ImportRosterDialog(ops, settings=ui_settings)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: not dialog.busy)
    return dialog


def counts(database: Database) -> dict[str, int]:
    with read_session(database.factory, SYSTEM) as s:
        return {
            m.__tablename__: s.scalar(select(func.count()).select_from(m))
            for m in (Intern, Placement, ImportMapping, AuditEvent)
        }


def open_file(qtbot, dialog: ImportRosterDialog, path: Path) -> None:
    dialog.load_file(path)
    qtbot.waitUntil(lambda: not dialog.busy)


def to_columns(qtbot, dialog: ImportRosterDialog, path: Path) -> None:
    open_file(qtbot, dialog, path)
    assert dialog.file is not None, dialog.file_step.status.text()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.step == Step.COLUMNS


def to_preview(qtbot, dialog: ImportRosterDialog) -> None:
    assert dialog.next_button.isEnabled(), dialog.columns_step.missing_label.text()
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.step == Step.PREVIEW, timeout=10_000)


def run_ask(
    ops: Ops,
    settings: UiSettings,
    drive: Callable[[ImportRosterDialog], None],
) -> ImportReport | None:
    """``ImportRosterDialog.ask`` with ``drive`` acting the user inside its event loop;
    a failing ``drive`` closes the dialog (no test hangs in ``exec``) and fails the test."""
    errors: list[BaseException] = []

    def act() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ImportRosterDialog)
        try:
            drive(dialog)
        except BaseException as exc:
            errors.append(exc)
            dialog._committing = False
            dialog.discard()

    QTimer.singleShot(0, act)
    report = ImportRosterDialog.ask(None, ops, settings=settings)
    if errors:
        raise errors[0]
    return report


def header_row(dialog: ImportRosterDialog, header: str) -> int:
    assert dialog.file is not None
    return next(h.index for h in dialog.file.headers if h.header == header)


def test_mapping_step_shows_an_unknown_header_and_lets_you_map_it(
    qtbot, dialog: ImportRosterDialog, roster, database: Database, screenshot
) -> None:
    to_columns(qtbot, dialog, roster(MESSY))
    assert dialog.file_step.status.text().startswith(
        "5 rows under 12 columns (UTF-8, comma-separated)"
    )
    pupil = header_row(dialog, "Pupil Number")
    combo = dialog.columns_step.combos[pupil]
    assert combo.currentData() is None and combo.currentText() == "— ignore —"
    assert dialog.columns_step.flags[pupil].text() == "Not recognised"
    assert not dialog.columns_step.flags[pupil].isHidden()
    site = dialog.columns_step.combos[header_row(dialog, "Site")]
    assert site.currentData() == "worksite"  # an alias
    assert dialog.columns_step.combos[header_row(dialog, "DOB")].currentText() == (
        "Birth date (required)"
    )
    screenshot(dialog, "import_dialog_columns")

    combo.setCurrentIndex(combo.findData("student_id"))  # as a user picks it
    assert dialog.choices[pupil] == "student_id"
    assert dialog.columns_step.flags[pupil].isHidden()
    assert "remembered" in dialog.columns_step.notes[pupil].text()
    to_preview(qtbot, dialog)
    assert dialog.prepared is not None
    assert dialog.prepared.mappings == {"Pupil Number": "student_id"}
    assert counts(database)["import_mappings"] == 0  # a dry run remembers nothing


def test_preview_lists_errors_by_line_and_blocks_an_all_or_nothing_import(
    qtbot, dialog: ImportRosterDialog, roster, screenshot
) -> None:
    to_columns(qtbot, dialog, roster(MESSY))
    dialog.set_choice("Pupil Number", "student_id")
    to_preview(qtbot, dialog)
    model = dialog.review_step.rows.model
    rows = [model.row_at(r) for r in range(model.rowCount())]
    assert [(r.line, r.label, r.action) for r in rows] == [
        (2, "Ruiz, Ana", "create"),
        (3, "Ortiz, Ben", "invalid"),
        (5, "Nguyễn, Cleo", "invalid"),  # line 4 is blank: lines are the file's
        (6, "Ames, Jr., Dan", "create"),
        (7, "Bo, Eve", "create"),
    ]
    assert [e.column for e in rows[1].errors] == ["birth_date", "worksite", "paid"]
    assert [e.column for e in rows[2].errors] == ["school"]
    assert [w.column for w in rows[2].warnings] == ["birth_date", "mentor_email"]
    assert model.index(1, 3).data() == (
        "Birth date: 2008-02-30 is not a date; Worksite: unknown worksite 'Moon Base'; "
        "known: Elgin Assembly and Rockford Plant; Paid: maybe is not yes or no"
    )
    assert model.index(1, 2).data(PILLS_ROLE)[0].text == "Error"
    assert model.index(0, 2).data(PILLS_ROLE)[0].text == "New"
    assert model.index(1, 3).data(PILLS_ROLE)[0].text == "3"  # three errors in the cell
    assert dialog.review_step.summary_label.text() == (
        "5 rows: 3 would be imported, 2 have errors; 2 warnings"
    )
    assert not dialog.next_button.isEnabled()
    assert dialog.review_step.block.text().startswith("2 rows have errors, and the import is all")
    dialog.review_step.rows.table.selectRow(1)
    assert dialog.review_step.rows.details.text().splitlines() == [
        "Line 3, Ortiz, Ben:",
        "Error: Birth date: 2008-02-30 is not a date",
        "Error: Worksite: unknown worksite 'Moon Base'; known: Elgin Assembly and Rockford Plant",
        "Error: Paid: maybe is not yes or no",
    ]
    screenshot(dialog, "import_dialog_preview")

    dialog.review_step.problems_only.setChecked(True)
    assert [model.row_at(r).line for r in range(model.rowCount())] == [3, 5]
    assert dialog.review_step.shown_count.text() == "showing 2 of 5 rows"


def test_import_commits_the_valid_rows_and_remembers_the_mapping(
    qtbot, dialog: ImportRosterDialog, roster, database: Database, screenshot
) -> None:
    before = counts(database)
    open_file(qtbot, dialog, roster(MESSY))
    dialog.file_step.skip_invalid.setChecked(True)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    dialog.set_choice("Pupil Number", "student_id")
    to_preview(qtbot, dialog)
    assert dialog.next_button.isEnabled() and dialog.next_button.text() == "Import 3 rows"
    assert dialog.review_step.block.text() == (
        "2 rows with errors will be skipped; the other rows are imported."
    )
    assert counts(database) == before
    with qtbot.waitSignal(dialog.imported, timeout=10_000) as signal:
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    report: ImportReport = signal.args[0]
    assert dialog.step == Step.RESULT and dialog.report is report
    assert (report.imported, report.updated, report.dry_run) == (3, 0, False)
    after = counts(database)
    assert after["interns"] == before["interns"] + 3
    assert after["placements"] == before["placements"] + 1  # only Ana has a start date
    assert dialog.result_step.heading.text() == "Imported 3 new interns"
    assert "2 rows with errors were skipped" in dialog.result_step.text.text()
    result = dialog.result_step.rows.model
    assert [result.row_at(r).line for r in range(result.rowCount())] == [3, 5]
    assert result.index(0, 2).data(PILLS_ROLE)[0].text == "Skipped"
    assert dialog.cancel_button.text() == "Close" and not dialog.next_button.isVisible()
    screenshot(dialog, "import_dialog_result")
    with read_session(database.factory, SYSTEM) as s:
        assert s.scalar(select(Intern.student_id).where(Intern.legal_last_name == "Ruiz")) == (
            "900101"
        )
        stored = s.execute(select(ImportMapping.header, ImportMapping.column)).all()
    assert [tuple(m) for m in stored] == [("pupil number", "student_id")]


def test_cancel_writes_nothing_and_ask_returns_none(
    qtbot, database: Database, ops: Ops, roster, ui_settings: UiSettings, monkeypatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(base, "confirm_discard", lambda _parent, what: asked.append(what) or True)
    before = counts(database)
    path = roster(MESSY)
    seen: dict[str, object] = {}

    def drive(dialog: ImportRosterDialog) -> None:
        dialog.file_step.skip_invalid.setChecked(True)
        to_columns(qtbot, dialog, path)
        dialog.set_choice("Pupil Number", "student_id")
        to_preview(qtbot, dialog)
        seen["would_import"] = dialog.dry_run.would_import if dialog.dry_run else None
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    assert run_ask(ops, ui_settings, drive) is None
    assert asked == ["import a roster"]  # the file and its columns were work to lose
    assert seen["would_import"] == 3
    assert counts(database) == before  # no intern, no mapping, no audit event
    assert ui_settings.qsettings.value(FOLDER_KEY) == str(path.parent)


def test_ask_returns_the_committed_report(qtbot, ops: Ops, roster, ui_settings: UiSettings) -> None:
    path = roster(CLEAN)

    def drive(dialog: ImportRosterDialog) -> None:
        to_columns(qtbot, dialog, path)
        dialog.set_choice("Pupil Number", "student_id")
        to_preview(qtbot, dialog)
        assert dialog.review_step.block.isHidden()
        with qtbot.waitSignal(dialog.imported, timeout=10_000):
            qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
        assert dialog.result_step.empty.isVisibleTo(dialog) and dialog.result_step.rows.isHidden()
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)

    report = run_ask(ops, ui_settings, drive)
    assert report is not None and (report.imported, report.errors) == (2, [])


def test_update_existing_updates_the_interns_on_record(
    qtbot, database: Database, ops: Ops, roster, ui_settings: UiSettings
) -> None:
    lines = CLEAN.splitlines()
    first = ImportRosterDialog(ops, settings=ui_settings)
    qtbot.addWidget(first)
    to_columns(qtbot, first, roster(CLEAN))
    first.set_choice("Pupil Number", "student_id")
    to_preview(qtbot, first)
    with qtbot.waitSignal(first.imported, timeout=10_000):
        qtbot.mouseClick(first.next_button, Qt.MouseButton.LeftButton)
    again = "".join(f"{line},{'Grade' if n == 0 else 11}\r\n" for n, line in enumerate(lines))
    dialog = ImportRosterDialog(ops, settings=ui_settings)
    qtbot.addWidget(dialog)
    to_columns(qtbot, dialog, roster(again, "again.csv"))
    pupil = dialog.columns_step.combos[header_row(dialog, "Pupil Number")]
    assert pupil.currentData() == "student_id"  # remembered from the first import
    to_preview(qtbot, dialog)
    assert dialog.review_step.summary_label.text() == "2 rows: 0 would be imported, 2 have errors"
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    dialog.file_step.update_existing.setChecked(True)
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    to_preview(qtbot, dialog)
    assert (
        dialog.review_step.summary_label.text() == "2 rows: 2 would be imported (0 new, 2 updated)"
    )
    assert dialog.review_step.rows.model.index(0, 2).data(PILLS_ROLE)[0].text == "Update"
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.result_step.heading.text() == "Updated 2 interns"
    with read_session(database.factory, SYSTEM) as s:
        grades = s.scalars(select(Intern.grade).where(Intern.student_id.in_(["900201", "900202"])))
        assert sorted(grades) == [11, 11]


def test_the_file_step_offers_the_schools_and_a_file_button(dialog: ImportRosterDialog) -> None:
    assert dialog.step == Step.FILE and dialog.file_step.browse_button.isEnabled()
    assert not dialog.next_button.isEnabled() and not dialog.back_button.isVisible()
    combo = dialog.file_step.school_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "From the file's School column",
        "Auburn High School",
        "Elgin High School",
        "Jefferson High School",
    ]
    assert combo.currentData() is None


def test_a_refused_file_is_shown_in_the_step(qtbot, dialog: ImportRosterDialog, roster) -> None:
    open_file(qtbot, dialog, roster(b"PK\x03\x04 a workbook", "roster.xlsx"))
    assert dialog.file is None and dialog.step == Step.FILE
    assert dialog.file_step.status.text() == (
        "This file cannot be imported: the file is an Excel workbook (.xlsx); save it as CSV."
    )
    assert dialog.file_step.status.property("role") == "error"
    assert not dialog.next_button.isEnabled()
    open_file(qtbot, dialog, Path(dialog.path or ".").with_name("missing.csv"))
    assert dialog.file_step.status.text().startswith("This file cannot be read: No such file")
    open_file(qtbot, dialog, roster(CLEAN))  # a good file after a bad one
    assert dialog.file is not None and dialog.next_button.isEnabled()


def test_missing_required_columns_are_named_until_chosen(
    qtbot, dialog: ImportRosterDialog, roster, screenshot
) -> None:
    to_columns(qtbot, dialog, roster("Given,Family,Born\r\nFay,Lind,2008-04-05\r\n"))
    assert dialog.columns_step.missing_label.text().startswith(
        "Required, and no column of the file chosen for it yet: First name, Last name, "
        "Birth date, School."
    )
    assert dialog.columns_step.missing_label.property("role") == "error"
    assert not dialog.next_button.isEnabled()
    screenshot(dialog, "import_dialog_missing")
    dialog.set_choice("Given", "first_name")
    dialog.set_choice("Family", "last_name")
    dialog.set_choice("Born", "birth_date")
    assert "School." in dialog.columns_step.missing_label.text() and "First name" not in (
        dialog.columns_step.missing_label.text()
    )
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    dialog.file_step.school_combo.setCurrentIndex(
        dialog.file_step.school_combo.findData("Elgin High School")
    )
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert (
        dialog.columns_step.missing_label.isHidden()
    )  # the default school fills the School column
    assert dialog.choices == ["first_name", "last_name", "birth_date"]  # kept across Back
    to_preview(qtbot, dialog)
    assert dialog.dry_run is not None and dialog.dry_run.would_import == 1
    assert dialog.next_button.isEnabled()


def test_another_file_shows_only_its_own_columns(qtbot, dialog: ImportRosterDialog, roster) -> None:
    to_columns(qtbot, dialog, roster(MESSY))
    qtbot.mouseClick(dialog.back_button, Qt.MouseButton.LeftButton)
    to_columns(qtbot, dialog, roster(CLEAN, "clean.csv"))
    page = dialog.columns_step.area.widget()
    qtbot.wait(20)  # deferred deletes run
    texts = [w.text() for w in page.findChildren(QLabel) if not w.isHidden()]
    assert "Notes" not in texts and texts.count("First Name") == 1  # the last file's went
    assert len(page.findChildren(QComboBox)) == 5 and dialog.choices[:3] == [
        "first_name",
        "last_name",
        "birth_date",
    ]


def test_one_header_per_column_and_ignoring_a_recognised_header(
    qtbot, dialog: ImportRosterDialog, roster
) -> None:
    to_columns(qtbot, dialog, roster(MESSY))
    dialog.set_choice("Pupil Number", "student_id")
    dialog.set_choice("Site", None)  # "Site" here is not the plant: ignore it
    notes = header_row(dialog, "Notes")
    first = header_row(dialog, "First Name")
    dialog.set_choice("Notes", "first_name")
    assert dialog.choices[first] is None  # the column moved to Notes
    assert dialog.columns_step.combos[first].currentData() is None
    assert dialog.columns_step.flags[first].text() == "Changed"
    assert dialog.columns_step.notes[first].text() == "ignored: “Notes” now imports as its column"
    dialog.set_choice("Notes", None)
    dialog.set_choice("First Name", "first_name")
    assert dialog.choices[notes] is None and dialog.choices[first] == "first_name"
    to_preview(qtbot, dialog)
    model = dialog.review_step.rows.model
    ben = model.row_at(1)
    assert ben.line == 3 and [e.column for e in ben.errors] == ["birth_date", "paid"]
    assert dialog.dry_run is not None and dialog.dry_run.warnings[0].column == "worksite"


def test_the_dialog_stays_open_and_busy_while_the_commit_runs(
    qtbot, dialog: ImportRosterDialog, roster, runner: TaskRunner, database: Database
) -> None:
    to_columns(qtbot, dialog, roster(CLEAN))
    dialog.set_choice("Pupil Number", "student_id")
    to_preview(qtbot, dialog)
    release = threading.Event()
    runner.submit(release.wait, 10)  # the worker is busy elsewhere
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and not dialog.busy_bar.isHidden()
    assert dialog.status.text() == "Importing 2 rows…"
    assert not dialog.cancel_button.isEnabled() and not dialog.back_button.isEnabled()
    dialog.reject()
    assert dialog.isVisible()
    release.set()
    qtbot.waitUntil(lambda: dialog.step == Step.RESULT, timeout=10_000)
    assert dialog.report is not None and dialog.report.imported == 2
    assert dialog.busy_bar.isHidden() and dialog.cancel_button.isEnabled()


def _numbered(count: int) -> str:
    """A clean roster of ``count`` students."""
    rows = (
        f"Ana{i},Ruiz{i},2008-03-{i % 28 + 1:02d},{900300 + i},Auburn High School\r\n"
        for i in range(count)
    )
    return "First Name,Last Name,DOB,Pupil Number,School\r\n" + "".join(rows)


class Hold:
    """Holds the worker at the ``at``-th call of ``module.name`` until ``release()``
    (the test acts meanwhile, as a user would while the import runs)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module: object, name: str, at: int):
        self.reached = threading.Event()
        self._released = threading.Event()
        original = getattr(module, name)
        calls = 0

        def held(*args: object, **kwargs: object) -> object:
            nonlocal calls
            calls += 1
            if calls == at:
                self.reached.set()
                self._released.wait(10)
            return original(*args, **kwargs)

        monkeypatch.setattr(module, name, held)

    def release(self) -> None:
        self._released.set()


def progress_window() -> QProgressDialog | None:
    """The runner's progress window, when it shows."""
    shown = (w for w in QApplication.topLevelWidgets() if isinstance(w, QProgressDialog))
    return next((w for w in shown if w.isVisible()), None)


def press_and_hold(qtbot, dialog: ImportRosterDialog, hold: Hold) -> QProgressDialog:
    """Press Next and wait until the work is held and its progress window shows (the
    runner shows it once work has run for 500 ms)."""
    qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert hold.reached.wait(10)
    qtbot.waitUntil(lambda: progress_window() is not None, timeout=5_000)
    window = progress_window()
    assert window is not None
    return window


def cancel_and_release(qtbot, window: QProgressDialog, hold: Hold) -> None:
    """The user presses the progress window's Cancel; then the worker goes on."""
    cancel = window.findChild(QPushButton)
    assert cancel is not None and cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert window.labelText().endswith("\nCancelling…")  # until the work stops
    hold.release()


@pytest.fixture
def batches_of_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(roster_module, "BATCH_ROWS", 2)


def test_the_import_shows_its_batches_and_cancel_keeps_nothing(
    qtbot,
    dialog: ImportRosterDialog,
    roster,
    database: Database,
    monkeypatch,
    batches_of_two,
    screenshot,
) -> None:
    before = counts(database)
    to_columns(qtbot, dialog, roster(_numbered(7)))
    to_preview(qtbot, dialog)
    hold = Hold(monkeypatch, roster_module, "_check", at=2)  # the commit's second batch
    window = press_and_hold(qtbot, dialog, hold)
    qtbot.waitUntil(lambda: window.labelText() == "Importing 7 rows…\nRows 3–4 of 7")
    bar = window.findChild(QProgressBar)
    assert bar is not None and (bar.value(), bar.maximum()) == (2, 7)
    screenshot(window, "import_dialog_progress")
    cancel_and_release(qtbot, window, hold)  # the next batch's step stops the import
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.step == Step.PREVIEW and dialog.report is None
    assert dialog.status.text() == (
        "You stopped the import, so nothing was imported; Import runs it again."
    )
    assert counts(database) == before  # not the first batch either, nor the mapping
    assert progress_window() is None
    assert dialog.next_button.isEnabled() and dialog.cancel_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=10_000):  # and it runs again
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert dialog.result_step.heading.text() == "Imported 7 new interns"
    assert counts(database)["interns"] == before["interns"] + 7


def test_a_cancel_after_the_commit_is_too_late_and_the_result_says_so(
    qtbot, dialog: ImportRosterDialog, roster, database: Database, monkeypatch
) -> None:
    before = counts(database)
    to_columns(qtbot, dialog, roster(_numbered(3)))
    to_preview(qtbot, dialog)
    hold = Hold(monkeypatch, roster_module, "refresh_statistics", at=1)  # committed by then
    window = press_and_hold(qtbot, dialog, hold)
    assert window.labelText() == "Importing 3 rows…\nSaving"
    cancel_and_release(qtbot, window, hold)
    qtbot.waitUntil(lambda: dialog.step == Step.RESULT, timeout=10_000)
    assert dialog.report is not None and dialog.report.imported == 3
    assert dialog.result_step.heading.text() == "Imported 3 new interns"
    assert counts(database)["interns"] == before["interns"] + 3


def test_a_stopped_check_stays_on_the_columns(
    qtbot, dialog: ImportRosterDialog, roster, database: Database, monkeypatch, batches_of_two
) -> None:
    to_columns(qtbot, dialog, roster(_numbered(5)))
    hold = Hold(monkeypatch, roster_module, "_check", at=1)
    window = press_and_hold(qtbot, dialog, hold)
    assert window.labelText() == "Checking 5 rows…\nRows 1–2 of 5"
    cancel_and_release(qtbot, window, hold)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.step == Step.COLUMNS and dialog.dry_run is None
    assert dialog.status.text() == "You stopped the check; nothing was written."
    assert dialog.next_button.isEnabled()


def test_every_step_reads_on_the_worker_and_the_commit_announces_its_changes(
    qtbot, ops: Ops, roster, database: Database, ui_settings: UiSettings
) -> None:
    """The guard (``gui.database``) refuses a GUI-thread connection in these tests;
    here every connection the dialog takes is seen to be on the worker."""
    from sqlalchemy import event

    threads: list[threading.Thread] = []
    event.listen(database.engine, "checkout", lambda *_: threads.append(threading.current_thread()))
    announced: list[frozenset[str]] = []
    ops.changed.connect(announced.append)
    dialog = ImportRosterDialog(ops, settings=ui_settings)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.busy)  # the schools
    to_columns(qtbot, dialog, roster(CLEAN))
    dialog.set_choice("Pupil Number", "student_id")
    to_preview(qtbot, dialog)
    assert announced == []  # a dry run changes nothing
    with qtbot.waitSignal(dialog.imported, timeout=10_000):
        qtbot.mouseClick(dialog.next_button, Qt.MouseButton.LeftButton)
    assert announced == [frozenset({"intern", "placement", "checklist"})]
    assert len(threads) >= 4  # schools, the file, the dry run, the commit
    assert threading.main_thread() not in threads


def _dry_run(database: Database, data: str) -> ImportReport:
    from internhost.core.importers.roster import import_roster

    return import_roster(
        database.factory,
        SYSTEM,
        data.encode(),
        mappings={"Pupil Number": "student_id"},
        dry_run=True,
        today=TODAY,
    )


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_preview_model_contract(qtmodeltester, database: Database, force_py: bool) -> None:
    report = _dry_run(database, MESSY)
    qtmodeltester.check(ImportPreviewModel(), force_py=force_py)
    model = ImportPreviewModel()
    model.set_report(report)
    assert model.rowCount() == 5 and model.columnCount() == 5
    qtmodeltester.check(model, force_py=force_py)
    model.set_problems_only(True)  # changed after the check: the tester watches the reset
    assert model.rowCount() == 2 and model.total == 5


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_filtered_preview_model_contract(qtmodeltester, database: Database, force_py: bool) -> None:
    model = ImportPreviewModel()
    model.set_problems_only(True)
    model.set_report(_dry_run(database, MESSY))
    qtmodeltester.check(model, force_py=force_py)


def test_summary_words_updates_and_unchanged_rows() -> None:
    from internhost.core.importers.result import Outcomes, RowOutcome

    report = ImportReport(
        rows=4,
        would_import=3,
        dry_run=True,
        outcomes=Outcomes(
            [
                RowOutcome(2, "create", "A"),
                RowOutcome(3, "update", "B"),
                RowOutcome(4, "unchanged", "C"),
                RowOutcome(5, "invalid", "D"),
            ]
        ),
    )
    assert summary(report) == (
        "4 rows: 3 would be imported (1 new, 1 updated, 1 unchanged), 1 has errors"
    )


def test_a_file_over_the_size_limit_is_refused_in_the_file_step(
    qtbot, dialog: ImportRosterDialog, tmp_path: Path
) -> None:
    from internhost.core.importers import limits

    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(limits.MAX_FILE_BYTES + 1)  # sparse: no disk, and never read
    open_file(qtbot, dialog, big)
    assert dialog.file is None and not dialog.next_button.isEnabled()
    assert dialog.file_step.status.text() == (
        "This file cannot be imported: the file is 64.1 MB, over the 64 MB a roster may be "
        "(a roster of interns is a few thousand rows at most, and the limit keeps an "
        "import's memory and time bounded; split the file)."
    )


def test_a_long_report_is_shown_without_a_row_object_each() -> None:
    """200,000 rows, 3 errors listed and the rest not: the model makes rows as the view
    asks, and the filter keeps positions, not rows."""
    import tracemalloc

    from internhost.core.importers.result import Issue, Outcomes, RowOutcome
    from internhost.gui.models.import_preview_model import NOT_LISTED

    outcomes = Outcomes(
        RowOutcome(line, "invalid" if line in (7, 100_002) else "create", f"Ruiz, Ana{line}")
        for line in range(2, 200_002)
    )
    report = ImportReport(
        rows=len(outcomes),
        dry_run=True,
        outcomes=outcomes,
        errors=[Issue(7, "birth_date", "2008-02-30 is not a date")],
        errors_not_listed=4,
        warnings=[Issue(9, "worksite", "no worksite given")],
    )
    model = ImportPreviewModel()
    tracemalloc.start()
    try:
        model.set_report(report)
        model.set_problems_only(True)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 5_000_000  # a PreviewRow each would take some 60 MB
    assert (model.total, model.rowCount()) == (200_000, 3)
    assert [(model.row_at(r).line, model.row_at(r).action) for r in range(3)] == [
        (7, "invalid"),
        (9, "create"),
        (100_002, "invalid"),
    ]
    assert model.index(2, 3).data() == NOT_LISTED
    model.set_problems_only(False)
    assert model.rowCount() == 200_000 and model.index(199_999, 1).data() == "Ruiz, Ana200001"
