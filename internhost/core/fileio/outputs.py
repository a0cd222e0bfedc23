"""The one way to write a file someone asked for: an export, a recovery sheet, a
packet. Guarded, journalled and atomic, in that order:

1. ``files.check_output``: never the database or anything of it (exit 2);
2. the work file is journalled in this process's run note (``core.runs``), so if the
   process is killed half-way the next permitted user's start removes it;
3. ``files.atomic_writer``: owner-only, written whole and renamed, or nothing.

Backups are written by ``db.backup_to`` (SQLite's backup API), which follows the
same three steps with ``backups.make_backup`` doing the guarding.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any, BinaryIO, Literal, TextIO, overload

from internhost.core.fileio import files
from internhost.core.storage import runs


@overload
def output_file(
    target: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
    *,
    op: str,
    mode: Literal["w"],
    field: str = "path",
) -> AbstractContextManager[TextIO]: ...
@overload
def output_file(
    target: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
    *,
    op: str,
    mode: Literal["wb"] = "wb",
    field: str = "path",
) -> AbstractContextManager[BinaryIO]: ...
@contextmanager
def output_file(
    target: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
    *,
    op: str,
    mode: Literal["w", "wb"] = "wb",
    field: str = "path",
) -> Iterator[Any]:  # IO[Any]: the overloads say which by the mode
    """``target`` opened for writing (text mode: UTF-8, no newline translation);
    ``field`` names the input in the error when the path is the database's."""
    path = files.check_output(target, database, field=field)
    partial = files.partial_path(path)
    with (
        runs.working(database, op, [partial]),
        files.atomic_writer(path, mode, partial=partial) as stream,
    ):
        yield stream
