"""The GUI's handle on an open database: engine, session factory, acting user, clock.

Qt-free, and free of SQLAlchemy at import time: ``open_home`` runs on the worker
thread and is the first thing to import the ORM, so the window can show before
~0.4 s of imports. Each use after that is one short session (``reading``), and
every result crossing back to the GUI is a DTO.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

from internhost.core import dto
from internhost.core.actor import Actor
from internhost.core.progress import NO_PROGRESS, Progress
from internhost.core.storage.db_watch import ChangeWatch

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine
    from sqlalchemy.orm import Session, sessionmaker

Clock = Callable[[], date]
T = TypeVar("T")
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Home:
    """What the first screen needs: an empty database gets the welcome page."""

    empty: bool
    dashboard: dto.Dashboard | None
    #: The onboarding wizard's page to resume at; None when finished or never started.
    wizard_page: str | None = None
    #: Why this database's location is unsafe (a network file system), else None.
    location_warning: str | None = None
    #: What was finished or removed after interrupted runs (``core.recovery``).
    notices: tuple[str, ...] = ()


class GuiThreadAccess(RuntimeError):
    """App code on the GUI thread touched the database (``docs/architecture.md`` §4)."""


#: What a database connection taken on the GUI thread by app code does: "warn" (the
#: app: a log line naming the caller), "raise" (the GUI tests: the test fails).
gui_thread_policy = "warn"

#: Not judged itself: the callers of this module's methods are.
_EXEMPT = ("internhost.gui.database",)


def _app_caller() -> str | None:
    """The innermost GUI module on the stack, as "module:line"; None when no app code
    is on it (a test reading the database directly to check what the app wrote)."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        name = frame.f_globals.get("__name__", "")
        if name.startswith("internhost.gui.") and name not in _EXEMPT:
            return f"{name}:{frame.f_lineno}"
        frame = frame.f_back
    return None


def _on_checkout(*_args: object) -> None:
    """A pool checkout: refused (or logged) when app code on the GUI thread asks."""
    if threading.current_thread() is not threading.main_thread():
        return
    caller = _app_caller()
    if caller is None:
        return
    message = f"the GUI thread touched the database ({caller}): use gui.ops"
    if gui_thread_policy == "raise":
        raise GuiThreadAccess(message)
    log.warning(message)


class Database:
    """An open database file, used by one GUI session."""

    def __init__(
        self,
        path: Path,
        engine: Engine,
        factory: sessionmaker[Session],
        actor: Actor,
        clock: Clock = date.today,
    ) -> None:
        self.path = path
        self.engine = engine
        self.factory = factory
        self.actor = actor
        self.clock = clock
        from sqlalchemy import event

        event.listen(engine, "checkout", _on_checkout)

    @classmethod
    def open(
        cls,
        path: Path,
        actor: Actor,
        clock: Clock = date.today,
        key: Any = None,
        *,
        upgrade: bool = True,
    ) -> Database:
        """Import the ORM and open the engine (slow: call it on the worker). ``key``:
        the database key; None asks ``gui.keychain`` (the keyring, on this thread).
        A database behind this app's schema is backed up and upgraded first, unless
        ``upgrade`` is False: before anyone logged in, nothing is written
        (``bring_up_to_date`` upgrades it once someone has)."""
        from internhost.core.services import dashboard, interns  # noqa: F401  (warm imports)
        from internhost.core.storage import db
        from internhost.gui import keychain

        key = key if key is not None else keychain.key_for(path)
        engine = db.make_engine(path, key, create=False)
        database = cls(path, engine, db.make_session_factory(engine), actor, clock)
        database.key = key
        if upgrade:
            database.admitted()
        return database

    @property
    def behind(self) -> bool:
        """Whether the file is at an older schema than this app's."""
        from internhost.core.storage import migrate

        return migrate.needs_upgrade(self.path, self.key)

    def admitted(self) -> None:
        """Someone is let in: the app's run note may now name it to other processes
        (``core.dblock``), and an older file is upgraded."""
        from internhost.core.storage import dblock

        if dblock.holding(self.path) is not None:
            dblock.announce(self.path)
        self.bring_up_to_date()

    def bring_up_to_date(self) -> None:
        """Back up and upgrade a file behind this app's schema (its connections close
        for it); nothing when it is current."""
        from internhost.core.storage import migrate

        if self.behind:
            self.engine.dispose()
            self.watch.reset()
            migrate.upgrade_to_head(self.path, self.key)

    def recover(self) -> tuple[str, ...]:
        """Finish or remove what interrupted runs left, as far as the user may."""
        from internhost.core.storage.recovery import recover

        try:
            return tuple(recover(self.path, self.actor))
        except Exception:  # the records must open even if this cannot run
            log.exception("finishing what interrupted runs left failed")
            return ()

    def today(self) -> date:
        return self.clock()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """One short read-only session for one screenful of data."""
        from internhost.core.storage.db import read_session

        with read_session(self.factory, self.actor) as s:
            yield s

    def read(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``service(session, actor, *args, **kwargs)`` in one short read session."""
        with self.reading() as s:
            return service(s, self.actor, *args, **kwargs)

    def write(self, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """``service(session, actor, *args, **kwargs)`` in one unit of work: audited, and
        rolled back whole when the service raises (its error comes back unchanged)."""
        from internhost.core.storage.db import unit_of_work

        try:
            with unit_of_work(self.factory, self.actor) as s:
                return service(s, self.actor, *args, **kwargs)
        finally:
            self.watch.absorb()  # our own change: no news to the screens

    @cached_property
    def watch(self) -> ChangeWatch:
        """Watches for others' writes; it connects on its first look."""
        return ChangeWatch(self.path, self.key)

    def changed_elsewhere(self) -> bool:
        """Has another connection (a command, a worker, another app) committed since
        the last look? Asked on the worker every few seconds while the app is idle."""
        return self.watch.changed()

    def home(self) -> Home:
        from internhost.core.services.dashboard import dashboard, is_empty
        from internhost.core.services.onboarding import wizard_position

        with self.reading() as s:
            if is_empty(s):
                return Home(empty=True, dashboard=None)
            return Home(
                empty=False,
                dashboard=dashboard(s, self.actor, self.today()),
                wizard_page=wizard_position(s),
            )

    def load_sample(self, actor: Actor, progress: Progress = NO_PROGRESS) -> Home:
        """Fill an empty database with the sample data set, then read the new home."""
        from internhost.core.sample import DEFAULT_SEED, DemoSizes, build_demo

        build_demo(
            self.factory,
            actor,
            DemoSizes(),
            seed=DEFAULT_SEED,
            today=self.today(),
            progress=progress,
        )
        return self.home()

    def sweep(self) -> int:
        """Re-check the interns whose birthday passed since the app last ran, or whose
        findings came from older rule packs; how many were re-checked. A failure here
        is logged, not fatal: the records must open even if a re-check cannot run."""
        from internhost.core.services.compliance import startup_sweep
        from internhost.core.storage.db import unit_of_work

        try:
            with unit_of_work(self.factory, self.actor) as s:
                return len(startup_sweep(s, self.actor, self.today()))
        except Exception:
            log.exception("the start-of-day compliance re-check failed")
            return 0

    def update_checklist_item(
        self, item_id: int, *, status: str, note: str | None = None
    ) -> dto.ChecklistRow:
        """Set a checklist item's status and note, in one unit of work (audited). The
        service checks permission and input: ``PermissionDenied``, ``ValidationError``
        or ``NotFound`` come back unchanged, and nothing is written."""
        from internhost.core.services.compliance import update_checklist_item
        from internhost.core.storage.db import unit_of_work

        with unit_of_work(self.factory, self.actor) as s:
            return update_checklist_item(s, self.actor, item_id, status=status, note=note)

    # -- backups -------------------------------------------------------------------

    #: The database key (SQLCipher) backups and restores use; None: not encrypted.
    key: Any = None

    def daily_backup(self) -> Any:
        """Today's automatic backup, once a day at start, then the 7-daily/4-weekly
        rotation (on the worker, after the first screen shows); None when not due."""
        from internhost.core.storage.backups import run_daily_backup

        return run_daily_backup(self.path, self.today(), key=self.key)

    def backups(self) -> list[Any]:
        from internhost.core.storage.backups import list_backups

        return list_backups(self.path)

    def backup_problems(self, paths: list[Path]) -> dict[Path, str]:
        """The backups among ``paths`` this database's key cannot restore, and why."""
        from internhost.core.storage.backups import key_problem

        found = {p: key_problem(p, self.key) for p in paths}
        return {p: problem for p, problem in found.items() if problem is not None}

    def back_up(self, dest: Path | None = None) -> Any:
        """A manual backup into the backups folder, or to ``dest``."""
        from internhost.core.storage.backups import make_backup

        return make_backup(self.path, dest, actor=self.actor, key=self.key)

    def restore(self, backup: Path) -> Any:
        """Replace the database with ``backup`` (its checks run first; a safety copy
        of the current file is kept). The engine's connections close for it and the
        next session reconnects to the restored file."""
        from internhost.core.storage.backups import restore

        self.engine.dispose()
        self.watch.reset()
        return restore(backup, self.path, actor=self.actor, key=self.key)

    def close(self) -> None:
        self.engine.dispose()
        self.watch.close()


def open_home(path: Path, actor: Actor, clock: Clock = date.today) -> tuple[Database, Home]:
    """Open ``path`` and read its first screen, in one worker task."""
    from dataclasses import replace

    from internhost.core.storage.fs_check import network_filesystem

    database = Database.open(path, actor, clock)
    try:
        notices = database.recover()
        database.sweep()
        home = database.home()
        return database, replace(home, location_warning=network_filesystem(path), notices=notices)
    except BaseException:
        database.close()
        raise
