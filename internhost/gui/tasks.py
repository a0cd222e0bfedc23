"""Background work: one serialized worker thread for the database (Anki's pattern).

A ``Task`` runs a plain function on the worker and reports back by signal, so the
result arrives on the GUI thread and nothing touches a widget from the worker. The
``TaskRunner`` keeps a reference to every running task (a ``QRunnable`` the pool
still holds would otherwise lose its Python half) and shows a progress dialog only
when a task takes longer than ``PROGRESS_DELAY_MS``, so quick work never flickers.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal, SignalInstance, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

PROGRESS_DELAY_MS = 500


class TaskSignals(QObject):
    """A task's signals; a QRunnable is no QObject, so it owns one of these."""

    finished = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """Run ``fn()`` on a pool thread; emit ``finished(result)`` or ``failed(exc)``.

    ``owner`` (a GUI-thread QObject) parents the signals object, so it is never
    destroyed from the worker when the worker drops the last reference to the task.
    """

    def __init__(
        self, fn: Callable[[], Any], *, label: str = "", owner: QObject | None = None
    ) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python owns it; the pool must not delete it
        self.signals = TaskSignals(owner)
        self.label = label
        self._fn = fn

    @property
    def finished(self) -> SignalInstance:
        return self.signals.finished

    @property
    def failed(self) -> SignalInstance:
        return self.signals.failed

    def run(self) -> None:
        try:
            result = self._fn()
        except BaseException as exc:
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


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

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        label: str = "",
        on_done: Callback | None = None,
        on_error: Callback | None = None,
        **kwargs: Any,
    ) -> Task:
        """Queue ``fn``; with a ``label``, a progress dialog appears if it runs long."""
        task = Task(partial(fn, *args, **kwargs), label=label, owner=self)
        self._running[task] = (on_done, on_error)
        # Bound methods of this GUI-thread QObject: Qt queues the calls to our thread.
        task.signals.finished.connect(self._finished, Qt.ConnectionType.QueuedConnection)
        task.signals.failed.connect(self._failed, Qt.ConnectionType.QueuedConnection)
        if label and not self._progress_timer.isActive():
            self._progress_timer.start()
        self._pool.start(task)
        return task

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def wait(self, msecs: int = -1) -> bool:
        """Block until the worker is idle (used on close and in tests)."""
        return self._pool.waitForDone(msecs)

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
        signals.deleteLater()
        self._update_progress()
        if callback is not None:
            callback(value)
        elif which == 1:
            raise value

    def _labelled(self) -> list[str]:
        return [t.label for t in self._running if t.label]

    def _show_progress(self) -> None:
        labels = self._labelled()
        if not labels:
            return
        if self._dialog is None:
            parent = self.parent() if isinstance(self.parent(), QWidget) else None
            self._dialog = QProgressDialog(parent)
            self._dialog.setWindowTitle("InternHost")
            self._dialog.setCancelButton(None)
            self._dialog.setRange(0, 0)  # busy: the work reports no steps yet
            self._dialog.setMinimumDuration(0)
            self._dialog.setWindowModality(Qt.WindowModality.WindowModal)
            self._dialog.setAutoClose(False)
            self._dialog.setAutoReset(False)
        self._dialog.setLabelText(labels[0])
        self._dialog.show()

    def _update_progress(self) -> None:
        labels = self._labelled()
        if labels:
            if self._dialog is not None and self._dialog.isVisible():
                self._dialog.setLabelText(labels[0])
            return
        self._progress_timer.stop()
        if self._dialog is not None:
            self._dialog.hide()

    @property
    def progress_visible(self) -> bool:
        return self._dialog is not None and self._dialog.isVisible()
