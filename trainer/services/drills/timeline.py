"""Playing a drill's story: `advance` plays the template's timeline up to now, with new
customers and noise posts (trainer.services.drills.noise), nudges from customers left waiting (angrier and louder each time) and the release of
idle claims.

Every page view calls `advance`; whoever comes first does the work, under a lock on the run row
(PostgreSQL: `FOR UPDATE SKIP LOCKED`, so a second process skips instead of waiting; SQLite:
`BEGIN IMMEDIATE`).
"""

from __future__ import annotations

import random
from datetime import datetime
from functools import lru_cache

from sqlalchemy import update
from sqlmodel import Session, col, select

import scenarios
from scenarios.drills import Arrival, DrillTemplate, get_template, noise_brand, nudge_texts, timeline
from scenarios.announcements import PREFIX as ANNOUNCEMENT_PREFIX
from scenarios.noise import PREFIX as NOISE_PREFIX
from scenarios.engine import Conversation, Message
from scoring.sentiment import mood_of
from trainer.db.drill_models import DrillConversation, DrillMessage, DrillRun, DrillStatus
from trainer.db.engine import writes
from trainer.db.types import utcnow
from trainer.services.drills.clock import drill_seconds
from trainer.services.drills import reach
from trainer.services.drills.core import get_run, record_event, template_of, viewer
from trainer.services.drills.noise import is_noise, noise_post
from trainer.services.rights import Actor

TICK_EVERY_SECONDS = 1.0  # real seconds between two timeline advances (any process)

Prepared = tuple[Conversation, list[float]]  # a customer started ahead of its arrival, and its moods


@lru_cache(maxsize=32)
def _timeline(template_id: str, seed: int) -> tuple[Arrival, ...]:
    return tuple(timeline(get_template(template_id), seed))


def add_customer_messages(session: Session, run: DrillRun, conversation: DrillConversation, texts: list[str], *,
                          source: str, offset: float, now: datetime, user_id: int | None = None,
                          engine: Conversation | None = None) -> None:
    """Customer messages outside the engine's own turn (nudges, the manager's words): added to
    the engine's record too, so the scorer's context sees everything the customer said (a noise
    post has no engine: its messages are only stored)."""
    noise = is_noise(conversation)
    if not noise:
        engine = engine or Conversation.from_json(conversation.conversation)
    medium = conversation.medium if noise else engine.medium
    for text in texts:
        if not noise:
            engine.record.transcript.append(Message(role="customer", text=text, medium=medium))
            engine.record.pending.append(text)
        session.add(DrillMessage(run_id=run.id, conversation_id=conversation.id, role="customer", source=source,
                                 text=text, medium=medium, at=now, offset=offset, user_id=user_id,
                                 mood=mood_of(text, run.language)))
    if not noise:
        conversation.conversation = engine.to_json()
    if conversation.waiting_since is None:
        conversation.waiting_since = offset
    conversation.version += 1
    session.add(conversation)


def _prepare(scenario_id: str, medium: str, seed: int, language: str, variant: int | None = None) -> Prepared:
    engine = scenarios.start(scenario_id, medium, seed, variant=variant)
    return engine, [mood_of(text, language) for text in engine.pending_customer_messages]


def arrive(session: Session, run: DrillRun, template: DrillTemplate, *, arrival: int, scenario_id: str, medium: str,
           seed: int, offset: float, now: datetime, followers: int | None = None, label: str | None = None,
           title: str | None = None, prepared: Prepared | None = None, variant: int | None = None) -> DrillConversation:
    """A new customer in the inbox (from the timeline, or a live inject when `title` is set);
    `variant`: the drill's n-th customer of the scenario, whose opening varies with it."""
    engine, moods = prepared or _prepare(scenario_id, medium, seed, run.language, variant)
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


def arrive_noise(session: Session, run: DrillRun, template: DrillTemplate, *, arrival: int, item_id: str, medium: str,
                 seed: int, offset: float, now: datetime, title: str | None = None) -> DrillConversation:
    """A noise post in the inbox (from the timeline, or injected live by the manager when `title`
    is set): like a customer to the trainee, with no scenario behind it."""
    post = noise_post(item_id, run.language, noise_brand(template), seed)
    followers = post.item.followers if post.item.followers is not None else int(post.persona["followers"])
    conversation = DrillConversation(
        run_id=run.id, arrival=arrival, scenario_id=NOISE_PREFIX + item_id, medium=medium, seed=seed,
        customer_name=post.persona["name"], handle=post.persona["handle"], followers=followers,
        sla_seconds=template.sla_for(medium), arrived_at=now, arrived_offset=offset,
        waiting_since=offset, inject_title=title, conversation=post.to_json(),
    )
    session.add(conversation)
    session.flush()
    session.add(DrillMessage(run_id=run.id, conversation_id=conversation.id, role="customer", source="noise",
                             text=post.text, medium=medium, at=now, offset=offset,
                             mood=mood_of(post.text, run.language)))
    return conversation


def lock_run(session: Session, run_id: str) -> DrillRun | None:
    """The run, locked for this transaction; None when another process holds it (PostgreSQL).

    FOR NO KEY UPDATE, not FOR UPDATE: it keeps other ticks out, yet lets a trainee's claim or
    reply insert its event (whose foreign key takes FOR KEY SHARE on the run). With FOR UPDATE,
    a tick releasing an idle claim and a trainee writing in that conversation deadlocked."""
    query = select(DrillRun).where(DrillRun.id == run_id).execution_options(populate_existing=True)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, key_share=True)
    return session.exec(query).first()


def _nothing_to_do(run: DrillRun, now: datetime, force: bool) -> bool:
    """Not running, or another process advanced less than a tick ago (unless `force`)."""
    if run.status != DrillStatus.running:
        return True
    return not force and run.last_tick_at is not None and (now - run.last_tick_at).total_seconds() < TICK_EVERY_SECONDS


def advance(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None, force: bool = False) -> int:
    """Play the drill up to `now`: arrivals, nudges, idle release. Returns how many customers
    arrived. Cheap when another process did it less than a second ago (unless `force`). Only
    someone who may see the drill (its team's trainees and managers, admins) moves it on."""
    now = now or utcnow()
    run = get_run(session, run_id)
    viewer(session, actor, run)
    if _nothing_to_do(run, now, force):
        session.rollback()
        return 0
    # Start the customers that are due before taking the lock (Faker, sentiment: the slow part).
    scenarios.warm_up(run.language)
    elapsed = drill_seconds(run, now)
    arrivals = _timeline(run.template_id, run.seed)
    due = [a for a in arrivals[run.next_arrival:] if a.offset <= elapsed]
    prepared = {a.index: _prepare(a.scenario_id, a.medium, a.seed, run.language, a.variant) for a in due if a.noise is None}
    return _play(session=session, run_id=run_id, now=now, force=force, prepared=prepared)


@writes(own_transaction=True)  # the read above ends; the work below runs as one writer
def _play(*, session: Session, run_id: str, now: datetime, force: bool, prepared: dict[int, Prepared]) -> int:
    run = lock_run(session, run_id)
    if run is None or _nothing_to_do(run, now, force):
        session.rollback()  # another process holds the run, or advanced while we waited for the lock
        return 0
    template = template_of(run)
    elapsed = drill_seconds(run, now)
    arrivals = _timeline(run.template_id, run.seed)
    arrived = 0
    while run.next_arrival < len(arrivals) and arrivals[run.next_arrival].offset <= elapsed:
        arrival = arrivals[run.next_arrival]
        inject_ = arrival.inject
        if arrival.noise is not None:
            arrive_noise(session, run, template, arrival=arrival.index, item_id=arrival.noise, medium=arrival.medium,
                         seed=arrival.seed, offset=arrival.offset, now=now)
            run.next_arrival += 1
            arrived += 1
            continue
        conversation = arrive(
            session, run, template, arrival=arrival.index, scenario_id=arrival.scenario_id, medium=arrival.medium,
            seed=arrival.seed, offset=arrival.offset, now=now,
            followers=inject_.followers if inject_ else None, label=inject_.label if inject_ else None,
            title=inject_.title if inject_ else None, prepared=prepared.get(arrival.index), variant=arrival.variant,
        )
        if inject_ is not None:
            record_event(session, run, "inject", now, conversation_id=conversation.id, title=inject_.title)
        run.next_arrival += 1
        arrived += 1
    _nudge(session, run, template, elapsed, now)
    _release_idle(session, run, template, elapsed, now)
    run.last_tick_at = now
    session.add(run)
    session.commit()
    return arrived


def _nudge(session: Session, run: DrillRun, template: DrillTemplate, elapsed: float, now: datetime) -> None:
    """Customers left waiting write again, angrier, and (on a public medium) their reach grows."""
    rules = template.neglect
    if rules.max_nudges == 0:
        return
    candidates = session.exec(select(DrillConversation.id, DrillConversation.waiting_since, DrillConversation.sla_seconds,
                                     DrillConversation.nudges).where(
        DrillConversation.run_id == run.id, DrillConversation.ended == False,  # noqa: E712
        DrillConversation.waiting_since != None, DrillConversation.nudges < rules.max_nudges,  # noqa: E711
        ~col(DrillConversation.scenario_id).startswith(NOISE_PREFIX),  # noise posts do not write again
        ~col(DrillConversation.scenario_id).startswith(ANNOUNCEMENT_PREFIX),  # nor does a brief
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
            # A seeded starting line, then the next ones in turn: a customer never repeats themselves.
            first = random.Random(f"nudge:{run.seed}:{conversation.id}").randrange(len(texts))
            text = engine.fill(texts[(first + conversation.nudges) % len(texts)])
            conversation.nudges += 1
            # Louder on a public medium only: nobody shares a DM, an e-mail or a WhatsApp message.
            reach.apply(session, run, conversation, reach.neglected(
                engine.medium, followers=conversation.followers, reach_growth=rules.reach_growth,
                first=reach.first_reach(conversation)), now)
            add_customer_messages(session, run, conversation, [text], source="nudge", offset=due_at, now=now,
                                  engine=engine)


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
            record_event(session, run, "idle_release", now, user_id=holder, conversation_id=conversation_id)
