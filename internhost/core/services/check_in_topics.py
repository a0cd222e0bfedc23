"""The topics a check-in may tick: an editable list.

The defaults ship in ``resources/mentoring/check_in_topics.toml``; once HR edits the
list it lives in ``app_state`` (one JSON value, its changes audited). A topic is
renamed or retired, never deleted: its ``key`` stays, and check-ins keep the name
they were saved with, which is what was discussed that day.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass
from functools import cache

from sqlalchemy.orm import Session

from internhost.core.actor import Actor, Permission, require
from internhost.core.dto_check_ins import TopicRow
from internhost.core.errors import ValidationError
from internhost.core.models import AppState
from internhost.core.text import fold
from internhost.core.trail import audit
from internhost.core.validation import Checker
from internhost.paths import resource

#: The ``app_state`` key of HR's list.
TOPICS_KEY = "check_in_topics"
NAME_MAX = 60
MAX_TOPICS = 50


@dataclass(frozen=True)
class TopicInput:
    #: None: a new topic (its key is made from its name).
    key: str | None
    name: str
    retired: bool = False


@cache
def default_topics() -> tuple[TopicRow, ...]:
    """The shipped list."""
    with resource("mentoring", "check_in_topics.toml").open("rb") as f:
        data = tomllib.load(f)
    return tuple(TopicRow(t["key"], t["name"], False) for t in data["topics"])


def stored_topics(s: Session) -> tuple[TopicRow, ...]:
    """HR's list, or the shipped one until HR edits it."""
    state = s.get(AppState, TOPICS_KEY)
    if state is None:
        return default_topics()
    try:
        return tuple(
            TopicRow(t["key"], t["name"], bool(t["retired"])) for t in json.loads(state.value)
        )
    except (ValueError, KeyError, TypeError):
        return default_topics()


def list_topics(s: Session, actor: Actor) -> list[TopicRow]:
    """Every topic, retired ones included, in HR's order."""
    require(actor, Permission.READ_RECORDS)
    return list(stored_topics(s))


def _new_key(name: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")[:40] or "topic"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


def save_topics(s: Session, actor: Actor, topics: tuple[TopicInput, ...]) -> list[TopicRow]:
    """Replace the list: rename, add, retire or bring back topics (HR). A topic of the
    list may not be left out, only retired, and one must stay in use."""
    require(actor, Permission.EDIT_RECORDS)
    before = stored_topics(s)
    known = {t.key for t in before}
    given: object = topics  # whatever the caller passed
    if not isinstance(given, tuple | list) or len(given) > MAX_TOPICS:
        raise ValidationError(f"give a list of at most {MAX_TOPICS} topics", "topics")
    check = Checker()
    rows: list[TopicRow] = []
    names: set[str] = set()
    taken = set(known)
    for i, topic in enumerate(given):
        field = f"topics[{i}]"
        if not isinstance(topic, TopicInput):
            check.fail(field, "is not a topic")
            continue
        name = check.name(f"{field}.name", topic.name, required=True, max_len=NAME_MAX)
        if name and fold(name) in names:
            check.fail(f"{field}.name", f"{name!r} is in the list twice")
        names.add(fold(name))
        if not isinstance(topic.retired, bool):
            check.fail(f"{field}.retired", "is not yes or no")
        if topic.key is None:
            key = _new_key(name, taken)
        elif topic.key in known:
            key = topic.key
        else:
            check.fail(f"{field}.key", f"no topic {str(topic.key)[:40]!r}")
            continue
        taken.add(key)
        rows.append(TopicRow(key, name, topic.retired is True))
    left_out = known - {r.key for r in rows}
    if left_out and not check.errors:
        check.fail("topics", "a topic is retired, not removed: " + ", ".join(sorted(left_out)))
    if not check.errors and all(r.retired for r in rows):
        check.fail("topics", "keep at least one topic in use")
    check.done()
    if tuple(rows) != before:
        value = json.dumps([{"key": r.key, "name": r.name, "retired": r.retired} for r in rows])
        state = s.get(AppState, TOPICS_KEY)
        if state is None:
            s.add(AppState(key=TOPICS_KEY, value=value))
        else:
            state.value = value
        audit.label(s, "edit check-in topics")
        audit.add_event(
            s,
            ("check_in_topics", None),
            "update",
            {
                f"app_state:{TOPICS_KEY}": {
                    "before": {
                        "topics": [r.name + (" (retired)" if r.retired else "") for r in before]
                    },
                    "after": {
                        "topics": [r.name + (" (retired)" if r.retired else "") for r in rows]
                    },
                }
            },
        )
    return rows
