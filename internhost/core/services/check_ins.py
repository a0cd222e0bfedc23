"""Check-ins: the mentor's two-minute log, its internal notes, concern and action items.

A check-in records a conversation that happened, so it is saved by HR or by a mentor
for their own interns (``visible_placements``), dated no later than today and inside
the placement. Its ``shared_notes`` go to the school; its internal notes are ``Note``
rows, one per author: whoever saves the check-in writes only their own, and reads
back only their own, except HR, who reads every author's. A viewer reads no internal
note, and no concern's details.

A concern, once raised, reaches HR (the queue lists ``open_concerns``) and stays
until HR records what was done (``resolve_concern``): a save may not remove it, and
a resolved one no longer changes. For a wellbeing or possible-abuse concern the
check-in shows the school coordinator's contact and the checklist pack's
mandated-reporting guidance (``mandated_reporting``; LEGAL.md C17).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, selectinload

from internhost.core.actor import Actor, Permission, require
from internhost.core.dto_check_ins import (
    ActionRow,
    CheckInChoices,
    CheckInRow,
    ConcernRow,
    InternalNoteRow,
    MandatedReporting,
    OpenActionItem,
    OpenConcern,
)
from internhost.core.errors import NotFound
from internhost.core.models import (
    ActionItem,
    CheckIn,
    Concern,
    Intern,
    Note,
    Placement,
    School,
    Staff,
    UserAccount,
)
from internhost.core.models.base import utcnow
from internhost.core.models.enums import CHECK_IN_MODES, CONCERN_CATEGORIES, CONCERN_LABELS
from internhost.core.rules.packs import load_pack
from internhost.core.services.check_in_topics import stored_topics
from internhost.core.services.interns import visible_interns, visible_placements
from internhost.core.trail import audit
from internhost.core.validation import Checker, by_id, storable

TEXT_MAX = 4000
ACTION_MAX = 300
MAX_ACTIONS = 20
MAX_TOPICS = 20
#: The longest check-in a mentor logs, in minutes (a half day; more is a typo).
MAX_MINUTES = 240
DEFAULT_MINUTES = 5
MODE_LABELS = {"in_person": "In person", "remote": "Remote"}


@dataclass(frozen=True)
class ConcernInput:
    category: str
    details: str = ""


@dataclass(frozen=True)
class ActionInput:
    text: str
    due_on: date | None = None
    done_on: date | None = None
    #: The stored action item this one is (None: a new one).
    id: int | None = None


@dataclass(frozen=True)
class CheckInInput:
    """What the check-in dialog edits. ``internal_note`` is the saver's own note
    (empty: none, or theirs removed); other authors' notes are never touched."""

    placement_id: int
    held_on: date | None
    minutes: int | None = DEFAULT_MINUTES
    mode: str = "in_person"
    topics: tuple[str, ...] = ()
    shared_notes: str = ""
    internal_note: str = ""
    reflection: str = ""
    mood: int | None = None
    concern: ConcernInput | None = None
    actions: tuple[ActionInput, ...] = ()


def _require_logging(actor: Actor) -> None:
    """HR edits records; a mentor logs check-ins for their own interns."""
    if not actor.can(Permission.EDIT_RECORDS):
        require(actor, Permission.LOG_MENTORING)


def _sees_all_notes(actor: Actor) -> bool:
    return actor.can(Permission.SEE_INTERNAL_NOTES)


def _sees_concern_details(actor: Actor) -> bool:
    """HR, and the mentor who raised it or mentors the intern; never a viewer."""
    return actor.can(Permission.SEE_INTERNAL_NOTES) or actor.can(Permission.LOG_MENTORING)


def _placement(s: Session, actor: Actor, placement_id: object) -> Placement | None:
    if not storable(placement_id):
        return None
    return s.scalar(
        visible_placements(select(Placement), actor).where(Placement.id == placement_id)
    )


def _check_in(s: Session, actor: Actor, check_in_id: object) -> CheckIn:
    check_in = by_id(s, CheckIn, check_in_id)
    if check_in is None or _placement(s, actor, check_in.placement_id) is None:
        raise NotFound(f"no check-in with id {check_in_id}")
    return check_in


def _own_note(s: Session, actor: Actor, check_in_id: int) -> Note | None:
    author = (
        Note.author_user_id.is_(None)
        if actor.user_id is None
        else Note.author_user_id == actor.user_id
    )
    return s.scalar(select(Note).where(Note.check_in_id == check_in_id, author).limit(1))


# -- reading


def _user_names(s: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = s.execute(
        select(UserAccount.id, UserAccount.display_name, UserAccount.username).where(
            UserAccount.id.in_(wanted)
        )
    )
    return {i: display or username for i, display, username in rows}


def _rows(s: Session, actor: Actor, check_ins: Sequence[CheckIn]) -> list[CheckInRow]:
    """Check-ins as DTOs holding only what ``actor`` may see."""
    if not check_ins:
        return []
    ids = [c.id for c in check_ins]
    notes: dict[int, list[Note]] = {}
    if _sees_all_notes(actor) or actor.can(Permission.LOG_MENTORING):
        stmt = select(Note).where(Note.check_in_id.in_(ids)).order_by(Note.id)
        if not _sees_all_notes(actor):
            stmt = stmt.where(Note.author_user_id == (actor.user_id if actor.user_id else -1))
        for note in s.scalars(stmt):
            notes.setdefault(note.check_in_id or 0, []).append(note)
    placements = {
        pid: iid
        for pid, iid in s.execute(
            select(Placement.id, Placement.intern_id).where(
                Placement.id.in_({c.placement_id for c in check_ins})
            )
        )
    }
    mentors = {
        i: f"{first} {last}"
        for i, first, last in s.execute(
            select(Staff.id, Staff.first_name, Staff.last_name).where(
                Staff.id.in_({c.mentor_id for c in check_ins if c.mentor_id})
            )
        )
    }
    users = _user_names(
        s,
        [c.author_user_id for c in check_ins]
        + [n.author_user_id for ns in notes.values() for n in ns]
        + [c.concern.resolved_by for c in check_ins if c.concern],
    )
    details = _sees_concern_details(actor)
    can_edit = actor.can(Permission.EDIT_RECORDS) or actor.can(Permission.LOG_MENTORING)
    out = []
    for c in check_ins:
        concern = None
        if c.concern is not None:
            concern = _concern_row(c.concern, details, users)
        out.append(
            CheckInRow(
                id=c.id,
                placement_id=c.placement_id,
                intern_id=placements[c.placement_id],
                held_on=c.held_on,
                minutes=c.minutes,
                mode=c.mode,
                topics=tuple(c.topics or ()),
                shared_notes=c.shared_notes,
                reflection=c.reflection,
                mood=c.mood,
                mentor=mentors.get(c.mentor_id) if c.mentor_id else None,
                author=users.get(c.author_user_id) if c.author_user_id else None,
                concern=concern,
                actions=tuple(ActionRow(a.id, a.text, a.due_on, a.done_on) for a in c.actions),
                internal_notes=tuple(
                    InternalNoteRow(
                        n.id,
                        users.get(n.author_user_id, "") if n.author_user_id else "",
                        n.author_user_id == actor.user_id,
                        n.body,
                    )
                    for n in notes.get(c.id, [])
                ),
                can_edit=can_edit,
            )
        )
    return out


def _concern_row(concern: Concern, details: bool, users: dict[int, str]) -> ConcernRow:
    return ConcernRow(
        id=concern.id,
        check_in_id=concern.check_in_id,
        category=concern.category,
        category_label=CONCERN_LABELS.get(concern.category, concern.category),
        details=concern.details if details else None,
        resolved_at=concern.resolved_at,
        resolved_by=users.get(concern.resolved_by) if concern.resolved_by else None,
        resolution=concern.resolution if details else None,
    )


def _with_parts(stmt: Select[CheckIn]) -> Select[CheckIn]:
    return stmt.options(selectinload(CheckIn.concern), selectinload(CheckIn.actions))


def list_check_ins(s: Session, actor: Actor, intern_id: int) -> list[CheckInRow]:
    """An intern's check-ins, newest first."""
    require(actor, Permission.READ_RECORDS)
    if (
        not storable(intern_id)
        or s.scalar(
            visible_interns(select(Intern.id), actor, [intern_id]).where(Intern.id == intern_id)
        )
        is None
    ):
        raise NotFound(f"no intern with id {intern_id}")
    stmt = (
        select(CheckIn)
        .join(Placement, Placement.id == CheckIn.placement_id)
        .where(Placement.intern_id == intern_id)
        .order_by(CheckIn.held_on.desc(), CheckIn.id.desc())
    )
    return _rows(s, actor, list(s.scalars(_with_parts(stmt))))


def get_check_in(s: Session, actor: Actor, check_in_id: int) -> CheckInRow:
    require(actor, Permission.READ_RECORDS)
    return _rows(s, actor, [_check_in(s, actor, check_in_id)])[0]


def check_in_input(s: Session, actor: Actor, check_in_id: int) -> CheckInInput:
    """A stored check-in as the dialog edits it, with the reader's own internal note."""
    _require_logging(actor)
    c = _check_in(s, actor, check_in_id)
    note = _own_note(s, actor, c.id)
    concern = ConcernInput(c.concern.category, c.concern.details) if c.concern else None
    return CheckInInput(
        placement_id=c.placement_id,
        held_on=c.held_on,
        minutes=c.minutes,
        mode=c.mode,
        topics=tuple(c.topics or ()),
        shared_notes=c.shared_notes,
        internal_note=note.body if note else "",
        reflection=c.reflection,
        mood=c.mood,
        concern=concern,
        actions=tuple(ActionInput(a.text, a.due_on, a.done_on, a.id) for a in c.actions),
    )


def check_in_choices(s: Session, actor: Actor) -> CheckInChoices:
    """The topics in use, the concern categories and the modes the dialog offers."""
    require(actor, Permission.READ_RECORDS)
    return CheckInChoices(
        topics=tuple(t.name for t in stored_topics(s) if not t.retired),
        concern_categories=tuple((c, CONCERN_LABELS[c]) for c in CONCERN_CATEGORIES),
        modes=tuple((m, MODE_LABELS[m]) for m in CHECK_IN_MODES),
        default_minutes=DEFAULT_MINUTES,
        default_mode=CHECK_IN_MODES[0],
    )


# -- saving


def _check_topics(check: Checker, topics: object, allowed: set[str]) -> list[str]:
    if not isinstance(topics, tuple | list) or not all(isinstance(t, str) for t in topics):
        check.fail("topics", "is not a list of topics")
        return []
    if len(topics) > MAX_TOPICS:
        check.fail("topics", f"may hold at most {MAX_TOPICS} topics")
        return []
    out: list[str] = []
    for topic in topics:
        if topic not in allowed:
            check.fail("topics", f"{topic[:60]!r} is not a topic of the list")
            return []
        if topic not in out:
            out.append(topic)
    return out


def _check_concern(check: Checker, data: object, stored: Concern | None) -> tuple[str, str] | None:
    if data is None:
        if stored is not None:
            check.fail("concern", "a concern raised stays until HR records what was done")
        return None
    if not isinstance(data, ConcernInput):
        check.fail("concern", "is not a concern")
        return None
    category = check.choice("concern.category", data.category, CONCERN_CATEGORIES)
    details = check.text("concern.details", data.details, max_len=TEXT_MAX, multiline=True)
    if (
        stored is not None
        and stored.resolved_at is not None
        and (category, details) != (stored.category, stored.details)
    ):
        check.fail("concern", "was resolved by HR: it no longer changes")
    return category, details


def _check_actions(
    check: Checker, actions: object, stored: dict[int, ActionItem], today: date
) -> list[tuple[int | None, str, date | None, date | None]]:
    if not isinstance(actions, tuple | list) or len(actions) > MAX_ACTIONS:
        check.fail("actions", f"give at most {MAX_ACTIONS} action items")
        return []
    out = []
    for i, action in enumerate(actions):
        field = f"actions[{i}]"
        if not isinstance(action, ActionInput):
            check.fail(field, "is not an action item")
            continue
        text = check.text(f"{field}.text", action.text, required=True, max_len=ACTION_MAX)
        due = check.work_date(f"{field}.due_on", action.due_on)
        done = check.work_date(f"{field}.done_on", action.done_on)
        if done is not None and done > today:
            check.fail(f"{field}.done_on", "is after today: tick it once done")
        if action.id is not None and action.id not in stored:
            check.fail(f"{field}.id", "is not an action item of this check-in")
        out.append((action.id, text, due, done))
    return out


def save_check_in(
    s: Session, actor: Actor, data: CheckInInput, check_in_id: int | None = None, *, today: date
) -> CheckInRow:
    """Log a check-in (``check_in_id`` None) or correct one."""
    _require_logging(actor)
    stored = _check_in(s, actor, check_in_id) if check_in_id is not None else None
    check = Checker()
    placement = _placement(s, actor, data.placement_id)
    if placement is None:
        check.fail("placement_id", f"no placement with id {data.placement_id}")
    elif stored is not None and placement.id != stored.placement_id:
        check.fail("placement_id", "a check-in stays with its placement")
    held_on = check.work_date("held_on", data.held_on, required=True)
    if held_on is not None and held_on > today:
        check.fail("held_on", f"{held_on.isoformat()} is after today: log a check-in once held")
    elif held_on is not None and placement is not None:
        if held_on < placement.start_date:
            check.fail("held_on", f"is before the placement starts ({placement.start_date})")
        elif placement.end_date is not None and held_on > placement.end_date:
            check.fail("held_on", f"is after the placement ends ({placement.end_date})")
    minutes = check.whole("minutes", data.minutes, low=1, high=MAX_MINUTES)
    mode = check.choice("mode", data.mode, CHECK_IN_MODES)
    mood = check.whole("mood", data.mood, low=1, high=5)
    allowed = {t.name for t in stored_topics(s) if not t.retired} | set(
        (stored.topics or ()) if stored else ()
    )
    topics = _check_topics(check, data.topics, allowed)
    shared = check.text("shared_notes", data.shared_notes, max_len=TEXT_MAX, multiline=True)
    note = check.text("internal_note", data.internal_note, max_len=TEXT_MAX, multiline=True)
    reflection = check.text("reflection", data.reflection, max_len=TEXT_MAX, multiline=True)
    concern = _check_concern(check, data.concern, stored.concern if stored else None)
    stored_actions = {a.id: a for a in stored.actions} if stored else {}
    actions = _check_actions(check, data.actions, stored_actions, today)
    check.done()
    assert placement is not None and held_on is not None
    audit.label(s, "save check-in" if stored else "log check-in")
    if stored is None:
        stored = CheckIn(
            placement_id=placement.id,
            mentor_id=placement.mentor_id,
            author_user_id=actor.user_id,
        )
        s.add(stored)
    stored.held_on, stored.minutes, stored.mode, stored.mood = held_on, minutes, mode, mood
    stored.topics = topics
    stored.shared_notes, stored.reflection = shared, reflection
    _write_concern(stored, concern)
    _write_actions(stored, actions, stored_actions)
    s.flush()
    _write_note(s, actor, stored, placement, note)
    s.flush()
    s.refresh(stored)
    return _rows(s, actor, [stored])[0]


def _write_concern(check_in: CheckIn, concern: tuple[str, str] | None) -> None:
    if concern is None:
        return
    category, details = concern
    if check_in.concern is None:
        check_in.concern = Concern(category=category, details=details)
    elif check_in.concern.resolved_at is None:
        check_in.concern.category, check_in.concern.details = category, details


def _write_actions(
    check_in: CheckIn,
    actions: list[tuple[int | None, str, date | None, date | None]],
    stored: dict[int, ActionItem],
) -> None:
    kept = []
    for position, (action_id, text, due, done) in enumerate(actions):
        item = stored.get(action_id) if action_id is not None else None
        if item is None:
            item = ActionItem()
        item.position, item.text, item.due_on, item.done_on = position, text, due, done
        kept.append(item)
    check_in.actions = kept


def _write_note(
    s: Session, actor: Actor, check_in: CheckIn, placement: Placement, text: str
) -> None:
    """The saver's own internal note: written, changed, or removed when emptied."""
    note = _own_note(s, actor, check_in.id)
    if not text:
        if note is not None:
            s.delete(note)
        return
    if note is None:
        s.add(
            Note(
                intern_id=placement.intern_id,
                placement_id=placement.id,
                author_user_id=actor.user_id,
                check_in_id=check_in.id,
                visibility="internal",
                body=text,
            )
        )
    elif note.body != text:
        note.body = text


def set_action_done(
    s: Session, actor: Actor, action_id: int, done_on: date | None, *, today: date
) -> ActionRow:
    """Tick an action item done on ``done_on`` (None: not done after all)."""
    _require_logging(actor)
    action = by_id(s, ActionItem, action_id)
    if action is None:
        raise NotFound(f"no action item with id {action_id}")
    _check_in(s, actor, action.check_in_id)
    check = Checker()
    day = check.work_date("done_on", done_on)
    if day is not None and day > today:
        check.fail("done_on", "is after today: tick it once done")
    check.done()
    if action.done_on != day:
        audit.label(s, "tick action item" if day else "reopen action item")
        action.done_on = day
        s.flush()
    return ActionRow(action.id, action.text, action.due_on, action.done_on)


# -- concerns: HR's side


def resolve_concern(s: Session, actor: Actor, concern_id: int, resolution: str) -> ConcernRow:
    """HR records what was done about a concern; it then leaves the queue. A resolved
    concern's record of what was done may be corrected (its date stays)."""
    require(actor, Permission.EDIT_RECORDS)
    concern = by_id(s, Concern, concern_id)
    if concern is None:
        raise NotFound(f"no concern with id {concern_id}")
    check = Checker()
    text = check.text("resolution", resolution, required=True, max_len=TEXT_MAX, multiline=True)
    check.done()
    audit.label(s, "resolve concern")
    if concern.resolved_at is None:
        concern.resolved_at, concern.resolved_by = utcnow(), actor.user_id
    concern.resolution = text
    s.flush()
    return _concern_row(concern, True, _user_names(s, [concern.resolved_by]))


def open_concerns(
    s: Session, actor: Actor, intern_ids: Collection[int] | None = None
) -> list[OpenConcern]:
    """Concerns HR has not yet resolved, oldest first: the queue's ``concern`` kind
    (a mentor's: on their interns)."""
    require(actor, Permission.READ_RECORDS)
    stmt = (
        select(Concern.id, Concern.category, CheckIn.id, CheckIn.held_on, Placement.id, Intern)
        .join(CheckIn, CheckIn.id == Concern.check_in_id)
        .join(Placement, Placement.id == CheckIn.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(Concern.resolved_at.is_(None))
        .order_by(CheckIn.held_on, Concern.id)
    )
    if intern_ids is not None:
        stmt = stmt.where(Intern.id.in_([i for i in intern_ids if storable(i)]))
    stmt = visible_interns(stmt, actor)
    return [
        OpenConcern(
            cid,
            check_in_id,
            intern.id,
            placement_id,
            f"{intern.legal_last_name}, {intern.legal_first_name}",
            category,
            CONCERN_LABELS.get(category, category),
            held_on,
        )
        for cid, category, check_in_id, held_on, placement_id, intern in s.execute(stmt)
    ]


def open_action_items(
    s: Session, actor: Actor, today: date, intern_ids: Collection[int] | None = None
) -> list[OpenActionItem]:
    """Action items not yet done whose due date is today or past, earliest first: the
    queue's ``action_item`` kind (a mentor's: on their interns)."""
    require(actor, Permission.READ_RECORDS)
    stmt = (
        select(ActionItem, CheckIn.id, Placement.id, Intern)
        .join(CheckIn, CheckIn.id == ActionItem.check_in_id)
        .join(Placement, Placement.id == CheckIn.placement_id)
        .join(Intern, Intern.id == Placement.intern_id)
        .where(ActionItem.done_on.is_(None), ActionItem.due_on <= today)
        .order_by(ActionItem.due_on, ActionItem.id)
    )
    if intern_ids is not None:
        stmt = stmt.where(Intern.id.in_([i for i in intern_ids if storable(i)]))
    stmt = visible_interns(stmt, actor)
    return [
        OpenActionItem(
            action.id,
            check_in_id,
            intern.id,
            placement_id,
            f"{intern.legal_last_name}, {intern.legal_first_name}",
            action.text,
            action.due_on,
        )
        for action, check_in_id, placement_id, intern in s.execute(stmt)
    ]


def mandated_reporting(s: Session, actor: Actor, placement_id: int) -> MandatedReporting:
    """The guidance a wellbeing or possible-abuse concern shows (the checklist pack's
    ``[mandated_reporting]``, LEGAL.md C17) with the intern's school coordinator."""
    require(actor, Permission.READ_RECORDS)
    placement = _placement(s, actor, placement_id)
    if placement is None:
        raise NotFound(f"no placement with id {placement_id}")
    school = s.get(School, placement.school_id)
    rule = load_pack("checklist").raw["mandated_reporting"]
    return MandatedReporting(
        categories=tuple(rule["categories"]),
        title=rule["title"],
        text=rule["text"],
        hotline=rule["hotline"],
        citation=rule["citation"],
        verification=rule["verification"],
        coordinator_name=school.coordinator_name if school else "",
        coordinator_email=school.coordinator_email if school else "",
        coordinator_phone=school.coordinator_phone if school else "",
        school=school.name if school else "",
    )
