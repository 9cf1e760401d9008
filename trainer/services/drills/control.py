"""The manager's controls: create a drill from a template, start, pause, resume and stop it,
inject a customer (or an announcement that is needed, or a noise post of a chosen kind) live and speak as a customer. Only a
manager of the drill's team runs it (`drills.run`)."""

from __future__ import annotations

import random
import uuid
from datetime import datetime

from sqlalchemy import update
from sqlmodel import Session, col, func, select

import scenarios
from scenarios.drills import get_template
from scenarios.noise import PREFIX as NOISE_PREFIX
from trainer.db.drill_models import DrillConversation, DrillRun, DrillStatus
from trainer.db.engine import writes
from trainer.db.models import Attempt, AttemptOutcome, Team, User
from trainer.db.types import utcnow
from trainer.services import limits
from trainer.services.drills import announcements, noise
from trainer.services.drills.clock import drill_seconds
from trainer.services.drills.core import (
    ACTIVE,
    DrillError,
    get_conversation,
    get_run,
    participant,
    record_event,
    require_drill,
    template_of,
)
from trainer.services.drills.timeline import add_customer_messages, advance, arrive, arrive_noise
from trainer.services.rights import Action, Actor, PermissionDenied, can

LIVE_INJECT_FROM = 100_000  # arrival numbers of live injects, beyond any timeline


@writes(own_transaction=True)
def create_drill(*, session: Session, actor: Actor, template_id: str, team_id: int, seed: int | None = None,
                 time_scale: float = 1.0, now: datetime | None = None) -> DrillRun:
    """A new drill from a template for a team (not started yet)."""
    user = participant(session, actor)
    template = get_template(template_id)
    if not can(user, Action.run_drill, session.get(Team, team_id), session=session):
        raise PermissionDenied(f"{user.email} may not run drills for team {team_id}")
    if time_scale <= 0:
        raise DrillError("time_scale", time_scale=time_scale)
    run = DrillRun(id=uuid.uuid4().hex, template_id=template.id, language=template.language, team_id=team_id,
                   created_by_id=user.id, seed=random.randrange(1, 2**31) if seed is None else seed,
                   time_scale=time_scale, created_at=now or utcnow())
    session.add(run)
    session.flush()  # the run's row first: no relationships tell the flush the order
    record_event(session, run, "created", run.created_at, user_id=user.id, template=template.id)
    session.commit()
    return run


def _control(session: Session, actor: Actor, run_id: str, now: datetime | None) -> tuple[User, DrillRun, datetime]:
    user = participant(session, actor)
    run = get_run(session, run_id)
    require_drill(session, user, run, Action.run_drill, what="run")
    return user, run, now or utcnow()


def _live_control(session: Session, actor: Actor, run_id: str, now: datetime | None) -> tuple[User, DrillRun, datetime]:
    """As `_control`, for what only a drill that is on takes (injects)."""
    user, run, now = _control(session, actor, run_id, now)
    if run.status not in ACTIVE:
        raise DrillError("not_running", drill=run.id)
    return user, run, now


@writes(own_transaction=True)
def start_drill(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> DrillRun:
    user, run, now = _control(session, actor, run_id, now)
    if run.status != DrillStatus.created:
        raise DrillError("already_started", drill=run.id)
    run.status, run.started_at = DrillStatus.running, now
    record_event(session, run, "started", now, user_id=user.id)
    session.commit()
    advance(session=session, actor=user, run_id=run.id, now=now, force=True)
    return run


@writes(own_transaction=True)
def pause_drill(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> DrillRun:
    user, run, now = _control(session, actor, run_id, now)
    if run.status != DrillStatus.running:
        raise DrillError("not_running", drill=run.id)
    run.status, run.paused_at = DrillStatus.paused, now
    record_event(session, run, "paused", now, user_id=user.id)
    session.commit()
    return run


@writes(own_transaction=True)
def resume_drill(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> DrillRun:
    user, run, now = _control(session, actor, run_id, now)
    if run.status != DrillStatus.paused:
        raise DrillError("not_paused", drill=run.id)
    run.paused_seconds += (now - run.paused_at).total_seconds()
    run.status, run.paused_at = DrillStatus.running, None
    record_event(session, run, "resumed", now, user_id=user.id)
    session.commit()
    return run


@writes(own_transaction=True)
def stop_drill(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> DrillRun:
    user, run, now = _control(session, actor, run_id, now)
    if run.status == DrillStatus.stopped:
        return run
    if run.status == DrillStatus.paused:
        run.paused_seconds += (now - run.paused_at).total_seconds()
        run.paused_at = None
    if run.started_at is None:
        run.started_at = now
    run.status, run.stopped_at = DrillStatus.stopped, now
    record_event(session, run, "stopped", now, user_id=user.id)
    # Nobody holds anything once the drill is over.
    session.execute(update(DrillConversation).where(DrillConversation.run_id == run.id)
                    .values(claimed_by_id=None, claimed_at=None, claim_active_offset=None))
    # Customers still talking to a trainee when the drill stops: those attempts were abandoned.
    session.execute(update(Attempt).where(Attempt.drill_run_id == run.id, Attempt.outcome == AttemptOutcome.in_progress)
                    .values(outcome=AttemptOutcome.abandoned, finished_at=now))
    session.commit()
    return run


def inject(*, session: Session, actor: Actor, run_id: str, scenario_id: str, medium: str, title: str,
           followers: int | None = None, label: str | None = None, now: datetime | None = None) -> int:
    """An extra customer, live, from any scenario of the drill's language. Returns its id."""
    limits.check(title, "name")  # before anything is read or locked
    return _inject(session=session, actor=actor, run_id=run_id, scenario_id=scenario_id, medium=medium, title=title,
                   followers=followers, label=label, now=now)


@writes(own_transaction=True)
def _inject(*, session: Session, actor: Actor, run_id: str, scenario_id: str, medium: str, title: str,
            followers: int | None, label: str | None, now: datetime | None) -> int:
    user, run, now = _live_control(session, actor, run_id, now)
    template = template_of(run)
    scenario = scenarios.get_scenario(scenario_id)
    if scenario.language != run.language or medium not in scenario.media:
        raise DrillError("scenario_not_here", scenario=scenario_id, medium=medium)
    if label is not None and label not in template.labels:
        raise DrillError("unknown_label", label=label)
    arrival = _live_arrival(session, run)
    offset = drill_seconds(run, now)
    # The next customer of this scenario in the drill: its opening varies like the timeline's.
    variant = session.exec(select(func.count()).select_from(DrillConversation).where(
        DrillConversation.run_id == run.id, DrillConversation.scenario_id == scenario_id)).one()
    conversation = arrive(session, run, template, arrival=arrival, scenario_id=scenario_id, medium=medium,
                          seed=random.Random(f"inject:{run.seed}:{arrival}").randrange(1, 2**31), offset=offset,
                          now=now, followers=followers, label=label, title=title, variant=variant)
    record_event(session, run, "inject", now, user_id=user.id, conversation_id=conversation.id, title=title)
    session.commit()
    return conversation.id


def _live_arrival(session: Session, run: DrillRun) -> int:
    count = session.exec(select(func.count()).select_from(DrillConversation).where(
        DrillConversation.run_id == run.id, DrillConversation.arrival >= LIVE_INJECT_FROM)).one()
    return LIVE_INJECT_FROM + count


def inject_announcement(*, session: Session, actor: Actor, run_id: str, exercise_id: str, medium: str, title: str,
                        now: datetime | None = None) -> int:
    """"Announcement needed": an announcement exercise of the drill's language as a task in the
    inbox (trainer.services.drills.announcements). Returns its id."""
    limits.check(title, "name")
    return _inject_announcement(session=session, actor=actor, run_id=run_id, exercise_id=exercise_id, medium=medium,
                                title=title, now=now)


@writes(own_transaction=True)
def _inject_announcement(*, session: Session, actor: Actor, run_id: str, exercise_id: str, medium: str, title: str,
                         now: datetime | None) -> int:
    user, run, now = _live_control(session, actor, run_id, now)
    try:
        conversation = announcements.arrive(session, run, exercise_id=exercise_id, medium=medium,
                                            arrival=_live_arrival(session, run), offset=drill_seconds(run, now),
                                            now=now, title=title)
    except KeyError:
        raise DrillError("unknown_exercise", exercise=exercise_id) from None
    record_event(session, run, "inject", now, user_id=user.id, conversation_id=conversation.id, title=title)
    session.commit()
    return conversation.id


def inject_noise(*, session: Session, actor: Actor, run_id: str, kind: str, medium: str, title: str,
                 now: datetime | None = None) -> int:
    """A noise post of `kind` (praise, spam, the press, ...) at once, drawn from the noise library
    of the drill's language, on one of the drill's media: in the inbox and judged at the end like
    the curve's noise (trainer.services.drills.noise). Returns its id."""
    limits.check(title, "name")
    return _inject_noise(session=session, actor=actor, run_id=run_id, kind=kind, medium=medium, title=title, now=now)


@writes(own_transaction=True)
def _inject_noise(*, session: Session, actor: Actor, run_id: str, kind: str, medium: str, title: str,
                  now: datetime | None) -> int:
    user, run, now = _live_control(session, actor, run_id, now)
    template = template_of(run)
    if kind not in noise.kinds_for(run.language):
        raise DrillError("unknown_noise_kind", kind=kind)
    if medium not in template.media:
        raise DrillError("medium_not_in_drill", medium=medium)
    arrival = _live_arrival(session, run)
    shown = session.exec(select(DrillConversation.scenario_id).where(
        DrillConversation.run_id == run.id, col(DrillConversation.scenario_id).startswith(NOISE_PREFIX))).all()
    item = noise.pick_item(kind, run.language, used={s[len(NOISE_PREFIX):] for s in shown},
                           seed=f"inject-noise:{run.seed}:{arrival}")
    conversation = arrive_noise(session, run, template, arrival=arrival, item_id=item.id, medium=medium,
                                seed=random.Random(f"inject:{run.seed}:{arrival}").randrange(1, 2**31),
                                offset=drill_seconds(run, now), now=now, title=title)
    record_event(session, run, "inject", now, user_id=user.id, conversation_id=conversation.id, title=title,
                 noise=item.id, noise_kind=kind)
    session.commit()
    return conversation.id


def speak_as_customer(*, session: Session, actor: Actor, conversation_id: int, text: str,
                      now: datetime | None = None) -> None:
    """The manager types the customer's next message by hand."""
    limits.check(text, "customer_message")  # before anything is read or locked
    _speak_as_customer(session=session, actor=actor, conversation_id=conversation_id, text=text, now=now)


@writes(own_transaction=True)
def _speak_as_customer(*, session: Session, actor: Actor, conversation_id: int, text: str, now: datetime | None) -> None:
    user = participant(session, actor)
    text = text.strip()
    if not text:
        raise DrillError("empty_message")
    conversation = get_conversation(session, conversation_id, lock=True)
    run = get_run(session, conversation.run_id)
    require_drill(session, user, run, Action.run_drill, what="run")
    if run.status not in ACTIVE or conversation.ended or announcements.is_announcement(conversation):
        raise DrillError("no_more_messages")
    now = now or utcnow()
    offset = drill_seconds(run, now)
    add_customer_messages(session, run, conversation, [text], source="manager", offset=offset, now=now, user_id=user.id)
    record_event(session, run, "spoke_as_customer", now, user_id=user.id, conversation_id=conversation.id)
    session.commit()
