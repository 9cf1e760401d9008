"""Progress: what a trainee's scores say, for the trainee's own page and the manager's overview.

A trainee's page reads one trainee's scores (a few hundred rows) and adds them up here; the
team overview lets the database aggregate, because it covers every reply of a whole team.
Dimension figures use only checked dimensions (a spelling score without LanguageTool is no
score). Proficiency levels and their recency weighting come from content/certification.yaml.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import case, func
from sqlmodel import Session, select

from trainer.db.models import Attempt, DimensionScore, Role, Score, Team, TeamMembership, User
from trainer.services import feedback
from trainer.services.accounts import load_for, plain_member_ids, plain_members
from trainer.services.policy import Proficiency, load_policy
from trainer.services.rights import Action, Actor, PermissionDenied, SystemActor, managed_team_ids


@dataclass(frozen=True)
class Figures:
    """Scored replies in a group, their mean total and the share that passed."""

    replies: int
    mean_total: float | None
    pass_rate: float | None


@dataclass(frozen=True)
class WeekPoint:
    week: date  # the Monday
    replies: int
    mean_total: float
    dimensions: dict[str, float]


@dataclass(frozen=True)
class SkillLevel:
    dimension: str
    recent_score: float  # weighted toward recent replies
    level: str
    label: str


@dataclass(frozen=True)
class ScenarioImprovement:
    scenario_id: str
    attempts: int
    first: float
    best: float

    @property
    def improvement(self) -> float:
        return self.best - self.first


@dataclass
class TraineeProgress:
    trainee_id: int
    attempts: int
    overall: Figures
    by_medium: dict[str, Figures]
    by_scenario_type: dict[str, Figures]
    by_dimension: dict[str, float]
    over_time: list[WeekPoint]
    weakest_dimension: str | None
    skills: dict[str, SkillLevel]
    scenarios: list[ScenarioImprovement]
    overall_automatic: Figures | None = None  # the scorer's own figures, before managers' overrides
    overrides: int = 0  # replies whose total a manager overrode
    team_name: str | None = None
    team_by_dimension: dict[str, float] = field(default_factory=dict)
    team_mean_total: float | None = None


@dataclass(frozen=True)
class MemberRow:
    user_id: int
    full_name: str
    attempts: int
    replies: int
    mean_total: float | None
    pass_rate: float | None
    critical_findings: int
    last_activity: datetime | None
    weakest_dimension: str | None
    by_dimension: dict[str, float]


@dataclass
class TeamOverview:
    team_id: int
    team_name: str
    members: list[MemberRow]
    by_dimension: dict[str, float]
    mean_total: float | None


def _mean(values: Iterable[float]) -> float | None:
    values = list(values)
    return sum(values) / len(values) if values else None


def _figures(rows: list[tuple[float, bool]]) -> Figures:
    return Figures(
        replies=len(rows),
        mean_total=_mean(total for total, _ in rows),
        pass_rate=_mean(1.0 if passed else 0.0 for _, passed in rows),
    )


def _monday(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def weighted_recent(scores_oldest_first: list[float], half_life: float) -> float:
    """Mean with the newest score weighing 1, one `half_life` replies older 0.5, and so on."""
    newest_first = list(reversed(scores_oldest_first))
    weights = [0.5 ** (age / half_life) for age in range(len(newest_first))]
    return sum(w * s for w, s in zip(weights, newest_first, strict=True)) / sum(weights)


def skill_levels(
    by_dimension_oldest_first: dict[str, list[float]], proficiency: Proficiency, language: str = "nl"
) -> dict[str, SkillLevel]:
    skills = {}
    for dimension, scores in sorted(by_dimension_oldest_first.items()):
        if not scores:
            continue
        recent = weighted_recent(scores, proficiency.recent_half_life)
        level = proficiency.level_for(recent)
        skills[dimension] = SkillLevel(dimension, round(recent, 1), level.id, level.label(language))
    return skills


def _trainee_team(session: Session, trainee_id: int, actor: Actor) -> Team | None:
    """The trainee's team to compare them with, among the teams the actor may see: a manager
    only ever gets one of their own teams, so a trainee in two teams does not show one
    team's name and means to the other team's manager."""
    query = (
        select(Team)
        .join(TeamMembership, TeamMembership.team_id == Team.id)
        .where(TeamMembership.user_id == trainee_id, TeamMembership.is_manager == False)  # noqa: E712
        .order_by(Team.id)
    )
    if not isinstance(actor, SystemActor) and actor.id != trainee_id and Role(actor.role) is not Role.admin:
        query = query.where(Team.id.in_(managed_team_ids(session, actor.id)))  # type: ignore[attr-defined]
    return session.exec(query).first()


def _team_dimension_means(session: Session, team_id: int, since: datetime | None) -> tuple[dict[str, float], float | None]:
    members = plain_member_ids(team_id)
    # Unchecked dimensions have no score, and AVG skips NULLs: no filter on `checked` needed,
    # so the (user_id, name, score) index answers this alone.
    dims = (
        select(DimensionScore.name, func.avg(DimensionScore.score))
        .where(DimensionScore.user_id.in_(members))  # type: ignore[attr-defined]
        .group_by(DimensionScore.name)
    )
    total = select(func.avg(Score.total)).where(Score.user_id.in_(members))  # type: ignore[attr-defined]
    if since is not None:
        dims = dims.where(DimensionScore.scored_at >= since)
        total = total.where(Score.scored_at >= since)
    means = {name: float(mean) for name, mean in session.exec(dims).all() if mean is not None}
    mean_total = session.exec(total).one()
    return means, float(mean_total) if mean_total is not None else None


def trainee_progress(
    *, session: Session, actor: Actor, trainee_id: int, since: datetime | None = None, language: str = "nl"
) -> TraineeProgress:
    """Everything the trainee's progress page shows (the trainee, their managers, admins)."""
    actor, trainee = load_for(session, actor, User, trainee_id, Action.read_attempts)

    replies = select(
        Score.id, Score.total, Score.passed, Score.pass_mark, Score.scored_at, Score.medium, Attempt.id, Attempt.scenario_id,
        Attempt.scenario_type,
    ).join(Attempt, Attempt.id == Score.attempt_id).where(Score.user_id == trainee_id)
    dimensions = select(DimensionScore.score_id, DimensionScore.name, DimensionScore.score).where(
        DimensionScore.user_id == trainee_id, DimensionScore.checked == True  # noqa: E712
    )
    attempts = select(func.count()).select_from(Attempt).where(Attempt.user_id == trainee_id)
    if since is not None:
        replies = replies.where(Score.scored_at >= since)
        dimensions = dimensions.where(DimensionScore.scored_at >= since)
        attempts = attempts.where(Attempt.started_at >= since)
    automatic_rows = session.exec(replies.order_by(Score.scored_at, Score.id)).all()
    # A manager's override of a reply's total is the figure that counts; the automatic one stays beside it.
    overridden = feedback.effective_totals(session, (r[0] for r in automatic_rows))
    rows = [
        (r[0], overridden[r[0]], overridden[r[0]] >= r[3], *r[4:]) if r[0] in overridden else (r[0], r[1], r[2], *r[4:])
        for r in automatic_rows
    ]
    dims_of: dict[int, dict[str, float]] = defaultdict(dict)
    for score_id, name, value in session.exec(dimensions).all():
        dims_of[score_id][name] = value

    by_medium: dict[str, list] = defaultdict(list)
    by_type: dict[str, list] = defaultdict(list)
    by_week: dict[date, list] = defaultdict(list)
    dimension_series: dict[str, list[float]] = defaultdict(list)
    attempt_totals: dict[int, list[float]] = defaultdict(list)
    attempt_scenario: dict[int, str] = {}
    for score_id, total, passed, scored_at, medium, attempt_id, scenario_id, scenario_type in rows:
        by_medium[medium].append((total, passed))
        by_type[scenario_type].append((total, passed))
        by_week[_monday(scored_at)].append(score_id)
        for name, value in dims_of.get(score_id, {}).items():
            dimension_series[name].append(value)
        attempt_totals[attempt_id].append(total)
        attempt_scenario[attempt_id] = scenario_id
    total_of = {row[0]: row[1] for row in rows}

    over_time = []
    for week in sorted(by_week):
        ids = by_week[week]
        week_dims: dict[str, list[float]] = defaultdict(list)
        for score_id in ids:
            for name, value in dims_of.get(score_id, {}).items():
                week_dims[name].append(value)
        over_time.append(
            WeekPoint(week, len(ids), _mean(total_of[i] for i in ids), {n: _mean(v) for n, v in sorted(week_dims.items())})
        )

    by_dimension = {name: _mean(values) for name, values in sorted(dimension_series.items())}
    weakest = min(by_dimension, key=lambda n: (by_dimension[n], n)) if by_dimension else None

    per_scenario: dict[str, list[float]] = defaultdict(list)
    for attempt_id in sorted(attempt_totals):  # ids rise with time: first attempt first
        per_scenario[attempt_scenario[attempt_id]].append(_mean(attempt_totals[attempt_id]))
    scenarios = [
        ScenarioImprovement(scenario_id, len(means), means[0], max(means))
        for scenario_id, means in sorted(per_scenario.items())
    ]

    team = _trainee_team(session, trainee_id, actor)
    team_dims, team_total = _team_dimension_means(session, team.id, since) if team else ({}, None)
    return TraineeProgress(
        trainee_id=trainee_id,
        attempts=session.exec(attempts).one(),
        overall=_figures([(r[1], r[2]) for r in rows]),
        overall_automatic=_figures([(r[1], r[2]) for r in automatic_rows]),
        overrides=len(overridden),
        by_medium={m: _figures(v) for m, v in sorted(by_medium.items())},
        by_scenario_type={t: _figures(v) for t, v in sorted(by_type.items())},
        by_dimension=by_dimension,
        over_time=over_time,
        weakest_dimension=weakest,
        skills=skill_levels(dimension_series, load_policy().proficiency, language),
        scenarios=scenarios,
        team_name=team.name if team else None,
        team_by_dimension=team_dims,
        team_mean_total=team_total,
    )


def team_overview(*, session: Session, actor: Actor, team_id: int, since: datetime | None = None) -> TeamOverview:
    """One row per trainee of the team, for its managers, observers and admins."""
    actor, team = load_for(session, actor, Team, team_id, Action.read_team)

    members = plain_members(session, team_id, role=Role.trainee)  # an observer in the team is no trainee
    member_ids = plain_member_ids(team_id)
    per_member = (
        select(
            Score.user_id,
            func.count(Score.id),
            func.avg(Score.total),
            func.avg(case((Score.passed == True, 1.0), else_=0.0)),  # noqa: E712
            func.sum(Score.critical_findings),
            func.max(Score.scored_at),
        )
        .where(Score.user_id.in_(member_ids))  # type: ignore[attr-defined]
        .group_by(Score.user_id)
    )
    per_dimension = (
        select(DimensionScore.user_id, DimensionScore.name, func.avg(DimensionScore.score), func.count(DimensionScore.score))
        .where(DimensionScore.user_id.in_(member_ids))  # type: ignore[attr-defined]
        .group_by(DimensionScore.user_id, DimensionScore.name)
    )
    attempts = (
        select(Attempt.user_id, func.count(Attempt.id))
        .where(Attempt.user_id.in_(member_ids))  # type: ignore[attr-defined]
        .group_by(Attempt.user_id)
    )
    if since is not None:
        per_member = per_member.where(Score.scored_at >= since)
        per_dimension = per_dimension.where(DimensionScore.scored_at >= since)
        attempts = attempts.where(Attempt.started_at >= since)

    figures = {row[0]: row[1:] for row in session.exec(per_member).all()}
    attempt_counts = dict(session.exec(attempts).all())
    member_dims: dict[int, dict[str, float]] = defaultdict(dict)
    team_sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
    for user_id, name, mean, count in session.exec(per_dimension).all():
        if mean is None:  # never checked
            continue
        member_dims[user_id][name] = float(mean)
        team_sums[name][0] += float(mean) * count
        team_sums[name][1] += count

    rows = []
    for user_id, full_name in members:
        replies, mean_total, pass_rate, critical, last = figures.get(user_id, (0, None, None, 0, None))
        dims = dict(sorted(member_dims.get(user_id, {}).items()))
        rows.append(
            MemberRow(
                user_id=user_id,
                full_name=full_name,
                attempts=attempt_counts.get(user_id, 0),
                replies=replies,
                mean_total=float(mean_total) if mean_total is not None else None,
                pass_rate=float(pass_rate) if pass_rate is not None else None,
                critical_findings=int(critical or 0),
                last_activity=_aware(last),
                weakest_dimension=min(dims, key=lambda n: (dims[n], n)) if dims else None,
                by_dimension=dims,
            )
        )
    total_replies = sum(r.replies for r in rows)
    mean_total = (
        sum(r.mean_total * r.replies for r in rows if r.mean_total is not None) / total_replies if total_replies else None
    )
    return TeamOverview(
        team_id=team.id,
        team_name=team.name,
        members=rows,
        by_dimension={name: s / n for name, (s, n) in sorted(team_sums.items()) if n},
        mean_total=mean_total,
    )


@dataclass(frozen=True)
class GridCell:
    medium: str
    scenario_type: str
    attempts: int
    replies: int
    mean_total: float


def medium_type_grid(*, session: Session, actor: Actor, trainee_id: int, since: datetime | None = None) -> list[GridCell]:
    """Mean reply total and attempt count per (medium, scenario type): the progress page's grid."""
    actor, trainee = load_for(session, actor, User, trainee_id, Action.read_attempts)
    query = (
        select(Attempt.medium, Attempt.scenario_type, func.count(func.distinct(Attempt.id)), func.count(Score.id),
               func.avg(Score.total))
        .join(Score, Score.attempt_id == Attempt.id)
        .where(Attempt.user_id == trainee_id)
        .group_by(Attempt.medium, Attempt.scenario_type)
        .order_by(Attempt.medium, Attempt.scenario_type)
    )
    if since is not None:
        query = query.where(Score.scored_at >= since)
    return [GridCell(m, k, attempts, replies, float(mean)) for m, k, attempts, replies, mean in session.exec(query).all()]


def _aware(moment: datetime | None) -> datetime | None:
    """Aggregates may bypass the column type; SQLite would then hand back naive UTC or text."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


__all__ = [
    "Figures",
    "GridCell",
    "MemberRow",
    "PermissionDenied",
    "ScenarioImprovement",
    "SkillLevel",
    "TeamOverview",
    "TraineeProgress",
    "WeekPoint",
    "medium_type_grid",
    "skill_levels",
    "team_overview",
    "trainee_progress",
    "weighted_recent",
]
