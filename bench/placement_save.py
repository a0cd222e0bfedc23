"""Saving a placement with its check, on the 5,000-intern sample (issue 13 §1).

What HR waits for after pressing Save in the placement editor: ``save_placement`` in
one audited unit of work, as the app's database worker runs it (validation, the
write, the intern's re-check with the placement's own check and its planned and
logged hours, the status the findings allow, the commit). Each run edits a real
placement (its required hours, then back), so every save writes and re-checks.
Target: median <= 100 ms. Also timed, for the record: the editor's preview of the
same form (``preview_placement``, a read), which runs as the form changes.

The database is the one ``bench/startup.py`` uses (5,000 interns, two weeks of
shifts a term, checked), built once under ``bench/.cache``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time as clock
from dataclasses import replace
from datetime import date
from pathlib import Path

from _common import BENCH_KEY, generated_db, median, report
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core.actor import SYSTEM
from internhost.core.models import Placement, Shift, UserAccount
from internhost.core.services import placements
from internhost.core.services.accounts import actor_for
from internhost.core.storage import db

TARGET_MS = 100.0
#: Inside the sample's first term, when its placements are under way.
TODAY = date(2025, 10, 15)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--interns", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    source = generated_db(args.interns, weeks=2)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        shutil.copyfile(source, path)
        engine = db.make_engine(path, BENCH_KEY)
        factory = db.make_session_factory(engine)
        try:
            saves, previews = _run(factory, args.runs)
        finally:
            engine.dispose()
    print(f"saving a placement with its check on {args.interns:,} interns, {args.runs} runs")
    save_ms = median(saves)
    report("save_placement (median)", save_ms, "ms", f"<= {TARGET_MS:.0f}", save_ms <= TARGET_MS)
    report("save_placement (slowest)", max(saves), "ms", "-", True)
    preview_ms = median(previews)
    report("preview_placement (median)", preview_ms, "ms", "-", True)


def _run(factory: sessionmaker[Session], runs: int) -> tuple[list[float], list[float]]:
    with db.read_session(factory, SYSTEM) as s:
        hr = actor_for(s.scalars(select(UserAccount).where(UserAccount.username == "hr")).one())
        # A placement with planned shifts: its intern's re-check has the most to do.
        placement_id = s.scalar(
            select(Placement.id)
            .join(Shift, Shift.placement_id == Placement.id)
            .group_by(Placement.id)
            .order_by(func.count(Shift.id).desc(), Placement.id)
            .limit(1)
        )
        data = placements.placement_input(s, hr, placement_id)
    saves, previews = [], []
    for run in range(runs + 1):  # the first warms the caches (packs, statements)
        edited = replace(data, required_hours=(data.required_hours or 0) + run % 2)
        started = clock.perf_counter()
        with db.unit_of_work(factory, hr) as s:
            placements.save_placement(s, hr, edited, placement_id, today=TODAY)
        saved = (clock.perf_counter() - started) * 1000
        started = clock.perf_counter()
        with db.read_session(factory, hr) as s:
            placements.preview_placement(s, hr, edited, placement_id, today=TODAY)
        previewed = (clock.perf_counter() - started) * 1000
        if run:
            saves.append(saved)
            previews.append(previewed)
    return saves, previews


if __name__ == "__main__":
    main()
