"""Who may do what: named actions behind one `can(actor, action, target)`.

Every service checks again with `require(...)`, whatever screen called it, so a page that
shows a button by mistake still cannot do the thing. The actions are listed (and explained) in
docs/storage.md. A manager's rights reach the teams where their membership says `is_manager`;
a trainee's only themselves.

Nobody reviews, overrides or certifies their own work, and no manager does so for another
manager (a colleague in the same team or elsewhere): a manager's work is judged by an admin.
An admin certifies and reviews managers only; trainees are certified by their own managers.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from sqlalchemy.orm import object_session
from sqlmodel import Session, select

from trainer.db.drill_models import DrillRun
from trainer.db.models import Attempt, Role, Score, Team, TeamMembership, User


class PermissionDenied(Exception):
    """The actor may not do this. The message says what was refused, never why in detail."""


class Action(str, Enum):
    manage_users = "users.manage"  # add, disable, change role, list
    manage_teams = "teams.manage"  # add teams and members
    practise = "attempts.practise"  # start attempts and submit replies as oneself
    read_attempts = "attempts.read"  # target: the trainee (User) or an Attempt
    review = "attempts.review"  # comment on and override scores; target: trainee, Attempt or Score
    read_team = "team.read"  # the team overview; target: Team
    certify = "certifications.grant"  # target: the trainee
    revoke = "certifications.revoke"  # target: the trainee
    read_audit = "audit.read"
    export = "attempts.export"
    assign = "assignments.set"  # give a trainee work with a due date; target: the trainee
    # Group drills; target: the drill's Team or the DrillRun. They go by the team membership.
    run_drill = "drills.run"  # create, start, pause, resume, stop, inject, speak as a customer
    watch_drill = "drills.watch"  # the live dashboard and the debrief
    work_drill = "drills.work"  # claim, release, hand over and answer customers in the inbox
    see_drill = "drills.see"  # the inbox, the summary and the conversations; plays the timeline on
    see_reports = "reports.see"  # the weekly reports of a team; target: the Team
    close_stale = "attempts.close_stale"  # close everyone's long-idle attempts as abandoned (housekeeping)


DRILL_ACTIONS = frozenset({Action.run_drill, Action.watch_drill, Action.work_drill, Action.see_drill})


@dataclass(frozen=True)
class SystemActor:
    """The command line, run by whoever runs the server. Manages users and teams like an admin,
    and like an admin never certifies."""

    label: str = "system:command-line"
    id: None = None
    role: Role = Role.admin
    is_active: bool = True


SYSTEM = SystemActor()
Actor = User | SystemActor
Target = User | Team | Attempt | Score | DrillRun | None


def actor_label(actor: Actor) -> str:
    return actor.label if isinstance(actor, SystemActor) else actor.email


def managed_team_ids(session: Session, manager_id: int) -> set[int]:
    rows = session.exec(
        select(TeamMembership.team_id).where(
            TeamMembership.user_id == manager_id, TeamMembership.is_manager == True  # noqa: E712
        )
    )
    return set(rows.all())


def manages(session: Session, manager: User, trainee_id: int) -> bool:
    """True when `manager` is a manager of a team that `trainee_id` is a plain (non-manager)
    member of. A fellow manager of the same team is a colleague, not someone they manage."""
    if Role(manager.role) is not Role.manager:
        return False
    teams = managed_team_ids(session, manager.id)
    if not teams:
        return False
    found = session.exec(
        select(TeamMembership.team_id).where(
            TeamMembership.user_id == trainee_id, TeamMembership.team_id.in_(teams),  # type: ignore[attr-defined]
            TeamMembership.is_manager == False,  # noqa: E712
        )
    ).first()
    return found is not None


def _is_staff(session: Session | None, user_id: int) -> bool:
    """A manager or admin: their work is judged by an admin, never by a fellow manager."""
    user = session.get(User, user_id) if session is not None else None
    return user is not None and Role(user.role) is not Role.trainee


def _trainee_id(session: Session, target: Target) -> int | None:
    if isinstance(target, User):
        return target.id
    if isinstance(target, (Attempt, Score)):
        return target.user_id
    return None


def is_plain_member(session: Session, user_id: int, team_id: int) -> bool:
    """A member of the team who is not one of its managers (a trainee, or an observer)."""
    row = session.get(TeamMembership, (team_id, user_id))
    return row is not None and not row.is_manager


def _drill_can(session: Session | None, actor: User, action: Action, target: Target) -> bool:
    """Drill rights go by the membership of the drill's team: its managers (with the manager
    role) run it; they, the team's observers and admins watch it; its other plain members work
    the inbox (an observer answers no customer); all of them see it."""
    team_id = target.id if isinstance(target, Team) else target.team_id if isinstance(target, DrillRun) else None
    if team_id is None or session is None:
        return False
    membership = session.get(TeamMembership, (team_id, actor.id))
    role = Role(actor.role)
    runs = role is Role.manager and membership is not None and membership.is_manager
    observes = role is Role.observer and membership is not None
    works = membership is not None and not membership.is_manager and not observes
    watches = role is Role.admin or runs or observes
    return {Action.run_drill: runs, Action.watch_drill: watches, Action.work_drill: works,
            Action.see_drill: works or watches}[action]


def observed_team_ids(session: Session, observer_id: int) -> set[int]:
    """The teams an observer belongs to (as a plain member): the only ones they may read."""
    return set(session.exec(select(TeamMembership.team_id).where(TeamMembership.user_id == observer_id)).all())


def _observer_can(session: Session | None, actor: User, action: Action, target: Target) -> bool:
    """An observer reads the teams they belong to and their trainees' work, and changes nothing:
    no practice, review, certificate, assignment or export."""
    if session is None:
        return False
    teams = observed_team_ids(session, actor.id)
    if action in (Action.read_team, Action.see_reports):
        return isinstance(target, Team) and target.id in teams
    if action is Action.read_attempts:
        trainee_id = _trainee_id(session, target)
        if trainee_id is None or not teams:
            return False
        return session.exec(select(TeamMembership.team_id).where(
            TeamMembership.user_id == trainee_id, TeamMembership.team_id.in_(teams),  # type: ignore[attr-defined]
            TeamMembership.is_manager == False,  # noqa: E712
        )).first() is not None and not _is_staff(session, trainee_id)
    return False


def _session_for(session: Session | None, actor: User, target: Target) -> Session | None:
    return session or object_session(actor) or (object_session(target) if target is not None else None)


def can(actor: Actor | None, action: Action, target: Target = None, *, session: Session | None = None) -> bool:
    """May `actor` do `action` (to `target`)? Disabled accounts may do nothing.

    Checks that need team memberships read them through `session`, or else the session the
    actor or target was loaded in."""
    if actor is None or not actor.is_active:
        return False
    role = Role(actor.role)
    is_admin = role is Role.admin
    if action in (Action.manage_users, Action.manage_teams, Action.read_audit, Action.close_stale):
        return is_admin
    if isinstance(actor, SystemActor):
        # The command line reads and exports everything, and does nothing else.
        return action in (Action.read_attempts, Action.read_team, Action.see_reports, Action.export)
    if action in DRILL_ACTIONS:  # before the observer's rule: drills go by membership alone
        return _drill_can(_session_for(session, actor, target), actor, action, target)
    if role is Role.observer:
        return _observer_can(session or object_session(actor), actor, action, target)
    if action is Action.practise:
        return target is None or _trainee_id(session, target) == actor.id  # type: ignore[arg-type]
    if action is Action.export:
        return is_admin or role is Role.manager

    session = _session_for(session, actor, target)
    if action in (Action.read_team, Action.see_reports):
        if is_admin:
            return True
        if not isinstance(target, Team) or session is None:
            return False
        return role is Role.manager and target.id in managed_team_ids(session, actor.id)

    trainee_id = _trainee_id(session, target)  # type: ignore[arg-type]
    if trainee_id is None:
        return False
    if action is Action.read_attempts:
        if trainee_id == actor.id or is_admin:
            return True
        return session is not None and manages(session, actor, trainee_id)
    if action in (Action.review, Action.certify, Action.revoke):
        if trainee_id == actor.id:
            return False  # never oneself
        if action is Action.revoke and is_admin:
            return True  # an admin can pull a certificate (e.g. after fraud)
        if _is_staff(session, trainee_id):
            return is_admin  # managers are certified and reviewed by an admin, never by a colleague
        return session is not None and manages(session, actor, trainee_id)
    if action is Action.assign:
        return (trainee_id != actor.id and session is not None and manages(session, actor, trainee_id)
                and not _is_staff(session, trainee_id))
    return False


def require(actor: Actor | None, action: Action, target: Target = None, *, session: Session | None = None) -> None:
    """`can(...)` or raise PermissionDenied."""
    if not can(actor, action, target, session=session):
        who = actor_label(actor) if actor is not None else "anonymous"
        what = f" on {type(target).__name__.lower()} {getattr(target, 'id', '')}".rstrip() if target is not None else ""
        raise PermissionDenied(f"{who} may not {action.value}{what}")
