"""``audit verify``: the trail must explain the data, purges must be accounted for,
and a backup's chain must be extended by the live one. Each class of tampering is
tried with several members, also by someone who rebuilds the hash chain after
tampering (the chain alone would then pass), and each must give its line."""

from __future__ import annotations

import json
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from proofkit import downgrade, verify_trail
from testkeys import TEST_KEY

from internhost import cli
from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.models import InternContact
from internhost.core.services import retention
from internhost.core.storage import backups, db
from internhost.core.trail import audit_chain, audit_verify
from internhost.core.trail.audit_hmac import SECRET_KEY

HR = Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=1)


def report(path: Path) -> audit_verify.VerifyReport:
    return verify_trail(path, TEST_KEY)


def texts(path: Path) -> list[str]:
    return [p.text for p in report(path).problems]


def sql(path: Path, *statements: str | tuple[str, tuple[Any, ...]]) -> None:
    """Change the file as an attacker holding the key would: raw SQL, no app."""
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("BEGIN")
        for statement in statements:
            text, params = statement if isinstance(statement, tuple) else (statement, ())
            conn.execute(text, params)
        conn.execute("COMMIT")


def one(path: Path, query: str, *params: Any) -> Any:
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        return conn.execute(query, params).fetchone()


def rechain(path: Path) -> None:
    """Rebuild every link and the head from the events as they now are, as someone
    holding the key would after tampering: the chain then verifies on its own."""
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        rows = conn.execute(
            "SELECT seq, occurred_at, actor_kind, actor_user_id, actor_name, operation, action,"
            " aggregate_type, aggregate_id, payload, payload_hash, purged_at"
            " FROM audit_events ORDER BY seq"
        ).fetchall()
        prev, last = audit_chain.GENESIS, 0
        conn.execute("BEGIN")
        for (
            seq,
            occurred,
            kind,
            uid,
            name,
            op,
            action,
            agg,
            agg_id,
            payload,
            digest,
            purged,
        ) in rows:
            digest = digest if purged else audit_chain.payload_hash(payload)
            moment = datetime.fromisoformat(occurred).replace(tzinfo=UTC)
            entry = audit_chain.entry_hash(
                prev, seq, moment, kind, uid, name, op, action, agg, agg_id, digest
            )
            conn.execute(
                "UPDATE audit_events SET payload_hash = ?, prev_hash = ?, entry_hash = ?"
                " WHERE seq = ?",
                (digest, prev, entry, seq),
            )
            prev, last = entry, seq
        conn.execute("DELETE FROM app_state WHERE key = ?", (audit_chain.HEAD_KEY,))
        if rows:
            conn.execute(
                "INSERT INTO app_state (key, value) VALUES (?, ?)",
                (audit_chain.HEAD_KEY, f"{last}:{prev}"),
            )
        conn.execute("COMMIT")


def seq_naming(path: Path, key: str, *, create: bool) -> int:
    """The seq of the newest event that creates (``create``) or names record ``key``."""
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        found = [
            seq
            for seq, payload in conn.execute("SELECT seq, payload FROM audit_events ORDER BY seq")
            if key in (records := json.loads(payload))
            and (records[key]["before"] is None or not create)
        ]
    return found[-1]


# -- a clean trail


def test_the_sample_verifies_clean_and_says_what_it_checked(demo_path: Path) -> None:
    result = report(demo_path)
    assert result.ok, result.lines()
    rows = sum(
        one(demo_path, f'SELECT count(*) FROM "{table}"')[0]
        for table in ("interns", "intern_contacts", "placements", "shifts", "user_accounts")
    )
    assert result.rows > rows > 1000
    assert result.summary() == (
        f"Audit trail intact: {result.events} events, every link verified; "
        f"{result.rows} records, each explained by its events"
    )


def test_demo_from_the_command_line_then_verify(capsys, tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    assert cli.main(["--db", str(path), "demo"]) == 0
    capsys.readouterr()
    assert cli.main(["--db", str(path), "audit", "verify"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("Audit trail intact: ")


def test_a_purge_of_the_sample_is_accounted_for(demo_path: Path) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    try:
        today = date(2029, 6, 1)
        with db.read_session(factory, HR) as s:
            proposal = retention.propose_purge(s, HR, today)
        with db.unit_of_work(factory, HR) as s:
            result = retention.purge(s, HR, today, proposal.intern_ids)
    finally:
        engine.dispose()
    assert result.audit_events_blanked > 10
    assert report(demo_path).ok, report(demo_path).lines()
    # A payload blanked by hand beside the purge's is not accounted for.
    unpurged = one(demo_path, "SELECT min(seq) FROM audit_events WHERE purged_at IS NULL")[0]
    sql(
        demo_path,
        (
            "UPDATE audit_events SET payload = ?, purged_at = '2030-01-01' WHERE seq = ?",
            (audit_chain.PURGED_PAYLOAD, unpurged),
        ),
    )
    problems = texts(demo_path)
    assert f"seq {unpurged}: its values were purged, but no purge event accounts for it" in problems


def test_events_that_name_no_rows_stay_valid(demo_path: Path) -> None:
    """Settings in app_state and failed logins are audited with ``add_event``: they
    name no audited row, so there is nothing for them to explain."""
    from internhost.core.trail import audit

    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
            audit.add_event(
                s, ("login", None), "update", {"login:hr": {"before": None, "after": {"n": 1}}}
            )
            audit.add_event(
                s, ("retention", None), "update", {"app_state:x": {"before": {}, "after": {}}}
            )
    finally:
        engine.dispose()
    result = report(demo_path)
    assert result.ok, result.lines()


def test_a_reused_id_lives_again(demo_path: Path) -> None:
    """SQLite gives a deleted row's id to the next row: each create starts a new life."""
    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    try:
        with db.unit_of_work(factory, SYSTEM) as s:
            newest = s.get(InternContact, one(demo_path, "SELECT max(id) FROM intern_contacts")[0])
            intern_id, gone = newest.intern_id, newest.id
            s.delete(newest)
        with db.unit_of_work(factory, SYSTEM) as s:
            again = InternContact(intern_id=intern_id, kind="emergency", name="Neighbor")
            s.add(again)
            s.flush()
            assert again.id == gone
    finally:
        engine.dispose()
    assert report(demo_path).ok
    sql(demo_path, ("UPDATE intern_contacts SET name = 'Someone' WHERE id = ?", (gone,)))
    assert texts(demo_path) == [
        f"intern_contacts {gone}: differs from its last audit event "
        f"(seq {seq_naming(demo_path, f'intern_contacts:{gone}', create=True)}): "
        'name is "Someone", the trail says "Neighbor"'
    ]


# -- rows the trail does not explain


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("interns", "legal_last_name", "'Smith'"),
        ("interns", "birth_date", "'2012-01-01'"),
        ("interns", "created_at", "'2020-01-01 00:00:00'"),
        ("intern_contacts", "phone", "'(815) 555-0000'"),
        ("placements", "hourly_rate_cents", "2000"),
        ("placements", "archived_at", "'2026-01-01 00:00:00'"),
        ("shifts", "end_local", "'2025-10-14 23:00:00.000000'"),
        ("checklist_items", "status", "'waived'"),  # the sample's first is done
        ("work_tasks", "details", "'{\"trips\": 99}'"),
    ],
)
def test_a_row_edited_directly_names_the_column(
    demo_path: Path, table: str, column: str, value: str
) -> None:
    row_id = one(demo_path, f"SELECT min(id) FROM {table}")[0]
    before = one(demo_path, f"SELECT {column} FROM {table} WHERE id = ?", row_id)[0]
    sql(demo_path, (f"UPDATE {table} SET {column} = {value} WHERE id = ?", (row_id,)))
    assert one(demo_path, f"SELECT {column} FROM {table} WHERE id = ?", row_id)[0] != before
    [line] = texts(demo_path)
    assert line.startswith(f"{table} {row_id}: differs from its last audit event (seq ")
    assert f"{column} is " in line and ", the trail says " in line


def test_a_value_set_where_the_trail_has_none(demo_path: Path) -> None:
    row_id = one(demo_path, "SELECT min(id) FROM interns WHERE archived_at IS NULL")[0]
    sql(demo_path, ("UPDATE interns SET archived_at = '2026-02-01' WHERE id = ?", (row_id,)))
    [line] = texts(demo_path)
    assert line.endswith('archived_at is "2026-02-01T00:00:00+00:00", the trail says null')


def test_a_row_inserted_without_an_event(demo_path: Path) -> None:
    intern = one(demo_path, "SELECT min(id) FROM interns")[0]
    sql(
        demo_path,
        (
            "INSERT INTO intern_contacts (intern_id, kind, name, relationship, phone, email,"
            " position, may_authorize_treatment) VALUES (?, 'guardian', 'Eve', '', '', '', 9, 0)",
            (intern,),
        ),
    )
    new = one(demo_path, "SELECT max(id) FROM intern_contacts")[0]
    assert texts(demo_path) == [f"intern_contacts {new}: exists, but no audit event records it"]


def test_a_row_deleted_without_an_event(demo_path: Path) -> None:
    contact = one(demo_path, "SELECT min(id) FROM intern_contacts")[0]
    last = seq_naming(demo_path, f"intern_contacts:{contact}", create=False)
    sql(demo_path, ("DELETE FROM intern_contacts WHERE id = ?", (contact,)))
    assert texts(demo_path) == [
        f"intern_contacts {contact}: is gone, but no audit event deleted it "
        f"(its last event is seq {last})"
    ]


def test_a_deleted_row_put_back(demo_path: Path) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
            contact = s.get(InternContact, 1)
            saved = {c: getattr(contact, c) for c in ("intern_id", "kind", "name")}
            s.delete(contact)
    finally:
        engine.dispose()
    deleted = one(demo_path, "SELECT max(seq) FROM audit_events")[0]
    sql(
        demo_path,
        (
            "INSERT INTO intern_contacts (id, intern_id, kind, name, relationship, phone, email,"
            " position, may_authorize_treatment) VALUES (1, ?, ?, ?, '', '', '', 0, 0)",
            tuple(saved.values()),
        ),
    )
    assert texts(demo_path) == [
        f"intern_contacts 1: exists, but its last audit event, seq {deleted}, deleted it"
    ]


def test_a_swapped_password_hash_is_found_and_not_shown(demo_path: Path) -> None:
    hr, viewer = (
        one(
            demo_path,
            "SELECT id, password_hash, password_salt FROM user_accounts WHERE username = ?",
            n,
        )
        for n in ("hr", "viewer")
    )
    sql(
        demo_path,
        (
            "UPDATE user_accounts SET password_hash = ?, password_salt = ? WHERE id = ?",
            (hr[1], hr[2], viewer[0]),
        ),
    )
    [line] = texts(demo_path)
    assert line.startswith(f"user_accounts {viewer[0]}: differs from its last audit event")
    assert line.endswith(
        "password_hash is not the value recorded (redacted: not shown); "
        "password_salt is not the value recorded (redacted: not shown)"
    )
    assert hr[1].hex() not in line and "hmac:" not in line


def test_a_missing_secret_is_named(demo_path: Path) -> None:
    sql(demo_path, ("DELETE FROM app_state WHERE key = ?", (SECRET_KEY,)))
    assert texts(demo_path) == [
        f"app_state {SECRET_KEY}: missing or damaged, so redacted values (password hashes) "
        "cannot be checked"
    ]


# -- a trail wiped, cut or rewritten


def test_every_event_and_the_head_deleted(demo_path: Path) -> None:
    sql(
        demo_path,
        "DELETE FROM audit_events",
        ("DELETE FROM app_state WHERE key = ?", (audit_chain.HEAD_KEY,)),
    )
    result = report(demo_path)
    assert result.events == 0 and not result.ok
    assert len(result.problems) == result.rows > 1000
    assert result.problems[0].text.endswith(": exists, but no audit event records it")


def test_the_head_deleted_with_events_left(demo_path: Path) -> None:
    last = one(demo_path, "SELECT max(seq) FROM audit_events")[0]
    sql(demo_path, ("DELETE FROM app_state WHERE key = ?", (audit_chain.HEAD_KEY,)))
    assert texts(demo_path) == [f"seq {last}: the chain's head is missing"]


def test_the_head_deleted_is_not_healed_by_the_next_save(demo_path: Path) -> None:
    """The app keeps working, but the event it writes next shows the break for good."""
    last = one(demo_path, "SELECT max(seq) FROM audit_events")[0]
    sql(demo_path, ("DELETE FROM app_state WHERE key = ?", (audit_chain.HEAD_KEY,)))
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
            s.add(InternContact(intern_id=1, kind="emergency", name="After the head went"))
    finally:
        engine.dispose()
    assert texts(demo_path) == [f"seq {last + 1}: {audit_chain.RESTARTED}"]


@pytest.mark.parametrize("keep", [1, 40])
def test_the_trail_truncated_and_its_head_moved(demo_path: Path, keep: int) -> None:
    """The chain of what is left is whole: only the data shows the cut."""
    seq, digest = one(
        demo_path,
        "SELECT seq, entry_hash FROM audit_events ORDER BY seq LIMIT 1 OFFSET ?",
        keep - 1,
    )
    sql(
        demo_path,
        ("DELETE FROM audit_events WHERE seq > ?", (seq,)),
        ("UPDATE app_state SET value = ? WHERE key = ?", (f"{seq}:{digest}", audit_chain.HEAD_KEY)),
    )
    result = report(demo_path)
    assert result.events == keep
    assert not any(p.text.startswith("seq ") for p in result.problems)
    assert "shifts 1: exists, but no audit event records it" in [p.text for p in result.problems]


def test_events_deleted_in_the_middle_and_the_chain_rebuilt(demo_path: Path) -> None:
    create = seq_naming(demo_path, "interns:5", create=True)
    sql(demo_path, ("DELETE FROM audit_events WHERE seq BETWEEN ? AND ?", (create - 2, create)))
    rechain(demo_path)
    problems = texts(demo_path)
    assert not [p for p in problems if p.startswith("seq ")]  # a consistent chain
    assert "interns 5: exists, but no audit event records it" in problems


def test_a_create_event_deleted(demo_path: Path) -> None:
    """The record's later event remains, so it has a life without a create."""
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
            s.get(InternContact, 2).phone = "(815) 555-0123"
    finally:
        engine.dispose()
    create = seq_naming(demo_path, "intern_contacts:2", create=True)
    update = seq_naming(demo_path, "intern_contacts:2", create=False)
    assert update > create
    sql(demo_path, ("DELETE FROM audit_events WHERE seq = ?", (create,)))
    rechain(demo_path)
    problems = texts(demo_path)
    assert (
        f"intern_contacts 2: has no create event (its first audit event, seq {update}, "
        "is an update)"
    ) in problems


@pytest.mark.parametrize("blank", ['{"purged":true}', "{}", '{"interns:1":null}'])
def test_an_event_blanked_and_the_chain_rebuilt(demo_path: Path, blank: str) -> None:
    create = seq_naming(demo_path, "interns:1", create=True)
    sql(demo_path, ("UPDATE audit_events SET payload = ? WHERE seq = ?", (blank, create)))
    assert any(p.startswith(f"seq {create}: the payload was changed") for p in texts(demo_path))
    rechain(demo_path)
    assert "interns 1: exists, but no audit event records it" in texts(demo_path)


def test_an_event_marked_purged_with_its_hash_kept(demo_path: Path) -> None:
    """The purge's own form, on an event no purge blanked: the chain holds."""
    create = seq_naming(demo_path, "interns:2", create=True)
    sql(
        demo_path,
        (
            "UPDATE audit_events SET payload = ?, purged_at = '2030-01-01' WHERE seq = ?",
            (audit_chain.PURGED_PAYLOAD, create),
        ),
    )
    problems = texts(demo_path)
    assert f"seq {create}: its values were purged, but no purge event accounts for it" in problems
    assert "interns 2: exists, but no audit event records it" in problems


def test_an_intern_edited_and_its_event_rewritten_to_match(demo_path: Path) -> None:
    """Rewriting the create event too (and the chain) explains the row again: what
    no check of the file alone can catch. A backup kept elsewhere catches it."""
    saved = demo_path.with_name("kept-elsewhere.db")
    backups.make_backup(demo_path, saved, actor=SYSTEM, key=TEST_KEY)
    create = seq_naming(demo_path, "interns:3", create=True)
    payload = one(demo_path, "SELECT payload FROM audit_events WHERE seq = ?", create)[0]
    records = json.loads(payload)
    records["interns:3"]["after"]["legal_last_name"] = "Rewritten"
    sql(
        demo_path,
        "UPDATE interns SET legal_last_name = 'Rewritten' WHERE id = 3",
        (
            "UPDATE audit_events SET payload = ? WHERE seq = ?",
            (
                json.dumps(records, sort_keys=True, separators=(",", ":"), ensure_ascii=False),
                create,
            ),
        ),
    )
    rechain(demo_path)
    assert report(demo_path).ok
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        with db.read_session(db.make_session_factory(engine), HR) as s:
            result = audit_verify.verify_against(s, saved, TEST_KEY)
    finally:
        engine.dispose()
    assert f"seq {create}: differs from the backup's (its entry hash is not the same)" in [
        p.text for p in result.problems
    ]


@pytest.mark.parametrize(
    "payload",
    [
        '{"interns:1":{"before":null,"after":{"grade":[1,2],"legal_last_name":{"x":1}}}}',
        '{"interns:\u00b2":{"before":null,"after":{}},"interns:-1":{"before":null,"after":{}}}',
        '{"interns:1":{"before":{},"after":5},"interns":{"before":null,"after":[]}}',
        "[1,2,3]",
        '"text"',
        '{"purge":{"before":null,"after":{"blanked_seqs":["x",true],"deleted":{"interns":"1"}}}}',
    ],
)
def test_a_forged_payload_is_reported_not_a_crash(demo_path: Path, payload: str) -> None:
    """Whatever JSON someone writes into the trail (and rechains), verify reads it."""
    create = seq_naming(demo_path, "interns:1", create=True)
    sql(
        demo_path,
        (
            "UPDATE audit_events SET payload = ?, aggregate_type = 'retention' WHERE seq = ?",
            (payload, create),
        ),
    )
    rechain(demo_path)
    problems = texts(demo_path)  # the intern's event also created its contacts and placement
    assert any(p.startswith("interns 1: ") for p in problems), problems
    assert all(p.split(":")[0] in REPORTED for p in problems), problems


#: The records of intern 1's create event in the sample.
REPORTED = {"interns 1", "intern_contacts 1", "intern_contacts 2", "placements 1"}


#: Values the app never writes, stuffed into the file by hand: unreadable as their
#: column's type, or bytes in a text column.
UNREADABLE = (
    "UPDATE interns SET birth_date = 'garbage', created_at = 'nonsense' WHERE id = 2",
    "UPDATE intern_contacts SET name = X'DEADBEEF', position = 1.5 WHERE id = 3",
    "UPDATE work_tasks SET details = '{not json' WHERE id = 2",
)


def test_unreadable_values_are_reported_not_a_crash(demo_path: Path) -> None:
    sql(demo_path, *UNREADABLE)
    problems = texts(demo_path)
    assert [p.split(":")[0] for p in problems] == ["intern_contacts 3", "interns 2", "work_tasks 2"]
    assert 'birth_date is "garbage", the trail says "' in problems[1]
    assert 'created_at is "nonsense"' in problems[1]
    assert 'name is {"sha256": "' in problems[0] and "position is 1.5" in problems[0]
    assert 'details is "{not json"' in problems[2]


def test_a_value_cannot_forge_a_line(demo_path: Path) -> None:
    sql(demo_path, "UPDATE interns SET legal_last_name = 'X\u202e\nseq 1: fine' WHERE id = 1")
    [line] = texts(demo_path)
    assert "\n" not in line and "\u202e" not in line
    assert 'legal_last_name is "X\\u202e\\nseq 1: fine"' in line


# -- the output


def test_at_most_20_lines_then_a_count(demo_path: Path, capsys) -> None:
    sql(demo_path, "UPDATE interns SET grade = 3")
    interns = one(demo_path, "SELECT count(*) FROM interns")[0]
    assert interns == 24
    assert cli.main(["--db", str(demo_path), "audit", "verify"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 21
    assert [line.split(":")[0] for line in out[:20]] == [f"interns {i}" for i in range(1, 21)]
    assert all("grade is 3, the trail says" in line for line in out[:20])
    assert out[20] == "… and 4 more problems (24 in all)"


def test_the_command_prints_one_line_per_problem_and_a_count(demo_path: Path, capsys) -> None:
    sql(demo_path, "UPDATE interns SET grade = 3 WHERE id IN (1, 2)")
    assert cli.main(["--db", str(demo_path), "audit", "verify"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in out] == [
        "interns 1",
        "interns 2",
        "Audit trail BROKEN",
    ]
    assert out[-1] == "Audit trail BROKEN: 2 problems"


# -- against a backup


def test_backup_prints_its_head_and_verify_against_it_passes(
    demo_path: Path, tmp_path: Path, capsys
) -> None:
    saved = tmp_path / "offline.db"
    assert cli.main(["--db", str(demo_path), "backup", str(saved)]) == 0
    seq, digest = one(demo_path, "SELECT seq, entry_hash FROM audit_events ORDER BY seq DESC")
    out = capsys.readouterr().out
    assert f"audit chain's head: seq {seq}, hash {digest[:12]}" in out
    assert audit_verify.head_of_file(saved, TEST_KEY) == audit_chain.ChainHead(seq, digest)

    # The app keeps writing (and purging: hashes stay): the chain still extends the backup's.
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        factory = db.make_session_factory(engine)
        today = date(2029, 6, 1)
        with db.read_session(factory, HR) as s:
            proposal = retention.propose_purge(s, HR, today)
        with db.unit_of_work(factory, HR) as s:
            retention.purge(s, HR, today, proposal.intern_ids[:3])
    finally:
        engine.dispose()
    before = saved.read_bytes()
    code = cli.main(["--db", str(demo_path), "audit", "verify", "--against", str(saved)])
    out = capsys.readouterr().out.splitlines()
    assert code == 0, out
    assert out == [out[0]] and f"it extends the backup's chain (head seq {seq}, hash" in out[0]
    assert saved.read_bytes() == before  # only read


@pytest.mark.parametrize("how", ["newest events replaced", "old event rewritten"])
def test_verify_against_a_backup_whose_chain_diverged(
    demo_path: Path, tmp_path: Path, capsys, how: str
) -> None:
    saved = tmp_path / "offline.db"
    backups.make_backup(demo_path, saved, actor=SYSTEM, key=TEST_KEY)
    last = one(demo_path, "SELECT max(seq) FROM audit_events")[0]
    if how == "newest events replaced":
        # The newest events deleted, the head moved back, then new writes on top.
        sql(demo_path, ("DELETE FROM audit_events WHERE seq > ?", (last - 3,)))
        rechain(demo_path)
        engine = db.make_engine(demo_path, TEST_KEY)
        try:
            with db.unit_of_work(db.make_session_factory(engine), SYSTEM) as s:
                for n in range(3):
                    s.add(InternContact(intern_id=1, kind="emergency", name=f"Filler {n}"))
        finally:
            engine.dispose()
        changed = [last - 2, last - 1, last]
    else:
        sql(demo_path, "UPDATE audit_events SET actor_name = 'Nobody' WHERE seq = 5")
        rechain(demo_path)
        changed = list(range(5, last + 1))
    code = cli.main(["--db", str(demo_path), "audit", "verify", "--against", str(saved)])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    seq_lines = [line for line in out[:-1] if line.startswith("seq ")]
    assert [int(line.split(":")[0].split()[1]) for line in seq_lines] == changed[:20]
    diverged = ("differs from the backup's (its entry hash", "is in the backup, but not in the")
    assert all(any(d in line for d in diverged) for line in seq_lines), seq_lines
    assert "differs from the backup's" in seq_lines[0]


def test_verify_against_what_is_not_a_backup_exits_2(
    demo_path: Path, tmp_path: Path, capsys
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    code = cli.main(["--db", str(demo_path), "audit", "verify", "--against", str(junk)])
    _out, err = capsys.readouterr()
    assert code == 2 and err.startswith("internhost: ") and len(err.splitlines()) == 1


# -- a database from before this check


def as_written_before_0003(path: Path) -> None:
    """Make the trail what the app wrote before 0003: redacted values as "[redacted]",
    bulk inserts without their defaults and timestamps, no updated_at entries."""
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        rows = conn.execute("SELECT seq, payload FROM audit_events").fetchall()
        conn.execute("BEGIN")
        for seq, payload in rows:
            records = json.loads(payload)
            for change in records.values():
                for side in ("before", "after"):
                    values = change.get(side) if isinstance(change, dict) else None
                    for column in list(values or ()):
                        if str(values[column]).startswith("hmac:"):
                            values[column] = "[redacted]"
                        elif column in ("created_at", "updated_at", "note", "email"):
                            del values[column]
            conn.execute(
                "UPDATE audit_events SET payload = ? WHERE seq = ?", (json.dumps(records), seq)
            )
        conn.execute("COMMIT")


def test_a_0002_database_explains_its_data_after_the_upgrade(demo_path: Path) -> None:
    from internhost.core.storage import migrate

    downgrade(demo_path, "0002_audit_chain")
    assert one(demo_path, "SELECT count(*) FROM app_state WHERE key = ?", SECRET_KEY)[0] == 0
    as_written_before_0003(demo_path)
    # What the old app (or anyone) may have left unexplained: an edit, a row with no
    # event, a row gone without one, and an old purge that listed nothing.
    contact = one(demo_path, "SELECT max(id) FROM intern_contacts")[0]
    blanked = seq_naming(demo_path, f"intern_contacts:{contact}", create=True)
    sql(
        demo_path,
        "UPDATE interns SET grade = 7 WHERE id = 4",
        "INSERT INTO districts (name, state) VALUES ('Added by hand', 'IL')",
        *UNREADABLE,
        "DELETE FROM work_tasks WHERE id = 1",
        ("DELETE FROM intern_contacts WHERE id = ?", (contact,)),
        (
            "UPDATE audit_events SET payload = ?, purged_at = '2026-01-01' WHERE seq = ?",
            (audit_chain.PURGED_PAYLOAD, blanked),
        ),
    )
    rechain(demo_path)
    events = one(demo_path, "SELECT count(*) FROM audit_events")[0]

    migrate.upgrade_to_head(demo_path, TEST_KEY)

    result = report(demo_path)
    assert result.ok, result.lines()
    assert one(demo_path, "SELECT count(*) FROM app_state WHERE key = ?", SECRET_KEY)[0] == 1
    with closing(db.connect_raw(demo_path, TEST_KEY)) as conn:
        baseline = dict(
            conn.execute(
                "SELECT seq, payload FROM audit_events WHERE operation = ?",
                ("upgrade 0003: audit baseline",),
            ).fetchall()
        )
    assert min(baseline) > events
    entries = {k: e for payload in baseline.values() for k, e in json.loads(payload).items()}
    assert entries["interns:4"]["after"]["grade"] == 7
    assert entries["work_tasks:1"] == {"before": {}, "after": None}
    added = one(demo_path, "SELECT id FROM districts WHERE name = 'Added by hand'")[0]
    assert entries[f"districts:{added}"]["before"] is None
    assert entries["purge"]["after"] == {"blanked_seqs": [blanked], "deleted": {}}
    hr = one(demo_path, "SELECT id FROM user_accounts WHERE username = 'hr'")[0]
    account = entries[f"user_accounts:{hr}"]
    assert account["before"]["password_hash"] == "[redacted]"
    assert account["after"]["password_hash"].startswith("hmac:")
    # From here on the trail must keep explaining the data.
    sql(demo_path, "UPDATE interns SET grade = 8 WHERE id = 4")
    [line] = texts(demo_path)
    assert line.startswith("interns 4: differs from its last audit event (seq ")
    assert line.endswith("grade is 8, the trail says 7")
