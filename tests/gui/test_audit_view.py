"""The Audit trail screen: HR only, pages, filters (as you type: only the last one's
answer shows), the detail pane, verifying. It reads on the database worker: the
tests wait for its answers (``settle``)."""

from __future__ import annotations

import json
from contextlib import closing
from pathlib import Path

from dialogs import settle
from testkeys import TEST_KEY

from internhost.core.storage import db
from internhost.gui.formatting import local_time
from internhost.gui.views import audit_view


def _nav(window) -> list[str]:
    return [window.nav.item(i).text() for i in range(window.nav.count())]


def test_hr_pages_filters_and_verifies(
    open_window, demo_path: Path, qtbot, qtmodeltester, screenshot
):
    window = open_window(demo_path)
    window.runner.wait()
    assert "Audit trail" in _nav(window)
    window.show_page("audit")
    view = window._page("audit")
    settle(view)
    qtmodeltester.check(view.model)
    assert view.model.rowCount() == audit_view.PAGE
    newest = view.model.row_at(0).seq
    view.load_more()
    settle(view)
    assert view.model.rowCount() == 2 * audit_view.PAGE
    seqs = [view.model.row_at(r).seq for r in range(view.model.rowCount())]
    assert seqs == sorted(seqs, reverse=True) and seqs[0] == newest and len(set(seqs)) == len(seqs)

    view.record.setText("interns:")  # applied after a pause in typing
    qtbot.waitUntil(lambda: view.model.rowCount() < 2 * audit_view.PAGE)
    settle(view)
    assert view.model.rowCount() > 0
    assert all(
        view.model.row_at(r).aggregate_type == "interns" for r in range(view.model.rowCount())
    )
    view.table.selectRow(0)
    shown = view.model.row_at(0)
    detail = view.detail.toPlainText()
    assert shown.record_label.startswith("Intern ") and ":" not in shown.record_label
    assert shown.record_label in detail and "Field" in detail
    assert local_time(shown.occurred_at) in detail and "UTC" not in detail

    name = shown.record_label.removeprefix("Intern ").split()[-1]
    view.record.setText(name)  # a name in the recorded values finds its entries
    view.refresh()  # Enter applies it at once
    settle(view)
    assert view.model.rowCount() > 0
    assert all(
        name in json.dumps(view.model.row_at(r).changes, ensure_ascii=False)
        for r in range(view.model.rowCount())
    )

    verify(view, qtbot)
    assert "intact" in view.status.text()
    view.table.selectRow(0)
    window.resize(1280, 800)
    screenshot(window, "audit")

    # An edited event and an intern edited outside the app: the same lines as the command.
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        conn.execute("UPDATE audit_events SET actor_name = 'X' WHERE seq = ?", (newest - 3,))
        conn.execute("UPDATE interns SET grade = 3 WHERE id = 1")
        conn.commit()
    verify(view, qtbot)
    assert view.status.text().startswith("Audit trail BROKEN: 2 problems")
    heading, *lines = [line for line in view.detail.toPlainText().splitlines() if line]
    assert heading == "What Verify found:"
    assert lines[0].startswith(f"seq {newest - 3}: ") and "actor" in lines[0]
    assert lines[1].startswith("interns 1: differs from its last audit event")
    assert "grade is 3, the trail says" in lines[1]
    assert lines[2] == "Audit trail BROKEN: 2 problems"
    screenshot(window, "audit-broken")


def verify(view, qtbot) -> None:
    view.verify()
    assert not view.verify_button.isEnabled()  # on the worker thread
    qtbot.waitUntil(view.verify_button.isEnabled, timeout=30_000)


def test_only_hr_gets_the_audit_screen(open_window, demo_path: Path) -> None:
    from internhost.core.actor import Actor, Role

    window = open_window(demo_path)
    window.runner.wait()
    assert "audit" in window._screens_for_actor()
    for role in (Role.MENTOR, Role.VIEWER):
        window.actor = Actor(role, "someone", user_id=99, staff_id=1)
        assert "audit" not in window._screens_for_actor()


def test_only_the_last_filter_typed_is_shown(open_window, demo_path: Path, qtbot) -> None:
    window = open_window(demo_path)
    window.show_page("audit")
    view = window._page("audit")
    settle(view)
    shown: list[list[str]] = []
    show = view._show

    def record(page, *, more: bool) -> None:
        shown.append([e.aggregate_type for e in page])
        show(page, more=more)

    view._show = record
    for text in ("plac", "interns:", "staff:"):  # each asked before any answer came
        view.record.setText(text)
        view.refresh()
    settle(view)
    assert len(shown) == 1 and set(shown[0]) == {"staff"}  # the stale answers dropped
    assert {view.model.row_at(r).aggregate_type for r in range(view.model.rowCount())} == {"staff"}
    assert view.status.text() == f"{view.model.rowCount()} entries shown, newest first."


def test_a_save_elsewhere_shows_on_the_trail(open_window, demo_path: Path, qtbot) -> None:
    from internhost.core.services import setup

    window = open_window(demo_path)
    window.show_page("audit")
    view = window._page("audit")
    settle(view)
    newest = view.model.row_at(0).seq
    staff = window._page("staff")  # another screen saves through the same ops
    window.ops.write(
        staff,
        setup.save_staff,
        setup.StaffInput("Trail", "Check", "supervisor", email="trail@example.com"),
        today=window.clock(),
        changes={"staff"},
    )
    settle(view)
    assert view.model.row_at(0).seq > newest and view.model.row_at(0).operation == "save staff"
