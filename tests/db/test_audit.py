"""The audit log: one event per aggregate per unit of work, written with the change."""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.orm import Session, sessionmaker
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import ValidationError
from internhost.core.models import (
    AppState,
    AuditEvent,
    District,
    Document,
    Finding,
    Intern,
    InternContact,
    NoticeHours,
    Placement,
    School,
    UserAccount,
)
from internhost.core.storage import db
from internhost.core.trail import audit, audit_chain, audit_verify
from internhost.core.trail.audit_hmac import SECRET_KEY, keyed_hash

HR = Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=7)


@dataclass(frozen=True)
class Event:
    seq: int
    occurred_at: datetime
    actor_kind: str
    actor_user_id: int | None
    actor_name: str
    operation: str
    action: str
    aggregate_type: str
    aggregate_id: int | None
    raw: str

    @property
    def payload(self) -> dict[str, Any]:
        return json.loads(self.raw)


@pytest.fixture
def school_id(factory: sessionmaker[Session]) -> int:
    with db.unit_of_work(factory, SYSTEM) as s:
        district = District(name="Rockford Public Schools District 205")
        school = School(name="Auburn High School", district=district)
        s.add(school)
        s.flush()
        return school.id


@pytest.fixture
def log(engine, school_id: int) -> Iterator[Any]:
    """``log()`` returns the events written since the fixture started."""
    with engine.connect() as conn:
        start = conn.scalar(text("SELECT coalesce(max(seq), 0) FROM audit_events"))

    def events() -> list[Event]:
        with engine.connect() as conn:
            table = AuditEvent.__table__
            rows = conn.execute(
                select(table).where(table.c.seq > start).order_by(table.c.seq)
            ).mappings()
            return [
                Event(
                    **{k: v for k, v in r.items() if k in Event.__dataclass_fields__},
                    raw=r["payload"],
                )
                for r in rows
            ]

    return events


def unstamped(payload: dict[str, Any]) -> dict[str, Any]:
    """A payload without the ``updated_at`` every UPDATE records."""
    return {
        key: {
            side: None if values is None else {k: v for k, v in values.items() if k != "updated_at"}
            for side, values in entry.items()
        }
        for key, entry in payload.items()
    }


def count(engine, table: str) -> int:
    with engine.connect() as conn:
        return conn.scalar(text(f"SELECT count(*) FROM {table}"))


def state_keys(engine) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(text("SELECT key FROM app_state")))


def new_intern(school_id: int, first: str = "Zoë", **extra: Any) -> Intern:
    return Intern(
        legal_first_name=first,
        legal_last_name="Łukasiewicz",
        search_name=f"{first} lukasiewicz".lower(),
        sort_name=f"lukasiewicz {first}".lower(),
        birth_date=date(2009, 3, 14),
        school_id=school_id,
        grade=10,
        **extra,
    )


def with_family(school_id: int) -> Intern:
    return new_intern(
        school_id,
        contacts=[InternContact(kind="guardian", name="Anna Łukasiewicz", relationship_="Mother")],
        placements=[
            Placement(school_id=school_id, start_date=date(2025, 9, 8), end_date=date(2025, 12, 18))
        ],
    )


def intern_row(school_id: int, first: str) -> dict[str, Any]:
    return {
        "legal_first_name": first,
        "legal_last_name": "Núñez",
        "search_name": f"{first.lower()} nunez",
        "sort_name": f"nunez {first.lower()}",
        "birth_date": date(2010, 5, 1),
        "school_id": school_id,
        "grade": 9,
    }


# -- the ORM path --------------------------------------------------------------------


def test_creating_an_aggregate_writes_one_event(factory, log, school_id: int) -> None:
    with db.unit_of_work(factory, HR) as s:
        audit.label(s, "create intern")
        intern = with_family(school_id)
        s.add(intern)
    contact, placement = intern.contacts[0], intern.placements[0]

    (event,) = log()
    assert (event.aggregate_type, event.aggregate_id, event.action) == (
        "interns",
        intern.id,
        "create",
    )
    assert event.operation == "create intern"
    assert set(event.payload) == {
        f"interns:{intern.id}",
        f"intern_contacts:{contact.id}",
        f"placements:{placement.id}",
    }
    for entry in event.payload.values():
        assert entry["before"] is None
    root = event.payload[f"interns:{intern.id}"]["after"]
    assert root["legal_first_name"] == "Zoë"
    assert root["birth_date"] == "2009-03-14"
    contact_after = event.payload[f"intern_contacts:{contact.id}"]["after"]
    assert contact_after["intern_id"] == intern.id
    assert contact_after["relationship"] == "Mother"  # column names, not attribute keys
    assert event.payload[f"placements:{placement.id}"]["after"]["start_date"] == "2025-09-08"


def test_notice_hours_are_audited_under_their_intern(factory, log, school_id: int) -> None:
    with db.unit_of_work(factory, HR) as s:
        intern = with_family(school_id)
        s.add(intern)
    with db.unit_of_work(factory, HR) as s:
        placement = s.get(Placement, intern.placements[0].id)
        placement.notice_hours.append(
            NoticeHours(
                weekday="sat",
                start_time=time(9),
                end_time=time(13),
            )
        )
    event = log()[-1]
    assert (event.aggregate_type, event.aggregate_id) == ("interns", intern.id)
    assert [k.split(":")[0] for k in event.payload] == ["notice_hours"]


def test_an_update_records_only_the_changed_columns(factory, log, school_id: int) -> None:
    with db.unit_of_work(factory, HR) as s:
        intern = with_family(school_id)
        s.add(intern)
    with db.unit_of_work(factory, HR) as s:
        loaded = s.get(Intern, intern.id)
        loaded.grade = 11
        loaded.address = "12 Oak St, Rockford, IL"
        loaded.legal_first_name = loaded.legal_first_name  # no change: not recorded

    event = log()[-1]
    assert (event.aggregate_type, event.aggregate_id, event.action) == (
        "interns",
        intern.id,
        "update",
    )
    entry = event.payload[f"interns:{intern.id}"]
    assert unstamped(event.payload) == {
        f"interns:{intern.id}": {
            "before": {"grade": 10, "address": ""},
            "after": {"grade": 11, "address": "12 Oak St, Rockford, IL"},
        }
    }
    # The UPDATE stamps updated_at: recorded as it was and as it is now.
    with db.read_session(factory, HR) as s:
        stored = s.get(Intern, intern.id)
        assert entry["after"]["updated_at"] == stored.updated_at.isoformat()
    assert entry["before"]["updated_at"] == intern.updated_at.isoformat()
    assert entry["before"]["updated_at"] < entry["after"]["updated_at"]


def test_a_no_op_unit_of_work_writes_nothing(factory, log, school_id: int) -> None:
    with db.unit_of_work(factory, HR) as s:
        intern = new_intern(school_id)
        s.add(intern)
    n = len(log())
    with db.unit_of_work(factory, HR) as s:
        loaded = s.get(Intern, intern.id)
        loaded.grade = 10  # the value it already has
    assert len(log()) == n


def test_a_delete_records_the_state_before(factory, log, school_id: int) -> None:
    with db.unit_of_work(factory, HR) as s:
        intern = with_family(school_id)
        s.add(intern)
    ids = (intern.id, intern.contacts[0].id, intern.placements[0].id)
    with db.unit_of_work(factory, HR) as s:
        s.delete(s.get(Intern, intern.id))

    event = log()[-1]
    assert (event.aggregate_type, event.aggregate_id, event.action) == (
        "interns",
        intern.id,
        "delete",
    )
    assert set(event.payload) == {
        f"interns:{ids[0]}",
        f"intern_contacts:{ids[1]}",
        f"placements:{ids[2]}",
    }
    for entry in event.payload.values():
        assert entry["after"] is None
        assert entry["before"]["id"] in ids
    assert event.payload[f"interns:{ids[0]}"]["before"]["legal_last_name"] == "Łukasiewicz"


def test_a_row_dropped_from_its_collection_is_audited_as_deleted(
    factory, log, engine, school_id: int
) -> None:
    """delete-orphan deletes at flush without listing the row in session.deleted: a
    guardian removed from an intern's list must still leave its trace."""
    with db.unit_of_work(factory, HR) as s:
        intern = with_family(school_id)
        s.add(intern)
    contact_id = intern.contacts[0].id
    with db.unit_of_work(factory, HR) as s:
        s.get(Intern, intern.id).contacts = []

    event = log()[-1]
    assert (event.aggregate_type, event.aggregate_id, event.action) == (
        "interns",
        intern.id,
        "update",
    )
    entry = event.payload[f"intern_contacts:{contact_id}"]
    assert entry["after"] is None and entry["before"]["id"] == contact_id
    assert count(engine, "intern_contacts") == 0


def test_create_then_delete_in_one_unit_of_work_leaves_no_trace(
    factory, log, engine, school_id: int
) -> None:
    with db.unit_of_work(factory, HR) as s:
        intern = with_family(school_id)
        s.add(intern)
        s.flush()
        s.delete(intern)
    assert log() == []
    assert count(engine, "interns") == 0
    assert count(engine, "intern_contacts") == 0


def test_several_flushes_merge_into_one_event(factory, log, school_id: int) -> None:
    with db.unit_of_work(factory, HR) as s:
        intern = new_intern(school_id)
        s.add(intern)
        s.flush()
        intern.grade = 11
        s.flush()
        intern.contacts.append(InternContact(kind="emergency", name="Neighbor"))
        s.flush()
        intern.grade = 12
    (event,) = log()
    assert event.action == "create"
    assert len(event.payload) == 2
    assert event.payload[f"interns:{intern.id}"]["before"] is None
    assert event.payload[f"interns:{intern.id}"]["after"]["grade"] == 12

    with db.unit_of_work(factory, HR) as s:
        loaded = s.get(Intern, intern.id)
        loaded.grade = 10
        s.flush()
        loaded.grade = 9
        s.flush()
        loaded.address = "1 Elm St"
    event = log()[-1]
    assert unstamped(event.payload) == {
        f"interns:{intern.id}": {
            "before": {"grade": 12, "address": ""},
            "after": {"grade": 9, "address": "1 Elm St"},
        }
    }


def test_an_error_inside_a_unit_of_work_leaves_nothing(
    factory, log, engine, school_id: int
) -> None:
    with pytest.raises(ValidationError), db.unit_of_work(factory, HR) as s:
        s.add(with_family(school_id))
        s.flush()
        raise ValidationError("grade: must be between 1 and 12", field="grade")
    assert log() == []
    for table in ("interns", "intern_contacts", "placements"):
        assert count(engine, table) == 0


def test_a_rolled_back_savepoint_drops_its_records(factory, log, engine, school_id: int) -> None:
    with db.unit_of_work(factory, HR) as s:
        kept = new_intern(school_id, "Kept")
        s.add(kept)
        s.flush()
        kept_id = kept.id
        with pytest.raises(ValueError), s.begin_nested():
            s.add(new_intern(school_id, "Dropped"))
            kept.grade = 12
            s.flush()
            raise ValueError("undo this part")
    (event,) = log()
    assert set(event.payload) == {f"interns:{kept_id}"}
    assert event.payload[f"interns:{kept_id}"]["after"]["grade"] == 10
    assert count(engine, "interns") == 1


# -- bulk writes ------------------------------------------------------------------------


def test_bulk_insert_records_one_event_per_aggregate(factory, log, school_id: int) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        audit.label(s, "import roster")
        ids = audit.bulk_insert(
            s, Intern, [intern_row(school_id, "José"), intern_row(school_id, "Ana")]
        )
        contact_ids = audit.bulk_insert(
            s,
            InternContact,
            [
                {
                    "intern_id": ids[0],
                    "kind": "guardian",
                    "name": "María",
                    "relationship_": "Mother",
                },
                {"intern_id": ids[1], "kind": "guardian", "name": "Luis"},
                {"intern_id": ids[0], "kind": "emergency", "name": "Tía Rosa", "position": 1},
            ],
        )
    with factory() as s:
        names = s.scalars(select(Intern.legal_first_name).order_by(Intern.id)).all()
    assert names == ["José", "Ana"]
    assert ids == sorted(ids)

    events = log()
    assert [(e.aggregate_type, e.aggregate_id, e.action) for e in events] == [
        ("interns", ids[0], "create"),
        ("interns", ids[1], "create"),
    ]
    assert {e.operation for e in events} == {"import roster"}
    assert set(events[0].payload) == {
        f"interns:{ids[0]}",
        f"intern_contacts:{contact_ids[0]}",
        f"intern_contacts:{contact_ids[2]}",
    }
    assert set(events[1].payload) == {f"interns:{ids[1]}", f"intern_contacts:{contact_ids[1]}"}
    guardian = events[0].payload[f"intern_contacts:{contact_ids[0]}"]["after"]
    assert guardian["relationship"] == "Mother"  # same column names as the ORM path
    assert "relationship_" not in guardian
    assert events[0].payload[f"interns:{ids[0]}"]["after"]["id"] == ids[0]


def test_flushed_events_are_the_ones_the_commit_would_write(
    factory, log, engine, school_id: int
) -> None:
    """A long import flushes its events per batch: the same payloads, in the same
    transaction and chain, with the unit of work's one time."""

    def batch(s: Session, first: str) -> tuple[int, int]:
        (intern_id,) = audit.bulk_insert(s, Intern, [intern_row(school_id, first)])
        (contact_id,) = audit.bulk_insert(
            s, InternContact, [{"intern_id": intern_id, "kind": "guardian", "name": "Luis"}]
        )
        return intern_id, contact_id

    with db.unit_of_work(factory, SYSTEM) as s:
        audit.label(s, "import roster")
        first = batch(s, "Ana")
        audit.flush_events(s)
        assert log() == []  # written, not committed: other connections see none yet
        second = batch(s, "Ben")
    with db.unit_of_work(factory, SYSTEM) as s:  # the same two, committed at once
        audit.label(s, "import roster")
        together = [batch(s, "Cy"), batch(s, "Di")]
    events = log()
    assert [(e.aggregate_id, e.action) for e in events] == [
        (first[0], "create"),
        (second[0], "create"),
        (together[0][0], "create"),
        (together[1][0], "create"),
    ]
    assert events[0].occurred_at == events[1].occurred_at

    for event, (intern_id, contact_id) in zip(events, [first, second, *together], strict=True):
        assert set(event.payload) == {f"interns:{intern_id}", f"intern_contacts:{contact_id}"}
    with factory() as s:
        assert audit_verify.verify(s).ok


def test_a_rollback_takes_back_the_events_flushed_before_it(
    factory, log, engine, school_id: int
) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:  # an event, so the chain has a head
        audit.bulk_insert(s, Intern, [intern_row(school_id, "Kept")])
    head = state_keys(engine)
    with pytest.raises(OSError), db.unit_of_work(factory, SYSTEM) as s:
        audit.bulk_insert(s, Intern, [intern_row(school_id, "Ana")])
        audit.flush_events(s)
        audit.bulk_insert(s, Intern, [intern_row(school_id, "Ben")])
        raise OSError("disk full")
    assert len(log()) == 1 and count(engine, "interns") == 1 and state_keys(engine) == head
    with factory() as s:
        assert audit_verify.verify(s).ok
    with pytest.raises(RuntimeError, match="read-only"), db.read_session(factory, SYSTEM) as s:
        audit.flush_events(s)


def test_an_aggregate_changed_after_a_flush_gets_another_event(factory, log, school_id) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        (ana,) = audit.bulk_insert(s, Intern, [intern_row(school_id, "Ana")])
        audit.flush_events(s)
        audit.bulk_update(s, Intern, [{"id": ana, "grade": 10}])
    created, updated = log()
    assert (created.action, updated.action) == ("create", "update")
    assert unstamped(updated.payload) == {
        f"interns:{ana}": {"before": {"grade": 9}, "after": {"grade": 10}}
    }


def test_bulk_update_records_before_and_after_per_aggregate(factory, log, school_id: int) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        ids = audit.bulk_insert(s, Intern, [intern_row(school_id, n) for n in ("Ana", "Ben", "Cy")])
    start = len(log())
    with db.unit_of_work(factory, SYSTEM) as s:
        audit.bulk_update(
            s,
            Intern,
            [
                {"id": ids[0], "grade": 10},
                {"id": ids[1], "grade": 9, "address": "9 Elm St"},
                {"id": ids[2], "grade": 9},  # unchanged: no event
            ],
        )
    events = log()[start:]
    assert [(e.aggregate_type, e.aggregate_id, e.action) for e in events] == [
        ("interns", ids[0], "update"),
        ("interns", ids[1], "update"),
    ]
    assert unstamped(events[0].payload) == {
        f"interns:{ids[0]}": {"before": {"grade": 9}, "after": {"grade": 10}}
    }
    assert unstamped(events[1].payload) == {
        f"interns:{ids[1]}": {"before": {"address": ""}, "after": {"address": "9 Elm St"}}
    }
    with factory() as s:
        assert s.scalars(select(Intern.grade).order_by(Intern.id)).all() == [10, 9, 9]
        stamps = s.scalars(select(Intern.updated_at).order_by(Intern.id)).all()
    # The changed rows got one updated_at, recorded; the unchanged one was not written.
    for event, stamp in zip(events, stamps, strict=False):
        (entry,) = event.payload.values()
        assert entry["after"]["updated_at"] == stamp.isoformat()
    assert stamps[0] == stamps[1] > stamps[2]


def test_bulk_update_of_a_child_is_audited_under_its_root(factory, log, school_id: int) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        (intern_id,) = audit.bulk_insert(s, Intern, [intern_row(school_id, "Ana")])
        (contact_id,) = audit.bulk_insert(
            s, InternContact, [{"intern_id": intern_id, "kind": "guardian", "name": "Luis"}]
        )
    with db.unit_of_work(factory, SYSTEM) as s:
        audit.bulk_update(s, InternContact, [{"id": contact_id, "relationship_": "Father"}])
    event = log()[-1]
    assert (event.aggregate_type, event.aggregate_id) == ("interns", intern_id)
    assert event.payload == {
        f"intern_contacts:{contact_id}": {
            "before": {"relationship": ""},
            "after": {"relationship": "Father"},
        }
    }


def stored(engine, table: str, ids: list[int], skip: set[str]) -> list[dict[str, str]]:
    """Rows ``ids``, in that order, exactly as the file holds them: SQLite's quote()
    of every column."""
    with engine.connect() as conn:
        columns = [r[1] for r in conn.exec_driver_sql(f"PRAGMA table_info({table})")]
        kept = [c for c in columns if c not in {"id", "created_at", "updated_at", *skip}]
        quoted = ", ".join(f"quote({c})" for c in kept)
        select_row = f"SELECT {quoted} FROM {table} WHERE id = ?"
        return [
            dict(zip(kept, conn.exec_driver_sql(select_row, (i,)).one(), strict=True)) for i in ids
        ]


def finding_row(intern_id: int, n: int) -> dict[str, Any]:
    return {
        "intern_id": intern_id,
        "placement_id": None,
        "identity": f"rule|case|{n}",
        "rule_id": "us-fed-570.35",
        "category": "daily_hours",
        "severity": "violation",
        "jurisdiction": "US",
        "citation": "29 CFR 570.35(a)",
        "verification": "V",
        "message": "Zoë worked 9 hours — “too long”",
        "work_date": date(2025, 10, 2),
        "window_start": datetime(2025, 10, 2, 7, 30),
        "window_end": datetime(2025, 10, 2, 16, 45, 0, 250),
        "rule_packs": {"us-federal": "2025.1", "il": None, "notes": ["ß", 1.5, True]},
        "input_hash": "ab" * 32,
        "stale": n % 2 == 0,
    }


FINDING_VARIANTS = [
    {},
    {"computed_at": datetime(2025, 10, 2, 12, 0, 1, 5, tzinfo=UTC)},
    {"work_date": None, "window_start": None, "stale": True},
    {"work_date": date(999, 1, 2), "window_end": datetime(2025, 10, 2)},
    {"work_date": datetime(2025, 10, 3, 9, 15), "rule_packs": {}},  # a datetime in a Date
    {"window_start": datetime(2025, 10, 2, 9, tzinfo=UTC)},  # an aware time, naive column
]


def computed_at(mode: str, n: int) -> dict[str, datetime]:
    """No computed_at (the default, utcnow, per row), one object for every row, or
    each row its own (one in another zone)."""
    if mode == "one object":
        return {"computed_at": SHARED_MOMENT}
    if mode == "each its own":
        zone = timezone(timedelta(hours=2)) if n == 2 else UTC
        return {"computed_at": datetime(2025, 10, 2, 12, 0, 1, 5 + n, tzinfo=zone)}
    return {}


SHARED_MOMENT = datetime(2025, 10, 2, 12, 0, 1, 5, tzinfo=UTC)


@pytest.mark.parametrize("mode", ["default", "one object", "each its own"])
def test_bulk_insert_stores_exactly_what_the_orm_stores(
    factory, engine, school_id: int, mode: str
) -> None:
    """Dates, naive and UTC datetimes, booleans, None and JSON: byte for byte the
    ORM's, whether the row's defaults are all scalars (the driver-level path) or
    one is computed per row (utcnow: through SQLAlchemy)."""
    with db.unit_of_work(factory, HR) as s:
        intern = new_intern(school_id)
        s.add(intern)
    rows = [
        {**finding_row(intern.id, n), **extra, **computed_at(mode, n)}
        for n, extra in enumerate(FINDING_VARIANTS)
    ]
    bulk_rows = [{**r, "identity": f"bulk|{r['identity']}"} for r in rows]
    with db.unit_of_work(factory, HR) as s:
        orm = [Finding(**r) for r in rows]
        s.add_all(orm)
        s.flush()
        bulk_ids = audit.bulk_insert(s, Finding, bulk_rows)
    skip = {"identity"} | ({"computed_at"} if mode == "default" else set())
    orm_stored = stored(engine, "findings", [f.id for f in orm], skip)
    assert stored(engine, "findings", bulk_ids, skip) == orm_stored
    assert orm_stored[3]["work_date"] == "'0999-01-02'"
    assert orm_stored[0]["window_end"] == "'2025-10-02 16:45:00.000250'"
    assert orm_stored[0]["stale"] == "1"
    if mode == "each its own":
        assert orm_stored[2]["computed_at"] == "'2025-10-02 10:00:01.000007'"
    with engine.connect() as conn:
        computed = conn.exec_driver_sql(
            "SELECT DISTINCT typeof(computed_at), length(computed_at) FROM findings"
        ).all()
    assert computed == [("text", 26)]


def test_bulk_insert_fills_scalar_defaults_as_the_orm_does(factory, engine, school_id) -> None:
    rows = [intern_row(school_id, "Ana"), {**intern_row(school_id, "Ben"), "grade": None}]
    bulk = [{**r, "legal_first_name": r["legal_first_name"] + "2"} for r in rows]
    with db.unit_of_work(factory, HR) as s:
        orm = [Intern(**r) for r in rows]
        s.add_all(orm)
        s.flush()
        bulk_ids = audit.bulk_insert(s, Intern, bulk)
        contacts = [{"intern_id": orm[0].id, "kind": "guardian", "name": "Luis"}]
        orm_contact = InternContact(**contacts[0])
        s.add(orm_contact)
        s.flush()
        contact_ids = audit.bulk_insert(s, InternContact, contacts)
    skip = {"legal_first_name"}
    assert stored(engine, "interns", bulk_ids, skip) == stored(
        engine, "interns", [i.id for i in orm], skip
    )
    assert stored(engine, "intern_contacts", contact_ids, set()) == stored(
        engine, "intern_contacts", [orm_contact.id], set()
    )


def test_bulk_payload_is_the_rows_values_as_canonical_json(factory, log, school_id) -> None:
    """Every value the row stores, by column name, with its id: those it gave and the
    defaults it left out (a computed default once per batch); dates, datetimes and
    JSON as canonical_json writes them."""
    with db.unit_of_work(factory, HR) as s:
        intern = new_intern(school_id)
        s.add(intern)
    rows = [{**finding_row(intern.id, n), **extra} for n, extra in enumerate(FINDING_VARIANTS)]
    with db.unit_of_work(factory, HR) as s:
        ids = audit.bulk_insert(s, Finding, rows)
        (contact_id,) = audit.bulk_insert(
            s,
            InternContact,
            [{"intern_id": intern.id, "kind": "guardian", "name": "Luis", "relationship_": ""}],
        )
    by_type = {e.aggregate_type: e for e in log()[1:]}
    with db.read_session(factory, HR) as s:
        computed = {f.id: f.computed_at for f in s.scalars(select(Finding))}
    defaulted = {computed[i] for i, row in zip(ids, rows, strict=True) if "computed_at" not in row}
    assert len(defaulted) == 1  # the rows that left it out: one moment, as stored
    expected = {
        f"findings:{i}": {"before": None, "after": {"computed_at": computed[i], **row, "id": i}}
        for i, row in zip(ids, rows, strict=True)
    }
    assert by_type["findings_of_intern"].raw == audit.canonical_json(expected)
    assert by_type["interns"].payload == {
        f"intern_contacts:{contact_id}": {
            "before": None,
            "after": {
                "id": contact_id,
                "intern_id": intern.id,
                "kind": "guardian",
                "name": "Luis",
                "relationship": "",
                "email": "",
                "phone": "",
                "position": 0,
                "may_authorize_treatment": False,
            },
        }
    }


def test_bulk_rows_changed_again_in_the_same_unit_of_work_merge(factory, log, school_id) -> None:
    """The payload of a bulk-inserted row is rendered up front; a later change to it,
    or an ORM row joining its aggregate, still ends in one canonical event."""
    with db.unit_of_work(factory, HR) as s:
        ana, ben = audit.bulk_insert(
            s, Intern, [intern_row(school_id, "Ana"), intern_row(school_id, "Ben")]
        )
        s.get(Intern, ana).grade = 12
        s.add(InternContact(intern_id=ben, kind="guardian", name="Luis"))
        s.flush()
        audit.bulk_update(s, Intern, [{"id": ben, "address": "9 Elm St"}])
    events = {e.aggregate_id: e for e in log()}
    assert set(events) == {ana, ben}
    for event in events.values():
        assert event.raw == audit.canonical_json(event.payload)
        assert event.action == "create"
    ana_after = events[ana].payload[f"interns:{ana}"]
    assert ana_after["before"] is None
    assert ana_after["after"]["grade"] == 12
    assert ana_after["after"]["birth_date"] == "2010-05-01"
    ben_payload = events[ben].payload
    assert ben_payload[f"interns:{ben}"]["after"]["address"] == "9 Elm St"
    assert ben_payload[f"interns:{ben}"]["after"]["legal_first_name"] == "Ben"
    (contact,) = [k for k in ben_payload if k.startswith("intern_contacts:")]
    assert ben_payload[contact]["after"]["name"] == "Luis"


def test_bulk_rows_giving_the_same_columns_in_any_order_are_one_batch(
    factory, log, school_id
) -> None:
    ana, ben = intern_row(school_id, "Ana"), intern_row(school_id, "Ben")
    cy = {**intern_row(school_id, "Cy"), "grade": None}
    rows = [ana, dict(reversed(ben.items())), {"address": "1 Oak St", **cy}]
    with db.unit_of_work(factory, HR) as s:
        ids = audit.bulk_insert(s, Intern, rows)
        assert ids[1] == ids[0] + 1
    payloads = {e.aggregate_id: e.payload[f"interns:{e.aggregate_id}"] for e in log()}
    assert [payloads[i]["after"]["legal_first_name"] for i in ids] == ["Ana", "Ben", "Cy"]
    assert payloads[ids[2]]["after"]["address"] == "1 Oak St"
    assert payloads[ids[2]]["after"]["grade"] is None


def test_a_bulk_row_reusing_the_id_of_a_row_deleted_in_the_same_unit_of_work(
    factory, log, school_id
) -> None:
    """SQLite hands the highest id out again once its row is gone: the deleted and
    the inserted row are one record, before and after."""
    with db.unit_of_work(factory, HR) as s:
        intern = new_intern(school_id)
        s.add(intern)
        s.flush()
        contact = InternContact(intern_id=intern.id, kind="guardian", name="Ana")
        s.add(contact)
    with db.unit_of_work(factory, HR) as s:
        s.delete(s.get(InternContact, contact.id))
        s.flush()
        (reused,) = audit.bulk_insert(
            s, InternContact, [{"intern_id": intern.id, "kind": "guardian", "name": "Luis"}]
        )
    assert reused == contact.id
    event = log()[-1]
    assert event.raw == audit.canonical_json(event.payload)
    (record,) = event.payload.values()
    assert record["before"]["name"] == "Ana"
    assert record["after"]["name"] == "Luis"
    assert event.action == "update"


def test_bulk_insert_columns_is_bulk_insert_given_column_by_column(
    factory, engine, log, school_id
) -> None:
    with db.unit_of_work(factory, HR) as s:
        intern = new_intern(school_id)
        s.add(intern)
    rows = [{**finding_row(intern.id, n), "work_date": date(2025, 10, n + 1)} for n in range(4)]
    rows[2]["window_end"] = None
    columns = {k: [r[k] for r in rows] for k in rows[0]}
    columns["identity"] = [f"by column|{n}" for n in range(4)]
    with db.unit_of_work(factory, HR) as s:
        by_row = audit.bulk_insert(s, Finding, rows)
    with db.unit_of_work(factory, HR) as s:
        by_column = audit.bulk_insert_columns(s, Finding, columns)
        assert audit.bulk_insert_columns(s, Finding, {"intern_id": []}) == range(0)
    assert list(by_column) == [by_row[-1] + 1 + n for n in range(4)]
    skip = {"identity", "computed_at"}
    assert stored(engine, "findings", list(by_column), skip) == stored(
        engine, "findings", by_row, skip
    )
    first, second = (e.payload for e in log()[1:])
    for a, b in zip(by_row, by_column, strict=True):
        row_after, column_after = first[f"findings:{a}"]["after"], second[f"findings:{b}"]["after"]
        same = {"id": b, "identity": column_after["identity"]}
        same["computed_at"] = column_after["computed_at"]  # each batch's own moment
        assert {**row_after, **same} == column_after


@pytest.mark.parametrize(
    "columns",
    [{"intern_id": [1, 2], "kind": ["guardian"]}, {"id": [1], "intern_id": [1]}, {}],
    ids=["uneven", "with ids", "none"],
)
def test_bulk_insert_columns_refuses_what_is_not_rows(factory, columns) -> None:
    with db.unit_of_work(factory, HR) as s, pytest.raises(ValueError):
        audit.bulk_insert_columns(s, InternContact, columns)


@pytest.mark.parametrize(
    "statement",
    [
        lambda sid: (insert(Intern), [intern_row(sid, "A"), intern_row(sid, "B")]),
        lambda sid: (update(Intern).values(grade=12), None),
        lambda sid: (delete(Intern), None),
        lambda sid: (insert(Intern).values(intern_row(sid, "C")), None),
    ],
    ids=["bulk insert", "update", "delete", "single insert"],
)
def test_unaudited_bulk_statements_are_refused(
    factory, log, engine, school_id: int, statement
) -> None:
    stmt, params = statement(school_id)
    with pytest.raises(RuntimeError, match="not audited"), db.unit_of_work(factory, SYSTEM) as s:
        if params is None:
            s.execute(stmt)
        else:
            s.execute(stmt, params)
    assert log() == []
    assert count(engine, "interns") == 0


def test_bulk_statements_on_unaudited_tables_are_allowed(factory, engine) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        s.execute(insert(AppState), [{"key": "birthdays_swept", "value": "2025-10-01"}])
    assert state_keys(engine) - {audit_chain.HEAD_KEY, SECRET_KEY} == {"birthdays_swept"}


# -- who may write -------------------------------------------------------------------------


def test_a_write_without_an_actor_is_refused(factory, engine, school_id: int) -> None:
    with factory() as s:
        s.add(new_intern(school_id))
        with pytest.raises(RuntimeError, match="no acting user"):
            s.commit()
    with factory() as s, pytest.raises(RuntimeError, match="no acting user"):
        audit.bulk_insert(s, Intern, [intern_row(school_id, "A")])
    assert count(engine, "interns") == 0


def test_a_read_session_refuses_writes(factory, engine, school_id: int) -> None:
    with db.unit_of_work(factory, HR) as s:
        intern = new_intern(school_id)
        s.add(intern)
    before = count(engine, "audit_events")

    with db.read_session(factory, HR) as s:
        assert s.get(Intern, intern.id).grade == 10
        s.get(Intern, intern.id).grade = 12
        with pytest.raises(RuntimeError, match="read-only"):
            s.flush()
    with db.read_session(factory, HR) as s:
        s.add(new_intern(school_id, "Other"))
        with pytest.raises(RuntimeError, match="read-only"):
            s.commit()
    with db.read_session(factory, HR) as s:
        with pytest.raises(RuntimeError, match="read-only"):
            audit.bulk_insert(s, Intern, [intern_row(school_id, "Bulk")])
        with pytest.raises(RuntimeError, match="read-only"):
            audit.bulk_update(s, Intern, [{"id": intern.id, "grade": 12}])
        with pytest.raises(RuntimeError, match="read-only"):
            s.execute(insert(AppState), [{"key": "k", "value": "v"}])
        s.commit()  # committing what was read is fine, and writes nothing

    with factory() as s:
        assert s.scalars(select(Intern.grade)).all() == [10]
    assert state_keys(engine) <= {audit_chain.HEAD_KEY, SECRET_KEY}
    assert count(engine, "audit_events") == before


# -- the payload and the log itself ---------------------------------------------------------


@pytest.mark.parametrize(
    "column",
    [
        [True, 1, 1, True, False, 0],
        [None, None, None],
        ["a", None, "a", "a"],
        ["x", "y", "z"],
        [3, 1, 2],
        [1, 1, None, 1],
        [False, False, None],
        [1.5, 1.5, 1.0, 1],
        ["Zoë", 'say "hi"', "tab\there", "Zoë"],
        [date(2025, 1, 2), date(2025, 1, 2), None],
        [{"b": 1, "a": [2]}, {"b": 1, "a": [2]}],
        range(5, 9),
    ],
)
def test_a_payload_column_encodes_as_canonical_json_value_by_value(column) -> None:
    assert audit._json_column(column) == [audit.canonical_json(v) for v in column]


def test_payload_is_canonical_json(factory, log, school_id: int) -> None:
    with db.unit_of_work(factory, HR) as s:
        intern = with_family(school_id)
        intern.address = "4100 Harrison Ave, Rockford, IL"
        s.add(intern)
    (event,) = log()
    canonical = json.dumps(
        json.loads(event.raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert event.raw == canonical
    assert audit.canonical_json(event.payload) == event.raw
    assert "Łukasiewicz" in event.raw  # not \u-escaped
    assert audit.canonical_json({"b": 1, "a": [date(2025, 1, 2), None]}) == (
        '{"a":["2025-01-02",null],"b":1}'
    )


def test_redacted_columns_never_reach_the_log(factory, log, engine, school_id: int) -> None:
    secret_hash, salt, content = b"pbkdf2-secret-hash", b"pepper-salt", b"%PDF-1.7 secret scan"
    with db.unit_of_work(factory, HR) as s:
        user = UserAccount(
            username="aortiz", role="hr_admin", password_hash=secret_hash, password_salt=salt
        )
        doc = Document(
            doc_type="work_permit",
            sha256=hashlib.sha256(content).hexdigest(),
            size_bytes=len(content),
            content=content,
        )
        s.add_all([user, doc])
    with db.unit_of_work(factory, HR) as s:
        s.get(UserAccount, user.id).password_hash = b"another-secret-hash"
        loaded = s.get(Document, doc.id)
        loaded.content = b"%PDF-1.7 replaced secret"
    with db.unit_of_work(factory, HR) as s:
        audit.bulk_insert(
            s,
            UserAccount,
            [{"username": "kpark", "role": "viewer", "password_hash": b"bulk-secret"}],
        )

    events = [e for e in log() if e.aggregate_type in ("user_accounts", "documents")]
    assert len(events) == 5
    raw = "".join(e.raw for e in events)
    assert "secret" not in raw and "pepper" not in raw
    for secret in (secret_hash, salt, b"another-secret-hash", b"bulk-secret", b"%PDF-1.7 replaced"):
        assert hashlib.sha256(secret).hexdigest() not in raw
    assert '{"sha256":' not in raw  # how bytes would be logged if they slipped through
    # Each redacted value is recorded as its HMAC under the database's own secret.
    with engine.connect() as conn:
        secret = bytes.fromhex(
            conn.scalar(text("SELECT value FROM app_state WHERE key = :k"), {"k": SECRET_KEY})
        )
    assert len(secret) == 32

    def keyed(value: bytes) -> str:
        return keyed_hash(secret, value)

    created = {e.aggregate_type: e.payload for e in events[:2]}
    user_after = created["user_accounts"][f"user_accounts:{user.id}"]["after"]
    assert user_after["password_hash"] == keyed(secret_hash)
    assert user_after["password_salt"] == keyed(salt)
    assert created["documents"][f"documents:{doc.id}"]["after"]["content"] == keyed(content)
    updated = {k: e for p in (e.payload for e in events[2:4]) for k, e in p.items()}
    assert updated[f"user_accounts:{user.id}"]["before"]["password_hash"] == keyed(secret_hash)
    assert updated[f"user_accounts:{user.id}"]["after"]["password_hash"] == keyed(
        b"another-secret-hash"
    )
    assert updated[f"documents:{doc.id}"]["after"]["content"] == keyed(b"%PDF-1.7 replaced secret")
    bulk = events[4].payload
    assert [entry["after"]["password_hash"] for entry in bulk.values()] == [keyed(b"bulk-secret")]
    # A keyed hash, not a plain one: without the secret a guess cannot be tested.
    assert keyed(secret_hash) != "hmac:" + hashlib.sha256(secret_hash).hexdigest()


def test_seq_increases_and_is_never_reused(factory, log, engine, school_id: int) -> None:
    for n in range(3):
        with db.unit_of_work(factory, HR) as s:
            s.add(new_intern(school_id, f"N{n}"))
    seqs = [e.seq for e in log()]
    assert len(seqs) == 3
    assert all(a < b for a, b in itertools.pairwise(seqs))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE seq = :s"), {"s": seqs[-1]})
    with db.unit_of_work(factory, HR) as s:
        s.add(new_intern(school_id, "Later"))
    assert log()[-1].seq > seqs[-1]


@pytest.mark.parametrize(
    ("actor", "kind", "user_id"),
    [(HR, "user", 7), (SYSTEM, "system", None)],
    ids=["user", "system"],
)
def test_the_actor_is_recorded(factory, log, school_id: int, actor, kind, user_id) -> None:
    before = datetime.now(UTC)
    with db.unit_of_work(factory, actor) as s:
        s.add(new_intern(school_id))
    (event,) = log()
    assert (event.actor_kind, event.actor_user_id, event.actor_name) == (
        kind,
        user_id,
        actor.name,
    )
    assert event.occurred_at.tzinfo is not None
    assert before <= event.occurred_at <= datetime.now(UTC)


def test_changing_only_parts_of_an_aggregate_is_an_update(factory, log, school_id: int) -> None:
    """Deleting a contact and adding notice hours (by foreign key only, no parent
    object) leave the intern in place: one event, under the intern, saying update."""
    with db.unit_of_work(factory, HR) as s:
        intern = with_family(school_id)
        s.add(intern)
    with db.unit_of_work(factory, HR) as s:
        s.delete(s.get(InternContact, intern.contacts[0].id))
    with db.unit_of_work(factory, HR) as s:
        s.add(
            NoticeHours(
                placement_id=intern.placements[0].id,
                weekday="sat",
                start_time=time(9),
                end_time=time(13),
            )
        )
    deleted, added = log()[-2:]
    for event in (deleted, added):
        assert (event.aggregate_type, event.aggregate_id, event.action) == (
            "interns",
            intern.id,
            "update",
        )
    assert [k.split(":")[0] for k in deleted.payload] == ["intern_contacts"]
    assert [k.split(":")[0] for k in added.payload] == ["notice_hours"]


def test_what_the_database_cascades_is_audited_too(demo_path) -> None:
    """Deleting a placement: its shifts, time entries, check-ins, findings and
    checklist go by ON DELETE CASCADE; every one of them is in the audit log."""
    from internhost.core.models import CheckIn, Placement, Shift, TimeEntry, WorkBreak

    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    try:
        with db.read_session(factory, HR) as s:
            placement_id = s.scalar(select(Placement.id).order_by(Placement.id))
            shifts = set(s.scalars(select(Shift.id).where(Shift.placement_id == placement_id)))
            entries = set(
                s.scalars(select(TimeEntry.id).where(TimeEntry.placement_id == placement_id))
            )
            breaks = set(s.scalars(select(WorkBreak.id).where(WorkBreak.shift_id.in_(shifts))))
            check_ins = set(
                s.scalars(select(CheckIn.id).where(CheckIn.placement_id == placement_id))
            )
            start = s.scalar(select(AuditEvent.seq).order_by(AuditEvent.seq.desc()).limit(1))
        assert shifts and entries and breaks and check_ins
        with db.unit_of_work(factory, HR) as s:
            s.delete(s.get(Placement, placement_id))
        with db.read_session(factory, HR) as s:
            events = list(s.scalars(select(AuditEvent).where(AuditEvent.seq > start)))
    finally:
        engine.dispose()
    deleted = {
        key
        for e in events
        for key, change in json.loads(e.payload).items()
        if change["after"] is None
    }
    assert {f"shifts:{i}" for i in shifts} <= deleted
    assert {f"time_entries:{i}" for i in entries} <= deleted
    assert {f"work_breaks:{i}" for i in breaks} <= deleted
    assert {f"check_ins:{i}" for i in check_ins} <= deleted
    assert f"placements:{placement_id}" in deleted


def test_pack_texts_copied_into_checklist_rows_stay_out_of_the_payload(
    factory, log, school_id: int
) -> None:
    """The requirement key and pack version name the texts; the payload keeps those."""
    from internhost.core.models import ChecklistItem

    with db.unit_of_work(factory, HR) as s:
        intern = with_family(school_id)
        s.add(intern)
    with db.unit_of_work(factory, HR) as s:
        s.add(
            ChecklistItem(
                placement_id=intern.placements[0].id,
                requirement_key="C1",
                title="Proof of age verified",
                citation="820 ILCS 206/55",
                verification="V",
                rule_pack_version="2025.1",
            )
        )
    (record,) = log()[-1].payload.values()
    assert record["after"]["requirement_key"] == "C1"
    assert record["after"]["rule_pack_version"] == "2025.1"
    assert not {"title", "citation", "verification"} & set(record["after"])
