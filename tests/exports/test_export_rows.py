"""The export services: exact headers, typed values, what each actor may see."""

from __future__ import annotations

from datetime import date

import pytest
from exportcheck import archive, row_by_id
from sqlalchemy import select

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import PermissionDenied, ValidationError
from internhost.core.models import Intern, InternContact, Placement, Staff
from internhost.core.services.exports import export_rows, hidden_columns
from internhost.core.storage import db

ROSTER = [
    "first_name", "last_name", "preferred_name", "birth_date", "school", "grade",
    "student_id", "guardian_name", "guardian_phone", "guardian_email", "emergency_contact",
    "emergency_phone", "address", "district", "worksite", "placement_start", "placement_end",
    "paid", "hourly_rate", "program", "mentor_email", "badge",
]  # fmt: skip
EXPECTED_HEADERS = {
    "interns": ["id", *ROSTER, "status"],
    "placements": [
        "id", "intern_id", "first_name", "last_name", "school", "worksite", "mentor_email",
        "placement_start", "placement_end", "paid", "hourly_rate", "program",
        "required_hours", "status", "status_note", "badge",
    ],
    "staff": [
        "id", "name", "role", "email", "phone", "is_21_or_older", "clearance_date",
        "mentor_training_date", "status",
    ],
    "schools": [
        "id", "name", "district", "coordinator_name", "coordinator_email", "coordinator_phone",
    ],
    "worksites": ["id", "name", "address", "state", "time_zone"],
}  # fmt: skip
SENSITIVE = {
    "birth_date", "address", "guardian_name", "guardian_phone", "guardian_email",
    "emergency_contact", "emergency_phone",
}  # fmt: skip


def rows_for(factory, actor: Actor, entity: str) -> tuple[list[str], list[dict]]:
    with db.read_session(factory, actor) as s:
        return export_rows(s, actor, entity)


@pytest.mark.parametrize("entity", list(EXPECTED_HEADERS))
def test_headers_are_exactly_the_issues(demo_factory, entity: str) -> None:
    headers, rows = rows_for(demo_factory, SYSTEM, entity)
    assert headers == EXPECTED_HEADERS[entity]
    assert rows
    assert all(list(row) == headers for row in rows)


def test_intern_rows_are_typed_and_one_per_intern(demo_factory) -> None:
    _, rows = rows_for(demo_factory, SYSTEM, "interns")
    with db.read_session(demo_factory, SYSTEM) as s:
        assert len(rows) == len(s.scalars(select(Intern.id)).all())
        anh = s.scalar(select(Intern).where(Intern.legal_last_name == "Nguyễn"))
        latest = s.scalars(
            select(Placement)
            .where(Placement.intern_id == anh.id)
            .order_by(Placement.start_date.desc())
        ).first()
        guardian = s.scalars(
            select(InternContact)
            .where(InternContact.intern_id == anh.id, InternContact.kind == "guardian")
            .order_by(InternContact.position)
        ).first()
    assert len({r["id"] for r in rows}) == len(rows)
    row = row_by_id(rows, anh.id)
    assert row["first_name"] == "Thị Ánh"
    assert row["preferred_name"] == "Ánh"
    assert isinstance(row["birth_date"], date)
    assert row["placement_start"] == latest.start_date
    assert row["hourly_rate"] == latest.hourly_rate_cents
    assert isinstance(row["hourly_rate"], int)
    assert isinstance(row["paid"], bool)
    assert row["guardian_name"] == guardian.name
    assert row["district"]
    assert row["status"] == "active"


def test_latest_placement_and_first_guardian_win(demo_factory) -> None:
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        intern = s.scalar(select(Intern).where(Intern.legal_last_name == "Okafor"))
        first = min(c.position for c in intern.contacts if c.kind == "guardian")
        intern.contacts.append(
            InternContact(kind="guardian", position=first + 5, name="Second Guardian")
        )
        newest = max(intern.placements, key=lambda p: p.start_date)
        intern.placements.append(
            Placement(
                school_id=intern.school_id,
                start_date=date(newest.start_date.year + 1, 1, 5),
                paid=True,
                hourly_rate_cents=1999,
                program="employment",
            )
        )
        intern_id = intern.id
    _, rows = rows_for(demo_factory, SYSTEM, "interns")
    row = row_by_id(rows, intern_id)
    assert row["guardian_name"] != "Second Guardian"
    assert row["hourly_rate"] == 1999
    assert row["worksite"] is None and row["mentor_email"] is None


def test_archived_rows_are_included_with_status_archived(demo_factory) -> None:
    with db.read_session(demo_factory, SYSTEM) as s:
        intern_id = s.scalar(select(Intern.id).order_by(Intern.id))
        placement_id = s.scalar(select(Placement.id).order_by(Placement.id))
        staff_id = s.scalar(select(Staff.id).order_by(Staff.id))
    archive(demo_factory, Intern, intern_id)
    archive(demo_factory, Placement, placement_id)
    archive(demo_factory, Staff, staff_id)
    for entity, row_id in (
        ("interns", intern_id),
        ("placements", placement_id),
        ("staff", staff_id),
    ):
        _, rows = rows_for(demo_factory, SYSTEM, entity)
        assert row_by_id(rows, row_id)["status"] == "archived"
        assert sum(r["status"] == "archived" for r in rows) == 1


def test_a_mentor_sees_only_their_interns_without_private_fields(demo_factory, mentor) -> None:
    _, all_rows = rows_for(demo_factory, SYSTEM, "interns")
    _, own = rows_for(demo_factory, mentor, "interns")
    with db.read_session(demo_factory, SYSTEM) as s:
        mentored = set(
            s.scalars(select(Placement.intern_id).where(Placement.mentor_id == mentor.staff_id))
        )
    assert {r["id"] for r in own} == mentored
    assert 0 < len(own) < len(all_rows)
    assert hidden_columns(mentor, "interns") == SENSITIVE
    assert all(r[c] is None for r in own for c in SENSITIVE)
    assert all(r["first_name"] for r in own)
    assert any(r["birth_date"] is not None for r in all_rows)


def test_a_mentor_exports_only_the_placements_of_their_interns(demo_factory, mentor) -> None:
    _, interns = rows_for(demo_factory, mentor, "interns")
    _, placements = rows_for(demo_factory, mentor, "placements")
    _, every = rows_for(demo_factory, SYSTEM, "placements")
    assert {p["intern_id"] for p in placements} == {i["id"] for i in interns}
    assert len(placements) == sum(p["intern_id"] in {i["id"] for i in interns} for p in every)
    assert len(placements) < len(every)


def test_the_system_and_a_viewer_see_everything(demo_factory) -> None:
    viewer = Actor(Role.VIEWER, "v")
    assert hidden_columns(SYSTEM, "interns") == frozenset()
    assert hidden_columns(viewer, "interns") == frozenset()
    assert hidden_columns(Actor(Role.MENTOR, "m", staff_id=1), "staff") == frozenset()


def test_unknown_entity_is_a_validation_error(demo_factory) -> None:
    with pytest.raises(ValidationError, match="unknown entity"):
        rows_for(demo_factory, SYSTEM, "vacations")


def test_reading_needs_read_permission(demo_factory, monkeypatch) -> None:
    from internhost.core import actor as actor_module

    monkeypatch.setitem(actor_module.ROLE_PERMISSIONS, Role.VIEWER, frozenset())
    with pytest.raises(PermissionDenied):
        rows_for(demo_factory, Actor(Role.VIEWER, "v"), "schools")
