"""The OS keyring, and nothing else touches it: database keys (and, later, login tokens).

``keyring`` picks the platform's store (Windows Credential Locker, macOS Keychain,
Secret Service or KWallet on Linux). Where none works it reports its *fail* backend,
whose every call raises ``NoKeyringError``: ``keyring_problem`` says so, and callers
fall back to a passphrase the user types (never silently to plain text). A backend
that would keep secrets in a plain file (``keyrings.alt``'s file keyrings) or throw
them away (the null backend) counts as not working either.

Database keys are stored under the service ``InternHost database key`` with the
database file's absolute path as the user name, as ``raw:<64 hex digits>`` or
``passphrase:<text>``. ``keyring`` is imported on first use (about 40 ms): the app
asks for a key on its worker thread, after the window shows.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

from internhost.core.storage.db import DatabaseKey

KEY_SERVICE = "InternHost database key"
#: Where a rekey keeps the new key until every file has it (``core.encryption``):
#: the old key stays under ``KEY_SERVICE`` until then.
PENDING_KEY_SERVICE = "InternHost database key (rekey under way)"
#: Backend modules that never count as a working keyring.
_REFUSED_MODULES = ("keyring.backends.fail", "keyring.backends.null", "keyrings.alt")


class KeyringUnavailable(Exception):
    """No usable keyring backend on this computer (or the keyring refused the call)."""


def _backend() -> Any:
    import keyring

    return keyring.get_keyring()


def _refused(backend: Any) -> bool:
    module = type(backend).__module__
    return any(module == m or module.startswith(m + ".") for m in _REFUSED_MODULES)


def _working_backend() -> Any:
    """The backend secrets go to, or None. Of a chainer, its first acceptable member
    (the chainer itself would write to a plain-file keyring if that one ranked first)."""
    backend = _backend()
    members = getattr(backend, "backends", None)
    if type(backend).__module__ == "keyring.backends.chainer" and members is not None:
        return next((b for b in members if not _refused(b)), None)
    return None if _refused(backend) else backend


def keyring_problem() -> str | None:
    """Why no keyring can hold the database key here, in a sentence; None if one can."""
    try:
        if _working_backend() is not None:
            return None
        module = type(_backend()).__module__
    except Exception as exc:  # a broken backend configuration is no keyring either
        return f"the keyring could not be loaded ({exc})"
    if module.startswith("keyrings.alt"):
        return (
            "the only keyring on this computer keeps secrets in a plain file, "
            "which InternHost does not use"
        )
    return (
        "no keyring works on this computer (no Secret Service, Keychain or "
        "Credential Locker answers)"
    )


def keyring_usable() -> bool:
    return keyring_problem() is None


def _account(db_path: os.PathLike[str] | str) -> str:
    return str(Path(db_path).expanduser().resolve())


def _encode(key: DatabaseKey) -> str:
    return f"raw:{key.raw_hex}" if key.raw_hex is not None else f"passphrase:{key.passphrase}"


def _decode(value: str) -> DatabaseKey | None:
    kind, _, secret = value.partition(":")
    try:
        if kind == "raw":
            return DatabaseKey(raw_hex=secret)
        if kind == "passphrase":
            return DatabaseKey(passphrase=secret)
    except ValueError:
        return None
    return None


def _service(pending: bool) -> str:
    return PENDING_KEY_SERVICE if pending else KEY_SERVICE


def read_database_key(
    db_path: os.PathLike[str] | str, *, pending: bool = False
) -> DatabaseKey | None:
    """The key stored for the database at ``db_path`` (``pending``: the new key of a
    rekey under way); None when there is none (or no keyring works: ask
    ``keyring_problem`` to tell the two apart)."""
    if not keyring_usable():
        return None
    try:
        value = _working_backend().get_password(_service(pending), _account(db_path))
    except Exception:  # a locked or failing store: treat as "not found"
        return None
    return _decode(value) if value else None


def store_database_key(
    db_path: os.PathLike[str] | str, key: DatabaseKey, *, pending: bool = False
) -> None:
    """Keep ``key`` for the database at ``db_path``; ``KeyringUnavailable`` when no
    keyring works or it refuses."""
    problem = keyring_problem()
    if problem is not None:
        raise KeyringUnavailable(problem)
    try:
        _working_backend().set_password(_service(pending), _account(db_path), _encode(key))
    except Exception as exc:
        raise KeyringUnavailable(f"the keyring refused to store the key: {exc}") from exc


def forget_database_key(db_path: os.PathLike[str] | str, *, pending: bool = False) -> None:
    """Remove the stored key of ``db_path`` (nothing happens when there is none)."""
    if not keyring_usable():
        return
    with contextlib.suppress(Exception):  # nothing stored is fine
        _working_backend().delete_password(_service(pending), _account(db_path))


# -- remembered logins (accounts: "remember me on this computer") --------------------
#
# One remembered login per database file: the service ``InternHost login`` with the
# database's absolute path as the user name, the value ``<user name>\n<token>``. The
# database keeps only the token's hash (``services.accounts.issue_token``). Any
# keyring trouble is silent: the login dialog simply shows again.

LOGIN_SERVICE = "InternHost login"


def remember_login(db_path: os.PathLike[str] | str, username: str, token: str) -> bool:
    """Keep a "remember me" token for the database at ``db_path``; False (and nothing
    kept) when no keyring works or it refuses."""
    try:
        if keyring_problem() is not None:
            return False
        _working_backend().set_password(LOGIN_SERVICE, _account(db_path), f"{username}\n{token}")
    except Exception:
        return False
    return True


def remembered_login(db_path: os.PathLike[str] | str) -> tuple[str, str] | None:
    """``(user name, token)`` remembered for ``db_path``, or None."""
    try:
        if keyring_problem() is not None:
            return None
        value = _working_backend().get_password(LOGIN_SERVICE, _account(db_path))
    except Exception:
        return None
    username, _, token = (value or "").partition("\n")
    return (username, token) if username and token else None


def forget_login(db_path: os.PathLike[str] | str) -> None:
    """Drop the remembered login of ``db_path`` (log out; a token that failed)."""
    try:
        if keyring_problem() is None:
            _working_backend().delete_password(LOGIN_SERVICE, _account(db_path))
    except Exception:
        pass
