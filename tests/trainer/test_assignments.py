"""Assignments: who may set them, a whole team at once, and on track / late / done."""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlmodel import select

from trainer.db.models import ANY_TARGET, Assignment, AssignmentCreate, AssignmentKind, AttemptCreate, AttemptOutcome
from trainer.db.types import utcnow
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


@pytest.mark.parametrize(("work", "kind", "key"), [
    (_work(target="no-such-scenario"), "scenario", "no-such-scenario"),
    (_work(AssignmentKind.level, "grandmaster"), "level", "grandmaster"),
    (_work(AssignmentKind.mix, "telex:escalation"), "medium", "telex"),
    (_work(AssignmentKind.mix, "whatsapp:small_talk"), "scenario type", "small_talk"),
    (_work(AssignmentKind.mix, "whatsapp"), "scenario type", ""),
    (_work(AssignmentKind.drill, "nl-storm-schiphol"), "drill", "nl-storm-schiphol"),
    (_work(AssignmentKind.typing, "fast"), "typing test", "fast"),
])
def test_assignments_unknown_work_is_not_found_by_kind(session, world, work, kind, key):
    with pytest.raises(NotFound) as refused:
        assignments.assign(session=session, actor=world.mila, assignment_create=work, trainee_ids=[world.tom.id])
    assert refused.value.kind == kind and refused.value.key == key
    assert session.exec(select(Assignment)).all() == []


def _standing(session, trainee, on: date | None = None) -> Standing:
    now = None if on is None else datetime(on.year, on.month, on.day, 12, 0, tzinfo=timezone.utc)
    return assignments.my_assignments(session=session, actor=trainee, now=now)[0].standing


def _give(session, world, kind, target=ANY_TARGET, due=None) -> date:
    due = due or assignments.today() + timedelta(days=7)
    assignments.assign(session=session, actor=world.mila, trainee_ids=[world.tom.id],
                       assignment_create=_work(kind, target, due))
    return due


def _start(session, trainee, medium="whatsapp", scenario_type="angry_customer"):
    return attempts.start_attempt(session=session, actor=trainee, attempt_create=AttemptCreate(
        scenario_id=SCENARIO, scenario_version="1", scenario_type=scenario_type, medium=medium))


def test_assignments_a_mix_is_done_with_a_good_end_of_that_type_on_that_medium_after_it_was_set(session, world):
    early = _start(session, world.tom)  # started before the work was set: never counts
    due = _give(session, world, AssignmentKind.mix, "whatsapp:angry_customer")
    attempts.finish_attempt(session=session, actor=world.tom, attempt_id=early.id, outcome=AttemptOutcome.resolved)
    for medium, scenario_type, outcome in [
        ("whatsapp", "angry_customer", AttemptOutcome.escalated),  # a bad end
        ("twitter", "angry_customer", AttemptOutcome.resolved),  # another medium
        ("whatsapp", "cancellation", AttemptOutcome.resolved),  # another type
    ]:
        other = _start(session, world.tom, medium, scenario_type)
        attempts.finish_attempt(session=session, actor=world.tom, attempt_id=other.id, outcome=outcome)
    _start(session, world.tom)  # still going
    assert _standing(session, world.tom) is Standing.on_track
    assert _standing(session, world.tom, due + timedelta(days=1)) is Standing.late
    good = _start(session, world.tom)
    attempts.finish_attempt(session=session, actor=world.tom, attempt_id=good.id, outcome=AttemptOutcome.moved_private)
    assert _standing(session, world.tom, due + timedelta(days=1)) is Standing.done


def _typing_result(at: datetime):
    from trainer.services import typing_test

    test = typing_test.new_test("nl", at - timedelta(seconds=30), random.Random(3))
    return typing_test.measure(test, test.target, at)


def test_assignments_the_typing_test_is_done_with_a_result_after_it_was_set(session, world):
    from trainer.services import typing_test

    typing_test.record_result(session=session, actor=world.tom, result=_typing_result(utcnow()))  # before: not it
    due = _give(session, world, AssignmentKind.typing)
    typing_test.record_result(session=session, actor=world.tess, result=_typing_result(utcnow()))  # someone else
    assert _standing(session, world.tom) is Standing.on_track
    assert _standing(session, world.tom, due + timedelta(days=1)) is Standing.late
    typing_test.record_result(session=session, actor=world.tom, result=_typing_result(utcnow()))
    assert _standing(session, world.tom, due + timedelta(days=1)) is Standing.done


def test_assignments_a_drill_is_done_with_a_reply_in_a_group_drill_after_it_was_set(session, world, offline_checker):
    from trainer.services import drills

    start = utcnow() - timedelta(minutes=5)
    run = drills.create_drill(session=session, actor=world.mila, template_id="nl-storm-schiphol",
                              team_id=world.reizen.id, seed=5, now=start)
    drills.start_drill(session=session, actor=world.mila, run_id=run.id, now=start)

    def reply(now: datetime) -> None:
        drills.advance(session=session, actor=world.mila, run_id=run.id, now=now)
        waiting = next(i for i in drills.inbox(session=session, actor=world.tom, run_id=run.id, now=now)
                       if i.claimed_by is None)
        drills.claim(session=session, actor=world.tom, conversation_id=waiting.id, now=now)
        drills.send_reply(session=session, actor=world.tom, conversation_id=waiting.id, submission_id=uuid.uuid4(),
                          text="Wat vervelend! Ik zoek het direct voor je uit. ^Tom", checker=offline_checker, now=now)

    reply(start + timedelta(seconds=60))  # before the work was set
    due = _give(session, world, AssignmentKind.drill)
    assert _standing(session, world.tom) is Standing.on_track
    assert _standing(session, world.tom, due + timedelta(days=1)) is Standing.late
    reply(utcnow())
    assert _standing(session, world.tom, due + timedelta(days=1)) is Standing.done


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


def _refused_path(folder, *steps: str):
    """What loading an onboarding.yaml with these steps (from line 5 on) reports; it must be refused."""
    from scoring.contentfile import ContentInvalid
    from trainer.services.onboarding import load_paths

    (folder / "onboarding.yaml").write_text(
        "paths:\n  p:\n    name: {nl: P, en: P}\n    steps:\n" + "".join(f"      - {step}\n" for step in steps),
        encoding="utf-8")
    with pytest.raises(ContentInvalid) as refused:
        load_paths(folder)
    return refused.value


def test_assignments_onboarding_mistakes_name_file_and_line(tmp_path):
    unknown_scenario = "{week: 1, kind: scenario, target: nl-bestaat-niet}"
    assert "onboarding.yaml:6" in str(_refused_path(tmp_path, unknown_scenario, "{week: 0, kind: level, target: basic_webcare}"))
    unknown = _refused_path(tmp_path, unknown_scenario, "{week: 2, kind: level, target: meester}")
    assert [(e.line, e.code) for e in unknown.errors] == [(5, "E600"), (6, "E601")]
    assert "'nl-bestaat-niet' is not a scenario" in str(unknown)


@pytest.mark.parametrize(("step", "code", "says"), [
    ("{week: 1, kind: mix, target: 'telex:escalation'}", "E602", "'telex' is not a medium in content/media.yaml"),
    ("{week: 1, kind: mix, target: 'whatsapp:small_talk'}", "E603", "'small_talk' is not a scenario type"),
    ("{week: 2, kind: drill, target: nl-storm-schiphol}", "E604", "'nl-storm-schiphol' must be 'any'"),
    ("{week: 2, kind: typing, target: fast}", "E604", "'fast' must be 'any'"),
])
def test_assignments_onboarding_new_kinds_name_file_and_line(tmp_path, step, code, says):
    refused = _refused_path(tmp_path, "{week: 1, kind: typing, target: any}",
                            "{week: 1, kind: mix, target: 'email:handover'}", step)  # the first two are fine
    assert [(e.line, e.code) for e in refused.errors] == [(7, code)]
    assert "onboarding.yaml:7" in str(refused) and says in str(refused)


def test_assignments_the_onboarding_path_follows_the_issue():
    """Week 1 the typing test and the basics, week 2 escalations, a group drill and the first level."""
    from trainer.services.onboarding import onboarding_paths

    weeks = {}
    for step in onboarding_paths()["nieuwe_collega"].steps:
        weeks.setdefault(step.week, set()).add(step.kind)
    assert weeks == {1: {AssignmentKind.typing, AssignmentKind.scenario},
                     2: {AssignmentKind.scenario, AssignmentKind.mix, AssignmentKind.drill, AssignmentKind.level}}
