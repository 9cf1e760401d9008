"""The observer (a second trainer, an auditor): reads their team's overview, transcripts and
progress, and every change is refused inside the services."""

from __future__ import annotations

from datetime import date

import pytest

from trainer.db.models import AssignmentCreate, AssignmentKind, AttemptCreate, Score
from trainer.services import assignments, attempts, certification, export, progress, reviews
from trainer.services.rights import Action, PermissionDenied, can

from .conftest import scored_reply


def test_observer_reads_their_teams_overview_transcripts_and_progress(session, world, olga):
    reply = scored_reply(session, world.tom)
    attempt_id = session.get(Score, reply.score_id).attempt_id
    overview = progress.team_overview(session=session, actor=olga, team_id=world.reizen.id)
    assert "Tom Trainee" in [m.full_name for m in overview.members]
    assert attempts.attempt_detail(session=session, actor=olga, attempt_id=attempt_id).attempt.user_id == world.tom.id
    assert progress.trainee_progress(session=session, actor=olga, trainee_id=world.tom.id).overall.replies == 1
    assert assignments.team_assignments(session=session, actor=olga, team_id=world.reizen.id) == []


def test_observer_reads_nothing_of_another_team(session, world, olga):
    with pytest.raises(PermissionDenied):
        progress.team_overview(session=session, actor=olga, team_id=world.energie.id)
    with pytest.raises(PermissionDenied):
        progress.trainee_progress(session=session, actor=olga, trainee_id=world.eva.id)


def test_observer_changes_nothing(session, world, olga):
    reply = scored_reply(session, world.tom)
    refused = [
        lambda: reviews.add_review(session=session, actor=olga, score_id=reply.score_id, comment="Goed."),
        lambda: reviews.override_score(session=session, actor=olga, score_id=reply.score_id, override=90, reason="Beter."),
        lambda: certification.grant(session=session, actor=olga, trainee_id=world.tom.id, level="basic_webcare",
                                    comment="Geslaagd."),
        lambda: assignments.assign(session=session, actor=olga, trainee_ids=[world.tom.id], assignment_create=AssignmentCreate(
            kind=AssignmentKind.level, target="basic_webcare", due_on=date(2026, 12, 31))),
        lambda: attempts.start_attempt(session=session, actor=olga, attempt_create=AttemptCreate(
            scenario_id="s", scenario_version="1", scenario_type="cancellation", medium="twitter")),
        lambda: list(export.attempt_rows(session=session, actor=olga, team_id=world.reizen.id)),
    ]
    for attempt_change in refused:
        with pytest.raises(PermissionDenied):
            attempt_change()


def test_observer_is_never_given_a_teams_work(session, world, olga):
    given = assignments.assign(session=session, actor=world.mila, team_id=world.reizen.id, assignment_create=AssignmentCreate(
        kind=AssignmentKind.level, target="basic_webcare", due_on=date(2026, 12, 31)))
    assert olga.id not in {g.user_id for g in given}
    with pytest.raises(PermissionDenied):
        assignments.assign(session=session, actor=world.mila, trainee_ids=[olga.id], assignment_create=AssignmentCreate(
            kind=AssignmentKind.level, target="basic_webcare", due_on=date(2026, 12, 31)))


def test_observer_sees_their_teams_reports_only(session, world, olga):
    assert can(olga, Action.see_reports, world.reizen, session=session)
    assert not can(olga, Action.see_reports, world.energie, session=session)


def test_observer_watches_their_teams_drills_and_answers_no_customer(session, world, olga):
    from trainer.db.drill_models import DrillRun
    from trainer.services import drills

    ours = drills.create_drill(session=session, actor=world.mila, template_id="nl-storm-schiphol", team_id=world.reizen.id)
    theirs = DrillRun(id="other-team-run", template_id="t", language="nl", team_id=world.energie.id,
                      created_by_id=world.mark.id)
    session.add(theirs)
    session.commit()
    assert can(olga, Action.watch_drill, ours, session=session) and can(olga, Action.see_drill, ours, session=session)
    assert not can(olga, Action.work_drill, ours, session=session)
    assert not can(olga, Action.run_drill, ours, session=session)
    assert not can(olga, Action.watch_drill, theirs, session=session)
    assert can(world.tom, Action.work_drill, ours, session=session)  # a trainee of the team still works it
    assert [r.id for r in drills.drills_for(session=session, actor=olga, may=Action.watch_drill)] == [ours.id]
    assert drills.drills_for(session=session, actor=olga, may=Action.work_drill) == []
