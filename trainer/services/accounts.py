"""Accounts, teams, login and login sessions.

Passwords are hashed with Argon2 (argon2-cffi's defaults). After `LOGIN_MAX_FAILURES` failed
logins in a row an account is locked for `LOGIN_LOCKOUT_MINUTES`; during the lock even the
right password is refused, so guessing gains nothing. A login gives a random token; only its
keyed hash (HMAC with `SECRET_KEY`) is stored, and it expires after `SESSION_HOURS`.

Every function takes keyword arguments and one short-lived session; writes commit before
returning. Role changes and disabling an account land in the audit log.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from trainer.db.engine import writes
from trainer.db.models import (
    LoginSession,
    Role,
    Team,
    TeamCreate,
    TeamMembership,
    User,
    UserCreate,
)
from trainer.db.types import utcnow
from trainer.services import audit
from trainer.services.rights import Action, Actor, PermissionDenied, SystemActor, require
from trainer.settings import Settings, get_settings

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong
    password. Made on first use: hashing costs ~0.15 s, too much for every start of the app."""
    return _hasher.hash("not-a-real-password")


class AccountError(ValueError):
    """A request about accounts that cannot be done as asked (duplicate e-mail, unknown user)."""


class LoginFailed(Exception):
    """Wrong e-mail or password, or a disabled account (deliberately not told apart)."""


class LoginThrottled(Exception):
    def __init__(self, until: datetime):
        super().__init__(f"too many failed logins: try again after {until:%H:%M} UTC")
        self.until = until


class SessionExpired(Exception):
    """The login session is unknown, ended or past its expiry: log in again."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, hashed: str) -> bool:
    try:
        return _hasher.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def load_actor(session: Session, actor: Actor) -> Actor:
    """The actor as the database knows it now (a disabled or demoted user loses rights at once)."""
    if isinstance(actor, SystemActor):
        return actor
    current = session.get(User, actor.id)
    if current is None or not current.is_active:
        raise PermissionDenied(f"{actor.email} is not an active user")
    return current


def _normalise_email(email: str) -> str:
    return email.strip().lower()


# ------------------------------------------------------------------------------ users


@writes
def create_user(
    *, session: Session, actor: Actor, user_create: UserCreate, team_id: int | None = None, as_manager: bool = False
) -> User:
    """A new user, and with `team_id` their membership of that team, in one transaction: a
    refused membership leaves no user behind."""
    actor = load_actor(session, actor)
    require(actor, Action.manage_users, session=session)
    email = _normalise_email(user_create.email)
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError(f"a user with e-mail {email} already exists")
    user = User(
        email=email,
        full_name=user_create.full_name.strip(),
        role=Role(user_create.role),
        language=user_create.language,
        hashed_password=hash_password(user_create.password),
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor=actor, action="user.create", target_type="user", target_id=user.id,
        reason="account created", details={"role": user.role.value if isinstance(user.role, Role) else user.role},
    )
    if team_id is not None:
        _join(session, actor, team_id, user, as_manager=as_manager, reason="added to team")
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise AccountError(f"a user with e-mail {email} already exists") from None
    session.refresh(user)
    return user


def list_users(*, session: Session, actor: Actor, include_disabled: bool = True) -> list[User]:
    actor = load_actor(session, actor)
    require(actor, Action.manage_users, session=session)
    query = select(User).order_by(User.email)
    if not include_disabled:
        query = query.where(User.is_active == True)  # noqa: E712
    return list(session.exec(query).all())


def get_user_by_email(*, session: Session, actor: Actor, email: str) -> User:
    actor = load_actor(session, actor)
    require(actor, Action.manage_users, session=session)
    user = session.exec(select(User).where(User.email == _normalise_email(email))).first()
    if user is None:
        raise AccountError(f"no user with e-mail {email}")
    return user


def _get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise AccountError(f"no user with id {user_id}")
    return user


@writes
def set_role(*, session: Session, actor: Actor, user_id: int, role: Role, reason: str) -> User:
    actor = load_actor(session, actor)
    require(actor, Action.manage_users, session=session)
    user = _get_user(session, user_id)
    before = Role(user.role)
    role = Role(role)
    if before is role:
        return user
    if before is Role.manager:
        # A manager's team rights go with the role.
        for membership in session.exec(select(TeamMembership).where(TeamMembership.user_id == user.id)).all():
            membership.is_manager = False
            session.add(membership)
    user.role = role
    session.add(user)
    audit.record(
        session, actor=actor, action="user.role_change", target_type="user", target_id=user.id,
        reason=reason, details={"from": before.value, "to": role.value},
    )
    session.commit()
    session.refresh(user)
    return user


@writes
def disable_user(*, session: Session, actor: Actor, user_id: int, reason: str) -> User:
    actor = load_actor(session, actor)
    require(actor, Action.manage_users, session=session)
    user = _get_user(session, user_id)
    if not isinstance(actor, SystemActor) and user.id == actor.id:
        raise AccountError("you cannot disable your own account")
    user.is_active = False
    session.add(user)
    now = utcnow()
    for login in session.exec(
        select(LoginSession).where(LoginSession.user_id == user.id, LoginSession.revoked_at == None)  # noqa: E711
    ).all():
        login.revoked_at = now
        session.add(login)
    audit.record(session, actor=actor, action="user.disable", target_type="user", target_id=user.id, reason=reason)
    session.commit()
    session.refresh(user)
    return user


# ------------------------------------------------------------------------------ teams


@writes
def create_team(*, session: Session, actor: Actor, team_create: TeamCreate) -> Team:
    actor = load_actor(session, actor)
    require(actor, Action.manage_teams, session=session)
    name = team_create.name.strip()
    if session.exec(select(Team).where(Team.name == name)).first():
        raise AccountError(f"a team named {name!r} already exists")
    team = Team(name=name)
    session.add(team)
    session.flush()
    audit.record(session, actor=actor, action="team.create", target_type="team", target_id=team.id,
                 reason="team created", details={"team": name})
    session.commit()
    session.refresh(team)
    return team


@writes
def add_member(
    *, session: Session, actor: Actor, team_id: int, user_id: int, as_manager: bool = False, reason: str = "added to team"
) -> TeamMembership:
    """Put a user in a team, as a member or as one of its dialogue managers (audited: joining,
    and any change of manager status)."""
    actor = load_actor(session, actor)
    require(actor, Action.manage_teams, session=session)
    membership = _join(session, actor, team_id, _get_user(session, user_id), as_manager=as_manager, reason=reason)
    session.commit()
    session.refresh(membership)
    return membership


def _join(session: Session, actor: Actor, team_id: int, user: User, *, as_manager: bool, reason: str) -> TeamMembership:
    """Add (or change) the membership in the caller's transaction, with its audit entries."""
    require(actor, Action.manage_teams, session=session)
    user_id = user.id
    team = session.get(Team, team_id)
    if team is None:
        raise AccountError(f"no team with id {team_id}")
    if as_manager and Role(user.role) is not Role.manager:
        raise AccountError(f"{user.email} is a {Role(user.role).value}: give them the manager role first")
    membership = session.get(TeamMembership, (team_id, user_id))
    was_manager = bool(membership and membership.is_manager)
    if membership is None:
        membership = TeamMembership(team_id=team_id, user_id=user_id)
        audit.record(session, actor=actor, action="team.member_add", target_type="user", target_id=user_id,
                     reason=reason, details={"team_id": team_id, "team": team.name, "is_manager": as_manager})
    membership.is_manager = as_manager
    session.add(membership)
    if was_manager != as_manager:
        audit.record(
            session, actor=actor, action="team.manager_change", target_type="user", target_id=user_id,
            reason=reason, details={"team_id": team_id, "team": team.name, "is_manager": as_manager},
        )
    return membership


@writes
def remove_member(*, session: Session, actor: Actor, team_id: int, user_id: int, reason: str) -> None:
    """Take a user out of a team (audited)."""
    actor = load_actor(session, actor)
    require(actor, Action.manage_teams, session=session)
    membership = session.get(TeamMembership, (team_id, user_id))
    if membership is None:
        raise AccountError(f"user {user_id} is not in team {team_id}")
    audit.record(
        session, actor=actor, action="team.member_remove", target_type="user", target_id=user_id,
        reason=reason, details={"team_id": team_id, "was_manager": membership.is_manager},
    )
    session.delete(membership)
    session.commit()


def list_teams(*, session: Session, actor: Actor) -> list[Team]:
    """The teams an actor can pick from: all for admins, the managed ones for a manager, and
    a trainee's own teams."""
    actor = load_actor(session, actor)
    query = select(Team).order_by(Team.name)
    if Role(actor.role) is not Role.admin:
        query = query.join(TeamMembership, TeamMembership.team_id == Team.id).where(TeamMembership.user_id == actor.id)
        if Role(actor.role) is Role.manager:
            query = query.where(TeamMembership.is_manager == True)  # noqa: E712
    return list(session.exec(query).all())


def team_members(*, session: Session, actor: Actor, team_id: int) -> list[tuple[User, bool]]:
    """The team's users with whether each is a manager (for the team's managers and admins)."""
    actor = load_actor(session, actor)
    team = session.get(Team, team_id)
    if team is None:
        raise AccountError(f"no team with id {team_id}")
    require(actor, Action.read_team, team, session=session)
    rows = session.exec(
        select(User, TeamMembership.is_manager)
        .join(TeamMembership, TeamMembership.user_id == User.id)
        .where(TeamMembership.team_id == team_id)
        .order_by(User.full_name)
    ).all()
    return [(user, is_manager) for user, is_manager in rows]


# -------------------------------------------------------------------- login sessions


@dataclass(frozen=True)
class LoginResult:
    token: str  # give to the browser; never stored as such
    user: User
    expires_at: datetime


def _token_digest(token: str, settings: Settings) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), token.encode(), hashlib.sha256).hexdigest()


@writes
def login(
    *, session: Session, email: str, password: str, now: datetime | None = None, settings: Settings | None = None
) -> LoginResult:
    settings = settings or get_settings()
    now = now or utcnow()
    user = session.exec(select(User).where(User.email == _normalise_email(email))).first()
    if user is None:
        verify_password(password, _dummy_hash())
        raise LoginFailed("wrong e-mail or password")
    if user.locked_until is not None and user.locked_until > now:
        raise LoginThrottled(user.locked_until)
    if not verify_password(password, user.hashed_password) or not user.is_active:
        user.failed_logins += 1
        if user.failed_logins >= settings.LOGIN_MAX_FAILURES:
            user.locked_until = now + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            user.failed_logins = 0
        session.add(user)
        session.commit()
        if user.locked_until is not None and user.locked_until > now:
            raise LoginThrottled(user.locked_until)
        raise LoginFailed("wrong e-mail or password")
    if _hasher.check_needs_rehash(user.hashed_password):
        user.hashed_password = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    return _open_session(session, user, now, settings)


def _open_session(session: Session, user: User, now: datetime, settings: Settings) -> LoginResult:
    user.last_login_at = now
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=settings.SESSION_HOURS)
    session.add(user)
    session.add(LoginSession(user_id=user.id, token_digest=_token_digest(token, settings), created_at=now, expires_at=expires_at))
    session.commit()
    session.refresh(user)
    return LoginResult(token=token, user=user, expires_at=expires_at)


@writes
def login_with_identity(
    *, session: Session, email: str, now: datetime | None = None, settings: Settings | None = None
) -> LoginResult:
    """Log in someone whose e-mail an identity provider (OIDC single sign-on) has vouched for.

    The provider proves who they are; the local account decides what they may do. Without an
    active local account with that e-mail there is no login: SSO never creates accounts."""
    settings = settings or get_settings()
    now = now or utcnow()
    user = session.exec(select(User).where(User.email == _normalise_email(email))).first()
    if user is None or not user.is_active:
        raise LoginFailed("no active account for this identity")
    return _open_session(session, user, now, settings)


def current_user(
    *, session: Session, token: str, now: datetime | None = None, settings: Settings | None = None
) -> User:
    """The user a login token belongs to, or SessionExpired."""
    settings = settings or get_settings()
    now = now or utcnow()
    found = session.exec(
        select(LoginSession, User)
        .join(User, User.id == LoginSession.user_id)
        .where(LoginSession.token_digest == _token_digest(token, settings))
    ).first()
    if found is None:
        raise SessionExpired("unknown login session")
    login_session, user = found
    if login_session.revoked_at is not None or login_session.expires_at <= now or not user.is_active:
        raise SessionExpired("the login session has ended")
    return user


def logout(*, session: Session, token: str, settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    login_session = session.exec(
        select(LoginSession).where(LoginSession.token_digest == _token_digest(token, settings))
    ).first()
    if login_session is not None and login_session.revoked_at is None:
        login_session.revoked_at = utcnow()
        session.add(login_session)
        session.commit()
