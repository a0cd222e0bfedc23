"""Driving modal dialogs from a test: a dialog's ``exec()`` blocks, so the test
schedules what to do inside it (a timer that looks for it) before the action that
opens it. The action may return before the dialog opens (an editor reads what it
needs on the database worker first): ``in_dialog`` waits for it, and after Save
waits until the save running on the worker has come back (``settle``).

``in_dialog(open_it, fill)`` runs ``open_it()``; when the dialog shows, ``fill``
gets it and its first ``FieldForm`` (None when it has none), then Save is pressed.
A dialog that stays open (the service refused the input) is recorded — every
error shown beside a field, the banner — and cancelled, so the test never hangs
and can assert on the refusal:

    run = in_dialog(view.new_record, fill)
    assert run.saved
    run = in_dialog(view.new_record, bad_fill)
    assert not run.saved and "required" in run.errors["email"]

An exception raised in ``fill`` (a failed assert) cancels the dialog and is
raised again from ``in_dialog``, after ``open_it`` returned.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QProgressDialog, QWidget

from internhost.gui.tasks import TaskRunner
from internhost.gui.widgets.fields import FieldForm

Fill = Callable[[QDialog, "FieldForm | None"], Any]


@dataclass
class DialogRun:
    """What happened in the dialog ``in_dialog`` drove."""

    dialog: QDialog | None = None
    title: str = ""
    #: True when Save closed the dialog (the service accepted the input).
    saved: bool = False
    #: Field name -> error text shown beside it, for every form in the dialog.
    errors: dict[str, str] = field(default_factory=dict)
    #: The record dialog's banner (errors naming no field), "" when hidden.
    banner: str = ""
    #: What ``open_it`` returned.
    returned: Any = None


def forms_of(dialog: QWidget) -> list[FieldForm]:
    return dialog.findChildren(FieldForm)


def shown_errors(dialog: QWidget) -> dict[str, str]:
    """Every error text shown beside a field of every form in ``dialog``."""
    out: dict[str, str] = {}
    for form in forms_of(dialog):
        for name in form.inputs:
            if text := form.error_text(name):
                out[name] = text
    return out


def banner_text(dialog: QWidget) -> str:
    banner = dialog.findChild(QLabel, "banner")
    return banner.text() if banner is not None and not banner.isHidden() else ""


def in_dialog(
    open_it: Callable[[], Any],
    fill: Fill | None = None,
    *,
    save: bool = True,
    timeout_ms: int = 20_000,
) -> DialogRun:
    """Call ``open_it`` (which opens a modal dialog, now or once what it reads has
    arrived), let ``fill`` fill it, then press Save (``save=False``: Cancel). Returns
    what happened; never leaves a dialog open."""
    run = DialogRun()
    state = {"handled": False}
    raised: list[BaseException] = []
    deadline = time.monotonic() + timeout_ms / 1000

    def act() -> None:  # polled by a timer: never by itself (see ``_poll``)
        if state["handled"]:
            return
        dialog = modal_dialog()
        if dialog is None:
            if time.monotonic() >= deadline:
                state["handled"] = True
                found = QApplication.activeModalWidget()
                raised.append(AssertionError(f"no modal dialog opened (found {found!r})"))
            return
        state["handled"] = True
        run.dialog, run.title = dialog, dialog.windowTitle()
        try:
            if fill is not None:
                found = forms_of(dialog)
                fill(dialog, found[0] if found else None)
            if save:
                dialog.accept()
                settle(dialog)  # the save runs on the database worker
        except BaseException as exc:
            raised.append(exc)
            leave(dialog)
            return
        if dialog.isVisible():  # refused (or Cancel asked for): say why, then get out
            run.errors, run.banner = shown_errors(dialog), banner_text(dialog)
            leave(dialog)
        else:
            run.saved = save

    with _poll(act):
        try:
            run.returned = open_it()
            while not state["handled"] and time.monotonic() < deadline:
                QTest.qWait(10)  # the dialog opens once what it reads has arrived
        finally:
            state["handled"] = True
    if raised:
        raise raised[0]
    assert run.dialog is not None, "no dialog opened"
    return run


@contextmanager
def _poll(look: Callable[[], None], every_ms: int = 10) -> Iterator[None]:
    """Call ``look`` every ``every_ms`` while the block runs (and the modal loops it
    opens). A timer, not a callback that schedules itself again: such a callback is a
    reference cycle through the dialogs it handled, which the garbage collector may
    then free on the database worker's thread (a crash)."""
    timer = QTimer(interval=every_ms)
    timer.timeout.connect(look)
    timer.start()
    QTimer.singleShot(0, look)
    try:
        yield
    finally:
        timer.stop()
        timer.timeout.disconnect(look)


def modal_dialog() -> QDialog | None:
    """The modal dialog showing, if any (not the busy dialog of work on the worker)."""
    found = QApplication.activeModalWidget()
    if isinstance(found, QDialog) and not isinstance(found, QProgressDialog):
        return found if found.isVisible() else None
    return None


def settle(widget: QWidget | None = None) -> None:
    """Wait until the database worker answered everything asked of it (``gui.ops``):
    the runner of ``widget``'s ``ops`` and of every open main window."""
    runners: list[TaskRunner] = []
    ops = getattr(widget, "ops", None)
    if ops is not None:
        runners.append(ops.runner)
    for top in QApplication.topLevelWidgets():
        runner = getattr(top, "runner", None)
        if isinstance(runner, TaskRunner) and runner not in runners:
            runners.append(runner)
    for runner in runners:
        assert runner.settle(), "the database worker did not answer in time"


def leave(dialog: QDialog) -> None:
    """Close ``dialog`` as cancelled without its questions ("Discard changes?")."""
    dialog.done(QDialog.DialogCode.Rejected)


def saved(open_it: Callable[[], Any], fill: Fill | None = None) -> DialogRun:
    """``in_dialog`` that fails the test unless Save closed the dialog."""
    run = in_dialog(open_it, fill)
    assert run.saved, f"the dialog refused the input: {run.errors} {run.banner!r}"
    return run


class Calls:
    """A stand-in for ``QMessageBox.information`` / ``warning`` / ``question`` that records
    (title, text) instead of blocking, and answers ``answer``."""

    def __init__(self, answer: Any = None) -> None:
        self.calls: list[tuple[str, str]] = []
        self.answer = answer

    def __call__(self, _parent: Any, title: str, text: str, *_args: Any, **_kw: Any) -> Any:
        self.calls.append((title, text))
        return self.answer

    @property
    def texts(self) -> list[str]:
        return [text for _title, text in self.calls]


@contextmanager
def modal(*acts: Callable[[QDialog], Any], timeout_ms: int = 30_000) -> Iterator[list[Any]]:
    """Run ``acts[0](dialog)`` on the first modal dialog the block opens, ``acts[1]``
    on the next one, and so on (``exec`` blocks, so they run from a timer). A dialog
    may open after the block (once what it reads has come): the timer goes on looking
    until every act ran or ``timeout_ms`` passed, then deletes itself."""
    done: list[Any] = []
    handled: list[QDialog] = []
    deadline = time.monotonic() + timeout_ms / 1000
    timer = QTimer(QApplication.instance(), interval=20)  # outlives the block

    def look() -> None:
        if len(handled) == len(acts) or time.monotonic() > deadline:
            timer.stop()
            timer.deleteLater()  # and with it this function and the dialogs it holds
            return
        widget = modal_dialog()  # not the busy dialog of work on the worker
        if widget is not None and widget not in handled:
            handled.append(widget)
            try:
                done.append(acts[len(handled) - 1](widget))
            except BaseException as exc:  # never leave a dialog open: cancel, re-raise
                done.append(exc)
                leave(widget)

    timer.timeout.connect(look)
    timer.start()
    QTimer.singleShot(0, look)
    yield done
    for item in done:
        if isinstance(item, BaseException):
            raise item
