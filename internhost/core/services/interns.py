"""Interns: the searchable, sortable list, the detail, and creating one.

The list works on id lists (Anki's pattern): ``list_intern_ids`` filters and sorts
in SQL and returns ids only; ``intern_rows`` fetches one page of them. 50,000
interns stay cheap that way.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVarTuple

from sqlalchemy import Select, case, false, select
from sqlalchemy.orm import Session, aliased, selectinload
from sqlalchemy.sql.elements import Case, UnaryExpression
from sqlalchemy.sql.selectable import ScalarSelect

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.dates import age_on, birthday_of_age
from internhost.core.errors import FieldError, NotFound, ValidationError
from internhost.core.lead_times import lead_times
from internhost.core.models import (
    District,
    Intern,
    InternContact,
    Placement,
    School,
    Staff,
    Worksite,
)
from internhost.core.models.enums import PROGRAM_LABELS
from internhost.core.rules.ages import age_band, band_starts
from internhost.core.text import fold, like_pattern
from internhost.core.trail import audit
from internhost.core.validation import OLDEST_INTERN, YOUNGEST_INTERN, Checker, by_id

SORT_KEYS = ("name", "age", "school", "grade", "worksite", "mentor", "start")
#: How far ahead the dashboard and the intern's detail announce a change of rules
#: (``resources/queue/lead_times.toml``).
RULE_CHANGE_HORIZON_DAYS = lead_times().rule_change_days
#: The columns a query selects, which limiting it to the actor's interns keeps.
Columns = TypeVarTuple("Columns")


def name_columns(
    first: str, last: str, preferred: str = "", student_id: str | None = None
) -> dict[str, str]:
    """The folded search and sort columns stored beside an intern's names."""
    parts = [first, last, preferred, student_id or ""]
    return {
        "search_name": fold(" ".join(p for p in parts if p)),
        "sort_name": fold(f"{last} {first}"),
    }


def _latest_placement() -> ScalarSelect[int]:
    """Correlated subquery: the id of an intern's most recent placement."""
    inner = aliased(Placement)
    return (
        select(inner.id)
        .where(inner.intern_id == Intern.id)
        .order_by(inner.start_date.desc(), inner.id.desc())
        .limit(1)
        .correlate(Intern)
        .scalar_subquery()
    )


def _own_intern_ids(actor: Actor, among: Collection[int] | None = None) -> Select[int]:
    """Ids of the interns a mentor has any placement with: the one definition of a
    mentor's scope. An uncorrelated subquery over an alias of its own, so SQLite
    runs it once and probes the result, whatever the outer query selects from. The
    correlated ``EXISTS`` it replaces was planned on ``ix_placements_mentor_id`` once
    per intern: 227 s for a mentor's list at 50,000 interns. With ``among`` it reads
    only those interns' placements (by ``ix_placements_intern_id``), not all the
    mentor's. A mentor account whose staff record is gone sees no one."""
    own = aliased(Placement, name="own_placements")
    if actor.staff_id is None:
        return select(own.intern_id).where(false())
    if among is None:
        return select(own.intern_id).where(own.mentor_id == actor.staff_id).correlate(None)
    # "+ 0" keeps SQLite off the mentor's index, which without statistics it takes.
    mine = (own.mentor_id + 0) == actor.staff_id
    return select(own.intern_id).where(own.intern_id.in_(list(among)), mine).correlate(None)


def visible_interns(
    stmt: Select[*Columns], actor: Actor, among: Collection[int] | None = None
) -> Select[*Columns]:
    """Limit a query over ``Intern`` to the interns the actor may see. ``among``: the
    intern ids ``stmt`` already keeps to (one intern, a page of rows), whose
    placements alone then need reading; a mentor with 16,000 interns took 0.1 s to
    read all theirs, at every look-up."""
    if actor.sees_only_own_interns:
        stmt = stmt.where(Intern.id.in_(_own_intern_ids(actor, among)))
    return stmt


def visible_placements(
    stmt: Select[*Columns], actor: Actor, among: Collection[int] | None = None
) -> Select[*Columns]:
    """Limit a query over ``Placement`` to the placements of interns the actor may
    see (for a mentor, every placement of their interns, not only their own);
    ``among`` as for ``visible_interns``."""
    if actor.sees_only_own_interns:
        stmt = stmt.where(Placement.intern_id.in_(_own_intern_ids(actor, among)))
    return stmt


def list_intern_ids(
    s: Session,
    actor: Actor,
    *,
    search: str | None = "",
    sort: str = "name",
    descending: bool = False,
    include_archived: bool = True,
    today: date | None = None,
) -> list[int]:
    """Ids of the interns matching ``search`` (case and accents ignored), in order.

    Sorting by age sorts by birth date; for roles that may not see birth dates, by
    age band (as of ``today``, default the computer's date), then by name, so the
    order reveals no more than the band."""
    require(actor, Permission.READ_RECORDS)
    if sort not in SORT_KEYS:
        raise ValidationError(
            f"unknown sort key {sort!r}; use one of {', '.join(SORT_KEYS)}", field="sort"
        )
    check = Checker()
    search = check.search("search", search, max_len=SEARCH_MAX)
    check.done()
    latest = aliased(Placement)
    stmt = select(Intern.id).outerjoin(latest, latest.id == _latest_placement())
    if search:
        stmt = stmt.where(Intern.search_name.like(like_pattern(search), escape="\\"))
    if not include_archived:
        stmt = stmt.where(Intern.archived_at.is_(None))
    stmt = visible_interns(stmt, actor)
    if sort == "school":
        stmt = stmt.join(School, School.id == Intern.school_id)
    elif sort == "worksite":
        stmt = stmt.outerjoin(Worksite, Worksite.id == latest.worksite_id)
    elif sort == "mentor":
        stmt = stmt.outerjoin(Staff, Staff.id == latest.mentor_id)
    key: UnaryExpression[Any]
    if sort != "age":
        column = {
            "name": Intern.sort_name,
            "school": School.name,
            "grade": Intern.grade,
            "worksite": Worksite.name,
            "mentor": Staff.last_name,
            "start": latest.start_date,
        }[sort]
        key = column.desc() if descending else column.asc()
    elif actor.can(Permission.SEE_BIRTH_DATES):
        # Older first when ascending by age means later birth dates last.
        key = Intern.birth_date.desc() if not descending else Intern.birth_date.asc()
    else:
        band = _age_band_rank(today or date.today())
        key = band.desc() if descending else band.asc()
    tiebreak = Intern.sort_name.desc() if descending else Intern.sort_name.asc()
    return list(s.scalars(stmt.order_by(key.nulls_last(), tiebreak, Intern.id)))


def _latest_birth(today: date, age: int) -> date:
    """The latest birth date of someone ``age`` or older on ``today`` (Feb 29 -> 28,
    agreeing with ``dates.age_on``)."""
    try:
        return today.replace(year=today.year - age)
    except ValueError:
        return date(today.year - age, 2, 28)


def _age_band_rank(today: date) -> Case[int]:
    """SQL: the rank of the intern's age band on ``today`` (0 for the youngest band),
    the bands being those ``rules.ages.age_band`` names."""
    starts = band_starts()
    return case(
        *((Intern.birth_date > _latest_birth(today, age), rank) for rank, age in enumerate(starts)),
        else_=len(starts),
    )


def intern_rows(s: Session, actor: Actor, ids: Sequence[int], today: date) -> list[dto.InternRow]:
    """Rows for ``ids``, in the order given (ids the actor may not see are skipped)."""
    require(actor, Permission.READ_RECORDS)
    if not ids:
        return []
    latest = aliased(Placement)
    stmt = (
        select(Intern, School.name, Worksite.name, Staff.first_name, Staff.last_name, latest)
        .join(School, School.id == Intern.school_id)
        .outerjoin(latest, latest.id == _latest_placement())
        .outerjoin(Worksite, Worksite.id == latest.worksite_id)
        .outerjoin(Staff, Staff.id == latest.mentor_id)
        .where(Intern.id.in_(list(ids)))
    )
    stmt = visible_interns(stmt, actor, among=ids)
    see_dob = actor.can(Permission.SEE_BIRTH_DATES)
    by_id: dict[int, dto.InternRow] = {}
    # The outer joins leave the latest placement, its worksite and mentor None.
    found: Iterable[tuple[Intern, str, str | None, str | None, str | None, Placement | None]] = (
        s.execute(stmt)
    )
    for intern, school, worksite, m_first, m_last, placement in found:
        age = age_on(intern.birth_date, today)
        by_id[intern.id] = dto.InternRow(
            id=intern.id,
            name=f"{intern.legal_last_name}, {intern.legal_first_name}",
            preferred_name=intern.preferred_name,
            age=age if see_dob else None,
            age_band=age_band(age),
            birth_date=intern.birth_date if see_dob else None,
            school=school,
            grade=intern.grade,
            worksite=worksite,
            mentor=f"{m_first} {m_last}" if m_last else None,
            placement_start=placement.start_date if placement else None,
            placement_end=placement.end_date if placement else None,
            archived=intern.archived_at is not None,
        )
    return [by_id[i] for i in ids if i in by_id]


def next_rule_change(birth_date: date, today: date) -> tuple[int, date] | None:
    """The next birthday that changes which child-labor rules apply (one that starts
    an age band of the rule packs), with the age turned: the first band start above
    the age ``today`` (the dashboard asks it of thousands of interns)."""
    now = age_on(birth_date, today)
    for age in band_starts():
        if age > now:
            return age, birthday_of_age(birth_date, age)
    return None


def get_intern(s: Session, actor: Actor, intern_id: int, today: date) -> dto.InternDetail:
    require(actor, Permission.READ_RECORDS)
    stmt = visible_interns(
        select(Intern)
        .where(Intern.id == intern_id)
        .options(selectinload(Intern.contacts), selectinload(Intern.placements)),
        actor,
        among=[intern_id],
    )
    intern = s.scalar(stmt)
    if intern is None:
        raise NotFound(f"no intern with id {intern_id}")
    return _detail(s, actor, intern, today)


def _detail(s: Session, actor: Actor, intern: Intern, today: date) -> dto.InternDetail:
    school = s.get(School, intern.school_id)
    district = s.get(District, school.district_id) if school else None
    residence = (
        s.get(District, intern.residence_district_id) if intern.residence_district_id else None
    )
    see_dob = actor.can(Permission.SEE_BIRTH_DATES)
    see_contacts = actor.can(Permission.SEE_CONTACT_DETAILS)
    age = age_on(intern.birth_date, today)
    change = next_rule_change(intern.birth_date, today)
    soon = change is not None and (change[1] - today).days <= RULE_CHANGE_HORIZON_DAYS
    return dto.InternDetail(
        id=intern.id,
        legal_first_name=intern.legal_first_name,
        legal_last_name=intern.legal_last_name,
        preferred_name=intern.preferred_name,
        birth_date=intern.birth_date if see_dob else None,
        age=age if see_dob else None,
        age_band=age_band(age),
        next_rule_change=change[1] if change and see_dob else None,
        rule_change_soon=soon,
        address=intern.address if see_contacts else None,
        residence_district=residence.name if residence else None,
        residence_district_confirmed=intern.residence_district_confirmed,
        school=school.name if school else "",
        district=district.name if district else "",
        grade=intern.grade,
        student_id=intern.student_id,
        archived=intern.archived_at is not None,
        contacts=tuple(contact_row(c) for c in intern.contacts) if see_contacts else None,
        placements=tuple(placement_rows(s, [p.id for p in intern.placements])),
    )


def contact_row(c: InternContact) -> dto.ContactRow:
    return dto.ContactRow(
        c.id, c.kind, c.name, c.relationship_, c.phone, c.email, c.may_authorize_treatment
    )


def placement_rows(s: Session, ids: Sequence[int]) -> list[dto.PlacementRow]:
    """Placement rows for ``ids`` in order; callers have already checked visibility."""
    if not ids:
        return []
    stmt = (
        select(Placement, School.name, Worksite.name, Staff, Intern)
        .join(Intern, Intern.id == Placement.intern_id)
        .join(School, School.id == Placement.school_id)
        .outerjoin(Worksite, Worksite.id == Placement.worksite_id)
        .outerjoin(Staff, Staff.id == Placement.mentor_id)
        .where(Placement.id.in_(list(ids)))
    )
    rows = {}
    # The outer joins leave a placement's worksite and mentor None when it has none.
    found: Iterable[tuple[Placement, str, str | None, Staff | None, Intern]] = s.execute(stmt)
    for p, school, worksite, mentor, intern in found:
        rows[p.id] = dto.PlacementRow(
            id=p.id,
            intern_id=p.intern_id,
            school=school,
            worksite=worksite,
            mentor=mentor.full_name if mentor else None,
            mentor_email=mentor.email if mentor else None,
            start_date=p.start_date,
            end_date=p.end_date,
            paid=p.paid,
            hourly_rate_cents=p.hourly_rate_cents,
            program=p.program,
            program_label=PROGRAM_LABELS[p.program],
            required_hours=p.required_hours,
            archived=p.archived_at is not None,
            intern_name=f"{intern.legal_last_name}, {intern.legal_first_name}",
            status=p.status,
            status_note=p.status_note or "",
            badge=p.badge,
        )
    return [rows[i] for i in ids if i in rows]


@dataclass(frozen=True)
class InternInput:
    """What the intern form edits, and what creating one takes (the importer checks its
    rows with it too). ``residence_district_id`` None means "the attending school's
    district", never confirmed (federal hours follow where the intern lives)."""

    legal_first_name: str
    legal_last_name: str
    birth_date: date | None
    school_id: int | None
    preferred_name: str = ""
    grade: int | None = None
    student_id: str | None = None
    address: str = ""
    residence_district_id: int | None = None
    residence_district_confirmed: bool = False


NAME_MAX = 100
ADDRESS_MAX = 500
STUDENT_ID_MAX = 64
#: Longer than any name or student id a search could match.
SEARCH_MAX = 200


def validate_new_intern(
    s: Session, data: InternInput, today: date, *, intern_id: int | None = None
) -> list[FieldError]:
    """Every problem with ``data``, each naming its field; empty when it can be saved.
    ``intern_id`` names the stored intern being edited, whose own student id is no clash."""
    check = Checker()
    _checked_intern(s, data, today, check, intern_id=intern_id)
    return check.errors


def _checked_intern(
    s: Session, data: InternInput, today: date, check: Checker, *, intern_id: int | None = None
) -> dict[str, Any]:
    """The intern's text fields cleaned (the form's checks on each: length, control
    characters), with every problem of ``data`` noted in ``check``."""
    values = {
        "legal_first_name": check.name(
            "legal_first_name", data.legal_first_name, required=True, max_len=NAME_MAX
        ),
        "legal_last_name": check.name(
            "legal_last_name", data.legal_last_name, required=True, max_len=NAME_MAX
        ),
        "preferred_name": check.name("preferred_name", data.preferred_name, max_len=NAME_MAX),
        "student_id": check.name("student_id", data.student_id, max_len=STUDENT_ID_MAX) or None,
        "address": check.text("address", data.address, max_len=ADDRESS_MAX, multiline=True),
    }
    if data.birth_date is None:
        check.fail("birth_date", "is required")
    else:
        age = age_on(data.birth_date, today)
        if not YOUNGEST_INTERN <= age <= OLDEST_INTERN:
            check.fail(
                "birth_date",
                f"{data.birth_date.isoformat()} makes the intern {age}; check the year",
            )
    if data.grade is not None and not 1 <= data.grade <= 12:
        check.fail("grade", "must be between 1 and 12")
    if data.school_id is None:
        check.fail("school", "is required")
    elif by_id(s, School, data.school_id) is None:
        check.fail("school", f"no school with id {data.school_id}")
    elif student_id := values["student_id"]:  # stored stripped: compare so
        clash = s.scalar(
            select(Intern.id).where(
                Intern.school_id == data.school_id,
                Intern.student_id == student_id,
                Intern.id != (intern_id or 0),
            )
        )
        if clash is not None:
            check.fail("student_id", f"{student_id} is already on record at this school")
    if (
        data.residence_district_id is not None
        and by_id(s, District, data.residence_district_id) is None
    ):
        check.fail("residence_district", f"no district with id {data.residence_district_id}")
    if data.residence_district_confirmed and data.residence_district_id is None:
        check.fail("residence_district", "choose the district to confirm")
    return values


def create_intern(s: Session, actor: Actor, data: InternInput, today: date) -> dto.InternDetail:
    require(actor, Permission.EDIT_RECORDS)
    audit.label(s, "create intern")
    check = Checker()
    values = _checked_intern(s, data, today, check)
    check.done()
    first, last = values["legal_first_name"], values["legal_last_name"]
    preferred, student_id = values["preferred_name"], values["student_id"]
    school = s.get_one(School, data.school_id)
    # Federal hours follow the district of residence; until someone confirms it,
    # assume the attending school's district and flag it unconfirmed.
    residence = data.residence_district_id or school.district_id
    intern = Intern(
        legal_first_name=first,
        legal_last_name=last,
        preferred_name=preferred,
        birth_date=data.birth_date,
        school_id=data.school_id,
        grade=data.grade,
        student_id=student_id,
        address=values["address"],
        residence_district_id=residence,
        residence_district_confirmed=data.residence_district_confirmed,
        **name_columns(first, last, preferred, student_id),
    )
    s.add(intern)
    s.flush()
    return _detail(s, actor, intern, today)
