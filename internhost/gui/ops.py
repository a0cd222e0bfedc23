"""The one way a screen reads or writes: ask, and get the answer by callback.

The GUI thread never opens a session (a slow disk, a lock held by a backup or a big
query would freeze the window). A screen asks ``ops.read(self, service, *args,
done=...)`` or ``ops.write(self, service, *args, done=..., changes={"intern"})``; the
service runs on the database worker (the ``TaskRunner``'s one thread) in one short
read session or one audited unit of work, and ``done(result)`` is called back on the
GUI thread. Like Anki's ``QueryOp``/``CollectionOp``:

- a callback whose ``owner`` widget was deleted meanwhile is dropped;
- a read asked with ``latest="search"`` drops its answer when a newer read with the
  same key and owner was asked since (search-as-you-type shows the last keystroke's);
- a write announces the record kinds it changed (``changed``), and every screen showing
  one of them reads again; others' writes (another process or computer) announce
  ``EVERYTHING``;
- a failure goes to ``failed(exc)``; without one, the user is told and the traceback of
  anything that looks like a bug is logged (tests make it raise instead).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget
from shiboken6 import isValid

from internhost.core.actor import Actor
from internhost.core.errors import DomainError
from internhost.gui.database import Database
from internhost.gui.errors import report
from internhost.gui.tasks import TaskRunner

T = TypeVar("T")
log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]

#: The record kinds a write announces and a screen says it shows (one word each).
KINDS: dict[str, str] = {
    "company": "the employer and its settings",
    "worksite": "worksites and their areas",
    "equipment": "the equipment register",
    "staff": "mentors, supervisors and HR contacts",
    "school": "partner schools and their coordinators",
    "calendar": "district calendars and terms",
    "intern": "interns, their guardians and documents",
    "placement": "placements, their assignments, status and badge",
    "shift": "planned shifts, absences and plant closures",
    "time_entry": "logged hours, their approval and closed pay periods",
    "checklist": "checklist items and their evidence",
    "finding": "stored findings, acknowledgements and overrides",
    "check_in": "check-ins, their notes, concerns, action items, cadences and topics",
    "plan": "the onboarding plan template",
    "progress": "goals, evaluations, site visits and how placements ended",
    "framework": "competency frameworks and their competencies",
    "account": "user accounts",
    "backup": "backups (made, restored, pruned)",
    "incident": "incidents and injuries, their notices and status",
    "packet": "packets printed (school packets and HR binders) and their records",
}
#: What a write announces when it cannot say, and what others' writes announce.
EVERYTHING: frozenset[str] = frozenset({"*"})


def kinds(names: Iterable[str]) -> frozenset[str]:
    """``names`` as a set, refusing a kind that is not in ``KINDS`` (a typo would
    silently refresh nothing)."""
    found = frozenset(names)
    unknown = found - set(KINDS) - EVERYTHING
    if unknown:
        raise ValueError(f"unknown record kinds: {sorted(unknown)}")
    return found


def touches(changes: frozenset[str], shown: Iterable[str]) -> bool:
    """Does a write that changed ``changes`` concern a screen showing ``shown``?"""
    return "*" in changes or not changes.isdisjoint(kinds(shown))


class Ops(QObject):
    """A window's reads and writes, one at a time on the database worker."""

    #: The record kinds a write changed (``EVERYTHING`` for others' writes).
    changed = Signal(object)

    #: Tests set this: a failure nobody handles raises in the slot (failing the test).
    raise_unhandled: ClassVar[bool] = False

    def __init__(self, database: Database, runner: TaskRunner, parent: QObject | None = None):
        super().__init__(parent)
        self.database = database
        self.runner = runner
        self._latest: dict[tuple[int, str], int] = {}
        self._asked = 0

    @property
    def actor(self) -> Actor:
        return self.database.actor

    def today(self) -> date:
        return self.database.today()

    def read(
        self,
        owner: QObject,
        service: Callable[..., T],
        *args: Any,
        done: Callable[[T], None],
        failed: Failed | None = None,
        latest: str | None = None,
        label: str = "",
        **kwargs: Any,
    ) -> None:
        """``service(session, actor, *args, **kwargs)`` in a read session on the worker;
        ``done(result)`` on the GUI thread, unless ``owner`` is gone or (with ``latest``)
        a newer read of the same key was asked since."""
        ticket = None
        if latest is not None:
            self._asked += 1
            ticket = ((id(owner), latest), self._asked)
            self._latest[ticket[0]] = self._asked
        self.runner.submit(
            self.database.read,
            service,
            *args,
            label=label,
            on_done=self._deliver(owner, done, ticket),
            on_error=self._deliver(owner, failed or partial(self.tell, owner), ticket),
            **kwargs,
        )

    def write(
        self,
        owner: QObject,
        service: Callable[..., T],
        *args: Any,
        done: Callable[[T], None] | None = None,
        failed: Failed | None = None,
        changes: Iterable[str] = EVERYTHING,
        label: str = "",
        **kwargs: Any,
    ) -> None:
        """``service(session, actor, *args, **kwargs)`` in one audited unit of work on
        the worker (rolled back whole if it raises); on success ``changed(changes)`` is
        announced, then ``done(result)`` is called if ``owner`` still exists."""
        announced = kinds(changes)

        def succeeded(result: Any) -> None:
            self.changed.emit(announced)
            if done is not None and isValid(owner):
                done(result)

        self.runner.submit(
            self.database.write,
            service,
            *args,
            label=label,
            on_done=succeeded,
            on_error=self._deliver(owner, failed or partial(self.tell, owner), None),
            **kwargs,
        )

    def call(
        self,
        owner: QObject,
        fn: Callable[..., T],
        *args: Any,
        done: Callable[[T], None],
        failed: Failed | None = None,
        label: str = "",
        steps: bool = False,
        **kwargs: Any,
    ) -> None:
        """Any other work on the database worker (a ``Database`` method such as
        ``backups``, or a core function given the path): the same delivery rules."""
        self.runner.submit(
            fn,
            *args,
            label=label,
            steps=steps,
            on_done=self._deliver(owner, done, None),
            on_error=self._deliver(owner, failed or partial(self.tell, owner), None),
            **kwargs,
        )

    def expected(self, owner: QObject, show: Failed, *errors: type[BaseException]) -> Failed:
        """A ``failed`` for a screen that shows some failures itself (``errors``; by
        default the domain errors: a refusal, a record gone): those go to ``show``,
        anything else to the default (the user is told; tests raise)."""
        shown = errors or (DomainError,)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, shown):
                show(exc)
            else:
                self.tell(owner, exc)

        return failed

    def announce(self, changes: Iterable[str] = EVERYTHING) -> None:
        """Tell every screen that ``changes`` changed (a dialog's save, others' writes,
        a restore)."""
        self.changed.emit(kinds(changes))

    def tell(self, owner: QObject, exc: BaseException) -> None:
        """What happens to a failure nobody handles (the default ``failed``, and what a
        ``failed`` that tidies up first calls): the user is told, and the traceback of
        anything that looks like a bug is logged; tests raise it instead."""
        if self.raise_unhandled:
            raise exc
        text = str(exc) if isinstance(exc, DomainError) else report(exc)
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "InternHost",
            text,
            parent=owner if isinstance(owner, QWidget) else None,
        )
        box.open()  # window-modal, not blocking: the event loop goes on

    def _deliver(
        self, owner: QObject, callback: Done, ticket: tuple[tuple[int, str], int] | None
    ) -> Done:
        def deliver(value: Any) -> None:
            if not isValid(owner):
                return
            if ticket is not None and self._latest.get(ticket[0]) != ticket[1]:
                return  # a newer read of the same kind was asked since
            callback(value)

        return deliver
