"""Frozen values of the forms (issue 15): what a form is, and what one printing of it
holds. Built by ``services/forms.py`` for the acting user (a field the role may not
see is never in ``values``); drawn by ``core/reports/forms``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from internhost.core.dto import TimesheetContent


@dataclass(frozen=True)
class FormInfo:
    """A form the command line and the app offer, by its command-line name."""

    name: str
    title: str
    subject: str
    #: Whether a mentor may have it pre-filled for their own interns (the form shows
    #: nothing a mentor may not see: no birth date, guardian or home address).
    mentor_may_fill: bool


@dataclass(frozen=True)
class FormTable:
    """Rows of one of a form's tables; ``columns`` empty: the form text's headings."""

    rows: tuple[tuple[str, ...], ...] = ()
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormContent:
    """One form, blank (``prefilled`` False: only the employer is filled in) or
    pre-filled from the database. ``values`` and ``tables`` are keyed as the form's
    text in ``resources/forms/<name>.toml`` names them."""

    name: str
    title: str
    employer: str
    prefilled: bool
    generated_on: date
    values: tuple[tuple[str, str], ...] = ()
    tables: tuple[tuple[str, FormTable], ...] = ()
    #: The pre-filled weekly timesheet, drawn by ``reports/timesheet.py``.
    timesheet: TimesheetContent | None = None
    #: Shown under the header: whose form this is (empty for a blank form).
    about: str = ""

    def value(self, key: str) -> str:
        return dict(self.values).get(key, "")

    def table(self, key: str) -> FormTable | None:
        return dict(self.tables).get(key)


@dataclass(frozen=True)
class ReferenceLetter:
    """A placement's draft reference letter: the text saved, or the starting draft."""

    placement_id: int
    intern_id: int
    text: str
    #: False while nobody saved an edit: ``text`` is the draft from the form text.
    saved: bool
    #: The starting draft from the form text, filled in from the placement (what
    #: "Start again from the draft" puts back, and what saving an empty text keeps).
    draft: str = ""
