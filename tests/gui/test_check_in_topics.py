"""HR edits the check-in topics from Set-up: a rename, a new topic and a retired one
are saved (the two-minute check-in offers the list), and a blank name is refused
beside the field with nothing saved."""

from __future__ import annotations

from pathlib import Path

from dialogs import in_dialog

from internhost.core.actor import SYSTEM
from internhost.core.services import check_in_topics
from internhost.core.storage import db, secrets
from internhost.gui.main_window import MainWindow


def stored(path: Path) -> list[tuple[str, str, bool]]:
    engine = db.make_engine(path, secrets.read_database_key(path))
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            return [(t.key, t.name, t.retired) for t in check_in_topics.list_topics(s, SYSTEM)]
    finally:
        engine.dispose()


def setup_page(open_window, path: Path) -> MainWindow:
    window = open_window(path)
    window.show_page("setup")
    window.runner.settle()
    return window


def test_hr_renames_adds_and_retires_topics(open_window, demo_path: Path) -> None:
    window = setup_page(open_window, demo_path)
    page = window._page("setup")
    assert page.topics_button.isVisible()

    def edit(_dialog, form) -> None:
        table = form.input("topics")
        rows = list(table.value())
        assert [name for name, _retired, _key in rows][:2] == ["Goals", "Safety"]
        rows[0] = ("Goals and progress", False, rows[0][2])
        rows[2] = (rows[2][0], True, rows[2][2])  # workplace norms, retired
        rows.append(("Attendance", False, None))
        table.set_value(tuple(rows))

    run = in_dialog(page.topics, edit)
    assert run.saved, run.errors
    topics = stored(demo_path)
    assert topics[0] == ("goals", "Goals and progress", False)
    assert topics[2] == ("workplace_norms", "Workplace norms", True)
    assert topics[-1] == ("attendance", "Attendance", False)


def test_a_blank_topic_name_is_refused_beside_the_field(open_window, demo_path: Path) -> None:
    window = setup_page(open_window, demo_path)
    before = stored(demo_path)

    def blank(_dialog, form) -> None:
        table = form.input("topics")
        rows = list(table.value())
        rows[1] = ("  ", False, rows[1][2])
        table.set_value(tuple(rows))

    run = in_dialog(window._page("setup").topics, blank)
    assert not run.saved
    assert any(k.startswith("topics") and "required" in v for k, v in run.errors.items()), run
    assert stored(demo_path) == before
