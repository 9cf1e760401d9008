"""A whole practice conversation through the service the page calls, on a real database."""

import uuid
from datetime import timedelta

import pytest

from tests.trainer_ui.conftest import PASSWORD
from trainer.db.engine import session_scope
from trainer.db.models import AttemptOutcome
from trainer.db.types import utcnow
from trainer.services import accounts, attempts, practice, progress
from trainer.services.rights import PermissionDenied

SCENARIO = "nl-vlucht-geannuleerd-schiphol"
GOOD = [
    "Wat vervelend, {first_name}, zeker met de kinderen erbij. Ik boek jullie graag om naar de eerstvolgende vlucht. "
    "Stuur je ons een DM met je boekingscode? Dan regel ik het meteen. ^Lisa",
    "Dank je, {first_name}. Ik heb jullie omgeboekt naar de vlucht van 17.40 uur vandaag; de nieuwe tickets staan in de "
    "app. Bij de servicebalie in Vertrekhal 2 krijgen jullie maaltijdvouchers voor het wachten. Goede reis! ^Lisa",
]


def user(email):
    with session_scope() as session:
        return accounts.login(session=session, email=email, password=PASSWORD).user


def test_practice_good_path_is_stored_scored_and_resolved(app_db, offline_checker):
    trainee = user(app_db.trainee)
    start = utcnow()
    with session_scope() as session:
        state = practice.begin(session=session, actor=trainee, scenario_id=SCENARIO, medium="twitter", seed=3, now=start)
    first_name = state.restore().persona["first_name"]
    for number, template in enumerate(GOOD, 1):
        with session_scope() as session:
            result = practice.send(session=session, actor=trainee, state=state, text=template.format(first_name=first_name),
                                   action=None, submission_id=uuid.uuid4(), checker=offline_checker,
                                   now=start + timedelta(seconds=60 * number))
        state = result.state
        assert result.scorecard.passed, result.scorecard.findings
    assert result.ended and result.outcome == "resolved"
    assert [t.seconds for t in state.turns] == [60.0, 60.0]
    assert "wat vervelend" in state.turns[0].model_answer.lower()
    with session_scope() as session:
        detail = attempts.attempt_detail(session=session, actor=trainee, attempt_id=state.attempt_id)
    assert detail.attempt.outcome == AttemptOutcome.resolved
    speakers = [t.turn.speaker for t in detail.turns]
    assert speakers.count("trainee") == 2 and speakers[0] == "customer"
    assert all(t.score is not None for t in detail.turns if t.turn.speaker == "trainee")
    assert practice.summary(state)["tone"] > 0


def test_practice_a_retried_send_is_stored_once(app_db, offline_checker):
    trainee = user(app_db.trainee)
    with session_scope() as session:
        state = practice.begin(session=session, actor=trainee, scenario_id=SCENARIO, medium="twitter", seed=1)
    submission = uuid.uuid4()
    for _ in range(2):
        with session_scope() as session:
            result = practice.send(session=session, actor=trainee, state=state, text="Kijk op onze website. ^Lisa",
                                   action=None, submission_id=submission, checker=offline_checker)
    assert result.stored_once is False
    with session_scope() as session:
        detail = attempts.attempt_detail(session=session, actor=trainee, attempt_id=state.attempt_id)
    assert sum(1 for t in detail.turns if t.turn.speaker == "trainee") == 1


def test_practice_someone_else_cannot_reply_in_my_attempt(app_db, offline_checker):
    trainee, other = user(app_db.trainee), user(app_db.other_trainee)
    with session_scope() as session:
        state = practice.begin(session=session, actor=trainee, scenario_id=SCENARIO, medium="twitter", seed=1)
    with pytest.raises(PermissionDenied), session_scope() as session:
        practice.send(session=session, actor=other, state=state, text="Hoi!", action=None, submission_id=uuid.uuid4(),
                      checker=offline_checker)


def test_practice_pick_respects_medium_and_type_and_refuses_the_impossible():
    chosen = practice.pick("nl", "twitter", None, seed=5)
    assert "twitter" in next(c for c in practice.choices("nl") if c.id == chosen).media
    with pytest.raises(practice.NoScenario):
        practice.pick("nl", "carrier_pigeon", None, seed=5)


def test_practice_weakest_point_picks_a_scenario_that_trains_it(app_db, offline_checker):
    trainee = user(app_db.trainee)
    with session_scope() as session:
        first = practice.weakest_point(session=session, actor=trainee, language="nl", seed=4)
    assert first.dimension is None  # no history yet: any scenario
    # A history with a clear privacy slip: ask for a postcode in public on X.
    with session_scope() as session:
        state = practice.begin(session=session, actor=trainee, scenario_id=SCENARIO, medium="twitter", seed=2)
    with session_scope() as session:
        practice.send(session=session, actor=trainee, state=state, submission_id=uuid.uuid4(), action=None,
                      checker=offline_checker,
                      text="Hoi! Wat vervelend. Wat is je postcode, huisnummer en telefoonnummer? Ik boek je om. ^Lisa")
    with session_scope() as session:
        choice = practice.weakest_point(session=session, actor=trainee, language="nl", seed=4)
        weakest = progress.trainee_progress(session=session, actor=trainee, trainee_id=trainee.id).weakest_dimension
    assert weakest in ("privacy", "substance") and choice.dimension == weakest
    point = practice.weak_points().weak_points[weakest]
    chosen = next(c for c in practice.choices("nl") if c.id == choice.scenario_id)
    assert chosen.type in point.types and choice.medium in point.media


def test_practice_weak_points_file_with_an_unknown_medium_names_file_and_line(tmp_path, monkeypatch):
    import shutil

    from scoring.contentfile import ContentInvalid, content_dir

    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    path = root / "practice" / "weak_points.yaml"
    path.write_text(path.read_text().replace("media: [email, review]", "media: [email, fax]"))
    monkeypatch.setenv("WEBCARE_CONTENT_DIR", str(root))
    practice.weak_points.cache_clear()
    try:
        with pytest.raises(ContentInvalid, match=r"practice/weak_points.yaml:\d+ .*'fax' is not a medium"):
            practice.weak_points()
    finally:
        practice.weak_points.cache_clear()
