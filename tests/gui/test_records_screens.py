"""The records screens (staff, schools, calendars, worksites, equipment, placements)
against real databases: what they list, search, archive and restore, the editors'
saves and refusals, copying calendars, and Export CSV. Every read and write runs on
the database worker (``gui.ops``): the tests wait for the answers (``settle``), and
the guard fails any of these screens that touches the database on the GUI thread."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from dialogs import Calls, in_dialog, saved, settle
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLabel, QMessageBox
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.fileio.exporting import HEADERS
from internhost.core.models import AuditEvent, Staff, Worksite
from internhost.core.services import directory, placements
from internhost.core.storage import db
from internhost.gui.database import Database
from internhost.gui.main_window import RECORD_SCREENS
from internhost.gui.models.columns import PILLS_ROLE, Pill
from internhost.gui.ops import Ops
from internhost.gui.views.directory import CalendarsView
from internhost.gui.views.setup_forms import TaskPicker
from internhost.gui.widgets.records import RecordsView, export_entity
from internhost.gui.widgets.screens import records_view

SAMPLE_TODAY = date(2026, 11, 20)
ARCHIVED = Pill("Archived", "muted")
LEFT = Qt.MouseButton.LeftButton

#: Each screen's rows straight from its service (the view may not show archived ones).
SERVICE_ROWS: dict[str, Callable[[Database], list[Any]]] = {
    "placements": lambda db: db.read(placements.list_placements),
    "staff": lambda db: db.read(directory.list_staff),
    "schools": lambda db: db.read(directory.list_schools),
    "calendars": lambda db: db.read(directory.list_calendars),
    "worksites": lambda db: db.read(directory.list_worksites),
    "equipment": lambda db: db.read(directory.list_equipment),
}


# -- helpers ---------------------------------------------------------------------------


def open_db(path: Path, actor: Actor = SYSTEM) -> Database:
    return Database.open(path, actor, lambda: SAMPLE_TODAY)


@contextmanager
def opened(ops_for, path: Path, actor: Actor = SYSTEM) -> Iterator[Ops]:
    """An ``Ops`` over ``path`` opened as ``actor``; closed once its work is done."""
    database = open_db(path, actor)
    ops = ops_for(database)
    try:
        yield ops
    finally:
        ops.runner.settle()
        ops.runner.wait()
        database.close()


@pytest.fixture
def empty(ops_for, db_path: Path) -> Iterator[Ops]:
    with opened(ops_for, db_path) as ops:
        yield ops


@pytest.fixture
def make_view(qtbot, ops: Ops) -> Callable[..., RecordsView]:
    """A records screen, shown, its rows read."""

    def make(key: str, on: Ops | None = None) -> RecordsView:
        view = records_view(key, on or ops)
        qtbot.addWidget(view)
        view.resize(1200, 720)
        view.show()
        settle(view)
        return view

    return make


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, Calls]:
    """QMessageBox.information / warning record their texts instead of blocking."""
    calls = {"information": Calls(), "warning": Calls()}
    for name, stand_in in calls.items():
        monkeypatch.setattr(QMessageBox, name, stand_in)
    return calls


def audit_count(database: Database) -> int:
    return database.read(lambda s, _a: s.scalar(select(func.count()).select_from(AuditEvent)))


def names(view: RecordsView) -> list[str]:
    column = view.kind.columns[0]
    return [column.text(row) for row in view.rows()]


def row_named(view: RecordsView, name: str) -> int:
    """The id of the row whose first column reads ``name``."""
    column = view.kind.columns[0]
    return next(view.kind.row_id(r) for r in view.rows() if column.text(r) == name)


def pills_of(view: RecordsView, record_id: int) -> tuple[Pill, ...]:
    for row in range(view.model.rowCount()):
        if view.kind.row_id(view.model.row_at(row)) == record_id:
            return view.model.data(view.model.index(row, 0), PILLS_ROLE) or ()
    raise AssertionError(f"record {record_id} is not listed")


def click(qtbot, widget) -> None:
    assert widget.isVisible() and widget.isEnabled(), widget.text()
    qtbot.mouseClick(widget, LEFT)


# -- listing and searching ---------------------------------------------------------------


def test_sidebar_opens_each_records_screen_listing_what_the_service_returns(
    open_window, demo_path: Path, qtmodeltester, screenshot
) -> None:
    window = open_window(demo_path)
    keys = [window.nav.item(r).data(Qt.ItemDataRole.UserRole) for r in range(window.nav.count())]
    assert set(RECORD_SCREENS) <= set(keys)
    for key in RECORD_SCREENS:
        window.nav.setCurrentRow(keys.index(key))
        assert window.runner.settle()
        view = window.stack.currentWidget()
        assert window.current_page == key and isinstance(view, RecordsView)
        expected = SERVICE_ROWS[key](window.database)
        assert expected, key  # the sample has some of each
        assert view.model.rowCount() == len(expected), key
        assert view.count.text() == f"{len(expected)} {view.kind.title.lower()}"
        assert sorted(view.kind.row_id(r) for r in view.rows()) == sorted(r.id for r in expected)
        assert view.body.currentWidget() is view.table
        qtmodeltester.check(view.model)
        if key in ("placements", "staff"):
            screenshot(window, f"records-{key}")
    assert isinstance(window.stack.currentWidget(), RecordsView)


def test_an_empty_database_shows_each_screens_empty_text(make_view, empty: Ops) -> None:
    for key in RECORD_SCREENS:
        view = make_view(key, empty)
        assert view.model.rowCount() == 0
        assert view.body.currentWidget() is view.empty
        assert view.empty.text() == view.kind.empty_text
        assert not view.edit_button.isEnabled()


def test_the_rows_are_read_on_the_worker_loading_then_shown(qtbot, ops: Ops) -> None:
    view = records_view("staff", ops)
    qtbot.addWidget(view)
    view.show()
    assert view.body.currentWidget() is view.loading  # not "nothing recorded"
    assert view.loading.text() == "Loading…" and view.count.text() == ""
    assert view.records() is None
    settle(view)
    assert view.body.currentWidget() is view.table and view.count.text() == "6 staff"

    view.refresh()  # read again: the rows on screen stay until the answer comes
    assert view.model.rowCount() == 6 and view.body.currentWidget() is view.table
    settle(view)
    assert view.model.rowCount() == 6


def test_a_save_elsewhere_reads_a_shown_list_at_once_and_a_hidden_one_when_shown(
    qtbot, make_view, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    worksites, machines = make_view("worksites"), make_view("equipment")
    machines.hide()
    reads: list[str] = []
    load = RecordsView.load

    def counted(view: RecordsView) -> None:
        reads.append(view.kind.key)
        load(view)

    monkeypatch.setattr(RecordsView, "load", counted)
    rockford = row_named(worksites, "Rockford Plant")
    worksites.select(rockford)

    def rename(_dialog, form) -> None:
        form.input("name").set_value("Rockford Works")

    saved(worksites.edit_selected, rename)
    settle(worksites)
    assert reads == ["worksites"]  # the hidden list only notes it is stale
    assert "Rockford Works" in names(worksites) and worksites.selected_id() == rockford
    machines.show()
    settle(machines)
    assert reads == ["worksites", "equipment"]
    assert {m.worksite for m in machines.rows()} == {"Rockford Works", "Elgin Assembly"}
    assert audit_count(database) > 0


def test_save_pressed_twice_saves_once(qtbot, make_view, database: Database) -> None:
    view = make_view("schools")
    events = audit_count(database)

    def twice(dialog, form) -> None:
        form.input("name").set_value("Larkin High School")
        form.input("district").set_value("School District U-46")
        dialog.accept()
        assert dialog.saving and not dialog.buttons.isEnabled()  # busy: on the worker
        dialog.accept()  # a second click while the first save runs does nothing

    saved(view.new_record, twice)
    settle(view)
    larkins = [s for s in database.read(directory.list_schools) if s.name.startswith("Larkin")]
    assert len(larkins) == 1 and audit_count(database) == events + 1
    assert names(view).count("Larkin High School") == 1


def test_search_filters_as_you_type_ignoring_accents(qtbot, make_view) -> None:
    staff = make_view("staff")
    qtbot.keyClicks(staff.search, "kowal")
    assert names(staff) == ["Maria Kowalski"]
    assert staff.count.text() == "1 of 6 staff"
    staff.search.clear()
    assert len(names(staff)) == 6 and staff.count.text() == "6 staff"

    placed = make_view("placements")
    qtbot.keyClicks(placed.search, "nguyen")  # the intern is Nguyễn, Thị Ánh
    shown = placed.rows()
    assert shown and all(r.intern == "Nguyễn, Thị Ánh" for r in shown)
    expected = [p for p in SERVICE_ROWS["placements"](placed.ops.database) if p.intern_id == 1]
    assert len(shown) == len(expected)

    machines = make_view("equipment")
    qtbot.keyClicks(machines.search, "FORKLIFT")
    assert sorted(names(machines)) == ["Forklift (Crown RC 5500)", "Forklift (Toyota 8FGU25)"]
    machines.search.setText("no such machine")
    assert machines.model.rowCount() == 0
    assert machines.body.currentWidget() is machines.table  # filtered out, not empty


def test_edit_and_archive_follow_the_selection(qtbot, make_view) -> None:
    view = make_view("schools")
    assert not view.edit_button.isEnabled() and not view.archive_button.isEnabled()
    view.select(row_named(view, "Auburn High School"))
    assert view.edit_button.isEnabled() and view.archive_button.isEnabled()
    assert view.archive_button.text() == "Archive"
    view.table.clearSelection()
    assert not view.edit_button.isEnabled()


# -- archive and restore -----------------------------------------------------------------

ROUND_TRIPS = [
    ("staff", "Darnell Brooks", ["5 active placements still name this mentor"]),
    ("staff", "Tom Lindqvist", []),
    (
        "worksites",
        "Elgin Assembly",
        [
            "2 active placements still name this worksite",
            "5 machines stay in its equipment register",
        ],
    ),
    (
        "schools",
        "Elgin High School",
        ["2 active placements still name this school", "6 interns attend this school"],
    ),
    ("equipment", "Spray booth", []),
    ("placements", "Williams, Leah", []),
]


@pytest.mark.parametrize(("key", "name", "warnings"), ROUND_TRIPS, ids=lambda v: str(v)[:14])
def test_archive_then_restore_round_trip(
    qtbot, make_view, boxes, key: str, name: str, warnings: list[str], qtmodeltester
) -> None:
    view = make_view(key)
    database = view.ops.database
    total = view.model.rowCount()
    record_id = row_named(view, name)

    def archived() -> bool:
        return next(r.archived for r in SERVICE_ROWS[key](database) if r.id == record_id)

    view.select(record_id)
    events = audit_count(database)
    click(qtbot, view.archive_button)
    settle(view)
    assert archived()
    assert audit_count(database) > events
    if warnings:
        assert boxes["information"].calls == [(view.kind.title, "\n".join(warnings))]
    else:
        assert boxes["information"].calls == []
    assert boxes["warning"].calls == []
    assert record_id not in [view.kind.row_id(r) for r in view.rows()]
    assert view.count.text() == f"{total - 1} of {total} {view.kind.title.lower()}"

    view.show_archived.setChecked(True)
    assert view.model.rowCount() == total
    assert ARCHIVED in pills_of(view, record_id)
    assert view.count.text() == f"{total} {view.kind.title.lower()}"
    qtmodeltester.check(view.model)
    view.select(record_id)
    assert view.archive_button.text() == "Restore"
    click(qtbot, view.archive_button)
    settle(view)
    assert not archived()
    assert ARCHIVED not in pills_of(view, record_id)
    assert view.selected_id() == record_id  # the selection stays on the record
    assert view.archive_button.text() == "Archive"
    assert len(boxes["information"].calls) == (1 if warnings else 0)  # restoring says nothing


def test_archiving_a_record_deleted_meanwhile_shows_the_service_error(
    qtbot, make_view, boxes, database: Database
) -> None:
    view = make_view("staff")
    record_id = row_named(view, "Kevin Park")

    def delete(s, _actor) -> None:
        s.delete(s.get(Staff, record_id))

    database.write(delete)  # another user removed him since the list was read
    view.select(record_id)
    click(qtbot, view.archive_button)
    settle(view)
    assert boxes["warning"].calls == [("Staff", f"No staff with id {record_id}")]
    assert boxes["information"].calls == []


def test_a_viewer_sees_the_lists_but_no_editors(qtbot, make_view, ops_for, demo_path: Path) -> None:
    with opened(ops_for, demo_path, Actor(Role.VIEWER, "v")) as viewer:
        for key in RECORD_SCREENS:
            view = make_view(key, viewer)
            for button in (view.new_button, view.edit_button, view.archive_button):
                assert not button.isVisible(), (key, button.text())
            assert view.model.rowCount() == len(SERVICE_ROWS[key](viewer.database)), key
            shown = no_dialog_opens(lambda view=view: double_click(qtbot, view, 0))
            assert shown == [], key  # a double-click opens no editor either


def no_dialog_opens(action: Callable[[], object]) -> list[str]:
    """Run ``action``; the titles of any modal dialogs it opened (each closed at once)."""
    opened: list[str] = []

    def close() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            opened.append(dialog.windowTitle())
            dialog.reject()

    watch = QTimer(interval=10)
    watch.timeout.connect(close)
    watch.start()
    try:
        action()
        QApplication.processEvents()
        QTest.qWait(100)  # an editor opens once what it reads has arrived: none does
    finally:
        watch.stop()
    return opened


def double_click(qtbot, view: RecordsView, row: int) -> None:
    """Press then double-click a row (an item view acts on a double-click only on the
    index the press chose)."""
    viewport = view.table.viewport()
    pos = view.table.visualRect(view.model.index(row, 0)).center()
    qtbot.mousePress(viewport, LEFT, pos=pos)
    qtbot.mouseDClick(viewport, LEFT, pos=pos)


# -- staff -------------------------------------------------------------------------------


def test_new_staff_member_is_saved_and_listed(qtbot, make_view, database: Database) -> None:
    view = make_view("staff")
    sites = {w.name: w.id for w in database.read(directory.list_worksites)}
    events = audit_count(database)

    def fill(dialog, form) -> None:
        assert dialog.windowTitle() == "New staff member"
        assert form.input("role").value() == "mentor"  # the default
        form.input("first_name").set_value("Renée")
        form.input("last_name").set_value("Okonkwo-Smith")
        form.input("title").set_value("Quality technician")
        form.input("email").set_value("Renee.Okonkwo@prairieforge.example")
        form.input("worksite_id").set_value(sites["Elgin Assembly"])
        form.input("is_21_or_older").set_value(True)
        form.input("clearance_date").set_value(date(2026, 9, 1))
        form.input("mentor_training_date").set_value(date(2026, 9, 15))

    saved(lambda: click(qtbot, view.new_button), fill)
    settle(view)
    row = next(r for r in database.read(directory.list_staff) if r.last_name == "Okonkwo-Smith")
    assert (row.name, row.role, row.worksite, row.email) == (
        "Renée Okonkwo-Smith",
        "mentor",
        "Elgin Assembly",
        "renee.okonkwo@prairieforge.example",
    )
    stored = database.read(directory.staff_input, row.id)
    assert stored.is_21_or_older and stored.age_attested_on == SAMPLE_TODAY
    assert stored.clearance_date == date(2026, 9, 1)
    assert audit_count(database) == events + 1
    assert "Renée Okonkwo-Smith" in names(view) and view.count.text() == "7 staff"
    assert view.selected_id() == row.id  # the new row, once the rows read again held it


def test_invalid_staff_member_shows_each_error_beside_its_field_and_writes_nothing(
    qtbot, make_view, database: Database
) -> None:
    view = make_view("staff")
    events, before = audit_count(database), len(database.read(directory.list_staff))

    def fill(_dialog, form) -> None:
        form.input("first_name").set_value("Pat")
        form.input("last_name").set_value("Doe")
        form.input("role").set_value("mentor")  # a mentor needs an email
        form.input("clearance_date").set_value(date(2026, 12, 1))  # after SAMPLE_TODAY

    run = in_dialog(lambda: click(qtbot, view.new_button), fill)
    assert not run.saved
    assert run.errors == {"email": "Is required", "clearance_date": "Is in the future"}
    assert run.banner == ""
    assert audit_count(database) == events
    assert len(database.read(directory.list_staff)) == before

    def taken(_dialog, form) -> None:
        form.input("first_name").set_value("Pat")
        form.input("last_name").set_value("Doe")
        form.input("role").set_value("supervisor")
        form.input("email").set_value("not an address")

    run = in_dialog(view.new_record, taken)
    assert run.errors == {"email": "'not an address' is not an e-mail address"}
    assert audit_count(database) == events


def test_a_date_that_does_not_parse_is_that_fields_error(qtbot, make_view) -> None:
    view = make_view("staff")

    def fill(_dialog, form) -> None:
        form.input("first_name").set_value("Pat")
        form.input("last_name").set_value("Doe")
        form.input("role").set_value("hr")
        form.input("mentor_training_date").editor().setText("31/31/2026")

    run = in_dialog(view.new_record, fill)
    assert list(run.errors) == ["mentor_training_date"]
    assert "31/31/2026" in run.errors["mentor_training_date"]


def test_editing_a_staff_member_opens_with_the_stored_values(
    qtbot, make_view, database: Database
) -> None:
    view = make_view("staff")
    record_id = row_named(view, "Priya Raman")
    stored = database.read(directory.staff_input, record_id)
    view.select(record_id)

    def fill(dialog, form) -> None:
        assert dialog.windowTitle() == "Edit staff member"
        assert form.input("email").value() == stored.email
        assert form.input("role").value() == "mentor"
        form.input("title").set_value("Lead welder")

    saved(lambda: click(qtbot, view.edit_button), fill)
    settle(view)
    assert database.read(directory.staff_input, record_id).title == "Lead welder"
    assert view.selected_id() == record_id


# -- worksites ---------------------------------------------------------------------------


def test_new_worksite_with_areas(qtbot, make_view, database: Database) -> None:
    view = make_view("worksites")
    view.search.setText("Rockford")  # the new one does not match: the search gives way
    areas = (("Shipping dock", "production"), ("Training room", "office"))

    def fill(dialog, form) -> None:
        assert dialog.windowTitle() == "New worksite"
        assert form.input("state").value() == "IL"
        assert form.input("time_zone").value() == "America/Chicago"
        form.input("name").set_value("Belvidere Annex")
        form.input("address").set_value("1200 Logistics Pkwy")
        form.input("city").set_value("Belvidere")
        form.input("postal_code").set_value("61008")
        form.input("areas").set_value(areas)

    saved(lambda: click(qtbot, view.new_button), fill)
    settle(view)
    site = next(w for w in database.read(directory.list_worksites) if w.name == "Belvidere Annex")
    stored = database.read(directory.worksite_input, site.id)
    assert stored.areas == areas and stored.city == "Belvidere"
    assert site.has_production_areas
    assert "Belvidere Annex" in names(view)
    assert view.selected_id() == site.id and view.search.text() == ""


def test_worksite_area_errors_name_their_row(qtbot, make_view, database: Database) -> None:
    view = make_view("worksites")
    events = audit_count(database)

    def fill(_dialog, form) -> None:
        form.input("name").set_value("Rockford Plant")  # taken
        form.input("areas").set_value(
            (("Shipping dock", "production"), ("shipping dock", "office"), ("x" * 201, "office"))
        )

    run = in_dialog(view.new_record, fill)
    assert not run.saved
    assert run.errors["name"] == "A worksite named 'Rockford Plant' already exists"
    assert run.errors["areas"].splitlines() == [
        "Row 2, name: 'shipping dock' is listed twice",
        "Row 3, name: is longer than 200 characters",
    ]
    assert audit_count(database) == events
    assert len(database.read(directory.list_worksites)) == 2


def test_an_area_error_below_a_blank_row_names_the_row_the_user_sees(
    qtbot, make_view, database: Database
) -> None:
    view = make_view("worksites")

    def fill(_dialog, form) -> None:
        form.input("name").set_value("Belvidere Annex")
        form.input("areas").set_value(
            (("Shipping dock", "production"), ("", "office"), ("shipping dock", "office"))
        )

    run = in_dialog(view.new_record, fill)
    assert not run.saved  # areas[1] as the service names it: the blank row is skipped
    assert run.errors["areas"] == "Row 3, name: 'shipping dock' is listed twice"


def test_worksite_before_the_company_is_saved_says_so_in_the_banner(
    qtbot, make_view, empty: Ops
) -> None:
    view = make_view("worksites", empty)

    def fill(_dialog, form) -> None:
        form.input("name").set_value("Main plant")

    run = in_dialog(view.new_record, fill)
    assert not run.saved and run.errors == {}
    assert "save the company first" in run.banner
    assert audit_count(empty.database) == 0


# -- equipment ---------------------------------------------------------------------------


def test_equipment_dialog_lists_the_task_catalog_with_who_may(
    qtbot, make_view, database: Database
) -> None:
    view = make_view("equipment")
    catalog = directory.task_catalog()
    sites = {w.name: w.id for w in database.read(directory.list_worksites)}
    chosen = [catalog[0].key, catalog[-1].key]

    def fill(dialog, form) -> None:
        assert dialog.windowTitle() == "New machine"
        picker = dialog.findChild(TaskPicker)
        tree = picker.tree
        assert tree.topLevelItemCount() == len(catalog)
        for i, task in enumerate(catalog):
            item = tree.topLevelItem(i)
            assert (item.text(0), item.text(1)) == (task.label, task.who_may)
            assert item.text(1), task.key  # every task says who may do it
        picker.search.setText("forklift")
        visible = [
            tree.topLevelItem(i).text(0)
            for i in range(tree.topLevelItemCount())
            if not tree.topLevelItem(i).isHidden()
        ]
        assert visible and all("forklift" in t.lower() for t in visible)
        picker.search.clear()
        for i in range(tree.topLevelItemCount()):  # tick as a user would: by check state
            item = tree.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) in chosen:
                item.setCheckState(0, Qt.CheckState.Checked)
        assert set(form.input("task_keys").value()) == set(chosen)
        form.input("worksite_id").set_value(sites["Elgin Assembly"])
        form.input("name").set_value("Belt sander (Grizzly G1014)")

    saved(lambda: click(qtbot, view.new_button), fill)
    settle(view)
    machine = next(
        m for m in database.read(directory.list_equipment) if m.name.startswith("Belt sander")
    )
    assert machine.worksite_id == sites["Elgin Assembly"]
    assert {key for key, _label, _who in machine.tasks} == set(chosen)
    assert all(who for _key, _label, who in machine.tasks)
    assert "Belt sander (Grizzly G1014)" in names(view)


def test_equipment_without_tasks_is_refused_beside_the_picker(
    qtbot, make_view, database: Database
) -> None:
    view = make_view("equipment")
    events = audit_count(database)

    def fill(_dialog, form) -> None:
        form.input("name").set_value("Mystery machine")

    run = in_dialog(view.new_record, fill)
    assert run.errors == {"task_keys": "Pick at least one task done on this machine"}
    assert audit_count(database) == events


def areas_offered(form) -> list[str | None]:
    return [value for value, _text in form.input("area").choices()]


def test_the_area_is_a_picker_over_the_chosen_worksites_areas(
    qtbot, make_view, database: Database, screenshot
) -> None:
    """Issue 12 §4: "Shipping dock" is no area of Rockford Plant, and no one can type it."""
    view = make_view("equipment")
    sites = {w.name: w for w in database.read(directory.list_worksites)}
    rockford, elgin = sites["Rockford Plant"], sites["Elgin Assembly"]
    catalog = directory.task_catalog()

    def fill(dialog, form) -> None:
        site, area = form.input("worksite_id"), form.input("area")
        site.set_value(rockford.id)
        assert areas_offered(form) == [None, *(name for name, _kind in rockford.areas)]
        assert "Shipping dock" not in areas_offered(form)
        area.set_value("Machine Shop")
        screenshot(dialog, "equipment-area-picker")
        site.set_value(elgin.id)  # the areas follow the worksite; Rockford's goes
        assert areas_offered(form) == [None, *(name for name, _kind in elgin.areas)]
        assert area.value() is None
        area.set_value("Paint Line")
        form.input("name").set_value("Touch-up spray gun")
        form.input("task_keys").set_value((catalog[0].key,))

    saved(view.new_record, fill)
    settle(view)
    machine = next(m for m in database.read(directory.list_equipment) if m.name.startswith("Touch"))
    assert (machine.worksite_id, machine.area) == (elgin.id, "Paint Line")
    assert view.selected_id() == machine.id

    def check(_dialog, form) -> None:  # editing shows the stored area, among its site's
        assert form.input("worksite_id").value() == elgin.id
        assert form.input("area").value() == "Paint Line"
        assert areas_offered(form) == [None, *(name for name, _kind in elgin.areas)]

    run = in_dialog(view.edit_selected, check, save=False)
    assert run.title == "Edit machine"


def test_add_area_adds_it_to_the_worksite_and_chooses_it(
    qtbot, make_view, database: Database, screenshot
) -> None:
    machines, worksites = make_view("equipment"), make_view("worksites")
    rockford = next(w for w in database.read(directory.list_worksites) if w.name.startswith("Rock"))
    events = audit_count(database)

    def add_area(name: str, kind: str) -> Callable[..., None]:
        def fill(dialog, form) -> None:
            assert dialog.windowTitle() == "Add area"
            assert any(
                "A new area of Rockford Plant" in w.text() for w in dialog.findChildren(QLabel)
            )
            form.input("name").set_value(name)
            form.input("kind").set_value(kind)
            screenshot(dialog, "add-area")

        return fill

    def fill(dialog, form) -> None:
        form.input("worksite_id").set_value(rockford.id)
        picker = form.input("area")
        taken = in_dialog(picker.add_button.click, add_area("front office", "office"))
        assert taken.errors == {"name": "'front office' is already an area of Rockford Plant"}
        assert picker.value() is None  # nothing added, nothing chosen
        added = in_dialog(picker.add_button.click, add_area("Shipping dock", "production"))
        assert added.saved
        qtbot.waitUntil(lambda: picker.value() == "Shipping dock")  # once read again
        assert "Shipping dock" in areas_offered(form)
        form.input("name").set_value("Pallet wrapper")
        form.input("task_keys").set_value(("production_floor",))

    saved(machines.new_record, fill)
    settle(machines)
    machine = next(m for m in database.read(directory.list_equipment) if m.name == "Pallet wrapper")
    assert (machine.worksite_id, machine.area) == (rockford.id, "Shipping dock")
    stored = database.read(directory.worksite_input, rockford.id).areas
    assert ("Shipping dock", "production") in stored and len(stored) == len(rockford.areas) + 1
    assert audit_count(database) == events + 2  # the area, then the machine
    # The Worksites screen showed Rockford's areas: the announcement made it read again.
    row = next(r for r in worksites.rows() if r.id == rockford.id)
    assert ("Shipping dock", "production") in row.areas


def test_an_area_gone_meanwhile_is_refused_beside_it_until_another_is_chosen(
    qtbot, make_view, database: Database
) -> None:
    view = make_view("equipment")
    rockford = next(w for w in database.read(directory.list_worksites) if w.name.startswith("Rock"))

    def remove_machine_shop() -> None:  # another user, meanwhile (an engine of their own)
        engine = db.make_engine(database.path, TEST_KEY)
        try:
            with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
                site = s.get(Worksite, rockford.id)
                site.areas = [a for a in site.areas if a.name != "Machine Shop"]
        finally:
            engine.dispose()

    def fill(dialog, form) -> None:
        form.input("worksite_id").set_value(rockford.id)
        form.input("area").set_value("Machine Shop")
        form.input("name").set_value("Surface grinder")
        form.input("task_keys").set_value(("production_floor",))
        remove_machine_shop()
        dialog.accept()
        settle(dialog)
        assert form.error_text("area") == "'Machine Shop' is not an area of Rockford Plant"
        form.input("area").set_value("Fabrication Bay")
        assert form.error_text("area") == ""  # the error goes once the field changes

    saved(view.new_record, fill)
    settle(view)
    machine = next(
        m for m in database.read(directory.list_equipment) if m.name == "Surface grinder"
    )
    assert machine.area == "Fabrication Bay"


# -- schools -----------------------------------------------------------------------------


def test_new_school_in_a_known_district(qtbot, make_view, database: Database) -> None:
    view = make_view("schools")

    def fill(_dialog, form) -> None:
        form.input("name").set_value("Larkin High School")
        form.input("district").set_value("School District U-46")
        form.input("coordinator_name").set_value("Dana Whitfield")
        form.input("coordinator_email").set_value("dana.whitfield@u-46.example")
        form.input("coordinator_phone").set_value("(847) 555-0142")

    saved(lambda: click(qtbot, view.new_button), fill)
    settle(view)
    school = next(s for s in database.read(directory.list_schools) if s.name.startswith("Larkin"))
    assert school.district == "School District U-46"
    assert school.coordinator_email == "dana.whitfield@u-46.example"
    assert "Larkin High School" in names(view)


def test_invalid_school_writes_nothing(qtbot, make_view, database: Database) -> None:
    view = make_view("schools")
    events = audit_count(database)

    def fill(_dialog, form) -> None:
        form.input("name").set_value("auburn high school")  # taken, ignoring case
        form.input("coordinator_email").set_value("dana@")

    run = in_dialog(view.new_record, fill)
    assert run.errors == {
        "name": "A school named 'auburn high school' already exists",
        "coordinator_email": "'dana@' is not an e-mail address",
    }
    assert audit_count(database) == events
    assert len(database.read(directory.list_schools)) == 3


def test_a_new_schools_district_calendar_is_added_from_the_district_picker(
    qtbot, make_view, database: Database, screenshot
) -> None:
    schools, calendars = make_view("schools"), make_view("calendars")

    def fill(dialog, form) -> None:
        form.input("name").set_value("Belvidere North High School")
        picker = form.input("district")
        assert "Belvidere CUSD 100" not in [v for v, _t in picker.choices()]
        screenshot(dialog, "school-district-picker")
        added = in_dialog(picker.add_button.click, lambda _d, calendar: fill_calendar(calendar))
        assert added.saved and added.title == "New district calendar"
        qtbot.waitUntil(lambda: picker.value() == "Belvidere CUSD 100")

    saved(schools.new_record, fill)
    settle(schools)
    school = next(s for s in database.read(directory.list_schools) if s.name.startswith("Belv"))
    assert school.district == "Belvidere CUSD 100"
    assert "Belvidere CUSD 100" in names(calendars)  # announced: that list read again


def test_a_school_needs_a_district_calendar_first(qtbot, make_view, empty: Ops) -> None:
    view = make_view("schools", empty)

    def fill(_dialog, form) -> None:
        form.input("name").set_value("Larkin High School")

    run = in_dialog(view.new_record, fill)
    assert "is not a known district (known: none yet)" in run.errors["district"]
    assert audit_count(empty.database) == 0


# -- calendars ---------------------------------------------------------------------------

BELVIDERE_DAYS = (
    (date(2026, 9, 7), "no_school", None),
    (date(2026, 10, 9), "early_dismissal", time(12, 0)),
    (date(2026, 11, 4), "late_start", time(9, 30)),
)


def fill_calendar(form, days=BELVIDERE_DAYS) -> None:
    form.input("district").set_value("Belvidere CUSD 100")
    form.input("school_year").set_value("2026-27")
    form.input("first_day").set_value(date(2026, 8, 19))
    form.input("last_day").set_value(date(2027, 6, 3))
    form.input("day_start").set_value(time(7, 45))
    form.input("day_end").set_value(time(14, 50))
    form.input("days").set_value(days)


def test_new_calendar_with_exception_days(qtbot, make_view, database: Database, screenshot) -> None:
    view = make_view("calendars")
    assert isinstance(view, CalendarsView)

    def fill(dialog, form) -> None:
        assert dialog.windowTitle() == "New district calendar"
        assert form.input("school_year").value() == "2026-27"  # the year holding today
        assert form.input("day_start").value() == time(8, 0)
        fill_calendar(form)
        screenshot(dialog, "calendar-dialog")

    saved(lambda: click(qtbot, view.new_button), fill)
    settle(view)
    row = next(c for c in database.read(directory.list_calendars) if c.district.startswith("Belv"))
    assert (row.school_year, row.no_school_days, row.early_dismissals, row.late_starts) == (
        "2026-27",
        1,
        1,
        1,
    )
    stored = database.read(directory.calendar_for_edit, row.id)
    assert stored.no_school == (date(2026, 9, 7),)
    assert stored.early_dismissal == ((date(2026, 10, 9), time(12, 0)),)
    assert stored.late_start == ((date(2026, 11, 4), time(9, 30)),)
    assert (stored.day_start, stored.day_end) == (time(7, 45), time(14, 50))
    assert any(d.name == "Belvidere CUSD 100" for d in database.read(directory.list_districts))
    assert "Belvidere CUSD 100" in names(view)


def test_calendar_row_errors_name_the_row_the_user_sees(
    qtbot, make_view, database: Database
) -> None:
    view = make_view("calendars")
    events, before = audit_count(database), len(database.read(directory.list_calendars))

    def missing_time(_dialog, form) -> None:
        fill_calendar(
            form,
            (
                (date(2026, 9, 7), "no_school", None),
                (date(2026, 10, 9), "early_dismissal", time(12, 0)),
                (date(2026, 11, 4), "early_dismissal", None),  # row 3: no time
            ),
        )

    run = in_dialog(view.new_record, missing_time)
    assert run.errors == {"days": "Row 3, time: a time is needed for this kind"}

    def service_refuses(_dialog, form) -> None:
        fill_calendar(
            form,
            (
                (date(2026, 9, 7), "no_school", None),
                (date(2027, 7, 1), "late_start", time(9, 30)),  # row 2: after the last day
                (date(2026, 10, 9), "early_dismissal", time(16, 0)),  # row 3: after 14:50
            ),
        )
        form.input("school_year").set_value("2026/27")

    run = in_dialog(view.new_record, service_refuses)
    assert run.errors["school_year"] == "Write it as 2025-26"
    # late_start[0] and early_dismissal[0] as the service names them, rows 2 and 3 here
    assert sorted(run.errors["days"].splitlines()) == [
        "Row 2: 2027-07-01 is outside the school year",
        "Row 3: 16:00 is not within the school day",
    ]

    def bad_date(_dialog, form) -> None:
        fill_calendar(form, ((date(2026, 9, 7), "no_school", None),))
        form.input("days").table.item(0, 0).setText("Sept 7")

    run = in_dialog(view.new_record, bad_date)
    assert run.errors["days"].startswith("Row 1, date: ")
    assert audit_count(database) == events
    assert len(database.read(directory.list_calendars)) == before


def test_copy_calendar_to_next_year(qtbot, make_view, database: Database) -> None:
    view = make_view("calendars")
    assert not view.next_year_button.isEnabled()
    source = next(
        c
        for c in database.read(directory.list_calendars)
        if c.district.startswith("Rockford") and c.school_year == "2026-27"
    )
    view.select(source.id)

    def fill(dialog, form) -> None:
        assert dialog.windowTitle() == "New district calendar"
        assert form.input("district").value() == source.district
        assert form.input("school_year").value() == "2027-28"
        assert form.input("first_day").value() == date(2027, 8, 19)  # same date, a year on

    saved(lambda: click(qtbot, view.next_year_button), fill)
    settle(view)
    copy = next(
        c
        for c in database.read(directory.list_calendars)
        if c.district == source.district and c.school_year == "2027-28"
    )
    assert (copy.first_day, copy.last_day) == (date(2027, 8, 19), date(2028, 6, 3))
    assert (copy.no_school_days, copy.early_dismissals, copy.late_starts) == (
        source.no_school_days,
        source.early_dismissals,
        source.late_starts,
    )
    assert len(view.rows()) == 5


def test_copy_calendar_to_another_district(
    qtbot, make_view, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = make_view("calendars")
    source = database.read(directory.list_calendars)[0]
    view.select(source.id)
    answers = iter([("", False), ("  Belvidere CUSD 100 ", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *_a, **_k: next(answers))
    assert view.copy_to_district() is False  # cancelled: no dialog

    def fill(_dialog, form) -> None:
        assert form.input("district").value() == "Belvidere CUSD 100"
        assert form.input("school_year").value() == source.school_year

    run = saved(view.copy_to_district, fill)
    settle(view)
    assert run.returned is True
    copied = [c for c in database.read(directory.list_calendars) if c.district.startswith("Belv")]
    assert [(c.school_year, c.first_day) for c in copied] == [
        (source.school_year, source.first_day)
    ]


# -- export ------------------------------------------------------------------------------

EXPORTS = {
    "staff": directory.list_staff,
    "schools": directory.list_schools,
    "worksites": directory.list_worksites,
    "placements": placements.list_placements,
}


@pytest.mark.parametrize("entity", [*EXPORTS, "interns"])
def test_export_csv_has_a_bom_and_the_headers(
    qtbot, make_view, database: Database, tmp_path: Path, entity: str
) -> None:
    parent = make_view("staff")
    path = tmp_path / f"{entity}.csv"
    written: list[str] = []
    export_entity(parent, parent.ops, entity, f"Export {entity}", path=path, done=written.append)
    settle(parent)  # written on the database worker
    [text] = written
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert tuple(rows[0]) == HEADERS[entity]
    expected = 24 if entity == "interns" else len(database.read(EXPORTS[entity]))
    assert len(rows) - 1 == expected
    assert text == f"Exported {expected} rows to {path}"
    assert not path.with_name(path.name + ".partial").exists()


def test_export_button_asks_where_then_reports_what_it_wrote(
    qtbot, make_view, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, boxes
) -> None:
    view = make_view("schools")
    assert not make_view("equipment").export_button.isVisible()  # no export for machines
    target = tmp_path / "schools.csv"
    answers = iter([("", ""), (str(target), "CSV files (*.csv)")])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: next(answers))
    with qtbot.assertNotEmitted(view.exported):
        click(qtbot, view.export_button)  # cancelled
        settle(view)
    assert not target.exists()
    with qtbot.waitSignal(view.exported) as written:
        click(qtbot, view.export_button)
    assert written.args == [f"Exported 3 rows to {target}"]
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")

    missing = tmp_path / "no such folder" / "schools.csv"
    done: list[str] = []
    export_entity(view, view.ops, "schools", "Export schools", path=missing, done=done.append)
    settle(view)
    assert done == [] and len(boxes["warning"].calls) == 1
    title, message = boxes["warning"].calls[0]
    assert title == "Export schools" and message.startswith("The file could not be written")


def test_editing_a_calendar_edits_that_calendar_and_never_takes_another_years_place(
    qtbot, make_view, database: Database
) -> None:
    view = make_view("calendars")
    before = database.read(directory.list_calendars)
    calendar = next(
        c for c in before if c.district.startswith("Rockford") and c.school_year == "2026-27"
    )
    view.select(calendar.id)
    events = audit_count(database)

    def taken(dialog, form) -> None:
        assert dialog.windowTitle() == "Edit district calendar"
        form.input("school_year").set_value("2025-26")

    run = in_dialog(view.edit_selected, taken)
    assert run.errors == {
        "school_year": f"{calendar.district} already has a 2025-26 calendar: edit that one"
    }
    assert audit_count(database) == events

    def next_year(_dialog, form) -> None:
        form.input("school_year").set_value("2027-28")
        form.input("first_day").set_value(date(2027, 8, 18))
        form.input("last_day").set_value(date(2028, 6, 2))
        form.input("days").set_value(())

    saved(view.edit_selected, next_year)
    settle(view)
    after = database.read(directory.list_calendars)
    assert len(after) == len(before)  # edited, not added
    edited = next(c for c in after if c.id == calendar.id)
    assert (edited.school_year, edited.first_day, edited.no_school_days) == (
        "2027-28",
        date(2027, 8, 18),
        0,
    )


def test_copying_to_a_year_already_on_record_is_refused_beside_the_year(
    qtbot, make_view, database: Database
) -> None:
    view = make_view("calendars")
    calendars = database.read(directory.list_calendars)
    source = next(c for c in calendars if c.school_year == "2025-26")
    existing = next(
        c for c in calendars if c.district == source.district and c.school_year == "2026-27"
    )
    stored = database.read(directory.calendar_for_edit, existing.id)
    events = audit_count(database)
    view.select(source.id)
    run = in_dialog(lambda: click(qtbot, view.next_year_button))  # Save, unchanged
    assert not run.saved and run.title == "New district calendar"
    assert run.errors == {
        "school_year": f"{source.district} already has a 2026-27 calendar: edit that one"
    }
    assert database.read(directory.calendar_for_edit, existing.id) == stored
    assert audit_count(database) == events
