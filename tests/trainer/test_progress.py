"""Progress queries on a small, hand-checked history."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from trainer.db.models import AttemptCreate
from trainer.services import attempts, progress
from trainer.services.attempts import ReplySubmission
from trainer.services.policy import load_policy
from trainer.services.rights import PermissionDenied

from .conftest import make_scorecard

WEEK1 = datetime(2026, 10, 5, 9, 0, tzinfo=timezone.utc)  # a Monday
WEEK2 = WEEK1 + timedelta(days=8)


def _attempt(session, trainee, scenario_id, scenario_type, medium, at, dimensions):
    attempt = attempts.start_attempt(
        session=session, actor=trainee, started_at=at,
        attempt_create=AttemptCreate(scenario_id=scenario_id, scenario_version="1", scenario_type=scenario_type, medium=medium),
    )
    attempts.submit_reply(
        session=session, actor=trainee, scorecard=make_scorecard(dimensions, medium=medium),
        submission=ReplySubmission(attempt_id=attempt.id, submission_id=uuid.uuid4(), text="Antwoord", shown_at=at, sent_at=at + timedelta(minutes=1)),
    )
    return attempt


@pytest.fixture
def history(session, world):
    _attempt(session, world.tom, "s1", "angry_customer", "twitter", WEEK1, {"tone": 40, "spelling": 80})
    _attempt(session, world.tom, "s1", "angry_customer", "twitter", WEEK2, {"tone": 80, "spelling": 90})
    _attempt(session, world.tom, "s2", "cancellation", "email", WEEK2 + timedelta(hours=2), {"tone": 70, "spelling": 100})
    _attempt(session, world.tess, "s1", "angry_customer", "twitter", WEEK2, {"tone": 100, "spelling": 100})
    _attempt(session, world.eva, "s1", "angry_customer", "twitter", WEEK2, {"tone": 10, "spelling": 10})  # other team
    return world


def test_progress_trainee_per_medium_type_dimension_and_week(session, history):
    p = progress.trainee_progress(session=session, actor=history.tom, trainee_id=history.tom.id)
    assert p.attempts == 3 and p.overall.replies == 3
    assert p.overall.mean_total == pytest.approx((60 + 85 + 85) / 3)
    assert p.overall.pass_rate == pytest.approx(2 / 3)
    assert {m: (f.replies, f.mean_total, f.pass_rate) for m, f in p.by_medium.items()} == {
        "email": (1, 85, 1.0), "twitter": (2, 72.5, 0.5)
    }
    assert {t: f.replies for t, f in p.by_scenario_type.items()} == {"angry_customer": 2, "cancellation": 1}
    assert p.by_dimension == pytest.approx({"spelling": 90, "tone": (40 + 80 + 70) / 3})
    assert p.weakest_dimension == "tone"
    assert [(w.week, w.replies, w.mean_total) for w in p.over_time] == [
        (WEEK1.date(), 1, 60), (WEEK1.date() + timedelta(days=7), 2, 85)
    ]
    assert p.over_time[1].dimensions == {"spelling": 95, "tone": 75}


def test_progress_first_to_best_per_scenario(session, history):
    p = progress.trainee_progress(session=session, actor=history.tom, trainee_id=history.tom.id)
    assert [(s.scenario_id, s.attempts, s.first, s.best, s.improvement) for s in p.scenarios] == [
        ("s1", 2, 60, 85, 25), ("s2", 1, 85, 85, 0)
    ]


def test_progress_comparison_with_the_team_leaves_other_teams_out(session, history):
    p = progress.trainee_progress(session=session, actor=history.tom, trainee_id=history.tom.id)
    assert p.team_name == "Reizen"
    assert p.team_by_dimension == pytest.approx({"tone": (40 + 80 + 70 + 100) / 4, "spelling": (80 + 90 + 100 + 100) / 4})
    assert p.team_mean_total == pytest.approx((60 + 85 + 85 + 100) / 4)


def test_progress_since_limits_the_window(session, history):
    p = progress.trainee_progress(session=session, actor=history.tom, trainee_id=history.tom.id, since=WEEK2)
    assert p.attempts == 2 and p.overall.replies == 2 and p.scenarios[0].first == 85


def test_progress_skills_weighted_toward_recent(session, history):
    p = progress.trainee_progress(session=session, actor=history.tom, trainee_id=history.tom.id, language="en")
    half_life = load_policy().proficiency.recent_half_life
    weights = [1, 0.5 ** (1 / half_life), 0.5 ** (2 / half_life)]
    expected_tone = (70 * weights[0] + 80 * weights[1] + 40 * weights[2]) / sum(weights)
    assert p.skills["tone"].recent_score == pytest.approx(expected_tone, abs=0.05)
    assert p.skills["tone"].recent_score > p.by_dimension["tone"]  # the recent, better replies count more
    assert (p.skills["tone"].level, p.skills["tone"].label) == ("developing", "Developing")
    assert p.skills["spelling"].level == "excellent"  # 80, 90, 100: the mean is 90, the recent mean higher


def test_progress_weighted_recent_halves_per_half_life():
    assert progress.weighted_recent([0, 100], half_life=1) == pytest.approx(100 / 1.5)
    assert progress.weighted_recent([42], half_life=5) == 42


@pytest.mark.parametrize(
    "score, level",
    [(0, "needs_work"), (49.9, "needs_work"), (50, "developing"), (74.9, "developing"), (75, "proficient"),
     (89.9, "proficient"), (90, "excellent"), (100, "excellent")],
)
def test_progress_proficiency_levels(score, level):
    assert load_policy().proficiency.level_for(score).id == level


def test_progress_team_overview(session, history):
    overview = progress.team_overview(session=session, actor=history.mila, team_id=history.reizen.id)
    assert overview.team_name == "Reizen"
    assert [m.full_name for m in overview.members] == ["Tess Trainee", "Tom Trainee"]
    tom = overview.members[1]
    assert (tom.attempts, tom.replies, tom.critical_findings) == (3, 3, 0)
    assert tom.mean_total == pytest.approx(230 / 3) and tom.pass_rate == pytest.approx(2 / 3)
    assert tom.weakest_dimension == "tone"
    assert tom.last_activity == WEEK2 + timedelta(hours=2, minutes=1)
    assert overview.by_dimension == pytest.approx({"tone": 72.5, "spelling": 92.5})
    assert overview.mean_total == pytest.approx(330 / 4)


def test_progress_trainee_with_no_history(session, world):
    p = progress.trainee_progress(session=session, actor=world.tess, trainee_id=world.tess.id)
    assert (p.attempts, p.overall.replies, p.overall.mean_total, p.weakest_dimension) == (0, 0, None, None)
    assert p.skills == {} and p.over_time == [] and p.scenarios == []
    overview = progress.team_overview(session=session, actor=world.mila, team_id=world.reizen.id)
    assert all(m.replies == 0 and m.mean_total is None for m in overview.members)


def test_progress_forbidden_reads_are_refused(session, history):
    forbidden = [
        lambda: progress.trainee_progress(session=session, actor=history.tess, trainee_id=history.tom.id),
        lambda: progress.trainee_progress(session=session, actor=history.mark, trainee_id=history.tom.id),
        lambda: progress.team_overview(session=session, actor=history.mark, team_id=history.reizen.id),
        lambda: progress.team_overview(session=session, actor=history.tom, team_id=history.reizen.id),
    ]
    for call in forbidden:
        with pytest.raises(PermissionDenied):
            call()
    assert progress.trainee_progress(session=session, actor=history.mila, trainee_id=history.tom.id).attempts == 3
    assert progress.team_overview(session=session, actor=history.admin, team_id=history.energie.id).members


def test_progress_trainee_in_two_teams_shows_each_manager_only_their_own_team(session, history):
    from trainer.services.accounts import add_member
    from trainer.services.rights import SYSTEM

    add_member(session=session, actor=SYSTEM, team_id=history.energie.id, user_id=history.tom.id)
    seen_by_mark = progress.trainee_progress(session=session, actor=history.mark, trainee_id=history.tom.id)
    assert seen_by_mark.team_name == "Energie"
    # Energie's means: Eva's reply and Tom's three, never Tess's from Reizen.
    assert seen_by_mark.team_by_dimension["tone"] == pytest.approx((10 + 40 + 80 + 70) / 4)
    seen_by_mila = progress.trainee_progress(session=session, actor=history.mila, trainee_id=history.tom.id)
    assert seen_by_mila.team_name == "Reizen"
