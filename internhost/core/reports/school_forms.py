"""Writing filled school forms to files: one intern's to a file, a school's to a
folder with a file per intern, each through the one output guard.

The batch reads each intern in a short session of its own (``services.school_forms
.fill_form`` as the acting user), so one failing intern is reported and the others
are still written; an existing file is kept (and reported) unless ``force``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import Actor
from internhost.core.errors import DomainError
from internhost.core.fileio import files, outputs
from internhost.core.progress import NO_PROGRESS, Progress
from internhost.core.services import school_forms
from internhost.core.storage import db
from internhost.core.text import fold

OP = "school form"


def file_slug(text: str, default: str = "intern") -> str:
    """``text`` in ASCII for a file name: letters by Unicode decomposition (Ł is l),
    other characters dropped, words joined by "-"; ``default`` if nothing is left."""
    slug = re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-")
    return slug[:60].strip("-") or default


def file_name(filled: school_forms.FilledForm) -> str:
    """``<intern id>-<intern>-<form>.pdf``."""
    intern = file_slug(filled.intern_name)
    return f"{filled.intern_id}-{intern}-{file_slug(filled.form_name, 'form')}.pdf"


def write_filled(
    filled: school_forms.FilledForm,
    target: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
) -> Path:
    with outputs.output_file(target, database, op=OP, field="--out") as stream:
        stream.write(filled.content)
    return Path(target)


@dataclass
class FillReport:
    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    failed: list[dict[str, object]] = field(default_factory=list)
    #: intern id -> the mapped fields left empty because the role may not see them.
    withheld: dict[int, list[str]] = field(default_factory=dict)


def fill_to_folder(
    factory: sessionmaker[Session],
    actor: Actor,
    form_id: int,
    folder: os.PathLike[str] | str,
    database: os.PathLike[str] | str,
    today: date,
    *,
    intern_ids: list[int] | None = None,
    flatten: bool | None = None,
    force: bool = False,
    progress: Progress = NO_PROGRESS,
    on_written: Callable[[Path], None] | None = None,
) -> FillReport:
    """The form filled for every intern of its school (or ``intern_ids``), a file each."""
    out = Path(folder).expanduser()
    # The folder itself, and what is written inside it (the backups folder is refused).
    files.check_output(out, database, field="--out")
    files.check_output(out / "form.pdf", database, field="--out")
    out.mkdir(parents=True, exist_ok=True)
    placements: dict[int, int] = {}
    if intern_ids is None:
        with db.read_session(factory, actor) as s:
            found = school_forms.form_interns(s, actor, form_id)
        intern_ids = [r.intern_id for r in found]
        placements = {r.intern_id: r.placement_id for r in found}
    report = FillReport()
    for done, intern_id in enumerate(intern_ids):
        progress.step(done, len(intern_ids), f"intern {intern_id}")
        try:
            with db.read_session(factory, actor) as s:
                filled = school_forms.fill_form(s, actor, form_id, intern_id, today, flatten)
            target = out / file_name(filled)
            if target.exists() and not force:
                report.kept.append(str(target))
                continue
            write_filled(filled, target, database)
        except (DomainError, OSError) as exc:
            report.failed.append(
                {
                    "intern_id": intern_id,
                    "placement_id": placements.get(intern_id),
                    "error": str(exc),
                }
            )
            continue
        report.written.append(str(target))
        if filled.withheld:
            report.withheld[intern_id] = list(filled.withheld)
        if on_written is not None:
            on_written(target)
    progress.step(len(intern_ids), len(intern_ids), "done")
    return report
