"""Failed logins and refused actions: audited, and repeated failures slowed down.

Every failed login is an audit event (the user name typed and the time, never the
password), and so is every action a role was refused. After ``FREE_FAILURES``
failures for one user name, each further attempt for that name waits before the
password is even checked (counted from the last failure), doubling from one second up
to ``MAX_DELAY_SECONDS``; the command line waits, the app counts down. A
successful login clears the count, and so can an HR admin on the Accounts screen
(``services.accounts.login_delays`` / ``clear_login_delay``). The counts live in
``app_state`` (``login_failures``), keyed by the normalised user name typed — also
for names no account has, so the delay tells nobody which names exist. At most
``MAX_TRACKED`` names are kept (the oldest go first), so a flood of random names
cannot grow the file.

Recording needs the current schema (the audit chain's columns): on a database an
older InternHost wrote, which is only upgraded once someone logged in, failures are
slowed and refused like any other but not recorded until it is upgraded.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from internhost.core.actor import Actor, Permission, Role, require
from internhost.core.errors import LoginThrottled, PermissionDenied

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from internhost.core.storage.db import DatabaseKey

#: Failures allowed for a user name before attempts are slowed down.
FREE_FAILURES = 5
#: The longest wait before an attempt, in seconds.
MAX_DELAY_SECONDS = 30
#: How many user names' counts are kept.
MAX_TRACKED = 1000
STATE_KEY = "login_failures"
#: Who records what happens at the door (nobody has logged in).
DOOR = Actor(Role.SYSTEM, "login")
#: What waits; tests replace it.
sleep: Callable[[float], None] = time.sleep


@dataclass(frozen=True)
class Failures:
    username: str
    count: int
    last: datetime

    @property
    def delay(self) -> int:
        """Seconds the next attempt for this name waits."""
        return delay_for(self.count)


def delay_for(count: int) -> int:
    """1 s after ``FREE_FAILURES`` failures, doubling with each one, at most 30 s."""
    if count < FREE_FAILURES:
        return 0
    return min(MAX_DELAY_SECONDS, 2 ** (count - FREE_FAILURES))


def _load(s: Session) -> dict[str, dict[str, Any]]:
    from internhost.core.models import AppState

    state = s.get(AppState, STATE_KEY)
    try:
        data = json.loads(state.value) if state is not None else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _save(s: Session, data: dict[str, dict[str, Any]]) -> None:
    from internhost.core.models import AppState

    if len(data) > MAX_TRACKED:
        newest = sorted(data.items(), key=lambda kv: str(kv[1].get("last", "")))
        data = dict(newest[-MAX_TRACKED:])
    text = json.dumps(data, sort_keys=True, ensure_ascii=False)
    state = s.get(AppState, STATE_KEY)
    if state is None:
        s.add(AppState(key=STATE_KEY, value=text))
    else:
        state.value = text


def failures(s: Session) -> list[Failures]:
    """Every user name with failed logins counted, most failures first."""
    out = []
    for name, entry in _load(s).items():
        try:
            last = datetime.fromisoformat(str(entry.get("last")))
            out.append(Failures(name, int(entry.get("count", 0)), last))
        except (TypeError, ValueError):
            continue
    return sorted(out, key=lambda f: (-f.count, f.username))


def remaining_wait(s: Session, username: str, now: datetime | None = None) -> float:
    """Seconds until the next attempt for ``username`` may be checked: its delay,
    counted from its last failure (0 when it may be checked now)."""
    entry = _load(s).get(username)
    if not isinstance(entry, dict):
        return 0.0
    try:
        last = datetime.fromisoformat(str(entry.get("last")))
        due = last.timestamp() + delay_for(int(entry.get("count", 0)))
    except (TypeError, ValueError):
        return 0.0
    return max(0.0, due - (now or datetime.now(UTC)).timestamp())


def wait_before_attempt(s: Session, username: str, *, wait: bool = True) -> float:
    """Hold an attempt for ``username`` until its delay has passed: wait it out
    (the command line), or with ``wait=False`` raise ``LoginThrottled`` so the app
    can count down without freezing. The seconds waited."""
    seconds = remaining_wait(s, username)
    if seconds and not wait:
        raise LoginThrottled(username, seconds)
    if seconds:
        sleep(seconds)
    return seconds


def at_current_schema(s: Session) -> bool:
    """Whether the database is at this app's schema (recording needs its columns)."""
    from sqlalchemy import text

    from internhost.core.storage.migrate import HEAD

    try:
        return s.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD
    except Exception:
        return False


def record_failure(factory: sessionmaker[Session], username: str) -> None:
    """Count a failed login for ``username`` and audit it (the name and the time)."""
    from internhost.core.storage.db import unit_of_work
    from internhost.core.trail import audit

    now = datetime.now(UTC)
    with unit_of_work(factory, DOOR) as s:
        if not at_current_schema(s):
            return
        data = _load(s)
        entry = data.get(username) if isinstance(data.get(username), dict) else None
        count = int(entry.get("count", 0)) + 1 if entry else 1
        data[username] = {"count": count, "last": now.isoformat()}
        _save(s, data)
        audit.label(s, "failed login")
        audit.add_event(
            s,
            ("login", None),
            "update",
            {
                f"login:{username}": {
                    "before": None,
                    "after": {"user": username, "failed_logins": count, "at": now.isoformat()},
                }
            },
        )


def clear(s: Session, username: str) -> bool:
    """Forget ``username``'s failures (after a successful login, or by HR); True when
    there were some. Call it in a unit of work."""
    data = _load(s)
    if username not in data:
        return False
    del data[username]
    _save(s, data)
    return True


def record_success(factory: sessionmaker[Session], username: str) -> None:
    """A successful login clears the name's failures."""
    from internhost.core.storage.db import unit_of_work

    with factory() as probe:
        if not at_current_schema(probe) or username not in _load(probe):
            return
    with unit_of_work(factory, DOOR) as s:
        clear(s, username)


def record_refusal(factory: sessionmaker[Session], actor: Actor, refusal: str) -> None:
    """Audit that ``actor`` was refused something (``PermissionDenied``'s message),
    in a transaction of its own: the refused one has been rolled back. Never raises:
    a refusal must reach the user even if the trail cannot be written."""
    from internhost.core.storage.db import unit_of_work
    from internhost.core.trail import audit

    try:
        with unit_of_work(factory, actor) as s:
            if not at_current_schema(s):
                return
            audit.label(s, "refused")
            audit.add_event(
                s,
                ("refusal", actor.user_id),
                "update",
                {
                    f"refusal:{actor.name}": {
                        "before": None,
                        "after": {
                            "user": actor.name,
                            "refused": refusal,
                            "at": datetime.now(UTC).isoformat(),
                        },
                    }
                },
            )
    except Exception:  # the refusal itself is what the user must see
        return


def require_on_file(
    db_path: os.PathLike[str] | str, key: DatabaseKey | None, actor: Actor, permission: Permission
) -> None:
    """``require`` for the operations on the database file (backup, restore, encrypt,
    rekey), which run outside any session: a refusal is audited on that file too."""
    try:
        require(actor, permission)
    except PermissionDenied as exc:
        if actor.kind == "user":
            with suppress(Exception):  # an unreadable file: the refusal still stands
                from internhost.core.storage import db

                engine = db.make_engine(db_path, key, create=False)
                try:
                    record_refusal(db.make_session_factory(engine), actor, str(exc))
                finally:
                    engine.dispose()
        raise


def require_with(factory: sessionmaker[Session], actor: Actor, permission: Permission) -> None:
    """``require`` before a service opens its session: a refusal is audited all the same."""
    try:
        require(actor, permission)
    except PermissionDenied as exc:
        if actor.kind == "user":
            record_refusal(factory, actor, str(exc))
        raise
