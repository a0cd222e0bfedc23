"""Retention on the Backups screen: the period, the line naming who is past it, and
"Review purge…" (the proposal dialog, its confirmation, the purge on the worker);
saved as PNGs to look at."""

from __future__ import annotations

from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from dialogs import modal, settle
from PySide6.QtWidgets import QLabel, QMessageBox
from testkeys import TEST_KEY

from internhost.core.services import retention
from internhost.core.storage import db
from internhost.core.trail import audit_verify
from internhost.gui.dialogs.purge import PurgeDialog
from internhost.gui.views.backups_view import BackupsView

#: Long after the sample's first term: some interns, not all, are past 3 years.
LATER = date(2029, 6, 1)


def interns(path: Path) -> int:
    with closing(db.connect_raw(path, TEST_KEY, wal=False)) as conn:
        return conn.execute("SELECT count(*) FROM interns").fetchone()[0]


def backups_screen(open_window, path: Path, today: date) -> tuple[Any, BackupsView]:
    window = open_window(path, today=today)
    window.runner.wait()
    window.show_page("backups")
    view = window._page("backups")
    settle(view)  # its reads, on the database worker
    return window, view


def test_the_retention_section_names_who_is_past_the_period(
    open_window, demo_path: Path, qtbot, screenshot
) -> None:
    window, view = backups_screen(open_window, demo_path, LATER)
    window.resize(1200, 860)
    assert view.years.value() == 3 and view.years.minimum() == 3
    assert any("[unverified rule: S]" in w.text() for w in view.findChildren(QLabel))
    assert not view.due.isHidden()
    assert view.due.text() == "11 interns are past the retention period — review"
    screenshot(window, "backups-retention")


def test_nobody_past_the_period_shows_no_line(open_window, demo_path: Path, qtbot) -> None:
    _, view = backups_screen(open_window, demo_path, date(2026, 11, 20))
    assert view.due.isHidden()
    view.review_purge()
    qtbot.waitUntil(lambda: view.purge_status.text().startswith("Nobody is past"), timeout=10_000)
    assert view.purge_status.text() == (
        "Nobody is past the 3-year retention period: nothing to purge."
    )


def test_saving_the_period(open_window, demo_path: Path, qtbot) -> None:
    window, view = backups_screen(open_window, demo_path, LATER)
    view.years.setValue(2)  # the spin box stops at the law's minimum
    assert view.years.value() == 3
    view.years.setValue(5)
    view.save_years()
    settle(view)
    assert view.retention_status.text() == (
        "Saved: records are kept 5 years after an intern last worked."
    )
    assert window.database.read(retention.retention_years) == 5
    assert view.due.isHidden()  # nobody worked as long as 5 years before LATER


def test_a_period_typed_but_not_saved_survives_a_backup_and_coming_back(
    open_window, demo_path: Path, qtbot
) -> None:
    window, view = backups_screen(open_window, demo_path, LATER)
    assert view.years.value() == 3
    view.years.lineEdit().selectAll()
    qtbot.keyClicks(view.years.lineEdit(), "7")
    assert view.years.value() == 7
    view.back_up()
    qtbot.waitUntil(lambda: view.status.text().startswith("Backed up"), timeout=20_000)
    assert view.years.value() == 7  # not saved, not lost
    window.show_page("interns")
    window.show_page("backups")  # the screen reads everything again
    settle(view)
    assert view.years.value() == 7
    assert window.database.read(retention.retention_years) == 3
    window.database.write(retention.set_retention_years, 10)  # meanwhile, elsewhere
    view.refresh()
    settle(view)
    assert view.years.value() == 10  # the stored period changed: the box shows it
    window.database.write(retention.set_retention_years, 4)
    view.refresh()
    settle(view)
    assert view.years.value() == 4  # not edited since: it follows the stored period


def test_the_dialog_lists_the_proposal_and_asks_before_purging(
    open_window, demo_path: Path, qtbot, screenshot
) -> None:
    window, _ = backups_screen(open_window, demo_path, LATER)
    proposal = window.database.read(retention.propose_purge, LATER)
    dialog = PurgeDialog(proposal, window)
    qtbot.addWidget(dialog)
    dialog.show()
    # 12 are past the period; one has an injury report, which no purge takes.
    assert dialog.model.rowCount() == len(proposal.candidates) == 11
    assert len(proposal.held_for_incidents) == 1
    assert "OSHA record" in dialog.findChild(QLabel, "held").text()
    first = proposal.candidates[0]
    assert dialog.model.index(0, 0).data() == first.name
    # The placement that ended early (the sample terminates one) is the oldest.
    assert dialog.model.index(0, 2).data() == "Nov 10, 2025"
    assert dialog.model.index(0, 4).data() == "Nov 11, 2028"
    assert dialog.model.index(0, 5).data() == f"{first.records:,}"
    assert "time entries" in dialog.model.index(0, 6).data()
    assert f"{proposal.records:,} records" in dialog.totals.text()
    assert "cannot be undone" in dialog.warning.text()
    assert "Backups taken before the purge" in dialog.warning.text()
    assert dialog.purge_button.text() == "Purge 11 interns"
    assert not dialog.purge_button.isEnabled()
    dialog.accept()  # refused while the box is not ticked
    assert dialog.isVisible()
    dialog.confirm.setChecked(True)
    assert dialog.purge_button.isEnabled()
    screenshot(dialog, "purge-review")
    dialog.reject()


def test_review_confirm_and_purge(open_window, demo_path: Path, qtbot, screenshot) -> None:
    window, view = backups_screen(open_window, demo_path, LATER)
    before = interns(demo_path)

    def confirm(dialog: PurgeDialog) -> int:
        dialog.confirm.setChecked(True)
        dialog.purge_button.click()
        return len(dialog.proposal.candidates)

    with modal(confirm) as done:
        view.review_purge()
        qtbot.waitUntil(lambda: view.purge_status.text().startswith("Purged"), timeout=20_000)
    settle(view)  # announced: the count past the period read again
    assert done == [11]
    assert interns(demo_path) == before - 11
    assert view.purge_status.text().startswith("Purged 11 interns and ")
    assert view.due.isHidden()
    with window.database.reading() as s:
        assert audit_verify.verify(s).ok


def test_cancelling_purges_nothing(open_window, demo_path: Path, qtbot) -> None:
    _, view = backups_screen(open_window, demo_path, LATER)
    before = interns(demo_path)
    with modal(lambda dialog: dialog.reject()) as done:
        view.review_purge()
        qtbot.waitUntil(lambda: view.purge_status.text() == "Nothing was purged.", timeout=20_000)
    assert len(done) == 1
    assert interns(demo_path) == before
    assert not view.due.isHidden()


def test_a_proposal_gone_stale_is_refused_whole(open_window, demo_path: Path, qtbot) -> None:
    window, view = backups_screen(open_window, demo_path, LATER)
    proposal = window.database.read(retention.propose_purge, LATER)
    window.database.write(retention.set_retention_years, 10)  # meanwhile, elsewhere
    before = interns(demo_path)
    view.purge(proposal.intern_ids, LATER)
    qtbot.waitUntil(lambda: view.purge_status.text().startswith("Failed"), timeout=20_000)
    assert "not past the 10-year retention period" in view.purge_status.text()
    assert "nothing was purged" in view.purge_status.text()
    assert interns(demo_path) == before


@pytest.fixture(autouse=True)
def _no_real_dialogs(monkeypatch):
    """A message box this test did not expect fails instead of blocking."""

    def unexpected(*args, **kwargs):
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("critical", "question", "warning", "information"):
        monkeypatch.setattr(QMessageBox, name, unexpected)
