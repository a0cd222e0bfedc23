"""Failed logins are audited and slowed down; a login comes before any write to an
older database (issue 11, items 8 and 10)."""

from __future__ import annotations

import json
import os
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from clikit import one_line
from proofkit import downgrade
from testkeys import TEST_KEY

from internhost import cli
from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import LoginFailed, LoginThrottled
from internhost.core.services import accounts
from internhost.core.storage import db
from internhost.core.trail import login_guard

HR = Actor(Role.HR_ADMIN, "hr", user_id=1)


@pytest.fixture
def demo(demo_path: Path) -> Any:
    engine = db.make_engine(demo_path, TEST_KEY)
    yield db.make_session_factory(engine)
    engine.dispose()


def _events(factory: Any, aggregate: str) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from internhost.core.models import AuditEvent

    with db.read_session(factory, SYSTEM) as s:
        rows = s.scalars(select(AuditEvent).where(AuditEvent.aggregate_type == aggregate))
        return [json.loads(e.payload) | {"_actor": e.actor_name} for e in rows]


def _fail(factory: Any, name: str, times: int, **kwargs: Any) -> None:
    for _ in range(times):
        with pytest.raises(LoginFailed):
            accounts.log_in(factory, name, "not the password", **kwargs)


def test_each_failed_login_is_audited_with_the_name_and_never_the_password(demo: Any) -> None:
    _fail(demo, "hr", 2)
    _fail(demo, "nobody.here", 1)  # an unknown name: the same refusal, counted too
    events = _events(demo, "login")
    assert [next(iter(e)) for e in events] == ["login:hr", "login:hr", "login:nobody.here"]
    assert [e["login:hr"]["after"]["failed_logins"] for e in events[:2]] == [1, 2]
    assert all("not the password" not in json.dumps(e) for e in events)
    with db.read_session(demo, SYSTEM) as s:
        counted = {f.username: f.count for f in login_guard.failures(s)}
    assert counted == {"hr": 2, "nobody.here": 1}


def test_after_five_failures_each_attempt_waits_longer_up_to_30_s(
    demo: Any, login_waits: list[float]
) -> None:
    _fail(demo, "viewer", login_guard.FREE_FAILURES)
    assert login_waits == []  # the free ones never wait
    _fail(demo, "viewer", 3)
    # Each waits its delay, counted from the failure before it (which took a moment).
    assert [min(d for d in (1, 2, 4, 8) if w <= d) for w in login_waits] == [1, 2, 4]
    assert all(w > d - 0.9 for w, d in zip(login_waits, (1, 2, 4), strict=True))
    assert [login_guard.delay_for(n) for n in range(5, 12)] == [1, 2, 4, 8, 16, 30, 30]
    # The right password still waits its turn, then clears the count.
    assert accounts.log_in(demo, "viewer", "demo").account.username == "viewer"
    assert 7 < login_waits[-1] <= 8
    with db.read_session(demo, SYSTEM) as s:
        assert login_guard.failures(s) == []
    accounts.log_in(demo, "viewer", "demo")
    assert len(login_waits) == 4  # no wait once cleared


def test_the_app_gets_a_countdown_instead_of_a_wait(demo: Any, login_waits: list[float]) -> None:
    _fail(demo, "mentor", login_guard.FREE_FAILURES + 1, wait=False)
    with pytest.raises(LoginThrottled, match=r"try again in \d+ s") as caught:
        accounts.log_in(demo, "mentor", "demo", wait=False)
    assert 1 <= caught.value.seconds <= 2 and login_waits == []


def test_hr_sees_the_delays_and_clears_one(demo: Any) -> None:
    _fail(demo, "viewer", 6)
    _fail(demo, "ghost", 1)
    with db.unit_of_work(demo, HR) as s:
        rows = {r.username: r for r in accounts.login_delays(s, HR)}
        assert rows["viewer"].failures == 6 and rows["viewer"].delay_seconds == 2
        assert rows["viewer"].known and not rows["ghost"].known
        assert accounts.clear_login_delay(s, HR, " Viewer ")
        assert not accounts.clear_login_delay(s, HR, "viewer")  # nothing left to clear
    with db.read_session(demo, SYSTEM) as s:
        assert [f.username for f in login_guard.failures(s)] == ["ghost"]
    cleared = _events(demo, "login")[-1]
    assert cleared["login:viewer"] == {"before": {"failed_logins": 6}, "after": None}
    assert cleared["_actor"] == "hr"


def test_a_flood_of_names_keeps_only_the_newest(demo: Any) -> None:
    with db.unit_of_work(demo, SYSTEM) as s:
        flood = {
            f"n{i}": {"count": 1, "last": f"2026-01-01T00:00:{i % 60:02d}"} for i in range(1200)
        }
        login_guard._save(s, flood)
    with db.read_session(demo, SYSTEM) as s:
        assert len(login_guard.failures(s)) == login_guard.MAX_TRACKED


def test_the_command_line_waits_then_exits_4(
    capsys: pytest.CaptureFixture[str],
    demo_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    login_waits: list[float],
) -> None:
    monkeypatch.setenv("INTERNHOST_PASSWORD", "wrong password")
    for _ in range(login_guard.FREE_FAILURES + 1):
        code = cli.main(["--db", str(demo_path), "export", "staff"])
        assert code == cli.EXIT_DENIED
        assert "unknown user or wrong password" in one_line(capsys.readouterr().err)
    assert len(login_waits) == 1


def test_a_wrong_login_never_upgrades_an_older_database(
    capsys: pytest.CaptureFixture[str], demo_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    downgrade(demo_path, "0002_audit_chain")
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = {p.name: p.read_bytes() for p in demo_path.parent.iterdir() if p.is_file()}
    for user, password in (("stranger", "anything at all"), ("hr", "wrong password")):
        monkeypatch.setenv("INTERNHOST_PASSWORD", password)
        code = cli.main(["--user", user, "--db", str(demo_path), "export", "staff"])
        assert code == cli.EXIT_DENIED, capsys.readouterr().err
    after = {p.name: p.read_bytes() for p in demo_path.parent.iterdir() if p.is_file()}
    # No upgrade, no pre-migration copy, nothing recorded, no run note: only the
    # (empty) lock file, which every command holds.
    written = {n for n in after if after[n] != before.get(n)}
    assert written <= {"demo.db.lock"} and after.get("demo.db.lock", b"") == b""
    assert not (demo_path.parent / "demo.db.runs").exists()
    assert db.schema_revision(demo_path, TEST_KEY) == "0002_audit_chain"

    monkeypatch.setenv("INTERNHOST_PASSWORD", "demo")
    assert cli.main(["--db", str(demo_path), "export", "staff"]) == 0
    from internhost.core.storage import migrate

    assert db.schema_revision(demo_path, TEST_KEY) == migrate.HEAD  # once logged in
    assert any(".pre-0002_audit_chain-" in n for n in os.listdir(demo_path.parent))


def test_demo_on_an_older_database_with_data_is_refused_before_any_upgrade(
    capsys: pytest.CaptureFixture[str], demo_path: Path
) -> None:
    downgrade(demo_path, "0002_audit_chain")
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = demo_path.read_bytes()
    assert cli.main(["--db", str(demo_path), "demo"]) == cli.EXIT_USAGE
    assert "already holds data" in one_line(capsys.readouterr().err)
    assert demo_path.read_bytes() == before
    assert not [n for n in os.listdir(demo_path.parent) if ".pre-" in n]
