"""What the check-in services hand the GUI and the CLI: check-ins with what the reader
may see of them, their cadence and when the next is due.

Internal notes leave the core only for HR (all of them) and for their author (theirs);
a concern's details and HR's resolution likewise only for HR and the intern's mentor:
a viewer sees that a concern was raised and its category, never what it says."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class InternalNoteRow:
    id: int
    author: str
    #: Whether the reader wrote it (the one note of a check-in they may edit).
    mine: bool
    text: str


@dataclass(frozen=True)
class ConcernRow:
    id: int
    check_in_id: int
    category: str
    category_label: str
    #: None for a reader who may not see what the concern says (a viewer).
    details: str | None
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None


@dataclass(frozen=True)
class ActionRow:
    id: int
    text: str
    due_on: date | None
    done_on: date | None


@dataclass(frozen=True)
class CheckInRow:
    id: int
    placement_id: int
    intern_id: int
    held_on: date
    minutes: int | None
    mode: str
    topics: tuple[str, ...]
    shared_notes: str
    reflection: str
    mood: int | None
    mentor: str | None
    author: str | None
    concern: ConcernRow | None
    actions: tuple[ActionRow, ...]
    #: Only the notes the reader may see: all for HR, their own for a mentor, none for
    #: a viewer.
    internal_notes: tuple[InternalNoteRow, ...]
    #: Whether the reader may edit the check-in (and tick its actions).
    can_edit: bool

    @property
    def open_actions(self) -> int:
        return sum(1 for a in self.actions if a.done_on is None)


@dataclass(frozen=True)
class TopicRow:
    key: str
    name: str
    retired: bool


@dataclass(frozen=True)
class CadenceRow:
    """How often a placement's check-ins are due; ``stored`` False: the default (the
    placement's "check-in every" days, else weekly)."""

    placement_id: int
    every_days: int | None
    weekdays: tuple[str, ...]
    skip_non_school_days: bool
    skip_closures: bool
    stored: bool

    @property
    def summary(self) -> str:
        if self.weekdays:
            when = "every " + ", ".join(d.capitalize() for d in self.weekdays)
        elif self.every_days == 1:
            when = "every day"
        else:
            when = f"every {self.every_days} days"
        skips = [
            what
            for what, on in (
                ("days without school", self.skip_non_school_days),
                ("plant closures", self.skip_closures),
            )
            if on
        ]
        return when + (f", skipping {' and '.join(skips)}" if skips else "")


@dataclass(frozen=True)
class CheckInDue:
    """A placement's next check-in: due on ``due_on`` (overdue when before today)."""

    placement_id: int
    intern_id: int
    intern_name: str
    mentor_id: int | None
    mentor: str | None
    worksite: str | None
    last_held_on: date | None
    due_on: date | None
    overdue: bool


@dataclass(frozen=True)
class MandatedReporting:
    """What the check-in shows with a wellbeing or possible-abuse concern: the school
    coordinator's contact, and the packs' guidance (LEGAL.md C17) with its citation."""

    categories: tuple[str, ...]
    title: str
    text: str
    hotline: str
    citation: str
    verification: str
    coordinator_name: str
    coordinator_email: str
    coordinator_phone: str
    school: str


@dataclass(frozen=True)
class CheckInChoices:
    """What the check-in dialog offers: the topics in use, the concern categories, the
    modes, and the defaults of a new check-in."""

    topics: tuple[str, ...]
    concern_categories: tuple[tuple[str, str], ...]
    modes: tuple[tuple[str, str], ...]
    default_minutes: int
    default_mode: str


@dataclass(frozen=True)
class OpenConcern:
    """A concern HR has not resolved yet (the queue's ``concern`` kind)."""

    id: int
    check_in_id: int
    intern_id: int
    placement_id: int
    intern_name: str
    category: str
    category_label: str
    raised_on: date


@dataclass(frozen=True)
class OpenActionItem:
    """An action item not done by its due date (the queue's ``action_item`` kind)."""

    id: int
    check_in_id: int
    intern_id: int
    placement_id: int
    intern_name: str
    text: str
    due_on: date | None
