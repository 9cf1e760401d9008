"""The demo history's pace: reply times that fit each medium's target handling time."""

from __future__ import annotations

import random
from statistics import mean

import pytest
from sqlmodel import select

from scoring.config import media_catalogue
from trainer.db.models import Attempt, DimensionScore, Score, Speaker, Turn
from trainer.services import certification
from trainer.services.demo import MIN_REPLY_SECONDS, reply_seconds, seed_demo

MEDIA = media_catalogue().media


@pytest.mark.parametrize("medium", sorted(MEDIA))
def test_demo_reply_seconds_mostly_within_the_medium_target_some_slower(medium):
    target = MEDIA[medium].target_seconds
    taken = [reply_seconds(target, random.Random(seed)) for seed in range(2000)]
    within = sum(seconds <= target for seconds in taken) / len(taken)
    well_over = sum(seconds > 2 * target for seconds in taken) / len(taken)
    assert 0.6 <= within <= 0.8  # most within the target, as a trained webcare employee
    assert 0.01 <= well_over <= 0.1  # and now and then a slow one, as real trainees are
    assert min(taken) >= MIN_REPLY_SECONDS and max(taken) <= 2.5 * target


def test_demo_reply_seconds_are_the_same_for_the_same_seed():
    first, second = random.Random(11), random.Random(11)
    assert [reply_seconds(60, first) for _ in range(50)] == [reply_seconds(60, second) for _ in range(50)]


def test_demo_seed_scores_speed_plausibly_on_every_medium_played(session):
    """Before, every demo reply took 30-300 s whatever the medium: web chat (target 60 s) mostly
    scored Speed 20, which made the demo look broken."""
    seed_demo(session=session, trainees=3, weeks=2, seed=3)
    rows = session.exec(
        select(Attempt.medium, Turn.shown_at, Turn.sent_at, DimensionScore.score)
        .join(Turn, Turn.attempt_id == Attempt.id).join(Score, Score.turn_id == Turn.id)
        .join(DimensionScore, DimensionScore.score_id == Score.id)
        .where(Turn.speaker == Speaker.trainee, DimensionScore.name == "speed")
    ).all()
    assert len({medium for medium, *_ in rows}) >= 3
    for medium, shown_at, sent_at, _ in rows:
        assert MIN_REPLY_SECONDS <= (sent_at - shown_at).total_seconds() <= 2.5 * MEDIA[medium].target_seconds
    within = [(sent_at - shown_at).total_seconds() <= MEDIA[medium].target_seconds for medium, shown_at, sent_at, _ in rows]
    assert sum(within) / len(within) >= 0.5
    speed = [score for *_, score in rows]
    assert mean(speed) >= 75 and sum(score <= 20 for score in speed) / len(speed) < 0.05


@pytest.mark.parametrize("seed", [2, 7])
def test_demo_seed_star_has_passed_every_medium_and_type_basic_certification_asks_for(session, seed):
    """The certification screens need a case: the star's history ends with a good conversation
    on every medium and of every type basic webcare asks for (seed 7 once drew her no Facebook
    comment, and nobody in the browser tests' demo team was certified)."""
    result = seed_demo(session=session, trainees=2, weeks=2, seed=seed)
    eligibility = certification.check_eligibility(session=session, actor=result.manager,
                                                  trainee_id=result.trainees[0].id, level="basic_webcare")
    assert not {u.code for u in eligibility.unmet} & {"medium_not_passed", "scenario_type_not_passed"}
