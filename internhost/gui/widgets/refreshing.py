"""Screens that stay current: each reads what it shows again when a write announces
one of its record kinds (``gui.ops``): at once when it is on screen, when it is next
shown otherwise, so a hidden screen costs nothing until it is looked at."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
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

    def refresh_when_shown(self) -> None:
        """Read again now if on screen, else when next shown."""
        if self.isVisible():  # type: ignore[attr-defined]
            self.refresh()
        else:
            self._stale = True

    def records_changed(self, changes: frozenset[str]) -> None:
        if touches(changes, self.shows):
            self.refresh_when_shown()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)  # type: ignore[misc]
        if self._stale:
            self.refresh()


class InternTab(Refreshing):
    """A tab of the intern page: it shows one intern (``intern_id``). ``follow_intern``
    turns it to another (or reads the same one again), ``forget()`` clears what the
    last one showed, and ``read_intern`` asks for the intern's data as of today."""

    ops: Ops | None
    intern_id: int | None = None

    def forget(self) -> None:
        """Clear the rows of the intern shown before (a tab with rows overrides it)."""

    def follow_intern(self, intern_id: int) -> None:
        if intern_id != self.intern_id:
            self.forget()
        self.intern_id = intern_id
        self.refresh_when_shown()

    def read_intern(self, service: Callable[..., Any], done: Callable[[Any], None]) -> None:
        """``service(s, actor, intern_id, today)`` on the worker, then ``done(answer)``;
        an answer overtaken by a newer read of this tab is dropped."""
        if self.ops is None or self.intern_id is None:
            return
        owner: QObject = self  # type: ignore[assignment]  # the QWidget it precedes
        self.ops.read(
            owner, service, self.intern_id, self.ops.today(), done=done, latest=type(self).__name__
        )
