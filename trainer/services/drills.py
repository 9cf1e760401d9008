"""Running a group drill: the manager's controls, the shared inbox, claiming and replying.

All drill state lives in the database and the clock is the server's, so any number of app
processes on one database serve one drill consistently:

- The drill's own clock (`drill_seconds`) runs from the start, stands still while paused and
  may be compressed (`time_scale`, for benchmarks). Queue times, nudges and idle claims are all
  measured on it, so a pause freezes every SLA timer.
- `advance` plays the template's timeline up to now: new customers, nudges from customers left
  waiting (angrier and louder each time), release of idle claims. Every page view calls it;
  whoever comes first does the work, under a lock on the run row (PostgreSQL: `FOR UPDATE SKIP
  LOCKED`, so a second process skips instead of waiting; SQLite: `BEGIN IMMEDIATE`).
- A claim is atomic: on PostgreSQL the row is locked with `FOR UPDATE SKIP LOCKED` before the
  conditional update; on SQLite a conditional `UPDATE ... WHERE claimed_by_id IS NULL` whose
  row count says who won. Two trainees never hold (and so never answer) the same customer.
- A reply is scored as in practice, with the queue time against the SLA, outside any lock;
  the write then checks the claim again and stores the reply with the attempts service (one
  attempt per trainee and customer, `drill_run_id` set), so drills count toward certification.

Rights: only a manager of the drill's team runs it; the team's managers and admins watch; the
team's other members (trainees) work the inbox.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import and_, or_, update
from sqlmodel import Session, col, func, select

import scenarios
from scenarios.drills import Arrival, DrillTemplate, get_template, nudge_texts, timeline
from scenarios.engine import Conversation, Message
from scoring import ReplyRejected, score_reply
from scoring.config import media_catalogue
from scoring.languagetool import GrammarChecker
from scoring.sentiment import customer_mood
from trainer.db.drill_models import DrillConversation, DrillEvent, DrillMessage, DrillRun, DrillStatus
from trainer.db.engine import begin_write
from trainer.db.models import Attempt, AttemptCreate, AttemptOutcome, Role, Team, TeamMembership, User
from trainer.db.types import utcnow
from trainer.services import attempts, limits
from trainer.services.accounts import load_actor
from trainer.services.rights import Action, Actor, PermissionDenied, actor_label, can, is_plain_member

RUNNING, PAUSED, CREATED, STOPPED = DrillStatus.running, DrillStatus.paused, DrillStatus.created, DrillStatus.stopped
DANGER_SHARE = 0.75  # over 75% of the SLA used: the inbox shows danger
TICK_EVERY_SECONDS = 1.0  # real seconds between two timeline advances (any process)
LIVE_INJECT_FROM = 100_000  # arrival numbers of live injects, beyond any timeline


class DrillError(ValueError):
    """The drill or conversation is unknown, or cannot do this now (e.g. reply when stopped)."""


class NotYours(DrillError):
    """The conversation is not (or no longer) held by this trainee."""


# ------------------------------------------------------------------------------ clock, rights


def drill_seconds(run: DrillRun, now: datetime) -> float:
    """The drill's clock at `now`: real seconds since the start, less pauses, times the scale."""
    if run.started_at is None:
        return 0.0
    end = run.paused_at or run.stopped_at or now
    real = (end - run.started_at).total_seconds() - run.paused_seconds
    return max(0.0, real * run.time_scale)


def sla_state(waited: float | None, sla: int) -> str:
    """on_time, danger (over 75% of the SLA used) or late; `answered` when nobody waits."""
    if waited is None:
        return "answered"
    if waited >= sla:
        return "late"
    if waited > DANGER_SHARE * sla:
        return "danger"
    return "on_time"


def _write(session: Session) -> None:
    """Start this service's own write transaction (SQLite: BEGIN IMMEDIATE). A read left open
    by an earlier call is ended first: a deferred read upgraded to a write fails at once on
    SQLite when another writer got in between."""
    if session.in_transaction():
        session.rollback()
    begin_write(session)


def _user(session: Session, actor: Actor) -> User:
    user = load_actor(session, actor)
    if not isinstance(user, User) or not user.is_active:
        raise PermissionDenied(f"{actor_label(actor)} may not take part in drills")
    return user


def may_run(session: Session, user: User, team_id: int) -> bool:
    return can(user, Action.run_drill, session.get(Team, team_id), session=session)


def may_watch(session: Session, user: User, team_id: int) -> bool:
    return can(user, Action.watch_drill, session.get(Team, team_id), session=session)


def may_work(session: Session, user: User, team_id: int) -> bool:
    return can(user, Action.work_drill, session.get(Team, team_id), session=session)


def _require(allowed: bool, user: User, what: str, run: DrillRun) -> None:
    if not allowed:
        raise PermissionDenied(f"{user.email} may not {what} drill {run.id}")


def _run(session: Session, run_id: str) -> DrillRun:
    run = session.get(DrillRun, run_id)
    if run is None:
        raise DrillError(f"no drill with id {run_id}")
    return run


def _conversation(session: Session, conversation_id: int, *, lock: bool = False) -> DrillConversation:
    query = select(DrillConversation).where(DrillConversation.id == conversation_id)
    if lock and session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    found = session.exec(query.execution_options(populate_existing=True)).first()
    if found is None:
        raise DrillError(f"no drill conversation with id {conversation_id}")
    return found


def _event(session: Session, run: DrillRun, kind: str, now: datetime, *, user_id: int | None = None,
           conversation_id: int | None = None, **details) -> None:
    session.add(DrillEvent(run_id=run.id, at=now, offset=drill_seconds(run, now), kind=kind, user_id=user_id,
                           conversation_id=conversation_id, details=details))


@lru_cache(maxsize=32)
def _timeline(template_id: str, seed: int) -> tuple[Arrival, ...]:
    return tuple(timeline(get_template(template_id), seed))


def template_of(run: DrillRun) -> DrillTemplate:
    return get_template(run.template_id)


# ----------------------------------------------------------------------------- the manager


def create_drill(*, session: Session, actor: Actor, template_id: str, team_id: int, seed: int | None = None,
                 time_scale: float = 1.0, now: datetime | None = None) -> DrillRun:
    """A new drill from a template for a team (not started yet)."""
    _write(session)
    user = _user(session, actor)
    template = get_template(template_id)
    if not may_run(session, user, team_id):
        raise PermissionDenied(f"{user.email} may not run drills for team {team_id}")
    if time_scale <= 0:
        raise DrillError("time_scale must be positive")
    run = DrillRun(id=uuid.uuid4().hex, template_id=template.id, language=template.language, team_id=team_id,
                   created_by_id=user.id, seed=random.randrange(1, 2**31) if seed is None else seed,
                   time_scale=time_scale, created_at=now or utcnow())
    session.add(run)
    session.flush()  # the run's row first: no relationships tell the flush the order
    _event(session, run, "created", run.created_at, user_id=user.id, template=template.id)
    session.commit()
    return run


def _control(session: Session, actor: Actor, run_id: str, now: datetime | None) -> tuple[User, DrillRun, datetime]:
    _write(session)
    user = _user(session, actor)
    run = _run(session, run_id)
    _require(may_run(session, user, run.team_id), user, "run", run)
    return user, run, now or utcnow()


def start_drill(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> DrillRun:
    user, run, now = _control(session, actor, run_id, now)
    if run.status != CREATED:
        raise DrillError(f"drill {run.id} was already started ({run.status})")
    run.status, run.started_at = RUNNING, now
    _event(session, run, "started", now, user_id=user.id)
    session.commit()
    advance(session=session, actor=user, run_id=run.id, now=now, force=True)
    return run


def pause_drill(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> DrillRun:
    user, run, now = _control(session, actor, run_id, now)
    if run.status != RUNNING:
        raise DrillError(f"drill {run.id} is not running ({run.status})")
    run.status, run.paused_at = PAUSED, now
    _event(session, run, "paused", now, user_id=user.id)
    session.commit()
    return run


def resume_drill(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> DrillRun:
    user, run, now = _control(session, actor, run_id, now)
    if run.status != PAUSED:
        raise DrillError(f"drill {run.id} is not paused ({run.status})")
    run.paused_seconds += (now - run.paused_at).total_seconds()
    run.status, run.paused_at = RUNNING, None
    _event(session, run, "resumed", now, user_id=user.id)
    session.commit()
    return run


def stop_drill(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> DrillRun:
    user, run, now = _control(session, actor, run_id, now)
    if run.status == STOPPED:
        return run
    if run.status == PAUSED:
        run.paused_seconds += (now - run.paused_at).total_seconds()
        run.paused_at = None
    if run.started_at is None:
        run.started_at = now
    run.status, run.stopped_at = STOPPED, now
    _event(session, run, "stopped", now, user_id=user.id)
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
    limits.check(title, "name")
    user, run, now = _control(session, actor, run_id, now)
    if run.status not in (RUNNING, PAUSED):
        raise DrillError(f"drill {run.id} is not running ({run.status})")
    template = template_of(run)
    scenario = scenarios.get_scenario(scenario_id)
    if scenario.language != run.language or medium not in scenario.media:
        raise DrillError(f"scenario '{scenario_id}' is not a {run.language} scenario on '{medium}'")
    if label is not None and label not in template.labels:
        raise DrillError(f"'{label}' is not one of this drill's labels")
    count = session.exec(select(func.count()).select_from(DrillConversation).where(
        DrillConversation.run_id == run.id, DrillConversation.arrival >= LIVE_INJECT_FROM)).one()
    arrival = LIVE_INJECT_FROM + count
    offset = drill_seconds(run, now)
    conversation = _arrive(session, run, template, arrival=arrival, scenario_id=scenario_id, medium=medium,
                           seed=random.Random(f"inject:{run.seed}:{arrival}").randrange(1, 2**31), offset=offset,
                           now=now, followers=followers, label=label, title=title)
    _event(session, run, "inject", now, user_id=user.id, conversation_id=conversation.id, title=title)
    session.commit()
    return conversation.id


def speak_as_customer(*, session: Session, actor: Actor, conversation_id: int, text: str,
                      now: datetime | None = None) -> None:
    """The manager types the customer's next message by hand."""
    limits.check(text, "customer_message")
    _write(session)
    user = _user(session, actor)
    text = text.strip()
    if not text:
        raise DrillError("an empty message cannot be sent")
    conversation = _conversation(session, conversation_id, lock=True)
    run = _run(session, conversation.run_id)
    _require(may_run(session, user, run.team_id), user, "run", run)
    if run.status not in (RUNNING, PAUSED) or conversation.ended:
        raise DrillError("this conversation takes no more messages")
    now = now or utcnow()
    offset = drill_seconds(run, now)
    _customer_writes(session, run, conversation, [text], source="manager", offset=offset, now=now, user_id=user.id)
    _event(session, run, "spoke_as_customer", now, user_id=user.id, conversation_id=conversation.id)
    session.commit()


# ------------------------------------------------------------------------ playing the story


@lru_cache(maxsize=8192)
def _mood(text: str, language: str) -> float:
    # Cached: customers' phrasings repeat, and this runs inside write transactions.
    return customer_mood(text, language).score  # type: ignore[arg-type]


def _customer_writes(session: Session, run: DrillRun, conversation: DrillConversation, texts: list[str], *,
                     source: str, offset: float, now: datetime, user_id: int | None = None,
                     engine: Conversation | None = None) -> None:
    """Customer messages outside the engine's own turn (nudges, the manager's words): added to
    the engine's record too, so the scorer's context sees everything the customer said."""
    engine = engine or Conversation.from_json(conversation.conversation)
    medium = engine.medium
    for text in texts:
        engine.record.transcript.append(Message(role="customer", text=text, medium=medium))
        engine.record.pending.append(text)
        session.add(DrillMessage(run_id=run.id, conversation_id=conversation.id, role="customer", source=source,
                                 text=text, medium=medium, at=now, offset=offset, user_id=user_id,
                                 mood=_mood(text, run.language)))
    conversation.conversation = engine.to_json()
    if conversation.waiting_since is None:
        conversation.waiting_since = offset
    conversation.version += 1
    session.add(conversation)


def _prepare(scenario_id: str, medium: str, seed: int, language: str) -> tuple[Conversation, list[float]]:
    engine = scenarios.start(scenario_id, medium, seed)
    return engine, [_mood(text, language) for text in engine.pending_customer_messages]


def _arrive(session: Session, run: DrillRun, template: DrillTemplate, *, arrival: int, scenario_id: str, medium: str,
            seed: int, offset: float, now: datetime, followers: int | None = None, label: str | None = None,
            title: str | None = None, prepared: tuple[Conversation, list[float]] | None = None) -> DrillConversation:
    engine, moods = prepared or _prepare(scenario_id, medium, seed, run.language)
    persona = engine.persona
    conversation = DrillConversation(
        run_id=run.id, arrival=arrival, scenario_id=scenario_id, medium=medium, seed=seed,
        customer_name=persona["name"], handle=persona.get("handle", persona["name"]),
        followers=followers if followers is not None else int(persona.get("followers", 0)),
        sla_seconds=template.sla_for(medium), arrived_at=now, arrived_offset=offset, waiting_since=offset,
        label=label, inject_title=title, conversation=engine.to_json(),
    )
    session.add(conversation)
    session.flush()
    for text, mood in zip(engine.pending_customer_messages, moods):
        session.add(DrillMessage(run_id=run.id, conversation_id=conversation.id, role="customer",
                                 source="inject" if title else "scenario", text=text, medium=medium, at=now,
                                 offset=offset, mood=mood))
    return conversation


def _lock_run(session: Session, run_id: str) -> DrillRun | None:
    """The run, locked for this transaction; None when another process holds it (PostgreSQL)."""
    query = select(DrillRun).where(DrillRun.id == run_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return session.exec(query).first()


def advance(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None, force: bool = False) -> int:
    """Play the drill up to `now`: arrivals, nudges, idle release. Returns how many customers
    arrived. Cheap when another process did it less than a second ago (unless `force`). Only
    someone who may see the drill (its team's trainees and managers, admins) moves it on."""
    now = now or utcnow()
    run = _run(session, run_id)
    _viewer(session, actor, run)
    if run.status != RUNNING:
        session.rollback()
        return 0
    if not force and run.last_tick_at is not None and (now - run.last_tick_at).total_seconds() < TICK_EVERY_SECONDS:
        session.rollback()
        return 0
    # Start the customers that are due before taking the lock (Faker, sentiment: the slow part).
    scenarios.warm_up(run.language)
    elapsed = drill_seconds(run, now)
    arrivals = _timeline(run.template_id, run.seed)
    due = [a for a in arrivals[run.next_arrival:] if a.offset <= elapsed]
    prepared = {a.index: _prepare(a.scenario_id, a.medium, a.seed, run.language) for a in due}
    _write(session)  # end the read; the work below runs as one writer
    run = _lock_run(session, run_id)
    if run is None or run.status != RUNNING:
        session.rollback()
        return 0
    if not force and run.last_tick_at is not None and (now - run.last_tick_at).total_seconds() < TICK_EVERY_SECONDS:
        session.rollback()  # another process advanced while we waited for the lock
        return 0
    template = template_of(run)
    elapsed = drill_seconds(run, now)
    arrived = 0
    while run.next_arrival < len(arrivals) and arrivals[run.next_arrival].offset <= elapsed:
        arrival = arrivals[run.next_arrival]
        inject_ = arrival.inject
        conversation = _arrive(
            session, run, template, arrival=arrival.index, scenario_id=arrival.scenario_id, medium=arrival.medium,
            seed=arrival.seed, offset=arrival.offset, now=now,
            followers=inject_.followers if inject_ else None, label=inject_.label if inject_ else None,
            title=inject_.title if inject_ else None, prepared=prepared.get(arrival.index),
        )
        if inject_ is not None:
            _event(session, run, "inject", now, conversation_id=conversation.id, title=inject_.title)
        run.next_arrival += 1
        arrived += 1
    _nudge(session, run, template, elapsed, now)
    _release_idle(session, run, template, elapsed, now)
    run.last_tick_at = now
    session.add(run)
    session.commit()
    return arrived


def _nudge(session: Session, run: DrillRun, template: DrillTemplate, elapsed: float, now: datetime) -> None:
    """Customers left waiting write again, angrier, and their reach grows."""
    rules = template.neglect
    if rules.max_nudges == 0:
        return
    candidates = session.exec(select(DrillConversation.id, DrillConversation.waiting_since, DrillConversation.sla_seconds,
                                     DrillConversation.nudges).where(
        DrillConversation.run_id == run.id, DrillConversation.ended == False,  # noqa: E712
        DrillConversation.waiting_since != None, DrillConversation.nudges < rules.max_nudges,  # noqa: E711
    )).all()
    due = [cid for cid, since, sla, nudges in candidates
           if elapsed >= since + sla * (rules.after_share + rules.every_share * nudges)]
    if not due:
        return
    # Lock only the conversations that are due, so claims on the others are never held up.
    query = select(DrillConversation).where(col(DrillConversation.id).in_(due))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)  # a reply being written wins; nudge next tick
    texts = getattr(nudge_texts(), run.language)
    for conversation in session.exec(query.execution_options(populate_existing=True)).all():
        if conversation.ended or conversation.waiting_since is None:
            continue
        # Catch up: a tick after a long quiet spell sends every nudge that fell due meanwhile.
        while conversation.nudges < rules.max_nudges:
            share = rules.after_share + rules.every_share * conversation.nudges
            due_at = conversation.waiting_since + conversation.sla_seconds * share
            if elapsed < due_at:
                break
            engine = Conversation.from_json(conversation.conversation)
            where = f"nudge:{run.seed}:{conversation.id}:{conversation.nudges}"
            # A seeded starting line, then the next ones in turn: a customer never repeats themselves.
            first = random.Random(f"nudge:{run.seed}:{conversation.id}").randrange(len(texts))
            text = engine.fill(texts[(first + conversation.nudges) % len(texts)])
            conversation.nudges += 1
            conversation.retweets += int(conversation.followers * rules.reach_growth) + random.Random(where).randint(1, 25)
            _customer_writes(session, run, conversation, [text], source="nudge", offset=due_at, now=now, engine=engine)


def _release_idle(session: Session, run: DrillRun, template: DrillTemplate, elapsed: float, now: datetime) -> None:
    cutoff = elapsed - template.idle_release_seconds
    idle = session.exec(select(DrillConversation.id, DrillConversation.claimed_by_id).where(
        DrillConversation.run_id == run.id, DrillConversation.claimed_by_id != None,  # noqa: E711
        DrillConversation.claim_active_offset < cutoff)).all()
    for conversation_id, holder in idle:
        result = session.execute(update(DrillConversation).where(
            DrillConversation.id == conversation_id, DrillConversation.claimed_by_id == holder,
            DrillConversation.claim_active_offset < cutoff,
        ).values(claimed_by_id=None, claimed_at=None, claim_active_offset=None, version=DrillConversation.version + 1))
        if result.rowcount == 1:
            _event(session, run, "idle_release", now, user_id=holder, conversation_id=conversation_id)


# --------------------------------------------------------------------------------- trainees


def _claimable(run: DrillRun, template: DrillTemplate, elapsed: float):
    cutoff = elapsed - template.idle_release_seconds
    return and_(
        DrillConversation.ended == False,  # noqa: E712
        or_(DrillConversation.claimed_by_id == None, DrillConversation.claim_active_offset < cutoff),  # noqa: E711
    )


def _take(session: Session, run: DrillRun, conversation_id: int, user: User, elapsed: float, now: datetime) -> bool:
    """The atomic claim. PostgreSQL: lock the row first, skipping it if someone else is at it;
    both databases: a conditional update whose row count says who won."""
    template = template_of(run)
    claimable = _claimable(run, template, elapsed)
    if session.get_bind().dialect.name == "postgresql":
        locked = session.exec(select(DrillConversation.id).where(DrillConversation.id == conversation_id, claimable)
                              .with_for_update(skip_locked=True)).first()
        if locked is None:
            return False
    result = session.execute(update(DrillConversation).where(DrillConversation.id == conversation_id, claimable).values(
        claimed_by_id=user.id, claimed_at=now, claim_active_offset=elapsed, version=DrillConversation.version + 1))
    return result.rowcount == 1


def _working(session: Session, actor: Actor, run: DrillRun) -> User:
    user = _user(session, actor)
    _require(may_work(session, user, run.team_id), user, "work in", run)
    if run.status not in (RUNNING, PAUSED):
        raise DrillError(f"drill {run.id} is not running ({run.status})")
    return user


def claim(*, session: Session, actor: Actor, conversation_id: int, now: datetime | None = None) -> bool:
    """Take a conversation. True when the actor holds it now (also when they already did)."""
    _write(session)
    now = now or utcnow()
    conversation = _conversation(session, conversation_id)
    run = _run(session, conversation.run_id)
    user = _working(session, actor, run)
    if conversation.claimed_by_id == user.id:
        return True
    elapsed = drill_seconds(run, now)
    previous = conversation.claimed_by_id  # set: an idle claim, taken over only if it expired
    won = _take(session, run, conversation_id, user, elapsed, now)
    if won:
        details = {"took_over_idle": previous} if previous is not None else {}
        _event(session, run, "claimed", now, user_id=user.id, conversation_id=conversation_id, **details)
        session.commit()
    else:
        session.rollback()
    return won


def claim_next(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> int | None:
    """Take the most urgent free conversation (the longest share of its SLA waited)."""
    now = now or utcnow()
    for item in inbox(session=session, actor=actor, run_id=run_id, now=now):
        if item.claimed_by_id is None and item.waiting_seconds is not None:
            if claim(session=session, actor=actor, conversation_id=item.id, now=now):
                return item.id
    return None


def release(*, session: Session, actor: Actor, conversation_id: int, now: datetime | None = None) -> None:
    """Give a conversation back to the queue."""
    _write(session)
    now = now or utcnow()
    conversation = _conversation(session, conversation_id)
    run = _run(session, conversation.run_id)
    user = _working(session, actor, run)
    result = session.execute(update(DrillConversation).where(
        DrillConversation.id == conversation_id, DrillConversation.claimed_by_id == user.id,
    ).values(claimed_by_id=None, claimed_at=None, claim_active_offset=None, version=DrillConversation.version + 1))
    if result.rowcount != 1:
        session.rollback()
        raise NotYours(f"conversation {conversation_id} is not held by {user.email}")
    _event(session, run, "released", now, user_id=user.id, conversation_id=conversation_id)
    session.commit()


def hand_over(*, session: Session, actor: Actor, conversation_id: int, to_user_id: int,
              now: datetime | None = None) -> None:
    """Pass a held conversation to a colleague in the same team."""
    _write(session)
    now = now or utcnow()
    conversation = _conversation(session, conversation_id)
    run = _run(session, conversation.run_id)
    user = _working(session, actor, run)
    if not is_plain_member(session, to_user_id, run.team_id) or to_user_id == user.id:
        raise DrillError("a conversation is handed over to another trainee of the team")
    elapsed = drill_seconds(run, now)
    result = session.execute(update(DrillConversation).where(
        DrillConversation.id == conversation_id, DrillConversation.claimed_by_id == user.id,
    ).values(claimed_by_id=to_user_id, claimed_at=now, claim_active_offset=elapsed, version=DrillConversation.version + 1))
    if result.rowcount != 1:
        session.rollback()
        raise NotYours(f"conversation {conversation_id} is not held by {user.email}")
    _event(session, run, "handed_over", now, user_id=user.id, conversation_id=conversation_id, to=to_user_id)
    session.commit()


def set_label(*, session: Session, actor: Actor, conversation_id: int, label: str | None,
              now: datetime | None = None) -> None:
    """Label a conversation with one of the template's labels (None clears it)."""
    _write(session)
    now = now or utcnow()
    conversation = _conversation(session, conversation_id, lock=True)
    run = _run(session, conversation.run_id)
    user = _user(session, actor)
    _require(may_work(session, user, run.team_id) or may_run(session, user, run.team_id), user, "label in", run)
    if label is not None and label not in template_of(run).labels:
        raise DrillError(f"'{label}' is not one of this drill's labels")
    conversation.label = label
    conversation.version += 1
    session.add(conversation)
    _event(session, run, "labelled", now, user_id=user.id, conversation_id=conversation_id, label=label)
    session.commit()


@dataclass(frozen=True)
class ReplyResult:
    message_id: int
    score_id: int
    scorecard: dict
    queue_seconds: float
    sla_seconds: int
    customer_after: list[str] = field(default_factory=list)
    ended: bool = False
    outcome: str | None = None
    created: bool = True


def _scaled_queue(queue: float, sla: int, medium: str) -> float:
    # The speed dimension judges queue time against content/media.yaml's SLA; a drill has its
    # own (shorter) SLA, so the queue time is scaled to keep the share of the SLA used.
    return queue / sla * media_catalogue().media[medium].sla_seconds


def _attempt_for(session: Session, user: User, run: DrillRun, conversation: DrillConversation, engine: Conversation,
                 now: datetime) -> int:
    found = session.exec(select(Attempt.id).where(
        Attempt.user_id == user.id, Attempt.drill_run_id == run.id, Attempt.seed == conversation.seed,
        Attempt.scenario_id == conversation.scenario_id)).first()
    if found is not None:
        return found
    scenario = engine.scenario
    attempt = attempts.start_attempt(session=session, actor=user, started_at=now, attempt_create=AttemptCreate(
        scenario_id=scenario.id, scenario_version=str(scenario.version), scenario_type=scenario.type,
        medium=conversation.medium, language=scenario.language, seed=conversation.seed, drill_run_id=run.id))
    return attempt.id


def send_reply(*, session: Session, actor: Actor, conversation_id: int, text: str, submission_id: uuid.UUID,
               action: str | None = None, checker: GrammarChecker | None = None, now: datetime | None = None) -> ReplyResult:
    """Score and store a reply to a conversation the actor holds. A retry with the same
    `submission_id` stores nothing twice and gives the stored result, to its author only. The
    scorecard is always made here, from the text: callers cannot hand one in."""
    limits.check(text, "reply")  # before anything is read, scored or stored
    now = now or utcnow()
    conversation = _conversation(session, conversation_id)
    run = _run(session, conversation.run_id)
    user = _working(session, actor, run)  # rights first, then whatever is stored
    stored = session.exec(select(DrillMessage).where(DrillMessage.submission_id == str(submission_id))).first()
    if stored is not None:
        if stored.user_id != user.id or stored.conversation_id != conversation.id:
            raise PermissionDenied(f"submission {submission_id} is not {user.email}'s reply in conversation {conversation.id}")
        return _stored_result(session, stored)
    if run.status != RUNNING:
        raise DrillError("the drill is paused: replies wait until it resumes")
    if conversation.claimed_by_id != user.id:
        raise NotYours(f"conversation {conversation_id} is not held by {user.email}")
    if conversation.ended:
        raise DrillError("this conversation has ended")
    elapsed = drill_seconds(run, now)
    queue = max(0.0, elapsed - conversation.waiting_since) if conversation.waiting_since is not None else 0.0
    engine = Conversation.from_json(conversation.conversation)
    seen_version = conversation.version
    scenarios.warm_up(run.language)
    context = engine.context_for_reply(queue_seconds=_scaled_queue(queue, conversation.sla_seconds, conversation.medium),
                                       agent_name=(user.full_name.split() or [None])[0], feedback_language=user.language)
    try:
        scorecard = score_reply(text, context, checker=checker)
    except ReplyRejected as rejected:
        raise DrillError(str(rejected)) from None
    # The customer's answer is worked out before the lock too (signals, sentiment).
    medium = engine.medium
    played = (medium, engine.reply(text, scorecard, action))
    for said in played[1].customer_messages:
        _mood(said, run.language)
    _write(session)  # scoring ran outside any transaction; now write as one
    attempt_id = _attempt_for(session, user, run, conversation, engine, now)
    _write(session)  # the attempt may just have been stored (committed, then read back)
    conversation = _conversation(session, conversation_id, lock=True)
    if conversation.claimed_by_id != user.id:
        session.rollback()
        raise NotYours(f"conversation {conversation_id} was released before the reply was stored")
    if conversation.ended:
        session.rollback()
        raise DrillError("this conversation has ended")
    if conversation.version != seen_version:  # a nudge or the manager spoke meanwhile
        engine = Conversation.from_json(conversation.conversation)
        medium = engine.medium
        turn = engine.reply(text, scorecard, action)
    else:
        medium, turn = played
    reply = DrillMessage(run_id=run.id, conversation_id=conversation.id, role="agent", source="reply", text=text,
                         medium=medium, at=now, offset=elapsed, user_id=user.id, queue_seconds=round(queue, 3),
                         sla_seconds=conversation.sla_seconds, score_total=scorecard.total, passed=scorecard.passed,
                         submission_id=str(submission_id))
    session.add(reply)
    for said in turn.customer_messages:
        session.add(DrillMessage(run_id=run.id, conversation_id=conversation.id, role="customer", source="scenario",
                                 text=said, medium=engine.medium, at=now, offset=elapsed, mood=_mood(said, run.language)))
    conversation.conversation = engine.to_json()
    conversation.replies += 1
    conversation.version += 1
    conversation.waiting_since = elapsed if turn.customer_messages and not engine.ended else None
    conversation.claim_active_offset = elapsed
    if engine.ended:
        conversation.ended, conversation.outcome = True, engine.outcome
        conversation.claimed_by_id, conversation.claimed_at, conversation.claim_active_offset = None, None, None
    session.add(conversation)
    session.flush()
    result = attempts.submit_reply(session=session, actor=user, scorecard=scorecard, submission=attempts.ReplySubmission(
        attempt_id=attempt_id, submission_id=submission_id, text=text, sent_at=now, action=action or "reply"))
    # submit_reply committed; the link to the score is a second, small write (as a writer
    # again: a deferred transaction upgraded to a write fails at once on a busy SQLite).
    _write(session)
    reply.score_id = result.score_id
    session.add(reply)
    if engine.ended:
        attempts.finish_attempt(session=session, actor=user, attempt_id=attempt_id, outcome=engine.outcome, finished_at=now)
    session.commit()
    return ReplyResult(message_id=reply.id, score_id=result.score_id, scorecard=scorecard.to_public_dict(),
                       queue_seconds=queue, sla_seconds=conversation.sla_seconds, customer_after=list(turn.customer_messages),
                       ended=engine.ended, outcome=engine.outcome)


def _stored_result(session: Session, stored: DrillMessage) -> ReplyResult:
    from trainer.db.models import Score

    score = session.get(Score, stored.score_id) if stored.score_id else None
    return ReplyResult(message_id=stored.id, score_id=stored.score_id or 0, scorecard=score.scorecard if score else {},
                       queue_seconds=stored.queue_seconds or 0.0, sla_seconds=stored.sla_seconds or 0, created=False)


# ------------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class InboxItem:
    id: int
    medium: str
    customer_name: str
    handle: str
    followers: int
    retweets: int
    waiting_seconds: float | None
    sla_seconds: int
    state: str  # on_time, danger, late, answered, ended
    claimed_by_id: int | None
    claimed_by: str | None
    label: str | None
    inject_title: str | None
    last_customer_text: str
    nudges: int
    replies: int
    ended: bool

    @property
    def urgency(self) -> float:
        return (self.waiting_seconds or 0.0) / self.sla_seconds


@dataclass(frozen=True)
class RunSummary:
    id: str
    template_id: str
    title: str
    team_id: int
    status: str
    seconds: float
    duration_seconds: float
    language: str


def summary(run: DrillRun, now: datetime) -> RunSummary:
    template = template_of(run)
    return RunSummary(id=run.id, template_id=run.template_id, title=template.title, team_id=run.team_id,
                      status=run.status, seconds=drill_seconds(run, now), duration_seconds=template.duration_seconds,
                      language=run.language)


def _viewer(session: Session, actor: Actor, run: DrillRun) -> User:
    user = _user(session, actor)
    _require(may_work(session, user, run.team_id) or may_watch(session, user, run.team_id), user, "see", run)
    return user


def drills_for(*, session: Session, actor: Actor, now: datetime | None = None, include_stopped: bool = True) -> list[RunSummary]:
    """The drills of the actor's teams (all drills for an admin), newest first."""
    now = now or utcnow()
    user = _user(session, actor)
    query = select(DrillRun).order_by(col(DrillRun.created_at).desc())
    if Role(user.role) is not Role.admin:
        teams = select(TeamMembership.team_id).where(TeamMembership.user_id == user.id)
        query = query.where(col(DrillRun.team_id).in_(teams))
    if not include_stopped:
        query = query.where(DrillRun.status != STOPPED)
    return [summary(run, now) for run in session.exec(query).all()]


def run_summary(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> RunSummary:
    run = _run(session, run_id)
    _viewer(session, actor, run)
    return summary(run, now or utcnow())


def inbox(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None,
          include_ended: bool = False) -> list[InboxItem]:
    """The shared inbox, most urgent first: waiting customers by share of SLA used, then the
    answered ones, then (if asked) the ended ones."""
    now = now or utcnow()
    run = _run(session, run_id)
    _viewer(session, actor, run)
    elapsed = drill_seconds(run, now)
    query = select(DrillConversation).where(DrillConversation.run_id == run.id)
    if not include_ended:
        query = query.where(DrillConversation.ended == False)  # noqa: E712
    conversations = session.exec(query).all()
    names = _names(session, {c.claimed_by_id for c in conversations if c.claimed_by_id})
    last = _last_customer_texts(session, [c.id for c in conversations])
    items = []
    for c in conversations:
        waited = max(0.0, elapsed - c.waiting_since) if c.waiting_since is not None and not c.ended else None
        items.append(InboxItem(
            id=c.id, medium=c.medium, customer_name=c.customer_name, handle=c.handle, followers=c.followers,
            retweets=c.retweets, waiting_seconds=waited, sla_seconds=c.sla_seconds,
            state="ended" if c.ended else sla_state(waited, c.sla_seconds), claimed_by_id=c.claimed_by_id,
            claimed_by=names.get(c.claimed_by_id), label=c.label, inject_title=c.inject_title,
            last_customer_text=last.get(c.id, ""), nudges=c.nudges, replies=c.replies, ended=c.ended,
        ))
    items.sort(key=lambda i: (i.ended, i.waiting_seconds is None, -i.urgency, i.id))
    return items


def _names(session: Session, user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    rows = session.exec(select(User.id, User.full_name).where(col(User.id).in_(user_ids))).all()
    return dict(rows)


def _last_customer_texts(session: Session, conversation_ids: list[int]) -> dict[int, str]:
    if not conversation_ids:
        return {}
    latest = (select(DrillMessage.conversation_id, func.max(DrillMessage.id).label("last"))
              .where(col(DrillMessage.conversation_id).in_(conversation_ids), DrillMessage.role == "customer")
              .group_by(DrillMessage.conversation_id).subquery())
    rows = session.exec(select(DrillMessage.conversation_id, DrillMessage.text)
                        .join(latest, DrillMessage.id == latest.c.last)).all()
    return dict(rows)


@dataclass(frozen=True)
class ConversationView:
    id: int
    run_id: str
    medium: str
    reply_medium: str
    customer_name: str
    handle: str
    followers: int
    retweets: int
    label: str | None
    claimed_by_id: int | None
    ended: bool
    outcome: str | None
    waiting_seconds: float | None
    sla_seconds: int
    state: str
    messages: list[dict]
    actions: list[tuple[str, str]]
    labels: list[str]
    language: str


def conversation_view(*, session: Session, actor: Actor, conversation_id: int,
                      now: datetime | None = None) -> ConversationView:
    """One conversation with every message, for the one holding it and for the watchers."""
    now = now or utcnow()
    conversation = _conversation(session, conversation_id)
    run = _run(session, conversation.run_id)
    _viewer(session, actor, run)
    elapsed = drill_seconds(run, now)
    engine = Conversation.from_json(conversation.conversation)
    messages = session.exec(select(DrillMessage).where(DrillMessage.conversation_id == conversation.id)
                            .order_by(col(DrillMessage.id))).all()
    names = _names(session, {m.user_id for m in messages if m.user_id})
    waited = max(0.0, elapsed - conversation.waiting_since) if conversation.waiting_since is not None and not conversation.ended else None
    return ConversationView(
        id=conversation.id, run_id=run.id, medium=conversation.medium, reply_medium=engine.medium,
        customer_name=conversation.customer_name, handle=conversation.handle, followers=conversation.followers,
        retweets=conversation.retweets, label=conversation.label, claimed_by_id=conversation.claimed_by_id,
        ended=conversation.ended, outcome=conversation.outcome, waiting_seconds=waited,
        sla_seconds=conversation.sla_seconds, state="ended" if conversation.ended else sla_state(waited, conversation.sla_seconds),
        messages=[{"role": m.role, "source": m.source, "text": m.text, "medium": m.medium, "offset": m.offset,
                   "by": names.get(m.user_id), "score": m.score_total, "queue_seconds": m.queue_seconds} for m in messages],
        actions=engine.actions, labels=list(template_of(run).labels), language=run.language,
    )


def teammates(*, session: Session, actor: Actor, run_id: str) -> list[tuple[int, str]]:
    """The other trainees of the drill's team (for a hand-over)."""
    run = _run(session, run_id)
    user = _working(session, actor, run)
    rows = session.exec(select(User.id, User.full_name).join(TeamMembership, TeamMembership.user_id == User.id).where(
        TeamMembership.team_id == run.team_id, TeamMembership.is_manager == False, User.id != user.id,  # noqa: E712
        User.is_active == True)).all()  # noqa: E712
    return sorted(rows, key=lambda r: r[1])


def teams_to_run(*, session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The teams the actor may run drills for (as their manager)."""
    from trainer.db.models import Team

    user = _user(session, actor)
    if Role(user.role) is not Role.manager:
        return []
    rows = session.exec(select(Team.id, Team.name).join(TeamMembership, TeamMembership.team_id == Team.id).where(
        TeamMembership.user_id == user.id, TeamMembership.is_manager == True)).all()  # noqa: E712
    return sorted(rows, key=lambda r: r[1])


def may_run_drill(*, session: Session, actor: Actor, run_id: str) -> bool:
    run = _run(session, run_id)
    return may_run(session, _user(session, actor), run.team_id)
