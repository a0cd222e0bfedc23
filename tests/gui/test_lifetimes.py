"""Lifetimes: a widget's own buttons must not keep it alive, a modal dialog is gone once
closed, and a test run that passed exits 0 (no crash while PySide tears down at exit).

A button whose connection held its owner's bound method strongly made a cycle through
C++ that Python's collector cannot see: every New term dialog leaked, and at exit
PySide, deleting the leftover Python-owned widgets one by one, could delete the
dialog's Preview button first; that freed the dialog, which deleted the half-deleted
button again ("QObject: shared QObject was deleted directly", then a segfault)."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from dialogs import in_dialog
from PySide6.QtWidgets import QDialog, QHBoxLayout, QVBoxLayout

from internhost.gui.ops import Ops
from internhost.gui.widgets.basics import button

REPO = Path(__file__).resolve().parents[2]


class Panel(QDialog):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[int] = []
        self.go = button("Go", "primary", self.go_on)
        row = QHBoxLayout()  # a row laid out first, as the screens build theirs
        row.addWidget(self.go)
        QVBoxLayout(self).addLayout(row)

    def go_on(self, times: int = 1) -> None:
        self.calls.append(times)


def test_a_button_calls_its_slot_without_the_checked_argument(qtbot) -> None:
    panel = Panel()
    qtbot.addWidget(panel)
    panel.go.click()
    assert panel.calls == [1]  # not [False]: clicked's `checked` is not passed on


def test_a_button_does_not_keep_the_widget_whose_method_it_calls_alive(qtbot) -> None:
    panel = Panel()
    gone = weakref.ref(panel)
    del panel
    gc.collect()
    assert gone() is None


def test_a_dead_widgets_button_does_nothing(qtbot) -> None:
    panel = Panel()
    go = panel.go
    qtbot.addWidget(go)
    go.setParent(None)  # the button outlives the panel
    del panel
    gc.collect()
    go.click()  # no error: the method's object is gone


def test_the_new_term_dialog_is_deleted_once_closed(qtbot, ops: Ops) -> None:
    from internhost.gui.views.interns import InternsView

    screen = InternsView(ops)
    qtbot.addWidget(screen)
    screen.show()
    assert ops.runner.settle()
    run = in_dialog(
        screen.term_action.trigger, lambda dialog, _form: dialog.run_preview(), save=False
    )
    assert run.title == "New term" and not run.saved
    assert ops.runner.settle()  # the preview asked for holds the dialog until answered
    dialog = weakref.ref(run.dialog)
    del run
    gc.collect()
    assert dialog() is None


@pytest.mark.slow
def test_the_new_term_tests_exit_cleanly(tmp_path: Path) -> None:
    """The pair of tests that crashed the process at exit, in a process of their own."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-n",  # one process, as it crashed: not the suite's workers (each builds the sample)
            "0",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            f"--basetemp={tmp_path / 'run'}",
            "tests/gui/test_placement_editor.py",
            "-k",
            "test_new_term_copies or test_new_term_guesses",
        ],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = done.stdout + done.stderr
    assert "2 passed" in done.stdout, output
    assert "shared QObject was deleted directly" not in output, output
    assert done.returncode == 0, output
