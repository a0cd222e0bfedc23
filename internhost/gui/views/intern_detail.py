"""One intern's detail: a header, then tabs. "Overview" holds the Designer profile
form, guardians and contacts, and placements; "Findings" and "Checklist" their
compliance (``views/compliance.py``); "Plan" each placement's onboarding plan
(``views/plan_tab.py``); "Hours" their logged hours, progress and attendance
(``views/hours_tab.py``, which reads its own); "Packets" what was printed for them
and printing another (``views/packets_tab.py``).

It only displays DTOs (``InternDetail``, ``FindingRow``, ``ChecklistRow``, ``PlanDue``), which
the services built for the acting user: a field the role may not see arrives as
None and its row is hidden here, so nothing about permissions is decided in this
widget.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from internhost.core.dto import (
    ChecklistRow,
    ContactRow,
    FindingRow,
    InternDetail,
    PlacementRow,
    PlanDue,
)
from internhost.core.rules.ages import band_starts
from internhost.core.services import compliance, interns, onboarding
from internhost.gui.formatting import DASH, date_range, relative_days, short_date, text_or_dash
from internhost.gui.forms.ui_intern_detail import Ui_InternDetail
from internhost.gui.forms.ui_intern_header import Ui_InternHeader
from internhost.gui.models.columns import Column, RowsModel
from internhost.gui.views.check_ins_tab import CheckInsTab
from internhost.gui.views.compliance import ChecklistTab, FindingsTab
from internhost.gui.views.hours_tab import HoursTab
from internhost.gui.views.incidents import IncidentsView
from internhost.gui.views.packets_tab import PacketsTab
from internhost.gui.views.plan_tab import PlanTab
from internhost.gui.views.progress_tab import ProgressTab
from internhost.gui.widgets.basics import Card, label
from internhost.gui.widgets.tables import FittedTable

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.actor import Actor
    from internhost.gui.ops import Ops

Row = TypeVar("Row")
PROFILE_WIDTH = 336
#: What the contacts and placements need beside the profile before they would elide.
RECORDS_WIDTH = 620
CONTACT_COLUMNS: tuple[Column[ContactRow], ...] = (
    Column("Name", lambda c: c.name),
    Column("Relationship", lambda c: text_or_dash(c.relationship)),
    Column("Role", lambda c: "Guardian" if c.kind == "guardian" else "Emergency"),
    Column("Phone", lambda c: text_or_dash(c.phone), elide=False),
    Column("Email", lambda c: text_or_dash(c.email)),
)


def _pay(p: PlacementRow) -> str:
    if not p.paid:
        return "Unpaid"
    if p.hourly_rate_cents is None:
        return "Paid"
    return f"${p.hourly_rate_cents / 100:.2f}/h"


PLACEMENT_COLUMNS: tuple[Column[PlacementRow], ...] = (
    Column("Dates", lambda p: date_range(p.start_date, p.end_date), elide=False),
    # The stored status; a draft's tooltip says what keeps it one.
    Column(
        "Status",
        lambda p: p.status.capitalize(),
        elide=False,
        tooltip=lambda p: p.status_note or None,
    ),
    Column("Worksite", lambda p: text_or_dash(p.worksite)),
    Column("Mentor", lambda p: text_or_dash(p.mentor), tooltip=lambda p: p.mentor_email),
    Column("Program", lambda p: p.program_label, sample="Employment", long=True),
    Column("Pay", _pay, elide=False),
)


class PaneData(NamedTuple):
    """Everything the pane shows of one intern."""

    detail: InternDetail
    findings: list[FindingRow]
    checklist: list[ChecklistRow]
    plan: list[PlanDue]


def read_pane(s: Session, actor: Actor, intern_id: int, today: date) -> PaneData:
    """One intern's detail, stored findings, checklist and onboarding plan, in one read
    session (on the worker: ``ops.read(owner, read_pane, intern_id, today, done=...)``)."""
    return PaneData(
        interns.get_intern(s, actor, intern_id, today),
        compliance.list_findings(s, actor, intern_id),
        compliance.list_checklist(s, actor, intern_id),
        onboarding.list_plan_items(s, actor, intern_id, today),
    )


class InternHeader(QWidget):
    """The Designer form (``ui/intern_header.ui``): name, summary, badges."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_InternHeader()
        self.ui.setupUi(self)

    def show_intern(self, d: InternDetail) -> None:
        ui = self.ui
        ui.nameLabel.setText(d.display_name)
        summary = [f"Age {d.age}" if d.age is not None else f"Age {d.age_band}", d.school]
        if d.grade is not None:
            summary.insert(1, f"Grade {d.grade}")
        summary.append(f"ID {d.id}")  # the id the command line takes (internhost packet)
        ui.summaryLabel.setText(" · ".join(summary))
        ui.archivedBadge.setVisible(d.archived)
        ui.ruleChangeBadge.setVisible(d.rule_change_soon)


class ProfileForm(QWidget):
    """The Designer form (``ui/intern_detail.ui``), filled from a DTO."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_InternDetail()
        self.ui.setupUi(self)

    def _row(self, value: QLabel, text: str | None) -> None:
        """Show ``text`` in a form row, or hide the row when the role may not see it."""
        self.ui.profileForm.setRowVisible(value, text is not None)
        value.setText(text or "")

    def show_intern(self, d: InternDetail, today: date) -> None:
        ui = self.ui
        ui.legalNameValue.setText(f"{d.legal_first_name} {d.legal_last_name}")
        ui.preferredValue.setText(d.preferred_name or DASH)
        ui.ageValue.setText(f"{d.age} ({d.age_band})" if d.age is not None else d.age_band)
        self._row(ui.birthDateValue, short_date(d.birth_date) if d.birth_date else None)
        self._row(ui.ruleChangeValue, _rule_change_text(d, today))
        ui.schoolValue.setText(d.school or DASH)
        ui.districtValue.setText(d.district or DASH)
        ui.gradeValue.setText(text_or_dash(d.grade))
        self._row(ui.studentIdValue, d.student_id)
        ui.residenceValue.setText(d.residence_district or "Not recorded")
        ui.residenceBadge.setVisible(
            d.residence_district is not None and not d.residence_district_confirmed
        )
        self._row(ui.addressValue, None if d.address is None else (d.address or DASH))


def _rule_change_text(d: InternDetail, today: date) -> str | None:
    """When the next birthday that changes the rules comes (an age that starts a band
    of the rule packs; dated only for roles that see birth dates)."""
    if d.next_rule_change is None or d.age is None:
        return "The rules change soon" if d.rule_change_soon else None
    age = next((a for a in band_starts() if a > d.age), None)
    text = short_date(d.next_rule_change) + (f", turns {age}" if age else "")
    return f"{text} ({relative_days(d.next_rule_change, today)})" if d.rule_change_soon else text


class InternDetailPane(QStackedWidget):
    """Empty state until an intern is chosen; then their header above three tabs."""

    OVERVIEW, FINDINGS, CHECKLIST, PLAN, HOURS, CHECK_INS, INCIDENTS, PROGRESS, PACKETS = range(9)

    def __init__(self, ops: Ops | None = None, parent: QWidget | None = None) -> None:
        """``ops`` None: a pane that only displays (the checklist cannot be saved)."""
        super().__init__(parent)
        self.setMinimumHeight(260)
        self.empty = label("Select an intern to see their details.", "muted")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.addWidget(self.empty)

        self.header = InternHeader()
        self.profile = ProfileForm()
        self.contacts: RowsModel[ContactRow] = RowsModel(CONTACT_COLUMNS, self)
        self.placements: RowsModel[PlacementRow] = RowsModel(PLACEMENT_COLUMNS, self)
        self.contacts_view = FittedTable()
        self.contacts_view.setModel(self.contacts)
        self.placements_view = FittedTable()
        self.placements_view.setModel(self.placements)
        self.contacts_note = label(wrap=True, role="muted")
        self.placements_note = label("No placements yet.", "muted")

        records = QVBoxLayout()
        records.setSpacing(8)
        records.addWidget(label("Guardians and contacts", "heading"))
        records.addWidget(self.contacts_view)
        records.addWidget(self.contacts_note)
        records.addSpacing(14)
        records.addWidget(label("Placements", "heading"))
        records.addWidget(self.placements_view)
        records.addWidget(self.placements_note)
        records.addStretch(1)

        # The profile beside the tables, or above them when the pane is too narrow
        # for both (then the tables get the full width and nothing elides).
        overview = QWidget()
        columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, overview)
        columns.setContentsMargins(0, 14, 0, 0)
        columns.setSpacing(20)
        # Values do not wrap (a scroll area cannot size wrapped labels in a form): a
        # long one widens the profile.
        self.profile.setMinimumWidth(PROFILE_WIDTH)
        columns.addWidget(self.profile, 0, Qt.AlignmentFlag.AlignTop)
        columns.addLayout(records, 1)
        self.overview_columns = columns
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(overview)
        scroll.installEventFilter(self)
        self.overview = scroll

        self.findings_tab = FindingsTab()
        self.checklist_tab = ChecklistTab(ops)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("detailTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.overview, "Overview")
        self.tabs.addTab(self.findings_tab, "Findings")
        self.tabs.addTab(self.checklist_tab, "Checklist")
        self.plan_tab = PlanTab(ops)
        self.tabs.addTab(self.plan_tab, "Plan")
        self.hours_tab = HoursTab(ops)
        self.tabs.addTab(self.hours_tab, "Hours")
        self.check_ins_tab = CheckInsTab(ops)
        self.tabs.addTab(self.check_ins_tab, "Check-ins")
        self.incidents_tab = IncidentsView(ops, every_intern=False)
        self.tabs.addTab(self.incidents_tab, "Incidents")
        self.progress_tab = ProgressTab(ops)
        self.tabs.addTab(self.progress_tab, "Progress")
        self.packets_tab = PacketsTab(ops)
        self.tabs.addTab(self.packets_tab, "Packets")

        card = Card(margins=18)
        card.body.setSpacing(10)
        card.body.addWidget(self.header)
        card.body.addWidget(self.tabs, 1)
        self.detail_page = card
        self.addWidget(card)
        self.current: InternDetail | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.overview and event.type() == QEvent.Type.Resize:
            side_by_side = self.overview.width() >= PROFILE_WIDTH + RECORDS_WIDTH
            self.overview_columns.setDirection(
                QBoxLayout.Direction.LeftToRight
                if side_by_side
                else QBoxLayout.Direction.TopToBottom
            )
        return False

    def clear(self) -> None:
        self.current = None
        self.setCurrentWidget(self.empty)

    def show_intern(
        self,
        d: InternDetail,
        today: date,
        findings: Sequence[FindingRow],
        checklist: Sequence[ChecklistRow],
        plan: Sequence[PlanDue] = (),
    ) -> None:
        """Show one intern: their detail, stored findings, checklist and onboarding plan
        (all DTOs). Shown again (read anew), they keep the finding, the checklist item
        and the plan step selected."""
        again = self.current is not None and self.current.id == d.id
        finding = self.findings_tab.selected() if again else None
        item = self.checklist_tab.selected() if again else None
        step = self.plan_tab.selected() if again else None
        self.current = d
        self.header.show_intern(d)
        self.profile.show_intern(d, today)
        if d.contacts is None:
            self.contacts_note.setText("Your role may not see guardians and contacts.")
        else:
            self.contacts_note.setText("No guardians or contacts on record.")
        _fill(self.contacts_view, self.contacts_note, self.contacts, d.contacts or ())
        newest_first = sorted(d.placements, key=lambda p: p.start_date, reverse=True)
        _fill(self.placements_view, self.placements_note, self.placements, newest_first)
        self.findings_tab.set_findings(findings, select_id=finding.id if finding else None)
        placements = {p.id: date_range(p.start_date, p.end_date) for p in d.placements}
        self.checklist_tab.set_items(
            d.id, checklist, today, placements, select_id=item.id if item else None
        )
        self.plan_tab.set_steps(plan, today, placements, select_id=step.item_id if step else None)
        self.hours_tab.show_intern(d.id, d.display_name)
        self.check_ins_tab.show_intern(d.id)
        self.incidents_tab.show_intern(d.id)
        self.progress_tab.show_intern(d.id, d.display_name)
        self.packets_tab.show_intern(d)
        self._update_tab_titles()
        self.setCurrentWidget(self.detail_page)

    def show_time_entry(self, entry_id: int) -> None:
        """The Hours tab, that entry selected once it is listed."""
        self.tabs.setCurrentWidget(self.hours_tab)
        self.hours_tab.focus_entry(entry_id)

    def focus_finding(self, finding_id: int) -> None:
        """The findings tab, that finding selected (when the intern still has it)."""
        self.tabs.setCurrentIndex(self.FINDINGS)
        self.findings_tab.select(finding_id)

    def _update_tab_titles(self) -> None:
        findings = self.findings_tab.model.rows
        self.tabs.setTabText(
            self.FINDINGS, f"Findings ({len(findings)})" if findings else "Findings"
        )
        items = [i for i in self.checklist_tab.model.all_items if not i.retired]
        overdue = sum(i.overdue(self.checklist_tab.today) for i in items)
        still_open = sum(i.status == "open" for i in items)
        if overdue:
            text = f"Checklist ({overdue} overdue)"
        elif still_open:
            text = f"Checklist ({still_open} open)"
        else:
            text = "Checklist"
        self.tabs.setTabText(self.CHECKLIST, text)
        steps = self.plan_tab.steps
        late = sum(p.overdue for p in steps)
        self.tabs.setTabText(self.PLAN, f"Plan ({late} overdue)" if late else "Plan")


def _fill(view: FittedTable, note: QLabel, model: RowsModel[Row], rows: Sequence[Row]) -> None:
    """Show the rows in a fitted table, or the note when there are none."""
    model.set_rows(rows)
    view.setVisible(bool(rows))
    note.setVisible(not rows)
    view.refit()
