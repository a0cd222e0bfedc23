"""Fixtures for the export tests: the sample database and helpers that export it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.models import District, Intern, Placement, School, Staff
from internhost.core.services.exports import write_export
from internhost.core.services.interns import name_columns
from internhost.core.storage import db

Exporter = Callable[..., str]


@pytest.fixture
def demo_factory(demo_path: Path) -> Iterator[Any]:
    engine = db.make_engine(demo_path, TEST_KEY)
    yield db.make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def export_text(demo_factory: Any) -> Exporter:
    """``export_text(entity, fmt="csv", actor=SYSTEM)``: the file's text, BOM included."""

    def run(entity: str, fmt: str = "csv", actor: Actor = SYSTEM) -> str:
        stream = io.StringIO(newline="")
        with db.read_session(demo_factory, actor) as s:
            write_export(s, actor, entity, fmt, stream)
        return stream.getvalue()

    return run


@pytest.fixture
def mentor(demo_factory: Any) -> Actor:
    """A demo mentor who mentors at least one placement, as a logged-in mentor."""
    with db.read_session(demo_factory, SYSTEM) as s:
        staff_id = s.scalar(
            select(Staff.id)
            .join(Placement, Placement.mentor_id == Staff.id)
            .where(Staff.role == "mentor")
            .order_by(Staff.id)
            .limit(1)
        )
    assert staff_id is not None
    return Actor(Role.MENTOR, "m", staff_id=staff_id)


@pytest.fixture
def hostile(demo_factory: Any) -> dict[str, int]:
    """A school and an intern whose text begins with formula characters."""
    with db.unit_of_work(demo_factory, SYSTEM) as s:
        district_id = s.scalar(select(District.id).order_by(District.id).limit(1))
        school = School(
            name="=cmd|' /C calc'!A0",
            district_id=district_id,
            coordinator_name="+Plus",
            coordinator_phone="-5",
        )
        s.add(school)
        s.flush()
        first, last = "=cmd", "@Evil"
        intern = Intern(
            legal_first_name=first,
            legal_last_name=last,
            preferred_name="-dash",
            birth_date=date(2009, 3, 1),
            school_id=school.id,
            address="'=already quoted",
            **name_columns(first, last, "-dash"),
        )
        s.add(intern)
        s.flush()
        return {"school": school.id, "intern": intern.id}
