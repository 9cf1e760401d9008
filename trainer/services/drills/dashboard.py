"""The manager's live figures for one drill, read from the drill tables (any process).

Everything is measured on the drill's clock (drill seconds, frozen while paused):

- queue per medium: customers waiting for an answer, and the oldest wait;
- SLA breaches: replies sent after the SLA, and customers waiting past it now;
- replies per minute per trainee (over the last minute and over the whole drill);
- who holds what;
- the webcaremeter: the customer's mood (scoring.sentiment.customer_mood, -1..1) before the
  team's first reply and after it, per conversation and overall;
- coordination: customers who got two answers in a row to one message, customers never
  answered, the backlog burn-down per minute, and how evenly replies were shared (1 = evenly);
- noise: how many noise posts (praise, spam, the press, ...) came in, and how many still wait.
  They are in the queue like any customer; "never answered" counts the story's customers only
  (a noise post may rightly get no answer: the debrief judges those);
- public reach (trainer.services.drills.reach): caused by bad or late replies, prevented by good
  ones on time, for the whole team;
- the facilitator's desk (trainer.services.drills.desk): the event log, the conversations per
  label, and the webcaremeter's verdict (calmer, angrier, steady).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean

from sqlmodel import Session, col, select

from trainer.db.drill_models import DrillConversation, DrillMessage, DrillRun
from trainer.db.models import TeamMembership, User
from trainer.db.types import utcnow
from trainer.services.drills.clock import drill_seconds
from trainer.services.drills.core import get_run, participant, require_drill, template_of
from trainer.services.drills import desk, reach
from trainer.services.drills.desk import LabelCount, LogLine
from trainer.services.drills.noise import is_noise
from trainer.services.drills.reach import TeamReach
from trainer.services.rights import Action, Actor


@dataclass(frozen=True)
class MediumQueue:
    medium: str
    waiting: int
    oldest_seconds: float | None
    sla_seconds: int
    breaching: int  # waiting past the SLA now


@dataclass(frozen=True)
class TraineeFigures:
    user_id: int
    name: str
    replies: int
    replies_last_minute: int
    replies_per_minute: float
    mean_score: float | None
    late_replies: int
    holding: list[int]  # conversation ids held now


@dataclass(frozen=True)
class MoodShift:
    conversation_id: int
    before: float
    after: float | None


@dataclass(frozen=True)
class MinutePoint:
    minute: int
    arrived: int  # new customers in this minute
    backlog: int  # customers waiting at the minute's end
    breaching: int  # of whom past their SLA
    replies: int


@dataclass
class Dashboard:
    run_id: str
    seconds: float
    status: str
    arrived: int
    queue: list[MediumQueue]
    late_replies: int
    breaching_now: int
    trainees: list[TraineeFigures]
    mood_before: float | None
    mood_after: float | None
    moods: list[MoodShift]
    double_answers: int
    never_answered: int
    burn_down: list[MinutePoint]
    evenness: float | None
    replies: int = 0
    noise: int = 0  # noise posts arrived
    noise_open: int = 0  # of which still open (not ended)
    notes: dict = field(default_factory=dict)
    reach: TeamReach = field(default_factory=lambda: reach.team_reach([]))
    labels: list[LabelCount] = field(default_factory=list)  # conversations per label of the drill
    unlabelled: int = 0
    events: list[LogLine] = field(default_factory=list)  # the event log, oldest first
    meter: str | None = None  # the webcaremeter's verdict (desk.meter_verdict)


def _waiting_spells(messages: list[DrillMessage], still_open: bool) -> list[tuple[float, float]]:
    """The spells (from, to) in which a customer waited for an answer; one still waiting ends
    at infinity, a closing message of an ended conversation waits for nothing."""
    spells = []
    since = None
    for message in messages:
        if message.role == "customer" and since is None:
            since = message.offset
        elif message.role == "agent" and since is not None:
            spells.append((since, message.offset))
            since = None
    if since is not None and still_open:
        spells.append((since, float("inf")))
    return spells


def evenness(counts: list[int]) -> float | None:
    """1 - Gini of the replies per trainee: 1 when all replied equally, near 0 when one did all."""
    if not counts or sum(counts) == 0:
        return None
    ordered = sorted(counts)
    n, total = len(ordered), sum(ordered)
    gini = sum((2 * (i + 1) - n - 1) * x for i, x in enumerate(ordered)) / (n * total)
    return round(1 - gini, 3)


def figures(session: Session, run: DrillRun, now: datetime) -> Dashboard:
    """The dashboard of `run` at `now` (no rights check: callers check)."""
    elapsed = drill_seconds(run, now)
    conversations = session.exec(select(DrillConversation).where(DrillConversation.run_id == run.id)).all()
    messages = session.exec(select(DrillMessage).where(DrillMessage.run_id == run.id)
                            .order_by(col(DrillMessage.offset), col(DrillMessage.id))).all()
    by_conversation: dict[int, list[DrillMessage]] = defaultdict(list)
    for message in messages:
        by_conversation[message.conversation_id].append(message)
    replies = [m for m in messages if m.role == "agent"]

    # Queue per medium.
    queue = []
    sla_by_medium = {}
    waiting: dict[str, list[float]] = defaultdict(list)
    for c in conversations:
        sla_by_medium.setdefault(c.medium, c.sla_seconds)
        if not c.ended and c.waiting_since is not None:
            waiting[c.medium].append(max(0.0, elapsed - c.waiting_since))
    for medium in sorted(sla_by_medium):
        waits = waiting.get(medium, [])
        sla = sla_by_medium[medium]
        queue.append(MediumQueue(medium=medium, waiting=len(waits), oldest_seconds=max(waits) if waits else None,
                                 sla_seconds=sla, breaching=sum(1 for w in waits if w >= sla)))
    queue.sort(key=lambda q: (-q.waiting, q.medium))

    # Trainees: every trainee of the team, also those who did nothing.
    team = session.exec(select(User.id, User.full_name).join(TeamMembership, TeamMembership.user_id == User.id).where(
        TeamMembership.team_id == run.team_id, TeamMembership.is_manager == False)).all()  # noqa: E712
    names = dict(team)
    minutes = max(elapsed / 60, 1 / 60)
    held: dict[int, list[int]] = defaultdict(list)
    for c in conversations:
        if c.claimed_by_id is not None:
            held[c.claimed_by_id].append(c.id)
    per_trainee: dict[int, list[DrillMessage]] = defaultdict(list)
    for reply in replies:
        per_trainee[reply.user_id].append(reply)
    for user_id in per_trainee.keys() | held.keys():
        names.setdefault(user_id, session.get(User, user_id).full_name)
    trainees = []
    for user_id, name in sorted(names.items(), key=lambda item: item[1]):
        own = per_trainee.get(user_id, [])
        scores = [r.score_total for r in own if r.score_total is not None]
        trainees.append(TraineeFigures(
            user_id=user_id, name=name, replies=len(own),
            replies_last_minute=sum(1 for r in own if r.offset > elapsed - 60),
            replies_per_minute=round(len(own) / minutes, 2),
            mean_score=round(mean(scores), 1) if scores else None,
            late_replies=sum(1 for r in own if r.queue_seconds is not None and r.queue_seconds > (r.sla_seconds or 0)),
            holding=sorted(held.get(user_id, [])),
        ))

    # Webcaremeter: mood before the first reply, and after it.
    moods = []
    for c in conversations:
        thread = by_conversation.get(c.id, [])
        first_reply = next((i for i, m in enumerate(thread) if m.role == "agent"), None)
        before = [m.mood for m in thread[:first_reply] if m.role == "customer" and m.mood is not None]
        if not before:
            continue
        after = [m.mood for m in thread[first_reply:] if m.role == "customer" and m.mood is not None] if first_reply is not None else []
        moods.append(MoodShift(conversation_id=c.id, before=round(mean(before), 3), after=round(mean(after), 3) if after else None))
    answered_moods = [m for m in moods if m.after is not None]

    # Coordination.
    double = 0
    for thread in by_conversation.values():
        roles = [m.role for m in thread]
        if any(a == b == "agent" for a, b in zip(roles, roles[1:])):
            double += 1
    noise = [c for c in conversations if is_noise(c)]
    never = sum(1 for c in conversations if c.replies == 0 and not is_noise(c))

    # Burn-down per minute.
    total_minutes = max(1, int(-(-max(elapsed, 1.0) // 60)))
    arrivals_per_minute = Counter(min(total_minutes - 1, int(c.arrived_offset // 60)) for c in conversations)
    replies_per_minute = Counter(min(total_minutes - 1, int(r.offset // 60)) for r in replies)
    spells = []
    for c in conversations:
        for start, end in _waiting_spells(by_conversation.get(c.id, []), still_open=not c.ended):
            spells.append((start, end, c.sla_seconds))
    burn_down = []
    for minute in range(total_minutes):
        moment = min(elapsed, (minute + 1) * 60)
        open_spells = [(s, sla) for s, e, sla in spells if s <= moment < e]
        burn_down.append(MinutePoint(minute=minute, arrived=arrivals_per_minute.get(minute, 0), backlog=len(open_spells),
                                     breaching=sum(1 for s, sla in open_spells if moment - s >= sla),
                                     replies=replies_per_minute.get(minute, 0)))

    late = sum(1 for r in replies if r.queue_seconds is not None and r.queue_seconds > (r.sla_seconds or 0))
    labels, unlabelled = desk.label_counts(list(template_of(run).labels), conversations)
    mood_before = round(mean(m.before for m in answered_moods), 3) if answered_moods else None
    mood_after = round(mean(m.after for m in answered_moods), 3) if answered_moods else None
    return Dashboard(
        run_id=run.id, seconds=elapsed, status=run.status, arrived=len(conversations), queue=queue,
        late_replies=late, breaching_now=sum(q.breaching for q in queue), trainees=trainees,
        mood_before=mood_before, mood_after=mood_after, moods=moods, double_answers=double, never_answered=never, burn_down=burn_down,
        evenness=evenness([t.replies for t in trainees]), replies=len(replies),
        noise=len(noise), noise_open=sum(1 for c in noise if not c.ended),
        reach=reach.team_reach(list(conversations)), labels=labels, unlabelled=unlabelled,
        events=desk.event_log(session, run, list(conversations)), meter=desk.meter_verdict(mood_before, mood_after),
    )


def dashboard(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> Dashboard:
    """The live figures for the managers of the drill's team (and admins)."""
    run = get_run(session, run_id)
    user = participant(session, actor)
    require_drill(session, user, run, Action.watch_drill, what="watch")
    template_of(run)  # a drill whose template is gone cannot be shown
    return figures(session, run, now or utcnow())
