"""What the drill modules share: their errors, loading who acts and what they act on, the
rights checks (the drill actions of trainer.services.rights, through `can`) and the event log.

Rights: only a manager of the drill's team runs it; the team's managers and admins watch; the
team's other members (trainees) work the inbox; all of them see it.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from scenarios.drills import DrillTemplate, get_template
from trainer.db.drill_models import DrillConversation, DrillEvent, DrillRun, DrillStatus
from trainer.db.models import User
from trainer.services.accounts import load_actor
from trainer.services.drills.clock import drill_seconds
from trainer.services.errors import NotFound, Refused, get_or_not_found
from trainer.services.rights import Action, Actor, PermissionDenied, actor_label, can

ACTIVE = (DrillStatus.running, DrillStatus.paused)  # the drill is on: customers come, trainees work


class DrillError(Refused):
    """The drill or conversation cannot do this now (e.g. reply when stopped); an unknown one is NotFound."""

    area = "drill"


class NotYours(DrillError):
    """The conversation is not (or no longer) held by this trainee."""


def participant(session: Session, actor: Actor) -> User:
    """The acting user, reloaded: the command line and disabled accounts take no part in drills."""
    user = load_actor(session, actor)
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied(f"{actor_label(actor)} may not take part in drills")
    return user


def require_drill(session: Session, user: User, run: DrillRun, *actions: Action, what: str) -> None:
    """PermissionDenied unless `user` may do one of `actions` to `run`."""
    if not any(can(user, action, run, session=session) for action in actions):
        raise PermissionDenied(f"{user.email} may not {what} drill {run.id}")


def viewer(session: Session, actor: Actor, run: DrillRun) -> User:
    """The acting user, who may see the drill (its team's trainees and managers, admins)."""
    user = participant(session, actor)
    require_drill(session, user, run, Action.see_drill, what="see")
    return user


def worker(session: Session, actor: Actor, run: DrillRun) -> User:
    """The acting user, a trainee of the drill's team, while the drill is on."""
    user = participant(session, actor)
    require_drill(session, user, run, Action.work_drill, what="work in")
    if run.status not in ACTIVE:
        raise DrillError("not_running", drill=run.id)
    return user


def get_run(session: Session, run_id: str) -> DrillRun:
    return get_or_not_found(session, DrillRun, run_id, kind="drill")


def get_conversation(session: Session, conversation_id: int, *, lock: bool = False) -> DrillConversation:
    """The conversation as stored now; with `lock`, its row locked for this transaction (PostgreSQL)."""
    query = select(DrillConversation).where(DrillConversation.id == conversation_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    found = session.exec(query.execution_options(populate_existing=True)).first()
    if found is None:
        raise NotFound("drill conversation", conversation_id)
    return found


def record_event(session: Session, run: DrillRun, kind: str, now: datetime, *, user_id: int | None = None,
                 conversation_id: int | None = None, **details) -> None:
    """One line of the drill's event log (the debrief's timeline), in the caller's transaction."""
    session.add(DrillEvent(run_id=run.id, at=now, offset=drill_seconds(run, now), kind=kind, user_id=user_id,
                           conversation_id=conversation_id, details=details))


def template_of(run: DrillRun) -> DrillTemplate:
    return get_template(run.template_id)
