"""A batch over worker processes writes what one process would, names its failures,
and records every packet it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from packetkit import TODAY, opened, prepare, syntax_ok
from sqlalchemy import func, select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM
from internhost.core.models import PacketExport
from internhost.core.packet_batch import write_in_workers
from internhost.core.services import packets
from internhost.core.storage import db


@pytest.mark.slow
def test_two_workers_write_a_schools_packets(demo_path: Path, tmp_path: Path) -> None:
    with opened(demo_path) as factory:
        case = prepare(factory, demo_path)
        with db.read_session(factory, case.hr) as s:
            targets = packets.packet_targets(s, case.hr, every=True)[:5]
        result = write_in_workers(
            demo_path, TEST_KEY, case.hr, targets, tmp_path / "out", today=TODAY, processes=2
        )
        assert not result.failed
        names = sorted(w.path.name for w in result.written)
        assert names == sorted(packets.file_name(t) for t in targets)
        for w in result.written:
            syntax_ok(w.path.read_bytes())
        with db.read_session(factory, case.hr) as s:
            assert s.scalar(select(func.count(PacketExport.id))) == len(targets)


@pytest.mark.slow
def test_every_placement_of_the_sample_renders_for_each_role(demo_path: Path) -> None:
    """Every placement as HR, the mentor's own as the mentor, all as the viewer: each a
    valid PDF whose footer names its code (a smoke proof over real, varied records)."""
    from packetkit import actors

    with opened(demo_path) as factory:
        with db.read_session(factory, SYSTEM) as s:
            who = actors(s)
            everyone = packets.packet_targets(s, who["hr"], every=True)
            mine = {t.placement_id for t in packets.packet_targets(s, who["mentor"], every=True)}
        assert everyone and mine and len(mine) < len(everyone)
        for role in ("hr", "mentor", "viewer"):
            actor = who[role]
            for t in everyone:
                if role == "mentor" and t.placement_id not in mine:
                    continue
                with db.read_session(factory, actor) as s:
                    r = packets.render_school_packet(s, actor, t.intern_id, t.placement_id, TODAY)
                syntax_ok(r.content)


def test_cancel_stops_a_batch_between_packets(demo_path: Path, tmp_path: Path) -> None:
    from internhost.core.progress import Cancelled, Progress

    with opened(demo_path) as factory:
        case = prepare(factory, demo_path)
        with db.read_session(factory, case.hr) as s:
            targets = packets.packet_targets(s, case.hr, every=True)[:4]
        steps: list[int] = []
        progress = Progress(lambda done, total, text: steps.append(done), lambda: len(steps) >= 2)
        with pytest.raises(Cancelled):
            packets.write_batch(
                factory,
                case.hr,
                targets,
                tmp_path / "out",
                demo_path,
                today=TODAY,
                progress=progress,
            )
        assert len(list((tmp_path / "out").iterdir())) == 2
        with db.read_session(factory, case.hr) as s:
            assert s.scalar(select(func.count(PacketExport.id))) == 2
