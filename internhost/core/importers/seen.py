"""Which line of the file first had each key: the memory of the cross-row checks.

Rows are checked a batch at a time and then let go, yet a student listed twice must
be caught however far apart the two rows are. As Python tuples in dicts, a row's
keys (school and student id; name and birth date) cost about 450 bytes (180 MB for
400,000 rows); in an in-memory SQLite table they cost under 100, exactly (no
hashing that could mistake one student for another), at a few microseconds a
look-up. The table lives in this process's memory only and goes with the import.
"""

from __future__ import annotations

import sqlite3


class FirstLines:
    """``first(kind, key)``: the line that first had ``key`` of ``kind``, if any."""

    def __init__(self) -> None:
        self._db = sqlite3.connect(":memory:")
        self._db.execute(
            "CREATE TABLE seen (kind INTEGER, key TEXT, line INTEGER, PRIMARY KEY (kind, key))"
            " WITHOUT ROWID"
        )

    def first(self, kind: int, key: str) -> int | None:
        row = self._db.execute("SELECT line FROM seen WHERE kind = ? AND key = ?", (kind, key))
        found = row.fetchone()
        return None if found is None else found[0]

    def add(self, kind: int, key: str, line: int) -> None:
        """Remember ``line`` for ``key`` unless an earlier line has it."""
        self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)", (kind, key, line))

    def close(self) -> None:
        self._db.close()
