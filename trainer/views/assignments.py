"""The assignment screens: the trainee's "Te doen" and the manager's "Opdrachten" (set work with a
due date, see who is on track, late or done). Ready to show: scenario titles, media, scenario
types and level names instead of ids, Dutch dates, Amsterdam's calendar; refusals turned into the user's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, select

from scenarios.loader import scenario_catalogue
from scenarios.schema import SCENARIO_TYPES
from scoring.config import media_catalogue
from trainer.db.models import ANY_TARGET, AssignmentCreate, AssignmentKind, Team, User
from trainer.i18n import t
from trainer.services import assignments
from trainer.services.assignment_targets import mix_target, split_mix
from trainer.services.errors import NotFound
from trainer.services.onboarding import onboarding_paths
from trainer.services.policy import load_policy
from trainer.services.rights import Actor, PermissionDenied, managed_team_ids

ICONS = {assignments.Standing.on_track: "🟡", assignments.Standing.late: "🔴", assignments.Standing.done: "✅"}


def default_due() -> date:
    """A week from today on the contact centre's calendar."""
    return assignments.today() + timedelta(days=7)


def day(value: date) -> str:
    return f"{value:%d-%m-%Y}"


def _medium_name(medium: str, language: str) -> str:
    found = media_catalogue().media.get(medium)
    return found.name(language) if found else medium


def _type_name(scenario_type: str, language: str) -> str:
    return t(f"type.{scenario_type}", language) if scenario_type in SCENARIO_TYPES else scenario_type


def work_label(kind: str, target: str, language: str) -> str:
    kind = AssignmentKind(kind)
    if kind is AssignmentKind.level:
        level = load_policy().levels.get(target)
        return t("assignments.level", language, level=level.name(language) if level else target)
    if kind is AssignmentKind.mix:
        medium, scenario_type = split_mix(target)
        return t("assignments.mix", language, type=_type_name(scenario_type, language),
                 medium=_medium_name(medium, language))
    if kind in (AssignmentKind.drill, AssignmentKind.typing):
        return t(f"assignments.{kind.value}", language)
    scenario = scenario_catalogue().get(target)
    return t("assignments.scenario", language, title=scenario.title if scenario else target)


@dataclass(frozen=True)
class Row:
    trainee: str
    work: str
    due: str
    standing: str  # icon and word
    # Open practice work: the practise page's query to start it from "Te doen" (?scenario= starts that
    # scenario; ?medium=&type= of a mix opens the choice on them).
    practise: dict[str, str] | None = None
    typing: bool = False  # an open typing test assignment: "Te doen" links to the typing test


def _practise_query(kind: str, target: str) -> dict[str, str] | None:
    if kind == AssignmentKind.scenario:
        return {"scenario": target}
    if kind == AssignmentKind.mix:
        medium, scenario_type = split_mix(target)
        return {"medium": medium, "type": scenario_type}
    return None


def _row(status: assignments.AssignmentStatus, language: str) -> Row:
    a = status.assignment
    open_work = status.standing is not assignments.Standing.done
    return Row(
        trainee=status.trainee_name, work=work_label(a.kind, a.target, language), due=day(a.due_on),
        standing=f"{ICONS[status.standing]} {t(f'assignments.{status.standing.value}', language)}",
        practise=_practise_query(a.kind, a.target) if open_work else None,
        typing=a.kind == AssignmentKind.typing and open_work,
    )


def todo_screen(*, session: Session, actor: Actor, language: str) -> list[Row]:
    """The trainee's own open and done work, open first and soonest due first."""
    return [_row(s, language) for s in assignments.my_assignments(session=session, actor=actor)]


@dataclass(frozen=True)
class ManagerScreen:
    teams: dict[int, str]  # the teams the manager leads
    trainees: dict[int, str]  # of the chosen team
    scenarios: dict[str, str]  # id -> title, in the chosen language
    levels: dict[str, str]  # id -> name
    media: dict[str, str]  # medium id -> name, for a mix
    types: dict[str, str]  # scenario type -> name, for a mix
    paths: dict[str, str]  # onboarding path id -> name
    rows: list[Row]


def manager_screen(*, session: Session, actor: Actor, language: str, team_id: int | None) -> ManagerScreen:
    ids = managed_team_ids(session, actor.id) if actor.id is not None else set()
    teams = dict(session.exec(select(Team.id, Team.name).where(Team.id.in_(ids)).order_by(Team.name)).all()) if ids else {}  # type: ignore[attr-defined]
    chosen = team_id if team_id in teams else next(iter(teams), None)
    rows, trainees = [], {}
    if chosen is not None:
        rows = [_row(s, language) for s in assignments.team_assignments(session=session, actor=actor, team_id=chosen)]
        trainees = {u.id: u.full_name for u in assignments.team_trainees(session, chosen)}
    scenarios = {s.id: s.title for s in sorted(scenario_catalogue().values(), key=lambda s: s.title) if s.language == language}
    levels = {key: level.name(language) for key, level in load_policy().levels.items()}
    paths = {key: path.name(language) for key, path in onboarding_paths().items()}
    media = {key: medium.name(language) for key, medium in media_catalogue().media.items()}
    types = {key: _type_name(key, language) for key in SCENARIO_TYPES}
    return ManagerScreen(teams=teams, trainees=trainees, scenarios=scenarios, levels=levels, media=media, types=types,
                         paths=paths, rows=rows)


# The manager's form offers every kind, in this order.
KINDS = tuple(k.value for k in (AssignmentKind.scenario, AssignmentKind.mix, AssignmentKind.drill, AssignmentKind.typing,
                                AssignmentKind.level))


def target_of(kind: str, *, scenario: str | None, level: str | None, medium: str | None,
              scenario_type: str | None) -> str:
    """The target the form's choices make for `kind` (a drill or the typing test names none)."""
    kind = AssignmentKind(kind)
    if kind is AssignmentKind.mix:
        return mix_target(medium or "", scenario_type or "")
    if kind in (AssignmentKind.drill, AssignmentKind.typing):
        return ANY_TARGET
    return (scenario if kind is AssignmentKind.scenario else level) or ""


REFUSALS = (assignments.AssignmentError, NotFound, PermissionDenied)


def refusal(refused: Exception, language: str) -> str:
    """Why the work was not given, in the manager's language (one of REFUSALS)."""
    if isinstance(refused, assignments.AssignmentError):
        return t(f"assignments.error_{refused.code}", language)
    if isinstance(refused, NotFound):
        return t(f"assignments.error_unknown_{refused.kind.replace(' ', '_')}", language)
    return t("assignments.not_allowed", language)


def assign(
    *, session: Session, actor: Actor, language: str, kind: str, target: str, due_on: date, team_id: int,
    trainee_id: int | None,
) -> tuple[bool, str]:
    """Set the work for one trainee, or the whole team when `trainee_id` is None; (saved, message)."""
    try:
        rows = assignments.assign(
            session=session, actor=actor, assignment_create=AssignmentCreate(kind=kind, target=target, due_on=due_on),
            trainee_ids=[trainee_id] if trainee_id is not None else None, team_id=None if trainee_id is not None else team_id,
        )
    except REFUSALS as refused:
        return False, refusal(refused, language)
    return True, t("assignments.saved", language, count=len(rows), work=work_label(kind, target, language), due=day(due_on))


def assign_path(*, session: Session, actor: Actor, language: str, path_id: str, trainee_id: int) -> tuple[bool, str]:
    """Give a new colleague a whole onboarding path; (saved, message)."""
    try:
        rows = assignments.assign_path(session=session, actor=actor, path_id=path_id, trainee_id=trainee_id)
    except REFUSALS as refused:
        return False, refusal(refused, language)
    last = max(r.due_on for r in rows)
    return True, t("assignments.path_saved", language, count=len(rows), path=onboarding_paths()[path_id].name(language),
                   due=day(last))
