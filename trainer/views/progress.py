"""The "Mijn voortgang" screen: figures, scores per skill over time, the level per skill, a
medium x conversation-type grid coloured by the proficiency bands of content/certification.yaml,
and per certification level a checklist with what is still missing. Ready to show: skills, media
and levels by name, every unmet requirement explained in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session

from scoring.config import media_catalogue
from trainer.components.markdown import escape
from trainer.db.models import User
from trainer.i18n import t
from trainer.services import certification
from trainer.services import progress as progress_service
from trainer.services.certification import Status
from trainer.services.policy import SCENARIO_TYPES, CertificationLevel, Proficiency, load_policy
from trainer.services.rights import Actor

# Unmet requirements whose checklist line already says all there is to say.
LINE_SAYS_IT = {"requires_level", "medium_not_passed", "scenario_type_not_passed"}


def dimension_label(name: str, language: str) -> str:
    return t(f"dimension.{name}", language)


def medium_label(medium: str, language: str) -> str:
    media = media_catalogue().media
    return media[medium].name(language) if medium in media else medium


def level_name(level: str, language: str) -> str:
    levels = load_policy().levels
    return levels[level].name(language) if level in levels else level


def reason(unmet: certification.Unmet, language: str) -> str:
    """Why a requirement is unmet, from its code and figures, with skills, media and levels by
    name (the team screen shows the same texts)."""
    params = unmet.params
    texts = {
        "requires_level": lambda: t("progress.req_level", language, level=level_name(params["required"], language)),
        "medium_not_passed": lambda: t("progress.req_medium", language, medium=medium_label(params["medium"], language)),
        "scenario_type_not_passed": lambda: t("progress.req_type", language,
                                              scenario_type=t(f"type.{params['scenario_type']}", language)),
        "dimension_unscored": lambda: t("progress.reason_unscored", language,
                                        dimension=dimension_label(params["dimension"], language), window=params["window"]),
        "dimension_below_minimum": lambda: t("progress.reason_below", language,
                                             dimension=dimension_label(params["dimension"], language),
                                             score=params["score"], minimum=params["minimum"], window=params["window"]),
        "critical_findings": lambda: t("progress.reason_critical", language, count=params["count"], window=params["window"]),
        "group_drills": lambda: t("progress.reason_drills", language, done=params["count"], count=params["minimum"]),
    }
    return texts[unmet.code]() if unmet.code in texts else unmet.message(language)


def heat(mean: float | None, proficiency: Proficiency) -> str | None:
    """A grid cell's colour: that of the proficiency level its mean reaches (None: not practised)."""
    return None if mean is None else proficiency.level_for(mean).colour


# --- the screen -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Figure:
    label: str
    value: str | int
    help: str | None = None


@dataclass(frozen=True)
class WeekScore:
    week: str  # ISO date of the Monday
    what: str  # the total or a skill, by name
    score: float


@dataclass(frozen=True)
class Grid:
    """Rows are media, columns conversation types; a cell's text and colour (None: empty)."""

    index_name: str
    rows: list[str]
    columns: list[str]
    cells: list[list[str]]
    colours: list[list[str | None]]


@dataclass(frozen=True)
class ChecklistLine:
    text: str  # "✅ …" or "❌ …"
    note: str | None  # "↳ …": the figures behind an unmet requirement, where the line does not say them


@dataclass(frozen=True)
class LevelChecklist:
    name: str
    achieved: bool  # held or eligible: shown as a success, else as a warning
    summary: str
    lines: list[ChecklistLine]


@dataclass(frozen=True)
class ProgressScreen:
    figures: list[Figure]  # conversations, replies, mean, pass rate and, with a team, the team's mean
    overrides_note: str | None
    empty: bool  # no scored reply yet: only the figures and the checklist
    total_label: str  # the thicker line of the chart
    over_time: list[WeekScore]
    weakest: str | None
    skills: list[dict[str, object]]  # table rows under their translated headers
    grid: Grid
    checklist: list[LevelChecklist]
    # Per scenario practised: first attempt's score, best, and the gain (table rows, translated headers).
    first_to_best: list[dict[str, object]]
    # Someone else's progress (a manager's or observer's look): the title and intro name them.
    title: str
    intro: str


def _figures(progress: progress_service.TraineeProgress, language: str) -> tuple[list[Figure], str | None]:
    overall = progress.overall
    figures = [
        Figure(t("progress.attempts", language), progress.attempts),
        Figure(t("progress.replies", language), overall.replies),
        Figure(t("progress.mean_total", language), f"{overall.mean_total:.0f}" if overall.mean_total is not None else "—"),
        Figure(t("progress.pass_rate", language), f"{overall.pass_rate:.0%}" if overall.pass_rate is not None else "—"),
    ]
    if progress.team_name and progress.team_mean_total is not None:
        figures.append(Figure(t("progress.team_average", language), f"{progress.team_mean_total:.0f}",
                              help=t("progress.team_mean", language, team=escape(progress.team_name))))
    note = None
    if progress.overrides and progress.overall_automatic and progress.overall_automatic.mean_total is not None:
        note = t("feedback.overrides_note", language, count=progress.overrides,
                 automatic=f"{progress.overall_automatic.mean_total:.0f}")
    return figures, note


def _over_time(progress: progress_service.TraineeProgress, total: str, language: str) -> list[WeekScore]:
    rows = []
    for point in progress.over_time:
        week = point.week.isoformat()
        rows.append(WeekScore(week, total, round(point.mean_total, 1)))
        rows += [WeekScore(week, dimension_label(n, language), round(v, 1)) for n, v in point.dimensions.items()]
    return rows


def _skills(progress: progress_service.TraineeProgress, language: str) -> list[dict[str, object]]:
    return [{
        t("progress.skill", language): dimension_label(name, language),
        t("progress.your_mean", language): round(progress.by_dimension.get(name, 0.0)),
        t("progress.team_average", language):
            round(progress.team_by_dimension[name]) if name in progress.team_by_dimension else None,
        t("progress.recent", language): round(skill.recent_score),
        t("progress.level", language): skill.label,
    } for name, skill in progress.skills.items()]


def _grid(cells: list[progress_service.GridCell], language: str) -> Grid:
    media, proficiency = media_catalogue().media, load_policy().proficiency
    types = [k for k in SCENARIO_TYPES if any(c.scenario_type == k for c in cells)]
    types += sorted({c.scenario_type for c in cells} - set(types))
    rows = sorted({c.medium for c in cells}, key=lambda m: list(media).index(m) if m in media else len(media))
    by_place = {(c.medium, c.scenario_type): c for c in cells}
    return Grid(
        index_name=t("progress.medium", language),
        rows=[medium_label(m, language) for m in rows],
        columns=[t(f"type.{k}", language) if k in SCENARIO_TYPES else k for k in types],
        cells=[[f"{by_place[m, k].mean_total:.0f} ({by_place[m, k].attempts})" if (m, k) in by_place else ""
                for k in types] for m in rows],
        colours=[[heat(by_place[m, k].mean_total if (m, k) in by_place else None, proficiency) for k in types]
                 for m in rows],
    )


def requirements(level: CertificationLevel, unmet: list[certification.Unmet],
                 language: str) -> list[tuple[str, certification.Unmet | None]]:
    """Every requirement of a level as a checklist line, with the unmet reason where there is one."""
    def find(*codes: str, **params: object) -> certification.Unmet | None:
        return next((u for u in unmet if u.code in codes and all(u.params.get(k) == v for k, v in params.items())), None)

    lines = [(t("progress.req_level", language, level=level_name(r, language)), find("requires_level", required=r))
             for r in level.requires]
    lines += [(t("progress.req_medium", language, medium=medium_label(m, language)), find("medium_not_passed", medium=m))
              for m in level.media]
    lines += [(t("progress.req_type", language, scenario_type=t(f"type.{k}", language)),
               find("scenario_type_not_passed", scenario_type=k)) for k in level.scenario_types]
    lines += [(t("progress.req_dimension", language, dimension=dimension_label(d, language), minimum=f"{minimum:g}",
                 window=level.window_attempts), find("dimension_unscored", "dimension_below_minimum", dimension=d))
              for d, minimum in level.min_dimension_scores.items()]
    if level.no_critical_in_last_attempts:
        lines.append((t("progress.req_critical", language, window=level.no_critical_in_last_attempts),
                      find("critical_findings")))
    if level.min_group_drills:
        lines.append((t("progress.req_drills", language, count=level.min_group_drills), find("group_drills")))
    return lines


def _checklist(eligibility: dict[str, certification.Eligibility], held: list, language: str) -> list[LevelChecklist]:
    valid = {c.level: c for c in held if certification.status_of(c) is Status.valid}
    checklist = []
    for level_id, level in load_policy().levels.items():
        check = eligibility[level_id]
        if level_id in valid:
            found = valid[level_id]
            summary = t("progress.held", language, granted=f"{found.granted_at:%d-%m-%Y}", expires=f"{found.expires_at:%d-%m-%Y}")
        elif check.eligible:
            summary = t("progress.eligible", language)
        else:
            summary = t("progress.missing", language, count=len(check.unmet))
        listed = requirements(level, check.unmet, language)
        lines = [ChecklistLine(text=f"{'❌' if unmet else '✅'} {line}",
                               note=f"↳ {reason(unmet, language)}" if unmet and unmet.code not in LINE_SAYS_IT else None)
                 for line, unmet in listed]
        shown = [u for _, u in listed if u]
        # A reason the checklist has no line for still shows.
        lines += [ChecklistLine(text=f"❌ {reason(other, language)}", note=None) for other in check.unmet if other not in shown]
        checklist.append(LevelChecklist(name=level.name(language), achieved=level_id in valid or check.eligible,
                                        summary=summary, lines=lines))
    return checklist


def _first_to_best(progress: progress_service.TraineeProgress, language: str) -> list[dict[str, object]]:
    from trainer.views.feedback import scenario_title

    rows = sorted(progress.scenarios, key=lambda s: (-s.improvement, scenario_title(s.scenario_id)))
    return [{
        t("progress.scenario", language): scenario_title(s.scenario_id),
        t("progress.tries", language): s.attempts,
        t("progress.first", language): round(s.first),
        t("progress.best", language): round(s.best),
        t("progress.gain", language): round(s.best) - round(s.first),
    } for s in rows]


def progress_screen(*, session: Session, actor: Actor, language: str, trainee_id: int | None = None) -> ProgressScreen:
    """A trainee's progress: the logged-in user's own, or (`trainee_id`) one of the trainees a
    manager, observer or admin may read (the services check the right and refuse otherwise)."""
    whose = actor.id if trainee_id is None else trainee_id
    progress = progress_service.trainee_progress(session=session, actor=actor, trainee_id=whose, language=language)
    cells = progress_service.medium_type_grid(session=session, actor=actor, trainee_id=whose)
    eligibility = {level: certification.check_eligibility(session=session, actor=actor, trainee_id=whose, level=level)
                   for level in load_policy().levels}
    held = certification.list_certifications(session=session, actor=actor, trainee_id=whose)
    name = None if whose == actor.id else session.get(User, whose).full_name
    figures, note = _figures(progress, language)
    total = t("progress.total", language)
    weakest = None
    if progress.weakest_dimension:
        weakest = t("progress.weakest" if name is None else "progress.weakest_of", language, name=escape(name or ""),
                    dimension=dimension_label(progress.weakest_dimension, language),
                    score=f"{progress.by_dimension[progress.weakest_dimension]:.0f}")
    checklist = _checklist(eligibility, held, language)
    if name is not None:  # "you meet every requirement, ask your manager" is for the trainee
        eligible = t("progress.eligible", language)
        checklist = [replace(c, summary=t("progress.eligible_of", language, name=escape(name))) if c.summary == eligible else c
                     for c in checklist]
    return ProgressScreen(
        figures=figures, overrides_note=note, empty=progress.overall.replies == 0, total_label=total,
        over_time=_over_time(progress, total, language), weakest=weakest, skills=_skills(progress, language),
        grid=_grid(cells, language), checklist=checklist, first_to_best=_first_to_best(progress, language),
        title=t("nav.progress", language) if name is None else t("progress.title_of", language, name=escape(name)),
        intro=t("progress.intro", language) if name is None else t("progress.intro_of", language, name=escape(name)),
    )
