"""Reports: a team's work per ISO week and per trainee, added up by the database.

Four queries, each one `GROUP BY` over the week, the trainee and what is counted, so a team
with 40,000 attempts costs a few scans and returns a few hundred rows (bench/progress_queries.py):

- response times: a trainee reply's seconds from the customer's message being shown to the
  reply being sent, against its medium's `target_seconds` (content/media.yaml);
- volume: attempts per medium and scenario type;
- drill topics: the labels the team put on group-drill conversations;
- customer mood: the customer's mood (scoring.sentiment.customer_mood, -1..1) before the
  first reply and after it, per conversation: group-drill conversations (`drill_message.mood`,
  as the drill dashboard's webcare meter reads it) and practice conversations (`turn.mood`;
  customer turns stored before migration 0009 have none and are not counted).

The weekly figures are the team's, or one trainee's; beside them, the whole period per member,
to compare the trainees. Rows carry sums and counts, never means. The week is the Monday (UTC)
that starts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, and_, case, cast, func, union_all
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import Session, select

from scoring.config import media_catalogue
from trainer.db.drill_models import DrillConversation, DrillMessage, DrillRun
from trainer.db.models import Attempt, Role, Speaker, Team, Turn
from trainer.services.accounts import load_actor, plain_members
from trainer.services.rights import Action, Actor, PermissionDenied, require


@dataclass(frozen=True)
class ResponseRow:
    week: date | None  # None in the per-trainee rows (the whole period)
    user_id: int | None  # None in the weekly rows (the scope: the team, or the one trainee)
    medium: str | None  # None in the per-trainee rows
    replies: int
    seconds: float  # the replies' seconds added up
    within_norm: int  # replies sent within their medium's target_seconds


@dataclass(frozen=True)
class VolumeRow:
    week: date | None
    user_id: int | None
    medium: str | None
    scenario_type: str | None
    attempts: int


@dataclass(frozen=True)
class TopicRow:
    week: date
    label: str
    conversations: int


@dataclass(frozen=True)
class MoodRow:
    week: date | None  # of the first reply
    user_id: int | None  # who sent the first reply
    conversations: int  # answered conversations with a customer mood before and after the reply
    before: float  # the conversations' mean moods added up
    after: float


@dataclass(frozen=True)
class TeamReport:
    team_id: int
    team_name: str
    members: dict[int, str]  # the team's trainees (plain members with the trainee role): id -> name, by name
    trainee_id: int | None  # the weekly figures are this trainee's; None: the whole team's
    responses: list[ResponseRow]  # per week and medium
    volume: list[VolumeRow]  # per week, medium and scenario type
    topics: list[TopicRow]  # per week and drill label
    moods: list[MoodRow]  # per week
    # The whole period per member (always the whole team's members, to compare them).
    responses_by_member: list[ResponseRow]
    volume_by_member: list[VolumeRow]
    moods_by_member: list[MoodRow]


# SQLite's weeks are counted from this Monday: julianday arithmetic is cheaper than date() modifiers.
EPOCH_MONDAY = date(1969, 12, 29)
UNIX_JULIAN_DAY = 2440587.5  # julianday('1970-01-01')


def _week(column, dialect: str) -> ColumnElement:
    """The ISO week `column` falls in (UTC): its Monday on PostgreSQL, on SQLite the number of
    weeks since EPOCH_MONDAY; `_monday` reads either."""
    if dialect == "postgresql":
        return func.date(func.date_trunc("week", func.timezone("UTC", column)))
    # SQLite stores UTC. 1970-01-01 was a Thursday: 3 days after EPOCH_MONDAY.
    return cast((func.julianday(column) - UNIX_JULIAN_DAY + 3) / 7, Integer)


def _seconds_between(start, end, dialect: str) -> ColumnElement:
    if dialect == "postgresql":
        return func.extract("epoch", end - start)
    return (func.julianday(end) - func.julianday(start)) * 86400.0


def _monday(value: object) -> date:
    if isinstance(value, int):
        return EPOCH_MONDAY + timedelta(weeks=value)
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _responses(session: Session, users, since: datetime | None, dialect: str, *, per_member: bool) -> list[ResponseRow]:
    norms = {medium_id: medium.target_seconds for medium_id, medium in media_catalogue().media.items()}
    seconds = _seconds_between(Turn.shown_at, Turn.sent_at, dialect)
    norm = case(norms, value=Attempt.medium, else_=None)
    keys = [Attempt.user_id] if per_member else [_week(Turn.sent_at, dialect), Attempt.medium]
    query = (
        select(*keys, func.count(Turn.id), func.sum(seconds), func.sum(case((seconds <= norm, 1), else_=0)))
        .join(Attempt, Attempt.id == Turn.attempt_id)
        .where(Attempt.user_id.in_(users), Turn.speaker == Speaker.trainee.value,  # type: ignore[attr-defined]
               Turn.shown_at.is_not(None), Turn.sent_at.is_not(None))  # type: ignore[union-attr]
        .group_by(*keys)
    )
    if since is not None:
        query = query.where(Turn.sent_at >= since)  # type: ignore[operator]
    rows = session.exec(query).all()
    if per_member:
        return [ResponseRow(None, u, None, n, float(s or 0.0), int(w or 0)) for u, n, s, w in rows]
    return [ResponseRow(_monday(week), None, m, n, float(s or 0.0), int(w or 0)) for week, m, n, s, w in rows]


def _volume(session: Session, users, since: datetime | None, dialect: str, *, per_member: bool) -> list[VolumeRow]:
    keys = [Attempt.user_id] if per_member else [_week(Attempt.started_at, dialect), Attempt.medium, Attempt.scenario_type]
    query = select(*keys, func.count(Attempt.id)).where(Attempt.user_id.in_(users)).group_by(*keys)  # type: ignore[attr-defined]
    if since is not None:
        query = query.where(Attempt.started_at >= since)  # type: ignore[operator]
    rows = session.exec(query).all()
    if per_member:
        return [VolumeRow(None, u, None, None, n) for u, n in rows]
    return [VolumeRow(_monday(week), None, m, k, n) for week, m, k, n in rows]


def _topics(session: Session, team_id: int, trainee_id: int | None, since: datetime | None, dialect: str) -> list[TopicRow]:
    """The team's drill labels; for one trainee, those on the conversations they answered (a
    stopped drill holds no claims any more: the replies say who worked on what)."""
    week = _week(DrillConversation.arrived_at, dialect)
    query = (
        select(week, DrillConversation.label, func.count(DrillConversation.id))
        .join(DrillRun, DrillRun.id == DrillConversation.run_id)
        .where(DrillRun.team_id == team_id, DrillConversation.label.is_not(None))  # type: ignore[union-attr]
        .group_by(week, DrillConversation.label)
    )
    if trainee_id is not None:
        answered = select(DrillMessage.conversation_id).where(DrillMessage.user_id == trainee_id,
                                                              DrillMessage.source == "reply")
        query = query.where(DrillConversation.id.in_(answered))  # type: ignore[union-attr]
    if since is not None:
        query = query.where(DrillConversation.arrived_at >= since)  # type: ignore[operator]
    return [TopicRow(_monday(w), label, n) for w, label, n in session.exec(query).all()]


def _mood_per_conversation(team_id: int, users, since: datetime | None):
    """Per answered conversation, in the team's drills and in `users`' practice: who sent the
    first reply, when, and the customer's mean mood before and after it (NULL where the
    customer said nothing then)."""
    runs = select(DrillRun.id).where(DrillRun.team_id == team_id)
    first = (
        select(DrillMessage.conversation_id.label("conversation_id"), func.min(DrillMessage.at).label("at"))
        .where(DrillMessage.run_id.in_(runs), DrillMessage.role == "agent", DrillMessage.source == "reply")  # type: ignore[attr-defined]
        .group_by(DrillMessage.conversation_id)
        .subquery("first_reply")
    )
    reply = DrillMessage.__table__.alias("reply")
    said = DrillMessage.__table__.alias("said")
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
    return union_all(per_conversation, _practice_mood_per_conversation(users, since)).subquery("per_conversation")


def _practice_mood_per_conversation(users, since: datetime | None):
    """Per answered practice conversation of `users`: the trainee, when their first reply was
    stored, and the customer's mean mood before and after it, as for drill conversations."""
    first = (
        select(Turn.attempt_id.label("attempt_id"), func.min(Turn.created_at).label("at"))
        .join(Attempt, Attempt.id == Turn.attempt_id)
        .where(Attempt.user_id.in_(users), Turn.speaker == Speaker.trainee.value,  # type: ignore[attr-defined]
               Attempt.drill_run_id.is_(None))  # type: ignore[union-attr]  # a drill's moods are its messages'
        .group_by(Turn.attempt_id)
        .subquery("first_practice_reply")
    )
    said = Turn.__table__.alias("said")
    per_conversation = (
        select(
            first.c.attempt_id.label("conversation_id"), first.c.at, Attempt.user_id,
            func.avg(case((said.c.created_at < first.c.at, said.c.mood), else_=None)).label("before"),
            func.avg(case((said.c.created_at > first.c.at, said.c.mood), else_=None)).label("after"),
        )
        .join(Attempt, Attempt.id == first.c.attempt_id)
        .join(said, and_(said.c.attempt_id == first.c.attempt_id, said.c.speaker == Speaker.customer.value,
                         said.c.mood.is_not(None)))
        .group_by(first.c.attempt_id, first.c.at, Attempt.user_id)
    )
    if since is not None:
        per_conversation = per_conversation.where(first.c.at >= since)
    return per_conversation


def _moods(session: Session, found, users, dialect: str, *, per_member: bool) -> list[MoodRow]:
    keys = [found.c.user_id] if per_member else [_week(found.c.at, dialect)]
    query = (
        select(*keys, func.count(), func.sum(found.c.before), func.sum(found.c.after))
        .where(found.c.before.is_not(None), found.c.after.is_not(None), found.c.user_id.in_(users))
        .group_by(*keys)
    )
    rows = session.exec(query).all()
    if per_member:
        return [MoodRow(None, u, n, float(b), float(a)) for u, n, b, a in rows]
    return [MoodRow(_monday(w), None, n, float(b), float(a)) for w, n, b, a in rows]


def team_report(*, session: Session, actor: Actor, team_id: int, trainee_id: int | None = None,
                since: datetime | None = None) -> TeamReport:
    """A team's weekly figures (or one of its trainees'), and the whole period per member, for
    the team's managers, its observers and admins (`reports.see`)."""
    actor = load_actor(session, actor)
    team = session.get(Team, team_id)
    if team is None:
        raise PermissionDenied(f"no team with id {team_id}")  # as good as not yours: a link says no more
    require(actor, Action.see_reports, team, session=session)
    members = dict(plain_members(session, team_id, role=Role.trainee))  # an observer is no trainee
    if trainee_id is not None and trainee_id not in members:
        raise PermissionDenied(f"user {trainee_id} is no trainee of team {team_id}")
    dialect = session.get_bind().dialect.name
    everyone = list(members)
    scope = [trainee_id] if trainee_id is not None else everyone
    moods = _mood_per_conversation(team_id, everyone, since)
    return TeamReport(
        team_id=team.id, team_name=team.name, members=members, trainee_id=trainee_id,
        responses=_responses(session, scope, since, dialect, per_member=False),
        volume=_volume(session, scope, since, dialect, per_member=False),
        topics=_topics(session, team_id, trainee_id, since, dialect),
        moods=_moods(session, moods, scope, dialect, per_member=False),
        responses_by_member=_responses(session, everyone, since, dialect, per_member=True),
        volume_by_member=_volume(session, everyone, since, dialect, per_member=True),
        moods_by_member=_moods(session, moods, everyone, dialect, per_member=True),
    )
