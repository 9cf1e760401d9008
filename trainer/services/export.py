"""Export of scored replies for analysis elsewhere (`webcare export attempts --format csv`).

One row per scored reply with its attempt, trainee and every dimension score. Admins (and the
command line) export everything; a manager only the teams they manage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import TextIO

from sqlmodel import Session, select

from scoring.config import DIMENSIONS
from trainer.db.models import Attempt, DimensionScore, Role, Score, TeamMembership, Turn, User
from trainer.services import audit
from trainer.services.accounts import load_actor
from trainer.services.export_csv import write_rows
from trainer.services.rights import Action, Actor, SystemActor, managed_team_ids, require

COLUMNS = [
    "attempt_id", "trainee_email", "trainee_name", "scenario_id", "scenario_version", "scenario_type", "medium",
    "language", "seed", "drill_run_id", "started_at", "finished_at", "outcome", "turn_id", "shown_at", "sent_at",
    "seconds_to_reply", "action", "total", "passed", "pass_mark", "critical_findings",
    *[f"{name}_score" for name in DIMENSIONS], *[f"{name}_version" for name in DIMENSIONS],
]
_BATCH = 2000


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""


def attempt_rows(*, session: Session, actor: Actor, team_id: int | None = None) -> Iterator[dict[str, object]]:
    """The rows, oldest first, read in batches so a large export does not fill memory."""
    actor = load_actor(session, actor)
    require(actor, Action.export, session=session)
    query = (
        select(Score, Turn, Attempt, User)
        .join(Turn, Turn.id == Score.turn_id)
        .join(Attempt, Attempt.id == Score.attempt_id)
        .join(User, User.id == Score.user_id)
        .order_by(Score.id)
    )
    allowed_teams: set[int] | None = None
    if not isinstance(actor, SystemActor) and Role(actor.role) is not Role.admin:
        allowed_teams = managed_team_ids(session, actor.id)
        if team_id is not None and team_id not in allowed_teams:
            allowed_teams = set()
    if team_id is not None:
        allowed_teams = {team_id} if allowed_teams is None else allowed_teams & {team_id}
    audit.record_access(session, actor=actor, action="export.attempts", target_type="team" if team_id else "all",
                        target_id=team_id or "", details={"team_id": team_id} if team_id else {})
    if allowed_teams is not None:
        members = select(TeamMembership.user_id).where(
            TeamMembership.team_id.in_(allowed_teams), TeamMembership.is_manager == False  # type: ignore[attr-defined]  # noqa: E712
        )
        query = query.where(Score.user_id.in_(members))  # type: ignore[attr-defined]

    last_id = 0
    while True:
        batch = session.exec(query.where(Score.id > last_id).limit(_BATCH)).all()
        if not batch:
            return
        last_id = batch[-1][0].id
        dims: dict[int, dict[str, DimensionScore]] = defaultdict(dict)
        for row in session.exec(select(DimensionScore).where(DimensionScore.score_id.in_([b[0].id for b in batch]))):  # type: ignore[attr-defined]
            dims[row.score_id][row.name] = row
        for score, turn, attempt, user in batch:
            seconds = (turn.sent_at - turn.shown_at).total_seconds() if turn.sent_at and turn.shown_at else None
            row: dict[str, object] = {
                "attempt_id": attempt.id, "trainee_email": user.email, "trainee_name": user.full_name,
                "scenario_id": attempt.scenario_id, "scenario_version": attempt.scenario_version,
                "scenario_type": attempt.scenario_type, "medium": attempt.medium, "language": attempt.language,
                "seed": attempt.seed, "drill_run_id": attempt.drill_run_id or "", "started_at": _iso(attempt.started_at),
                "finished_at": _iso(attempt.finished_at), "outcome": attempt.outcome, "turn_id": turn.id,
                "shown_at": _iso(turn.shown_at), "sent_at": _iso(turn.sent_at),
                "seconds_to_reply": "" if seconds is None else round(seconds, 1), "action": turn.action or "",
                "total": score.total, "passed": score.passed, "pass_mark": score.pass_mark,
                "critical_findings": score.critical_findings,
            }
            for name in DIMENSIONS:
                found = dims[score.id].get(name)
                row[f"{name}_score"] = "" if found is None or found.score is None else found.score
                row[f"{name}_version"] = found.version if found else ""
            yield row


def write_csv(rows: Iterator[dict[str, object]], stream: TextIO) -> int:
    return write_rows(stream, COLUMNS, rows)
