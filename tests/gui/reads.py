"""Reading as the screens read: on the database worker, through ``gui.ops``.

App code may not read on the GUI thread (the guard in ``gui/database.py`` fails the
test), and a service a screen module defines is app code: a test that needs what a
dialog reads before it opens reads it here, then builds the dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from internhost.gui.dialogs.intern_editor import InternEditor, read_editor
from internhost.gui.ops import Ops

T = TypeVar("T")


def read_on_worker(ops: Ops, service: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """``service(session, actor, *args, **kwargs)``'s answer, read on ``ops``'s worker."""
    answers: list[T] = []
    ops.read(ops, service, *args, done=answers.append, **kwargs)
    assert ops.runner.settle(), "the worker did not answer"
    return answers[0]


def intern_editor(ops: Ops, intern_id: int | None) -> InternEditor:
    """The intern editor as ``edit_intern`` opens it (not shown)."""
    return InternEditor(ops, read_on_worker(ops, read_editor, intern_id), intern_id)
