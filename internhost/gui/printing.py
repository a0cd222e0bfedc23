"""What the app's printing runs on the database worker (Qt-free, so it is tested
without a window): render a packet or a form for the preview, save what was
previewed, and run a batch of packets as ``internhost packet`` does.

The screens call these through ``ops.call`` (``steps=True`` where the work reports
steps and may be cancelled); they reach the database only through the ``Database``
they are given, as the logged-in user. Saving goes through the services, so the
output guard refuses the database and its backups, and a packet saved is recorded
(``PacketExport``) with what the preview showed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from internhost.core.actor import Actor, Permission
from internhost.core.dto_forms import FormContent, FormInfo
from internhost.core.dto_packets import BatchResult, PacketFailure, PacketTarget, PacketWritten
from internhost.core.errors import NotFound
from internhost.core.progress import NO_PROGRESS, Progress

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from internhost.core.services.packets import Rendered
    from internhost.gui.database import Database

SCHOOL = "school"
HR = "hr"
KIND_LABELS = {SCHOOL: "School packet", HR: "HR binder"}


# -- one document, previewed


@dataclass(frozen=True)
class Preview:
    """A rendered document the preview shows and may save: its PDF bytes, its page
    count, the file name the command line would give it, and what saving needs (a
    packet's render, recorded when saved; or a form's content)."""

    title: str
    content: bytes
    pages: int
    file_name: str
    packet: Rendered | None = None
    form: FormContent | None = None
    #: What the preview says under its title (the verification code, what it replaces).
    note: str = ""


@dataclass(frozen=True)
class SavedFile:
    """A previewed document written: where, and its record for a packet."""

    path: Path
    written: PacketWritten | None = None


def _target(s: Session, actor: Actor, intern_id: int, placement_id: int | None) -> PacketTarget:
    from internhost.core.services import packets

    (target,) = packets.packet_targets(s, actor, intern_id=intern_id, placement_id=placement_id)
    return target


def _render(
    s: Session, actor: Actor, kind: str, intern_id: int, placement_id: int | None, today: Any
) -> tuple[PacketTarget, Rendered]:
    from internhost.core.services import binders, packets

    target = _target(s, actor, intern_id, placement_id)
    render = binders.render_hr_binder if kind == HR else packets.render_school_packet
    return target, render(s, actor, intern_id, target.placement_id, today)


def render_packet(
    database: Database,
    kind: str,
    intern_id: int,
    placement_id: int | None = None,
    *,
    progress: Progress = NO_PROGRESS,
) -> Preview:
    """Render one packet (``school``, or ``hr`` for the binder) for the preview: nothing
    is written or recorded until it is saved. Cancel drops the render once it is done
    (a render cannot stop half-way; the answer is thrown away)."""
    from internhost.core.reports.packet import shown_code
    from internhost.core.services import packets

    if kind not in KIND_LABELS:
        raise NotFound(f"no packet kind {kind!r}")
    progress.step(0, 1, "Reading the records and drawing the pages")
    target, rendered = database.read(_render, kind, intern_id, placement_id, database.today())
    progress.step(1, 1, "")
    note = f"Verification {shown_code(rendered.meta.verification)}"
    if rendered.replaces is not None:
        note += f" · replaces the version with code {shown_code(rendered.replaces[1])}"
    return Preview(
        title=f"{KIND_LABELS[kind]}: {target.intern_name}",
        content=rendered.content,
        pages=rendered.pages,
        file_name=packets.file_name(target),
        packet=rendered,
        note=note,
    )


def form_file_name(name: str, intern_id: int | None) -> str:
    """A form's default file name: ``<form>.pdf`` blank, ``<form>-<intern id>.pdf``
    pre-filled."""
    return f"{name}.pdf" if intern_id is None else f"{name}-{intern_id}.pdf"


def render_form(
    database: Database,
    name: str,
    intern_id: int | None = None,
    placement_id: int | None = None,
    *,
    progress: Progress = NO_PROGRESS,
) -> Preview:
    """Render a form for the preview, blank (no intern) or pre-filled for the intern's
    placement (the one given, else their latest), as ``internhost form`` does."""
    import io

    from internhost.core.reports.forms.render import render_form as draw
    from internhost.core.services.forms import form_content

    progress.step(0, 1, "Filling in the form")
    content = database.read(
        form_content,
        name,
        today=database.today(),
        intern_id=intern_id,
        placement_id=placement_id,
    )
    out = io.BytesIO()
    draw(out, content)
    progress.step(1, 1, "")
    data = out.getvalue()
    return Preview(
        title=f"{content.title}: {content.about or 'blank form'}",
        content=data,
        pages=_pages(data),
        file_name=form_file_name(name, intern_id),
        form=content,
    )


def _pages(content: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def save_preview(database: Database, preview: Preview, path: Path) -> SavedFile:
    """Write what the preview showed to ``path``: a packet through
    ``packets.save_rendered`` (in one unit of work: written and recorded, or neither),
    a form through the output guard. The database, its companions and its backups
    are refused, whatever the name."""
    from internhost.core.services import packets

    if preview.packet is not None:
        written = database.write(packets.save_rendered, preview.packet, path, database.path)
        return SavedFile(written.path, written)
    from internhost.core.fileio.outputs import output_file

    target = Path(path).expanduser()
    with output_file(target, database.path, op="form", field="file") as f:
        f.write(preview.content)
    return SavedFile(target)


# -- the forms a role may have pre-filled


@dataclass(frozen=True)
class FormChoice:
    """A form offered on the intern's page: pre-filled when the role may see all it
    shows, else blank only, ``why`` says so."""

    info: FormInfo
    prefill: bool
    why: str = ""


def form_choices(actor: Actor) -> list[FormChoice]:
    """The nine forms, each saying whether this role may have it pre-filled."""
    from internhost.core.reports.forms.texts import form_text
    from internhost.core.services.forms import PREFILL_NEEDS, list_forms

    out = []
    for info in list_forms():
        missing = [
            need
            for need in form_text(info.name).get("needs", ())
            if not actor.can(PREFILL_NEEDS[need])
        ]
        why = ""
        if missing:
            what = " and ".join(need.replace("_", " ") for need in missing)
            why = f"It shows {what}, which your role may not see: you may print it blank."
        out.append(FormChoice(info, not missing, why))
    return out


# -- batches


@dataclass(frozen=True)
class BatchRequest:
    """A batch asked for in the app: a school's placements, or chosen interns."""

    folder: Path
    kind: str = SCHOOL
    combined: bool = False
    overwrite: bool = False
    school_id: int | None = None
    intern_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class BatchOutcome:
    """What a batch did, with the interns' names for its summary."""

    folder: Path
    result: BatchResult
    names: dict[int, str] = field(default_factory=dict)
    in_workers: bool = False

    @property
    def written(self) -> list[PacketWritten]:
        return [w for w in self.result.written if not w.kept]

    @property
    def kept(self) -> list[PacketWritten]:
        return [w for w in self.result.written if w.kept]

    def counts(self) -> str:
        return (
            f"{len(self.written)} written, {len(self.kept)} kept, {len(self.result.failed)} failed."
        )

    def failure_lines(self) -> list[str]:
        """Each failure: the intern (name and id), the placement and the error."""
        lines = []
        for f in self.result.failed:
            who = self.names.get(f.intern_id, "")
            name = f"{who} (intern {f.intern_id})" if who else f"Intern {f.intern_id}"
            where = f", placement {f.placement_id}" if f.placement_id is not None else ""
            lines.append(f"{name}{where}: {f.error}")
        return lines


def batch_targets(
    s: Session, actor: Actor, request: BatchRequest
) -> tuple[list[PacketTarget], list[PacketFailure]]:
    """The packets a request makes (a binder per intern), and the chosen interns who
    make none (not found, or no placement), as failures to report."""
    from internhost.core.services import packets

    if request.school_id is not None:
        targets = packets.packet_targets(s, actor, school_id=request.school_id)
        return (packets.per_intern(targets) if request.kind == HR else targets), []
    targets, failed = [], []
    for intern_id in request.intern_ids:
        try:
            targets += packets.packet_targets(s, actor, intern_id=intern_id)
        except NotFound as exc:
            failed.append(PacketFailure(intern_id, None, str(exc)))
    return targets, failed


def run_batch(
    database: Database,
    request: BatchRequest,
    *,
    progress: Progress = NO_PROGRESS,
    workers_from: int | None = None,
) -> BatchOutcome:
    """Write a batch into ``request.folder`` as ``internhost packet`` does: from
    ``workers_from`` files on (by default the command's threshold) over worker
    processes acting as the logged-in user (the key through their pipe), else on this
    worker; one combined file per school with ``combined``. The folder is checked by
    the output guard first; a failing intern is reported and the rest written."""
    from internhost.core.actor import require
    from internhost.core.fileio import files
    from internhost.core.services import packets

    actor = database.actor
    require(actor, Permission.PRINT_PACKETS)
    if request.kind == HR:
        require(actor, Permission.PRINT_HR_BINDER)
    folder = files.check_output(request.folder, database.path, field="folder")
    targets, missing = database.read(batch_targets, request)
    names = {t.intern_id: t.intern_name for t in targets}
    today = database.today()
    from internhost.core.packet_batch import WORKERS, WORKERS_FROM

    threshold = WORKERS_FROM if workers_from is None else workers_from
    in_workers = not request.combined and len(targets) >= threshold
    if not targets:
        result = BatchResult((), ())
    elif in_workers:
        from internhost.core.packet_batch import write_in_workers

        result = write_in_workers(
            database.path,
            database.key,
            actor,
            targets,
            folder,
            today=today,
            kind=request.kind,
            overwrite=request.overwrite,
            processes=WORKERS,
            progress=progress,
        )
    else:
        result = packets.write_batch(
            database.factory,
            actor,
            targets,
            folder,
            database.path,
            today=today,
            kind=request.kind,
            combined=request.combined,
            overwrite=request.overwrite,
            progress=progress,
        )
    result = BatchResult(result.written, (*missing, *result.failed))
    return BatchOutcome(folder, result, names, in_workers)
