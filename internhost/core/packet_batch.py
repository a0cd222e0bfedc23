"""A batch of packets over several worker processes (``core.workers``): the app's batch
export and ``bench/packets.py`` run it so a 2-core machine renders two packets at once.

Each worker gets its share of the targets (every n-th), opens the database with the key
handed through its pipe, acts as the user who started the batch (at lower priority),
and writes each packet in its own unit of work exactly as ``services/packets.write_packet``
does for one, going on past a failing intern. The parent merges the shares and sums
their progress; Cancel reaches every worker.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from internhost.core.actor import Actor
from internhost.core.dto_packets import BatchResult, PacketFailure, PacketTarget, PacketWritten
from internhost.core.progress import NO_PROGRESS, Progress
from internhost.core.storage.db import DatabaseKey

TARGET = "internhost.core.packet_batch:write_share"
#: A batch of at least this many files goes over ``WORKERS`` worker processes (the
#: command's and the app's); a smaller one is written where it was asked.
WORKERS_FROM = 20
WORKERS = 2


def write_share(ctx: Any) -> dict[str, Any]:
    """Worker target: write the packets of ``ctx.args["targets"]`` into the folder."""
    from internhost.core.services import packets

    args = ctx.args
    today = date.fromisoformat(args["today"])
    folder = Path(args["folder"])
    written: list[dict[str, Any]] = []
    failed: list[dict[str, Any]] = []
    targets = [PacketTarget(**t) for t in args["targets"]]
    for n, t in enumerate(targets):
        ctx.stop_if_cancelled()
        ctx.progress(n, len(targets), t.intern_name)
        path = folder / packets.file_name(t)
        try:
            w = packets.write_packet_apart(
                ctx.factory,
                ctx.actor,
                t.intern_id,
                t.placement_id,
                path,
                ctx.db_path,
                today=today,
                kind=args["kind"],
                overwrite=args["overwrite"],
            )
            written.append(
                {
                    "path": str(w.path),
                    "kept": w.kept,
                    "pages": w.pages,
                    "verification": w.verification,
                    "intern_id": t.intern_id,
                    "placement_id": t.placement_id,
                }
            )
        except Exception as exc:  # the batch goes on; the parent reports it
            failed.append(
                {
                    "intern_id": t.intern_id,
                    "placement_id": t.placement_id,
                    "error": str(exc) or type(exc).__name__,
                }
            )
    ctx.progress(len(targets), len(targets), "")
    return {"written": written, "failed": failed}


def write_in_workers(
    db_path: os.PathLike[str] | str,
    key: DatabaseKey,
    actor: Actor,
    targets: list[PacketTarget],
    folder: Path,
    *,
    today: date,
    kind: str = "school",
    overwrite: bool = False,
    processes: int = 2,
    progress: Progress = NO_PROGRESS,
) -> BatchResult:
    """Write one packet per target into ``folder`` over ``processes`` workers."""
    from dataclasses import asdict

    from internhost.core.fileio import files
    from internhost.core.progress import Cancelled
    from internhost.core.workers import start_worker

    files.check_output(folder, db_path, field="--out")
    files.private_dir(folder)
    shares = [targets[i::processes] for i in range(max(1, processes))]
    workers = [
        start_worker(
            TARGET,
            db_path,
            key,
            actor,
            args={
                "targets": [asdict(t) for t in share],
                "folder": str(folder),
                "today": today.isoformat(),
                "kind": kind,
                "overwrite": overwrite,
            },
        )
        for share in shares
        if share
    ]
    done = [0] * len(workers)

    def report(index: int) -> Any:
        def on_progress(n: int, _total: int, step: str) -> None:
            done[index] = n
            try:
                progress.step(sum(done), len(targets), step)
            except Cancelled:
                for w in workers:
                    w.cancel()
                raise

        return on_progress

    results = [w.result(on_progress=report(i)) for i, w in enumerate(workers)]
    return BatchResult(
        tuple(
            PacketWritten(
                Path(w["path"]),
                kept=w["kept"],
                intern_id=w["intern_id"],
                placement_id=w["placement_id"],
                verification=w["verification"],
                pages=w["pages"],
            )
            for r in results
            for w in r["written"]
        ),
        tuple(PacketFailure(**f) for r in results for f in r["failed"]),
    )
