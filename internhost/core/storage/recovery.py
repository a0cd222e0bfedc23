"""What interrupted runs left behind, finished or removed once someone may.

A process killed half-way through writing (an export, a backup, a restore, an
encryption, a rekey) leaves its run note behind, with a journal of its work files and
of any conversion under way (``core.runs``). The next start of the app or command by
a logged-in user who is permitted to do what was interrupted calls ``recover``: it
removes exactly the files the journal names (shredding unencrypted ones), finishes
or undoes the conversion (``encryption.finish``), and returns sentences that say so.
What the user may not do stays journalled for someone who may. Nothing is removed
because its name looks like a work file; and a journal naming a file that does not
look like one (a note someone edited) is not trusted with it either.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from internhost.core.actor import Actor, Permission
from internhost.core.fileio import files
from internhost.core.storage import runs

#: Who may clean up after each operation: whoever may do it.
CLEANED_BY: dict[str, Permission] = {"export": Permission.READ_RECORDS}
_DEFAULT = Permission.MAINTAIN_DATABASE
#: What a work file's name looks like: the writers' hidden partial files and
#: conversion copies, and the unencrypted copy an encryption keeps.
_WORK_NAME = re.compile(
    r"(^\..+\.([0-9a-f]{8}\.partial|restoring|encrypting|rekeying|converting)"
    r"|\.unencrypted-\d{8}T\d{6}Z[^.]*(\.[^.]+)?)(-journal|-wal|-shm)?$"
)


def _is_work_file(path: Path) -> bool:
    return bool(_WORK_NAME.search(path.name))


def recover(db_path: os.PathLike[str] | str, actor: Actor) -> list[str]:
    """Finish or remove what interrupted runs on ``db_path`` left, as far as
    ``actor`` may; one sentence per thing done (empty: nothing was left)."""
    from internhost.core.storage import encryption

    path = Path(os.path.abspath(db_path))
    done: list[str] = []
    for note in runs.interrupted_runs(path):
        kept = []
        for entry in note.work:
            op = str(entry.get("op", ""))
            if not actor.can(CLEANED_BY.get(op, _DEFAULT)):
                kept.append(entry)
                continue
            left = [p for p in runs.entry_files(entry) if _is_work_file(p) and p.exists()]
            files.shred_or_remove(*left)
            if left:
                names = ", ".join(str(p) for p in left[:3]) + (" …" if len(left) > 3 else "")
                done.append(
                    f"Removed what {note.describe()} left when it was interrupted "
                    f"({op}, {len(left)} file(s)): {names}"
                )
        note.work = kept
        if note.pending is not None and actor.can(_DEFAULT):
            done.append(encryption.finish(path, note.pending) + f" (left by {note.describe()})")
            note.pending = None
        runs.settle(path, note)
    return done
