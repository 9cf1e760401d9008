"""Feedback: the trainee's reviewed conversations, who may read them, and overrides that count."""

from __future__ import annotations

import pytest

from trainer.services import feedback, progress, reviews
from trainer.services.rights import PermissionDenied

from .conftest import scored_reply
from .test_certification import POLICY, _check, _done


def test_feedback_lists_comments_and_overrides_beside_the_automatic_score_newest_first(session, world):
    first = scored_reply(session, world.tom, dimensions={"tone": 60})
    second = scored_reply(session, world.tom, dimensions={"tone": 90})
    scored_reply(session, world.tom, dimensions={"tone": 50})  # never reviewed: not listed
    reviews.add_review(session=session, actor=world.mila, score_id=first.score_id, comment="Mooi begin, noem de termijn.")
    reviews.override_score(session=session, actor=world.mila, score_id=second.score_id, override=75, reason="Te streng.")
    reviews.override_score(session=session, actor=world.mila, score_id=second.score_id, override=80, reason="Toch beter.")

    listed = feedback.reviewed_conversations(session=session, actor=world.tom, trainee_id=world.tom.id)

    assert [c.replies[0].score_id for c in listed] == [second.score_id, first.score_id]
    newest = listed[0].replies[0]
    assert (newest.automatic_total, newest.effective_total, newest.overridden) == (90, 80, True)
    assert [(r.text, r.automatic, r.override, r.reviewer) for r in newest.remarks] == [
        ("Te streng.", 90, 75, "Mila Manager"), ("Toch beter.", 90, 80, "Mila Manager")]
    plain = listed[1].replies[0]
    assert (plain.effective_total, plain.overridden, plain.remarks[0].text) == (60, False, "Mooi begin, noem de termijn.")
    assert feedback.reviewed_count(session=session, actor=world.tom, trainee_id=world.tom.id) == 2


def test_feedback_a_trainee_sees_only_their_own(session, world):
    reply = scored_reply(session, world.tess)
    reviews.add_review(session=session, actor=world.mila, score_id=reply.score_id, comment="Goed zo.")
    for reader in (world.tom, world.eva, world.mark):
        with pytest.raises(PermissionDenied):
            feedback.reviewed_conversations(session=session, actor=reader, trainee_id=world.tess.id)
        with pytest.raises(PermissionDenied):
            feedback.reviewed_count(session=session, actor=reader, trainee_id=world.tess.id)
    assert feedback.reviewed_conversations(session=session, actor=world.tom, trainee_id=world.tom.id) == []
    assert len(feedback.reviewed_conversations(session=session, actor=world.mila, trainee_id=world.tess.id)) == 1


def test_feedback_overrides_count_in_progress_with_the_automatic_figure_beside(session, world):
    low = scored_reply(session, world.tom, dimensions={"tone": 60})
    scored_reply(session, world.tom, dimensions={"tone": 80})
    reviews.override_score(session=session, actor=world.mila, score_id=low.score_id, override=90, reason="Prima.")

    figures = progress.trainee_progress(session=session, actor=world.tom, trainee_id=world.tom.id)

    assert (figures.overall.mean_total, figures.overall.pass_rate) == (85, 1.0)
    assert (figures.overall_automatic.mean_total, figures.overall_automatic.pass_rate) == (70, 0.5)
    assert figures.overrides == 1
    assert figures.by_medium["twitter"].mean_total == 85


def test_feedback_an_override_makes_a_reply_count_for_certification(session, world):
    attempt = _done(session, world.tom, dims={"tone": 90}, critical=1)
    assert [u.code for u in _check(session, world).unmet] == ["medium_not_passed", "scenario_type_not_passed", "critical_findings"]
    score_id = attempt_score(session, attempt.id)
    reviews.override_score(session=session, actor=world.mila, score_id=score_id, override=85, reason="Geen lek.")
    assert _check(session, world, policy=POLICY).eligible


def test_feedback_an_override_below_the_mark_fails_the_reply(session, world):
    attempt = _done(session, world.tom, dims={"tone": 90})
    assert _check(session, world).eligible
    reviews.override_score(session=session, actor=world.mila, score_id=attempt_score(session, attempt.id), override=40,
                           reason="Belooft te veel.")
    assert "medium_not_passed" in [u.code for u in _check(session, world).unmet]


def attempt_score(session, attempt_id: int) -> int:
    from sqlmodel import select

    from trainer.db.models import Score

    return session.exec(select(Score.id).where(Score.attempt_id == attempt_id)).one()
