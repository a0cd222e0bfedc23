"""What the import dialog runs on the database worker, and what it hands it.

Qt-free: the steps read the database only through ``gui.ops`` (its read sessions
run the core's services); the dry run and the commit are one call each of the
core's import (the roster's or the time clock's), given here the user's choices
and the task's progress.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from internhost.core.importers import preview
from internhost.core.importers.preview import FilePreview
from internhost.core.importers.result import ImportReport
from internhost.core.progress import NO_PROGRESS, Progress
from internhost.gui.database import Database
from internhost.gui.dialogs.import_roster.kinds import ROSTER, ImportKind, options_for

#: The record kinds a committed roster import changed (``gui.ops.KINDS``): interns
#: with their contacts, their placements, and each new placement's legal checklist.
CHANGES = ROSTER.changes


@dataclass(frozen=True)
class Options:
    """The file step's choices, as ``import_roster`` takes them."""

    school: str | None = None
    update_existing: bool = False
    skip_invalid: bool = False


def run_import(
    database: Database,
    path: Path,
    file: FilePreview,
    prepared: preview.Prepared,
    options: Options,
    *,
    dry_run: bool,
    progress: Progress = NO_PROGRESS,
    kind: ImportKind = ROSTER,
) -> ImportReport:
    """The core import of the file at ``path`` as the mapping step read it (a file
    changed since is refused): a dry run (read-only) or the all-or-nothing commit,
    reporting a step per batch of the rows the mapping step counted."""
    return kind.run(
        database.factory,
        database.actor,
        Path(path),
        **options_for(kind, options.school, options.update_existing),
        mappings=prepared.mappings,
        ignore=prepared.ignore,
        digest=file.digest,
        dry_run=dry_run,
        skip_invalid=options.skip_invalid,
        today=database.today(),
        expected_rows=file.rows,
        progress=progress,
    )
