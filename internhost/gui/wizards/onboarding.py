"""The first-run onboarding wizard: company, worksites, equipment, staff, schools and
calendars, interns, and a summary of what is still missing.

Every page saves as it goes through the same services and forms as the records
screens: the company page when the user moves on (or closes the wizard), the list
pages each time a record's dialog is saved. Where the user is is kept in the
database (``onboarding.set_wizard_position``), so closing half-way loses nothing
and reopening resumes on that page. The summary reads ``onboarding_status`` and
each missing item jumps back to the page that fixes it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from internhost.core import dto
from internhost.core.errors import DomainError, ValidationError
from internhost.core.rules.ages import supervisor_rule
from internhost.core.rules.guidance import year_olds
from internhost.core.rules.packs import find_rule
from internhost.core.services import directory, onboarding
from internhost.core.services.setup import EmployerInput
from internhost.gui.database import Database
from internhost.gui.dialogs.base import PreserveGeometry
from internhost.gui.tasks import TaskRunner
from internhost.gui.theme import set_role
from internhost.gui.views import directory as records
from internhost.gui.views import setup_forms as forms
from internhost.gui.views.interns_panel import InternsPanel
from internhost.gui.widgets.basics import label
from internhost.gui.widgets.fields import FieldForm
from internhost.gui.widgets.records import RecordsView

#: Page keys in order; the onboarding service's step keys and ``page`` links use them.
PAGES = ("company", "worksites", "equipment", "staff", "schools", "interns", "summary")
STEP_NAMES = {
    "company": "Company",
    "worksites": "Worksites",
    "equipment": "Equipment",
    "staff": "Staff",
    "schools": "Schools and calendars",
    "interns": "Interns",
    "summary": "Summary",
}


class Page(QWizardPage):
    """A wizard page with a key, a title and an intro; ``save()`` runs before Next."""

    def __init__(self, key: str, title: str, intro: str) -> None:
        super().__init__()
        self.key = key
        self.setTitle(f"Step {PAGES.index(key) + 1} of {len(PAGES)}: {title}")
        self.setSubTitle(intro)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(8, 4, 8, 0)
        self.body.setSpacing(10)

    @property
    def database(self) -> Database:
        return self.wizard().database  # type: ignore[attr-defined]

    def save(self) -> bool:
        """Save what the page holds; False keeps the user on it (errors shown)."""
        return True

    def pending(self) -> bool:
        """True when the page holds edits not saved yet."""
        return False

    def validatePage(self) -> bool:
        return self.save()


class CompanyPage(Page):
    def __init__(self) -> None:
        super().__init__(
            "company",
            "Your company",
            "The employer the law looks at: its insurance, and the notices it must post "
            "where minors work.",
        )
        self.form = FieldForm(forms.employer_fields())
        self.banner = label(role="error", wrap=True)
        self.banner.hide()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 12, 0)
        column.addWidget(self.form)
        column.addStretch(1)
        scroll.setWidget(holder)
        self.body.addWidget(self.banner)
        self.body.addWidget(scroll, 1)
        self._loaded = False
        self._edited = False
        self.form.changed.connect(self._mark_edited)

    def _mark_edited(self) -> None:
        self._edited = True

    def pending(self) -> bool:
        return self._edited

    def initializePage(self) -> None:
        if not self._loaded:  # keep the user's edits when they come back with Back
            stored = self.database.read(directory.employer_input)
            self.form.set_values(stored if stored is not None else EmployerInput(legal_name=""))
            self._loaded = True
            self._edited = False

    def save(self) -> bool:
        self.banner.hide()
        try:
            forms.save_employer(self.database, self.form.values())
        except ValidationError as exc:
            rest = self.form.show_errors(exc.errors)
            if rest:
                self.banner.setText("\n".join(map(str, rest)))
                self.banner.show()
            return False
        except DomainError as exc:
            self.banner.setText(str(exc))
            self.banner.show()
            return False
        self._edited = False
        return True


class ListPage(Page):
    """A page holding one or more records panels; complete once ``ready()`` says so."""

    def __init__(
        self, key: str, title: str, intro: str, ready: Callable[[Database], bool] | None = None
    ) -> None:
        super().__init__(key, title, intro)
        self._ready = ready
        self.panels: list[RecordsView] = []
        self._built = False

    def build(self) -> None:
        """Add the panels (the database is known only once the page is in a wizard)."""

    def add_panel(self, heading: str, panel: RecordsView) -> RecordsView:
        if heading:
            self.body.addWidget(label(heading, "heading"))
        self.body.addWidget(panel, 1)
        panel.changed.connect(self.completeChanged)
        self.panels.append(panel)
        return panel

    def initializePage(self) -> None:
        if not self._built:
            self.build()
            self._built = True
        for panel in self.panels:
            panel.refresh()

    def isComplete(self) -> bool:
        if self._ready is None or not self._built:
            return True
        return self._ready(self.database)


def _who_may_examples() -> str:
    """How the equipment register words who may do a task, with the ages of the rule
    packs: a Hazardous Occupations Order's, an exemption's, the youngest workers' list."""
    hazardous = find_rule("US-FLSA-HO7").ages[1] + 1
    listed = find_rule("US-FLSA-570.33").ages[1] + 1
    return f"never under {hazardous}, only as a student-learner or apprentice, not under {listed}"


class WorksitesPage(ListPage):
    def __init__(self) -> None:
        super().__init__(
            "worksites",
            "Worksites",
            "Where interns will work. Mark each area as a production workroom or an office: "
            f"{year_olds(find_rule('US-FLSA-570.33-a').ages)} may not work in production "
            "workrooms.",
            ready=lambda db: bool(db.read(directory.list_worksites, include_archived=False)),
        )

    def build(self) -> None:
        self.add_panel("", RecordsView(records.WORKSITES, self.database, compact=True))


class EquipmentPage(ListPage):
    def __init__(self) -> None:
        super().__init__(
            "equipment",
            "Equipment",
            "Register the machines at each worksite and the tasks done on them. Beside each "
            f"task the rule packs say who may do it: {_who_may_examples()}…",
        )

    def build(self) -> None:
        self.add_panel("", RecordsView(records.EQUIPMENT, self.database, compact=True))


class StaffPage(ListPage):
    def __init__(self) -> None:
        super().__init__(
            "staff",
            "Mentors and supervisors",
            "Who will work with interns: confirm each is "
            f"{supervisor_rule().params['min_age']} or older, and record background "
            "checks and mentor training.",
        )

    def build(self) -> None:
        self.add_panel("", RecordsView(records.STAFF, self.database, compact=True))


class SchoolsPage(ListPage):
    def __init__(self) -> None:
        super().__init__(
            "schools",
            "Schools and district calendars",
            "Add each district's school year first (copy one from another district or from "
            "last year and edit it), then the partner schools and their coordinators.",
            ready=lambda db: bool(db.read(directory.list_schools, include_archived=False)),
        )

    def build(self) -> None:
        calendars = records.CalendarsView(self.database, compact=True)
        self.add_panel("District calendars", calendars)
        schools = self.add_panel(
            "Schools", RecordsView(records.SCHOOLS, self.database, compact=True)
        )
        calendars.changed.connect(schools.refresh)


class InternsPage(ListPage):
    def __init__(self) -> None:
        super().__init__(
            "interns",
            "Interns",
            "Add interns one by one, or import the roster the school sent.",
        )

    def build(self) -> None:
        panel = InternsPanel(self.database, self.wizard().runner)  # type: ignore[attr-defined]
        self.body.addWidget(panel, 1)
        panel.changed.connect(self.completeChanged)
        self.panels.append(panel)  # type: ignore[arg-type]


class SummaryPage(Page):
    """What is complete and what is missing; each missing item links to its page."""

    jump = Signal(str, object)

    def __init__(self) -> None:
        super().__init__(
            "summary",
            "Summary",
            "What is complete and what is still missing. You can finish now and come back "
            "to any of it from the Set-up screen.",
        )
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.body.addWidget(self.scroll_area, 1)

    def initializePage(self) -> None:
        status = self.database.read(onboarding.onboarding_status, self.database.today())
        self.scroll_area.setWidget(status_widget(status, self.jump.emit))


def status_widget(
    status: dto.OnboardingStatus, jump: Callable[[str, object], None], *, fix: bool = True
) -> QWidget:
    """The onboarding checklist: a heading per step, a line per item, a Fix link each
    missing item (``jump(page, field)``). Shared by the wizard and the Set-up screen."""
    holder = QWidget()
    column = QVBoxLayout(holder)
    column.setContentsMargins(0, 0, 12, 0)
    column.setSpacing(4)
    missing = status.missing_count
    column.addWidget(
        label(
            "Everything is in place." if missing == 0 else f"{missing} things still to do.",
            "muted",
        )
    )
    for step in status.steps:
        head = QHBoxLayout()
        head.addWidget(label(step.title, "heading"))
        badge = label("Complete" if step.complete else "Missing items")
        set_role(badge, "badge-success" if step.complete else "badge")
        head.addWidget(badge)
        head.addStretch(1)
        column.addSpacing(10)
        column.addLayout(head)
        for item in step.items:
            column.addLayout(_item_row(item, jump if fix else None))
    column.addStretch(1)
    return holder


def _item_row(item: dto.OnboardingItem, jump: Callable[[str, object], None] | None) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(8)
    mark = QLabel("✓" if item.done else "•")
    mark.setFixedWidth(16)
    set_role(mark, "muted" if item.done else "error")
    text = label(item.text, "muted" if item.done else None, wrap=True)
    if item.citation:
        text.setToolTip(item.citation)
    row.addWidget(mark, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(text, 1)
    if not item.done and jump is not None:
        fix = QPushButton("Fix")
        fix.setObjectName(f"fix_{item.page}")
        set_role(fix, "secondary")
        fix.clicked.connect(lambda _c=False, p=item.page, f=item.field: jump(p, f))
        row.addWidget(fix, 0, Qt.AlignmentFlag.AlignTop)
    return row


class OnboardingWizard(PreserveGeometry, QWizard):
    """The seven pages; ``finished_setup`` fires when the user presses Finish."""

    finished_setup = Signal()

    def __init__(
        self,
        database: Database,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.runner = runner or TaskRunner(self)
        # Read before the first show: showing the wizard enters its first page, which
        # is remembered as the position like any other.
        self._resume_at = database.read(lambda s, _a: onboarding.wizard_position(s))
        self.setWindowTitle("Set up InternHost")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButton, False)
        self.setButtonText(QWizard.WizardButton.CancelButton, "Close")
        self.resize(980, 720)
        self.pages: dict[str, Page] = {}
        for page in (
            CompanyPage(),
            WorksitesPage(),
            EquipmentPage(),
            StaffPage(),
            SchoolsPage(),
            InternsPage(),
            SummaryPage(),
        ):
            self.pages[page.key] = page
            self.setPage(PAGES.index(page.key), page)
        self.steps = QListWidget()
        self.steps.setObjectName("wizardSteps")
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps.setFixedWidth(190)
        for key in PAGES:
            item = QListWidgetItem(STEP_NAMES[key])
            item.setSizeHint(QSize(0, 34))
            self.steps.addItem(item)
        self.setSideWidget(self.steps)
        self.summary.jump.connect(self.go_to)
        self.currentIdChanged.connect(self._remember)
        self.currentIdChanged.connect(self.steps.setCurrentRow)

    @property
    def summary(self) -> SummaryPage:
        return self.pages["summary"]  # type: ignore[return-value]

    def current_key(self) -> str:
        return PAGES[self.currentId()]

    def resume(self) -> None:
        """Move forward to the page the user last reached (each page on the way
        saves, as Next would; a page that cannot be saved stops the walk there)."""
        self.walk_to(self._resume_at or "company")

    def walk_to(self, key: str) -> None:
        goal = PAGES.index(key) if key in PAGES else 0
        while self.currentId() < goal:
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                break

    def go_to(self, key: str, _field: object = None) -> None:
        """From the summary back to the page that fixes an item."""
        goal = PAGES.index(key) if key in PAGES else 0
        while self.currentId() > goal:
            self.back()
        self.walk_to(key)

    def _remember(self, page_id: int) -> None:
        if page_id < 0:
            return
        self.database.write(onboarding.set_wizard_position, PAGES[page_id])

    def accept(self) -> None:
        self.database.write(onboarding.set_wizard_position, None)
        self.finished_setup.emit()
        super().accept()

    def reject(self) -> None:
        """Closing half-way keeps everything: the open page saves first."""
        page = self.currentPage()
        if isinstance(page, Page) and page.pending() and not page.save():
            answer = QMessageBox.question(
                self,
                "Close set-up",
                "This page has errors and was not saved. Close anyway and lose its changes?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reject()
        event.setAccepted(not self.isVisible())
