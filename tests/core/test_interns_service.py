"""The interns service on the demo data: search, sort, pages, roles, creating one."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from testkeys import TEST_KEY

from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import AuditEvent, Intern, Placement, School, Staff
from internhost.core.services import interns as svc
from internhost.core.storage import db
from internhost.core.text import fold

TODAY = date(2025, 10, 15)
VIEWER = Actor(Role.VIEWER, "Vera Viewer", user_id=3)
HR = Actor(Role.HR_ADMIN, "Angela Ortiz", user_id=1)


@pytest.fixture
def demo(demo_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = db.make_engine(demo_path, TEST_KEY, create=False)
    yield db.make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def s(demo: sessionmaker[Session]) -> Iterator[Session]:
    with db.read_session(demo, SYSTEM) as session:
        yield session


def intern_id(s: Session, last: str) -> int:
    return s.scalar(select(Intern.id).where(Intern.legal_last_name == last))


def mentor(s: Session, last: str) -> Actor:
    staff = s.scalar(select(Staff).where(Staff.last_name == last, Staff.role == "mentor"))
    return Actor(Role.MENTOR, staff.full_name, user_id=50 + staff.id, staff_id=staff.id)


def counts(factory: sessionmaker[Session]) -> tuple[int, int]:
    """(interns, audit events), read in a fresh session (a long one sees a snapshot)."""
    with db.read_session(factory, SYSTEM) as fresh:
        return (
            fresh.scalar(select(func.count(Intern.id))),
            fresh.scalar(select(func.count(AuditEvent.seq))),
        )


# -- search -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "last_name"),
    [
        ("nguyen", "Nguyễn"),
        ("Nguyễn", "Nguyễn"),
        ("thi anh", "Nguyễn"),
        ("LUKASIEWICZ", "Łukasiewicz"),
        ("zoe", "Łukasiewicz"),
        ("李", "李"),
        ("小龍", "李"),
        ("bruce", "李"),  # the preferred name
        ("NUNEZ", "Núñez"),
    ],
)
def test_search_ignores_case_and_accents(s: Session, query: str, last_name: str) -> None:
    assert svc.list_intern_ids(s, SYSTEM, search=query) == [intern_id(s, last_name)]


def test_search_by_student_id(s: Session) -> None:
    target, student_id = s.execute(
        select(Intern.id, Intern.student_id).where(Intern.legal_last_name == "Okafor")
    ).one()
    assert student_id
    assert svc.list_intern_ids(s, SYSTEM, search=student_id) == [target]


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_search_lists_everyone(s: Session, query: str) -> None:
    assert len(svc.list_intern_ids(s, SYSTEM, search=query)) == 24


@pytest.mark.parametrize("query", ["%", "_", "z%z", "no such name"])
def test_like_wildcards_in_a_search_are_literal(s: Session, query: str) -> None:
    assert svc.list_intern_ids(s, SYSTEM, search=query) == []


def test_none_is_an_empty_search(s: Session) -> None:
    assert len(svc.list_intern_ids(s, SYSTEM, search=None)) == 24


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("x" * (svc.SEARCH_MAX + 1), "is longer than 200 characters"),
        ("x" * 1_000_000, "is longer than 200 characters"),  # over SQLite's LIKE limit
        ("Ok\ud800", "broken character"),
    ],
)
def test_a_search_too_long_or_not_text_is_a_field_error(
    s: Session, query: str, message: str
) -> None:
    with pytest.raises(ValidationError) as error:
        svc.list_intern_ids(s, SYSTEM, search=query)
    assert error.value.errors[0].field == "search" and message in str(error.value)


# -- sort ---------------------------------------------------------------------------------


def _sort_value(key: str, row: Any) -> Any:
    return {
        "name": lambda r: 0,
        "age": lambda r: -r.birth_date.toordinal(),  # ascending age: youngest first
        "school": lambda r: r.school,
        "grade": lambda r: r.grade,
        "worksite": lambda r: r.worksite,
        "mentor": lambda r: r.mentor.split()[-1],
        "start": lambda r: r.placement_start,
    }[key](row)


def _sort_name(row: Any) -> str:
    last, first = row.name.split(", ", 1)
    return fold(f"{last} {first}")


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("key", svc.SORT_KEYS)
def test_sort_by_every_key(s: Session, key: str, descending: bool) -> None:
    ids = svc.list_intern_ids(s, SYSTEM, sort=key, descending=descending)
    assert len(ids) == 24
    rows = svc.intern_rows(s, SYSTEM, ids, TODAY)
    values = [_sort_value(key, r) for r in rows]
    assert None not in values
    pairs = list(itertools.pairwise(values))
    assert all((a >= b) if descending else (a <= b) for a, b in pairs), values
    # Ties break by name (same direction), then id.
    by_id = sorted(rows, key=lambda r: r.id)
    expected = sorted(by_id, key=lambda r: (_sort_value(key, r), _sort_name(r)), reverse=descending)
    assert [r.id for r in rows] == [r.id for r in expected]
    if key == "age":
        ages = [r.age for r in rows]
        assert ages == sorted(ages, reverse=descending)
        assert len(set(ages)) > 1


def test_sorting_by_name_is_accent_blind(s: Session) -> None:
    rows = svc.intern_rows(s, SYSTEM, svc.list_intern_ids(s, SYSTEM, sort="name"), TODAY)
    names = [_sort_name(r) for r in rows]
    assert names == sorted(names)
    # Łukasiewicz sorts among the L's, not after Z as a raw code point would put it.
    position = next(i for i, r in enumerate(rows) if r.name.startswith("Łukasiewicz"))
    assert names[position].startswith("l")
    assert all(n < names[position] for n in names[:position])


def test_an_unknown_sort_key_is_a_validation_error(s: Session) -> None:
    with pytest.raises(ValidationError) as caught:
        svc.list_intern_ids(s, SYSTEM, sort="birth_date")
    assert list(caught.value.by_field()) == ["sort"]


def test_intern_rows_keeps_the_order_of_the_ids(s: Session) -> None:
    ids = svc.list_intern_ids(s, SYSTEM)
    shuffled = ids[:]
    random.Random(7).shuffle(shuffled)
    assert [r.id for r in svc.intern_rows(s, SYSTEM, shuffled, TODAY)] == shuffled
    page = shuffled[5:12]
    assert [r.id for r in svc.intern_rows(s, SYSTEM, [*page, 999999], TODAY)] == page
    assert svc.intern_rows(s, SYSTEM, [], TODAY) == []


# -- what each role sees ----------------------------------------------------------------------


def _placed_with(s: Session, staff_id: int) -> set[int]:
    return set(s.scalars(select(Placement.intern_id).where(Placement.mentor_id == staff_id)))


@pytest.mark.parametrize("last", ["Kowalski", "Brooks", "Raman"])
def test_a_mentor_sees_only_their_interns_without_birth_dates(s: Session, last: str) -> None:
    actor = mentor(s, last)
    own = _placed_with(s, actor.staff_id)
    assert 0 < len(own) < 24

    ids = svc.list_intern_ids(s, actor)
    assert set(ids) == own
    assert ids == [i for i in svc.list_intern_ids(s, SYSTEM) if i in own]  # same order
    everyone = svc.list_intern_ids(s, SYSTEM)
    rows = svc.intern_rows(s, actor, everyone, TODAY)
    assert {r.id for r in rows} == own  # others' ids are skipped, not shown
    assert all(r.birth_date is None and r.age is None for r in rows)
    assert all(r.age_band in {"14–15", "16–17", "18+"} for r in rows)
    # Sorted by age, a mentor's list goes by band, then name: no finer order leaks.
    by_age = svc.list_intern_ids(s, actor, sort="age", today=TODAY)
    bands = {r.id: (r.age_band, r.name) for r in rows}
    order = {"under 14": 0, "14–15": 1, "16–17": 2, "18+": 3}
    assert by_age == sorted(own, key=lambda i: (order[bands[i][0]], bands[i][1]))

    stranger = next(i for i in everyone if i not in own)
    with pytest.raises(NotFound):
        svc.get_intern(s, actor, stranger, TODAY)


def test_a_viewer_sees_birth_dates(s: Session) -> None:
    ids = svc.list_intern_ids(s, VIEWER)
    assert len(ids) == 24
    rows = svc.intern_rows(s, VIEWER, ids, TODAY)
    assert all(isinstance(r.birth_date, date) for r in rows)


def test_get_intern_masks_contacts_and_address_for_a_mentor(s: Session) -> None:
    target = intern_id(s, "Nguyễn")
    staff_id = s.scalar(select(Placement.mentor_id).where(Placement.intern_id == target))
    actor = Actor(Role.MENTOR, "mentor", staff_id=staff_id)

    seen = svc.get_intern(s, actor, target, TODAY)
    assert seen.contacts is None
    assert seen.address is None
    assert seen.birth_date is None
    assert seen.next_rule_change is None
    assert seen.display_name == "Ánh Nguyễn"
    assert seen.placements and all(p.intern_id == target for p in seen.placements)

    full = svc.get_intern(s, VIEWER, target, TODAY)
    assert full.address and full.birth_date
    assert full.contacts is not None
    assert [c.kind for c in full.contacts] == ["guardian", "emergency"]
    # A mentor gets the age band only: the exact age would narrow the birth date.
    assert seen.age is None and full.age == 17
    assert seen.age_band == full.age_band == "16–17"


def test_get_intern_of_a_missing_id(s: Session) -> None:
    with pytest.raises(NotFound):
        svc.get_intern(s, SYSTEM, 999_999, TODAY)


# -- creating an intern ------------------------------------------------------------------------


def school_of(s: Session, name: str) -> School:
    return s.scalar(select(School).where(School.name == name))


def new(school_id: int | None, **changes: Any) -> svc.InternInput:
    values: dict[str, Any] = {
        "legal_first_name": "Amara",
        "legal_last_name": "Okonkwo",
        "birth_date": date(2009, 4, 2),
        "school_id": school_id,
        "grade": 11,
    }
    return svc.InternInput(**{**values, **changes})


def create(demo: sessionmaker[Session], actor: Actor, data: svc.InternInput):
    with db.unit_of_work(demo, actor) as session:
        return svc.create_intern(session, actor, data, TODAY)


def test_create_intern_validates_every_field_at_once(demo, s: Session) -> None:
    before = counts(demo)
    data = new(
        987,
        legal_first_name="  ",
        legal_last_name="",
        birth_date=date(2016, 1, 1),  # nine years old on TODAY
        grade=13,
    )
    with pytest.raises(ValidationError) as caught:
        create(demo, HR, data)
    fields = caught.value.by_field()
    assert set(fields) == {"legal_first_name", "legal_last_name", "birth_date", "grade", "school"}
    assert "9" in fields["birth_date"][0]
    assert counts(demo) == before


@pytest.mark.parametrize("padding", ["", " "])
def test_a_duplicate_student_id_at_the_same_school_is_refused(
    demo, s: Session, padding: str
) -> None:
    existing = s.scalar(select(Intern).where(Intern.legal_last_name == "Okafor"))
    before = counts(demo)
    data = new(
        existing.school_id,
        student_id=f"{padding}{existing.student_id}{padding}",
        grade=0,
        birth_date=None,
    )
    with pytest.raises(ValidationError) as caught:
        create(demo, HR, data)
    assert set(caught.value.by_field()) == {"student_id", "grade", "birth_date"}
    assert counts(demo) == before


def test_the_same_student_id_at_another_school_is_fine(demo, s: Session) -> None:
    existing = s.scalar(select(Intern).where(Intern.legal_last_name == "Okafor"))
    other = s.scalar(select(School).where(School.id != existing.school_id))
    detail = create(demo, HR, new(other.id, student_id=existing.student_id))
    assert detail.student_id == existing.student_id


def test_an_unknown_residence_district_is_a_validation_error(demo, s: Session) -> None:
    before = counts(demo)
    school = school_of(s, "Auburn High School")
    with pytest.raises(ValidationError) as caught:
        create(demo, HR, new(school.id, residence_district_id=4242))
    assert list(caught.value.by_field()) == ["residence_district"]
    assert counts(demo) == before


def test_create_intern_defaults_the_residence_to_the_school_district(demo, s: Session) -> None:
    school = school_of(s, "Elgin High School")
    before = counts(demo)
    detail = create(
        demo,
        HR,
        new(school.id, legal_first_name=" Zoë ", preferred_name=" Z ", student_id=" Q-77 "),
    )
    assert detail.residence_district == detail.district == "School District U-46"
    assert detail.residence_district_confirmed is False
    assert detail.legal_first_name == "Zoë"
    assert detail.preferred_name == "Z"
    assert detail.student_id == "Q-77"
    assert detail.birth_date == date(2009, 4, 2)
    assert detail.age == 16
    assert counts(demo)[0] == before[0] + 1
    assert counts(demo)[1] == before[1] + 1  # one audit event
    with db.read_session(demo, SYSTEM) as fresh:
        stored = fresh.get(Intern, detail.id)
        assert stored.residence_district_id == school.district_id
        assert stored.search_name == "zoe okonkwo z q-77"
        assert svc.list_intern_ids(fresh, SYSTEM, search="zoe okonkwo") == [detail.id]
        assert svc.list_intern_ids(fresh, SYSTEM, search="Q-77 ") == [detail.id]


def test_the_residence_district_is_confirmed_as_the_form_says(demo, s: Session) -> None:
    school = school_of(s, "Elgin High School")
    rockford = school_of(s, "Auburn High School").district_id
    detail = create(
        demo, HR, new(school.id, residence_district_id=rockford, residence_district_confirmed=True)
    )
    assert detail.residence_district == "Rockford Public Schools District 205"
    assert detail.district == "School District U-46"
    assert detail.residence_district_confirmed is True
    chosen = create(demo, HR, new(school.id, residence_district_id=rockford, student_id="u-2"))
    assert (chosen.residence_district, chosen.residence_district_confirmed) == (
        "Rockford Public Schools District 205",
        False,
    )
    with pytest.raises(ValidationError) as refused:
        create(demo, HR, new(school.id, residence_district_confirmed=True, student_id="u-3"))
    assert refused.value.by_field() == {"residence_district": ["choose the district to confirm"]}


@pytest.mark.parametrize("role", [Role.VIEWER, Role.MENTOR])
def test_only_editors_may_create(demo, s: Session, role: Role) -> None:
    before = counts(demo)
    with pytest.raises(PermissionDenied):
        create(demo, Actor(role, "someone", staff_id=1), new(school_of(s, "Auburn High School").id))
    interns, events = counts(demo)
    assert (interns, events) == (before[0], before[1] + 1)  # only the refusal is audited
