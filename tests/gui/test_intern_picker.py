"""The placement editor's intern picker: typed, searched on the database worker, picked
from the matches (by name or student ID, with the mouse or the keyboard), never a name
alone; an edited placement shows its intern and keeps it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from dialogs import in_dialog
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget

from internhost.core.services import directory, intern_records, interns, placements
from internhost.gui.database import Database
from internhost.gui.ops import Ops
from internhost.gui.views.placements import INTERN_MATCHES, PlacementsView
from internhost.gui.widgets.search_picker import SearchPicker

SPRING = (date(2027, 1, 25), date(2027, 5, 28))
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def view(qtbot, ops: Ops) -> PlacementsView:
    view = PlacementsView(ops)
    qtbot.addWidget(view)
    view.resize(1200, 720)
    view.show()
    assert ops.runner.settle()
    return view


def intern_named(database: Database, last_name: str) -> tuple[int, Any]:
    """The id and stored values of the intern with ``last_name``."""

    def find(s, actor):
        for intern_id in interns.list_intern_ids(s, actor):
            data = intern_records.intern_input(s, actor, intern_id)
            if data.legal_last_name == last_name:
                return intern_id, data
        raise AssertionError(f"no intern named {last_name}")

    return database.read(find)


def picker_of(form) -> SearchPicker:
    picker = form.input("intern_id")
    assert isinstance(picker, SearchPicker)
    return picker


def type_into(qtbot, picker: SearchPicker, text: str) -> list[str]:
    """Type ``text`` key by key and wait for the matches its search lists."""
    picker.box.setFocus()
    qtbot.keyClicks(picker.box, text)
    qtbot.waitUntil(lambda: not picker.timer.isActive(), timeout=5000)
    qtbot.waitUntil(lambda: picker.matches.isVisible() or picker.note.isVisible(), timeout=5000)
    return [picker.matches.item(i).text() for i in range(picker.matches.count())]


def click_match(qtbot, matches: QListWidget, row: int) -> None:
    rect = matches.visualItemRect(matches.item(row))
    qtbot.mouseClick(matches.viewport(), LEFT, pos=rect.center())


def fill_rest(form, school_id: int, site_id: int) -> None:
    form.input("school_id").set_value(school_id)
    form.input("worksite_id").set_value(site_id)
    form.input("start_date").set_value(SPRING[0])
    form.input("end_date").set_value(SPRING[1])
    form.input("hourly_rate_cents").set_value(1600)


def test_typing_part_of_a_name_lists_matches_and_a_click_picks_the_intern(
    qtbot, view: PlacementsView, database: Database, screenshot
) -> None:
    intern_id, okafor = intern_named(database, "Okafor")
    site = database.read(directory.list_worksites)[0].id
    before = len(database.read(placements.list_placements, intern_id=intern_id))

    def fill(_dialog, form) -> None:
        picker = picker_of(form)
        assert picker.box.text() == "" and not picker.matches.isVisible()
        with pytest.raises(ValueError, match="type a name or student ID"):
            picker.value()
        shown = type_into(qtbot, picker, "okaf")  # case and accents ignored
        assert shown and all("Okafor" in text for text in shown)
        screenshot(_dialog, "placement-intern-picker")
        click_match(qtbot, picker.matches, 0)
        assert picker.value() == intern_id
        assert picker.box.text() == shown[0] and not picker.matches.isVisible()
        fill_rest(form, okafor.school_id, site)

    run = in_dialog(view.new_record, fill)
    assert run.saved, run.errors
    after = database.read(placements.list_placements, intern_id=intern_id)
    assert len(after) == before + 1


def test_a_student_id_finds_its_intern_and_enter_picks_the_match(
    qtbot, view: PlacementsView, database: Database
) -> None:
    intern_id, okafor = intern_named(database, "Okafor")
    assert okafor.student_id

    def fill(_dialog, form) -> None:
        picker = picker_of(form)
        shown = type_into(qtbot, picker, okafor.student_id)
        assert len(shown) == 1 and shown[0].startswith("Okafor, ")
        qtbot.keyClick(picker.box, Qt.Key.Key_Return)
        assert picker.value() == intern_id

    in_dialog(view.new_record, fill, save=False)


def test_down_moves_through_the_matches_and_typing_again_unpicks(
    qtbot, view: PlacementsView, database: Database
) -> None:
    def fill(_dialog, form) -> None:
        picker = picker_of(form)
        shown = type_into(qtbot, picker, "a")
        assert 1 < len(shown) <= INTERN_MATCHES
        qtbot.keyClick(picker.box, Qt.Key.Key_Down)
        assert picker.matches.currentRow() == 1
        qtbot.keyClick(picker.box, Qt.Key.Key_Return)
        picked = picker.value()
        assert picker.box.text() == shown[1]
        qtbot.keyClicks(picker.box, "x")  # the text no longer names the one picked
        with pytest.raises(ValueError, match="choose the intern from the matches"):
            picker.value()
        assert picked is not None
        picker.box.clear()
        assert type_into(qtbot, picker, "a") == shown
        qtbot.keyClick(picker.box, Qt.Key.Key_Escape)  # closes the matches, not the dialog
        assert not picker.matches.isVisible() and _dialog.isVisible()

    in_dialog(view.new_record, fill, save=False)


def test_a_name_typed_but_not_picked_is_refused_beside_the_field(
    qtbot, view: PlacementsView, database: Database
) -> None:
    _, okafor = intern_named(database, "Okafor")
    site = database.read(directory.list_worksites)[0].id
    before = len(database.read(placements.list_placements))

    def fill(_dialog, form) -> None:
        picker = picker_of(form)
        type_into(qtbot, picker, "Okafor")
        fill_rest(form, okafor.school_id, site)

    run = in_dialog(view.new_record, fill)
    assert not run.saved
    assert run.errors == {"intern_id": "Choose the intern from the matches beneath the box"}
    assert len(database.read(placements.list_placements)) == before


def test_no_match_says_so(qtbot, view: PlacementsView) -> None:
    def fill(_dialog, form) -> None:
        picker = picker_of(form)
        assert type_into(qtbot, picker, "zzqxj") == []
        assert picker.note.text() == "No intern matches “zzqxj”."
        picker.box.clear()
        picker.run_search()
        assert not picker.note.isVisible() and not picker.matches.isVisible()

    in_dialog(view.new_record, fill, save=False)


def test_an_edited_placement_shows_its_intern_and_keeps_it(
    qtbot, view: PlacementsView, database: Database
) -> None:
    first = view.rows()[0]
    view.select(first.id)

    def fill(_dialog, form) -> None:
        picker = picker_of(form)
        assert picker.value() == first.row.intern_id
        assert picker.box.text().startswith(first.intern)
        assert picker.box.isReadOnly()

    run = in_dialog(view.edit_selected, fill)
    assert run.saved  # unchanged: saved as it was
