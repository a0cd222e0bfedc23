"""The two-minute check-in, as the demo mentor: opened by its shortcut from any screen
on the intern due first, logged by keyboard alone; Esc on a half-typed one asks
before discarding it; a wellbeing concern shows the pack's mandated-reporting
guidance; the intern's Check-ins tab lists what was logged."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from dialogs import in_dialog, settle
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import select

from internhost.core.actor import SYSTEM, Actor
from internhost.core.models import CheckIn, Note
from internhost.core.services import accounts, cadences
from internhost.core.storage import db, secrets
from internhost.gui.main_window import MainWindow

#: The sample's today (its last day logged), as the GUI tests open it.
SAMPLE_TODAY = date(2026, 11, 20)
SHORTCUT = (Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def press_shortcut(window: MainWindow) -> None:
    """Ctrl+Shift+K, then Ctrl and Shift let go: the app's keyboard state keeps the last
    event's modifiers, and a later test's ``selectRow`` in an extended selection would
    extend it as if they were still held."""
    QTest.keyClick(window, *SHORTCUT)
    QTest.keyRelease(window, Qt.Key.Key_Shift, Qt.KeyboardModifier.ControlModifier)
    QTest.keyRelease(window, Qt.Key.Key_Control, Qt.KeyboardModifier.NoModifier)


def _actor(path: Path, username: str) -> Actor:
    engine = db.make_engine(path, secrets.read_database_key(path))
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            row = next(r for r in accounts.list_accounts(s, SYSTEM) if r.username == username)
            return accounts.actor_for(row)
    finally:
        engine.dispose()


def _stored(path: Path) -> list[tuple[CheckIn, list[Note]]]:
    engine = db.make_engine(path, secrets.read_database_key(path))
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            newest = s.scalars(select(CheckIn).order_by(CheckIn.id.desc()).limit(1)).all()
            return [
                (c, list(s.scalars(select(Note).where(Note.check_in_id == c.id)))) for c in newest
            ]
    finally:
        engine.dispose()


@pytest.fixture
def mentor_window(open_window, demo_path: Path) -> MainWindow:
    return open_window(demo_path, actor=_actor(demo_path, "mentor"))


def _keys(*keys: Qt.Key, text: str = "") -> None:
    for key in keys:
        QTest.keyClick(QApplication.focusWidget(), key)
    if text:
        QTest.keyClicks(QApplication.focusWidget(), text)


def test_a_check_in_logged_by_keyboard_alone(mentor_window: MainWindow, demo_path: Path) -> None:
    before = _stored(demo_path)[0][0].id
    seen = {}

    def type_it(dialog, form) -> None:
        settle(dialog)
        picker = form.input("placement_id")
        seen["intern"] = picker.box.text()
        assert picker.value() is not None  # the placement due first, preselected
        assert QApplication.focusWidget() is picker.box
        _keys(Qt.Key.Key_Tab, Qt.Key.Key_Space)  # the first topic, ticked
        _keys(*[Qt.Key.Key_Tab] * 5, text="Walked the press line; asked about guards.")
        _keys(Qt.Key.Key_Tab, text="Quiet today; check in on Monday.")
        _keys(Qt.Key.Key_Return)  # Enter saves
        settle(dialog)
        assert not dialog.isVisible()

    run = in_dialog(lambda: press_shortcut(mentor_window), type_it, save=False)
    assert run.title == "Log check-in" and seen["intern"]
    ((check_in, notes),) = _stored(demo_path)
    assert check_in.id != before
    assert check_in.topics == ["Goals"] and check_in.minutes == 5
    assert check_in.shared_notes == "Walked the press line; asked about guards."
    assert [n.body for n in notes] == ["Quiet today; check in on Monday."]
    assert notes[0].visibility == "internal" and notes[0].author_user_id is not None


def test_esc_on_a_half_typed_check_in_asks_first(
    mentor_window: MainWindow, demo_path: Path, unanswered_discard: list[str]
) -> None:
    before = _stored(demo_path)[0][0].id

    def half_type(dialog, form) -> None:
        settle(dialog)
        _keys(*[Qt.Key.Key_Tab] * 6, text="Started to type and")
        _keys(Qt.Key.Key_Escape)
        assert not dialog.isVisible()  # the test's stand-in answered "Discard"

    in_dialog(lambda: press_shortcut(mentor_window), half_type, save=False)
    assert unanswered_discard == ["log check-in"]
    unanswered_discard.clear()
    assert _stored(demo_path)[0][0].id == before

    def untouched(dialog, form) -> None:
        settle(dialog)
        _keys(Qt.Key.Key_Escape)  # nothing typed: closes without asking
        assert not dialog.isVisible()

    in_dialog(mentor_window.log_check_in, untouched, save=False)
    assert unanswered_discard == []


def test_a_wellbeing_concern_shows_the_mandated_reporting_guidance(
    mentor_window: MainWindow, screenshot
) -> None:
    def concern(dialog, form) -> None:
        settle(dialog)
        guidance = dialog.findChild(QLabel, "mandatedReporting")
        form.input("concern_category").set_value("safety")
        settle(dialog)
        assert guidance.isHidden()
        form.input("concern_category").set_value("wellbeing")
        settle(dialog)
        assert not guidance.isHidden()
        assert "1-800-25-ABUSE" in guidance.text() and "325 ILCS 5/4" in guidance.text()
        assert "coordinator" in guidance.text()
        screenshot(dialog, "check-in-concern")

    in_dialog(lambda: press_shortcut(mentor_window), concern, save=False)


def test_the_check_ins_tab_lists_and_logs(mentor_window: MainWindow, qtbot) -> None:
    from screens import show_intern

    with db.read_session(mentor_window.database.factory, SYSTEM) as s:
        actor = mentor_window.database.actor
        (first,), _ = cadences.check_in_targets(s, actor, SAMPLE_TODAY, limit=1)
    detail = show_intern(mentor_window, first.intern_name).detail
    detail.tabs.setCurrentWidget(detail.check_ins_tab)
    mentor_window.runner.settle()
    tab = detail.check_ins_tab
    qtbot.waitUntil(lambda: tab.data is not None)
    assert tab.model.rowCount() == len(tab.data.rows) > 0
    assert "check-in" in tab.due_label.text().lower()
    assert tab.details.text() and not tab.resolve_button.isVisible()
    count = tab.model.rowCount()
    run = in_dialog(tab.log_check_in, lambda d, form: form.input("topics").set_value(("Safety",)))
    assert run.saved, (run.errors, run.banner)
    mentor_window.runner.settle()
    qtbot.waitUntil(lambda: tab.model.rowCount() == count + 1)
