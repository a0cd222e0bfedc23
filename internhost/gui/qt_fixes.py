"""Work-arounds for bugs in the Qt binding, applied once when ``internhost.gui`` is
imported, before any window exists.

PySide6 6.12's ``SignalInstance.emit()`` returns ``True`` without taking a reference
for it, so every ``emit`` called from Python takes one reference from ``True`` when
its result is dropped. Before Python 3.12 ``True`` is an ordinary object: after some
thousands of emits (the app emits on every read it asks the worker for, and every
few seconds while idle) its count reaches zero and the interpreter aborts
("Fatal Python error: bool_dealloc: deallocating True or False"), mid-session or at
exit. Until the binding is fixed, ``True`` gets a margin of references no session can
use up; from Python 3.12 on it is immortal and needs none.

The same binding returns ``None`` from a method without a result (``setPen``,
``drawLine``, ``setObjectName``…) without taking a reference for it either: a
painted view (the schedule planner's week makes thousands of such calls per
repaint) uses up ``None`` within seconds ("none_dealloc"). ``None`` gets the same
margin.
"""

from __future__ import annotations

import ctypes
import sys

from PySide6.QtCore import QObject, Signal

#: References given to ``True``: an emit every nanosecond would take over a century.
MARGIN = 1 << 62
_PROBES = 16


class _Probe(QObject):
    ping = Signal()


def emit_takes_from_true() -> bool:
    """Whether ``emit()`` here takes a reference from ``True`` (the binding's bug)."""
    probe = _Probe()
    before = sys.getrefcount(True)
    for _ in range(_PROBES):
        probe.ping.emit()
    return before - sys.getrefcount(True) >= _PROBES


def void_takes_from_none() -> bool:
    """Whether a method without a result here takes a reference from ``None``."""
    probe = _Probe()
    before = sys.getrefcount(None)
    for _ in range(_PROBES):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= _PROBES


def _spare(value: object) -> None:
    count = ctypes.c_ssize_t.from_address(id(value))  # ob_refcnt, PyObject's first field
    count.value += MARGIN


def spare_true() -> bool:
    """Give ``True`` its margin when the running binding needs it; whether it did."""
    if sys.version_info >= (3, 12) or not emit_takes_from_true():
        return False
    _spare(True)
    return True


def spare_none() -> bool:
    """Give ``None`` its margin when the running binding needs it; whether it did."""
    if sys.version_info >= (3, 12) or not void_takes_from_none():
        return False
    _spare(None)
    return True
