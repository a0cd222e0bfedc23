"""Screens that stay current: each reads what it shows again when a write announces
one of its record kinds (``gui.ops``): at once when it is on screen, when it is next
shown otherwise, so a hidden screen costs nothing until it is looked at."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtGui import QShowEvent

from internhost.gui.ops import kinds, touches

if TYPE_CHECKING:
    from internhost.gui.ops import Ops


class Refreshing:
    """A mixin for the QWidget it precedes (``class V(Refreshing, QWidget)``): the
    screen implements ``load()`` (ask ``ops`` for what it shows) and calls
    ``follow(ops, shows)`` once built; ``refresh()`` reads now."""

    #: The record kinds (``ops.KINDS``) the screen shows.
    shows: frozenset[str] = frozenset()
    _stale = False

    def follow(self, ops: Ops, shows: Iterable[str]) -> None:
        self.shows = kinds(shows)
        ops.changed.connect(self.records_changed)

    def load(self) -> None:
        """Ask for what the screen shows; the answer arrives by callback."""
        raise NotImplementedError

    def refresh(self) -> None:
        """Read what the screen shows again."""
        self._stale = False
        self.load()

    def records_changed(self, changes: frozenset[str]) -> None:
        if not touches(changes, self.shows):
            return
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self.refresh()
