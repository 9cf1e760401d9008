"""Assignments: who may set them, a whole team at once, and on track / late / done."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from trainer.db.models import AssignmentCreate, AssignmentKind, AttemptCreate, AttemptOutcome
from trainer.services import assignments, attempts
from trainer.services.assignments import Standing
from trainer.services.errors import NotFound
from trainer.services.rights import PermissionDenied

SCENARIO = "en-bank-double-charge"
NOW = datetime(2026, 12, 6, 12, 0, tzinfo=timezone.utc)


def _work(kind=AssignmentKind.scenario, target=SCENARIO, due=date(2026, 12, 10)) -> AssignmentCreate:
    return AssignmentCreate(kind=kind, target=target, due_on=due)


def _play(session, trainee, scenario_id=SCENARIO, outcome=AttemptOutcome.resolved):
    attempt = attempts.start_attempt(session=session, actor=trainee, attempt_create=AttemptCreate(
        scenario_id=scenario_id, scenario_version="1", scenario_type="complaint", medium="twitter"))
    attempts.finish_attempt(session=session, actor=trainee, attempt_id=attempt.id, outcome=outcome)


def test_assignments_a_team_gets_one_row_per_trainee_and_each_sees_only_their_own(session, world):
    rows = assignments.assign(session=session, actor=world.mila, assignment_create=_work(), team_id=world.reizen.id)
    assert sorted(r.user_id for r in rows) == sorted([world.tom.id, world.tess.id])  # not the manager
    mine = assignments.my_assignments(session=session, actor=world.tom, now=NOW)
    assert [(s.assignment.target, s.standing) for s in mine] == [(SCENARIO, Standing.on_track)]
    assert assignments.my_assignments(session=session, actor=world.eva, now=NOW) == []


def test_assignments_on_track_late_and_done(session, world):
    assignments.assign(session=session, actor=world.mila, assignment_create=_work(due=date(2026, 12, 5)),
                       trainee_ids=[world.tom.id, world.tess.id])
    _play(session, world.tess)
    _play(session, world.tom, scenario_id="another")  # another scenario does not count
    team = assignments.team_assignments(session=session, actor=world.mila, team_id=world.reizen.id, now=NOW)
    assert [(s.trainee_name, s.standing) for s in team] == [("Tom Trainee", Standing.late), ("Tess Trainee", Standing.done)]
    # The calendar is Amsterdam's: 23:30 UTC on the due date is already the next day there.
    due_day_evening = datetime(2026, 12, 5, 22, 30, tzinfo=timezone.utc)  # 23:30 in Amsterdam, still the 5th
    assert assignments.my_assignments(session=session, actor=world.tom, now=due_day_evening)[0].standing is Standing.on_track
    after_midnight = datetime(2026, 12, 5, 23, 30, tzinfo=timezone.utc)  # the 6th in Amsterdam
    assert assignments.my_assignments(session=session, actor=world.tom, now=after_midnight)[0].standing is Standing.late


def test_assignments_a_level_is_done_when_eligible(session, world):
    assignments.assign(session=session, actor=world.mila, trainee_ids=[world.tom.id],
                       assignment_create=_work(AssignmentKind.level, "basic_webcare"))
    assert assignments.my_assignments(session=session, actor=world.tom, now=NOW)[0].standing is Standing.on_track


@pytest.mark.parametrize(("actor", "target"), [
    ("tom", "tess"),  # a trainee assigns nothing
    ("mark", "tom"),  # another team's manager
    ("admin", "tom"),  # admins manage accounts, not trainees' work
])
def test_assignments_refused_outside_ones_own_team(session, world, actor, target):
    with pytest.raises(PermissionDenied):
        assignments.assign(session=session, actor=getattr(world, actor), assignment_create=_work(),
                           trainee_ids=[getattr(world, target).id])
    with pytest.raises(PermissionDenied):
        assignments.team_assignments(session=session, actor=world.mark, team_id=world.reizen.id)


@pytest.mark.parametrize(("work", "kind"), [
    (_work(target="no-such-scenario"), "scenario"),
    (_work(AssignmentKind.level, "grandmaster"), "level"),
])
def test_assignments_unknown_work_is_not_found_by_kind(session, world, work, kind):
    with pytest.raises(NotFound) as refused:
        assignments.assign(session=session, actor=world.mila, assignment_create=work, trainee_ids=[world.tom.id])
    assert refused.value.kind == kind and refused.value.key == work.target


def test_assignments_an_onboarding_path_in_one_go_with_due_dates_by_week(session, world):
    from trainer.services.onboarding import onboarding_paths

    path = onboarding_paths()["nieuwe_collega"]
    given = assignments.assign_path(session=session, actor=world.mila, path_id="nieuwe_collega", trainee_id=world.tom.id,
                                    now=NOW)
    assert [(g.target, g.due_on) for g in given] == [
        (step.target, date(2026, 12, 6 + 7 * step.week)) for step in path.steps]
    with pytest.raises(PermissionDenied):
        assignments.assign_path(session=session, actor=world.mark, path_id="nieuwe_collega", trainee_id=world.tom.id)
    with pytest.raises(NotFound, match="no path with id nope"):
        assignments.assign_path(session=session, actor=world.mila, path_id="nope", trainee_id=world.tom.id)


def test_assignments_onboarding_mistakes_name_file_and_line(tmp_path):
    from scoring.contentfile import ContentInvalid
    from trainer.services.onboarding import load_paths

    def loaded(second_step: str):
        (tmp_path / "onboarding.yaml").write_text(
            "paths:\n  p:\n    name: {nl: P, en: P}\n    steps:\n"
            "      - {week: 1, kind: scenario, target: nl-bestaat-niet}\n"
            f"      - {second_step}\n", encoding="utf-8")
        with pytest.raises(ContentInvalid) as refused:
            load_paths(tmp_path)
        return refused.value

    assert "onboarding.yaml:6" in str(loaded("{week: 0, kind: level, target: basic_webcare}"))
    unknown = loaded("{week: 2, kind: level, target: meester}")
    assert [(e.line, e.code) for e in unknown.errors] == [(5, "E600"), (6, "E601")]
    assert "'nl-bestaat-niet' is not a scenario" in str(unknown)
