"""What the drill screens show, read from the drill tables: the drills one may see, a drill's
summary, the shared inbox (most urgent first), one conversation, the teammates for a
hand-over and the teams one may run drills for. Reads only; every one checks the reader."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from scenarios.engine import Conversation
from trainer.db.drill_models import DrillConversation, DrillMessage, DrillRun, DrillStatus
from trainer.db.models import Role, Team, TeamMembership, User
from trainer.db.types import utcnow
from trainer.services.drills.clock import drill_seconds, sla_state, waiting_seconds
from trainer.services.drills.core import get_conversation, get_run, participant, template_of, viewer, worker
from trainer.services.drills import reach
from trainer.services.drills.announcements import exercise_of, is_announcement
from trainer.services.drills.noise import is_noise
from trainer.services.drills.reach import Reach
from trainer.services.rights import Action, Actor, can


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
    announcement: str | None = None  # an announcement task: its exercise's title (the brand is its "customer")

    @property
    def urgency(self) -> float:
        return (self.waiting_seconds or 0.0) / self.sla_seconds


@dataclass(frozen=True)
class RunSummary:
    id: str
    template_id: str
    title: str
    team_id: int
    status: DrillStatus
    seconds: float
    duration_seconds: float
    language: str


def summary(run: DrillRun, now: datetime) -> RunSummary:
    template = template_of(run)
    return RunSummary(id=run.id, template_id=run.template_id, title=template.title, team_id=run.team_id,
                      status=DrillStatus(run.status), seconds=drill_seconds(run, now),
                      duration_seconds=template.duration_seconds, language=run.language)


def drills_for(*, session: Session, actor: Actor, now: datetime | None = None, include_stopped: bool = True,
               may: Action | None = None) -> list[RunSummary]:
    """The drills of the actor's teams (all drills for an admin), newest first; with `may`,
    only those the actor may do that to (e.g. `Action.work_drill`: the inbox's drills)."""
    now = now or utcnow()
    user = participant(session, actor)
    query = select(DrillRun).order_by(col(DrillRun.created_at).desc())
    if Role(user.role) is not Role.admin:
        teams = select(TeamMembership.team_id).where(TeamMembership.user_id == user.id)
        query = query.where(col(DrillRun.team_id).in_(teams))
    if not include_stopped:
        query = query.where(DrillRun.status != DrillStatus.stopped)
    return [summary(run, now) for run in session.exec(query).all()
            if may is None or can(user, may, run, session=session)]


def run_summary(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None) -> RunSummary:
    run = get_run(session, run_id)
    viewer(session, actor, run)
    return summary(run, now or utcnow())


def may_run_drill(*, session: Session, actor: Actor, run_id: str) -> bool:
    run = get_run(session, run_id)
    return can(participant(session, actor), Action.run_drill, run, session=session)


def inbox(*, session: Session, actor: Actor, run_id: str, now: datetime | None = None,
          include_ended: bool = False) -> list[InboxItem]:
    """The shared inbox, most urgent first: waiting customers by share of SLA used, then the
    answered ones, then (if asked) the ended ones."""
    now = now or utcnow()
    run = get_run(session, run_id)
    viewer(session, actor, run)
    elapsed = drill_seconds(run, now)
    query = select(DrillConversation).where(DrillConversation.run_id == run.id)
    if not include_ended:
        query = query.where(DrillConversation.ended == False)  # noqa: E712
    conversations = session.exec(query).all()
    names = _names(session, {c.claimed_by_id for c in conversations if c.claimed_by_id})
    last = _last_customer_texts(session, [c.id for c in conversations])
    items = []
    for c in conversations:
        waited = waiting_seconds(c, elapsed)
        items.append(InboxItem(
            id=c.id, medium=c.medium, customer_name=c.customer_name, handle=c.handle, followers=c.followers,
            retweets=c.retweets, waiting_seconds=waited, sla_seconds=c.sla_seconds,
            state="ended" if c.ended else sla_state(waited, c.sla_seconds), claimed_by_id=c.claimed_by_id,
            claimed_by=names.get(c.claimed_by_id), label=c.label, inject_title=c.inject_title,
            last_customer_text=last.get(c.id, ""), nudges=c.nudges, replies=c.replies, ended=c.ended,
            announcement=exercise_of(c).title if is_announcement(c) else None,
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
    reach: Reach = Reach()  # public reach caused (shares, quotes, people reached); private media: none
    prevented_reach: int = 0  # people a good reply on time kept it from reaching
    public: bool = False  # on a public medium: reach can follow


def conversation_view(*, session: Session, actor: Actor, conversation_id: int,
                      now: datetime | None = None) -> ConversationView:
    """One conversation with every message, for the one holding it and for the watchers."""
    now = now or utcnow()
    conversation = get_conversation(session, conversation_id)
    run = get_run(session, conversation.run_id)
    viewer(session, actor, run)
    elapsed = drill_seconds(run, now)
    # A noise post and an announcement have no engine: written on their own medium, no actions on offer.
    engineless = is_noise(conversation) or is_announcement(conversation)
    engine = None if engineless else Conversation.from_json(conversation.conversation)
    messages = session.exec(select(DrillMessage).where(DrillMessage.conversation_id == conversation.id)
                            .order_by(col(DrillMessage.id))).all()
    names = _names(session, {m.user_id for m in messages if m.user_id})
    waited = waiting_seconds(conversation, elapsed)
    return ConversationView(
        id=conversation.id, run_id=run.id, medium=conversation.medium, reply_medium=engine.medium if engine else conversation.medium,
        customer_name=conversation.customer_name, handle=conversation.handle, followers=conversation.followers,
        retweets=conversation.retweets, label=conversation.label, claimed_by_id=conversation.claimed_by_id,
        ended=conversation.ended, outcome=conversation.outcome, waiting_seconds=waited,
        sla_seconds=conversation.sla_seconds, state="ended" if conversation.ended else sla_state(waited, conversation.sla_seconds),
        messages=[{"role": m.role, "source": m.source, "text": m.text, "medium": m.medium, "offset": m.offset,
                   "by": names.get(m.user_id), "score": m.score_total, "queue_seconds": m.queue_seconds} for m in messages],
        actions=engine.actions if engine else [], labels=list(template_of(run).labels), language=run.language,
        reach=reach.of(conversation), prevented_reach=conversation.prevented_reach,
        public=reach.is_public(conversation.medium),
    )


def teammates(*, session: Session, actor: Actor, run_id: str) -> list[tuple[int, str]]:
    """The other trainees of the drill's team (for a hand-over)."""
    run = get_run(session, run_id)
    user = worker(session, actor, run)
    rows = session.exec(select(User.id, User.full_name).join(TeamMembership, TeamMembership.user_id == User.id).where(
        TeamMembership.team_id == run.team_id, TeamMembership.is_manager == False, User.id != user.id,  # noqa: E712
        User.is_active == True)).all()  # noqa: E712
    return sorted(rows, key=lambda r: r[1])


def teams_to_run(*, session: Session, actor: Actor) -> list[tuple[int, str]]:
    """The teams the actor may run drills for (as their manager)."""
    user = participant(session, actor)
    if Role(user.role) is not Role.manager:
        return []
    rows = session.exec(select(Team.id, Team.name).join(TeamMembership, TeamMembership.team_id == Team.id).where(
        TeamMembership.user_id == user.id, TeamMembership.is_manager == True)).all()  # noqa: E712
    return sorted(rows, key=lambda r: r[1])
