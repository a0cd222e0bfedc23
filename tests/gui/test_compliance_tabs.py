"""The intern detail's Findings and Checklist tabs: models, badges, saving, errors."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSize, Qt
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost.core import dto
from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.models import ChecklistItem, Finding, FindingOverride
from internhost.core.models.base import utcnow
from internhost.core.services import compliance
from internhost.core.storage import db
from internhost.core.trail import audit
from internhost.gui.main_window import MainWindow
from internhost.gui.models.columns import PILLS_ROLE, Pill
from internhost.gui.models.compliance_models import (
    FINDING_COLUMNS,
    ChecklistModel,
    FindingsModel,
    checklist_columns,
)
from internhost.gui.views.compliance import NO_FINDINGS
from internhost.gui.views.intern_detail import InternDetailPane

SIZE = QSize(1280, 800)
FINDING_VERIFICATION = next(i for i, c in enumerate(FINDING_COLUMNS) if c.header == "Verification")
FINDING_WHAT = next(i for i, c in enumerate(FINDING_COLUMNS) if c.header == "What")
CHECKLIST_HEADERS = [c.header for c in checklist_columns(date(2026, 1, 1), {})]
STATUS = CHECKLIST_HEADERS.index("Status")
DUE = CHECKLIST_HEADERS.index("Due")
FORKLIFT = "US-FLSA-HO7"
UNVERIFIED_RULE = "US-FLSA-570.50c-ny-heuristic"  # a real rule marked [S]


# -- helpers ---------------------------------------------------------------------------


def finding(**changes: object) -> dto.FindingRow:
    base = dto.FindingRow(
        id=1,
        placement_id=1,
        rule=FORKLIFT,
        category="hazardous_order",
        severity="violation",
        jurisdiction="US",
        citation="29 CFR 570.58 (HO 7)",
        verification="V",
        message="Forklift (high-lift truck): HO 7 bars every minor under 18.",
        work_date=date(2025, 10, 13),
        source="planned shift",
        stale=False,
        decision=None,
        decision_reason=None,
    )
    return replace(base, **changes)


def item(**changes: object) -> dto.ChecklistRow:
    base = dto.ChecklistRow(
        id=1,
        placement_id=1,
        key="C1",
        title="Proof of age verified against a document",
        evidence_needed="A copy of the birth certificate or state ID.",
        owner="hr",
        due=date(2026, 9, 1),
        status="open",
        citation="820 ILCS 206/55(b)(4)(B)",
        verification="V",
        retired=False,
        note="",
    )
    return replace(base, **changes)


def open_interns(open_window, path: Path, actor: Actor = SYSTEM) -> MainWindow:
    window = open_window(path, actor=actor)
    window.resize(SIZE)
    window.show_page("interns")
    return window


def choose(window: MainWindow, name: str) -> None:
    view = window.interns_view
    model = view.model
    row = next(r for r in range(model.rowCount()) if name in model.row_at(r).name)
    view.table.selectRow(row)
    assert window.runner.settle()  # the detail is read on the worker
    assert view.detail.current is not None and name in view.detail.current.display_name


def intern_id_with_rule(path: Path, rule: str) -> int:
    with db.connect_raw(path, TEST_KEY) as conn:
        found = conn.execute("SELECT intern_id FROM findings WHERE rule_id = ?", (rule,))
        return found.fetchone()[0]


def write(path: Path, change) -> object:
    """Run ``change(session)`` in one audited unit of work on the database file."""
    engine = db.make_engine(path, TEST_KEY, create=False)
    try:
        with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
            return change(s)
    finally:
        engine.dispose()


def read_checklist(path: Path, intern_id: int) -> list[dto.ChecklistRow]:
    engine = db.make_engine(path, TEST_KEY, create=False)
    try:
        with db.read_session(db.make_session_factory(engine), SYSTEM) as s:
            return compliance.list_checklist(s, SYSTEM, intern_id)
    finally:
        engine.dispose()


def add_unverified_finding(path: Path, intern_id: int) -> None:
    """A stale finding from an [S] rule, which HR acknowledged (the demo has none)."""

    def change(s) -> None:
        # Checked against the same packs as the real findings, so the start-up sweep
        # (which re-checks findings from other pack versions) leaves it alone.
        placement_id, packs = s.execute(
            select(Finding.placement_id, Finding.rule_packs)
            .where(Finding.intern_id == intern_id)
            .limit(1)
        ).one()
        identity = f"{UNVERIFIED_RULE}|case|test"
        audit.bulk_insert(
            s,
            Finding,
            [
                {
                    "intern_id": intern_id,
                    "placement_id": placement_id,
                    "identity": identity,
                    "rule_id": UNVERIFIED_RULE,
                    "category": "hazardous_order",
                    "severity": "warning",
                    "jurisdiction": "US",
                    "citation": (
                        "29 CFR 570.50(c)(2)(ii); NY heuristic (NY §133.2), not federal law"
                    ),
                    "verification": "S",
                    "template": UNVERIFIED_RULE,
                    "params": {
                        "task": "Press brake",
                        "minutes": 75,
                        "limit": "60 min at a time or 20% of the shift",
                        "age": 16,
                        "date": "2025-10-13",
                    },
                    "work_date": date(2025, 10, 13),
                    "rule_packs": packs,
                    "input_hash": "0" * 64,
                    "stale": True,
                }
            ],
        )
        s.add(
            FindingOverride(
                intern_id=intern_id,
                identity=identity,
                rule_id=UNVERIFIED_RULE,
                kind="acknowledge",
                reason="Reviewed with the school coordinator; press-brake time now split up.",
            )
        )

    write(path, change)


# -- models ----------------------------------------------------------------------------


# pytest-qt's Python tester is one object: checking one model twice would connect it
# twice, so each state below gets a model of its own, checked once, changed after.


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_findings_model_contract(qtmodeltester, force_py: bool) -> None:
    qtmodeltester.check(FindingsModel(), force_py=force_py)
    model = FindingsModel()
    model.set_rows(
        [
            finding(),
            finding(
                id=2, verification="S", stale=True, decision="acknowledge", status="acknowledged"
            ),
            finding(id=3, verification="M", severity="advisory", work_date=None),
            finding(
                id=4,
                severity="warning",
                source="logged hours",
                decision="override",
                status="overridden",
            ),
        ]
    )
    qtmodeltester.check(model, force_py=force_py)
    assert model.index(0, FINDING_VERIFICATION).data(PILLS_ROLE) == ()
    assert model.index(1, FINDING_VERIFICATION).data(PILLS_ROLE) == (
        Pill("Unverified (S)", "warning"),
    )
    assert model.index(2, FINDING_VERIFICATION).data(PILLS_ROLE) == (
        Pill("Unverified (M)", "warning"),
    )
    assert [p.text for p in model.index(1, FINDING_WHAT).data(PILLS_ROLE)] == [
        "Stale",
        "Acknowledged",
    ]
    assert model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is not None
    model.set_rows([finding(id=9)])  # a reset the tester watches
    assert model.rowCount() == 1


CHECKLIST = [
    item(),  # open, due before today: overdue
    item(id=2, key="C3", status="done"),
    item(id=3, key="C4", due=date(2026, 12, 1)),
    item(id=4, key="C5", retired=True, status="waived", verification="M"),
]


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_checklist_model_contract(qtmodeltester, force_py: bool) -> None:
    today = date(2026, 11, 20)
    qtmodeltester.check(ChecklistModel(), force_py=force_py)
    model = ChecklistModel()
    model.set_items(CHECKLIST, today, {1: "Aug 31, 2026 – Jan 15, 2027"})
    qtmodeltester.check(model, force_py=force_py)
    assert [model.row_at(r).key for r in range(model.rowCount())] == ["C1", "C3", "C4"]
    assert model.index(0, STATUS).data(PILLS_ROLE) == (Pill("Overdue", "danger"),)
    assert model.index(0, DUE).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(1, STATUS).data(PILLS_ROLE) == (Pill("Done", "success"),)
    assert model.index(2, STATUS).data() == "Open"
    assert model.index(2, DUE).data(Qt.ItemDataRole.ForegroundRole) is None
    model.set_show_retired(True)  # a reset the tester watches
    assert model.rowCount() == 4
    assert [p.text for p in model.index(3, STATUS).data(PILLS_ROLE)] == ["Retired", "Waived"]


@pytest.mark.parametrize("force_py", [False, True], ids=["qt-tester", "py-tester"])
def test_checklist_model_with_retired_shown(qtmodeltester, force_py: bool) -> None:
    model = ChecklistModel()
    model.set_show_retired(True)
    model.set_items(CHECKLIST, date(2026, 11, 20), {})
    qtmodeltester.check(model, force_py=force_py)
    assert model.rowCount() == 4


def test_pane_without_findings_shows_the_empty_state(qtbot) -> None:
    pane = InternDetailPane()
    qtbot.addWidget(pane)
    pane.findings_tab.set_findings([])
    assert pane.findings_tab.currentWidget() is pane.findings_tab.empty
    assert pane.findings_tab.empty.text() == NO_FINDINGS
    pane.findings_tab.set_findings([finding()])
    assert pane.findings_tab.currentWidget() is pane.findings_tab.table_page


# -- on the sample database ------------------------------------------------------------


def test_forklift_finding_shows_in_the_findings_tab(open_window, demo_path: Path) -> None:
    intern_id = intern_id_with_rule(demo_path, FORKLIFT)
    window = open_interns(open_window, demo_path)
    view = window.interns_view
    assert view.select_intern(intern_id)
    assert window.runner.settle()
    detail = view.detail
    detail.tabs.setCurrentIndex(detail.FINDINGS)
    tab = detail.findings_tab
    assert tab.currentWidget() is tab.table_page
    rules = [tab.model.row_at(r).rule for r in range(tab.model.rowCount())]
    assert FORKLIFT in rules
    assert detail.tabs.tabText(detail.FINDINGS) == f"Findings ({len(rules)})"
    tab.table.selectRow(rules.index(FORKLIFT))
    ui = tab.detail.ui
    assert ui.ruleLabel.text() == FORKLIFT
    assert "570.58" in ui.citationValue.text()
    assert "Forklift" in ui.messageLabel.text()
    assert ui.verificationValue.text() == "Verified"
    assert not ui.unverifiedBadge.isVisibleTo(tab)


def test_an_intern_without_findings_says_so(open_window, demo_path: Path) -> None:
    window = open_interns(open_window, demo_path)
    choose(window, "Łukasiewicz")
    tab = window.interns_view.detail.findings_tab
    assert tab.currentWidget() is tab.empty


def test_unverified_finding_shows_its_badge(open_window, demo_path: Path, screenshot) -> None:
    intern_id = intern_id_with_rule(demo_path, FORKLIFT)
    add_unverified_finding(demo_path, intern_id)
    window = open_interns(open_window, demo_path)
    view = window.interns_view
    assert view.select_intern(intern_id)
    assert window.runner.settle()
    detail = view.detail
    detail.tabs.setCurrentIndex(detail.FINDINGS)
    tab = detail.findings_tab
    rows = [tab.model.row_at(r) for r in range(tab.model.rowCount())]
    row = next(r for r, f in enumerate(rows) if f.rule == UNVERIFIED_RULE)
    assert tab.model.index(row, FINDING_VERIFICATION).data(PILLS_ROLE) == (
        Pill("Unverified (S)", "warning"),
    )
    assert {p.text for p in tab.model.index(row, FINDING_WHAT).data(PILLS_ROLE)} == {
        "Stale",
        "Acknowledged",
    }
    tab.table.selectRow(row)
    ui = tab.detail.ui
    assert ui.unverifiedBadge.isVisibleTo(tab) and ui.unverifiedBadge.text() == "Unverified (S)"
    assert ui.staleBadge.isVisibleTo(tab)
    assert "press-brake time now split up" in ui.decisionValue.text()
    screenshot(window, "intern-findings")


def test_setting_an_item_done_persists(open_window, demo_path: Path, screenshot) -> None:
    window = open_interns(open_window, demo_path)
    choose(window, "Łukasiewicz")  # the sample leaves two of her items open
    detail = window.interns_view.detail
    intern_id = detail.current.id
    detail.tabs.setCurrentIndex(detail.CHECKLIST)
    tab = detail.checklist_tab
    assert tab.currentWidget() is tab.table_page
    # An open item from an unverified requirement, so the screenshot shows its badge too.
    row = next(
        r
        for r in range(tab.model.rowCount())
        if tab.model.row_at(r).verification != "V" and tab.model.row_at(r).status == "open"
    )
    target = tab.model.row_at(row)
    tab.table.selectRow(row)
    assert tab.editor.ui.unverifiedBadge.text() == f"Unverified ({target.verification})"
    ui = tab.editor.ui
    assert not ui.saveButton.isEnabled()  # nothing changed yet
    ui.statusCombo.setCurrentIndex(ui.statusCombo.findData("done"))
    ui.noteEdit.setPlainText("Certificate from the insurer on file, scanned to the HR share.")
    assert ui.saveButton.isEnabled()
    ui.saveButton.click()
    assert not ui.saveButton.isEnabled()  # on its way: a second click saves nothing
    assert window.runner.settle()

    stored = {i.id: i for i in read_checklist(demo_path, intern_id)}
    assert stored[target.id].status == "done"
    assert stored[target.id].note.startswith("Certificate from the insurer on file")
    assert tab.selected().id == target.id  # refreshed, the item still selected
    assert tab.selected().status == "done"
    row = tab.model.row_of(target.id)
    assert tab.model.index(row, STATUS).data(PILLS_ROLE) == (Pill("Done", "success"),)
    assert not ui.saveButton.isEnabled()
    assert not ui.messageLabel.isVisibleTo(tab)
    screenshot(window, "intern-checklist")


def test_an_invalid_save_shows_an_error_and_changes_nothing(open_window, demo_path: Path) -> None:
    window = open_interns(open_window, demo_path)
    choose(window, "Núñez")
    detail = window.interns_view.detail
    intern_id = detail.current.id
    before = read_checklist(demo_path, intern_id)
    tab = detail.checklist_tab
    tab.table.selectRow(0)
    ui = tab.editor.ui
    ui.statusCombo.setCurrentIndex(ui.statusCombo.findData("done"))
    ui.noteEdit.setPlainText("x" * (compliance.NOTE_MAX + 1))
    tab.save()
    assert window.runner.settle()
    assert ui.noteError.isVisibleTo(tab)
    assert f"Note is longer than {compliance.NOTE_MAX} characters" in ui.noteError.text()
    assert read_checklist(demo_path, intern_id) == before
    assert ui.statusCombo.currentData() == "done"  # the edits stay, to be fixed
    ui.noteEdit.setPlainText("fine")
    tab.save()
    assert window.runner.settle()
    assert not ui.noteError.isVisibleTo(tab)
    assert read_checklist(demo_path, intern_id)[0].note == "fine"


def test_a_role_that_may_not_edit_sees_why(open_window, demo_path: Path) -> None:
    viewer = Actor(Role.VIEWER, "Viewer")
    window = open_interns(open_window, demo_path, actor=viewer)
    choose(window, "Núñez")
    detail = window.interns_view.detail
    intern_id = detail.current.id
    before = read_checklist(demo_path, intern_id)
    tab = detail.checklist_tab
    ui = tab.editor.ui
    assert ui.readOnlyLabel.isVisibleTo(tab)
    assert not ui.saveButton.isVisibleTo(tab) and not ui.statusCombo.isEnabled()
    # Should a save get through anyway, the service refuses and the pane says so.
    ui.statusCombo.setCurrentIndex(ui.statusCombo.findData("waived"))
    tab.save()
    assert window.runner.settle()
    assert ui.messageLabel.isVisibleTo(tab)
    assert "a viewer may not tick onboarding steps and checklist items" in ui.messageLabel.text()
    assert read_checklist(demo_path, intern_id) == before


def test_retired_items_show_on_request(open_window, demo_path: Path) -> None:
    intern_id = intern_id_with_rule(demo_path, FORKLIFT)
    items = read_checklist(demo_path, intern_id)

    def retire(s) -> None:
        s.get(ChecklistItem, items[0].id).retired_at = utcnow()

    write(demo_path, retire)
    window = open_interns(open_window, demo_path)
    assert window.interns_view.select_intern(intern_id)
    assert window.runner.settle()
    tab = window.interns_view.detail.checklist_tab
    shown = [tab.model.row_at(r).id for r in range(tab.model.rowCount())]
    assert items[0].id not in shown and len(shown) == len(items) - 1
    assert tab.show_retired.isVisibleTo(tab) and not tab.show_retired.isChecked()
    tab.show_retired.setChecked(True)
    assert tab.model.rowCount() == len(items)
    row = tab.model.row_of(items[0].id)
    assert "Retired" in [p.text for p in tab.model.index(row, STATUS).data(PILLS_ROLE)]
