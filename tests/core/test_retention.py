"""Record retention (issue 6): who is past the period, the period setting, and the
purge HR confirms: what it deletes, what it blanks in the audit trail, the one
summary event it writes, the chain that still verifies, and what it refuses."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from testkeys import TEST_KEY

from internhost.core import dto
from internhost.core.actor import Actor, Role
from internhost.core.errors import Conflict, PermissionDenied, ValidationError
from internhost.core.models import (
    AppState,
    AuditEvent,
    District,
    Document,
    Finding,
    Incident,
    Intern,
    InternContact,
    MedicalNote,
    PacketExport,
    Placement,
    School,
    TimeEntry,
    WorkBreak,
)
from internhost.core.rules.packs import load_pack
from internhost.core.services import retention
from internhost.core.storage import db
from internhost.core.trail import audit, audit_chain, audit_verify

HR = Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=7)
MENTOR = Actor(Role.MENTOR, "Maria Kowalski", user_id=8, staff_id=1)
VIEWER = Actor(Role.VIEWER, "Vic Viewer", user_id=9)
TODAY = date(2026, 3, 10)
#: Names and a birth date found nowhere else in the test database.
NAME = ("Zebulon", "Quixtwhistle")
BORN = date(2008, 2, 29)
GUARDIAN = "Philippa Quixtwhistle"


# -- a small world built by hand


@dataclass
class World:
    factory: sessionmaker[Session]
    school: int
    engine: Any

    def write(self, fn: Any, *args: Any, actor: Actor = HR) -> Any:
        with db.unit_of_work(self.factory, actor) as s:
            return fn(s, actor, *args)

    def read(self, fn: Any, *args: Any, actor: Actor = HR) -> Any:
        with db.read_session(self.factory, actor) as s:
            return fn(s, actor, *args)

    def intern(
        self,
        first: str = "Ana",
        last: str = "Ruiz",
        *,
        placements: tuple[tuple[date, date | None], ...] = (),
        entries: tuple[date, ...] = (),
        archived_placement: bool = False,
        born: date = date(2009, 3, 4),
    ) -> int:
        """An intern with ``placements`` (start, end) and time entries on ``entries``
        (in the first placement), written as HR would."""
        with db.unit_of_work(self.factory, HR) as s:
            intern = Intern(
                legal_first_name=first,
                legal_last_name=last,
                search_name=f"{first} {last}".lower(),
                sort_name=f"{last} {first}".lower(),
                birth_date=born,
                school_id=self.school,
            )
            for start, end in placements:
                intern.placements.append(
                    Placement(
                        school_id=self.school,
                        start_date=start,
                        end_date=end,
                        archived_at=datetime(2025, 1, 6, tzinfo=UTC)
                        if archived_placement
                        else None,
                    )
                )
            s.add(intern)
            s.flush()
            for day in entries:
                s.add(entry(intern.placements[0].id, day))
            return intern.id


def entry(placement_id: int, day: date) -> TimeEntry:
    return TimeEntry(
        placement_id=placement_id,
        work_date=day,
        start_local=datetime.combine(day, time(9)),
        end_local=datetime.combine(day, time(13)),
    )


@pytest.fixture
def world(factory: sessionmaker[Session], engine: Any) -> World:
    with db.unit_of_work(factory, HR) as s:
        school = School(name="Auburn High School", district=District(name="District 205"))
        s.add(school)
        s.flush()
        return World(factory, school.id, engine)


def due(w: World, today: date) -> dict[int, dto.PurgeCandidate]:
    return {c.intern_id: c for c in w.read(retention.propose_purge, today).candidates}


# -- who is past the period


def test_eligible_the_day_after_the_period_has_passed_in_full(world: World) -> None:
    who = world.intern(
        placements=((date(2022, 1, 10), date(2022, 5, 27)),),
        entries=(date(2022, 5, 20), date(2022, 5, 27)),
    )
    assert who not in due(world, date(2025, 5, 27))  # exactly 3 years: not yet
    found = due(world, date(2025, 5, 28))[who]
    assert (found.last_worked, found.basis) == (date(2022, 5, 27), "time entry")
    assert found.eligible_since == date(2025, 5, 28)
    assert world.read(retention.due_count, date(2025, 5, 27)) == 0
    assert world.read(retention.due_count, date(2025, 5, 28)) == 1


def test_a_placement_ending_after_the_last_time_entry_counts(world: World) -> None:
    """Hours kept on paper: the placement's end, not the last entry, is the last day."""
    who = world.intern(
        placements=((date(2022, 1, 10), date(2022, 6, 30)),), entries=(date(2022, 3, 1),)
    )
    assert who not in due(world, date(2025, 6, 30))
    found = due(world, date(2025, 7, 1))[who]
    assert (found.last_worked, found.basis) == (date(2022, 6, 30), "placement end")


def test_without_time_entries_the_placements_dates_count(world: World) -> None:
    ended = world.intern(placements=((date(2021, 1, 4), date(2021, 5, 28)),))
    # An archived placement without an end ran until it was archived, at most.
    archived = world.intern(placements=((date(2021, 1, 4), None),), archived_placement=True)
    found = due(world, date(2028, 1, 8))
    assert (found[ended].last_worked, found[ended].basis) == (date(2021, 5, 28), "placement end")
    assert (found[archived].last_worked, found[archived].basis) == (
        date(2025, 1, 6),
        "placement archived",
    )
    assert archived not in due(world, date(2028, 1, 6))


def test_never_placed_counts_from_the_record_made(world: World) -> None:
    who = world.intern()
    with db.read_session(world.factory, HR) as s:
        created = s.get(Intern, who).created_at.date()
    assert who not in due(world, created.replace(year=created.year + 3))
    found = due(world, date(created.year + 4, 1, 1))[who]
    assert (found.last_worked, found.basis) == (created, "record created")


def test_a_running_or_future_placement_is_never_eligible(world: World) -> None:
    old = ((date(2019, 1, 7), date(2019, 5, 31)),)
    open_ended = world.intern(placements=((date(2019, 1, 7), None),), entries=(date(2019, 2, 1),))
    later = world.intern(placements=(*old, (date(2031, 1, 6), date(2031, 5, 30))))
    still_on = world.intern(placements=(*old, (date(2026, 1, 5), date(2026, 3, 10))))
    plain = world.intern(placements=old)
    found = due(world, TODAY)
    assert plain in found
    assert open_ended not in found and later not in found and still_on not in found
    assert still_on in due(world, date(2029, 3, 11))


def test_an_archived_intern_is_treated_like_any_other(world: World) -> None:
    who = world.intern(placements=((date(2020, 1, 6), date(2020, 5, 29)),))
    with db.unit_of_work(world.factory, HR) as s:
        s.get(Intern, who).archived_at = datetime(2020, 6, 1, tzinfo=UTC)
    assert who in due(world, TODAY)


def test_an_intern_with_an_incident_report_is_kept_whatever_the_period(world: World) -> None:
    """An injury report is also an OSHA record, whose retention LEGAL.md does not give."""
    who = world.intern(placements=((date(2020, 1, 13), date(2020, 5, 29)),))
    plain = world.intern("Bo", "Free", placements=((date(2020, 1, 13), date(2020, 5, 29)),))
    with db.unit_of_work(world.factory, HR) as s:
        placement = s.scalar(select(Placement.id).where(Placement.intern_id == who))
        s.add(
            Incident(
                placement_id=placement,
                kind="injury",
                occurred_at_local=datetime(2020, 3, 2, 10),
                description="Cut on the left hand",
                osha_recordable=True,
            )
        )
    proposal = world.read(retention.propose_purge, TODAY)
    assert [c.intern_id for c in proposal.candidates] == [plain]
    assert proposal.held_for_incidents == (who,)
    assert "OSHA record" in proposal.held_note and "C19" in proposal.held_note
    assert world.read(retention.due_count, TODAY) == 1
    with pytest.raises(Conflict, match=f"kept for an incident report.*intern id {who};"):
        world.write(retention.purge, TODAY, [who])
    assert world.read(retention.propose_purge, TODAY).held_for_incidents == (who,)


def test_february_29_plus_whole_years_falls_on_march_1(world: World) -> None:
    who = world.intern(placements=((date(2020, 1, 6), date(2020, 2, 29)),))
    assert who not in due(world, date(2023, 3, 1))
    assert due(world, date(2023, 3, 2))[who].eligible_since == date(2023, 3, 2)


# -- the period


def test_the_period_is_3_years_until_hr_sets_another(world: World) -> None:
    who = world.intern(placements=((date(2021, 1, 4), date(2021, 5, 28)),))
    assert world.read(retention.retention_years) == 3
    assert who in due(world, TODAY)
    assert world.write(retention.set_retention_years, 5) == 5
    assert world.read(retention.retention_years) == 5
    assert who not in due(world, TODAY)
    assert world.read(retention.propose_purge, TODAY).years == 5
    assert who in due(world, date(2026, 5, 29))


@pytest.mark.parametrize("years", [2, 0, -3, 51, 10**30, None, True, "5", 3.5])
def test_the_period_refuses_less_than_3_years_and_absurd_values(world: World, years) -> None:
    with pytest.raises(ValidationError) as caught:
        world.write(retention.set_retention_years, years)
    assert [e.field for e in caught.value.errors] == ["years"]
    if years == 2:
        assert "less than 3" in str(caught.value)
        assert "250.500(c)" in str(caught.value) and "[unverified rule: S]" in str(caught.value)
    with db.read_session(world.factory, HR) as s:
        assert s.get(AppState, retention.YEARS_KEY) is None
    assert world.read(retention.retention_years) == 3


def test_the_minimum_is_rule_data_with_its_citation_and_marker() -> None:
    """The law is data: the minimum comes from the checklist pack (C22), not the code."""
    rule = load_pack("checklist").raw["retention"]
    assert (rule["key"], rule["min_years"]) == ("C22", retention.MIN_YEARS)
    assert f"{rule['citation']} [unverified rule: S]" == retention.MIN_YEARS_BASIS


def test_a_change_of_the_period_is_audited(world: World) -> None:
    def events() -> list[AuditEvent]:
        with db.read_session(world.factory, HR) as s:
            return list(
                s.scalars(select(AuditEvent).where(AuditEvent.operation == "set retention period"))
            )

    world.write(retention.set_retention_years, 7)
    world.write(retention.set_retention_years, 7)  # no change, no event
    world.write(retention.set_retention_years, 4)
    found = events()
    assert [json.loads(e.payload) for e in found] == [
        {"app_state:retention_years": {"before": {"years": 3}, "after": {"years": 7}}},
        {"app_state:retention_years": {"before": {"years": 7}, "after": {"years": 4}}},
    ]
    assert {(e.actor_name, e.action, e.aggregate_type) for e in found} == {
        ("Angela Ortiz", "update", "retention")
    }
    with db.read_session(world.factory, HR) as s:
        assert audit_verify.verify(s).ok


def test_a_stored_period_below_the_minimum_still_counts_as_3(world: World) -> None:
    with db.unit_of_work(world.factory, HR) as s:
        s.add(AppState(key=retention.YEARS_KEY, value="1"))
    assert world.read(retention.retention_years) == 3


@pytest.mark.parametrize("actor", [MENTOR, VIEWER], ids=["mentor", "viewer"])
def test_only_hr_admins_see_or_purge(world: World, actor: Actor) -> None:
    who = world.intern(placements=((date(2020, 1, 6), date(2020, 5, 29)),))
    calls = [
        (retention.retention_years,),
        (retention.set_retention_years, 5),
        (retention.due_count, TODAY),
        (retention.propose_purge, TODAY),
        (retention.purge, TODAY, [who]),
    ]
    for fn, *args in calls:
        with pytest.raises(PermissionDenied, match="may not back up, restore, rekey, encrypt or"):
            world.write(fn, *args, actor=actor)
    assert who in due(world, TODAY)
    assert world.read(retention.retention_years) == 3


# -- the purge


def everything(path: Path) -> dict[str, set[tuple[Any, ...]]]:
    from proofkit import snapshot

    return {t: set(rows) for t, rows in snapshot(path, TEST_KEY).items()}


def rich_intern(w: World) -> tuple[int, int]:
    """An intern with a bit of everything, an earlier record of theirs deleted (a time
    entry, a guardian) and a printed packet; returns (intern id, placement id)."""
    who = w.intern(
        *NAME,
        placements=((date(2021, 9, 7), date(2021, 12, 17)), (date(2022, 1, 10), date(2022, 5, 27))),
        entries=(date(2021, 9, 8), date(2021, 9, 9), date(2021, 9, 10)),
        born=BORN,
    )
    with db.unit_of_work(w.factory, HR) as s:
        intern = s.get(Intern, who)
        placement = intern.placements[0]
        intern.contacts.append(
            InternContact(kind="guardian", name=GUARDIAN, phone="(815) 555-0199")
        )
        intern.contacts.append(InternContact(kind="emergency", name="Gus Quixtwhistle"))
        s.add(MedicalNote(intern_id=who, body=f"{NAME[0]}: peanut allergy"))
        s.add(Document(intern_id=who, doc_type="proof_of_age", title=f"{NAME[1]} birth cert"))
        s.add(Document(placement_id=placement.id, doc_type="agreement", title="Agreement"))
        s.add(
            PacketExport(
                placement_id=placement.id, kind="school", filename=f"{NAME[1]}.pdf", sha256="0" * 64
            )
        )
        first_entry = s.scalars(
            select(TimeEntry).where(TimeEntry.placement_id == placement.id).order_by(TimeEntry.id)
        ).first()
        first_entry.breaks.append(
            WorkBreak(
                start_local=datetime.combine(date(2021, 9, 8), time(11)),
                end_local=datetime.combine(date(2021, 9, 8), time(11, 30)),
            )
        )
        s.add(
            Finding(
                intern_id=who,
                placement_id=placement.id,
                identity=f"rule|case|{who}",
                rule_id="rule",
                category="daily_hours",
                severity="warning",
                jurisdiction="US",
                citation="29 CFR 570.35",
                verification="V",
                message=f"{NAME[0]} worked late",
                input_hash="0" * 64,
            )
        )
        placement_id = placement.id
    # Earlier deletions: an entry (its own aggregate) and a contact (the intern's).
    with db.unit_of_work(w.factory, HR) as s:
        doomed = s.scalars(
            select(TimeEntry)
            .where(TimeEntry.placement_id == placement_id)
            .order_by(TimeEntry.id.desc())
        ).first()
        doomed.note = f"{NAME[0]} left early"
    with db.unit_of_work(w.factory, HR) as s:
        s.delete(
            s.scalars(
                select(TimeEntry)
                .where(TimeEntry.placement_id == placement_id)
                .order_by(TimeEntry.id.desc())
            ).first()
        )
        intern = s.get(Intern, who)
        intern.contacts.remove(next(c for c in intern.contacts if c.kind == "emergency"))
    return who, placement_id


@pytest.fixture
def two(world: World, db_path: Path) -> Iterator[tuple[World, int, int, Path]]:
    """The rich intern (past the period on TODAY) and another who is not."""
    who, _ = rich_intern(world)
    other = world.intern(
        "Olga",
        "Keeper",
        placements=((date(2024, 1, 8), date(2024, 5, 31)),),
        entries=(date(2024, 5, 1),),
    )
    yield world, who, other, db_path


def test_the_proposal_lists_what_would_go(two) -> None:
    w, who, _other, _ = two
    proposal = w.read(retention.propose_purge, TODAY)
    assert proposal.intern_ids == (who,)
    [c] = proposal.candidates
    assert c.name == "Quixtwhistle, Zebulon" and c.school == "Auburn High School"
    assert (c.last_worked, c.basis, c.eligible_since) == (
        date(2022, 5, 27),
        "placement end",
        date(2025, 5, 28),
    )
    assert c.counts == {
        "interns": 1,
        "intern_contacts": 1,
        "medical_notes": 1,
        "placements": 2,
        "documents": 2,
        "time_entries": 2,
        "work_breaks": 1,
        "findings": 1,
        "packet_exports": 1,
    }
    assert proposal.totals == c.counts and proposal.records == c.records == 12
    assert proposal.audit_events > 0
    assert "Backups taken before the purge" in proposal.note


def test_the_purge_takes_everything_of_the_intern_and_nothing_else(two) -> None:
    w, who, other, path = two
    proposal = w.read(retention.propose_purge, TODAY)
    before = everything(path)
    result = w.write(retention.purge, TODAY, [who])
    after = everything(path)
    assert (result.interns, result.deleted, result.years) == (1, proposal.totals, 3)
    assert result.audit_events_blanked == proposal.audit_events
    for table in before.keys() - {"audit_events", "app_state"}:
        gone = before[table] - after[table]
        assert after[table] <= before[table], f"{table} changed rows it kept"
        assert len(gone) == proposal.totals.get(table, 0), table
    # The other intern is whole, and still listed where they were.
    with db.read_session(w.factory, HR) as s:
        assert s.get(Intern, who) is None
        assert s.get(Intern, other) is not None
        assert s.scalar(select(func.count()).select_from(Placement)) == 1
        assert s.scalar(select(func.count()).select_from(TimeEntry)) == 1


def test_the_purge_blanks_the_audit_entries_naming_the_intern_and_only_those(two) -> None:
    w, who, _other, _path = two
    with db.read_session(w.factory, HR) as s:
        old = {e.seq: (e.payload, e.payload_hash) for e in s.scalars(select(AuditEvent))}
    w.write(retention.purge, TODAY, [who])
    with db.read_session(w.factory, HR) as s:
        now = {e.seq: e for e in s.scalars(select(AuditEvent))}
    blanked = {seq for seq in old if now[seq].purged_at is not None}
    for seq, (payload, digest) in old.items():
        event = now[seq]
        assert event.payload_hash == digest
        names_them = NAME[1] in payload or f'"intern_id":{who}' in payload
        if seq in blanked:
            assert event.payload == audit_chain.PURGED_PAYLOAD
        else:
            assert event.payload == payload
            assert not names_them, payload
    # The other intern's creation is untouched; the earlier deletions are blanked too.
    assert any('"legal_last_name":"Keeper"' in now[s].payload for s in old)
    deleted_before = [
        seq
        for seq, (payload, _) in old.items()
        if any(c["after"] is None for c in json.loads(payload).values())
    ]
    assert deleted_before and set(deleted_before) <= blanked


def test_a_reused_id_keeps_the_audit_of_the_record_that_has_it_now(world: World) -> None:
    """SQLite gives a deleted row's id to the next row: a guardian the purged intern
    once had and a later guardian of another intern share ``intern_contacts:<id>``."""
    gone = world.intern(*NAME, placements=((date(2021, 1, 11), date(2021, 5, 28)),))
    kept = world.intern("Keeper", "Stays", placements=((date(2026, 1, 12), None),))
    with db.unit_of_work(world.factory, HR) as s:
        s.add(InternContact(intern_id=gone, kind="guardian", name=GUARDIAN))
    with db.unit_of_work(world.factory, HR) as s:
        s.get(Intern, gone).contacts = []
    with db.unit_of_work(world.factory, HR) as s:
        contact = InternContact(intern_id=kept, kind="guardian", name="Hana Stays")
        s.add(contact)
    with db.read_session(world.factory, HR) as s:
        (reused,) = s.scalars(select(InternContact.id))
        events = list(s.scalars(select(AuditEvent).order_by(AuditEvent.seq)))
    key = f"intern_contacts:{reused}"
    assert sum(key in e.payload for e in events) == 3, "the id was not reused"
    world.write(retention.purge, TODAY, [gone])
    with db.read_session(world.factory, HR) as s:
        payloads = [e.payload for e in s.scalars(select(AuditEvent))]
    assert not any(GUARDIAN in p for p in payloads)
    assert any("Hana Stays" in p for p in payloads), "the kept intern's guardian lost its trail"


def events_purged(w: World) -> list[AuditEvent]:
    with db.read_session(w.factory, HR) as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.purged_at.is_not(None))))


def test_the_purge_writes_one_summary_event_without_personal_data(two) -> None:
    w, who, _other, path = two
    with db.read_session(w.factory, HR) as s:
        last = s.scalar(select(func.max(AuditEvent.seq)))
    result = w.write(retention.purge, TODAY, [who])
    with db.read_session(w.factory, HR) as s:
        [event] = s.scalars(select(AuditEvent).where(AuditEvent.seq > last))
        assert audit_verify.verify(s).ok
    assert (event.operation, event.action, event.aggregate_type, event.aggregate_id) == (
        "retention purge",
        "delete",
        "retention",
        None,
    )
    assert (event.actor_name, event.actor_user_id) == ("Angela Ortiz", 7)
    summary = json.loads(event.payload)
    # It accounts for what it did: the seqs it blanked, the ids it deleted (no values).
    account = summary.pop("purge")["after"]
    assert account["blanked_seqs"] == sorted(e.seq for e in events_purged(w) if e.seq < event.seq)
    assert len(account["blanked_seqs"]) == result.audit_events_blanked
    assert {t: len(ids) for t, ids in account["deleted"].items()} == result.deleted
    assert account["deleted"]["interns"] == [who]
    assert summary.pop("retention") == {
        "before": None,
        "after": {
            "years": 3,
            "today": TODAY.isoformat(),
            "audit_events_blanked": result.audit_events_blanked,
        },
    }
    assert summary == {t: {"before": {"rows": n}, "after": None} for t, n in result.deleted.items()}
    # Nothing of the intern is left anywhere in the audit trail (nor in the file's tables).
    with closing(db.connect_raw(path, TEST_KEY)) as conn:
        rows = conn.execute("SELECT * FROM audit_events").fetchall()
    text = "\n".join(map(repr, rows))
    for needle in (*NAME, GUARDIAN, BORN.isoformat(), "555-0199", "peanut"):
        assert needle not in text
    for table, found in everything(path).items():
        for row in found:
            assert NAME[1] not in repr(row), (table, row)


def test_the_chain_verifies_after_a_purge_of_the_sample(demo_path: Path) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    factory = db.make_session_factory(engine)
    try:
        today = date(2029, 6, 1)
        with db.read_session(factory, HR) as s:
            proposal = retention.propose_purge(s, HR, today)
            interns = s.scalar(select(func.count()).select_from(Intern))
        assert 0 < len(proposal.candidates) < interns
        with db.unit_of_work(factory, HR) as s:
            result = retention.purge(s, HR, today, proposal.intern_ids)
        with db.read_session(factory, HR) as s:
            report = audit_verify.verify(s)
            assert report.ok, report.lines()
            left = s.scalar(select(func.count()).select_from(Intern))
            purged = s.scalar(select(func.count()).where(AuditEvent.purged_at.is_not(None)))
            assert retention.propose_purge(s, HR, today).candidates == ()
        assert left == interns - len(proposal.candidates) == interns - result.interns
        assert purged == result.audit_events_blanked == proposal.audit_events
    finally:
        engine.dispose()


def test_a_stale_proposal_is_refused_and_nothing_is_written(two) -> None:
    w, who, other, path = two
    proposal = w.read(retention.propose_purge, TODAY)
    # Since the proposal: HR lengthened the period.
    w.write(retention.set_retention_years, 5)
    before = everything(path)
    with pytest.raises(Conflict) as caught:
        w.write(retention.purge, TODAY, proposal.intern_ids)
    assert f"intern id {who}" in str(caught.value) and "nothing was purged" in str(caught.value)
    assert everything(path) == before
    # An id that is not (or no longer) on record, beside one that is due.
    w.write(retention.set_retention_years, 3)
    before = everything(path)
    with pytest.raises(Conflict, match=r"intern ids 424242, 424243"):
        w.write(retention.purge, TODAY, [who, 424243, 424242])
    with pytest.raises(Conflict, match=f"intern id {other}"):
        w.write(retention.purge, TODAY, [who, other])
    with pytest.raises(ValidationError, match="at least one"):
        w.write(retention.purge, TODAY, [])
    with pytest.raises(ValidationError, match="not an intern id"):
        w.write(retention.purge, TODAY, [who, None])
    assert everything(path) == before
    assert w.read(retention.propose_purge, TODAY).intern_ids == (who,)


def test_a_failure_after_the_deletes_leaves_everything_as_it_was(two, monkeypatch) -> None:
    w, who, _other, path = two
    before = everything(path)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(retention.audit, "add_event", broken)
    with pytest.raises(RuntimeError):
        w.write(retention.purge, TODAY, [who])
    assert everything(path) == before


def test_an_added_event_rolled_back_with_its_savepoint_is_not_written(world: World) -> None:
    with db.read_session(world.factory, HR) as s:
        last = s.scalar(select(func.max(AuditEvent.seq)))
    with db.unit_of_work(world.factory, HR) as s:
        with s.begin_nested() as nested:
            audit.add_event(s, ("retention", None), "update", {"x": {"before": None, "after": {}}})
            nested.rollback()
        audit.add_event(s, ("retention", None), "update", {"y": {"before": None, "after": {}}})
    with db.read_session(world.factory, HR) as s:
        payloads = list(s.scalars(select(AuditEvent.payload).where(AuditEvent.seq > last)))
    assert payloads == ['{"y":{"after":{},"before":null}}']
    with pytest.raises(ValueError), db.unit_of_work(world.factory, HR) as s:
        audit.add_event(s, ("retention", None), "purge", {})
