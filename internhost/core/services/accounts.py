"""User accounts: who may log in, as which role, and how they prove it.

- **Roles**: ``hr_admin`` (everything), ``mentor`` (their own interns: an account is
  tied to the mentor's staff record, which becomes ``Actor.staff_id``) and ``viewer``
  (read-only). What each role may do is ``actor.ROLE_PERMISSIONS``; the services
  enforce it, this module only says who is acting (``actor_for``).
- **Passwords** are hashed with ``hashlib.scrypt`` and a random per-user salt; the
  stored hash names its own cost (``scrypt$n$r$p$<digest>``), so the cost can rise
  later and old hashes are re-hashed at the next login. Comparison is constant-time,
  and an unknown user name costs the same hash as a known one and fails with the
  same ``LoginFailed`` message as a wrong password. The policy for real accounts is
  at least ``PASSWORD_MIN`` characters; demo accounts (``internhost demo``, password
  ``demo``) are flagged ``is_demo`` and exempt.
- **Remember me**: ``issue_token`` makes a random token and stores only its SHA-256
  (a 256-bit random token needs no slow hash); the caller keeps the token itself in
  the OS keyring (``core.secrets``). ``log_in_with_token`` accepts it until it
  expires (``TOKEN_LIFETIME``), is revoked (``revoke_token`` at log-out; a password
  change or reset revokes them all) or its account is disabled.
- **First run**: ``create_first_admin`` makes the HR admin of a database that has no
  account yet (the app's first-run dialog, ``internhost init``); after that only HR
  admins create accounts (``create_account``), disable them and reset passwords.

Logging in writes (the last login time, a re-hash, a token) in its own unit of work,
audited as the user who logged in.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from internhost.core import dto
from internhost.core.actor import Actor, Permission, Role, require
from internhost.core.errors import Conflict, LoginFailed, NotFound, ValidationError
from internhost.core.models import LoginToken, Staff, UserAccount
from internhost.core.models.base import utcnow
from internhost.core.models.enums import USER_ROLES
from internhost.core.services import frameworks
from internhost.core.storage.db import read_session, unit_of_work
from internhost.core.trail import audit, login_guard
from internhost.core.validation import CONTROL, Checker, drop_spoof, spoof_problem

ROLE_LABELS = {"hr_admin": "HR admin", "mentor": "Mentor", "viewer": "Viewer"}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{0,99}$")
USERNAME_RULE = "letters, digits and . _ @ - (starting with a letter or digit)"
PASSWORD_MIN = 10
PASSWORD_MAX = 1024
PASSWORD_POLICY = (
    f"At least {PASSWORD_MIN} characters, and not the user name. "
    "A phrase of a few words is long and easy to remember."
)
DEMO_PASSWORD = "demo"
#: (user name, display name, role) of the accounts ``internhost demo`` creates.
DEMO_ACCOUNTS = (
    ("hr", "Demo HR admin", "hr_admin"),
    ("mentor", "Maria Kowalski (demo mentor)", "mentor"),
    ("viewer", "Demo viewer", "viewer"),
)
TOKEN_LIFETIME = timedelta(days=30)
LOGIN_FAILED = "unknown user or wrong password"

#: scrypt cost (n, r, p): 32 MiB and about 0.2 s on the project's CI machine. Stored
#: with each hash, so raising it later re-hashes each password at its next login.
SCRYPT_PARAMS = (2**15, 8, 1)
#: Stored costs above these are refused (a tampered row must not exhaust memory).
SCRYPT_MAX_N, SCRYPT_MAX_RP = 2**20, 64
SALT_BYTES = 16
DIGEST_BYTES = 32
_DUMMY_SALT = b"internhost-dummy"
#: The session's acting user until a login succeeds; a failed login writes nothing.
_AT_THE_DOOR = Actor(Role.SYSTEM, "login")


#: Ids outside SQLite's INTEGER never name a record (and must not reach the driver).
_ID_RANGE = range(-(2**63), 2**63)


def _as_text(value: object) -> str:
    """What a caller typed, as text; anything else (None, a number) as nothing."""
    return value if isinstance(value, str) else ""


def _record_id(value: object) -> int | None:
    return value if isinstance(value, int) and value in _ID_RANGE else None


@dataclass(frozen=True)
class NewAccount:
    """What the Accounts screen's "New account" form edits."""

    username: str
    display_name: str
    role: str
    password: str
    #: Required for a mentor: their staff record (decides their own interns).
    staff_id: int | None = None


# -- who is acting


def actor_for(account: dto.AccountRow | UserAccount) -> Actor:
    """The acting user of an account: its role, and for a mentor their staff record."""
    role = Role(account.role)
    return Actor(
        role,
        account.username,
        user_id=account.id,
        staff_id=account.staff_id if role is Role.MENTOR else None,
    )


def has_accounts(s: Session) -> bool:
    """True once any account exists (the first-run dialog and ``init`` need none)."""
    return s.scalar(select(UserAccount.id).limit(1)) is not None


def any_accounts(factory: sessionmaker[Session]) -> bool:
    """``has_accounts`` in its own short read session (before anyone logged in)."""
    with read_session(factory, _AT_THE_DOOR) as s:
        return has_accounts(s)


# -- passwords


def normalize_username(username: str) -> str:
    return unicodedata.normalize("NFKC", _as_text(username)).strip().lower()


def _password_bytes(password: str) -> bytes:
    # NFC: the same password typed on macOS and Windows gives the same bytes.
    # surrogatepass: a lone surrogate (pasted from a broken source) is still a password.
    return unicodedata.normalize("NFC", password).encode("utf-8", "surrogatepass")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        _password_bytes(password),
        salt=salt,
        n=n,
        r=r,
        p=p,
        maxmem=256 * r * n * p + (1 << 20),
        dklen=DIGEST_BYTES,
    )


def hash_password(password: str, salt: bytes | None = None) -> tuple[bytes, bytes]:
    """``(stored hash, salt)`` for a password: ``scrypt$n$r$p$`` then the digest."""
    salt = salt if salt is not None else secrets.token_bytes(SALT_BYTES)
    n, r, p = SCRYPT_PARAMS
    return b"scrypt$%d$%d$%d$" % (n, r, p) + _scrypt(password, salt, n, r, p), salt


def _parse(stored: bytes | None) -> tuple[int, int, int, bytes] | None:
    try:
        kind, n, r, p, digest = bytes(stored or b"").split(b"$", 4)
        params = int(n), int(r), int(p)
    except ValueError:
        return None
    if kind != b"scrypt" or len(digest) != DIGEST_BYTES:
        return None
    n_, r_, p_ = params
    if not (2 <= n_ <= SCRYPT_MAX_N and n_ & (n_ - 1) == 0) or not (
        1 <= r_ <= SCRYPT_MAX_RP and 1 <= p_ <= SCRYPT_MAX_RP
    ):
        return None
    return n_, r_, p_, digest


def _verify(account: _LoginAccount | UserAccount | None, password: str) -> bool:
    """Constant-time check; without an account (or a usable hash) the same work is
    done against a dummy, so a missing user is not faster to reject."""
    parsed = _parse(account.password_hash) if account is not None else None
    if account is None or parsed is None or not account.password_salt:
        n, r, p = SCRYPT_PARAMS
        hmac.compare_digest(_scrypt(password, _DUMMY_SALT, n, r, p), bytes(DIGEST_BYTES))
        return False
    n, r, p, digest = parsed
    return hmac.compare_digest(_scrypt(password, bytes(account.password_salt), n, r, p), digest)


def _needs_rehash(account: UserAccount) -> bool:
    parsed = _parse(account.password_hash)
    return parsed is None or parsed[:3] != SCRYPT_PARAMS


def password_problems(password: str | None, username: str = "", *, demo: bool = False) -> list[str]:
    """What is wrong with a new password under the policy (empty: acceptable). Demo
    accounts are exempt from the length rule. No text (None, a number) is none."""
    text = _as_text(password)
    problems = []
    if not text:
        problems.append("is required")
    elif len(text) > PASSWORD_MAX:
        problems.append(f"is longer than {PASSWORD_MAX} characters")
    elif not demo:
        if len(text) < PASSWORD_MIN:
            problems.append(f"must be at least {PASSWORD_MIN} characters long")
        elif username and normalize_username(text) == normalize_username(username):
            problems.append("may not be the user name")
    return problems


def _set_password(account: UserAccount, password: str, salt: bytes | None = None) -> None:
    account.password_hash, account.password_salt = hash_password(password, salt)


def _revoke_tokens(s: Session, user_id: int) -> int:
    now = utcnow()
    tokens = s.scalars(
        select(LoginToken).where(LoginToken.user_id == user_id, LoginToken.revoked_at.is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = now
    return len(tokens)


# -- reading


def _account_row(s: Session, account: UserAccount) -> dto.AccountRow:
    staff = s.get(Staff, account.staff_id) if account.staff_id else None
    return _account_row_of(account, staff.full_name if staff else None)


def _account_row_of(account: _LoginAccount | UserAccount, staff_name: str | None) -> dto.AccountRow:
    """The row of an account (an ORM object, or as a login reads it)."""
    return dto.AccountRow(
        id=account.id,
        username=account.username,
        display_name=account.display_name,
        role=account.role,
        role_label=ROLE_LABELS[account.role],
        staff_id=account.staff_id,
        staff_name=staff_name,
        is_demo=account.is_demo,
        disabled=account.disabled_at is not None,
        created_at=account.created_at,
        last_login_at=account.last_login_at,
    )


def list_accounts(s: Session, actor: Actor) -> list[dto.AccountRow]:
    """Every account, enabled ones first, by user name (HR admins only)."""
    require(actor, Permission.MANAGE_ACCOUNTS)
    accounts = s.scalars(
        select(UserAccount).order_by(UserAccount.disabled_at.is_not(None), UserAccount.username)
    )
    return [_account_row(s, a) for a in accounts]


def get_account(s: Session, actor: Actor, account_id: int) -> dto.AccountRow:
    """One account: HR admins any, everyone else only their own."""
    if account_id != actor.user_id:
        require(actor, Permission.MANAGE_ACCOUNTS)
    return _account_row(s, _account(s, account_id))


def _account(s: Session, account_id: int) -> UserAccount:
    found = _record_id(account_id)
    account = s.get(UserAccount, found) if found is not None else None
    if account is None:
        raise NotFound(f"no account with id {account_id}")
    return account


# -- creating


def _check_username(s: Session, check: Checker, username: str) -> str:
    name = normalize_username(username)
    if not name:
        check.fail("username", "is required")
    elif len(name) > 100:
        check.fail("username", "is longer than 100 characters")
    elif problem := spoof_problem(name):  # say what is hidden, not only what is allowed
        check.fail("username", problem)
    elif not USERNAME.match(name):
        check.fail("username", f"may hold only {USERNAME_RULE}")
    elif s.scalar(select(UserAccount.id).where(func.lower(UserAccount.username) == name)):
        check.fail("username", f"{name} is already taken")
    return name


def _check_password(check: Checker, password: str, username: str, *, demo: bool = False) -> None:
    for problem in password_problems(password, username, demo=demo):
        check.fail("password", problem)


def create_account(s: Session, actor: Actor, data: NewAccount) -> dto.AccountRow:
    """A new account (HR admins only). A mentor's account names their staff record
    (a staff member with the mentor role and no other enabled account)."""
    require(actor, Permission.MANAGE_ACCOUNTS)
    check = Checker()
    username = _check_username(s, check, data.username)
    display = check.name("display_name", data.display_name, max_len=200)
    role = check.choice("role", data.role, USER_ROLES)
    _check_password(check, data.password, username)
    staff_id = data.staff_id
    if role == "mentor":
        known = _record_id(staff_id)
        staff = s.get(Staff, known) if known is not None else None
        if staff_id is None:
            check.fail("staff_id", "choose the mentor this account belongs to")
        elif staff is None:
            check.fail("staff_id", f"no staff member with id {staff_id}")
        elif staff.role != "mentor":
            check.fail("staff_id", f"{staff.full_name} is a {staff.role}, not a mentor")
        elif staff.archived_at is not None:
            check.fail("staff_id", f"{staff.full_name} is archived")
        else:
            taken = s.scalar(
                select(UserAccount.username).where(
                    UserAccount.staff_id == staff_id, UserAccount.disabled_at.is_(None)
                )
            )
            if taken:
                check.fail("staff_id", f"{staff.full_name} already has the account {taken}")
    elif staff_id is not None and role:
        check.fail("staff_id", "only a mentor's account names a staff member")
    check.done()
    audit.label(s, "create account")
    account = UserAccount(
        username=username,
        display_name=display,
        role=role,
        staff_id=staff_id if role == "mentor" else None,
        is_demo=False,
    )
    _set_password(account, data.password)
    s.add(account)
    s.flush()
    return _account_row(s, account)


def create_first_admin(
    s: Session, username: str, password: str, display_name: str = ""
) -> dto.AccountRow:
    """The HR admin of a database that has no account yet; ``Conflict`` once one
    exists. Needs no actor (nobody can log in yet): the audit names the new admin."""
    if has_accounts(s):
        raise Conflict("this database already has accounts: an HR admin creates the others")
    check = Checker()
    name = _check_username(s, check, username)
    display = check.name("display_name", display_name, max_len=200)
    _check_password(check, password, name)
    check.done()
    audit.label(s, "create first HR admin")
    account = UserAccount(username=name, display_name=display, role="hr_admin", is_demo=False)
    _set_password(account, password)
    s.add(account)
    s.flush()
    s.info["actor"] = actor_for(account)
    return _account_row(s, account)


def bootstrap_admin(
    factory: sessionmaker[Session], username: str, password: str, display_name: str = ""
) -> dto.AccountRow:
    """``create_first_admin`` in its own unit of work, which also installs the
    shipped competency frameworks: every new database starts with them."""
    with unit_of_work(factory, _AT_THE_DOOR) as s:
        row = create_first_admin(s, username, password, display_name)
        frameworks.install_shipped(s, s.info["actor"])
        audit.label(s, "create first HR admin")  # the frameworks came with the first run
        return row


def create_demo_accounts(
    s: Session, actor: Actor, mentor_staff_id: int
) -> tuple[dto.AccountRow, ...]:
    """``hr``, ``mentor`` (tied to ``mentor_staff_id``) and ``viewer``, each with the
    password ``demo`` and flagged as demo accounts. Only into a database without
    accounts: demo passwords must never open a real database."""
    require(actor, Permission.LOAD_SAMPLE_DATA)
    if has_accounts(s):
        raise Conflict("the database already has accounts; demo accounts go only into a new one")
    made = []
    for username, display, role in DEMO_ACCOUNTS:
        account = UserAccount(
            username=username,
            display_name=display,
            role=role,
            staff_id=mentor_staff_id if role == "mentor" else None,
            is_demo=True,
        )
        # A fixed salt: the password is public anyway, and the same seed must give
        # the same database (the demo is reproducible byte for byte).
        salt = hashlib.sha256(f"internhost demo account {username}".encode()).digest()
        _set_password(account, DEMO_PASSWORD, salt[:SALT_BYTES])
        s.add(account)
        made.append(account)
    s.flush()
    return tuple(_account_row(s, a) for a in made)


# -- managing


def _enabled_admins(s: Session) -> int:
    return (
        s.scalar(
            select(func.count(UserAccount.id)).where(
                UserAccount.role == "hr_admin", UserAccount.disabled_at.is_(None)
            )
        )
        or 0
    )


def disable_account(s: Session, actor: Actor, account_id: int) -> dto.AccountRow:
    """Disable an account (HR admins only): it can no longer log in and its remembered
    logins end. Not one's own account, nor the last enabled HR admin."""
    require(actor, Permission.MANAGE_ACCOUNTS)
    account = _account(s, account_id)
    if account.disabled_at is not None:
        return _account_row(s, account)
    if account.id == actor.user_id:
        raise Conflict("you may not disable your own account")
    if account.role == "hr_admin" and _enabled_admins(s) <= 1:
        raise Conflict("the last enabled HR admin cannot be disabled")
    audit.label(s, "disable account")
    account.disabled_at = utcnow()
    _revoke_tokens(s, account.id)
    s.flush()
    return _account_row(s, account)


def enable_account(s: Session, actor: Actor, account_id: int) -> dto.AccountRow:
    """Let a disabled account log in again (HR admins only)."""
    require(actor, Permission.MANAGE_ACCOUNTS)
    account = _account(s, account_id)
    if account.disabled_at is None:
        return _account_row(s, account)
    audit.label(s, "enable account")
    account.disabled_at = None
    s.flush()
    return _account_row(s, account)


def reset_password(s: Session, actor: Actor, account_id: int, password: str) -> dto.AccountRow:
    """Give an account a new password (HR admins only); its remembered logins end.
    The policy applies unless it is a demo account."""
    require(actor, Permission.MANAGE_ACCOUNTS)
    account = _account(s, account_id)
    check = Checker()
    _check_password(check, password, account.username, demo=account.is_demo)
    check.done()
    audit.label(s, "reset password")
    _set_password(account, password)
    _revoke_tokens(s, account.id)
    s.flush()
    return _account_row(s, account)


def change_own_password(s: Session, actor: Actor, current: str, new: str) -> dto.AccountRow:
    """Change the acting user's own password, proving the current one first. Every
    remembered login of the account ends (log in again with the new password)."""
    if actor.user_id is None:
        raise ValidationError("only a user account has a password", field="current_password")
    account = _account(s, actor.user_id)
    check = Checker()
    if not _verify(account, _as_text(current)):
        check.fail("current_password", "is not your current password")
    _check_password(check, new, account.username, demo=account.is_demo)
    check.done()
    audit.label(s, "change own password")
    _set_password(account, new)
    _revoke_tokens(s, account.id)
    s.flush()
    return _account_row(s, account)


# -- logging in


def _admit(s: Session, account: UserAccount, rehash_with: str | None = None) -> dto.Login:
    if account.disabled_at is not None:
        raise LoginFailed(f"the account {account.username} is disabled; ask an HR admin")
    actor = actor_for(account)
    s.info["actor"] = actor
    audit.label(s, "log in")
    account.last_login_at = utcnow()
    if rehash_with is not None and _needs_rehash(account):
        _set_password(account, rehash_with)
    s.flush()
    return dto.Login(actor, _account_row(s, account))


@dataclass(frozen=True)
class _LoginAccount:
    """An account as a login reads it: only columns every schema revision has, so a
    login works on a database an older InternHost wrote, before it is upgraded."""

    id: int
    username: str
    display_name: str
    role: str
    staff_id: int | None
    password_hash: bytes | None
    password_salt: bytes | None
    is_demo: bool
    disabled_at: datetime | None
    created_at: datetime | None
    last_login_at: datetime | None


#: The columns a login reads (``_LoginAccount``'s).
_LOGIN_COLUMNS = tuple(f.name for f in fields(_LoginAccount))


def _stored_account(s: Session, name: str) -> _LoginAccount | None:
    table = UserAccount.__table__
    columns = [table.c[c] for c in _LOGIN_COLUMNS]
    row = s.execute(select(*columns).where(func.lower(table.c.username) == name)).first()
    return None if row is None else _LoginAccount(**row._mapping)


def log_in(
    factory: sessionmaker[Session], username: str, password: str, *, wait: bool = True
) -> dto.Login:
    """Check a user name and password, and admit the user.

    ``LoginFailed`` for an unknown user or a wrong password alike (same message, same
    hash work); a disabled account fails too, but says so only to whoever knows its
    password. The check reads only ``_LOGIN_COLUMNS`` and writes nothing, so the CLI
    and the app log in before they upgrade an older database. A failure is counted
    and audited, and after repeated failures every attempt for that name waits first
    (``core.login_guard``; ``wait=False``: ``LoginThrottled`` instead of waiting). On
    success the login is recorded (last login time; a hash of an older cost is redone)
    on a database at the current schema.
    """
    name = normalize_username(username)
    password = _as_text(password)
    # A name no account could have (a lone surrogate, markup) is looked up nowhere.
    fits = len(password) <= PASSWORD_MAX and len(name) <= 100 and bool(USERNAME.match(name))
    with read_session(factory, _AT_THE_DOOR) as s:
        if fits:
            login_guard.wait_before_attempt(s, name, wait=wait)
        stored = _stored_account(s, name) if name and fits else None
        current = login_guard.at_current_schema(s)
    verified = _verify(stored, password if fits else "")  # as slow without an account
    if stored is None or not verified:
        if fits and name:
            login_guard.record_failure(factory, name)
        raise LoginFailed(LOGIN_FAILED)
    if stored.disabled_at is not None:
        raise LoginFailed(f"the account {stored.username} is disabled; ask an HR admin")
    login_guard.record_success(factory, name)
    if not current:  # recorded once the database is upgraded, at the next login
        row = _account_row_of(stored, None)
        return dto.Login(actor_for(row), row)
    with unit_of_work(factory, _AT_THE_DOOR) as s:
        return _admit(s, _account(s, stored.id), rehash_with=password)


# -- failed logins


def login_delays(s: Session, actor: Actor) -> list[dto.LoginDelay]:
    """User names with failed logins counted, most first, with the wait each next
    attempt gets (HR admins only: the Accounts screen)."""
    require(actor, Permission.MANAGE_ACCOUNTS)
    known = {n.lower() for n in s.scalars(select(UserAccount.username))}
    return [
        dto.LoginDelay(f.username, f.count, f.last, f.delay, f.username in known)
        for f in login_guard.failures(s)
    ]


def clear_login_delay(s: Session, actor: Actor, username: str) -> bool:
    """Forget the failed logins of ``username`` (HR admins only), so its next attempt
    does not wait; audited. False when none were counted."""
    require(actor, Permission.MANAGE_ACCOUNTS)
    name = normalize_username(username)
    if not name or len(name) > 100:
        raise ValidationError("is not a user name", "username")
    before = next((f for f in login_guard.failures(s) if f.username == name), None)
    if before is None or not login_guard.clear(s, name):
        return False
    audit.label(s, "clear failed logins")
    audit.add_event(
        s,
        ("login", None),
        "update",
        {f"login:{name}": {"before": {"failed_logins": before.count}, "after": None}},
    )
    return True


def _token_hash(token: str) -> bytes:
    return hashlib.sha256(_as_text(token).encode("utf-8", "surrogatepass")).digest()


def issue_token(s: Session, actor: Actor, device_label: str = "") -> str:
    """A "remember me" token for the acting user; only its hash is stored. Keep the
    token itself in the OS keyring (``core.secrets.remember_login``)."""
    if actor.user_id is None or s.get(UserAccount, actor.user_id) is None:
        raise ValidationError("only a user account can be remembered", field="user")
    # The computer's name, not something a user typed: cleaned, never refused.
    label = drop_spoof(CONTROL.sub("", _as_text(device_label))).replace("\n", " ").strip()[:200]
    label = label.encode("utf-8", "replace").decode("utf-8")  # lone surrogates -> "?"
    token = secrets.token_urlsafe(32)
    now = utcnow()
    audit.label(s, "remember login")
    s.add(
        LoginToken(
            user_id=actor.user_id,
            token_hash=_token_hash(token),
            device_label=label,
            created_at=now,
            expires_at=now + TOKEN_LIFETIME,
        )
    )
    s.flush()
    return token


def log_in_with_token(factory: sessionmaker[Session], token: str) -> dto.Login:
    """Log in with a remembered token; ``LoginFailed`` when it is unknown, revoked,
    expired or its account disabled (then ask for the password)."""
    with unit_of_work(factory, _AT_THE_DOOR) as s:
        row = s.scalar(select(LoginToken).where(LoginToken.token_hash == _token_hash(token)))
        if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
            raise LoginFailed("the remembered login has expired; log in again")
        return _admit(s, _account(s, row.user_id))


def revoke_token(s: Session, actor: Actor, token: str) -> bool:
    """End a remembered login (at log-out); only the acting user's own token. True
    when there was one to end."""
    row = s.scalar(select(LoginToken).where(LoginToken.token_hash == _token_hash(token)))
    if row is None or row.revoked_at is not None or row.user_id != actor.user_id:
        return False
    audit.label(s, "forget login")
    row.revoked_at = utcnow()
    s.flush()
    return True


def mentor_choices(s: Session, actor: Actor) -> Sequence[tuple[int, str]]:
    """(staff id, name) of mentors an account can be tied to (HR admins only)."""
    require(actor, Permission.MANAGE_ACCOUNTS)
    rows = s.execute(
        select(Staff.id, Staff.first_name, Staff.last_name)
        .where(Staff.role == "mentor", Staff.archived_at.is_(None))
        .order_by(Staff.last_name, Staff.first_name)
    )
    return [(sid, f"{first} {last}") for sid, first, last in rows]
