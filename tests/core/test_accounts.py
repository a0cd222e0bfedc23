"""Accounts: the first HR admin, creating, disabling and resetting accounts, logging
in (scrypt, per-user salt, constant-time, unknown user == wrong password), the
password policy, remembered logins (only a hash stored), demo accounts."""

from __future__ import annotations

import pickle
from dataclasses import fields
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from testkeys import TEST_KEY

from internhost.core import dto
from internhost.core.actor import SYSTEM, Actor, Role
from internhost.core.errors import (
    Conflict,
    LoginFailed,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from internhost.core.models import AuditEvent, LoginToken, Staff, UserAccount
from internhost.core.models.base import utcnow
from internhost.core.services import accounts, interns
from internhost.core.services.accounts import NewAccount
from internhost.core.storage import db

ADMIN_PASSWORD = "correct horse battery"
FAST = (2**8, 8, 1)  # scrypt cost for the many logins below; production's is tested once


@pytest.fixture(autouse=True)
def fast_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "SCRYPT_PARAMS", FAST)


@pytest.fixture
def admin(factory: sessionmaker[Session]) -> Actor:
    row = accounts.bootstrap_admin(factory, "Admin", ADMIN_PASSWORD, "Ada Admin")
    return accounts.actor_for(row)


@pytest.fixture
def mentor_staff(factory: sessionmaker[Session]) -> int:
    with db.unit_of_work(factory, SYSTEM) as s:
        staff = Staff(first_name="Mo", last_name="Mentor", role="mentor", email="mo@x.example")
        supervisor = Staff(first_name="Su", last_name="Pervisor", role="supervisor")
        s.add_all([staff, supervisor])
        s.flush()
        return staff.id


def _write(factory, actor, service, *args, **kwargs):
    with db.unit_of_work(factory, actor) as s:
        return service(s, actor, *args, **kwargs)


def _account(factory, username: str) -> UserAccount:
    with db.read_session(factory, SYSTEM) as s:
        return s.scalars(select(UserAccount).where(UserAccount.username == username)).one()


# -- the first HR admin


def test_the_first_admin_is_created_once_and_audited_as_themselves(factory) -> None:
    with db.read_session(factory, SYSTEM) as s:
        assert not accounts.has_accounts(s)
    row = accounts.bootstrap_admin(factory, "  Ada.Admin ", ADMIN_PASSWORD, "Ada Admin")
    assert (row.username, row.role, row.role_label, row.is_demo) == (
        "ada.admin",
        "hr_admin",
        "HR admin",
        False,
    )
    assert accounts.any_accounts(factory)
    with db.read_session(factory, SYSTEM) as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.aggregate_type == "user_accounts"))
        (event,) = event.all()
        assert (event.operation, event.actor_kind, event.actor_user_id, event.actor_name) == (
            "create first HR admin",
            "user",
            row.id,
            "ada.admin",
        )
        assert "password" not in event.payload.replace("password_hash", "").replace(
            "password_salt", ""
        )
        assert ADMIN_PASSWORD not in event.payload
    with pytest.raises(Conflict, match="already has accounts"):
        accounts.bootstrap_admin(factory, "eve", "another long password")


@pytest.mark.parametrize(
    ("username", "password", "field"),
    [
        ("", ADMIN_PASSWORD, "username"),
        ("bad name", ADMIN_PASSWORD, "username"),
        ("ada", "short", "password"),
        ("ada", "", "password"),
        ("adalovelace", "AdaLovelace", "password"),  # the user name itself
        ("ada", "x" * 1025, "password"),
    ],
)
def test_the_first_admin_follows_the_policy(factory, username, password, field) -> None:
    with pytest.raises(ValidationError) as caught:
        accounts.bootstrap_admin(factory, username, password)
    assert field in caught.value.by_field()
    assert not accounts.any_accounts(factory)


def test_password_policy_text_and_demo_exemption() -> None:
    assert "10 characters" in accounts.PASSWORD_POLICY
    assert accounts.password_problems("ten chars!") == []
    assert accounts.password_problems("nine char") == ["must be at least 10 characters long"]
    assert accounts.password_problems("demo", demo=True) == []
    assert accounts.password_problems("", demo=True) == ["is required"]


# -- hashing


def test_passwords_are_scrypt_hashed_with_a_per_user_salt(factory, admin, mentor_staff) -> None:
    _write(
        factory,
        admin,
        accounts.create_account,
        NewAccount("vera", "Vera", "viewer", ADMIN_PASSWORD),
    )
    ada, vera = _account(factory, "admin"), _account(factory, "vera")
    for account in (ada, vera):
        assert account.password_hash.startswith(b"scrypt$%d$%d$%d$" % FAST)
        assert len(account.password_salt) == accounts.SALT_BYTES
        assert ADMIN_PASSWORD.encode() not in account.password_hash
    assert ada.password_salt != vera.password_salt  # same password, different hashes
    assert ada.password_hash != vera.password_hash


def test_production_cost_and_rehash_at_login(factory, monkeypatch) -> None:
    monkeypatch.setattr(accounts, "SCRYPT_PARAMS", (2**15, 8, 1))
    assert accounts.SCRYPT_PARAMS[0] >= 2**15  # 32 MiB per guess
    accounts.bootstrap_admin(factory, "ada", ADMIN_PASSWORD)
    assert _account(factory, "ada").password_hash.startswith(b"scrypt$32768$8$1$")
    monkeypatch.setattr(accounts, "SCRYPT_PARAMS", FAST)  # the cost changes: re-hash
    accounts.log_in(factory, "ada", ADMIN_PASSWORD)
    assert _account(factory, "ada").password_hash.startswith(b"scrypt$256$8$1$")
    accounts.log_in(factory, "ada", ADMIN_PASSWORD)


def test_a_tampered_cost_is_refused_not_computed(factory, admin) -> None:
    with db.unit_of_work(factory, SYSTEM) as s:
        account = s.get(UserAccount, admin.user_id)
        account.password_hash = b"scrypt$1073741824$8$1$" + bytes(32)
    with pytest.raises(LoginFailed):
        accounts.log_in(factory, "admin", ADMIN_PASSWORD)


# -- logging in


def test_log_in_gives_the_actor_and_records_it(factory, admin) -> None:
    login = accounts.log_in(factory, " ADMIN ", ADMIN_PASSWORD)
    assert login.actor == Actor(Role.HR_ADMIN, "admin", user_id=admin.user_id)
    assert login.account.display_name == "Ada Admin"
    assert login.account.last_login_at is not None
    with db.read_session(factory, SYSTEM) as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.operation == "log in")).one()
        assert (event.actor_kind, event.actor_user_id) == ("user", admin.user_id)


def test_unknown_user_and_wrong_password_are_indistinguishable(factory, admin, monkeypatch) -> None:
    calls: list[str] = []
    real_scrypt, real_compare = accounts._scrypt, accounts.hmac.compare_digest

    def counting_scrypt(*args):
        calls.append("scrypt")
        return real_scrypt(*args)

    def counting_compare(a, b):
        calls.append("compare")
        return real_compare(a, b)

    monkeypatch.setattr(accounts, "_scrypt", counting_scrypt)
    monkeypatch.setattr(accounts.hmac, "compare_digest", counting_compare)
    outcomes = []
    for username, password in (("admin", "wrong password!"), ("nobody", ADMIN_PASSWORD)):
        calls.clear()
        with pytest.raises(LoginFailed) as caught:
            accounts.log_in(factory, username, password)
        outcomes.append((type(caught.value), str(caught.value), list(calls)))
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1] == "unknown user or wrong password"
    assert outcomes[0][2] == ["scrypt", "compare"]  # same work for both
    assert isinstance(outcomes[0][0](), PermissionDenied)  # the CLI's exit 4
    with db.read_session(factory, SYSTEM) as s:  # a failed login writes nothing
        assert s.scalar(select(AuditEvent).where(AuditEvent.operation == "log in")) is None


def test_huge_input_fails_like_any_wrong_password(factory, admin) -> None:
    for username, password in (("admin", "x" * 1_000_000), ("x" * 1_000_000, "pw")):
        with pytest.raises(LoginFailed, match=r"^unknown user or wrong password$"):
            accounts.log_in(factory, username, password)


def test_actor_is_small_frozen_and_picklable(factory, admin, mentor_staff) -> None:
    row = _write(
        factory,
        admin,
        accounts.create_account,
        NewAccount("mo", "Mo", "mentor", ADMIN_PASSWORD, staff_id=mentor_staff),
    )
    actor = accounts.log_in(factory, "mo", ADMIN_PASSWORD).actor
    assert actor == Actor(Role.MENTOR, "mo", user_id=row.id, staff_id=mentor_staff)
    assert pickle.loads(pickle.dumps(actor)) == actor
    with pytest.raises(AttributeError):
        actor.role = Role.HR_ADMIN  # type: ignore[misc]


# -- creating accounts


def test_only_hr_admins_create_accounts(factory, admin, mentor_staff) -> None:
    data = NewAccount("vera", "Vera Viewer", "viewer", ADMIN_PASSWORD)
    for actor in (
        Actor(Role.MENTOR, "mo", user_id=9, staff_id=mentor_staff),
        Actor(Role.VIEWER, "vi", user_id=8),
    ):
        with pytest.raises(PermissionDenied, match="may not manage accounts"):
            _write(factory, actor, accounts.create_account, data)
    row = _write(factory, admin, accounts.create_account, data)
    assert (row.username, row.role_label, row.staff_id) == ("vera", "Viewer", None)


@pytest.mark.parametrize(
    ("data", "field", "says"),
    [
        (NewAccount("admin", "", "viewer", ADMIN_PASSWORD), "username", "already taken"),
        (NewAccount("ADMIN", "", "viewer", ADMIN_PASSWORD), "username", "already taken"),
        (NewAccount("vera", "", "boss", ADMIN_PASSWORD), "role", "not one of"),
        (NewAccount("vera", "", "viewer", "short"), "password", "at least 10"),
        (NewAccount("mo", "", "mentor", ADMIN_PASSWORD), "staff_id", "choose the mentor"),
        (NewAccount("mo", "", "mentor", ADMIN_PASSWORD, staff_id=999), "staff_id", "no staff"),
        (NewAccount("vera", "", "viewer", ADMIN_PASSWORD, staff_id=-1), "staff_id", "only a"),
        (NewAccount("vera", "a\x00b", "viewer", ADMIN_PASSWORD), "display_name", "control"),
    ],
)
def test_create_account_checks_every_field(factory, admin, mentor_staff, data, field, says):
    with pytest.raises(ValidationError) as caught:
        _write(factory, admin, accounts.create_account, data)
    assert any(says in m for m in caught.value.by_field()[field]), caught.value.errors


def test_a_mentor_account_names_a_mentor_once(factory, admin, mentor_staff) -> None:
    with db.read_session(factory, SYSTEM) as s:
        supervisor = s.scalar(select(Staff.id).where(Staff.role == "supervisor"))
        choices = accounts.mentor_choices(s, admin)
    assert choices == [(mentor_staff, "Mo Mentor")]
    with pytest.raises(ValidationError, match="a supervisor, not a mentor"):
        _write(
            factory,
            admin,
            accounts.create_account,
            NewAccount("su", "", "mentor", ADMIN_PASSWORD, staff_id=supervisor),
        )
    data = NewAccount("mo", "", "mentor", ADMIN_PASSWORD, staff_id=mentor_staff)
    row = _write(factory, admin, accounts.create_account, data)
    assert (row.staff_id, row.staff_name) == (mentor_staff, "Mo Mentor")
    with pytest.raises(ValidationError, match="already has the account mo"):
        _write(
            factory, admin, accounts.create_account, NewAccount(**{**vars(data), "username": "mo2"})
        )


def test_account_rows_never_carry_hashes(factory, admin) -> None:
    names = {f.name for f in fields(dto.AccountRow)}
    assert not {n for n in names if "hash" in n or "salt" in n or "password" in n}
    with db.read_session(factory, SYSTEM) as s:
        rows = accounts.list_accounts(s, admin)
        assert [r.username for r in rows] == ["admin"]
        with pytest.raises(PermissionDenied):
            accounts.list_accounts(s, Actor(Role.VIEWER, "v", user_id=5))
        assert accounts.get_account(
            s, Actor(Role.VIEWER, "v", user_id=admin.user_id), admin.user_id
        )
        with pytest.raises(PermissionDenied):
            accounts.get_account(s, Actor(Role.VIEWER, "v", user_id=5), admin.user_id)
        with pytest.raises(NotFound):
            accounts.get_account(s, admin, 999)


# -- disabling, resetting, changing


@pytest.fixture
def vera(factory, admin) -> dto.AccountRow:
    return _write(
        factory, admin, accounts.create_account, NewAccount("vera", "", "viewer", ADMIN_PASSWORD)
    )


def test_a_disabled_account_cannot_log_in_and_loses_its_tokens(factory, admin, vera) -> None:
    login = accounts.log_in(factory, "vera", ADMIN_PASSWORD)
    token = _write(factory, login.actor, accounts.issue_token, "laptop")
    row = _write(factory, admin, accounts.disable_account, vera.id)
    assert row.disabled
    # Only whoever knows the password learns that the account is disabled.
    with pytest.raises(LoginFailed, match=r"^unknown user or wrong password$"):
        accounts.log_in(factory, "vera", "a wrong password")
    with pytest.raises(LoginFailed, match="vera is disabled; ask an HR admin"):
        accounts.log_in(factory, "vera", ADMIN_PASSWORD)
    with pytest.raises(LoginFailed):
        accounts.log_in_with_token(factory, token)
    assert _write(factory, admin, accounts.enable_account, vera.id).disabled is False
    accounts.log_in(factory, "vera", ADMIN_PASSWORD)
    with pytest.raises(LoginFailed):  # the token stays revoked
        accounts.log_in_with_token(factory, token)


def test_no_one_disables_themselves_or_the_last_admin(factory, admin, vera) -> None:
    with pytest.raises(Conflict, match="your own account"):
        _write(factory, admin, accounts.disable_account, admin.user_id)
    with pytest.raises(Conflict, match="last enabled HR admin"):
        _write(factory, SYSTEM, accounts.disable_account, admin.user_id)
    with pytest.raises(PermissionDenied):
        _write(factory, Actor(Role.VIEWER, "vera", user_id=vera.id), accounts.disable_account, 1)


def test_reset_password(factory, admin, vera) -> None:
    token = _write(
        factory, accounts.log_in(factory, "vera", ADMIN_PASSWORD).actor, accounts.issue_token
    )
    with pytest.raises(ValidationError, match="at least 10"):
        _write(factory, admin, accounts.reset_password, vera.id, "short")
    _write(factory, admin, accounts.reset_password, vera.id, "a brand new password")
    with pytest.raises(LoginFailed):
        accounts.log_in(factory, "vera", ADMIN_PASSWORD)
    accounts.log_in(factory, "vera", "a brand new password")
    with pytest.raises(LoginFailed):
        accounts.log_in_with_token(factory, token)
    with pytest.raises(PermissionDenied):
        _write(
            factory,
            Actor(Role.VIEWER, "vera", user_id=vera.id),
            accounts.reset_password,
            admin.user_id,
            "taken over by vera",
        )


def test_change_own_password(factory, admin, vera) -> None:
    me = Actor(Role.VIEWER, "vera", user_id=vera.id)
    with pytest.raises(ValidationError) as caught:
        _write(factory, me, accounts.change_own_password, "not it at all", "ok ok ok ok ok")
    assert caught.value.by_field() == {"current_password": ["is not your current password"]}
    with pytest.raises(ValidationError, match="at least 10"):
        _write(factory, me, accounts.change_own_password, ADMIN_PASSWORD, "short")
    _write(factory, me, accounts.change_own_password, ADMIN_PASSWORD, "my own new secret")
    accounts.log_in(factory, "vera", "my own new secret")
    with pytest.raises(ValidationError):
        _write(factory, SYSTEM, accounts.change_own_password, "a", "b")


# -- remember me


def test_remembered_login_stores_only_a_hash(factory, admin, db_path: Path) -> None:
    token = _write(factory, admin, accounts.issue_token, "office PC")
    assert len(token) >= 40
    with db.read_session(factory, SYSTEM) as s:
        row = s.scalars(select(LoginToken)).one()
        assert row.token_hash != token.encode() and len(row.token_hash) == 32
        assert row.expires_at - row.created_at == accounts.TOKEN_LIFETIME
        assert row.device_label == "office PC"
    for path in db_path.parent.glob("internhost.db*"):
        assert token.encode() not in path.read_bytes()
    login = accounts.log_in_with_token(factory, token)
    assert login.actor == admin
    with pytest.raises(LoginFailed):
        accounts.log_in_with_token(factory, token + "x")


def test_a_token_ends_at_logout_and_when_it_expires(factory, admin, vera) -> None:
    token = _write(factory, admin, accounts.issue_token)
    vera_actor = Actor(Role.VIEWER, "vera", user_id=vera.id)
    assert _write(factory, vera_actor, accounts.revoke_token, token) is False  # not hers
    assert _write(factory, admin, accounts.revoke_token, token) is True
    with pytest.raises(LoginFailed, match="log in again"):
        accounts.log_in_with_token(factory, token)
    other = _write(factory, admin, accounts.issue_token)
    with db.unit_of_work(factory, SYSTEM) as s:
        for row in s.scalars(select(LoginToken)):
            row.expires_at = utcnow() - timedelta(seconds=1)
    with pytest.raises(LoginFailed):
        accounts.log_in_with_token(factory, other)
    with pytest.raises(ValidationError):
        _write(factory, SYSTEM, accounts.issue_token)


# -- demo accounts


def test_demo_accounts(demo_path: Path) -> None:
    engine = db.make_engine(demo_path, TEST_KEY)
    try:
        factory = db.make_session_factory(engine)
        with db.read_session(factory, SYSTEM) as s:
            rows = {r.username: r for r in accounts.list_accounts(s, SYSTEM)}
            maria = s.scalar(select(Staff).where(Staff.last_name == "Kowalski"))
            assert set(rows) == {"hr", "mentor", "viewer"}
            assert all(r.is_demo for r in rows.values())
            assert {u: r.role for u, r in rows.items()} == {
                "hr": "hr_admin",
                "mentor": "mentor",
                "viewer": "viewer",
            }
            assert rows["mentor"].staff_id == maria.id
        logins = {u: accounts.log_in(factory, u, "demo") for u in rows}
        mentor = logins["mentor"].actor
        assert mentor.staff_id == maria.id
        with db.read_session(factory, SYSTEM) as s:
            everyone = interns.list_intern_ids(s, SYSTEM)
            theirs = interns.list_intern_ids(s, mentor)
        assert 0 < len(theirs) < len(everyone)  # some, not all
        # Demo accounts are exempt from the policy, real ones are not.
        _write(factory, logins["hr"].actor, accounts.reset_password, rows["viewer"].id, "demo2")
        with (
            pytest.raises(Conflict, match="already has accounts"),
            db.unit_of_work(factory, SYSTEM) as s,
        ):
            accounts.create_demo_accounts(s, SYSTEM, maria.id)
    finally:
        engine.dispose()


def test_sample_data_never_goes_into_a_database_with_accounts(factory, admin) -> None:
    from internhost.core.sample import DemoSizes, build_demo

    with pytest.raises(Conflict, match="already has accounts"):
        build_demo(factory, SYSTEM, DemoSizes(interns=2, weeks=1, second_term=False, check=False))
    with pytest.raises(PermissionDenied), db.unit_of_work(factory, admin) as s:
        accounts.create_demo_accounts(s, Actor(Role.VIEWER, "v", user_id=1), 1)


def test_hostile_values_get_domain_errors(factory, admin, vera) -> None:
    """Not text where text belongs, ids SQLite cannot hold, a machine name with
    control characters: a domain error or a cleaned value, never a crash."""
    for username, password in ((None, None), (42, b"x"), ("hr", None)):
        with pytest.raises(LoginFailed):
            accounts.log_in(factory, username, password)  # type: ignore[arg-type]
    with pytest.raises(LoginFailed):
        accounts.log_in_with_token(factory, None)  # type: ignore[arg-type]
    for huge in (2**63, -(2**63) - 1, None, "1"):
        with pytest.raises(NotFound):
            _write(factory, admin, accounts.reset_password, huge, "a long enough password")
    with pytest.raises(ValidationError) as caught:
        _write(factory, admin, accounts.reset_password, vera.id, None)
    assert set(caught.value.by_field()) == {"password"}
    with pytest.raises(ValidationError) as caught:
        _write(factory, admin, accounts.change_own_password, None, None)
    assert set(caught.value.by_field()) == {"current_password", "password"}
    assert _write(factory, admin, accounts.revoke_token, None) is False
    _write(factory, admin, accounts.issue_token, "front\x00desk\r\nPC" + "x" * 500)
    with db.read_session(factory, SYSTEM) as s:
        (label,) = s.scalars(select(LoginToken.device_label)).all()
    assert label.startswith("frontdesk PC") and len(label) == 200
    _write(factory, admin, accounts.issue_token, "half a \ud800 pair")
    with db.read_session(factory, SYSTEM) as s:
        assert "half a ? pair" in s.scalars(select(LoginToken.device_label)).all()
    with pytest.raises(ValidationError) as caught:
        _write(
            factory,
            admin,
            accounts.create_account,
            NewAccount("mo", "", "mentor", ADMIN_PASSWORD, staff_id=2**70),
        )
    assert "no staff member" in caught.value.by_field()["staff_id"][0]
