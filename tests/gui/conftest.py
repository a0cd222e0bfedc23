"""GUI fixtures: the themed app, isolated QSettings, and a main window that is open.

Qt warnings fail tests (pyproject), except the offscreen platform's note that it
cannot pass size hints to a window manager it does not have.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QLabel, QWidget

from internhost.core.actor import SYSTEM, Actor
from internhost.gui import theme
from internhost.gui.database import Database
from internhost.gui.main_window import MainWindow
from internhost.gui.ops import Ops
from internhost.gui.settings import UiSettings
from internhost.gui.tasks import TaskRunner

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "screenshots"
#: A Friday late in the sample's second term: hours logged this week, a birthday ahead.
SAMPLE_TODAY = date(2026, 11, 20)
OFFSCREEN_NOISE = "This plugin does not support propagateSizeHints"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_teardown(item: pytest.Item) -> Iterator[None]:
    """Close a test's editing dialogs without "Discard changes?" before pytest-qt
    closes its widgets: nobody would answer the question, and the run would hang."""
    from internhost.gui.dialogs.base import BaseDialog

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, BaseDialog) and widget.isVisible():
            widget.discard()
    yield


@pytest.fixture(autouse=True)
def unanswered_discard(monkeypatch) -> Iterator[list[str]]:
    """A "Discard changes?" the test did not answer itself would block the run in its
    modal loop: here it discards and fails the test, naming the dialog that asked."""
    from internhost.gui.dialogs import base

    asked: list[str] = []

    def confirm(_parent: QWidget | None, what: str = "") -> bool:
        asked.append(what)
        return True

    monkeypatch.setattr(base, "confirm_discard", confirm)
    yield asked
    assert not asked, f"'Discard changes?' asked and not answered by the test: {asked}"


@pytest.fixture(scope="session", autouse=True)
def themed_app(qapp):
    qapp.setOrganizationName("InternHost-tests")
    qapp.setApplicationName("InternHost-tests")
    theme.apply(qapp)
    return qapp


class _StrayWindows(QObject):
    """Records a button or label shown as a window of its own: made visible before its
    layout had a parent, it flashes up beside the app and takes the main window's
    activation (and with it every window shortcut)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QAbstractButton | QLabel)
            and watched.windowType() == Qt.WindowType.Window  # not a tooltip's label
        ):
            self.seen.append(f"{type(watched).__name__} {watched.text()!r}")
        return False


@pytest.fixture(autouse=True)
def no_stray_windows(qapp) -> Iterator[None]:
    watch = _StrayWindows()
    qapp.installEventFilter(watch)
    yield
    qapp.removeEventFilter(watch)
    assert not watch.seen, f"widgets shown as windows of their own: {watch.seen}"


@pytest.fixture(autouse=True)
def isolated_qsettings(tmp_path: Path) -> Iterator[Path]:
    """Any QSettings() a test creates lands under tmp_path, never in the user's config."""
    folder = tmp_path / "qsettings"
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(folder))
    yield folder


@pytest.fixture(autouse=True)
def collect_on_the_gui_thread() -> Iterator[None]:
    """Collect each test's garbage here, on the GUI thread. Left to chance, Python's
    cyclic collector can run on the database worker thread while it runs a task, and
    a Qt widget freed there crashes the process."""
    yield
    gc.collect()


def leaked_dialogs() -> list[str]:
    """Dialogs still alive that only Python could delete, yet no test holds any more.

    ``exec()`` makes a dialog Python-owned, so it is deleted once its last Python
    reference goes. One that survives is held through C++ (a connection on one of its
    own children holding a lambda that holds the dialog): it leaks, and at exit
    PySide, deleting the leftover Python-owned widgets one by one, can delete such a
    child first, which frees the dialog, which deletes the half-deleted child again:
    "shared QObject was deleted directly", then a segfault after every test passed."""
    gc.collect()
    return [
        f"{type(obj).__name__} {obj.windowTitle()!r}"
        for obj in gc.get_objects()
        if isinstance(obj, QDialog) and shiboken6.isValid(obj) and shiboken6.ownedByPython(obj)
    ]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail a run whose tests all passed but that leaked a dialog (see ``leaked_dialogs``)."""
    if exitstatus != pytest.ExitCode.OK:
        return  # a failed test's traceback may hold its dialog
    leaked = leaked_dialogs()
    if leaked:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.ensure_newline()
            reporter.write_line(
                "Dialogs outlived their tests (a reference cycle through a Qt "
                f"connection?): {', '.join(leaked)}",
                red=True,
            )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def ui_settings(tmp_path: Path) -> UiSettings:
    return UiSettings(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))


OpenWindow = Callable[..., MainWindow]


@pytest.fixture
def open_window(qtbot, ui_settings: UiSettings) -> OpenWindow:
    """Show a main window on ``path`` and wait until its database is open and its
    first screens have read what they show."""

    def make(
        path: Path,
        *,
        actor: Actor = SYSTEM,
        today: date = SAMPLE_TODAY,
        settings: UiSettings | None = None,
    ) -> MainWindow:
        window = MainWindow(
            path, actor=actor, clock=lambda: today, settings=settings or ui_settings
        )
        qtbot.addWidget(window)
        window.show()
        with qtbot.waitSignal(window.ready, timeout=20_000):
            window.open_database()
        assert window.runner.settle(20_000)  # the first screens' reads (``gui.ops``)
        return window

    return make


@pytest.fixture
def database(demo_path: Path) -> Iterator[Database]:
    """The sample database as the system would open it, on the sample's today."""
    handle = Database.open(demo_path, SYSTEM, lambda: SAMPLE_TODAY)
    yield handle
    handle.close()


@pytest.fixture
def ops_for(qtbot) -> Iterator[Callable[[Database], Ops]]:
    """``ops_for(database)``: an ``Ops`` over ``database`` with a worker of its own, as
    the main window makes one; each is settled (its work done, its answers delivered)
    after the test. A database the test opens itself is closed only after its ops'
    ``runner.settle()``."""
    made: list[tuple[QWidget, Ops]] = []

    def make(database: Database) -> Ops:
        holder = QWidget()  # owns the runner and the ops, like a main window
        ops = Ops(database, TaskRunner(holder), holder)
        made.append((holder, ops))  # not ops.holder: a cycle the collector would free
        return ops

    yield make
    for _holder, ops in made:
        ops.runner.settle()
        ops.runner.wait()
    made.clear()  # each holder, with its ops, deleted here on the GUI thread


@pytest.fixture
def ops(database: Database, ops_for) -> Ops:
    """An ``Ops`` over the sample database (``database``, set up first: it closes
    after the ops settled)."""
    return ops_for(database)


@pytest.fixture
def sample_today() -> date:
    return SAMPLE_TODAY


def save_png(widget: QWidget, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(path)), path
    return path


@pytest.fixture
def screenshot(qtbot, tmp_path: Path) -> Callable[[QWidget, str], Path]:
    """Save ``<name>.png`` of a widget into the test's temporary folder, to look at."""

    def save(widget: QWidget, name: str) -> Path:
        qtbot.wait(30)  # let queued layout and paint events run
        return save_png(widget, tmp_path / f"{name}.png")

    return save


@pytest.fixture
def gallery(qtbot, tmp_path: Path) -> Callable[[QWidget, str], Path]:
    """Save ``<name>.png`` of a widget for the gallery (``test_screenshots``): into the
    test's temporary folder or, with ``INTERNHOST_SCREENSHOTS=docs`` set, into
    ``docs/screenshots``, which the README shows."""
    folder = SCREENSHOTS if os.environ.get("INTERNHOST_SCREENSHOTS") == "docs" else tmp_path

    def save(widget: QWidget, name: str) -> Path:
        qtbot.wait(100)  # let queued layout, column fits (two timer turns) and paint run
        path = save_png(widget, folder / f"{name}.png")
        if folder == SCREENSHOTS:
            small_png(path)
        return path

    return save


def small_png(path: Path) -> None:
    """The committed gallery in 256 colours: a third of the size, the same to the eye."""
    from PIL import Image  # ReportLab's dependency

    with Image.open(path) as image:
        rgb = image.convert("RGB")
    rgb.quantize(256, Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE).save(path, optimize=True)


@pytest.fixture(autouse=True)
def gui_thread_refused(monkeypatch) -> None:
    """App code that touches the database on the GUI thread fails the test (issue #12
    §3; ``gui.database._on_checkout``), and a failure no screen handles raises."""
    from internhost.gui import database
    from internhost.gui.ops import Ops

    monkeypatch.setattr(database, "gui_thread_policy", "raise")
    monkeypatch.setattr(Ops, "raise_unhandled", True)
