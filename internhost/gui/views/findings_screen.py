"""The Compliance screen: every stored finding across interns, filtered and searched,
with the selected one's explanation, citation and verification below, and HR's
decisions on it (acknowledge, override, revoke) with a written reason.

The list pages like the interns list (``models/findings_list``). Which findings
exist, what each blocks and what HR may record on it are the core's: a row carries
the decisions the actor may take (``FindingRow.actions``) and the decisions table's
advice, and ``findings.decide_finding`` refuses what the table does not allow (a
verified hazardous order is never overridden), its message beside the field. A
decision announces "finding", so every screen showing findings reads them again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from internhost.core.dto import FindingRow, WorksiteRow
from internhost.core.errors import Conflict, NotFound, PermissionDenied
from internhost.core.services import directory, findings
from internhost.core.services.findings import FindingFilter
from internhost.gui.models.compliance_models import SEVERITY_WORDS, SOURCE_WORDS
from internhost.gui.models.findings_list import COLUMNS, STATUS_WORDS, FindingsListModel
from internhost.gui.ops import Ops
from internhost.gui.views.compliance import DetailsBox, FindingDetail
from internhost.gui.widgets.basics import PAGE_MARGIN, button, label, shown
from internhost.gui.widgets.fields import FieldForm, choice, text
from internhost.gui.widgets.refreshing import Refreshing
from internhost.gui.widgets.tables import fit_columns, plain_table

SEARCH_DELAY_MS = 200
COMBO_CHARS = 6
LOADING = "Loading findings…"
NONE_MATCH = "No findings match these filters."
#: The status filter's choices: (label, statuses). "Counted on the dashboard" is the
#: dashboard's count: not overridden, not stale, interns not archived.
STATUS_CHOICES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Any status", ()),
    *((STATUS_WORDS[s], (s,)) for s in findings.STATUSES),
    ("Counted on the dashboard", ("open", "acknowledged", "revoked")),
)
DASHBOARD_STATUS = len(STATUS_CHOICES) - 1
SOURCE_KEYS = {"placement": "placement", "plan": "planned shift", "logged": "logged hours"}
DECISION_TITLES = {"acknowledge": "Acknowledge finding", "override": "Override finding"}
REASON_HELP = {
    "written": "Say why, in words HR and an inspector can read later.",
    "evidence": "Name the evidence relied on (a document, an exemption, who checked it).",
}
SHOWS = ("finding", "intern", "placement", "worksite", "shift", "time_entry")


def _combo(items: list[tuple[str, Any]]) -> QComboBox:
    """A filter's drop-down: as narrow as a short choice, so the row fits 1024 pixels."""
    combo = QComboBox()
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(COMBO_CHARS)
    for text_, value in items:
        combo.addItem(text_, value)
    return combo


class FindingsScreen(Refreshing, QWidget):
    """Filters and search above the findings table; the selected finding below."""

    intern_requested = Signal(int, int)
    """Open an intern (id) at a finding (id): their findings tab."""
    shift_requested = Signal(int, int, object)
    """Open the planner on an intern's (id) week of a day (date), that shift (id) selected."""
    placement_requested = Signal(int)
    """Open the placement editor on a placement (id)."""
    entry_requested = Signal(int, int)
    """Open an intern's (id) Hours tab at a time entry (id)."""

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("page")
        self.ops = ops
        self.model = FindingsListModel(ops, self)
        self.model.loaded.connect(self._listed)
        self._select_when_listed: int | None = None

        self.count = label(role="muted")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by intern")
        self.search.setMaxLength(findings.SEARCH_MAX)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(240)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self.apply_filters)

        self.severity = _combo(
            [("Any severity", None), *((w, s) for s, w in SEVERITY_WORDS.items())]
        )
        self.source = _combo(
            [("Any source", None), *((SOURCE_WORDS[w], k) for k, w in SOURCE_KEYS.items())]
        )
        self.status = _combo([(t, i) for i, (t, _) in enumerate(STATUS_CHOICES)])
        self.rule = _combo([("Any rule", None)])
        self.worksite = _combo([("Any worksite", None)])
        for combo in (self.severity, self.source, self.status, self.rule, self.worksite):
            combo.currentIndexChanged.connect(self.apply_filters)
        self.clear_button = button("Clear", "secondary", self.clear_filters)
        self.clear_button.setToolTip("Show every finding again")

        self.table = plain_table()
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.table.setSortingEnabled(True)
        fit_columns(self.table, COLUMNS)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.open_intern())
        self.message = label(LOADING, "empty")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)
        self.list_stack.addWidget(self.message)
        self.list_stack.setCurrentWidget(self.message)

        self.detail = FindingDetail()
        self.who = label(role="muted", wrap=True)
        self.advice = label(role="muted", wrap=True)
        self.open_button = button("Open intern", "secondary", self.open_intern)
        self.acknowledge_button = button(
            "Acknowledge…", "secondary", lambda: self.decide("acknowledge")
        )
        self.override_button = button("Override…", "secondary", lambda: self.decide("override"))
        self.revoke_button = button("Revoke decision", "secondary", self.revoke)
        may_decide = ops.actor.can(findings.DECIDE_PERMISSION)
        for widget in (self.acknowledge_button, self.override_button, self.revoke_button):
            shown(widget, may_decide)
        actions = QHBoxLayout()
        actions.setSpacing(8)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        for widget in (self.acknowledge_button, self.override_button, self.revoke_button):
            actions.addWidget(widget)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(self.who)
        column.addWidget(self.detail)
        column.addWidget(self.advice)
        column.addLayout(actions)
        self.details_box = DetailsBox(content)
        self.details_box.hide()

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(14)
        self.splitter.addWidget(self.list_stack)
        self.splitter.addWidget(self.details_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        top = QHBoxLayout()
        top.addWidget(label("Compliance", "title"))
        top.addSpacing(10)
        top.addWidget(self.count, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        top.addWidget(self.search)
        filters = QHBoxLayout()
        filters.setSpacing(8)
        for combo in (self.severity, self.source, self.status, self.rule, self.worksite):
            filters.addWidget(combo, 1)
        filters.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PAGE_MARGIN, 20, PAGE_MARGIN, 20)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)
        self.follow(ops, SHOWS)
        self.load()

    # -- reading -------------------------------------------------------------------

    def load(self) -> None:
        """The list again (rows stay on screen until it comes), and the filter choices."""
        self.model.refresh()
        self.ops.read(self, findings.list_finding_rules, done=self._rules_came, latest="rules")
        self.ops.read(self, directory.list_worksites, done=self._sites_came, latest="sites")

    def _rules_came(self, rules: list[str]) -> None:
        self._refill(self.rule, "Any rule", [(r, r) for r in rules])

    def _sites_came(self, sites: list[WorksiteRow]) -> None:
        self._refill(self.worksite, "Any worksite", [(s.name, s.id) for s in sites])

    def _refill(self, combo: QComboBox, anything: str, items: list[tuple[str, Any]]) -> None:
        """New choices, keeping the one chosen (a choice gone falls back to any)."""
        current = combo.currentData()
        with QSignalBlocker(combo):
            combo.clear()
            combo.addItem(anything, None)
            for text_, value in items:
                combo.addItem(text_, value)
            combo.setCurrentIndex(max(combo.findData(current), 0))

    # -- filters ---------------------------------------------------------------------

    def filters(self) -> FindingFilter:
        statuses = STATUS_CHOICES[self.status.currentData() or 0][1]
        return FindingFilter(
            severity=self.severity.currentData(),
            rule=self.rule.currentData(),
            worksite_id=self.worksite.currentData(),
            statuses=statuses,
            source=self.source.currentData(),
            search=self.search.text(),
            current_only=self.status.currentIndex() == DASHBOARD_STATUS,
        )

    def apply_filters(self) -> None:
        """Ask for the findings matching the filters now (typing waits a moment)."""
        self._search_timer.stop()
        self.model.set_filters(self.filters())

    def clear_filters(self) -> None:
        self.show_filtered()

    def show_filtered(self, severity: str | None = None, *, counted: bool = False) -> None:
        """Only ``severity`` (any when None); ``counted``: as the dashboard counts them."""
        combos = (self.severity, self.source, self.status, self.rule, self.worksite)
        blockers = [QSignalBlocker(c) for c in (*combos, self.search)]
        for combo in combos:
            combo.setCurrentIndex(0)
        self.severity.setCurrentIndex(max(self.severity.findData(severity), 0))
        if counted:
            self.status.setCurrentIndex(DASHBOARD_STATUS)
        self.search.clear()
        del blockers
        self.apply_filters()

    def _listed(self) -> None:
        n = self.model.rowCount()
        self.count.setText(f"{n:,} finding{'s' if n != 1 else ''}")
        self.message.setText(NONE_MATCH)
        self.list_stack.setCurrentWidget(self.table if n else self.message)
        wanted = self._select_when_listed
        self._select_when_listed = None
        row = self.model.row_of(wanted) if wanted is not None else None
        if row is None and self.selected() is None and n:
            row = 0
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self._show_selected()

    # -- the selected finding ----------------------------------------------------------

    def selected(self) -> FindingRow | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show_selected()

    def _show_selected(self) -> None:
        f = self.selected()
        self.details_box.setVisible(f is not None)
        if f is None:
            return
        self.detail.show_finding(f)
        where = " · ".join(x for x in (f.intern_name, f.worksite) if x)
        self.who.setText(where)
        self.advice.setText(f.advice)
        self.advice.setVisible(bool(f.advice))
        self._enable(self.acknowledge_button, "acknowledge" in f.actions, f.advice)
        self._enable(self.override_button, "override" in f.actions, f.advice)
        self._enable(self.revoke_button, "revoke" in f.actions, "Nothing decided to revoke.")

    @staticmethod
    def _enable(widget: QPushButton, allowed: bool, why_not: str) -> None:
        widget.setEnabled(allowed)
        widget.setToolTip("" if allowed else why_not)

    def open_intern(self) -> None:
        """Open the selected finding's intern at the place to fix it: a planned
        shift's in the planner, a placement's in its editor, logged hours' on the
        Hours tab; anything else on the intern's findings tab."""
        f = self.selected()
        if f is None or f.intern_id is None:
            return
        if f.shift_id is not None and f.work_date is not None:
            self.shift_requested.emit(f.intern_id, f.shift_id, f.work_date)
        elif f.time_entry_id is not None:
            self.entry_requested.emit(f.intern_id, f.time_entry_id)
        elif f.source == findings.SOURCE_WORDS["placement"] and f.placement_id is not None:
            self.placement_requested.emit(f.placement_id)
        else:
            self.intern_requested.emit(f.intern_id, f.id)

    # -- decisions ---------------------------------------------------------------------

    def decide(self, kind: str) -> FindingRow | None:
        """HR's ``kind`` on the selected finding, with a reason, in a record dialog;
        the service decides whether the table allows it (its refusal shows there)."""
        f = self.selected()
        if f is None:
            return None
        saved = decision_dialog(self, self.ops, f, kind)
        if saved is not None:
            self._select_when_listed = saved.id
        return saved

    def revoke(self) -> None:
        f = self.selected()
        if f is None:
            return
        self._select_when_listed = f.id
        self.ops.write(
            self,
            findings.revoke_decision,
            f.id,
            changes={"finding"},
            done=lambda _row: None,
            failed=self.ops.expected(self, self._say, PermissionDenied, NotFound, Conflict),
        )

    def _say(self, exc: BaseException) -> None:
        self.advice.setText(str(exc)[:1].upper() + str(exc)[1:])
        self.advice.show()


def decision_dialog(parent: QWidget, ops: Ops, f: FindingRow, kind: str) -> FindingRow | None:
    """The reason dialog (``RecordDialog``) for deciding ``kind`` on ``f``; the saved
    row, or None when cancelled."""
    from internhost.gui.dialogs.record import edit_with_form

    form = FieldForm(
        [
            choice("kind", "Decision", [(kind, DECISION_TITLES[kind].split()[0])]),
            text("reason", "Reason", multiline=True, help=REASON_HELP.get(f.reason_needs, "")),
        ]
    )
    form.input("kind").setEnabled(False)

    def save(values: dict[str, Any]) -> FindingRow:
        return ops.database.write(
            findings.decide_finding, f.id, values["kind"], values["reason"] or ""
        )

    intro = f"{f.intern_name}: {f.message}"
    if f.advice:
        intro += f"\n\n{f.advice}"
    result: FindingRow | None = edit_with_form(
        parent,
        DECISION_TITLES[kind],
        form,
        save,
        ops=ops,
        changes={"finding"},
        intro=intro,
        size=(620, 420),
    )
    return result
