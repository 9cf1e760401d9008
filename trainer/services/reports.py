"""Reports: a team's work per ISO week and per trainee, added up by the database.

Four queries, each one `GROUP BY` over the week, the trainee and what is counted, so a team
with 40,000 attempts costs four scans and returns a few hundred rows (bench/progress_queries.py):

- response times: a trainee reply's seconds from the customer's message being shown to the
  reply being sent, against its medium's `target_seconds` (content/media.yaml);
- volume: attempts per medium and scenario type;
- drill topics: the labels the team put on group-drill conversations;
- customer mood: in group drills, the customer's mood (`drill_message.mood`,
  scoring.sentiment.customer_mood, -1..1) before the first reply and after it, per
  conversation, as the drill dashboard's webcare meter reads it. Practice turns store no mood.

Rows carry sums and counts, never means, so the team's figures are the members' rows added up
without rounding errors. The week is the Monday (UTC) that starts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from scoring.config import media_catalogue
from trainer.db.drill_models import DrillConversation, DrillMessage, DrillRun
from trainer.db.models import Attempt, Speaker, Team, Turn
from trainer.services.accounts import load_actor, plain_member_ids, plain_members
from trainer.services.rights import Action, Actor, PermissionDenied, require


@dataclass(frozen=True)
class ResponseRow:
    week: date
    user_id: int
    medium: str
    replies: int
    seconds: float  # the replies' seconds added up
    within_norm: int  # replies sent within the medium's target_seconds


@dataclass(frozen=True)
class VolumeRow:
    week: date
    user_id: int
    medium: str
    scenario_type: str
    attempts: int


@dataclass(frozen=True)
class TopicRow:
    week: date
    user_id: int | None  # who held the conversation last; None: nobody claimed it
    label: str
    conversations: int


@dataclass(frozen=True)
class MoodRow:
    week: date  # of the first reply
    user_id: int  # who sent the first reply
    conversations: int  # answered conversations with a customer mood before and after the reply
    before: float  # the conversations' mean moods added up
    after: float


@dataclass(frozen=True)
class TeamReport:
    team_id: int
    team_name: str
    members: dict[int, str]  # the team's plain members: id -> name, by name
    responses: list[ResponseRow]
    volume: list[VolumeRow]
    topics: list[TopicRow]
    moods: list[MoodRow]


def _week(column, dialect: str) -> ColumnElement:
    """The Monday (UTC) of the ISO week `column` falls in, as the database works it out."""
    if dialect == "postgresql":
        return func.date(func.date_trunc("week", func.timezone("UTC", column)))
    # SQLite stores UTC: 'weekday 0' moves to the coming Sunday (or stays on one), 6 days back is Monday.
    return func.date(column, "weekday 0", "-6 days")


def _seconds_between(start, end, dialect: str) -> ColumnElement:
    if dialect == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def _monday(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _responses(session: Session, members, since: datetime | None, dialect: str) -> list[ResponseRow]:
    norms = {medium_id: medium.target_seconds for medium_id, medium in media_catalogue().media.items()}
    seconds = _seconds_between(Turn.shown_at, Turn.sent_at, dialect)
    norm = case(norms, value=Attempt.medium, else_=None)
    week = _week(Turn.sent_at, dialect)
    query = (
        select(week, Attempt.user_id, Attempt.medium, func.count(Turn.id), func.sum(seconds),
               func.sum(case((seconds <= norm, 1), else_=0)))
        .join(Attempt, Attempt.id == Turn.attempt_id)
        .where(Attempt.user_id.in_(members), Turn.speaker == Speaker.trainee.value,  # type: ignore[attr-defined]
               Turn.shown_at.is_not(None), Turn.sent_at.is_not(None))  # type: ignore[union-attr]
        .group_by(week, Attempt.user_id, Attempt.medium)
    )
    if since is not None:
        query = query.where(Turn.sent_at >= since)  # type: ignore[operator]
    return [ResponseRow(_monday(w), u, m, n, float(s or 0.0), int(within or 0))
            for w, u, m, n, s, within in session.exec(query).all()]


def _volume(session: Session, members, since: datetime | None, dialect: str) -> list[VolumeRow]:
    week = _week(Attempt.started_at, dialect)
    query = (
        select(week, Attempt.user_id, Attempt.medium, Attempt.scenario_type, func.count(Attempt.id))
        .where(Attempt.user_id.in_(members))  # type: ignore[attr-defined]
        .group_by(week, Attempt.user_id, Attempt.medium, Attempt.scenario_type)
    )
    if since is not None:
        query = query.where(Attempt.started_at >= since)  # type: ignore[operator]
    return [VolumeRow(_monday(w), u, m, k, n) for w, u, m, k, n in session.exec(query).all()]


def _topics(session: Session, team_id: int, since: datetime | None, dialect: str) -> list[TopicRow]:
    week = _week(DrillConversation.arrived_at, dialect)
    query = (
        select(week, DrillConversation.claimed_by_id, DrillConversation.label, func.count(DrillConversation.id))
        .join(DrillRun, DrillRun.id == DrillConversation.run_id)
        .where(DrillRun.team_id == team_id, DrillConversation.label.is_not(None))  # type: ignore[union-attr]
        .group_by(week, DrillConversation.claimed_by_id, DrillConversation.label)
    )
    if since is not None:
        query = query.where(DrillConversation.arrived_at >= since)  # type: ignore[operator]
    return [TopicRow(_monday(w), u, label, n) for w, u, label, n in session.exec(query).all()]


def _moods(session: Session, team_id: int, since: datetime | None, dialect: str) -> list[MoodRow]:
    runs = select(DrillRun.id).where(DrillRun.team_id == team_id)
    first = (
        select(DrillMessage.conversation_id.label("conversation_id"), func.min(DrillMessage.at).label("at"))
        .where(DrillMessage.run_id.in_(runs), DrillMessage.role == "agent", DrillMessage.source == "reply")  # type: ignore[attr-defined]
        .group_by(DrillMessage.conversation_id)
        .subquery("first_reply")
    )
    reply = DrillMessage.__table__.alias("reply")
    said = DrillMessage.__table__.alias("said")
    # Per conversation: who sent the first reply, and the customer's mean mood before and after it.
    per_conversation = (
        select(
            first.c.conversation_id, first.c.at, reply.c.user_id,
            func.avg(case((said.c.at < first.c.at, said.c.mood), else_=None)).label("before"),
            func.avg(case((said.c.at > first.c.at, said.c.mood), else_=None)).label("after"),
        )
        .join(reply, and_(reply.c.conversation_id == first.c.conversation_id, reply.c.at == first.c.at,
                          reply.c.role == "agent", reply.c.source == "reply"))
        .join(said, and_(said.c.conversation_id == first.c.conversation_id, said.c.role == "customer",
                         said.c.mood.is_not(None)))
        .group_by(first.c.conversation_id, first.c.at, reply.c.user_id)
    )
    if since is not None:
        per_conversation = per_conversation.where(first.c.at >= since)
    found = per_conversation.subquery("per_conversation")
    week = _week(found.c.at, dialect)
    query = (
        select(week, found.c.user_id, func.count(), func.sum(found.c.before), func.sum(found.c.after))
        .where(found.c.before.is_not(None), found.c.after.is_not(None), found.c.user_id.is_not(None))
        .group_by(week, found.c.user_id)
    )
    return [MoodRow(_monday(w), u, n, float(b), float(a)) for w, u, n, b, a in session.exec(query).all()]


def team_report(*, session: Session, actor: Actor, team_id: int, since: datetime | None = None) -> TeamReport:
    """A team's weekly figures, for its managers, its observers and admins (`reports.see`)."""
    actor = load_actor(session, actor)
    team = session.get(Team, team_id)
    if team is None:
        raise PermissionDenied(f"no team with id {team_id}")  # as good as not yours: a link says no more
    require(actor, Action.see_reports, team, session=session)
    dialect = session.get_bind().dialect.name
    members = plain_member_ids(team_id)
    return TeamReport(
        team_id=team.id, team_name=team.name, members=dict(plain_members(session, team_id)),
        responses=_responses(session, members, since, dialect),
        volume=_volume(session, members, since, dialect),
        topics=_topics(session, team_id, since, dialect),
        moods=_moods(session, team_id, since, dialect),
    )
