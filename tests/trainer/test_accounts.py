"""Accounts: Argon2 passwords, throttled logins, expiring sessions, audited role changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from trainer.db.models import AuditEntry, LoginSession, Role, TeamCreate, UserCreate
from trainer.db.types import utcnow
from trainer.services import accounts
from trainer.services.accounts import (
    AccountError,
    LoginFailed,
    LoginThrottled,
    SessionExpired,
    create_user,
    current_user,
    disable_user,
    login,
    logout,
    set_role,
)
from trainer.services.audit import ReasonRequired
from trainer.services.rights import SYSTEM, PermissionDenied
from trainer.settings import Settings

from .conftest import PASSWORD

SETTINGS = Settings(_env_file=None, LOGIN_MAX_FAILURES=3, LOGIN_LOCKOUT_MINUTES=15, SESSION_HOURS=8,
                    SESSION_IDLE_MINUTES=24 * 60)  # the absolute limit is tested here, the idle one in test_sessions


def test_accounts_passwords_are_argon2_hashed_never_stored(session, world):
    assert world.tom.hashed_password.startswith("$argon2id$")
    assert PASSWORD not in world.tom.hashed_password
    assert accounts.verify_password(PASSWORD, world.tom.hashed_password)
    assert not accounts.verify_password("wrong", world.tom.hashed_password)


def test_accounts_duplicate_email_refused_case_insensitively(session, world):
    with pytest.raises(AccountError, match="already exists"):
        create_user(
            session=session, actor=SYSTEM,
            user_create=UserCreate(email="TOM@example.nl", full_name="Other Tom", password=PASSWORD),
        )


def test_accounts_login_gives_a_token_for_the_user(session, world):
    result = login(session=session, email="tom@example.nl", password=PASSWORD, settings=SETTINGS)
    assert current_user(session=session, token=result.token, settings=SETTINGS).id == world.tom.id
    stored = session.exec(select(LoginSession)).one()
    assert result.token not in stored.token_digest  # only a keyed hash is kept


def test_accounts_wrong_password_and_unknown_email_fail_alike(session, world):
    with pytest.raises(LoginFailed, match="wrong e-mail or password"):
        login(session=session, email="tom@example.nl", password="nope", settings=SETTINGS)
    with pytest.raises(LoginFailed, match="wrong e-mail or password"):
        login(session=session, email="nobody@example.nl", password="nope", settings=SETTINGS)


def test_accounts_login_throttled_after_repeated_failures_even_with_right_password(session, world):
    now = utcnow()
    for _ in range(SETTINGS.LOGIN_MAX_FAILURES - 1):
        with pytest.raises(LoginFailed):
            login(session=session, email="tom@example.nl", password="nope", now=now, settings=SETTINGS)
    with pytest.raises(LoginThrottled):
        login(session=session, email="tom@example.nl", password="nope", now=now, settings=SETTINGS)
    with pytest.raises(LoginThrottled) as refused:
        login(session=session, email="tom@example.nl", password=PASSWORD, now=now + timedelta(minutes=5), settings=SETTINGS)
    assert refused.value.until == now + timedelta(minutes=15)
    later = now + timedelta(minutes=16)
    assert login(session=session, email="tom@example.nl", password=PASSWORD, now=later, settings=SETTINGS).user.id == world.tom.id


def test_accounts_sessions_expire(session, world):
    now = utcnow()
    result = login(session=session, email="tom@example.nl", password=PASSWORD, now=now, settings=SETTINGS)
    assert current_user(session=session, token=result.token, now=now + timedelta(hours=7), settings=SETTINGS)
    with pytest.raises(SessionExpired):
        current_user(session=session, token=result.token, now=now + timedelta(hours=8, seconds=1), settings=SETTINGS)


def test_accounts_logout_ends_the_session(session, world):
    result = login(session=session, email="tom@example.nl", password=PASSWORD, settings=SETTINGS)
    logout(session=session, token=result.token, settings=SETTINGS)
    with pytest.raises(SessionExpired):
        current_user(session=session, token=result.token, settings=SETTINGS)


def test_accounts_token_is_bound_to_the_secret_key(session, world):
    result = login(session=session, email="tom@example.nl", password=PASSWORD, settings=SETTINGS)
    other = Settings(_env_file=None, SECRET_KEY="another-key-" * 4)
    with pytest.raises(SessionExpired):
        current_user(session=session, token=result.token, settings=other)


def test_accounts_disabled_user_cannot_log_in_and_loses_sessions(session, world):
    result = login(session=session, email="tom@example.nl", password=PASSWORD, settings=SETTINGS)
    disable_user(session=session, actor=world.admin, user_id=world.tom.id, reason="left the company")
    with pytest.raises(SessionExpired):
        current_user(session=session, token=result.token, settings=SETTINGS)
    with pytest.raises(LoginFailed):
        login(session=session, email="tom@example.nl", password=PASSWORD, settings=SETTINGS)
    with pytest.raises(PermissionDenied):  # a disabled account does nothing, even with an old object
        accounts.list_users(session=session, actor=world.tom)


def test_accounts_role_change_is_audited_with_who_when_why(session, world):
    set_role(session=session, actor=world.admin, user_id=world.tess.id, role=Role.manager, reason="new team lead")
    entry = session.exec(select(AuditEntry).where(AuditEntry.action == "user.role_change")).one()
    assert (entry.actor_id, entry.actor_label) == (world.admin.id, "admin@example.nl")
    assert entry.target_id == str(world.tess.id) and entry.reason == "new team lead"
    assert entry.details == {"from": "trainee", "to": "manager"}
    assert abs((utcnow() - entry.at).total_seconds()) < 60


def test_accounts_role_change_needs_a_reason(session, world):
    with pytest.raises(ReasonRequired) as refused:
        set_role(session=session, actor=world.admin, user_id=world.tess.id, role=Role.manager, reason="  ")
    assert (refused.value.code, refused.value.params) == ("reason_required", {"action": "user.role_change"})
    assert Role(session.get(type(world.tess), world.tess.id).role) is Role.trainee  # nothing half-done


def test_accounts_manager_change_in_team_is_audited(session, world):
    entries = session.exec(select(AuditEntry).where(AuditEntry.action == "team.manager_change")).all()
    assert {e.target_id for e in entries} == {str(world.mila.id), str(world.mark.id)}
    assert all(e.actor_label == "system:command-line" for e in entries)


def test_accounts_demoting_a_manager_removes_their_team_rights(session, world):
    from trainer.services.rights import Action, can

    assert can(world.mila, Action.read_attempts, world.tom, session=session)
    set_role(session=session, actor=world.admin, user_id=world.mila.id, role=Role.trainee, reason="back on the floor")
    mila = session.get(type(world.mila), world.mila.id)
    assert not can(mila, Action.read_attempts, world.tom, session=session)


def test_accounts_manager_membership_needs_manager_role(session, world):
    with pytest.raises(AccountError, match="manager role first"):
        accounts.add_member(session=session, actor=world.admin, team_id=world.reizen.id, user_id=world.tom.id, as_manager=True)


@pytest.mark.parametrize("who", ["mila", "tom"])
def test_accounts_only_an_admin_manages_users(session, world, who):
    actor = getattr(world, who)
    forbidden = [
        lambda: create_user(session=session, actor=actor, user_create=UserCreate(email="x@example.nl", full_name="X", password=PASSWORD)),
        lambda: accounts.list_users(session=session, actor=actor),
        lambda: set_role(session=session, actor=actor, user_id=world.tess.id, role=Role.admin, reason="please"),
        lambda: disable_user(session=session, actor=actor, user_id=world.eva.id, reason="why not"),
        lambda: accounts.create_team(session=session, actor=actor, team_create=TeamCreate(name="Eigen team")),
        lambda: accounts.add_member(session=session, actor=actor, team_id=world.reizen.id, user_id=world.eva.id),
    ]
    for call in forbidden:
        with pytest.raises(PermissionDenied):
            call()
    assert Role(session.get(type(world.tess), world.tess.id).role) is Role.trainee


def test_accounts_admin_manages_users(session, world):
    user = create_user(
        session=session, actor=world.admin,
        user_create=UserCreate(email="New@Example.nl", full_name="Nieuwe Collega", password=PASSWORD),
    )
    assert user.email == "new@example.nl" and Role(user.role) is Role.trainee
    assert "new@example.nl" in [u.email for u in accounts.list_users(session=session, actor=world.admin)]


def test_accounts_list_teams_per_role(session, world):
    names = lambda actor: [t.name for t in accounts.list_teams(session=session, actor=actor)]  # noqa: E731
    assert names(world.admin) == ["Energie", "Reizen"]
    assert names(world.mila) == ["Reizen"] and names(world.mark) == ["Energie"]
    assert names(world.tom) == ["Reizen"]


def test_accounts_removing_a_manager_from_a_team_is_audited_and_ends_their_rights(session, world):
    from trainer.services.rights import Action, can

    with pytest.raises(PermissionDenied):
        accounts.remove_member(session=session, actor=world.mila, team_id=world.reizen.id, user_id=world.tom.id, reason="x")
    accounts.remove_member(session=session, actor=world.admin, team_id=world.reizen.id, user_id=world.mila.id, reason="andere afdeling")
    assert not can(world.mila, Action.read_attempts, world.tom, session=session)
    entry = session.exec(select(AuditEntry).where(AuditEntry.reason == "andere afdeling")).one()
    assert entry.action == "team.member_remove" and entry.details["was_manager"] is True
    with pytest.raises(AccountError, match="not in team"):
        accounts.remove_member(session=session, actor=world.admin, team_id=world.reizen.id, user_id=world.mila.id, reason="x")
