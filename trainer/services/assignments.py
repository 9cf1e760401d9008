"""Assignments: work a manager sets a trainee (or every trainee of a team) with a due date, and
whether each is done, on track or late.

A scenario is done with a finished conversation of it started after it was assigned; a mix
(a scenario type on a medium) with a well-ended conversation of that type started on that medium
after it was assigned; a drill with a reply in a group drill, and the typing test with a result,
both after it was assigned; a certification level when the trainee is eligible for it or holds it. Late means not done after
the due date, on the contact centre's calendar (Europe/Amsterdam), whatever the server's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from sqlmodel import Session, select

from scenarios.schema import GOOD_ENDS
from trainer.db.drill_models import DrillMessage
from trainer.db.engine import writes
from trainer.db.models import (
    Assignment, AssignmentCreate, AssignmentKind, Attempt, AttemptOutcome, Role, Team, TeamMembership,
    TypingResultRecord, User,
)
from trainer.db.types import utcnow
from trainer.services import audit, certification
from trainer.services.accounts import load_actor
from trainer.services.assignment_targets import missing, split_mix
from trainer.services.errors import NotFound
from trainer.services.rights import Action, Actor, require
from trainer import local_time



class AssignmentError(ValueError):
    """Refused with a stable `code` the screens turn into text (no_trainees); unknown work is
    NotFound, its kind "scenario", "level", "medium", "scenario type", "drill", "typing test" or "path"."""

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


class Standing(str, Enum):
    on_track = "on_track"
    late = "late"
    done = "done"


@dataclass(frozen=True)
class AssignmentStatus:
    assignment: Assignment
    trainee_name: str
    standing: Standing


def today(now: datetime | None = None) -> date:
    return local_time.today(now or utcnow())


def _check_target(create: AssignmentCreate) -> None:
    unknown = missing(create.kind, create.target)
    if unknown is not None:
        raise NotFound(*unknown)


def team_trainees(session: Session, team_id: int) -> list[User]:
    return list(session.exec(
        select(User).join(TeamMembership, TeamMembership.user_id == User.id)
        .where(TeamMembership.team_id == team_id, TeamMembership.is_manager == False, User.is_active == True,  # noqa: E712
               User.role == Role.trainee.value)
        .order_by(User.full_name)
    ).all())


@writes
def assign(
    *, session: Session, actor: Actor, assignment_create: AssignmentCreate, trainee_ids: list[int] | None = None,
    team_id: int | None = None,
) -> list[Assignment]:
    """Give `trainee_ids`, or every trainee of `team_id`, the same work; one row per trainee.
    Refused as a whole when the actor may not assign to any one of them."""
    actor = load_actor(session, actor)
    _check_target(assignment_create)
    if team_id is not None:
        team = session.get(Team, team_id)
        require(actor, Action.read_team, team, session=session)
        trainees = team_trainees(session, team_id)
    else:
        trainees = [t for t in (session.get(User, i) for i in trainee_ids or []) if t is not None]
    if not trainees:
        raise AssignmentError("no_trainees")
    for trainee in trainees:
        require(actor, Action.assign, trainee, session=session)
    rows = [
        Assignment(user_id=t.id, assigned_by_id=actor.id, kind=assignment_create.kind, target=assignment_create.target,
                   due_on=assignment_create.due_on)
        for t in trainees
    ]
    session.add_all(rows)
    session.flush()
    for row in rows:
        kind = AssignmentKind(row.kind).value
        audit.record(session, actor=actor, action="assignment.set", target_type="user", target_id=row.user_id,
                     reason=f"{kind} {row.target} due {row.due_on.isoformat()}",
                     details={"kind": kind, "target": row.target, "due_on": row.due_on.isoformat(), "assignment_id": row.id})
    session.commit()
    for row in rows:
        session.refresh(row)
    return rows


def _any(session: Session, query) -> bool:
    return session.exec(query.limit(1)).first() is not None


def _done(session: Session, actor: User, assignment: Assignment) -> bool:
    kind, since = AssignmentKind(assignment.kind), assignment.created_at
    if kind in (AssignmentKind.scenario, AssignmentKind.mix):
        mine = select(Attempt.id).where(Attempt.user_id == assignment.user_id, Attempt.started_at >= since)
        if kind is AssignmentKind.scenario:
            return _any(session, mine.where(Attempt.scenario_id == assignment.target,
                                            Attempt.outcome != AttemptOutcome.in_progress.value))
        medium, scenario_type = split_mix(assignment.target)
        return _any(session, mine.where(Attempt.medium == medium, Attempt.scenario_type == scenario_type,
                                        Attempt.outcome.in_(sorted(GOOD_ENDS))))  # type: ignore[attr-defined]
    if kind is AssignmentKind.drill:
        return _any(session, select(DrillMessage.id).where(
            DrillMessage.user_id == assignment.user_id, DrillMessage.source == "reply", DrillMessage.at >= since))
    if kind is AssignmentKind.typing:
        return _any(session, select(TypingResultRecord.id).where(
            TypingResultRecord.user_id == assignment.user_id, TypingResultRecord.at >= since))
    held = certification.list_certifications(session=session, actor=actor, trainee_id=assignment.user_id)
    if any(c.level == assignment.target and certification.status_of(c) is certification.Status.valid for c in held):
        return True
    return certification.check_eligibility(session=session, actor=actor, trainee_id=assignment.user_id,
                                           level=assignment.target).eligible


def _statuses(session: Session, actor: User, rows: list[Assignment], on: date) -> list[AssignmentStatus]:
    names = dict(session.exec(
        select(User.id, User.full_name).where(User.id.in_({r.user_id for r in rows}))  # type: ignore[attr-defined]
    ).all()) if rows else {}
    found = []
    for row in rows:
        standing = Standing.done if _done(session, actor, row) else Standing.late if on > row.due_on else Standing.on_track
        found.append(AssignmentStatus(row, names.get(row.user_id, ""), standing))
    return found


def my_assignments(*, session: Session, actor: Actor, now: datetime | None = None) -> list[AssignmentStatus]:
    """The trainee's own "Te doen": open work first (soonest due first), then what is done."""
    actor = load_actor(session, actor)
    require(actor, Action.read_attempts, actor, session=session)
    rows = list(session.exec(select(Assignment).where(Assignment.user_id == actor.id)).all())
    found = _statuses(session, actor, rows, today(now))
    return sorted(found, key=lambda s: (s.standing is Standing.done, s.assignment.due_on, s.assignment.id))


def team_assignments(*, session: Session, actor: Actor, team_id: int, now: datetime | None = None) -> list[AssignmentStatus]:
    """Every assignment of the team's trainees, for its managers: late first, then on track, then done."""
    actor = load_actor(session, actor)
    require(actor, Action.read_team, session.get(Team, team_id), session=session)
    member_ids = [u.id for u in team_trainees(session, team_id)]
    rows = list(session.exec(
        select(Assignment).where(Assignment.user_id.in_(member_ids))  # type: ignore[attr-defined]
    ).all()) if member_ids else []
    order = {Standing.late: 0, Standing.on_track: 1, Standing.done: 2}
    found = _statuses(session, actor, rows, today(now))
    return sorted(found, key=lambda s: (order[s.standing], s.assignment.due_on, s.trainee_name, s.assignment.id))


def assign_path(
    *, session: Session, actor: Actor, path_id: str, trainee_id: int, now: datetime | None = None,
) -> list[Assignment]:
    """Give one trainee every step of an onboarding path (content/onboarding.yaml), each due at
    the end of its week counted from today."""
    from trainer.services.onboarding import onboarding_paths  # the path catalogue is read on first use

    path = onboarding_paths().get(path_id)
    if path is None:
        raise NotFound("path", path_id)
    start = today(now)
    given = []
    for step in path.steps:
        given += assign(session=session, actor=actor, trainee_ids=[trainee_id], assignment_create=AssignmentCreate(
            kind=step.kind, target=step.target, due_on=start + timedelta(days=7 * step.week)))
    return given
