"""Where a database's key comes from (Qt-free; the CLI and the app share it).

Opening a database: the OS keyring first (a random raw key, or a passphrase stored
there earlier), else the passphrase in ``INTERNHOST_PASSPHRASE`` or the owner-only
file ``INTERNHOST_PASSPHRASE_FILE`` names (``core/storage/secret_env.py``), else a prompt when
someone can answer one (a terminal, or the app's dialog); with none of these,
``NoKey`` (exit 3) says in one line what to do. Every candidate is tried against the
file before it is used, so a wrong key is refused (``WrongKey``, exit 3) before
anything is written. A recovery key (the 64 hex digits of the recovery sheet, spaced
or not) is accepted wherever a passphrase is. A key that opened the file without
coming from the keyring is stored there under the file's path, where a keyring
works: a database moved or copied to a new path is found again next time.

Creating a database: a set ``INTERNHOST_PASSPHRASE`` (or its ``_FILE``) wins (a script
that sets one can always open what it made), else a fresh random 256-bit raw key for
the keyring, else a passphrase the user chooses (prompt); else ``NoKey``. Rekeying:
the same order with ``INTERNHOST_NEW_PASSPHRASE`` (or its ``_FILE``).

An unencrypted InternHost database is refused with ``NotEncrypted`` (exit 3), which
names ``internhost encrypt``, the one-way migration.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from secrets import token_hex
from typing import Literal

from internhost.core.errors import ValidationError
from internhost.core.storage import db
from internhost.core.storage import secrets as keystore
from internhost.core.storage.db import DatabaseError, DatabaseKey
from internhost.core.storage.secret_env import NEW_PASSPHRASE_ENV as NEW_PASSPHRASE_ENV
from internhost.core.storage.secret_env import PASSPHRASE_ENV, given_in, read_secret

#: The shortest passphrase a new database (or a rekey) accepts.
MIN_PASSPHRASE_LENGTH = 10
#: What every SQLite file that is not encrypted starts with.
SQLITE_HEADER = b"SQLite format 3\x00"
#: SQLCipher files are whole pages; pages are at least this big.
_MIN_PAGE = 512

FileState = Literal["absent", "empty", "plain", "encrypted"]
KeySource = Literal["keyring", "environment", "prompt", "given"]
#: Asks a question, returns the answer; None when nobody can answer (no terminal).
Prompt = Callable[[str], "str | None"]
#: Asks for a new passphrase (twice, compared); None when nobody can answer.
NewPassphrasePrompt = Callable[[], "str | None"]


class NoKey(DatabaseError):
    """No key source for an encrypted database (exit 3)."""


class WrongKey(DatabaseError):
    """Every key offered was refused by the file (exit 3); nothing was touched."""


class NotEncrypted(DatabaseError):
    """An unencrypted database, which only ``internhost encrypt`` may open (exit 3)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is not encrypted: run `internhost encrypt` to encrypt it (one way; "
            "a verified copy is made first)"
        )


@dataclass(frozen=True)
class Unlocked:
    """A key that opens (or will create) a database, and where it came from."""

    key: DatabaseKey
    source: KeySource


def file_state(path: os.PathLike[str] | str) -> FileState:
    """What is at ``path``, from its first bytes (no driver, no key): nothing, an empty
    file, an unencrypted SQLite file, or (whole pages of noise) an encrypted one.
    ``DatabaseError`` for a folder or a file that cannot be a database."""
    p = Path(path)
    if not p.exists():
        return "absent"
    if p.is_dir():
        raise DatabaseError(f"{p} is a folder, not a database file")
    size = p.stat().st_size
    if size == 0:
        return "empty"
    with p.open("rb") as f:
        head = f.read(len(SQLITE_HEADER))
    if head == SQLITE_HEADER:
        return "plain"
    if size % _MIN_PAGE:
        raise DatabaseError(f"{p} is not a database")
    return "encrypted"


def new_raw_key() -> DatabaseKey:
    """A fresh random 256-bit key."""
    return DatabaseKey(raw_hex=token_hex(32))


def check_new_passphrase(text: str, field: str = "passphrase") -> str:
    """A passphrase for a new key: ``ValidationError`` naming ``field`` if too short."""
    if len(text) < MIN_PASSPHRASE_LENGTH:
        raise ValidationError(
            f"a database passphrase needs at least {MIN_PASSPHRASE_LENGTH} characters", field
        )
    return text


def candidates(entered: str) -> list[DatabaseKey]:
    """What someone typed or set, as keys to try: a recovery key (64 hex digits, with
    or without the sheet's spaces and dashes) first, then the text as a passphrase."""
    found: list[DatabaseKey] = []
    compact = re.sub(r"[\s\-]", "", entered)
    if re.fullmatch(r"[0-9a-fA-F]{64}", compact):
        found.append(DatabaseKey(raw_hex=compact.lower()))
    if entered:
        found.append(DatabaseKey(passphrase=entered))
    return found


def opens(path: os.PathLike[str] | str, key: DatabaseKey | None) -> bool:
    """True when ``key`` (None: no key) opens the file; reads, never writes."""
    try:
        with closing(db.connect_raw(Path(path), key, wal=False)) as conn:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DatabaseError as exc:
        if "not a database" in str(exc):
            return False
        raise
    except Exception as exc:
        complaint = db.driver_complaint(exc)
        if complaint is None:
            raise
        if "not a database" in complaint:
            return False
        raise DatabaseError(f"cannot read {path}: {complaint}") from exc
    return True


def remember(path: os.PathLike[str] | str, key: DatabaseKey) -> bool:
    """Store ``key`` for ``path`` in the keyring when one works and it does not hold
    this key yet; True when stored. A keyring that refuses is no error here."""
    if not keystore.keyring_usable() or keystore.read_database_key(path) == key:
        return False
    if keystore.read_database_key(path, pending=True) is not None:
        return False  # a rekey under way keeps the old key until it is done
    try:
        keystore.store_database_key(path, key)
    except keystore.KeyringUnavailable:
        return False
    return True


def _first_that_opens(path: Path, keys: list[DatabaseKey]) -> DatabaseKey | None:
    return next((k for k in keys if opens(path, k)), None)


def key_for_opening(
    path: os.PathLike[str] | str,
    *,
    prompt: Prompt | None = None,
    use_keyring: bool = True,
    store: bool = True,
    keyring_path: os.PathLike[str] | str | None = None,
) -> Unlocked:
    """The key of the encrypted database at ``path``: keyring, else
    ``INTERNHOST_PASSPHRASE``, else ``prompt`` (when given and answered).

    Raises ``NotEncrypted`` for an unencrypted database, ``WrongKey`` when every key
    offered was refused, ``NoKey`` when there was none, ``DatabaseError`` when there
    is no database. Reads the file only; ``store`` keeps a key that did not come from
    the keyring there (where one works). ``keyring_path``: whose keyring entry to
    try and keep (default ``path``): a backup is opened with its database's key.
    """
    p = Path(path)
    entry = Path(keyring_path) if keyring_path is not None else p
    state = file_state(p)
    if state == "plain":
        db.schema_revision(p)  # another program's SQLite file: say so, not "encrypt it"
        raise NotEncrypted(p)
    if state != "encrypted":
        raise DatabaseError(f"no database at {p}")
    refused: list[str] = []
    problem = keystore.keyring_problem() if use_keyring else "not asked"
    if use_keyring and problem is None:
        # The kept key, then a rekey's new key while that rekey is not finished.
        for pending in (False, True):
            stored = keystore.read_database_key(entry, pending=pending)
            if stored is not None and opens(p, stored):
                return Unlocked(stored, "keyring")
            if stored is not None and not pending:
                refused.append("the key kept in the keyring")
    found: Unlocked | None = None
    env = read_secret(PASSPHRASE_ENV)
    if env:
        key = _first_that_opens(p, candidates(env))
        if key is not None:
            found = Unlocked(key, "environment")
        else:
            refused.append(f"the passphrase in {given_in(PASSPHRASE_ENV)}")
    if found is None and prompt is not None:
        answer = prompt(f"Passphrase or recovery key for {p}: ")
        if answer:
            key = _first_that_opens(p, candidates(answer))
            if key is not None:
                found = Unlocked(key, "prompt")
            else:
                refused.append("the passphrase or recovery key typed")
    if found is not None:
        if store and use_keyring:
            remember(entry, found.key)
        return found
    if refused:
        raise WrongKey(f"{' and '.join(refused)} did not open {p} (wrong key); nothing was changed")
    why = "no keyring holds its key" if problem is None else problem
    raise NoKey(
        f"{p} is encrypted and {why}: run this on a terminal to type its passphrase or "
        f"recovery key, or name an owner-only file holding it in {PASSPHRASE_ENV}_FILE"
    )


def key_for_creating(
    *, prompt_new: NewPassphrasePrompt | None = None, env: str = PASSPHRASE_ENV
) -> Unlocked:
    """The key for a new database (or, with ``env=NEW_PASSPHRASE_ENV``, a rekey):
    the passphrase in ``env`` (checked for length), else a new raw key when a keyring
    works (the caller stores it), else a passphrase from ``prompt_new``; else
    ``NoKey``. Stores nothing."""
    value = read_secret(env)
    if value:
        passphrase = check_new_passphrase(value, given_in(env))
        return Unlocked(DatabaseKey(passphrase=passphrase), "environment")
    problem = keystore.keyring_problem()
    if problem is None:
        return Unlocked(new_raw_key(), "keyring")
    if prompt_new is not None:
        chosen = prompt_new()
        if chosen:
            return Unlocked(DatabaseKey(passphrase=check_new_passphrase(chosen)), "prompt")
    raise NoKey(
        f"{problem}, so a passphrase must protect the database: run this on a terminal to "
        f"choose it, or name an owner-only file holding one (at least "
        f"{MIN_PASSPHRASE_LENGTH} characters) in {env}_FILE"
    )
