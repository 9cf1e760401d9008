"""Attempts, replies and their scores: one transaction, stored once, read only by the right people."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from scoring import ReplyContext, score_reply
from trainer.db.models import (
    Attempt,
    AttemptCreate,
    AttemptOutcome,
    AuditEntry,
    DimensionScore,
    FindingRecord,
    Score,
    Turn,
)
from trainer.db.types import utcnow
from trainer.services import attempts, reviews
from trainer.services.attempts import AttemptError, ReplySubmission, SubmissionConflict
from trainer.services.rights import PermissionDenied

from .conftest import World, make_scorecard

SCENARIO = AttemptCreate(scenario_id="vertraging-trein", scenario_version="3", scenario_type="klacht", medium="twitter", seed=7)


def _reply(attempt_id: int, text: str = "Hoi Sanne, wat vervelend! Ik zoek het voor je uit. ^Tom", **kw) -> ReplySubmission:
    now = utcnow()
    return ReplySubmission(
        attempt_id=attempt_id, submission_id=kw.pop("submission_id", uuid.uuid4()), text=text,
        shown_at=now - timedelta(seconds=40), sent_at=now, **kw,
    )


def _count(session: Session, model) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_attempts_pipeline_scorecard_is_stored_whole(session, world, offline_checker):
    attempt = attempts.start_attempt(session=session, actor=world.tom, attempt_create=SCENARIO)
    attempts.record_customer_turn(session=session, actor=world.tom, attempt_id=attempt.id, text="Mijn trein is weer te laat!")
    context = ReplyContext(medium="twitter", customer_messages=["Mijn trein is weer te laat!"], seconds_to_reply=40)
    submission = _reply(attempt.id, text="Hoi, wat vervelend dat je trein vertraging heeft. Ik kijk het na. ^Tom")
    card = score_reply(submission.text, context, checker=offline_checker)
    result = attempts.submit_reply(session=session, actor=world.tom, submission=submission, scorecard=card)
    assert result.created

    detail = attempts.attempt_detail(session=session, actor=world.tom, attempt_id=attempt.id)
    assert [t.turn.speaker for t in detail.turns] == ["customer", "trainee"]
    stored = detail.turns[1]
    assert stored.score.scorecard == card.to_public_dict()
    assert stored.score.total == card.total and stored.score.passed == card.passed
    assert {d.name: (d.version, d.weight, d.checked) for d in stored.dimensions} == {
        name: (d.version, d.weight, d.checked) for name, d in card.dimensions.items()
    }
    assert {d.name: d.score for d in stored.dimensions} == {
        name: (d.score if d.checked else None) for name, d in card.dimensions.items()
    }
    assert sorted((f.dimension, f.rule, f.severity, f.span_start, f.span_end, f.message) for f in stored.findings) == sorted(
        (f.dimension, f.rule, f.severity.value, f.span[0], f.span[1], f.message) for f in card.findings
    )
    assert stored.turn.shown_at == submission.shown_at and stored.turn.sent_at == submission.sent_at


def test_attempts_second_submit_of_same_reply_is_stored_once(session, world):
    attempt = attempts.start_attempt(session=session, actor=world.tom, attempt_create=SCENARIO)
    submission = _reply(attempt.id)
    card = make_scorecard({"length": 80, "speed": 60}, critical=1)
    first = attempts.submit_reply(session=session, actor=world.tom, submission=submission, scorecard=card)
    again = attempts.submit_reply(session=session, actor=world.tom, submission=submission, scorecard=card)
    assert first.created and not again.created
    assert (again.turn_id, again.score_id) == (first.turn_id, first.score_id)
    assert (_count(session, Turn), _count(session, Score), _count(session, DimensionScore)) == (1, 1, 2)
    assert _count(session, FindingRecord) == len(card.findings) == 3
    assert session.get(Score, first.score_id).critical_findings == 1


def test_attempts_same_submission_id_with_other_text_is_a_conflict(session, world):
    attempt = attempts.start_attempt(session=session, actor=world.tom, attempt_create=SCENARIO)
    submission = _reply(attempt.id)
    card = make_scorecard({"length": 80})
    attempts.submit_reply(session=session, actor=world.tom, submission=submission, scorecard=card)
    changed = submission.model_copy(update={"text": "Iets heel anders."})
    with pytest.raises(SubmissionConflict):
        attempts.submit_reply(session=session, actor=world.tom, submission=changed, scorecard=card)


def test_attempts_failed_write_leaves_nothing_behind(session, world):
    attempt = attempts.start_attempt(session=session, actor=world.tom, attempt_create=SCENARIO)
    card = make_scorecard({"length": 80})
    # Two results for one dimension break the (score, name) uniqueness halfway through the write.
    card.dimensions["twin"] = card.dimensions["length"]
    with pytest.raises(IntegrityError):
        attempts.submit_reply(session=session, actor=world.tom, submission=_reply(attempt.id), scorecard=card)
    assert (_count(session, Turn), _count(session, Score), _count(session, DimensionScore)) == (0, 0, 0)


def test_attempts_finished_attempt_takes_no_replies(session, world):
    attempt = attempts.start_attempt(session=session, actor=world.tom, attempt_create=SCENARIO)
    attempts.finish_attempt(session=session, actor=world.tom, attempt_id=attempt.id, outcome=AttemptOutcome.resolved)
    again = attempts.finish_attempt(session=session, actor=world.tom, attempt_id=attempt.id, outcome=AttemptOutcome.abandoned)
    assert again.outcome == AttemptOutcome.resolved
    with pytest.raises(AttemptError, match="finished"):
        attempts.submit_reply(session=session, actor=world.tom, submission=_reply(attempt.id), scorecard=make_scorecard({"length": 90}))


def test_attempts_naive_timestamps_refused(world):
    with pytest.raises(ValueError, match="aware"):
        ReplySubmission(attempt_id=1, submission_id=uuid.uuid4(), text="x", sent_at=utcnow().replace(tzinfo=None))


def _tom_with_a_scored_reply(session: Session, world: World) -> tuple[Attempt, int]:
    attempt = attempts.start_attempt(session=session, actor=world.tom, attempt_create=SCENARIO)
    result = attempts.submit_reply(
        session=session, actor=world.tom, submission=_reply(attempt.id), scorecard=make_scorecard({"length": 80, "tone": 50})
    )
    return attempt, result.score_id


def test_attempts_forbidden_reads_and_writes_are_refused(session, world):
    attempt, score_id = _tom_with_a_scored_reply(session, world)
    forbidden = {
        "tess reads tom's attempts": lambda: attempts.list_attempts(session=session, actor=world.tess, trainee_id=world.tom.id),
        "tess reads tom's attempt": lambda: attempts.attempt_detail(session=session, actor=world.tess, attempt_id=attempt.id),
        "mark reads another team": lambda: attempts.attempt_detail(session=session, actor=world.mark, attempt_id=attempt.id),
        "tess replies in tom's attempt": lambda: attempts.submit_reply(
            session=session, actor=world.tess, submission=_reply(attempt.id), scorecard=make_scorecard({"length": 1})),
        "mila replies for tom": lambda: attempts.submit_reply(
            session=session, actor=world.mila, submission=_reply(attempt.id), scorecard=make_scorecard({"length": 1})),
        "tess finishes tom's attempt": lambda: attempts.finish_attempt(
            session=session, actor=world.tess, attempt_id=attempt.id, outcome=AttemptOutcome.abandoned),
        "tom reviews himself": lambda: reviews.add_review(session=session, actor=world.tom, score_id=score_id, comment="top"),
        "tom overrides himself": lambda: reviews.override_score(
            session=session, actor=world.tom, score_id=score_id, override=100, reason="ik vind van wel"),
        "tess reviews tom": lambda: reviews.add_review(session=session, actor=world.tess, score_id=score_id, comment="goed"),
        "mark reviews another team": lambda: reviews.add_review(session=session, actor=world.mark, score_id=score_id, comment="x"),
        "mark overrides another team": lambda: reviews.override_score(
            session=session, actor=world.mark, score_id=score_id, override=10, reason="x"),
        "admin reviews": lambda: reviews.add_review(session=session, actor=world.admin, score_id=score_id, comment="x"),
        "mila reads agreement": lambda: reviews.override_agreement(session=session, actor=world.mila),
    }
    for name, call in forbidden.items():
        with pytest.raises(PermissionDenied):
            call()
        assert name
    assert _count(session, Turn) == 1


def test_attempts_trainee_manager_and_admin_read_what_they_may(session, world):
    attempt, _ = _tom_with_a_scored_reply(session, world)
    for reader in (world.tom, world.mila, world.admin):
        assert [a.id for a in attempts.list_attempts(session=session, actor=reader, trainee_id=world.tom.id)] == [attempt.id]
        assert attempts.attempt_detail(session=session, actor=reader, attempt_id=attempt.id).trainee.id == world.tom.id


def test_attempts_override_is_stored_beside_the_automatic_score_and_audited(session, world):
    _, score_id = _tom_with_a_scored_reply(session, world)
    before = dict(session.get(Score, score_id).scorecard)
    total = reviews.override_score(session=session, actor=world.mila, score_id=score_id, override=75, reason="toon was prima")
    tone = reviews.override_score(session=session, actor=world.mila, score_id=score_id, dimension="tone", override=70, reason="empathisch")
    reviews.add_review(session=session, actor=world.mila, score_id=score_id, comment="Mooi gedaan, let op lengte.")
    score = session.get(Score, score_id)
    session.refresh(score)
    assert score.total == 65 and score.scorecard == before  # never overwritten
    assert (total.automatic_score, total.override_score) == (65, 75)
    assert (tone.automatic_score, tone.override_score, tone.dimension) == (50, 70, "tone")
    entries = session.exec(select(AuditEntry).where(AuditEntry.action == "score.override").order_by(AuditEntry.id)).all()
    assert [(e.actor_id, e.target_id, e.reason) for e in entries] == [
        (world.mila.id, str(score_id), "toon was prima"), (world.mila.id, str(score_id), "empathisch")
    ]
    detail = attempts.attempt_detail(session=session, actor=world.tom, attempt_id=score.attempt_id)
    assert len(detail.turns[0].overrides) == 2 and len(detail.turns[0].reviews) == 1
    agreement = reviews.override_agreement(session=session, actor=world.admin)
    assert (agreement.overrides, agreement.mean_absolute_difference) == (1, 10)
    with pytest.raises(reviews.ReviewError, match="no dimension"):
        reviews.override_score(session=session, actor=world.mila, score_id=score_id, dimension="humor", override=1, reason="x")


def test_attempts_override_needs_a_reason(session, world):
    _, score_id = _tom_with_a_scored_reply(session, world)
    with pytest.raises(ValueError, match="reason"):
        reviews.override_score(session=session, actor=world.mila, score_id=score_id, override=90, reason=" ")
    assert session.exec(select(func.count()).select_from(reviews.ScoreOverride)).one() == 0


THREADS = 30


def _run_threads(targets) -> list:
    barrier = threading.Barrier(len(targets))
    results: list = [None] * len(targets)

    def run(i, target):
        barrier.wait()
        try:
            results[i] = target()
        except BaseException as exc:  # reported by the test, not lost in the thread
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i, t)) for i, t in enumerate(targets)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return results


def test_attempts_thirty_threads_submitting_at_once_store_every_reply_once(file_engine):
    with Session(file_engine, expire_on_commit=False) as session:
        world = World(session)
        trainees = [world.tom, world.tess, world.eva]
        attempt_of = {t.id: attempts.start_attempt(session=session, actor=t, attempt_create=SCENARIO).id for t in trainees}
    submissions = [(trainees[i % 3], _reply(attempt_of[trainees[i % 3].id], text=f"Antwoord nummer {i}.")) for i in range(THREADS)]

    def submit(trainee, submission):
        def go():
            outcomes = []
            for _ in range(2):  # a double click: the same submission sent twice
                with Session(file_engine) as session:
                    outcomes.append(attempts.submit_reply(
                        session=session, actor=trainee, submission=submission, scorecard=make_scorecard({"length": 80, "tone": 70})))
            return outcomes
        return go

    results = _run_threads([submit(t, s) for t, s in submissions])
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]
    assert all(first.created and not second.created and first.turn_id == second.turn_id for first, second in results)
    with Session(file_engine) as session:
        stored = session.exec(select(Turn.text)).all()
        assert sorted(stored) == sorted(s.text for _, s in submissions)
        assert _count(session, Score) == THREADS and _count(session, DimensionScore) == 2 * THREADS


def test_attempts_thirty_threads_sending_one_reply_store_it_once(file_engine):
    with Session(file_engine, expire_on_commit=False) as session:
        world = World(session)
        attempt_id = attempts.start_attempt(session=session, actor=world.tom, attempt_create=SCENARIO).id
    submission = _reply(attempt_id)

    def submit():
        with Session(file_engine) as session:
            return attempts.submit_reply(session=session, actor=world.tom, submission=submission, scorecard=make_scorecard({"length": 80}))

    results = _run_threads([submit] * THREADS)
    errors = [r for r in results if isinstance(r, BaseException)]
    assert not errors, errors[:3]
    assert sum(r.created for r in results) == 1
    assert len({(r.turn_id, r.score_id) for r in results}) == 1
    with Session(file_engine) as session:
        assert (_count(session, Turn), _count(session, Score), _count(session, FindingRecord)) == (1, 1, 1)
