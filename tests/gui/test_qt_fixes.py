"""Work-arounds for the Qt binding's bugs (``gui/qt_fixes.py``)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

EMITTER = """
from PySide6.QtCore import QCoreApplication, QObject, Signal

import internhost.gui  # applies the work-arounds

class Source(QObject):
    ping = Signal()

app = QCoreApplication([])
source = Source()
for _ in range(200_000):  # more than True has references in a fresh interpreter
    source.ping.emit()
print("emitted")
"""


def test_signals_emitted_from_python_cannot_use_up_true() -> None:
    """PySide6 6.12's emit() takes a reference from True each time: without the margin
    this process aborts ("bool_dealloc"), mid-loop or at exit."""
    done = subprocess.run(
        [sys.executable, "-c", EMITTER],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and "emitted" in done.stdout, done.stderr
    assert "bool_dealloc" not in done.stderr


PAINTER = """
from PySide6.QtCore import QObject

import internhost.gui  # applies the work-arounds

thing = QObject()
for _ in range(200_000):  # more than None has references in a fresh interpreter
    thing.setObjectName("x")
print("named")
"""


def test_methods_without_a_result_cannot_use_up_none() -> None:
    """PySide6 6.12 returns None from a void method without a reference: without the
    margin this process aborts ("none_dealloc"), as a painted week did."""
    done = subprocess.run(
        [sys.executable, "-c", PAINTER],
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0 and "named" in done.stdout, done.stderr
    assert "none_dealloc" not in done.stderr
