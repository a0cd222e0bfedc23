"""The main window: a sidebar of screens, a page stack, the database path below.

It shows at once in a "loading" state; ``open_database`` then imports the ORM and
reads the first screen on the worker thread, and ``ready`` fires when that screen
shows. Screens that need the ORM (the interns view) are imported only then, so
constructing and showing this window never imports SQLAlchemy.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeGuard, runtime_checkable

from PySide6.QtCore import QSignalBlocker, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from internhost.core.actor import SYSTEM, Actor, Permission
from internhost.core.progress import Cancelled
from internhost.gui.database import Clock, Database, Home, open_home
from internhost.gui.errors import report
from internhost.gui.ops import Ops, touches
from internhost.gui.settings import UiSettings
from internhost.gui.tasks import TaskRunner
from internhost.gui.theme import icon
from internhost.gui.views.welcome import LoadingPage
from internhost.gui.widgets.basics import label

if TYPE_CHECKING:
    from internhost.core.dto import QueueItem
    from internhost.gui.login_session import LoginSession
    from internhost.gui.views.dashboard import DashboardView
    from internhost.gui.views.interns import InternsView
    from internhost.gui.views.welcome import WelcomePage

log = logging.getLogger(__name__)
DEFAULT_SIZE = QSize(1280, 800)
SIDEBAR_WIDTH = 184
#: key -> (sidebar label, icon name)
SCREENS = {
    "welcome": ("Welcome", "welcome"),
    "dashboard": ("Dashboard", "dashboard"),
    "setup": ("Set-up", "setup"),
    "interns": ("Interns", "interns"),
    "compliance": ("Compliance", "compliance"),
    "incidents": ("Incidents", "incidents"),
    "placements": ("Placements", "placements"),
    "planner": ("Schedule planner", "calendars"),
    "staff": ("Staff", "staff"),
    "schools": ("Schools", "schools"),
    "calendars": ("Calendars", "calendars"),
    "worksites": ("Worksites", "worksites"),
    "equipment": ("Equipment", "equipment"),
    "plan": ("Onboarding plan", "plan"),
    "backups": ("Backups", "backups"),
    "accounts": ("Accounts", "accounts"),
    "audit": ("Audit trail", "lock"),
}
#: The records screens (``RecordsView``s), built when first shown.
SAMPLE_CANCELLED = "Loading the sample data was cancelled: the database is still empty."
#: How often (ms) the idle app looks for others' writes to the database.
WATCH_MS = 3000
CHANGED_ELSEWHERE = "Updated with changes saved elsewhere (another window, computer or command)."
RECORD_SCREENS = ("placements", "staff", "schools", "calendars", "worksites", "equipment")
HOME_SCREENS = (
    "dashboard",
    "setup",
    "interns",
    "planner",
    "compliance",
    "incidents",
    *RECORD_SCREENS,
    "plan",
)
#: Writes that may leave stored findings stale (``compliance.mark_stale``).
RECHECKED_AFTER = ("calendar", "intern")
#: Screens only some roles get (the permission each needs).
GUARDED_SCREENS = {
    "backups": Permission.MAINTAIN_DATABASE,
    "accounts": Permission.MANAGE_ACCOUNTS,
    "audit": Permission.READ_AUDIT,
}


@runtime_checkable
class EditsInPlace(Protocol):
    """A screen that edits in place (not in dialogs, which ask for themselves)."""

    def unsaved_edits(self) -> bool: ...

    def discard_edits(self) -> None: ...


def _unsaved(page: QWidget | None) -> TypeGuard[EditsInPlace]:
    """Whether a screen holds edits not saved yet (so it is one that edits in place)."""
    return isinstance(page, EditsInPlace) and page.unsaved_edits()


#: The intern page's tab (an attribute of its detail) where a queue target is done.
_QUEUE_TABS = {
    "checklist": "checklist_tab",
    "plan": "plan_tab",
    "incidents": "incidents_tab",
    "check_ins": "check_ins_tab",
    "progress": "progress_tab",
}


class MainWindow(QMainWindow):
    ready = Signal()
    """The database is open and its first screen (dashboard or welcome) shows."""
    failed = Signal(str)
    """The database could not be opened; the argument says why, for a message box."""

    def __init__(
        self,
        db_path: Path,
        *,
        actor: Actor | None = SYSTEM,
        clock: Clock = date.today,
        settings: UiSettings | None = None,
    ) -> None:
        """``actor=None``: nobody is logged in yet; a ``gui.login_session.LoginSession`` logs
        someone in (or runs the first run) when the database opens."""
        super().__init__()
        self.db_path = Path(db_path)
        self.actor = actor
        self.clock = clock
        self.settings = settings or UiSettings()
        self.runner = TaskRunner(self)
        self.database: Database | None = None
        #: How every screen reads and writes (``gui.ops``), once the database is open.
        self.ops: Ops | None = None
        self.home: Home | None = None
        self.interns_view: InternsView | None = None
        self.wizard: QWidget | None = None
        self._pages: dict[str, QWidget] = {}
        # Others' writes (a command, a worker, another computer's app): looked for
        # every few seconds while the app is idle, and shown (``_changed_elsewhere``).
        self.watch_timer = QTimer(self, interval=WATCH_MS)
        self.watch_timer.timeout.connect(self._look_for_changes)

        self.setWindowTitle("InternHost")
        self.setWindowIcon(icon("internhost"))
        self._build()
        self.login_session: LoginSession | None = None
        if actor is None:
            from internhost.gui.login_session import LoginSession

            self.login_session = LoginSession(self)
        if not self.settings.restore_geometry("main_window", self):
            self.resize(DEFAULT_SIZE)
        self.settings.restore_state("main_window/splitter", self.splitter)

    # -- construction ------------------------------------------------------------

    def _build(self) -> None:
        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setIconSize(QSize(20, 20))
        self.nav.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.nav.currentItemChanged.connect(self._nav_changed)

        brand = QHBoxLayout()
        brand.setContentsMargins(18, 18, 12, 14)
        brand.setSpacing(10)
        logo = QLabel()
        logo.setPixmap(icon("internhost").pixmap(QSize(28, 28)))
        name = QLabel("InternHost")
        name.setObjectName("brand")
        brand.addWidget(logo)
        brand.addWidget(name)
        brand.addStretch(1)

        self.employer_label = label(role="muted", wrap=True)
        self.employer_label.setContentsMargins(18, 0, 12, 14)

        sidebar = QWidget()
        sidebar.setObjectName("sidebar")
        sidebar.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        sidebar.setMinimumWidth(160)
        column = QVBoxLayout(sidebar)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addLayout(brand)
        column.addWidget(self.nav, 1)
        column.addWidget(self.employer_label)

        self.stack = QStackedWidget()
        self.loading_page = LoadingPage()
        self._add_page("loading", self.loading_page)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setHandleWidth(1)
        self.splitter.setChildrenCollapsible(False)
        self.location_warning = label(wrap=True)
        self.location_warning.setObjectName("warningBar")
        self.location_warning.hide()
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.location_warning)
        self.demo_banner = label(wrap=True)  # shown while a demo account is logged in
        self.demo_banner.setObjectName("warningBar")
        self.demo_banner.hide()
        column.addWidget(self.demo_banner)
        column.addWidget(self.stack, 1)
        self.splitter.addWidget(sidebar)
        self.splitter.addWidget(content)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([SIDEBAR_WIDTH, DEFAULT_SIZE.width() - SIDEBAR_WIDTH])
        self.setCentralWidget(self.splitter)

        self.path_label = QLabel(f"Database: {self.db_path}")
        self.path_label.setToolTip(str(self.db_path))
        self.statusBar().addWidget(self.path_label, 1)
        self.statusBar().setSizeGripEnabled(False)

        self._set_nav(HOME_SCREENS, enabled=False)
        self.stack.setCurrentWidget(self.loading_page)
        QShortcut(QKeySequence.StandardKey.Find, self, self._focus_search)
        self._build_actions()

    def _build_actions(self) -> None:
        """What a user does from any screen: log a check-in. Its button sits at the
        status bar's right end, a toolbar of its own would take every screen's height
        (the checklist's sixth row at the default size)."""
        self.check_in_action = QAction("Log check-in", self)
        self.check_in_action.setObjectName("logCheckIn")
        self.check_in_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.check_in_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        self.check_in_action.setToolTip("Log a two-minute check-in (Ctrl+Shift+K)")
        self.check_in_action.triggered.connect(self.log_check_in)
        self.addAction(self.check_in_action)
        self.check_in_button = QToolButton()
        self.check_in_button.setObjectName("logCheckInButton")
        self.check_in_button.setDefaultAction(self.check_in_action)
        self.check_in_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.statusBar().addPermanentWidget(self.check_in_button)
        self._allow_actions(None)

    def _allow_actions(self, actor: Actor | None) -> None:
        may_log = actor is not None and actor.can(Permission.LOG_MENTORING)
        self.check_in_action.setEnabled(may_log)
        self.check_in_button.setVisible(may_log)

    def log_check_in(self) -> None:
        """The two-minute check-in, on the intern whose check-in is due first."""
        if self.ops is None or not self.check_in_action.isEnabled():
            return
        from internhost.gui.dialogs.check_in import open_check_in

        open_check_in(
            self,
            self.ops,
            saved=lambda row: self.statusBar().showMessage(
                f"Check-in of {row.held_on:%b %d} saved.", 6000
            ),
        )

    def _add_page(self, key: str, page: QWidget) -> None:
        self._pages[key] = page
        self.stack.addWidget(page)

    def _page(self, key: str) -> QWidget:
        lazy = {"welcome": "welcome_page", "dashboard": "dashboard_view"}
        if key in lazy:
            return getattr(self, lazy[key])
        if key in RECORD_SCREENS and key not in self._pages:
            self._add_page(key, self._records_view(key))
        if key == "backups" and key not in self._pages:
            from internhost.gui.views.backups_view import BackupsView

            assert self.ops is not None
            backups_view = BackupsView(self.ops)
            backups_view.restored.connect(self._restored)
            self._add_page(key, backups_view)
        if key == "accounts" and key not in self._pages:
            from internhost.gui.views.accounts import AccountsView

            assert self.ops is not None
            self._add_page(key, AccountsView(self.ops))
        if key == "audit" and key not in self._pages:
            from internhost.gui.views.audit_view import AuditView

            assert self.ops is not None
            self._add_page(key, AuditView(self.ops))
        if key == "planner" and key not in self._pages:
            from internhost.gui.views.planner import PlannerView

            assert self.ops is not None
            self._add_page(key, PlannerView(self.ops))
        if key == "plan" and key not in self._pages:
            from internhost.gui.views.plan_template import PlanTemplateView

            assert self.ops is not None
            self._add_page(key, PlanTemplateView(self.ops))
        if key == "compliance" and key not in self._pages:
            from internhost.gui.views.findings_screen import FindingsScreen

            assert self.ops is not None
            findings_screen = FindingsScreen(self.ops)
            findings_screen.intern_requested.connect(self.open_intern)
            findings_screen.shift_requested.connect(self.open_shift)
            findings_screen.placement_requested.connect(self.open_placement)
            findings_screen.entry_requested.connect(self.open_time_entry)
            self._add_page(key, findings_screen)
        if key == "incidents" and key not in self._pages:
            from internhost.gui.views.incidents import IncidentsView

            assert self.ops is not None
            incidents_view = IncidentsView(self.ops, every_intern=True)
            incidents_view.intern_requested.connect(self.open_intern)
            self._add_page(key, incidents_view)
        if key == "setup" and key not in self._pages:
            from internhost.gui.views.setup_view import SetupView

            assert self.ops is not None
            view = SetupView(self.ops)
            view.open_wizard.connect(self.open_setup_wizard)
            self._add_page(key, view)
        return self._pages[key]

    def _records_view(self, key: str) -> QWidget:
        """A records screen (needs the ORM: only after the database opened)."""
        from internhost.gui.widgets.screens import records_view

        assert self.ops is not None
        view = records_view(key, self.ops)
        view.exported.connect(lambda text: self.statusBar().showMessage(text, 8000))
        return view

    # Pages other than "loading" are built when first needed: less work before the
    # first frame, and a database that opens to the welcome never builds a dashboard.

    @property
    def welcome_page(self) -> WelcomePage:
        if "welcome" not in self._pages:
            from internhost.gui.views.welcome import WelcomePage

            page = WelcomePage()
            # Sample data (and its demo accounts) only before any account exists.
            first_run = self.login_session is None or self.login_session.first_run
            actor = self.actor  # nobody logged in yet may do neither
            page.set_can_load(
                first_run and actor is not None and actor.can(Permission.LOAD_SAMPLE_DATA)
            )
            page.set_can_set_up(actor is not None and actor.can(Permission.EDIT_RECORDS))
            page.load_sample_requested.connect(self.load_sample_data)
            page.setup_requested.connect(lambda: self.open_setup_wizard())
            self._add_page("welcome", page)
        return self._pages["welcome"]  # type: ignore[return-value]

    @property
    def dashboard_view(self) -> DashboardView:
        if "dashboard" not in self._pages:
            from internhost.gui.views.dashboard import DashboardView

            assert self.ops is not None
            view = DashboardView(self.ops)
            view.intern_activated.connect(self.open_intern)
            view.item_activated.connect(self.open_queue_item)
            view.findings_requested.connect(self.open_findings)
            view.employer_named.connect(self.employer_label.setText)
            self._add_page("dashboard", view)
        return self._pages["dashboard"]  # type: ignore[return-value]

    def _set_nav(self, keys: tuple[str, ...], *, enabled: bool = True) -> None:
        """Only screens that work get an entry; while loading they show, disabled."""
        self.nav.blockSignals(True)
        self.nav.clear()
        for key in keys:
            text, icon_name = SCREENS[key]
            item = QListWidgetItem(icon(icon_name), text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setSizeHint(QSize(0, 38))
            if not enabled:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.nav.addItem(item)
        self.nav.blockSignals(False)

    # -- the database ------------------------------------------------------------

    def open_database(self) -> None:
        """Import the ORM and read the first screen in the background (logging in
        first when nobody is yet)."""
        if self.login_session is not None:
            self.login_session.start()
            return
        self.statusBar().showMessage("Opening…")
        self.runner.submit(
            open_home,
            self.db_path,
            self.actor,
            self.clock,
            on_done=self._opened,
            on_error=self._open_failed,
        )

    def adopt_database(self, database: Database) -> Ops:
        """``database`` is the one this window shows: its ``ops`` read and write it."""
        self.database = database
        if self.ops is None or self.ops.database is not database:
            self.ops = Ops(database, self.runner, self)
            self.ops.changed.connect(self._records_changed)
        self._allow_actions(database.actor)
        return self.ops

    def _opened(self, result: tuple[Database, Home]) -> None:
        database, home = result
        self.adopt_database(database)
        self.statusBar().clearMessage()
        self.watch_timer.start()
        self.show_warnings(home)
        self._show_home(home)
        self.ready.emit()
        # Once a day, after the first screen: a backup on the worker (logged, not
        # fatal, when it fails: the records must stay usable).
        self.runner.submit(
            database.daily_backup,
            on_done=self._backed_up,
            on_error=lambda exc: log.warning("the daily backup failed: %s", exc),
        )

    def _backed_up(self, info: Any) -> None:
        if info is not None:
            self.statusBar().showMessage(f"Today's backup: {info.path.name}", 6000)

    def show_warnings(self, home: Home) -> None:
        """The bar above the screens: an unsafe location, and what was finished or
        removed after interrupted runs."""
        lines = [line for line in (home.location_warning, *home.notices) if line]
        self.location_warning.setText("\n".join(lines))
        self.location_warning.setVisible(bool(lines))

    def _open_failed(self, exc: BaseException) -> None:
        self.statusBar().clearMessage()
        from internhost.gui.unlock import ask_again

        if ask_again(self, self.db_path, exc):  # no key, or a wrong one: the user typed one
            self.open_database()
            return
        message = report(exc)
        self.loading_page.show_error(message)
        self.failed.emit(message)

    def _show_home(self, home: Home) -> None:
        self.home = home
        if home.empty or home.dashboard is None:
            self._set_nav(("welcome",))
            self.employer_label.setText("")
            self.show_page("welcome")
            return
        self.dashboard_view.set_dashboard(home.dashboard)
        self._ensure_interns_view()
        self._set_nav(self._screens_for_actor())
        self.show_page("setup" if home.wizard_page else "dashboard")

    def _ensure_interns_view(self) -> None:
        if self.interns_view is not None:
            self.interns_view.refresh()
            return
        from internhost.gui.views.interns import InternsView  # needs the ORM: now loaded

        assert self.ops is not None
        self.interns_view = InternsView(self.ops)
        self.interns_view.restore_state(self.settings)
        self.interns_view.exported.connect(lambda text: self.statusBar().showMessage(text, 8000))
        self._add_page("interns", self.interns_view)

    def open_setup_wizard(self, page: str = "") -> None:
        """The onboarding wizard, modal; it resumes where it was left unless ``page``
        names where to go. Afterwards the home screens show what it saved."""
        from internhost.gui.wizards.onboarding import OnboardingWizard

        if self.database is None:
            return
        first_run = self.login_session is not None and self.login_session.first_run
        if first_run and not self.login_session.create_first_admin():  # the HR admin first
            return
        assert self.ops is not None
        wizard = OnboardingWizard(self.ops, self)
        self.wizard = wizard
        if page:
            wizard.go_to(page)
        else:
            wizard.resume()
        wizard.exec()
        self.wizard = None
        self._read_home(self._show_home)

    def load_sample_data(self) -> None:
        """Fill the empty database with the sample data set (as the system), then show it."""
        if self.database is None:
            return
        self.welcome_page.set_busy(True, "Loading sample data…")
        self.runner.submit(
            self.database.load_sample,
            SYSTEM,
            label="Loading the sample data…",
            steps=True,
            on_done=self._sample_loaded,
            on_error=self._sample_failed,
        )

    def _sample_loaded(self, home: Home) -> None:
        if self.login_session is not None:  # log in as the sample's demo HR admin
            self.login_session.sample_loaded(home)
            return
        self.welcome_page.set_busy(False)
        self._show_home(home)

    def _sample_failed(self, exc: BaseException) -> None:
        if isinstance(exc, Cancelled):
            self.welcome_page.set_busy(False, SAMPLE_CANCELLED)
            return
        self.welcome_page.set_busy(False, f"The sample data could not be loaded. {report(exc)}")

    # -- navigation ----------------------------------------------------------------

    @property
    def current_page(self) -> str:
        return next(k for k, page in self._pages.items() if page is self.stack.currentWidget())

    def _screens_for_actor(self) -> tuple[str, ...]:
        extra = tuple(k for k, need in GUARDED_SCREENS.items() if self.actor.can(need))
        return (*HOME_SCREENS, *extra)

    def _restored(self) -> None:
        """The database was replaced from a backup: every screen reads it again (now if
        shown, when next shown otherwise), and the home screens may have gone."""
        assert self.ops is not None
        self.ops.announce()

        def show(home: Home) -> None:
            self._show_home(home)
            self.show_page("backups")

        self._read_home(show)

    def _look_for_changes(self) -> None:
        """Ask the worker whether someone else wrote; not while it works for the user
        or a dialog is open (what it shows must not change under the user's hands)."""
        if self.database is None or self.runner.busy or QApplication.activeModalWidget():
            return
        self.runner.submit(
            self.database.changed_elsewhere,
            on_done=self._changes_found,
            on_error=lambda exc: log.warning("looking for others' changes failed: %s", exc),
        )

    def _changes_found(self, changed: bool) -> None:
        if changed:
            self._changed_elsewhere()

    def _changed_elsewhere(self) -> None:
        """Someone else wrote: every screen hears it as a change of everything and reads
        again (the one shown now, the others when shown). A screen holding unsaved edits
        (the onboarding plan) keeps them: it reads again once they are saved."""
        if self.ops is not None:
            self.ops.announce()
        self.statusBar().showMessage(CHANGED_ELSEWHERE, 6000)

    def _records_changed(self, changes: frozenset[str]) -> None:
        """The sidebar names the employer: a hidden dashboard reads it again for it.
        A change of a check's inputs (a calendar, a document) left findings stale:
        they are checked again on the worker."""
        dashboard = self._pages.get("dashboard")
        if touches(changes, {"company"}) and dashboard is not None and not dashboard.isVisible():
            self.dashboard_view.refresh()
        may_check = self.actor is not None and self.actor.can(Permission.RUN_CHECKS)
        if may_check and touches(changes, RECHECKED_AFTER):
            self._recheck_stale()

    def _recheck_stale(self) -> None:
        """Check the interns whose findings wait since their inputs changed; every
        screen showing findings reads them again once some were."""
        from internhost.core.services import compliance

        if self.ops is None or self.database is None:
            return
        self.ops.call(
            self,
            self.database.write,
            compliance.recheck_stale,
            self.clock(),
            done=self._rechecked,
        )

    def _rechecked(self, results: list[Any]) -> None:
        if results and self.ops is not None:
            self.ops.announce({"finding"})

    def _read_home(self, done: Callable[[Home], None]) -> None:
        """Read the first screen's data on the worker; ``done(home)`` here."""
        assert self.ops is not None and self.database is not None
        self.ops.call(self, self.database.home, done=done)

    def show_page(self, key: str) -> None:
        """Switch to a screen and select its sidebar entry."""
        page = self._page(key)
        self.stack.setCurrentWidget(page)
        for row in range(self.nav.count()):
            item = self.nav.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == key and self.nav.currentItem() is not item:
                self.nav.setCurrentItem(item)

    def _nav_changed(self, item: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        """Go to the chosen screen; leaving one that holds unsaved edits asks first, and
        Keep editing puts the sidebar back."""
        if item is None:
            return
        leaving = self.stack.currentWidget()
        if previous is not None and _unsaved(leaving):
            # Not imported at start: the form kit loads the ORM, which waits for the window.
            from internhost.gui.dialogs import base as dialog_base

            if not dialog_base.confirm_discard(self, "this screen"):
                with QSignalBlocker(self.nav):
                    self.nav.setCurrentItem(previous)
                return
            leaving.discard_edits()
        self.show_page(item.data(Qt.ItemDataRole.UserRole))

    def open_intern(self, intern_id: int, finding_id: int | None = None) -> None:
        """Show an intern; with ``finding_id``, on their findings tab at that finding."""
        if self.interns_view is None:
            return
        self.show_page("interns")
        self.interns_view.select_intern(intern_id, finding_id=finding_id)

    def open_shift(self, intern_id: int, shift_id: int, day: date) -> None:
        """The planner on the intern's week of ``day``, that shift selected."""
        from internhost.gui.views.planner import PlannerView

        self.show_page("planner")
        planner = self._page("planner")
        assert isinstance(planner, PlannerView)
        planner.show_shift(intern_id, shift_id, day)

    def open_placement(self, placement_id: int) -> None:
        """The placement editor on a placement (its check shown before saving)."""
        from internhost.gui.views.placements import edit_placement

        assert self.ops is not None
        edit_placement(self, self.ops, placement_id)

    def open_time_entry(self, intern_id: int, entry_id: int) -> None:
        """The intern's Hours tab, that entry selected."""
        self.open_intern(intern_id)
        if self.interns_view is not None:
            self.interns_view.detail.show_time_entry(entry_id)

    def open_queue_item(self, item: QueueItem) -> None:
        """Where a line of the dashboard's queue is done: logged hours on the Hours tab
        at the entry, other work on its tab of the intern's page (``_QUEUE_TABS``),
        anything else on the intern's page."""
        if item.target == "hours" and item.record_id is not None:
            self.open_time_entry(item.intern_id, item.record_id)
            return
        self.open_intern(item.intern_id)
        if self.interns_view is not None:
            detail = self.interns_view.detail
            tab = getattr(detail, _QUEUE_TABS.get(item.target, ""), None)
            if tab is not None:
                detail.tabs.setCurrentWidget(tab)

    def open_findings(self, severity: str) -> None:
        """The Compliance screen, showing the findings the dashboard counted."""
        from internhost.gui.views.findings_screen import FindingsScreen

        self.show_page("compliance")
        screen = self._page("compliance")
        assert isinstance(screen, FindingsScreen)
        screen.show_filtered(severity, counted=True)

    def _focus_search(self) -> None:
        if self.interns_view is not None:
            self.show_page("interns")
            self.interns_view.search.setFocus()
            self.interns_view.search.selectAll()

    def reset_for_user(self) -> None:
        """Another user logs in (or nobody): drop every screen built for the last one."""
        self.watch_timer.stop()  # until the next user's screens are open
        for key, page in list(self._pages.items()):
            if key != "loading":
                self.stack.removeWidget(page)
                page.deleteLater()
                del self._pages[key]
        self.interns_view = None
        self.home = None
        self.employer_label.setText("")
        self._set_nav(HOME_SCREENS, enabled=False)
        self.stack.setCurrentWidget(self.loading_page)

    # -- closing -------------------------------------------------------------------

    def save_ui_state(self) -> None:
        self.settings.save_geometry("main_window", self)
        self.settings.save_state("main_window/splitter", self.splitter)
        if self.interns_view is not None:
            self.interns_view.save_state(self.settings)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.watch_timer.stop()
        if self.login_session is not None:
            self.login_session.stop()
        self.save_ui_state()
        self.runner.wait()
        if self.database is not None:
            self.database.close()
            self.database = None
        super().closeEvent(event)
