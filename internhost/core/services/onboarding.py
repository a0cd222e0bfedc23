"""Where onboarding stands: what the law and the schools need before interns start,
what is done and what is missing, for the wizard's Summary page and the dashboard;
where the wizard was left; and ticking off the steps of each intern's onboarding plan.

The status only reads. Each missing item names the wizard page (or records screen)
and the field that fixes it, so the GUI can link there; citations point into
``domain/LEGAL.md`` (its checklist numbers C1–C22 and sections) and are read from
the rule packs. The reminder horizons below are the app's, not the law's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection
from datetime import date
from functools import cache

from sqlalchemy import Row, Select, func, or_, select
from sqlalchemy.orm import Session, selectinload

from internhost.core import dto
from internhost.core.actor import Actor, Permission, require
from internhost.core.errors import NotFound, PermissionDenied, ValidationError
from internhost.core.models import (
    AppState,
    AuditEvent,
    District,
    Employer,
    Equipment,
    Intern,
    Placement,
    PlanItem,
    School,
    SchoolCalendar,
    Staff,
    Worksite,
)
from internhost.core.models.base import utcnow
from internhost.core.rules.ages import supervisor_rule
from internhost.core.rules.guidance import ages_text
from internhost.core.rules.packs import Pack, find_rule, load_rules, reference, state_packs
from internhost.core.services.compliance import NOTE_MAX
from internhost.core.services.interns import visible_interns, visible_placements
from internhost.core.services.step_owners import step_rights
from internhost.core.trail import audit
from internhost.core.validation import Checker, storable

EXPIRY_WARNING_DAYS = 30
"""How many days before a policy or certificate expires the summary starts listing it
as missing: a reminder to renew in time, not a legal deadline."""

STEPS = (
    ("company", "Company"),
    ("worksites", "Worksites"),
    ("equipment", "Equipment register"),
    ("staff", "Mentors and supervisors"),
    ("schools", "Schools and district calendars"),
    ("interns", "Interns"),
)

CITE_COI = "C11: certificate of insurance exchanged with the school"
CITE_SCREENING = "C13: screening of mentors (policy)"


@cache
def _cite() -> dict[str, str]:
    """What the summary cites beside each thing it asks for, by LEGAL.md's checklist
    number (C1–C22) where it has one, with the citations and ages of the rule packs."""
    areas = find_rule("US-FLSA-570.33-a")
    supervisor = supervisor_rule()
    return {
        "wc": f"C10: {reference('workers_comp')}",
        "fed_poster": f"C18: {reference('flsa_poster')}",
        "areas": f"{areas.citation}: no {ages_text(*areas.ages)}-year-olds in production workrooms",
        "equipment": f"{reference('hazardous_orders')}; {reference('prohibited_occupations')}",
        "supervisor": f"C8: adult {supervisor.params['min_age']} or older on site, "
        f"{supervisor.citation}",
        "residence": str(reference("residence_district")),
    }


def _notice_packs(sites: list[Worksite]) -> list[Pack]:
    """The state packs whose law asks for a child-labor notice posted where minors work
    (a ``posting`` rule), for the states of the worksites; before any worksite is saved,
    every state the packs cover."""
    states = sorted({site.state for site in sites} or set(state_packs()))
    packs = [load_rules(state).state for state in states]
    return [p for p in packs if p is not None and any(r.check == "posting" for r in p.rules)]


def onboarding_status(s: Session, actor: Actor, today: date) -> dto.OnboardingStatus:
    """Every onboarding step with what it needs, done or not, as of ``today``."""
    require(actor, Permission.READ_RECORDS)
    employer = s.get(Employer, 1)
    sites = list(
        s.scalars(
            select(Worksite)
            .where(Worksite.archived_at.is_(None))
            .options(selectinload(Worksite.areas))
            .order_by(Worksite.name)
        )
    )
    steps = {
        "company": _company(employer, sites, today),
        "worksites": _worksites(sites),
        "equipment": _equipment(s, sites),
        "staff": _staff(s),
        "schools": _schools(s, actor, today),
        "interns": _interns(s, actor, today),
    }
    return dto.OnboardingStatus(
        today=today,
        steps=tuple(
            dto.OnboardingStep(key, title, all(i.done for i in steps[key]), tuple(steps[key]))
            for key, title in STEPS
        ),
    )


def _item(
    done: bool,
    text: str,
    page: str,
    field: str | None = None,
    citation: str = "",
    record_id: int | None = None,
) -> dto.OnboardingItem:
    return dto.OnboardingItem(text, done, page, field, citation, record_id)


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"


#: How many names an onboarding item lists before "and N more".
NAMES_SHOWN = 3


def _some(names: list[str]) -> str:
    """ "A, B and C", or "A, B, C and 4 more": who an item is about, at a glance."""
    shown, rest = names[:NAMES_SHOWN], len(names) - NAMES_SHOWN
    if rest > 0:
        return f"{', '.join(shown)} and {rest} more"
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} and {shown[-1]}"


def _expiry(
    what: str, expires: date | None, today: date, field: str, citation: str
) -> dto.OnboardingItem:
    if expires is None:
        return _item(False, f"{what}: expiry date", "company", field, citation)
    if expires < today:
        return _item(False, f"{what} expired on {expires.isoformat()}", "company", field, citation)
    left = (expires - today).days
    if left <= EXPIRY_WARNING_DAYS:
        when = "today" if left == 0 else f"in {_plural(left, 'day')}"
        text = f"{what} expires on {expires.isoformat()} ({when}): renew it"
        return _item(False, text, "company", field, citation)
    return _item(True, f"{what} valid until {expires.isoformat()}", "company", field, citation)


def _company(e: Employer | None, sites: list[Worksite], today: date) -> list[dto.OnboardingItem]:
    get = (lambda name: getattr(e, name)) if e is not None else (lambda name: None)
    hr_reachable = bool(get("hr_contact_email") or get("hr_contact_phone"))
    items = [
        _item(bool(get("legal_name")), "Company legal name", "company", "legal_name"),
        _item(
            bool(get("hr_contact_name")) and hr_reachable,
            "HR contact with an e-mail address or phone number",
            "company",
            "hr_contact_email" if get("hr_contact_name") else "hr_contact_name",
        ),
        _item(
            bool(get("wc_carrier")),
            "Workers' compensation carrier",
            "company",
            "wc_carrier",
            _cite()["wc"],
        ),
        _item(
            bool(get("wc_policy_number")),
            "Workers' compensation policy number",
            "company",
            "wc_policy_number",
            _cite()["wc"],
        ),
        _expiry(
            "Workers' compensation policy",
            get("wc_policy_expires"),
            today,
            "wc_policy_expires",
            _cite()["wc"],
        ),
        _expiry(
            "Liability insurance certificate",
            get("liability_coi_expires"),
            today,
            "liability_coi_expires",
            CITE_COI,
        ),
    ]
    for pack in _notice_packs(sites):
        posting = next(r for r in pack.rules if r.check == "posting")
        items.append(
            _posted(
                f"{pack.state_name} child-labor notice posted",
                get("child_labor_notice_posted_on"),
                today,
                "child_labor_notice_posted_on",
                f"C18: {posting.citation}",
            )
        )
    items.append(
        _posted(
            "Federal FLSA poster posted",
            get("federal_poster_posted_on"),
            today,
            "federal_poster_posted_on",
            _cite()["fed_poster"],
        )
    )
    return items


def _posted(
    what: str, on: date | None, today: date, field: str, citation: str
) -> dto.OnboardingItem:
    if on is None:
        return _item(False, f"{what} (with the date)", "company", field, citation)
    if on > today:
        return _item(
            False, f"{what}: {on.isoformat()} is in the future", "company", field, citation
        )
    return _item(True, f"{what} on {on.isoformat()}", "company", field, citation)


def _worksites(sites: list[Worksite]) -> list[dto.OnboardingItem]:
    items = [_item(bool(sites), "At least one worksite", "worksites", "name")]
    for site in sites:
        kinds = sorted({a.kind for a in site.areas})
        if site.areas:
            text = f"{site.name}: {_plural(len(site.areas), 'area')} ({', '.join(kinds)})"
        else:
            text = f"{site.name}: list its areas, each a production workroom or an office"
        items.append(_item(bool(site.areas), text, "worksites", "areas", _cite()["areas"], site.id))
    return items


def _equipment(s: Session, sites: list[Worksite]) -> list[dto.OnboardingItem]:
    if not sites:
        return [
            _item(
                False,
                "Register the machines of each production worksite (add a worksite first)",
                "equipment",
                None,
                _cite()["equipment"],
            )
        ]
    counts = dict(
        s.execute(
            select(Equipment.worksite_id, func.count(Equipment.id))
            .where(Equipment.archived_at.is_(None))
            .group_by(Equipment.worksite_id)
        ).all()
    )
    production = [site for site in sites if any(a.kind == "production" for a in site.areas)]
    if not production:
        return [
            _item(True, "No worksite has production areas: no machines to register", "equipment")
        ]
    items = []
    for site in production:
        n = counts.get(site.id, 0)
        text = (
            f"{site.name}: {_plural(n, 'machine')} registered"
            if n
            else f"{site.name}: register the machines of its production areas"
        )
        items.append(_item(bool(n), text, "equipment", "name", _cite()["equipment"], site.id))
    return items


def _mentor_facts() -> tuple[tuple[str, str, str], ...]:
    """What a mentor's record needs: the field, what to do, its citation."""
    age = supervisor_rule().params["min_age"]
    return (
        ("is_21_or_older", f"confirm {age} or older", _cite()["supervisor"]),
        ("clearance_date", "add the background check / clearance date", CITE_SCREENING),
        ("mentor_training_date", "add the mentor training date", ""),
    )


def _staff(s: Session) -> list[dto.OnboardingItem]:
    mentors = list(
        s.scalars(
            select(Staff)
            .where(Staff.role == "mentor", Staff.archived_at.is_(None))
            .order_by(func.lower(Staff.last_name), func.lower(Staff.first_name), Staff.id)
        )
    )
    items = [_item(bool(mentors), "At least one mentor", "staff", "first_name")]
    facts = _mentor_facts()
    age = supervisor_rule().params["min_age"]
    for m in mentors:
        missing = [(f, what, cite) for f, what, cite in facts if not getattr(m, f)]
        if missing:
            text = f"{m.full_name}: " + "; ".join(what for _, what, _ in missing)
            field, _, cite = missing[0]
            items.append(_item(False, text, "staff", field, cite, m.id))
        else:
            text = f"{m.full_name}: {age} or older, cleared and trained"
            items.append(_item(True, text, "staff", None, _cite()["supervisor"], m.id))
    return items


def _schools(s: Session, actor: Actor, today: date) -> list[dto.OnboardingItem]:
    schools = list(
        s.execute(
            select(School.name, School.district_id)
            .where(School.archived_at.is_(None))
            .order_by(func.lower(School.name))
        )
    )
    items = [_item(bool(schools), "At least one school", "schools", "name")]
    # Districts whose calendar the hours rules read: the schools' and, since federal
    # school hours follow where the intern lives (§0), the interns' districts of residence.
    needed: dict[int, list[str]] = {}
    for name, district_id in schools:
        needed.setdefault(district_id, []).append(name)
    residence = visible_interns(
        select(Intern.residence_district_id).where(
            Intern.archived_at.is_(None), Intern.residence_district_id.is_not(None)
        ),
        actor,
    ).distinct()
    for home_district in s.scalars(residence):
        if home_district is not None:  # as the query asks
            needed.setdefault(home_district, [])
    if not needed:
        return items
    names = dict(s.execute(select(District.id, District.name).where(District.id.in_(needed))).all())
    covered = set(
        s.scalars(
            select(SchoolCalendar.district_id).where(
                SchoolCalendar.district_id.in_(needed), SchoolCalendar.last_day >= today
            )
        )
    )
    for district_id in sorted(needed, key=lambda d: names[d].casefold()):
        who = needed[district_id]
        for_whom = f" (for {', '.join(who)})" if who else " (where interns live)"
        if district_id in covered:
            text = f"{names[district_id]}: calendar for this or the next school year"
        else:
            text = f"{names[district_id]}: add its calendar for this or the next school year"
        items.append(
            _item(
                district_id in covered,
                text + for_whom,
                "schools",
                "calendar",
                _cite()["residence"],
                district_id,
            )
        )
    return items


def _interns(s: Session, actor: Actor, today: date) -> list[dto.OnboardingItem]:
    active = visible_interns(select(Intern.id).where(Intern.archived_at.is_(None)), actor)
    n_interns = s.scalar(select(func.count()).select_from(active.subquery())) or 0
    items = [
        _item(
            bool(n_interns),
            f"{_plural(n_interns, 'intern')} on record" if n_interns else "At least one intern",
            "interns",
            None,
        )
    ]
    unconfirmed_rows = s.execute(
        select(Intern.id, Intern.preferred_name, Intern.legal_first_name, Intern.legal_last_name)
        .where(Intern.id.in_(active), Intern.residence_district_confirmed.is_(False))
        .order_by(Intern.sort_name, Intern.id)
    ).all()
    unconfirmed = [row.id for row in unconfirmed_rows]
    names = [
        f"{r.preferred_name or r.legal_first_name} {r.legal_last_name}" for r in unconfirmed_rows
    ]
    items.append(
        _item(
            not unconfirmed,
            f"Confirm the district of residence of {_plural(len(unconfirmed), 'intern')}: "
            f"{_some(names)}"
            if unconfirmed
            else "Every intern's district of residence confirmed",
            "interns",
            "residence_district",
            _cite()["residence"],
            unconfirmed[0] if unconfirmed else None,
        )
    )
    current = (
        select(Placement.intern_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(
            Intern.archived_at.is_(None),
            Placement.archived_at.is_(None),
            or_(Placement.end_date.is_(None), Placement.end_date >= today),
        )
        .order_by(Intern.sort_name, Placement.start_date)
    )
    current = visible_placements(current, actor)
    for column, what, field in (
        (Placement.worksite_id, "worksite", "worksite"),
        (Placement.mentor_id, "mentor", "mentor"),
    ):
        lacking = list(s.scalars(current.where(column.is_(None))))
        text = (
            f"Give {_plural(len(lacking), 'current placement')} a {what}"
            if lacking
            else f"Every current placement has a {what}"
        )
        items.append(
            _item(not lacking, text, "interns", field, "", lacking[0] if lacking else None)
        )
    return items


# -- where the wizard was left

WIZARD_PAGE_KEY = "onboarding.page"
WIZARD_FINISHED_KEY = "onboarding.finished"
PAGE_NAME = re.compile(r"^[a-z][a-z0-9_.-]{0,63}$")


def wizard_position(s: Session) -> str | None:
    """The wizard page to resume at; None when it was finished or never started."""
    state = s.get(AppState, WIZARD_PAGE_KEY)
    return state.value if state else None


def wizard_finished(s: Session) -> bool:
    return s.get(AppState, WIZARD_FINISHED_KEY) is not None


def set_wizard_position(s: Session, actor: Actor, page: str | None) -> None:
    """Remember the page the wizard is on; None marks the wizard finished. Opening a
    page again (re-running the wizard) makes it unfinished until it is finished again."""
    require(actor, Permission.EDIT_RECORDS)
    if page is not None and not PAGE_NAME.match(page):
        raise ValidationError(f"{page!r} is not a wizard page name", field="page")
    _put(s, WIZARD_PAGE_KEY, page)
    _put(s, WIZARD_FINISHED_KEY, utcnow().isoformat() if page is None else None)
    s.flush()


def _put(s: Session, key: str, value: str | None) -> None:
    state = s.get(AppState, key)
    if value is None:
        if state is not None:
            s.delete(state)
    elif state is None:
        s.add(AppState(key=key, value=value))
    elif key != WIZARD_FINISHED_KEY:  # finishing twice keeps the first time
        state.value = value


# -- the onboarding plan of each placement


#: The audit trail's aggregate of a placement's plan items (``PlanItem.__audit_root__``).
PLAN_AGGREGATE = "placement_plan"

#: What ``plan_query`` selects: a plan item, its intern's id and names (first,
#: preferred, last).
PlanColumns = tuple[PlanItem, int, str, str, str]


def plan_query(actor: Actor, *, include_archived: bool = False) -> Select[*PlanColumns]:
    """Plan items with their intern, of interns the actor may see; archived interns and
    placements are left out unless ``include_archived``."""
    stmt = (
        select(
            PlanItem,
            Placement.intern_id,
            Intern.legal_first_name,
            Intern.preferred_name,
            Intern.legal_last_name,
        )
        .join(Placement, Placement.id == PlanItem.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
    )
    if not include_archived:
        stmt = stmt.where(Intern.archived_at.is_(None), Placement.archived_at.is_(None))
    return visible_placements(stmt, actor)


def plan_due_row(
    row: Row[*PlanColumns],
    today: date,
    *,
    may_tick: bool = False,
    completed_by: str | None = None,
) -> dto.PlanDue:
    """A plan item as a row for the reader: ``may_tick`` whether they may tick it
    (``step_owners``), ``completed_by`` who ticked it done (``_plan_completers``)."""
    item, intern_id, first, preferred, last = row
    done = item.status == "done"
    return dto.PlanDue(
        item_id=item.id,
        intern_id=intern_id,
        intern_name=f"{preferred or first} {last}",
        placement_id=item.placement_id,
        phase=item.phase,
        title=item.title,
        owner=item.owner_role,
        due_date=item.due_date,
        overdue=item.status == "open" and item.due_date is not None and item.due_date < today,
        status=item.status,
        note=item.note,
        may_tick=may_tick,
        completed_at=item.completed_at if done else None,
        completed_by=completed_by if done else None,
    )


def _plan_completers(s: Session, placement_ids: Collection[int]) -> dict[int, str]:
    """Who ticked each done plan item of these placements, by item id: the name on
    the last audit event that made it done (the plan item keeps when, the trail who).
    Purged or unreadable events name no one."""
    if not placement_ids:
        return {}
    events = s.execute(
        select(AuditEvent.actor_name, AuditEvent.payload)
        .where(
            AuditEvent.aggregate_type == PLAN_AGGREGATE,
            AuditEvent.aggregate_id.in_(list(set(placement_ids))),
            AuditEvent.purged_at.is_(None),
        )
        .order_by(AuditEvent.seq)
    )
    who: dict[int, str] = {}
    for name, payload in events:
        try:
            records = json.loads(payload)
        except ValueError:
            continue
        if not isinstance(records, dict):
            continue
        for key, change in records.items():
            table, _, item_id = key.partition(":")
            after = change.get("after") if isinstance(change, dict) else None
            if table != PlanItem.__tablename__ or not item_id.isdigit():
                continue
            if isinstance(after, dict) and after.get("status") == "done":
                who[int(item_id)] = name
            elif isinstance(after, dict) and "status" in after:
                who.pop(int(item_id), None)
    return who


def list_plan_items(s: Session, actor: Actor, intern_id: int, today: date) -> list[dto.PlanDue]:
    """Every step of an intern's onboarding plans, newest placement first, in plan
    order; each says whether the actor may tick it and who completed it when."""
    require(actor, Permission.READ_RECORDS)
    if not storable(intern_id):
        raise NotFound(f"no intern with id {intern_id}")
    mine = visible_interns(select(Intern.id), actor, among=[intern_id])
    visible = s.scalar(mine.where(Intern.id == intern_id))
    if visible is None:
        raise NotFound(f"no intern with id {intern_id}")
    stmt = (
        plan_query(actor, include_archived=True)
        .where(Placement.intern_id == intern_id)
        .order_by(Placement.start_date.desc(), PlanItem.position, PlanItem.id)
    )
    rows = list(s.execute(stmt))
    placements = {row[0].placement_id for row in rows}
    rights = step_rights(s, actor, placements)
    who = _plan_completers(s, placements)
    return [
        plan_due_row(
            row,
            today,
            may_tick=rights.plan_refusal(row[0]) is None,
            completed_by=who.get(row[0].id),
        )
        for row in rows
    ]


def update_plan_item(
    s: Session,
    actor: Actor,
    item_id: int,
    *,
    done: bool,
    note: str | None = None,
    today: date | None = None,
) -> dto.PlanDue:
    """Tick a plan step done (or open it again) and keep a note on it. HR may change
    any step; a mentor (``TICK_OWN_STEPS``) the steps ``step_owners`` gives them.
    ``today`` (default: the computer's date) decides whether the returned row is
    overdue."""
    row = (
        s.execute(plan_query(actor).where(PlanItem.id == item_id)).first()
        if storable(item_id)
        else None
    )
    if row is None:
        require(actor, Permission.READ_RECORDS)
        raise NotFound(f"no onboarding plan item with id {item_id}")
    require(actor, Permission.TICK_OWN_STEPS)
    item = row[0]
    refusal = step_rights(s, actor, [item.placement_id]).plan_refusal(item)
    if refusal is not None:
        raise PermissionDenied(refusal)
    if note is not None:
        check = Checker()
        note = check.text("note", note, max_len=NOTE_MAX, multiline=True)
        check.done()
    audit.label(s, "update plan item")
    status = "done" if done else "open"
    # Who completed it: the actor now, else (done before) the one the trail names.
    who = actor.name if done and status != item.status else None
    if status != item.status:
        item.status = status
        item.completed_at = utcnow() if done else None
    elif done:
        who = _plan_completers(s, [item.placement_id]).get(item.id)
    if note is not None and note != item.note:
        item.note = note
    s.flush()
    return plan_due_row(row, today or date.today(), may_tick=True, completed_by=who)
