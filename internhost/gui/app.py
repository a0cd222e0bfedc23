"""Start the app: resolve the database, upgrade it if needed, show the window, then load.

Startup is measured (``bench/``): the window must show about as fast as a bare Qt
window. So nothing here imports SQLAlchemy, the models or the keyring: an encrypted
database's first bytes are all that is read before the window shows; its key (from
the keyring), an upgrade when it is behind (rare: after an update) and the ORM all
come on the worker afterwards. Only a new or unencrypted database settles its key
(``gui.unlock``) and its schema up front.

``INTERNHOST_BENCH_IDLE=1``: print ``idle <time.perf_counter()> orm-before-show=0|1``
on the first event-loop turn after the window shows (the database load already
started), then quit with exit code 0. ``INTERNHOST_BENCH_IDLE=ready``: print
``ready <user name>`` once the first screen shows, or ``ready -`` when a login dialog
shows instead, then quit: the benchmark's check that a remembered login let the user
straight in.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from internhost.core.fileio import files
from internhost.core.storage import dblock, instance, migrate
from internhost.core.storage.db import DatabaseKey, resolve_db_path
from internhost.gui import theme, unlock
from internhost.gui.errors import describe_error, is_environment_error
from internhost.gui.main_window import MainWindow
from internhost.gui.tasks import TaskRunner

APP_NAME = "InternHost"
BENCH_ENV = "INTERNHOST_BENCH_IDLE"
EXIT_OK, EXIT_ENVIRONMENT = 0, 3


def run(db: str | None = None) -> int:
    """Run the app on ``db`` (else ``INTERNHOST_DB``, else the user data folder); exit code."""
    files.private_process()  # every file the app writes is its user's alone
    app = _application()
    try:
        # A path no database can be at (a link loop, a folder, a path through a
        # file, a name too long) is told in a message box, as an unreadable file is.
        path = resolve_db_path(db)
        # One app per database file: a second one gets a clear message, not a
        # corrupted file. Held until the process ends (the OS frees it on a crash).
        lock = instance.acquire(path)
        # Held shared for the app's lifetime, like every command's: a restore, rekey
        # or encryption started elsewhere waits for the app (and the app for it).
        # Its run note (naming the app to others) waits for the login (``session``).
        database_lock = dblock.acquire(path, "shared", what="the app", kind="app", announced=False)
        # A new database gets its key here and an unencrypted one is offered the
        # encryption; an encrypted one's key is read on the worker after the window
        # shows (keyring, or the passphrase dialog), which also upgrades it if needed.
        prepared = unlock.before_window(path)
        # A new file gets its schema now (its first run); an existing one is upgraded
        # only once someone has logged in (``gui.login_session.enter``).
        if prepared is not None and prepared.new and migrate.needs_upgrade(path, prepared.key):
            _upgrade(path, prepared.key)
    except unlock.Cancelled:
        return EXIT_OK
    except Exception as exc:
        if not is_environment_error(exc):
            raise
        _fatal(describe_error(exc))
        return EXIT_ENVIRONMENT

    window = MainWindow(path, actor=None)  # nobody yet: the session logs someone in
    window.instance_lock = lock
    window.database_lock = database_lock

    def failed(message: str) -> None:
        _fatal(message, window)
        app.exit(EXIT_ENVIRONMENT)

    window.failed.connect(failed)
    if prepared is not None:
        unlock.when_ready(window, path, prepared)
    window.show()
    orm_before_show = "sqlalchemy" in sys.modules
    # The ORM import starts on the first event-loop turn, after the first frame has
    # painted, on the DB worker; the startup benchmark stops the clock on that same
    # turn, once the load is under way (so its GIL contention is in the figure).
    QTimer.singleShot(0, window.open_database)
    if os.environ.get(BENCH_ENV) == "ready":
        window.ready.connect(lambda: _bench_ready(app, window))
        asked = QTimer(window)  # a login (or any) dialog instead: nobody was let in
        asked.timeout.connect(
            lambda: (
                (
                    QApplication.activeModalWidget() is not None
                    or (
                        window.login_session is not None and window.login_session.dialog is not None
                    )
                )
                and _bench_ready(app, window)
            )
        )
        asked.start(100)
    elif os.environ.get(BENCH_ENV):
        QTimer.singleShot(0, lambda: _bench_idle(app, orm_before_show))
    code = app.exec()
    # Let go as the app ends, so its run note goes with it (the OS would free the
    # locks anyway, and the next start would remove a note left behind).
    database_lock.release()
    lock.release()
    return code


def _application() -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    theme.apply(app)
    return app


def _bench_idle(app: QApplication, orm_before_show: bool) -> None:
    print(f"idle {time.perf_counter()} orm-before-show={int(orm_before_show)}", flush=True)
    app.exit(EXIT_OK)


def _bench_ready(app: QApplication, window: MainWindow) -> None:
    login = window.login_session.login if window.login_session is not None else None
    print(f"ready {login.account.username if login is not None else '-'}", flush=True)
    app.exit(EXIT_OK)


def _upgrade(path: Path, key: DatabaseKey) -> None:
    """Back up and upgrade (or create) the database on the worker; the runner shows a
    progress dialog if it takes more than half a second."""
    runner = TaskRunner()
    loop = QEventLoop()
    outcome: list[BaseException | None] = []

    def done(value: object) -> None:
        outcome.append(value if isinstance(value, BaseException) else None)
        loop.quit()

    label = "Creating the database…" if not path.exists() else "Updating the database…"
    runner.submit(migrate.upgrade_to_head, path, key, label=label, on_done=done, on_error=done)
    loop.exec()  # the callbacks are queued to this thread, so they cannot run before exec
    runner.wait()
    runner.deleteLater()
    if outcome[0] is not None:
        raise outcome[0]


def _fatal(message: str, parent: MainWindow | None = None) -> None:
    QMessageBox.critical(parent, APP_NAME, f"InternHost cannot open its database.\n\n{message}")
