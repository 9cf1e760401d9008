"""The "Reports" screen for a team's managers, its observers and admins: per ISO week, per
trainee and for the whole team, response times against each medium's norm, volume per medium,
topics (scenario types and drill labels) and the customer's mood before and after a reply in
group drills. Ready to show: translated headers, media and types by name, rounded figures, the
CSV of every table (through the one CSV writer, trainer/services/export_csv.py).

The database adds everything up (trainer/services/reports.py); this only folds the members'
rows into the team's and labels them. A trainee, or anyone else without `reports.see` for the
team, gets PermissionDenied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlmodel import Session

from scoring.config import media_catalogue
from trainer.db.models import Role
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services import accounts, export_csv
from trainer.services import reports as reports_service
from trainer.services.policy import SCENARIO_TYPES
from trainer.services.rights import Action, Actor, PermissionDenied, can
from trainer.views.progress import medium_label

WEEKS = 12  # what the screen shows unless asked for more or fewer
WEEK_CHOICES = (4, 8, 12, 26, 52)
TEAM = None  # the `who` of the team's own rows


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def first_monday(now: datetime, weeks: int) -> datetime:
    """Midnight UTC on the Monday that starts the oldest of the `weeks` weeks up to `now`."""
    today = now.astimezone(timezone.utc).date()
    monday = today - timedelta(days=today.weekday(), weeks=max(1, weeks) - 1)
    return datetime.combine(monday, time(0), tzinfo=timezone.utc)


@dataclass(frozen=True)
class Chart:
    """A team-level chart: long-form rows, and which of their columns go where."""

    mark: str  # "line" or "bar"
    x: str  # the week's column
    y: str
    colour: str
    who: str  # the column saying whose row it is: the page shows one `who` at a time
    rows: list[dict[str, object]]  # per week, series and who


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    columns: list[str]
    rows: list[dict[str, object]]  # the table: the team's rows first, then per trainee
    chart: Chart
    csv: bytes
    file_name: str


@dataclass(frozen=True)
class ReportsScreen:
    teams: dict[int, str]  # the teams the actor may see reports of: id -> name
    team_id: int | None  # None: there is no team to show
    team_name: str
    weeks: list[str]  # "2026-W49", oldest first
    who: list[str]  # the chart filter: the team first, then the trainees by name
    team_label: str
    sections: list[Section]
    empty: bool  # nothing at all happened in these weeks


Key = tuple


def _fold(rows: Iterable, key: Callable[[object], Key], fields: tuple[str, ...]) -> dict[Key, list[float]]:
    """Add up `fields` of the rows per key, and per key with the trainee left out (the team)."""
    sums: dict[Key, list[float]] = defaultdict(lambda: [0.0] * len(fields))
    for row in rows:
        for who in (row.user_id, TEAM):
            total = sums[(who, *key(row))]
            for i, name in enumerate(fields):
                total[i] += getattr(row, name)
    return sums


def _ordered(sums: dict[Key, list[float]], names: dict[int, str]) -> list[tuple[Key, list[float]]]:
    """The team's rows first, then per trainee by name; within them by week, then the rest."""
    def order(item: tuple[Key, list[float]]) -> tuple:
        who, *rest = item[0]
        return (who is not TEAM, names.get(who, "") if who is not TEAM else "", who or 0, *rest)
    return sorted(sums.items(), key=order)


def _who(user_id: int | None, names: dict[int, str], team_label: str, language: str) -> str:
    if user_id is TEAM:
        return team_label
    return names.get(user_id, t("reports.former_member", language))


def _section(key: str, language: str, team_file: str, columns: list[str], rows: list[dict[str, object]],
             chart: Chart, **intro: object) -> Section:
    return Section(
        title=t(f"reports.{key}_title", language), intro=t(f"reports.{key}_intro", language, **intro),
        columns=columns, rows=rows, chart=chart,
        csv=export_csv.csv_text(columns, rows).encode("utf-8"), file_name=f"{team_file}-{key}.csv",
    )


def _responses(report: reports_service.TeamReport, names: dict[int, str], team: str, file: str,
               language: str) -> Section:
    norms = {m: medium.target_seconds for m, medium in media_catalogue().media.items()}
    sums = _fold(report.responses, lambda r: (r.week, r.medium), ("replies", "seconds", "within_norm"))
    week, who, medium = t("reports.week", language), t("reports.who", language), t("reports.medium", language)
    replies, mean, norm = t("reports.replies", language), t("reports.mean_seconds", language), t("reports.norm_seconds", language)
    within = t("reports.within_norm", language)
    rows = [{
        week: week_label(monday), who: _who(user_id, names, team, language), medium: medium_label(medium_id, language),
        replies: int(count), mean: round(seconds / count), norm: norms.get(medium_id, ""),
        within: round(100 * inside / count),
    } for (user_id, monday, medium_id), (count, seconds, inside) in _ordered(sums, names) if count]
    chart = Chart("line", week, within, medium, who, [{week: r[week], who: r[who], medium: r[medium], within: r[within]}
                                                  for r in rows])
    return _section("responses", language, file, [week, who, medium, replies, mean, norm, within], rows, chart)


def _volume(report: reports_service.TeamReport, names: dict[int, str], team: str, file: str, language: str) -> Section:
    sums = _fold(report.volume, lambda r: (r.week, r.medium), ("attempts",))
    week, who, medium, count = (t("reports.week", language), t("reports.who", language), t("reports.medium", language),
                                t("reports.attempts", language))
    rows = [{week: week_label(monday), who: _who(user_id, names, team, language), medium: medium_label(medium_id, language),
             count: int(n)} for (user_id, monday, medium_id), (n,) in _ordered(sums, names)]
    return _section("volume", language, file, [week, who, medium, count], rows, Chart("bar", week, count, medium, who, rows))


def _topics(report: reports_service.TeamReport, names: dict[int, str], team: str, file: str, language: str) -> Section:
    week, who, kind, topic, count = (t("reports.week", language), t("reports.who", language), t("reports.topic_kind", language),
                                     t("reports.topic", language), t("reports.count", language))
    practice, drill = t("reports.kind_scenario_type", language), t("reports.kind_drill_label", language)
    by_type = _fold(report.volume, lambda r: (r.week, practice, r.scenario_type), ("attempts",))
    by_label = _fold([row for row in report.topics if row.user_id is not None],
                     lambda r: (r.week, drill, r.label), ("conversations",))
    # Conversations nobody claimed still belong to the team's topics.
    for row in report.topics:
        if row.user_id is None:
            by_label.setdefault((TEAM, row.week, drill, row.label), [0.0])[0] += row.conversations

    def name(source: str, value: str) -> str:
        return t(f"type.{value}", language) if source == practice and value in SCENARIO_TYPES else value

    rows = [{week: week_label(monday), who: _who(user_id, names, team, language), kind: source, topic: name(source, value),
             count: int(n)} for (user_id, monday, source, value), (n,) in _ordered({**by_type, **by_label}, names)]
    return _section("topics", language, file, [week, who, kind, topic, count], rows, Chart("bar", week, count, topic, who, rows))


def _moods(report: reports_service.TeamReport, names: dict[int, str], team: str, file: str, language: str) -> Section:
    sums = _fold(report.moods, lambda r: (r.week,), ("conversations", "before", "after"))
    week, who, count = t("reports.week", language), t("reports.who", language), t("reports.conversations", language)
    before, after, change = (t("reports.mood_before", language), t("reports.mood_after", language),
                             t("reports.mood_change", language))
    rows = [{week: week_label(monday), who: _who(user_id, names, team, language), count: int(n),
             before: round(b / n, 2), after: round(a / n, 2), change: round((a - b) / n, 2)}
            for (user_id, monday), (n, b, a) in _ordered(sums, names) if n]
    moment = t("reports.moment", language)
    mood = t("reports.mood", language)
    chart_rows = [{week: r[week], who: r[who], moment: label, mood: r[label]} for r in rows for label in (before, after)]
    return _section("moods", language, file, [week, who, count, before, after, change], rows,
                    Chart("line", week, mood, moment, who, chart_rows))


@dataclass(frozen=True)
class ReportTeams:
    teams: dict[int, str]  # id -> name, by name: the teams whose reports the actor may see
    refused: bool  # no team, and a trainee: the screen is not for them


def report_teams(*, session: Session, actor: Actor) -> ReportTeams:
    actor = accounts.load_actor(session, actor)
    teams = {team.id: team.name for team in accounts.list_teams(session=session, actor=actor)
             if can(actor, Action.see_reports, team, session=session)}
    return ReportTeams(teams=teams, refused=not teams and Role(actor.role) is Role.trainee)


def reports_screen(*, session: Session, actor: Actor, team_id: int | None = None, weeks: int = WEEKS,
                   language: str, now: datetime | None = None) -> ReportsScreen:
    """One team's reports over the last `weeks` ISO weeks (this one included); without a
    `team_id` the first team the actor may see. Refused (PermissionDenied) for a trainee and
    for a team the actor may not see."""
    found = report_teams(session=session, actor=actor)
    teams = found.teams
    team_label = t("reports.whole_team", language)
    if team_id is None:
        if not teams:
            if found.refused:  # a manager, observer or admin without a team gets an empty screen
                raise PermissionDenied("reports are for managers, observers and admins")
            return ReportsScreen(teams={}, team_id=None, team_name="", weeks=[], who=[], team_label=team_label,
                                 sections=[], empty=True)
        team_id = next(iter(teams))
    since = first_monday(now or utcnow(), weeks)
    report = reports_service.team_report(session=session, actor=actor, team_id=team_id, since=since)
    names = report.members
    file = f"webcare-{report.team_name.lower().replace(' ', '-')}-{since:%Y%m%d}"
    sections = [build(report, names, team_label, file, language) for build in (_responses, _volume, _topics, _moods)]
    mondays = [since.date() + timedelta(weeks=n) for n in range(max(1, weeks))]
    return ReportsScreen(
        teams=teams, team_id=report.team_id, team_name=report.team_name, weeks=[week_label(m) for m in mondays],
        who=[team_label, *names.values()], team_label=team_label, sections=sections,
        empty=not any(section.rows for section in sections),
    )

