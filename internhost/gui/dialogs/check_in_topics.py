"""HR's list of check-in topics (opened from Set-up): rename, add, reorder, retire or
bring back a topic. A topic is never deleted (``check_in_topics.save_topics``
refuses a list that leaves one out): check-ins keep the names they were saved with,
and a retired topic is no longer offered in the two-minute check-in."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from internhost.core.dto_check_ins import TopicRow
from internhost.core.services import check_in_topics
from internhost.core.services.check_in_topics import TopicInput
from internhost.gui.dialogs.record import edit_with_form
from internhost.gui.ops import Ops
from internhost.gui.widgets import fields as f

TITLE = "Check-in topics"
TOPIC_CELLS = (f.Cell("Topic"), f.Cell("Retired", "bool", width=80), f.Cell("key", "key"))


def topics_form() -> f.FieldForm:
    return f.FieldForm(
        [
            f.table(
                "topics",
                "Topics",
                TOPIC_CELLS,
                add_text="Add topic",
                min_rows=8,
                movable=True,
                help="Retire a topic to stop offering it; check-ins that ticked it keep it.",
            )
        ]
    )


def _values(rows: list[TopicRow]) -> dict[str, Any]:
    return {"topics": tuple((r.name, r.retired, r.key) for r in rows)}


def topic_inputs(values: dict[str, Any]) -> tuple[TopicInput, ...]:
    """The table's rows as the service takes them (a new row has no key yet)."""
    return tuple(
        TopicInput(key=key, name=name, retired=bool(retired))
        for name, retired, key in values["topics"]
    )


def edit_topics(parent: QWidget, ops: Ops) -> None:
    """Read the list, then open it for editing; Save replaces it (audited)."""

    def opened(rows: list[TopicRow]) -> None:
        edit_with_form(
            parent,
            TITLE,
            topics_form(),
            lambda values: ops.database.write(check_in_topics.save_topics, topic_inputs(values)),
            ops=ops,
            changes={"check_in"},
            initial=_values(rows),
            intro="What a mentor may tick at a check-in, in this order.",
            size=(560, 520),
        )

    ops.read(parent, check_in_topics.list_topics, done=opened)
