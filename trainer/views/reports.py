"""The "Reports" screen for a team's managers, its observers and admins: per ISO week, for the
whole team or one trainee, response times against each medium's norm, volume per medium, topics
(scenario types and drill labels) and the customer's mood before and after a reply in group
drills; and every trainee side by side over those weeks. Ready to show: translated headers,
media and types by name, rounded figures, the CSV of every table (through the one CSV writer,
trainer/services/export_csv.py).

The database adds everything up (trainer/services/reports.py); this labels it. A trainee, or
anyone else without `reports.see` for the team, gets PermissionDenied.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache

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
MISSING = "–"  # a figure there is nothing to compute from (no replies, no drill moods), on the screen
WHOLE_TEAM = 0  # no user's id: the `who` of the team's own figures (a picker's None means "nothing picked")


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
    """Long-form rows, and which of their columns go where."""

    mark: str  # "line" or "bar"
    x: str
    x_order: list[str]  # the weeks, oldest first, or the trainees by name
    y: str
    colour: str | None
    rows: list[dict[str, object]]


@dataclass(frozen=True)
class Section:
    title: str
    intro: str
    columns: list[str]
    rows: list[dict[str, object]]  # the figures, under translated headers (None: nothing to average)
    table: list[dict[str, object]]  # the rows as shown: a missing figure is MISSING, not "None"
    chart: Chart
    csv: bytes
    file_name: str


@dataclass(frozen=True)
class ReportsScreen:
    teams: dict[int, str]  # the teams the actor may see reports of: id -> name
    team_id: int | None  # None: there is no team to show
    team_name: str
    who: dict[int, str]  # whose weekly figures: WHOLE_TEAM first, then the trainees by name
    trainee_id: int | None  # whose they are now
    weeks: list[str]  # "2026-W49", oldest first
    sections: list[Section]  # per week: response times, volume, topics, mood; then per trainee
    empty: bool  # nothing at all happened in these weeks


@lru_cache(maxsize=None)
def _header(name: str, language: str) -> str:
    return t(f"reports.{name}", language)


@dataclass(frozen=True)
class _Labels:
    """The screen's language and its files' names; `labels.week` is the header `reports.week`."""

    language: str
    file: str

    def __getattr__(self, name: str) -> str:
        if name.startswith("_"):
            raise AttributeError(name)
        return _header(name, self.language)


def _shown(columns: list[str], rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The rows as the table shows them: a missing figure is MISSING. A column holding one is
    text throughout (numbers written out), since a table column has one type."""
    gaps = {c for c in columns if any(row.get(c) is None for row in rows)}
    return [{c: (MISSING if v is None else str(v)) if c in gaps else v for c, v in row.items()} for row in rows]


def _section(key: str, labels: _Labels, columns: list[str], rows: list[dict[str, object]], chart: Chart) -> Section:
    return Section(
        title=t(f"reports.{key}_title", labels.language), intro=t(f"reports.{key}_intro", labels.language),
        columns=columns, rows=rows, chart=chart,
        table=_shown(columns, rows),
        csv=export_csv.csv_text(columns, rows).encode("utf-8"), file_name=f"{labels.file}-{key}.csv",
    )


def _share(part: float, whole: float) -> int | None:
    return round(100 * part / whole) if whole else None


def _mean(total: float, count: float, digits: int = 0) -> float | None:
    return round(total / count, digits or None) if count else None


def _responses(report: reports_service.TeamReport, weeks: list[str], x: _Labels) -> Section:
    norms = {m: medium.target_seconds for m, medium in media_catalogue().media.items()}
    rows = [{
        x.week: week_label(r.week), x.medium: medium_label(r.medium, x.language), x.replies: r.replies,
        x.mean_seconds: _mean(r.seconds, r.replies), x.norm_seconds: norms.get(r.medium),
        x.within_norm: _share(r.within_norm, r.replies),
    } for r in sorted(report.responses, key=lambda r: (r.week, r.medium))]
    return _section("responses", x, [x.week, x.medium, x.replies, x.mean_seconds, x.norm_seconds, x.within_norm], rows,
                    Chart("line", x.week, weeks, x.within_norm, x.medium, rows))


def _volume(report: reports_service.TeamReport, weeks: list[str], x: _Labels) -> Section:
    per_medium: dict[tuple[date, str], int] = defaultdict(int)
    for r in report.volume:
        per_medium[r.week, r.medium] += r.attempts
    rows = [{x.week: week_label(week), x.medium: medium_label(medium, x.language), x.attempts: n}
            for (week, medium), n in sorted(per_medium.items())]
    return _section("volume", x, [x.week, x.medium, x.attempts], rows, Chart("bar", x.week, weeks, x.attempts, x.medium, rows))


def _topics(report: reports_service.TeamReport, weeks: list[str], x: _Labels) -> Section:
    practice, drill = x.kind_scenario_type, x.kind_drill_label
    per_type: dict[tuple[date, str], int] = defaultdict(int)
    for r in report.volume:
        per_type[r.week, r.scenario_type] += r.attempts
    found = [(week, practice, t(f"type.{kind}", x.language) if kind in SCENARIO_TYPES else kind, n)
             for (week, kind), n in per_type.items()]
    found += [(r.week, drill, r.label, r.conversations) for r in report.topics]
    rows = [{x.week: week_label(week), x.topic_kind: source, x.topic: topic, x.count: n}
            for week, source, topic, n in sorted(found)]
    return _section("topics", x, [x.week, x.topic_kind, x.topic, x.count], rows,
                    Chart("bar", x.week, weeks, x.count, x.topic, rows))


def _moods(report: reports_service.TeamReport, weeks: list[str], x: _Labels) -> Section:
    rows = [{x.week: week_label(r.week), x.conversations: r.conversations, x.mood_before: _mean(r.before, r.conversations, 2),
             x.mood_after: _mean(r.after, r.conversations, 2), x.mood_change: _mean(r.after - r.before, r.conversations, 2)}
            for r in sorted(report.moods, key=lambda r: r.week)]
    chart_rows = [{x.week: r[x.week], x.moment: moment, x.mood: r[moment]} for r in rows for moment in (x.mood_before, x.mood_after)]
    return _section("moods", x, [x.week, x.conversations, x.mood_before, x.mood_after, x.mood_change], rows,
                    Chart("line", x.week, weeks, x.mood, x.moment, chart_rows))


def _trainees(report: reports_service.TeamReport, x: _Labels) -> Section:
    replies = {r.user_id: r for r in report.responses_by_member}
    attempts = {r.user_id: r.attempts for r in report.volume_by_member}
    moods = {r.user_id: r for r in report.moods_by_member}
    rows = []
    for user_id, name in report.members.items():
        reply, mood = replies.get(user_id), moods.get(user_id)
        rows.append({
            x.trainee: name, x.attempts: attempts.get(user_id, 0), x.replies: reply.replies if reply else 0,
            x.mean_seconds: _mean(reply.seconds, reply.replies) if reply else None,
            x.within_norm: _share(reply.within_norm, reply.replies) if reply else None,
            x.drill_conversations: mood.conversations if mood else 0,
            x.mood_before: _mean(mood.before, mood.conversations, 2) if mood else None,
            x.mood_after: _mean(mood.after, mood.conversations, 2) if mood else None,
        })
    columns = [x.trainee, x.attempts, x.replies, x.mean_seconds, x.within_norm, x.drill_conversations, x.mood_before,
               x.mood_after]
    chart_rows = [row for row in rows if row[x.within_norm] is not None]
    return _section("trainees", x, columns, rows,
                    Chart("bar", x.trainee, list(report.members.values()), x.within_norm, None, chart_rows))


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
                   language: str, trainee_id: int | None = None, now: datetime | None = None) -> ReportsScreen:
    """One team's reports over the last `weeks` ISO weeks (this one included): the weekly
    figures of the whole team or of one of its trainees, and every trainee over those weeks.
    Without a `team_id` the first team the actor may see. Refused (PermissionDenied) for a
    trainee, for a team the actor may not see and for someone who is no trainee of the team."""
    found = report_teams(session=session, actor=actor)
    if team_id is None:
        if not found.teams:
            if found.refused:  # a manager, observer or admin without a team gets an empty screen
                raise PermissionDenied("reports are for managers, observers and admins")
            return ReportsScreen(teams={}, team_id=None, team_name="", who={}, trainee_id=None, weeks=[], sections=[],
                                 empty=True)
        team_id = next(iter(found.teams))
    since = first_monday(now or utcnow(), weeks)
    trainee_id = trainee_id or None  # WHOLE_TEAM is the team
    report = reports_service.team_report(session=session, actor=actor, team_id=team_id, trainee_id=trainee_id, since=since)
    whose = [report.team_name] + ([report.members[trainee_id]] if trainee_id else [])
    labels = _Labels(language=language, file="-".join(["webcare", *(n.lower().replace(" ", "-") for n in whose), f"{since:%Y%m%d}"]))
    week_labels = [week_label(since.date() + timedelta(weeks=n)) for n in range(max(1, weeks))]
    sections = [build(report, week_labels, labels) for build in (_responses, _volume, _topics, _moods)]
    sections.append(_trainees(report, labels))
    return ReportsScreen(
        teams=found.teams, team_id=report.team_id, team_name=report.team_name,
        who={WHOLE_TEAM: t("reports.whole_team", language), **report.members}, trainee_id=trainee_id, weeks=week_labels,
        sections=sections,
        empty=not (report.volume_by_member or report.responses_by_member or report.moods_by_member or report.topics),
    )
