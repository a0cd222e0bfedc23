"""Has someone else written to the database? ``PRAGMA data_version`` on a connection of
the watcher's own: SQLite changes the value that connection sees whenever another
connection commits, whether in this process or another (the command line, a worker, a
second computer's app on a shared folder). The app asks every few seconds while idle
and refreshes what it shows.

The app's own writes go through other connections, so they count as changes too; the
app absorbs them (``absorb`` right after its commit, on the same worker thread), which
leaves only the others' writes. A write by someone else that lands between the app's
commit and its ``absorb`` (microseconds) is absorbed with it: the next change shows it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from internhost.core.storage.db import DatabaseKey


class ChangeWatch:
    """``changed()``: did another connection commit since the last look?"""

    def __init__(self, path: Path, key: DatabaseKey | None) -> None:
        self.path = path
        self.key = key
        self._conn: Any = None
        self._seen: int | None = None
        self._lock = threading.Lock()

    def _version(self) -> int:
        if self._conn is None:
            from internhost.core.storage import db  # not at import: the app starts without the ORM

            self._conn = db.connect_raw(self.path, self.key)
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def changed(self) -> bool:
        """True when someone else committed since the last ``changed`` or ``absorb``
        (never on the first look: that only notes where things stand)."""
        with self._lock:
            version = self._version()
            changed = self._seen is not None and version != self._seen
            self._seen = version
            return changed

    def absorb(self) -> None:
        """The app committed just now: that change is no news to it."""
        with self._lock:
            self._seen = self._version()

    def reset(self) -> None:
        """The file was replaced (a restore): watch the new one from here on."""
        with self._lock:
            self._close()
            self._seen = None

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
