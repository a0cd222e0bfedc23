"""Incidents and injuries (LEGAL.md C19): what happened, when and where, treatment,
who was told, and the notification checklist that keeps an incident open.

HR and the intern's mentor record and edit an incident (a mentor only for their own
interns). Treatment is medical: once saved, HR alone reads it back; a mentor may
write it, and what they write later is added to what is there, never put over
text they cannot see. The notices an incident needs (guardian, school, the IDOL
report for an Illinois minor the Act covers) come from the checklist pack
(``rules/incident_notices.py``); each is a date, or not needed with a reason. HR
closes an incident once every notice is one or the other, and may reopen it; a
closed incident is not edited.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, load_only

from internhost.core import dto_incidents as dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.dates import age_on
from internhost.core.errors import Conflict, FieldError, NotFound, ValidationError
from internhost.core.models import (
    Area,
    Equipment,
    Incident,
    Intern,
    Placement,
    UserAccount,
    Worksite,
)
from internhost.core.models.base import utcnow
from internhost.core.models.enums import INCIDENT_KINDS
from internhost.core.rules.incident_notices import (
    NOTICE_KEYS,
    Notice,
    all_notices,
    required_notices,
)
from internhost.core.rules.packs import load_rules
from internhost.core.services.interns import visible_placements
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id, storable

KIND_LABELS = {
    "incident": "Incident",
    "injury": "Injury",
    "illness": "Illness",
    "near_miss": "Near miss",
}
DESCRIPTION_MAX = 4000
TEXT_MAX = 2000
BODY_PART_MAX = 100
#: Each notice's columns: the date it was done, the reason it was not needed.
NOTICE_COLUMNS = {
    "guardian": ("guardian_notified_on", "guardian_not_needed"),
    "school": ("school_notified_on", "school_not_needed"),
    "idol": ("idol_reported_on", "idol_not_needed"),
}


@dataclass(frozen=True)
class NoticeInput:
    """A notice as recorded: the day it was done, or why it was not needed."""

    done_on: date | None = None
    not_needed: str | None = None


@dataclass(frozen=True)
class IncidentInput:
    placement_id: int | None
    kind: str | None
    #: Local wall-clock time at the worksite.
    occurred_at: datetime | None
    description: str | None
    #: Where it happened; the placement's worksite when not given.
    worksite_id: int | None = None
    area_id: int | None = None
    equipment_id: int | None = None
    task_key: str | None = None
    body_part: str | None = ""
    #: Medical. None leaves what is stored; from a role that may not read it back,
    #: text is added to what is stored.
    treatment: str | None = None
    told_whom: str | None = ""
    #: Whether it goes on the OSHA 300 log, where HR knows it (HR records it).
    osha_recordable: bool | None = None
    guardian: NoticeInput = field(default_factory=NoticeInput)
    school: NoticeInput = field(default_factory=NoticeInput)
    idol: NoticeInput = field(default_factory=NoticeInput)


# -- finding what the actor may see


def _placement(s: Session, actor: Actor, placement_id: object) -> tuple[Placement, Intern]:
    if not storable(placement_id):
        raise NotFound(f"no placement with id {placement_id}")
    stmt = (
        select(Placement, Intern)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(Placement.id == placement_id)
    )
    found = s.execute(visible_placements(stmt, actor)).first()
    if found is None:
        raise NotFound(f"no placement with id {placement_id}")
    return found[0], found[1]


def _incident(s: Session, actor: Actor, incident_id: object) -> Incident:
    incident = by_id(s, Incident, incident_id)
    if incident is None:
        raise NotFound(f"no incident with id {incident_id}")
    _placement(s, actor, incident.placement_id)
    return incident


def _intern_of(s: Session, incident: Incident) -> int | None:
    return s.scalar(select(Placement.intern_id).where(Placement.id == incident.placement_id))


# -- the notices


def _state(s: Session, worksite_id: int | None) -> str | None:
    return (
        s.scalar(select(Worksite.state).where(Worksite.id == worksite_id)) if worksite_id else None
    )


def _required(
    kind: str, occurred_on: date, birth_date: date, state: str | None, program: str
) -> tuple[Notice, ...]:
    return required_notices(kind, age_on(birth_date, occurred_on), occurred_on, state, program)


def _notice_rows(incident: Incident, required: Iterable[Notice]) -> tuple[dto.IncidentNotice, ...]:
    out = []
    for n in required:
        done, reason = NOTICE_COLUMNS[n.key]
        out.append(
            dto.IncidentNotice(
                n.key,
                n.title,
                n.citation,
                n.verification,
                n.note,
                getattr(incident, done),
                getattr(incident, reason),
            )
        )
    return tuple(out)


def _notice(n: Notice) -> dto.IncidentNotice:
    return dto.IncidentNotice(n.key, n.title, n.citation, n.verification, n.note)


def incident_notices(
    s: Session,
    actor: Actor,
    placement_id: int,
    kind: str,
    occurred_on: date,
    worksite_id: int | None = None,
) -> tuple[dto.IncidentNotice, ...]:
    """The notices an incident of ``kind`` on ``occurred_on`` at ``worksite_id`` (the
    placement's worksite when None) would need: what the dialog lists as it is filled."""
    require(actor, Permission.READ_RECORDS)
    placement, intern = _placement(s, actor, placement_id)
    check = Checker()
    check.choice("kind", kind, INCIDENT_KINDS)
    day = check.work_date("occurred_on", occurred_on, required=True)
    if worksite_id is not None and by_id(s, Worksite, worksite_id) is None:
        check.fail("worksite", f"no worksite with id {worksite_id}")
    check.done()
    assert day is not None
    state = _state(s, worksite_id or placement.worksite_id)
    required = _required(kind, day, intern.birth_date, state, placement.program)
    return tuple(_notice(n) for n in required)


# -- reading


def _name(first: str, last: str) -> str:
    return f"{last}, {first}"


#: What a row and its notices read of an incident (its stamps, read as UTC, are most of
#: the cost of a list of hundreds).
_ROW_COLUMNS = (
    Incident.id,
    Incident.placement_id,
    Incident.kind,
    Incident.occurred_at_local,
    Incident.description,
    Incident.status,
    *(getattr(Incident, c) for pair in NOTICE_COLUMNS.values() for c in pair),
)


def _rows_query() -> Select[Incident, int, str, str, str, date, str | None, str | None, str | None]:
    """Incidents with what their rows show and what decides their notices."""
    site = func.coalesce(Incident.worksite_id, Placement.worksite_id)
    return (
        select(
            Incident,
            Placement.intern_id,
            Placement.program,
            Intern.legal_first_name,
            Intern.legal_last_name,
            Intern.birth_date,
            Worksite.name,
            Worksite.state,
            Area.name,
        )
        .join(Placement, Placement.id == Incident.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .outerjoin(Worksite, Worksite.id == site)
        .outerjoin(Area, Area.id == Incident.area_id)
        .options(load_only(*_ROW_COLUMNS))
    )


def _row(found: Sequence[Any]) -> tuple[dto.IncidentRow, tuple[dto.IncidentNotice, ...]]:
    incident, intern_id, program, first, last, born, site, state, area = found
    occurred: datetime = incident.occurred_at_local
    required = _required(incident.kind, occurred.date(), born, state, program)
    notices = _notice_rows(incident, required)
    row = dto.IncidentRow(
        id=incident.id,
        intern_id=intern_id,
        intern_name=_name(first, last),
        placement_id=incident.placement_id,
        kind=incident.kind,
        kind_label=KIND_LABELS[incident.kind],
        occurred_at=occurred,
        description=incident.description,
        worksite=site,
        area=area,
        status=incident.status,
        to_do=tuple(n.title for n in notices if not n.settled),
    )
    return row, notices


def list_incidents(
    s: Session, actor: Actor, *, intern_id: int | None = None, status: str | None = None
) -> list[dto.IncidentRow]:
    """Incidents (of one intern, or of every intern the actor may see), open ones
    first, the newest first within each."""
    require(actor, Permission.READ_RECORDS)
    if status is not None and status not in ("open", "closed"):
        raise ValidationError(f"{status!r} is not one of open, closed", "status")
    stmt = _rows_query().order_by(
        case((Incident.status == "open", 0), else_=1),
        Incident.occurred_at_local.desc(),
        Incident.id.desc(),
    )
    among = None
    if intern_id is not None:
        if not storable(intern_id):
            return []
        stmt = stmt.where(Placement.intern_id == intern_id)
        among = [intern_id]
    if status is not None:
        stmt = stmt.where(Incident.status == status)
    return [_row(found)[0] for found in s.execute(visible_placements(stmt, actor, among))]


def open_incidents(
    s: Session, actor: Actor, today: date, intern_ids: Sequence[int] | None = None
) -> list[dto.OpenIncident]:
    """The open incidents the actor may see (of ``intern_ids`` only, when given), oldest
    first, each with what is still to do: the dashboard's queue. An incident has no due
    date (LEGAL.md gives the IDOL report none), so ``today`` decides nothing yet; it is
    the queue's one signature. Reads the ``status`` index and only the open rows."""
    require(actor, Permission.READ_RECORDS)
    del today  # no notice has a deadline in the packs
    stmt = (
        _rows_query()
        .where(Incident.status == "open")
        .order_by(Incident.occurred_at_local, Incident.id)
    )
    among = None
    if intern_ids is not None:
        among = [i for i in intern_ids if storable(i)]
        stmt = stmt.where(Placement.intern_id.in_(among))
    out = []
    for found in s.execute(visible_placements(stmt, actor, among)):
        row, _ = _row(found)
        out.append(
            dto.OpenIncident(
                id=row.id,
                intern_id=row.intern_id,
                placement_id=row.placement_id,
                intern_name=row.intern_name,
                kind_label=row.kind_label,
                occurred_on=row.occurred_at.date(),
                to_do=row.to_do,
            )
        )
    return out


def _account_name(s: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    account = s.get(UserAccount, user_id)
    return (account.display_name or account.username) if account else None


def _author_id(s: Session, actor: Actor) -> int | None:
    if actor.user_id is None or s.get(UserAccount, actor.user_id) is None:
        return None
    return actor.user_id


def _detail(s: Session, actor: Actor, incident: Incident) -> dto.IncidentDetail:
    found = s.execute(_rows_query().where(Incident.id == incident.id)).one()
    row, notices = _row(found)
    machine = s.get(Equipment, incident.equipment_id) if incident.equipment_id else None
    tasks = load_rules(None).tasks
    task = tasks.get(incident.task_key) if incident.task_key else None
    is_open = incident.status == "open"
    hr = actor.can(Permission.EDIT_RECORDS)
    return dto.IncidentDetail(
        row=row,
        equipment_id=incident.equipment_id,
        equipment=machine.name if machine else None,
        task_key=incident.task_key,
        task=task.label if task else incident.task_key,
        body_part=incident.body_part,
        treatment=incident.treatment if actor.can(Permission.SEE_MEDICAL) else None,
        told_whom=incident.told_whom,
        osha_recordable=incident.osha_recordable,
        notices=notices,
        reported_by=_account_name(s, incident.reported_by),
        closed_at=incident.closed_at,
        closed_by=_account_name(s, incident.closed_by),
        can_edit=is_open and actor.can(Permission.LOG_MENTORING),
        can_close=is_open and hr and all(n.settled for n in notices),
        can_reopen=not is_open and hr,
    )


def get_incident(s: Session, actor: Actor, incident_id: int) -> dto.IncidentDetail:
    require(actor, Permission.READ_RECORDS)
    return _detail(s, actor, _incident(s, actor, incident_id))


def incident_input(s: Session, actor: Actor, incident_id: int) -> IncidentInput:
    """The incident as its dialog edits it; treatment only for a role that reads it."""
    require(actor, Permission.READ_RECORDS)
    i = _incident(s, actor, incident_id)

    def notice(key: str) -> NoticeInput:
        done, reason = NOTICE_COLUMNS[key]
        return NoticeInput(getattr(i, done), getattr(i, reason))

    return IncidentInput(
        placement_id=i.placement_id,
        kind=i.kind,
        occurred_at=i.occurred_at_local,
        description=i.description,
        worksite_id=i.worksite_id,
        area_id=i.area_id,
        equipment_id=i.equipment_id,
        task_key=i.task_key,
        body_part=i.body_part,
        treatment=i.treatment if actor.can(Permission.SEE_MEDICAL) else None,
        told_whom=i.told_whom,
        osha_recordable=i.osha_recordable,
        **{key: notice(key) for key in NOTICE_KEYS},
    )


def incident_choices(s: Session, actor: Actor, intern_id: int) -> dto.IncidentChoices:
    """The intern's placements, the worksites with their areas and machines, the task
    catalog and the kinds: what the incident dialog offers."""
    require(actor, Permission.READ_RECORDS)
    if not storable(intern_id):
        raise NotFound(f"no intern with id {intern_id}")
    stmt = (
        select(Placement, Worksite.name)
        .outerjoin(Worksite, Worksite.id == Placement.worksite_id)
        .where(Placement.intern_id == intern_id)
        .order_by(Placement.start_date.desc(), Placement.id.desc())
    )
    placements = list(s.execute(visible_placements(stmt, actor, [intern_id])))
    if not placements:
        raise NotFound(f"no placement of intern {intern_id}")
    sites = list(s.scalars(select(Worksite).order_by(Worksite.name, Worksite.id)))
    areas = s.scalars(select(Area).order_by(Area.name, Area.id))
    machines = s.scalars(
        select(Equipment).where(Equipment.archived_at.is_(None)).order_by(Equipment.name)
    )
    return dto.IncidentChoices(
        placements=tuple(
            (p.id, f"{p.start_date.isoformat()} – {site or 'no worksite'}")
            for p, site in placements
        ),
        placement_worksites=tuple((p.id, p.worksite_id) for p, _ in placements),
        worksites=tuple(dto.Choice(w.id, w.name) for w in sites),
        areas=tuple(dto.Choice(a.id, a.name, a.worksite_id) for a in areas),
        equipment=tuple(dto.Choice(m.id, m.name, m.worksite_id) for m in machines),
        tasks=tuple((key, t.label) for key, t in sorted(load_rules(None).tasks.items())),
        kinds=tuple(KIND_LABELS.items()),
        notices=tuple(_notice(n) for n in all_notices()),
        sees_treatment=actor.can(Permission.SEE_MEDICAL),
        records_osha=actor.can(Permission.EDIT_RECORDS),
    )


# -- recording


def _occurred(check: Checker, value: object, placement: Placement, today: date) -> datetime | None:
    """A local date and time within the placement, not after today."""
    if value is None:
        check.fail("occurred_at", "is required")
        return None
    if not isinstance(value, datetime):
        check.fail("occurred_at", "is not a date and time")
        return None
    if value.tzinfo is not None:
        check.fail("occurred_at", "must be a local time at the worksite, without a time zone")
        return None
    day = check.work_date("occurred_at", value.date())
    if day is None:
        return None
    if day > today:
        check.fail("occurred_at", "is in the future")
    elif day < placement.start_date:
        check.fail("occurred_at", f"is before the placement started ({placement.start_date})")
    elif placement.end_date is not None and day > placement.end_date:
        check.fail("occurred_at", f"is after the placement ended ({placement.end_date})")
    else:
        return value.replace(second=0, microsecond=0)
    return None


def _where(
    s: Session, check: Checker, data: IncidentInput, placement: Placement
) -> tuple[int | None, int | None, int | None]:
    """The worksite (the placement's by default), area and machine, each checked to
    be on record and the area and machine to be at that worksite."""
    site_id = data.worksite_id if data.worksite_id is not None else placement.worksite_id
    site = by_id(s, Worksite, site_id) if site_id is not None else None
    if site_id is not None and site is None:
        check.fail("worksite", f"no worksite with id {site_id}")
    area_id = data.area_id
    if area_id is not None:
        area = by_id(s, Area, area_id)
        if area is None:
            check.fail("area", f"no area with id {area_id}")
        elif site is None or area.worksite_id != site.id:
            check.fail("area", "is not an area of that worksite")
    machine_id = data.equipment_id
    if machine_id is not None:
        machine = by_id(s, Equipment, machine_id)
        if machine is None:
            check.fail("equipment", f"no equipment with id {machine_id}")
        elif site is None or machine.worksite_id != site.id:
            check.fail("equipment", "is not at that worksite")
    return (site.id if site else None), area_id, machine_id


def _checked_notices(
    check: Checker,
    data: IncidentInput,
    required: tuple[Notice, ...] | None,
    occurred: date | None,
    today: date,
) -> dict[str, tuple[date | None, str | None]]:
    """Each notice's (date, reason). A notice that does not apply records nothing;
    one that does records a date (not before the incident, not in the future) or a
    reason, not both. ``required`` None: not known (other fields failed)."""
    keys = {n.key for n in required} if required is not None else set(NOTICE_KEYS)
    out: dict[str, tuple[date | None, str | None]] = {}
    for key in NOTICE_KEYS:
        given = getattr(data, key)
        if not isinstance(given, NoticeInput):
            check.fail(key, "is not a notice")
            continue
        done = check.work_date(f"{key}.done_on", given.done_on)
        reason = check.text(f"{key}.not_needed", given.not_needed, max_len=TEXT_MAX, multiline=True)
        if key not in keys:
            if done is not None or reason:
                check.fail(key, "does not apply to this incident")
            out[key] = (None, None)
            continue
        if done is not None and reason:
            check.fail(
                f"{key}.not_needed", "give the date it was done or why it was not needed, not both"
            )
        elif done is not None and occurred is not None and done < occurred:
            check.fail(f"{key}.done_on", "is before the incident")
        elif done is not None and done > today:
            check.fail(f"{key}.done_on", "is in the future")
        out[key] = (done, reason or None)
    return out


def _treatment(check: Checker, actor: Actor, given: str | None, stored: str | None) -> str | None:
    """What treatment becomes: the text given (HR), or the stored text with the text
    given added (a role that never reads it back); None leaves it as it is."""
    if given is None:
        return None
    text = check.text("treatment", given, max_len=TEXT_MAX, multiline=True)
    if stored is None or actor.can(Permission.SEE_MEDICAL):
        return text
    if not text:
        return None
    combined = f"{stored}\n\n{text}" if stored else text
    if len(combined) > TEXT_MAX:
        check.fail("treatment", f"would make the treatment longer than {TEXT_MAX} characters")
        return None
    return combined


def save_incident(
    s: Session,
    actor: Actor,
    data: IncidentInput,
    incident_id: int | None = None,
    *,
    today: date,
) -> dto.IncidentDetail:
    """Record an incident (``incident_id`` None) or correct an open one. HR and the
    intern's mentor; OSHA recordability is HR's to record."""
    require(actor, Permission.LOG_MENTORING)
    incident = _incident(s, actor, incident_id) if incident_id is not None else None
    if incident is not None and incident.status != "open":
        raise Conflict("the incident is closed: HR reopens it before it is changed")
    placement, intern = _placement(s, actor, data.placement_id)
    if incident is not None and placement.intern_id != _intern_of(s, incident):
        raise ValidationError("is a placement of another intern", "placement")
    check = Checker()
    kind = check.choice("kind", data.kind, INCIDENT_KINDS)
    occurred = _occurred(check, data.occurred_at, placement, today)
    description = check.text(
        "description", data.description, required=True, max_len=DESCRIPTION_MAX, multiline=True
    )
    site_id, area_id, machine_id = _where(s, check, data, placement)
    task_key = data.task_key or None
    if task_key is not None and task_key not in load_rules(None).tasks:
        check.fail("task_key", "is not a task of the catalog")
    body_part = check.text("body_part", data.body_part, max_len=BODY_PART_MAX)
    told_whom = check.text("told_whom", data.told_whom, max_len=TEXT_MAX, multiline=True)
    treatment = _treatment(check, actor, data.treatment, incident.treatment if incident else None)
    osha = data.osha_recordable
    if osha is not None and not isinstance(osha, bool):
        check.fail("osha_recordable", "is not yes or no")
    elif osha != (incident.osha_recordable if incident else None) and not actor.can(
        Permission.EDIT_RECORDS
    ):
        check.fail("osha_recordable", "is recorded by HR")
    required = None
    if kind in INCIDENT_KINDS and occurred is not None and not check.failed("worksite"):
        required = _required(
            kind, occurred.date(), intern.birth_date, _state(s, site_id), placement.program
        )
    notices = _checked_notices(check, data, required, occurred.date() if occurred else None, today)
    check.done()
    assert occurred is not None
    audit.label(s, "record incident" if incident is None else "edit incident")
    if incident is None:
        incident = Incident(reported_by=_author_id(s, actor), status="open", treatment="")
        s.add(incident)
    incident.placement_id = placement.id
    incident.kind = kind
    incident.occurred_at_local = occurred
    incident.description = description
    incident.worksite_id = site_id
    incident.area_id = area_id
    incident.equipment_id = machine_id
    incident.task_key = task_key
    incident.body_part = body_part
    incident.told_whom = told_whom
    if treatment is not None:
        incident.treatment = treatment
    incident.osha_recordable = osha
    for key, (done, reason) in notices.items():
        done_column, reason_column = NOTICE_COLUMNS[key]
        setattr(incident, done_column, done)
        setattr(incident, reason_column, reason)
    s.flush()
    return _detail(s, actor, incident)


def close_incident(s: Session, actor: Actor, incident_id: int) -> dto.IncidentDetail:
    """HR closes an incident once every notice is done or marked not needed; it is
    refused before, naming each notice still to do."""
    require(actor, Permission.EDIT_RECORDS)
    incident = _incident(s, actor, incident_id)
    if incident.status != "open":
        raise Conflict("the incident is already closed")
    detail = _detail(s, actor, incident)
    missing = [n for n in detail.notices if not n.settled]
    if missing:
        raise ValidationError(
            [
                FieldError(
                    n.key, f"{n.title}: record the date, or mark it not needed with a reason"
                )
                for n in missing
            ]
        )
    audit.label(s, "close incident")
    incident.status = "closed"
    incident.closed_at = utcnow()
    incident.closed_by = _author_id(s, actor)
    s.flush()
    return _detail(s, actor, incident)


def reopen_incident(s: Session, actor: Actor, incident_id: int) -> dto.IncidentDetail:
    """HR reopens a closed incident (to correct it or record a late notice)."""
    require(actor, Permission.EDIT_RECORDS)
    incident = _incident(s, actor, incident_id)
    if incident.status != "closed":
        raise Conflict("the incident is open")
    audit.label(s, "reopen incident")
    incident.status = "open"
    incident.closed_at = None
    incident.closed_by = None
    s.flush()
    return _detail(s, actor, incident)
