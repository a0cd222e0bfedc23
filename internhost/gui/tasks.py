"""Background work: one serialized worker thread for the database (Anki's pattern).

A ``Task`` runs a plain function on the worker and reports back by signal, so the
result arrives on the GUI thread and nothing touches a widget from the worker. The
``TaskRunner`` keeps a reference to every running task (a ``QRunnable`` the pool
still holds would otherwise lose its Python half) and shows a progress dialog only
when a task takes longer than ``PROGRESS_DELAY_MS``, so quick work never flickers.
"""

from __future__ import annotations

import gc
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
    SignalInstance,
    Slot,
)
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

from internhost.core.progress import Progress

PROGRESS_DELAY_MS = 500


class _CollectorPause:
    """Python's cyclic garbage collector is off while any task is under way.

    Left on, it runs in whichever thread allocates when a threshold is crossed, the
    database worker too, and a Qt object it frees there (a dialog in a cycle, a
    widget's wrapper) crashes the process. Counted on the GUI thread only: a task
    counts from ``submit`` until its answer was handled and its ``run`` returned, so no
    Python code runs on the worker while the collector is on.
    """

    def __init__(self) -> None:
        self.under_way = 0
        self.paused = False

    def task_started(self) -> None:
        if self.under_way == 0 and gc.isenabled():
            gc.disable()
            self.paused = True
        self.under_way += 1

    def task_ended(self) -> None:
        self.under_way -= 1
        if self.under_way == 0 and self.paused:
            self.paused = False
            gc.enable()


_collector = _CollectorPause()


def _runner_gone(pool: QThreadPool, running: dict[Task, Any]) -> None:
    """A runner deleted with tasks whose answers never came (its window closed
    meanwhile) ends their pause once its worker is idle: left counted, they would keep
    the collector off for the rest of the process. Not a method: the runner's Python
    half may be gone when its C++ half is destroyed (the pool, a child, still lives)."""
    pool.waitForDone()
    for _task in running:
        _collector.task_ended()
    running.clear()


class TaskSignals(QObject):
    """A task's signals; a QRunnable is no QObject, so it owns one of these."""

    finished = Signal(object)
    failed = Signal(object)
    #: (done, total, step text), from the worker thread; queued to the GUI thread.
    progressed = Signal(int, int, str)


class Task(QRunnable):
    """Run ``fn()`` on a pool thread; emit ``finished(result)`` or ``failed(exc)``.

    ``owner`` (a GUI-thread QObject) parents the signals object, so it is never
    destroyed from the worker when the worker drops the last reference to the task.
    """

    def __init__(
        self,
        fn: Callable[..., Any],
        *,
        label: str = "",
        owner: QObject | None = None,
        steps: bool = False,
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it; the pool must not delete it
        self.signals = TaskSignals(owner)
        self.label = label
        self._fn = fn
        self.stop = threading.Event()
        #: With ``steps``, ``fn`` takes ``progress=``: it reports steps and may be cancelled.
        self.steps = steps
        self.step: tuple[int, int, str] | None = None
        #: Set as ``run`` returns: after it, no Python code of this task runs on the worker.
        self.returned = threading.Event()

    @property
    def progress(self) -> Progress:
        """What ``fn`` gets: its reports go out by signal, the Cancel button stops it."""
        return Progress(self.signals.progressed.emit, self.stop.is_set)

    @property
    def finished(self) -> SignalInstance:
        return self.signals.finished

    @property
    def failed(self) -> SignalInstance:
        return self.signals.failed

    def release(self) -> None:
        """Let go of the function and what it holds (its arguments, a dialog's bound
        method): PySide's pool keeps every runnable it started for as long as it lives.
        Called on the GUI thread once the task is done, so nothing is freed on the worker."""
        self._fn = _released

    def run(self) -> None:
        try:
            result = self._fn(progress=self.progress) if self.steps else self._fn()
        except BaseException as exc:
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)
        finally:
            self.returned.set()


def _released(**_kwargs: Any) -> None:
    """What a finished task's function becomes (``Task.release``)."""


Callback = Callable[[Any], None]


class TaskRunner(QObject):
    """Runs tasks one at a time on its own pool thread (SQLite likes one writer).

    ``submit`` returns at once; ``on_done``/``on_error`` are called on the GUI thread.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._running: dict[Task, tuple[Callback | None, Callback | None]] = {}
        self._dialog: QProgressDialog | None = None
        self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_DELAY_MS)
        self._progress_timer.timeout.connect(self._show_progress)
        self.destroyed.connect(partial(_runner_gone, self._pool, self._running))

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        label: str = "",
        on_done: Callback | None = None,
        on_error: Callback | None = None,
        steps: bool = False,
        **kwargs: Any,
    ) -> Task:
        """Queue ``fn``; with a ``label``, a progress dialog appears if it runs long.
        With ``steps``, ``fn`` is called with ``progress=`` (a ``core.progress.Progress``):
        the dialog shows its steps and a Cancel button, and a cancelled ``fn`` raises
        ``Cancelled``, which reaches ``on_error``."""
        task = Task(partial(fn, *args, **kwargs), label=label, owner=self, steps=steps)
        self._running[task] = (on_done, on_error)
        # Bound methods of this GUI-thread QObject: Qt queues the calls to our thread.
        queued = Qt.ConnectionType.QueuedConnection
        task.signals.finished.connect(self._finished, queued)
        task.signals.failed.connect(self._failed, queued)
        task.signals.progressed.connect(self._progressed, queued)
        if label and not self._progress_timer.isActive():
            self._progress_timer.start()
        _collector.task_started()
        self._pool.start(task)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (used on close and in tests)."""
        return self._pool.waitForDone(msecs)

    def settle(self, msecs: int = 10_000) -> bool:
        """Block until no task is left and every callback has run, processing events
        meanwhile (callbacks may queue more work: it is waited for too). Tests use it
        to wait for a screen's answers; False when ``msecs`` passed first."""
        deadline = time.monotonic() + msecs / 1000
        while True:
            QCoreApplication.processEvents()
            if not self._running:
                return True
            if time.monotonic() > deadline:
                return False
            self._pool.waitForDone(10)

    @Slot(int, int, str)
    def _progressed(self, done: int, total: int, text: str) -> None:
        task = next((t for t in self._running if t.signals is self.sender()), None)
        if task is not None:
            task.step = (done, total, text)
            self._update_progress()

    def cancel(self) -> None:
        """Ask the shown task to stop at its next step (the dialog's Cancel button)."""
        shown = self._shown()
        if shown is not None and shown.steps:
            shown.stop.set()
            if self._dialog is not None:
                self._dialog.setLabelText(f"{shown.label}\nCancelling…")

    @Slot(object)
    def _finished(self, result: Any) -> None:
        self._complete(self.sender(), result, 0)

    @Slot(object)
    def _failed(self, exc: Any) -> None:
        self._complete(self.sender(), exc, 1)

    def _complete(self, signals: QObject, value: Any, which: int) -> None:
        task = next((t for t in self._running if t.signals is signals), None)
        if task is None:
            return
        callback = self._running.pop(task)[which]
        task.returned.wait(5)  # its run() is past the emit: a moment at most
        _collector.task_ended()
        task.release()
        signals.deleteLater()
        self._update_progress()
        if callback is not None:
            callback(value)
        elif which == 1:
            raise value

    def _shown(self) -> Task | None:
        """The task the progress dialog is about: the first labelled one."""
        return next((t for t in self._running if t.label), None)

    def _show_progress(self) -> None:
        if self._shown() is None:
            return
        if self._dialog is None:
            owner = self.parent()
            self._dialog = QProgressDialog(owner if isinstance(owner, QWidget) else None)
            self._dialog.setWindowTitle("InternHost")
            self._dialog.setMinimumDuration(0)
            self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._dialog.setAutoClose(False)
            self._dialog.setAutoReset(False)
            self._dialog.setMinimumWidth(380)  # room for a step's name
            self._dialog.canceled.connect(self.cancel)
        self._dialog.show()
        self._update_progress()

    def _update_progress(self) -> None:
        shown = self._shown()
        if shown is None:
            self._progress_timer.stop()
            if self._dialog is not None:
                self._dialog.hide()
            return
        dialog = self._dialog
        if dialog is None or not dialog.isVisible():
            return
        if shown.stop.is_set():
            return  # it says "Cancelling…" until the task stops
        done, total, text = shown.step or (0, 0, "")
        # The bar itself: QProgressDialog.setValue runs the event loop of a modal
        # dialog (re-entering this slot) and may show the dialog again after a hide.
        bar = dialog.findChild(QProgressBar)
        assert bar is not None  # QProgressDialog always has its bar
        bar.setRange(0, total)  # 0..0: busy, until the work reports its steps
        bar.setValue(done)
        dialog.setLabelText(f"{shown.label}\n{text}" if text else shown.label)
        if shown.steps:
            dialog.setCancelButtonText("Cancel")
        else:
            dialog.setCancelButton(None)  # work that cannot stop half-way offers no Cancel

    @property
    def progress_visible(self) -> bool:
        return self._dialog is not None and self._dialog.isVisible()
