"""The team page's "scorer vs. managers": overrides against the automatic score, per team."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from trainer.db.models import AttemptCreate
from trainer.db.types import utcnow
from trainer.services import attempts, reviews
from trainer.services.accounts import add_member
from trainer.services.attempts import ReplySubmission
from trainer.services.rights import SYSTEM, PermissionDenied
from trainer.services.errors import NotFound
from trainer.services.scorer_agreement import TOTAL, scorer_vs_managers

from .conftest import make_scorecard

SCENARIO = AttemptCreate(scenario_id="vertraging-trein", scenario_version="3", scenario_type="klacht", medium="twitter", seed=7)


def scored_reply(session, trainee, dimensions: dict[str, float]) -> int:
    attempt = attempts.start_attempt(session=session, actor=trainee, attempt_create=SCENARIO)
    now = utcnow()
    submission = ReplySubmission(attempt_id=attempt.id, submission_id=uuid.uuid4(), text="Hoi, ik zoek het uit. ^Tom",
                                 shown_at=now - timedelta(seconds=40), sent_at=now)
    return attempts.submit_reply(session=session, actor=trainee, submission=submission,
                                 scorecard=make_scorecard(dimensions)).score_id


def test_scorer_agreement_differences_per_dimension_and_rules_overruled(session, world):
    first = scored_reply(session, world.tom, {"tone": 50, "length": 80})   # tone.minor and length.minor fire
    second = scored_reply(session, world.tess, {"tone": 60, "length": 100})  # only tone.minor
    third = scored_reply(session, world.tom, {"tone": 90, "length": 100})
    override = reviews.override_score
    override(session=session, actor=world.mila, score_id=first, dimension="tone", override=80, reason="prima toon")
    override(session=session, actor=world.mila, score_id=second, dimension="tone", override=75, reason="empathisch")
    override(session=session, actor=world.mila, score_id=third, dimension="tone", override=70, reason="te joviaal")
    override(session=session, actor=world.mila, score_id=first, override=68, reason="klopt ongeveer")  # total 65

    agreement = scorer_vs_managers(session=session, actor=world.mila, team_id=world.reizen.id)

    assert agreement.overrides == 4
    by_name = {d.dimension: d for d in agreement.by_dimension}
    assert [d.dimension for d in agreement.by_dimension] == [TOTAL, "tone"]
    tone = by_name["tone"]
    assert (tone.overrides, tone.raised, tone.lowered) == (3, 2, 1)
    assert tone.mean_difference == pytest.approx((30 + 15 - 20) / 3)
    assert tone.mean_absolute_difference == pytest.approx((30 + 15 + 20) / 3)
    assert (by_name[TOTAL].mean_difference, by_name[TOTAL].raised) == (3, 0)  # within rounding: not a raise
    # tone.minor fired on both replies marked up; length.minor fired too, but the override was on tone.
    assert [(r.rule, r.overrides) for r in agreement.most_overruled] == [("tone.minor", 2)]
    assert agreement.most_overruled[0].example == "Kan beter."


def test_scorer_agreement_is_the_teams_own(session, world):
    """Tom is in both teams: Energie's manager's overrides on him are not Reizen's to read."""
    add_member(session=session, actor=SYSTEM, team_id=world.energie.id, user_id=world.tom.id, as_manager=False)
    score_id = scored_reply(session, world.tom, {"tone": 50})
    reviews.override_score(session=session, actor=world.mark, score_id=score_id, dimension="tone", override=90, reason="goed")

    assert scorer_vs_managers(session=session, actor=world.mila, team_id=world.reizen.id).overrides == 0
    assert scorer_vs_managers(session=session, actor=world.mark, team_id=world.energie.id).overrides == 1
    assert scorer_vs_managers(session=session, actor=world.admin, team_id=world.energie.id).overrides == 1
    with pytest.raises(PermissionDenied):
        scorer_vs_managers(session=session, actor=world.mila, team_id=world.energie.id)
    with pytest.raises(PermissionDenied):
        scorer_vs_managers(session=session, actor=world.tom, team_id=world.reizen.id)
    with pytest.raises(NotFound, match="no team with id 999999"):
        scorer_vs_managers(session=session, actor=world.admin, team_id=999_999)


def test_scorer_agreement_without_overrides_is_empty(session, world):
    scored_reply(session, world.tom, {"tone": 50})
    agreement = scorer_vs_managers(session=session, actor=world.mila, team_id=world.reizen.id)
    assert (agreement.overrides, agreement.by_dimension, agreement.most_overruled) == (0, [], [])
