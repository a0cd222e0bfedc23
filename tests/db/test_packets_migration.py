"""Revision 0007 gives a printed packet its intern (from its placement, for packets
printed before), its verification code, the chain head and the version it replaces;
a round trip keeps the old columns and the trail explains every row both ways."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

from proofkit import downgrade, verify_trail
from testkeys import TEST_KEY

from internhost.core.storage import db, migrate


def rows(path: Path, query: str, *args: object) -> list[tuple]:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return conn.execute(query, args).fetchall()


def _old_packet(path: Path) -> int:
    """A packet as InternHost wrote it before 0007 (placement only)."""
    ((placement, intern),) = rows(path, "SELECT id, intern_id FROM placements ORDER BY id LIMIT 1")
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        conn.execute(
            "INSERT INTO packet_exports (placement_id, kind, created_at, filename, sha256, "
            "page_count, rule_packs) VALUES (?, 'school', '2026-01-05 10:00:00', 'p.pdf', ?, 3, "
            "'{}')",
            (placement, "a" * 64),
        )
        conn.commit()
    return intern


def test_upgrade_fills_the_intern_of_an_older_packet(demo_path: Path) -> None:
    downgrade(demo_path, "0008_forms")
    assert "verification" not in {
        r[1] for r in rows(demo_path, "PRAGMA table_info(packet_exports)")
    }
    intern = _old_packet(demo_path)
    migrate.upgrade_to_head(demo_path, TEST_KEY)
    assert rows(
        demo_path,
        "SELECT intern_id, verification, chain_seq, chain_hash, replaces_id FROM packet_exports",
    ) == [(intern, "", None, "", None)]
    indexes = {r[1] for r in rows(demo_path, "PRAGMA index_list(packet_exports)")}
    assert "ix_packet_exports_intern_id" in indexes


def test_a_round_trip_keeps_the_packets_and_the_trail(demo_path: Path) -> None:
    downgrade(demo_path, "0008_forms")
    _old_packet(demo_path)
    migrate.upgrade_to_head(demo_path, TEST_KEY)
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        conn.execute("UPDATE packet_exports SET verification = 'ABCDEFGHJKMN', chain_seq = 7")
        conn.commit()
    downgrade(demo_path, "0008_forms")
    columns = {r[1] for r in rows(demo_path, "PRAGMA table_info(packet_exports)")}
    assert not columns & {"intern_id", "verification", "chain_seq", "chain_hash", "replaces_id"}
    assert rows(demo_path, "SELECT filename, page_count FROM packet_exports") == [("p.pdf", 3)]
    migrate.upgrade_to_head(demo_path, TEST_KEY)
    assert rows(demo_path, "SELECT verification, chain_seq FROM packet_exports") == [("", None)]


def test_the_trail_stays_whole_after_a_round_trip(demo_path: Path) -> None:
    downgrade(demo_path, "0008_forms")
    migrate.upgrade_to_head(demo_path, TEST_KEY)
    report = verify_trail(demo_path, TEST_KEY)
    assert report.ok, report.lines()
