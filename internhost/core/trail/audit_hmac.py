"""Redacted values in the audit trail: a keyed hash (HMAC-SHA256), never the value.

A password hash, a login token's hash or a document's bytes must not be copied into
the trail, yet a swapped password hash must still be found: the trail records
``hmac:<64 hex digits>``, the HMAC of the value under a random per-database secret.
Without the secret nobody can test a guess against the trail (a password hash is
itself the result of a guess-testable function); ``audit verify`` recomputes the
HMAC of each stored value and compares.

The secret is 32 random bytes kept in ``app_state`` under ``SECRET_KEY`` (as hex),
created with the database (migration ``0003_audit_explains``, which also gives one
to older files). It is inside the encrypted file: whoever holds the database key can
read it and recompute every HMAC, which is why no check of the trail alone defends
against someone with the key (README, "Audit trail").
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection

from internhost.core.models import AppState
from internhost.core.storage.db import DatabaseError

#: The ``app_state`` key of the secret (64 hex digits).
SECRET_KEY = "audit_hmac_key"
PREFIX = "hmac:"
SECRET_BYTES = 32


class MissingAuditSecret(DatabaseError):
    """The database has no audit secret: it was removed from the file (exit 3)."""


def new_secret() -> str:
    """A fresh secret, as stored: 64 hex digits."""
    return secrets.token_hex(SECRET_BYTES)


def stored_secret(connection: Connection) -> bytes | None:
    """The database's secret, or None when it has none (or not one of ours)."""
    table = AppState.__table__
    value = connection.scalar(select(table.c.value).where(table.c.key == SECRET_KEY))
    try:
        secret = bytes.fromhex(value) if value is not None else b""
    except ValueError:
        return None
    return secret if len(secret) == SECRET_BYTES else None


def require_secret(connection: Connection) -> bytes:
    secret = stored_secret(connection)
    if secret is None:
        raise MissingAuditSecret(
            f"the database's audit secret (app_state {SECRET_KEY}) is missing or damaged: "
            "the file was changed outside InternHost; run internhost audit verify"
        )
    return secret


def keyed_hash(secret: bytes, value: Any) -> str:
    """``hmac:<hex>`` of a redacted value (bytes as they are, text as UTF-8)."""
    data = value if isinstance(value, bytes) else str(value).encode("utf-8")
    return PREFIX + hmac.new(secret, data, hashlib.sha256).hexdigest()
