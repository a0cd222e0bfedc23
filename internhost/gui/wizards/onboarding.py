"""The first-run onboarding wizard: company, worksites, equipment, staff, schools and
calendars, interns, and a summary of what is still missing.

Every page saves as it goes through the same services and forms as the records
screens: the company page when the user moves on (or closes the wizard), the list
pages each time a record's dialog is saved. Where the user is is kept in the
database (``onboarding.set_wizard_position``), so closing half-way loses nothing
and reopening resumes on that page. The summary reads ``onboarding_status`` and
each missing item jumps back to the page that fixes it.

Every read and write runs on the database worker (``gui.ops``). A page still reading
or saving when Next is pressed (the company page) holds the wizard there and moves on
by itself once it is done, so Next never needs a second press; Finish writes that
set-up is done, then closes, once however often it is pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QShowEvent
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
from internhost.core.errors import ValidationError
from internhost.core.rules.ages import supervisor_rule
from internhost.core.rules.guidance import year_olds
from internhost.core.rules.packs import find_rule
from internhost.core.services import directory, onboarding, setup
from internhost.core.services.setup import EmployerInput
from internhost.gui.dialogs.base import PreserveGeometry
from internhost.gui.ops import Ops
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
    """A wizard page with a key, a title and an intro. A page with something to save
    says so (``pending``) and saves it before Next or Close (``save``)."""

    def __init__(self, key: str, title: str, intro: str) -> None:
        super().__init__()
        self.key = key
        self.setTitle(f"Step {PAGES.index(key) + 1} of {len(PAGES)}: {title}")
        self.setSubTitle(intro)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(8, 4, 8, 0)
        self.body.setSpacing(10)

    @property
    def ops(self) -> Ops:
        return self.wizard().ops  # type: ignore[attr-defined]

    def save(self, done: Callable[[bool], None]) -> None:
        """Save what the page holds (on the worker); ``done(False)`` keeps the user on
        it, its errors shown."""
        done(True)

    def pending(self) -> bool:
        """True when the page holds edits not saved yet."""
        return False

    def busy(self) -> bool:
        """True while the page reads or saves: Next waits for it, then goes on."""
        return False


class CompanyPage(Page):
    def __init__(self) -> None:
        super().__init__(
            "company",
            "Your company",
            "The employer the law looks at: its insurance, and the notices it must post "
            "where minors work.",
        )
        self.form = FieldForm(forms.employer_fields())
        self.form.setEnabled(False)  # until what is stored has been read
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
        self._loading = self._loaded = self._saving = False
        #: An employer is on record (an unedited form then has nothing to save).
        self._stored = False
        self._edited = False
        #: Next was pressed while reading or saving: go on once done.
        self._then_next = False
        #: Saved for Next: let Next through once.
        self._passed = False
        self.form.changed.connect(self._mark_edited)

    def _mark_edited(self) -> None:
        self._edited = True

    def pending(self) -> bool:
        return self._edited

    def busy(self) -> bool:
        return self._loading or self._saving

    def initializePage(self) -> None:
        if not self._loaded and not self._loading:  # Back keeps the user's edits
            self._loading = True
            self.ops.read(self, directory.employer_input, done=self._show_stored)

    def _show_stored(self, stored: EmployerInput | None) -> None:
        self.form.set_values(stored if stored is not None else EmployerInput(legal_name=""))
        self.form.setEnabled(True)
        self._loading, self._loaded = False, True
        self._stored, self._edited = stored is not None, False
        self._go_on()

    def validatePage(self) -> bool:
        if self._passed:
            self._passed = False
            return True
        if self.busy():
            self._then_next = True
            return False
        if self._stored and not self._edited:
            return True  # nothing to save
        self._then_next = True
        self.save(self._saved_for_next)
        return False

    def _saved_for_next(self, ok: bool) -> None:
        if ok:
            self._passed = True
            self._go_on()
        else:
            self._then_next = False
            self.wizard().stop_walking()  # type: ignore[attr-defined]

    def _go_on(self) -> None:
        if self._then_next:
            self._then_next = False
            self.wizard().page_ready(self)  # type: ignore[attr-defined]

    def save(self, done: Callable[[bool], None]) -> None:
        self.banner.hide()
        try:
            data = EmployerInput(**self.form.values())
        except ValidationError as exc:
            self._refused(exc)
            done(False)
            return

        def refused(exc: BaseException) -> None:
            self._refused(exc)
            done(False)

        self._saving = True
        self.ops.write(
            self,
            setup.save_employer,
            data,
            changes={"company"},
            done=lambda _id: self._saved(done),
            failed=self.ops.expected(self, refused),
        )

    def _saved(self, done: Callable[[bool], None]) -> None:
        self._saving = False
        self._stored, self._edited = True, False
        done(True)

    def _refused(self, exc: BaseException) -> None:
        self._saving = False
        if isinstance(exc, ValidationError):
            rest = self.form.show_errors(exc.errors)
            text = "\n".join(map(str, rest))
        else:
            text = str(exc)
        self.banner.setText(text)
        self.banner.setVisible(bool(text))


class ListPage(Page):
    """A page holding one or more records panels; complete once ``ready(page)`` says
    so (from the rows the panels read)."""

    def __init__(
        self, key: str, title: str, intro: str, ready: Callable[[ListPage], bool] | None = None
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
        panel.loaded.connect(self.completeChanged)
        self.panels.append(panel)
        return panel

    def initializePage(self) -> None:
        """Build the panels the first time; after that they read again by themselves
        when a save announces what they show."""
        if not self._built:
            self.build()
            self._built = True

    def isComplete(self) -> bool:
        if self._ready is None or not self._built:
            return True
        return self._ready(self)


def has_active(panel: RecordsView) -> bool:
    """Whether the panel's rows (once read) hold a record not archived."""
    rows = panel.records()
    return rows is not None and any(not panel.kind.archived(r) for r in rows)


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
            ready=lambda page: has_active(page.panels[0]),
        )

    def build(self) -> None:
        self.add_panel("", RecordsView(records.WORKSITES, self.ops, compact=True))


class EquipmentPage(ListPage):
    def __init__(self) -> None:
        super().__init__(
            "equipment",
            "Equipment",
            "Register the machines at each worksite and the tasks done on them. Beside each "
            f"task the rule packs say who may do it: {_who_may_examples()}…",
        )

    def build(self) -> None:
        self.add_panel("", RecordsView(records.EQUIPMENT, self.ops, compact=True))


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
        self.add_panel("", RecordsView(records.STAFF, self.ops, compact=True))


class SchoolsPage(ListPage):
    def __init__(self) -> None:
        super().__init__(
            "schools",
            "Schools and district calendars",
            "Add each district's school year first (copy one from another district or from "
            "last year and edit it), then the partner schools and their coordinators.",
            ready=lambda page: has_active(page.panels[1]),
        )

    def build(self) -> None:
        self.add_panel("District calendars", records.CalendarsView(self.ops, compact=True))
        self.add_panel("Schools", RecordsView(records.SCHOOLS, self.ops, compact=True))


class InternsPage(ListPage):
    def __init__(self) -> None:
        super().__init__(
            "interns",
            "Interns",
            "Add interns one by one, or import the roster the school sent.",
        )

    def build(self) -> None:
        self.add_panel("", InternsPanel(self.ops))


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
        """Read what is complete and what is missing (the last summary shows meanwhile)."""
        self.ops.read(
            self,
            onboarding.onboarding_status,
            self.ops.today(),
            done=lambda status: self.scroll_area.setWidget(status_widget(status, self.jump.emit)),
            latest="status",
        )


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
            "Everything is in place."
            if missing == 0
            else f"{missing} thing{'' if missing == 1 else 's'} still to do.",
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


def _position(s: Any, _actor: Any) -> str | None:
    return onboarding.wizard_position(s)


class OnboardingWizard(PreserveGeometry, QWizard):
    """The seven pages; ``finished_setup`` fires when the user presses Finish."""

    finished_setup = Signal()

    def __init__(self, ops: Ops, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ops = ops
        #: The page ``walk_to`` is moving to (None: not walking).
        self._goal: int | None = None
        #: Where the user left off, once read; ``resume`` walks there.
        self._resume_at: str | None = None
        self._position_read = self._resume_asked = False
        self._closing = self._finishing = False
        # Read before the first show: showing the wizard enters its first page, which
        # is remembered as the position like any other (the worker keeps the order).
        ops.read(self, _position, done=self._position_came)
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

    # -- moving between pages ----------------------------------------------------------

    def resume(self) -> None:
        """Move forward to the page the user last reached (each page on the way
        saves, as Next would; a page that cannot be saved stops the walk there),
        once where that was has been read."""
        if self._position_read:
            self.walk_to(self._resume_at or "company")
        else:
            self._resume_asked = True

    def _position_came(self, page: str | None) -> None:
        self._resume_at, self._position_read = page, True
        if self._resume_asked:
            self._resume_asked = False
            self.walk_to(page or "company")

    def walk_to(self, key: str) -> None:
        self._goal = PAGES.index(key) if key in PAGES else 0
        self._advance()

    def _advance(self) -> None:
        """Next until the goal; a page that reads or saves first holds the walk until
        it is done (``page_ready``); one that refused stops it."""
        if self.currentId() < 0:
            return  # not shown yet: the walk starts when it is (showEvent)
        while self._goal is not None and self.currentId() < self._goal:
            before = self.currentId()
            self.next()
            if self.currentId() == before:
                page = self.currentPage()
                if not (isinstance(page, Page) and page.busy()):
                    self._goal = None  # refused: the page shows why
                return
        self._goal = None

    def page_ready(self, page: Page) -> None:
        """``page`` made Next wait while it read or saved, and is done: go on."""
        if page is not self.currentPage():
            return
        if self._goal is not None:
            self._advance()
        else:
            self.next()

    def stop_walking(self) -> None:
        self._goal = None

    def go_to(self, key: str, _field: object = None) -> None:
        """From the summary back to the page that fixes an item."""
        goal = PAGES.index(key) if key in PAGES else 0
        while self.currentId() > goal:
            self.back()
        self.walk_to(key)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._goal is not None:
            QTimer.singleShot(0, self._advance)  # a walk asked before the first page

    def _remember(self, page_id: int) -> None:
        if page_id >= 0:  # where the user is: nothing any screen shows yet
            self.ops.write(self, onboarding.set_wizard_position, PAGES[page_id], changes=())

    # -- finishing and closing ------------------------------------------------------------

    def accept(self) -> None:
        """Finish: write that set-up is done, then close (once, however often pressed)."""
        if self._finishing:
            return
        self._finishing = True
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.ops.write(
            self,
            onboarding.set_wizard_position,
            None,
            changes={"company"},
            done=self._finished,
            failed=self.ops.expected(self, self._not_finished),
        )

    def _finished(self, _result: object) -> None:
        self.finished_setup.emit()
        QWizard.accept(self)

    def _not_finished(self, exc: BaseException) -> None:
        self._finishing = False
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        QMessageBox.warning(self, "Finish set-up", str(exc))

    def reject(self) -> None:
        """Closing half-way keeps everything: the open page saves first."""
        if self._closing or self._finishing:
            return
        page = self.currentPage()
        if isinstance(page, Page) and page.pending():
            self._closing = True
            page.save(self._close_after_save)
            return
        QWizard.reject(self)

    def _close_after_save(self, saved: bool) -> None:
        self._closing = False
        if not saved:
            answer = QMessageBox.question(
                self,
                "Close set-up",
                "This page has errors and was not saved. Close anyway and lose its changes?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        QWizard.reject(self)

    def done(self, result: int) -> None:
        super().done(result)
        if result != QWizard.DialogCode.Accepted:  # Finish's write announced it already
            self.ops.announce({"company"})  # where set-up stands: the Set-up screen says

    def closeEvent(self, event: QCloseEvent) -> None:
        self.reject()
        event.setAccepted(not self.isVisible())
