"""Issue 11 #1: a second click on Send while the first is being scored must not strand the
conversation. The page may lose the first run's result (Streamlit stops a run when a new click
arrives); a repeat send with the same submission id then shows the stored result."""

import uuid
from datetime import timedelta

from scoring import score_reply
from tests.trainer_ui.conftest import PASSWORD, logged_in_app
from trainer.db.engine import session_scope
from trainer.db.types import utcnow
from trainer.services import accounts, attempts, practice

SCENARIO = "nl-vlucht-geannuleerd-schiphol"
REPLY = "Hoi {first_name}, wat balen dat je vlucht niet gaat. Stuur ons een DM met je boekingscode, dan kijk ik mee. ^Sam"


def trainee(email):
    with session_scope() as session:
        return accounts.login(session=session, email=email, password=PASSWORD).user


def customer_turns(actor, attempt_id) -> list[str]:
    with session_scope() as session:
        detail = attempts.attempt_detail(session=session, actor=actor, attempt_id=attempt_id)
    return [t.turn.text for t in detail.turns if t.turn.speaker == "customer"]


def begin(email, seed):
    actor, start = trainee(email), utcnow()
    with session_scope() as session:
        state = practice.begin(session=session, actor=actor, scenario_id=SCENARIO, medium="twitter", seed=seed, now=start)
    return actor, start, state, REPLY.format(first_name=state.restore().persona["first_name"]), uuid.uuid4()


def test_double_send_a_repeat_send_returns_the_advanced_conversation(app_db, offline_checker):
    actor, start, state, text, submission = begin(app_db.trainee, seed=4)
    with session_scope() as session:
        first = practice.send(session=session, actor=actor, state=state, text=text, action=None,
                              submission_id=submission, checker=offline_checker, now=start + timedelta(seconds=50))
    # The page never saw `first`: the second click sends the same reply from the old state, later.
    with session_scope() as session:
        again = practice.send(session=session, actor=actor, state=state, text=text, action=None,
                              submission_id=submission, checker=offline_checker, now=start + timedelta(seconds=95))
    assert again.stored_once is False
    assert again.state == first.state
    assert again.scorecard.total == first.scorecard.total
    assert customer_turns(actor, state.attempt_id).count(first.state.turns[0].customer_after[0]) == 1


def test_double_send_finishes_a_send_that_stopped_after_storing_the_reply(app_db, offline_checker):
    actor, start, state, text, submission = begin(app_db.trainee, seed=9)
    before = customer_turns(actor, state.attempt_id)
    with session_scope() as session:  # the first run stored the reply, then was stopped
        card = score_reply(text, state.restore().context_for_reply(seconds_to_reply=30.0), checker=offline_checker)
        attempts.submit_reply(session=session, actor=actor, scorecard=card, submission=attempts.ReplySubmission(
            attempt_id=state.attempt_id, submission_id=submission, text=text, shown_at=start,
            sent_at=start + timedelta(seconds=30)))
    with session_scope() as session:
        again = practice.send(session=session, actor=actor, state=state, text=text, action=None,
                              submission_id=submission, checker=offline_checker, now=start + timedelta(seconds=80))
    assert len(again.state.turns) == 1 and again.state.turns[0].seconds == 30.0
    assert again.state.turns[0].customer_after
    assert customer_turns(actor, state.attempt_id) == before + again.state.turns[0].customer_after


PAGE_REPLY = "Hoi, wat vervelend! Stuur je ons een DM met je boekingscode? Dan zoek ik het uit. ^Sam"


def send_twice_losing_the_first_result(email, checker, monkeypatch, second_text):
    """Send PAGE_REPLY on the practise page, lose that run's result (the page keeps its old
    state, as when a second click stopped the run), then send `second_text` from the same box."""
    from trainer import resources

    monkeypatch.setattr(resources, "grammar_checker", lambda: checker)
    at = logged_in_app(email, "pages/practise.py")
    next(b for b in at.button if b.label == "Start het gesprek").click().run()
    old_state = at.session_state["practice_state"]
    for number, text in enumerate((PAGE_REPLY, second_text)):
        next(a for a in at.text_area if "Jouw antwoord via" in a.label).input(text)
        next(b for b in at.button if b.label == "Verstuur").click().run()
        assert not at.exception, at.exception
        if number == 0:
            at.session_state["practice_state"] = old_state
            at.run()
    return at


def test_double_send_page_shows_the_stored_result_after_a_lost_run(app_db, offline_checker, monkeypatch):
    at = send_twice_losing_the_first_result(app_db.trainee, offline_checker, monkeypatch, PAGE_REPLY)
    assert len(at.session_state["practice_state"]["turns"]) == 1
    assert any(m.label == "Totaal" for m in at.metric)
    assert not at.info


def test_double_send_an_edited_repeat_returns_the_reply_actually_sent(app_db, offline_checker):
    actor, start, state, text, submission = begin(app_db.trainee, seed=5)
    with session_scope() as session:
        first = practice.send(session=session, actor=actor, state=state, text=text, action=None,
                              submission_id=submission, checker=offline_checker, now=start + timedelta(seconds=40))
    assert first.sent_earlier is False
    # The page never saw `first`; the trainee edits the box and sends again under the same id.
    with session_scope() as session:
        again = practice.send(session=session, actor=actor, state=state, text=text + " Groetjes!", action=None,
                              submission_id=submission, checker=offline_checker, now=start + timedelta(seconds=90))
    assert again.sent_earlier is True and again.stored_once is False
    assert again.state == first.state
    assert again.state.turns[-1].reply == text
    assert customer_turns(actor, state.attempt_id).count(first.state.turns[0].customer_after[0]) == 1


def test_double_send_page_shows_the_sent_reply_when_the_box_was_edited_after_a_lost_run(
        app_db, offline_checker, monkeypatch):
    at = send_twice_losing_the_first_result(app_db.trainee, offline_checker, monkeypatch, PAGE_REPLY + " Fijne dag!")
    turns = at.session_state["practice_state"]["turns"]
    assert len(turns) == 1 and turns[0]["reply"] == PAGE_REPLY
    assert any(i.value.startswith("Dit antwoord was al verstuurd") for i in at.info)
    assert PAGE_REPLY in [x.value for x in at.text]
    assert any(m.label == "Totaal" for m in at.metric)
    assert turns[0]["customer_after"]
