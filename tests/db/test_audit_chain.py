"""The audit trail's hash chain: what breaks it, what a purge may do, the command.
(What the trail must explain about the data: ``test_audit_verify.py``.)"""

from __future__ import annotations

from contextlib import closing
from pathlib import Path

import pytest
from proofkit import verify_trail
from testkeys import TEST_KEY

from internhost import cli
from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import PermissionDenied
from internhost.core.services.audit_log import verify_audit_trail
from internhost.core.storage import db
from internhost.core.trail import audit_chain, audit_verify

HR = Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=7)
MENTOR = Actor(Role.MENTOR, "Maria Kowalski", user_id=8, staff_id=1)
VIEWER = Actor(Role.VIEWER, "Vic", user_id=9)


def report(path: Path) -> audit_verify.VerifyReport:
    return verify_trail(path, TEST_KEY)


def at(result: audit_verify.VerifyReport, seq: int) -> str:
    """The problems reported for event ``seq``, one per line."""
    return "\n".join(p.text for p in result.problems if p.text.startswith(f"seq {seq}: "))


def sql(path: Path, statement: str, *params: object) -> None:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        conn.execute(statement, params)
        conn.commit()


def seqs(path: Path) -> list[int]:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return [r[0] for r in conn.execute("SELECT seq FROM audit_events ORDER BY seq")]


def test_the_sample_data_set_verifies(demo_path: Path) -> None:
    result = report(demo_path)
    assert result.ok and result.problems == () and result.lines() == []
    assert result.events == len(seqs(demo_path)) > 100
    assert result.summary().startswith(f"Audit trail intact: {result.events} events")


def test_an_empty_database_verifies(db_path: Path) -> None:
    assert report(db_path) == audit_verify.VerifyReport(0, 0)


def test_a_tampered_payload_is_detected(demo_path: Path) -> None:
    target = seqs(demo_path)[40]
    sql(demo_path, "UPDATE audit_events SET payload = '{\"x\":1}' WHERE seq = ?", target)
    assert "the payload was changed" in at(report(demo_path), target)


def test_a_deleted_event_is_detected(demo_path: Path) -> None:
    all_seqs = seqs(demo_path)
    sql(demo_path, "DELETE FROM audit_events WHERE seq = ?", all_seqs[10])
    result = report(demo_path)
    assert "was deleted, inserted or moved" in at(result, all_seqs[11])
    # One broken link, one line: the events after it are judged on their own links.
    assert not [p for p in result.problems if p.text.startswith(f"seq {all_seqs[12]}:")]


def test_deleting_the_newest_events_is_detected(demo_path: Path) -> None:
    all_seqs = seqs(demo_path)
    sql(demo_path, "DELETE FROM audit_events WHERE seq >= ?", all_seqs[-2])
    assert "the newest events (after seq" in at(report(demo_path), all_seqs[-2])


def test_a_reordered_seq_is_detected(demo_path: Path) -> None:
    a, b = seqs(demo_path)[20:22]
    sql(demo_path, "UPDATE audit_events SET seq = -1 WHERE seq = ?", a)
    sql(demo_path, "UPDATE audit_events SET seq = ? WHERE seq = ?", a, b)
    sql(demo_path, "UPDATE audit_events SET seq = ? WHERE seq = -1", b)
    result = report(demo_path)
    assert at(result, a) and at(result, b)


def test_an_edited_actor_is_detected(demo_path: Path) -> None:
    target = seqs(demo_path)[5]
    sql(demo_path, "UPDATE audit_events SET actor_name = 'Someone else' WHERE seq = ?", target)
    assert "actor" in at(report(demo_path), target)


def test_a_recomputed_hash_still_breaks_the_next_link(demo_path: Path) -> None:
    target = seqs(demo_path)[5]
    sql(demo_path, "UPDATE audit_events SET entry_hash = ? WHERE seq = ?", "f" * 64, target)
    result = report(demo_path)
    assert "entry hash" in at(result, target) and "does not follow" in at(result, target + 1)


def test_a_purged_payload_keeps_its_link_but_needs_a_purge_to_account_for_it(
    demo_path: Path,
) -> None:
    target = seqs(demo_path)[7]
    sql(
        demo_path,
        "UPDATE audit_events SET payload = ?, purged_at = '2030-01-01 00:00:00' WHERE seq = ?",
        audit_chain.PURGED_PAYLOAD,
        target,
    )
    # The chain holds (the hash stays), but no purge event blanked it.
    assert at(report(demo_path), target) == (
        f"seq {target}: its values were purged, but no purge event accounts for it"
    )
    # ...and a purged event may not hold a different payload
    sql(demo_path, "UPDATE audit_events SET payload = '{\"a\":2}' WHERE seq = ?", target)
    assert "holds a payload again" in at(report(demo_path), target)


def test_new_events_continue_the_chain(factory) -> None:
    from internhost.core.models import District

    for name in ("One", "Two"):
        with db.unit_of_work(factory, SYSTEM) as s:
            s.add(District(name=name))
    with db.read_session(factory, HR) as s:
        result = audit_verify.verify(s)
    assert result.ok and result.events == 2 and result.rows == 2


@pytest.mark.parametrize("actor", [MENTOR, VIEWER])
def test_only_hr_verifies(factory, actor: Actor) -> None:
    with db.read_session(factory, actor) as s, pytest.raises(PermissionDenied):
        verify_audit_trail(s, actor)


def test_the_command_exits_0_when_intact_and_1_when_broken(demo_path: Path, capsys) -> None:
    assert cli.main(["--db", str(demo_path), "audit", "verify"]) == 0
    assert "intact" in capsys.readouterr().out
    target = seqs(demo_path)[3]
    sql(demo_path, "UPDATE audit_events SET operation = 'nothing' WHERE seq = ?", target)
    assert cli.main(["--db", str(demo_path), "audit", "verify"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"seq {target}: ") and "operation" in out[0]
    assert out[-1] == "Audit trail BROKEN: 1 problem"


def test_the_command_refuses_a_mentor(demo_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("INTERNHOST_USER", "mentor")
    assert cli.main(["--db", str(demo_path), "audit", "verify"]) == 4
    assert "audit" in capsys.readouterr().err


def test_an_upgraded_database_verifies(demo_path: Path) -> None:
    """Events written before the chain existed are linked by the migration."""
    import io

    from alembic import command

    from internhost.core.storage import migrate

    engine = db.make_engine(demo_path, TEST_KEY, create=False)
    try:
        with engine.begin() as conn:
            cfg = migrate._alembic_config()
            cfg.attributes["connection"] = conn
            cfg.stdout = io.StringIO()
            command.downgrade(cfg, "0001_baseline")
    finally:
        engine.dispose()
    sql(demo_path, "UPDATE audit_events SET payload_hash = NULL, prev_hash = NULL")
    assert db.schema_revision(demo_path, TEST_KEY) == "0001_baseline"
    migrate.upgrade_to_head(demo_path, TEST_KEY)
    result = report(demo_path)
    assert result.ok, result.lines()
    assert result.events == len(seqs(demo_path)) > 100
