"""Small building blocks every screen shares: labels and buttons with a stylesheet role,
cards, and the page margin."""

from __future__ import annotations

import inspect
import weakref
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from internhost.gui.theme import set_role

#: Left and right margin of every page.
PAGE_MARGIN = 22


def without_arguments(slot: Callable[[], object]) -> Callable[..., None]:
    """A callable for a signal that calls ``slot()`` with none of the signal's arguments
    (``clicked`` would pass ``checked`` into a slot's first optional parameter).

    A QObject's bound method is held weakly, as PySide holds one connected directly.
    The connection lives in C++, on a widget that is usually a child of the method's
    object: holding the method strongly makes a cycle Python's collector cannot see,
    so the object's wrapper never dies. A dialog ``exec()`` made Python-owned then
    leaks, and at exit PySide, deleting the leftover Python-owned widgets one by one,
    may delete such a button first; that drops the last reference to its dialog,
    which deletes the half-deleted button a second time (a crash: "shared QObject
    was deleted directly"). Any other callable is held as it is."""
    if inspect.ismethod(slot) and isinstance(slot.__self__, QObject):
        method = weakref.WeakMethod(slot)

        def call_method(*_args: object) -> None:
            bound = method()
            if bound is not None:
                bound()

        return call_method

    def call(*_args: object) -> None:
        slot()

    return call


def button(text: str, role: str, slot: Callable[[], object]) -> QPushButton:
    """A push button with a stylesheet role (``primary``, ``secondary``) calling ``slot``."""
    widget = QPushButton(text)
    set_role(widget, role)
    widget.clicked.connect(without_arguments(slot))
    # In a narrow window a row of buttons squeezes (clipping its labels) rather than
    # forcing the whole window wider than the screen.
    widget.setMinimumWidth(48)
    return widget


def shown(widget: QWidget, visible: bool) -> None:
    """``widget.setVisible(visible)``, safe before the widget has a parent: a parentless
    widget made visible opens as a window of its own (and takes the main window's
    activation, and with it every window shortcut). Before it has a parent, "visible"
    is left to its parent's showing; "hidden" is recorded as usual."""
    if visible and widget.parentWidget() is None and not widget.isVisible():
        if widget.testAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide):
            widget.setAttribute(Qt.WidgetAttribute.WA_WState_ExplicitShowHide, False)
        return
    widget.setVisible(visible)


def label(text: str = "", role: str | None = None, *, wrap: bool = False) -> QLabel:
    """A QLabel with a stylesheet role (``title``, ``heading``, ``muted``, ``badge``…)."""
    widget = QLabel(text)
    if role:
        set_role(widget, role)
    widget.setWordWrap(wrap)
    return widget


class Card(QFrame):
    """A white rounded panel; ``body`` is its vertical layout."""

    def __init__(self, parent: QWidget | None = None, *, margins: int = 16) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(margins, margins - 2, margins, margins - 2)
        self.body.setSpacing(6)
