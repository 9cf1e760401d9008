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
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, update
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
from trainer.services import audit, limits
from trainer.services.auth_passwords import password_problem
from trainer.services.auth_throttle import Throttle, process_throttle
from trainer.services.demo_identity import DEMO_DOMAIN, DEMO_PASSWORD
from trainer.services.errors import NotFound, Refused, Row, get_or_not_found
from trainer.services.rights import Action, Actor, PermissionDenied, SystemActor, require
from trainer.settings import Settings, get_settings

_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong
    password. Made on first use: hashing costs ~0.15 s, too much for every start of the app."""
    return _hasher.hash("not-a-real-password")


class AccountError(Refused):
    """A request about accounts that cannot be done as asked (duplicate e-mail, not in the team);
    an unknown user or team is NotFound."""

    area = "account"


class WeakPassword(AccountError):
    """A new password that is too short or too easy to guess; `problem` (the code) says which."""

    PROBLEMS = ("too_short", "too_common")  # what auth_passwords.password_problem finds

    def __init__(self, problem: str, *, min_length: int):
        super().__init__(problem, min=min_length)
        self.problem = problem


class LoginFailed(Exception):
    """Wrong e-mail or password, or a disabled account (deliberately not told apart)."""


class DemoAccountRefused(LoginFailed):
    """A demo account (or the demo password) on a server other machines can reach (ALLOW_REMOTE)."""


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


def load_for(session: Session, actor: Actor, model: type[Row], key: Any, action: Action) -> tuple[Actor, Row]:
    """How most services open: the actor as the database knows it now and the row `key` of
    `model`, which that actor may `action`. NotFound without the row, PermissionDenied without the right."""
    actor = load_actor(session, actor)
    row = get_or_not_found(session, model, key)
    require(actor, action, row, session=session)
    return actor, row


def _normalise_email(email: str) -> str:
    return email.strip().lower()


# ------------------------------------------------------------------------------ users


@writes
def create_user(
    *, session: Session, actor: Actor, user_create: UserCreate, team_id: int | None = None, as_manager: bool = False
) -> User:
    """A new user, and with `team_id` their membership of that team, in one transaction: a
    refused membership leaves no user behind."""
    limits.check(user_create.email, "email")
    limits.check(user_create.full_name, "name")
    limits.check(user_create.password, "password")
    actor = load_actor(session, actor)
    require(actor, Action.manage_users, session=session)
    email = _normalise_email(user_create.email)
    if session.exec(select(User).where(User.email == email)).first():
        raise AccountError("email_taken", email=email)
    if not _in_demo_domain(email):  # demo accounts keep the README's password (refused when served remotely)
        _require_strong(user_create.password, email=email, full_name=user_create.full_name)
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
        raise AccountError("email_taken", email=email) from None
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
        raise NotFound("user", email, by="e-mail")
    return user


@writes
def set_role(*, session: Session, actor: Actor, user_id: int, role: Role, reason: str) -> User:
    limits.check(reason, "comment")
    actor = load_actor(session, actor)
    require(actor, Action.manage_users, session=session)
    user = get_or_not_found(session, User, user_id)
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
    limits.check(reason, "comment")
    actor = load_actor(session, actor)
    require(actor, Action.manage_users, session=session)
    user = get_or_not_found(session, User, user_id)
    if not isinstance(actor, SystemActor) and user.id == actor.id:
        raise AccountError("own_account")
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


def _require_strong(password: str, *, email: str, full_name: str, settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    problem = password_problem(password, email=email, full_name=full_name, settings=settings)
    if problem is not None:
        raise WeakPassword(problem, min_length=settings.PASSWORD_MIN_LENGTH)


def change_password(
    *, session: Session, actor: Actor, current_password: str, new_password: str, keep_token: str | None = None,
    settings: Settings | None = None,
) -> None:
    """A user replaces their own password, proving the current one. Every other login session of
    theirs ends (a browser they forgot, or someone else's); `keep_token`'s stays."""
    limits.check(current_password, "password")
    limits.check(new_password, "password")
    settings = settings or get_settings()
    actor = load_actor(session, actor)
    user_id, email, full_name, hashed = actor.id, actor.email, actor.full_name, actor.hashed_password
    session.commit()  # checked and hashed below with no transaction open
    if not _check_password(current_password, hashed, utcnow(), settings):
        raise LoginFailed("the current password is wrong")
    _require_strong(new_password, email=email, full_name=full_name, settings=settings)
    _store_password(session=session, user_id=user_id, hashed=hash_password(new_password), must_change=False,
                    keep_digest=_token_digest(keep_token, settings) if keep_token else None)


def reset_password(*, session: Session, actor: Actor, user_id: int, reason: str) -> str:
    """An admin gives a user a temporary password (returned, shown once, never stored or logged)
    that must be changed at the next login; the user's login sessions end. Audited."""
    limits.check(reason, "comment")
    actor = load_actor(session, actor)
    require(actor, Action.manage_users, session=session)
    get_or_not_found(session, User, user_id)
    session.commit()
    temporary = "-".join(secrets.token_urlsafe(6) for _ in range(3))  # ~108 bits, readable aloud in parts
    _store_password(session=session, user_id=user_id, hashed=hash_password(temporary), must_change=True,
                    audit_by=actor, reason=reason)
    return temporary


@writes
def _store_password(
    *, session: Session, user_id: int, hashed: str, must_change: bool, keep_digest: str | None = None,
    audit_by: Actor | None = None, reason: str = "",
) -> None:
    user = get_or_not_found(session, User, user_id)
    user.hashed_password = hashed
    user.must_change_password = must_change
    user.failed_logins = 0
    user.locked_until = None
    session.add(user)
    now = utcnow()
    for login in session.exec(
        select(LoginSession).where(LoginSession.user_id == user_id, LoginSession.revoked_at == None)  # noqa: E711
    ).all():
        if login.token_digest != keep_digest:
            login.revoked_at = now
            session.add(login)
    if audit_by is not None:
        audit.record(session, actor=audit_by, action="user.password_reset", target_type="user", target_id=user_id,
                     reason=reason)
    session.commit()


# ------------------------------------------------------------------------------ teams


@writes
def create_team(*, session: Session, actor: Actor, team_create: TeamCreate) -> Team:
    limits.check(team_create.name, "name")
    actor = load_actor(session, actor)
    require(actor, Action.manage_teams, session=session)
    name = team_create.name.strip()
    if session.exec(select(Team).where(Team.name == name)).first():
        raise AccountError("team_taken", name=name)
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
    limits.check(reason, "comment")
    actor = load_actor(session, actor)
    require(actor, Action.manage_teams, session=session)
    membership = _join(session, actor, team_id, get_or_not_found(session, User, user_id), as_manager=as_manager, reason=reason)
    session.commit()
    session.refresh(membership)
    return membership


def _join(session: Session, actor: Actor, team_id: int, user: User, *, as_manager: bool, reason: str) -> TeamMembership:
    """Add (or change) the membership in the caller's transaction, with its audit entries."""
    require(actor, Action.manage_teams, session=session)
    user_id = user.id
    team = get_or_not_found(session, Team, team_id)
    if as_manager and Role(user.role) is not Role.manager:
        raise AccountError("not_a_manager", email=user.email)
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
    limits.check(reason, "comment")
    actor = load_actor(session, actor)
    require(actor, Action.manage_teams, session=session)
    membership = session.get(TeamMembership, (team_id, user_id))
    if membership is None:
        raise AccountError("not_in_team", user=user_id, team=team_id)
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


def plain_member_ids(team_id: int):
    """A subquery of the team's plain (non-manager) members' ids, for `.in_(...)`. The caller has
    checked the right to read the team."""
    return select(TeamMembership.user_id).where(
        TeamMembership.team_id == team_id, TeamMembership.is_manager == False  # noqa: E712
    )


def plain_members(session: Session, team_id: int, *, role: Role | None = None) -> list[tuple[int, str]]:
    """The team's plain members (with `role`, if given) as (id, full name), by name. The caller
    has checked the right."""
    query = select(User.id, User.full_name).where(User.id.in_(plain_member_ids(team_id)))  # type: ignore[union-attr]
    if role is not None:
        query = query.where(User.role == role)
    return list(session.exec(query.order_by(User.full_name)).all())


def team_members(*, session: Session, actor: Actor, team_id: int) -> list[tuple[User, bool]]:
    """The team's users with whether each is a manager (for the team's managers and admins)."""
    actor, team = load_for(session, actor, Team, team_id, Action.read_team)
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


def login(
    *, session: Session, email: str, password: str, client: str | None = None, now: datetime | None = None,
    settings: Settings | None = None, throttle: Throttle | None = None,
) -> LoginResult:
    """Check e-mail and password and open a login session.

    `client` is the visitor's address. Refused before any hashing (LoginThrottled) while the
    address, the e-mail from this address, or the e-mail from anywhere is locked; an unknown
    e-mail is counted and locked exactly like an account, so neither the answer nor its timing
    tells whether an account exists. The password is checked with no transaction open: on
    SQLite, hashing (~0.15 s) never holds the write lock that trainees' saves need."""
    limits.check(email, "email")  # refused before anything is counted, read or hashed
    limits.check(password, "password")
    settings = settings or get_settings()
    throttle = throttle or process_throttle()
    now = now or utcnow()
    email = _normalise_email(email)
    if settings.ALLOW_REMOTE and _is_demo(email, password):
        raise DemoAccountRefused("demo accounts are off on a server other machines can reach")
    keys = _throttle_keys(email, client, settings)
    _reserve(throttle, keys, now)  # before the database is even read: a flood costs it nothing
    user = session.exec(select(User).where(User.email == email)).first()
    known = (user.id, user.hashed_password, user.is_active) if user is not None else None
    session.commit()  # end the read; nothing below keeps a transaction open while hashing
    if known is None:  # an e-mail without an account row is counted here, like an account is there
        email_key = (("email", email), settings.LOGIN_ACCOUNT_MAX_FAILURES,
                     timedelta(minutes=settings.LOGIN_ACCOUNT_LOCKOUT_MINUTES))
        keys.append(email_key)
        _reserve(throttle, [email_key], now)
    counted = 0
    if known is not None:
        counted, until = _reserve_account(session=session, user_id=known[0], now=now, settings=settings)
        if until is not None:
            raise LoginThrottled(until)
    if _check_password(password, known[1] if known else _dummy_hash(), now, settings) and known is not None and known[2]:
        for key, _, _ in keys:
            throttle.succeeded(key, forget=key[0] != "client")
        new_hash = hash_password(password) if _hasher.check_needs_rehash(known[1]) else None  # before the write
        return _open_session(session=session, user_id=known[0], now=now, settings=settings, password_login=True,
                             new_hash=new_hash, client=client)
    locked = [throttle.failed(key, limit=limit, window=window, now=now) for key, limit, window in keys]
    if known is not None and counted >= settings.LOGIN_ACCOUNT_MAX_FAILURES:
        locked.append(_lock_account(session=session, user_id=known[0], now=now, settings=settings, client=client))
    locked = [until for until in locked if until is not None]
    if locked:
        raise LoginThrottled(max(locked))
    raise LoginFailed("wrong e-mail or password")


@functools.cache
def _check_slots(size: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(size)


def _check_password(password: str, hashed: str, now: datetime, settings: Settings) -> bool:
    """Verify with at most LOGIN_CONCURRENT_CHECKS checks running in this process: each costs a
    core for a while, and a flood must leave the trainees' saves a core of their own. A check
    that cannot get a turn within LOGIN_CHECK_WAIT_SECONDS is refused like a throttled login."""
    slots = _check_slots(settings.LOGIN_CONCURRENT_CHECKS)
    if not slots.acquire(timeout=settings.LOGIN_CHECK_WAIT_SECONDS):
        raise LoginThrottled(now + timedelta(minutes=1))
    try:
        return verify_password(password, hashed)
    finally:
        slots.release()


def _in_demo_domain(email: str) -> bool:
    return email.endswith(f"@{DEMO_DOMAIN}")


def _is_demo(email: str, password: str) -> bool:
    """A demo account, or any account given the demo password: both are printed in the README."""
    return _in_demo_domain(email) or hmac.compare_digest(password.encode(), DEMO_PASSWORD.encode())


def _throttle_keys(email: str, client: str | None, settings: Settings) -> list[tuple[tuple[str, ...], int, timedelta]]:
    """What a login is counted against in this process, whether or not the e-mail has an
    account: its client address, and its e-mail from that address."""
    address = client or "-"
    lockout = timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return [
        (("client", address), settings.LOGIN_CLIENT_MAX_FAILURES, lockout),
        (("pair", email, address), settings.LOGIN_MAX_FAILURES, lockout),
    ]


def _reserve(throttle: Throttle, keys: list[tuple[tuple[str, ...], int, timedelta]], now: datetime) -> None:
    for key, limit, window in keys:
        until = throttle.reserve(key, limit=limit, window=window, now=now)
        if until is not None:
            raise LoginThrottled(until)


@writes
def _reserve_account(*, session: Session, user_id: int, now: datetime, settings: Settings) -> tuple[int, datetime | None]:
    """Count one attempt on the account in one atomic UPDATE, before its password is checked:
    parallel guesses (from any process) get distinct counts, and those past the limit are
    refused unchecked. Returns (the count, until when it is locked if it must be refused)."""
    counted = session.execute(
        update(User)
        .where(User.id == user_id, or_(User.locked_until == None, User.locked_until <= now))  # noqa: E711
        .values(failed_logins=User.failed_logins + 1)
        .returning(User.failed_logins),
        execution_options={"synchronize_session": False},
    ).scalar_one_or_none()
    if counted is None:
        until = session.execute(select(User.locked_until).where(User.id == user_id)).scalar_one()
        session.commit()
        return 0, until
    session.commit()
    if counted > settings.LOGIN_ACCOUNT_MAX_FAILURES:
        return counted, _lock_account(session=session, user_id=user_id, now=now, settings=settings)
    return counted, None


@writes
def _lock_account(*, session: Session, user_id: int, now: datetime, settings: Settings,
                  client: str | None = None) -> datetime:
    until = now + timedelta(minutes=settings.LOGIN_ACCOUNT_LOCKOUT_MINUTES)
    session.execute(
        update(User).where(User.id == user_id).values(locked_until=until, failed_logins=0),
        execution_options={"synchronize_session": False},
    )
    user = session.get(User, user_id, populate_existing=True)
    # Lock-outs and successful logins are audited; single failures are not, so a flood of bogus
    # logins costs the database nothing.
    audit.record_login(session, email=user.email, outcome="lockout", user=user, client=client, at=now)
    session.commit()
    return until


@writes
def _open_session(
    *, session: Session, user_id: int, now: datetime, settings: Settings, password_login: bool = False,
    new_hash: str | None = None, client: str | None = None,
) -> LoginResult:
    """A login that succeeded: reset the account's count (a password login) and store a new
    login session."""
    user = session.get(User, user_id, populate_existing=True)
    if password_login:
        user.failed_logins = 0
        user.locked_until = None
    if new_hash is not None:
        user.hashed_password = new_hash
    user.last_login_at = now
    token = secrets.token_urlsafe(32)
    expires_at = now + timedelta(hours=settings.SESSION_HOURS)
    session.add(user)
    session.add(LoginSession(user_id=user.id, token_digest=_token_digest(token, settings), created_at=now, expires_at=expires_at))
    audit.record_login(session, email=user.email, outcome="success", user=user, client=client, at=now)
    session.commit()
    session.refresh(user)
    return LoginResult(token=token, user=user, expires_at=expires_at)


class UnverifiedIdentity(LoginFailed):
    """The identity provider has not verified that this person owns the e-mail address."""


@writes
def login_with_identity(
    *, session: Session, email: str, email_verified: object, now: datetime | None = None,
    settings: Settings | None = None,
) -> LoginResult:
    """Log in someone whose e-mail an identity provider (OIDC single sign-on) has vouched for.

    Only an `email_verified` claim that is exactly true counts: many providers let a user type any
    address into their profile, so an unverified one proves nothing. The provider proves who
    they are; the local account decides what they may do (its role, never a claim of the
    provider's). Without an active local account with that e-mail there is no login: SSO never
    creates accounts."""
    settings = settings or get_settings()
    now = now or utcnow()
    if email_verified is not True:
        raise UnverifiedIdentity("the identity provider has not verified this e-mail address")
    user = session.exec(select(User).where(User.email == _normalise_email(email))).first()
    if user is None or not user.is_active:
        raise LoginFailed("no active account for this identity")
    return _open_session(session=session, user_id=user.id, now=now, settings=settings)


# A session's last use is written at most this often: not a write on every rerun of every page.
SEEN_EVERY = timedelta(minutes=1)


def current_user(
    *, session: Session, token: str, now: datetime | None = None, settings: Settings | None = None
) -> User:
    """The user a login token belongs to, or SessionExpired: unknown, logged out, past
    SESSION_HOURS, unused for SESSION_IDLE_MINUTES, or a disabled user. Each use keeps it alive."""
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
    last_seen = login_session.last_seen_at or login_session.created_at
    if last_seen + timedelta(minutes=settings.SESSION_IDLE_MINUTES) <= now:
        raise SessionExpired("the login session was idle too long")
    if now - last_seen >= SEEN_EVERY:
        session.commit()  # end the read; the update below is its own short write
        _seen(session=session, session_id=login_session.id, now=now)
    return user


@writes
def _seen(*, session: Session, session_id: int, now: datetime) -> None:
    session.execute(update(LoginSession).where(LoginSession.id == session_id).values(last_seen_at=now),
                    execution_options={"synchronize_session": False})
    session.commit()


def logout(*, session: Session, token: str, settings: Settings | None = None) -> None:
    settings = settings or get_settings()
    login_session = session.exec(
        select(LoginSession).where(LoginSession.token_digest == _token_digest(token, settings))
    ).first()
    if login_session is not None and login_session.revoked_at is None:
        login_session.revoked_at = utcnow()
        session.add(login_session)
        session.commit()
