"""A batch over worker processes writes what one process would, names its failures,
and records every packet it wrote."""

from __future__ import annotations

from pathlib import Path

import pytest
from packetkit import TODAY, opened, prepare, syntax_ok
from sqlalchemy import func, select
from testkeys import TEST_KEY

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
