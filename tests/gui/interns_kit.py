"""The interns screens' test kit: reading as the screens read, and an intern typed in.

App code may not read on the GUI thread (the guard in ``gui/database.py`` fails the
test), and a service a screen module defines is app code: a test that needs what a
dialog reads before it opens reads it here, on the database worker through
``gui.ops``, then builds the dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from internhost.gui.dialogs.intern_editor import InternEditor, read_editor
from internhost.gui.ops import Ops

T = TypeVar("T")
#: A guardian and an emergency contact, as the contacts table takes them.
CONTACTS = (
    ("guardian", "Ana Pérez", "Mother", "(847) 555-0101", "ana.perez@example.com", True),
    ("emergency", "Luis Pérez", "Uncle", "(847) 555-0102", "", False),
)


def read_on_worker(ops: Ops, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``service(session, actor, *args, **kwargs)``'s answer, read on ``ops``'s worker."""
    answers: list[T] = []
    ops.read(ops, service, *args, done=answers.append, **kwargs)
    assert ops.runner.settle(), "the worker did not answer"
    return answers[0]


def intern_editor(ops: Ops, intern_id: int | None) -> InternEditor:
    """The intern editor as ``edit_intern`` opens it (not shown)."""
    return InternEditor(ops, read_on_worker(ops, read_editor, intern_id), intern_id)


def fill_details(editor: InternEditor, school: int) -> None:
    """Type a new intern's details (the school's id is read before the dialog opens:
    a read inside its modal loop has app code on the stack, and the guard refuses it)."""
    details = editor.details
    details.input("legal_first_name").set_value("Mariana")
    details.input("legal_last_name").set_value("Pérez-Lindqvist")
    details.input("birth_date").set_value(date(2010, 3, 14))
    details.input("school_id").set_value(school)
    details.input("grade").set_value(11)
    details.input("student_id").set_value("U46-20931")
    details.input("address").set_value("418 Wing St\nElgin, IL 60123")
