"""The practise screen's view functions, on a real SQLite database and without Streamlit."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tests.trainer_ui.test_practice_service import GOOD, SCENARIO, user
from trainer.db.engine import session_scope
from trainer.services import attempts, practice
from trainer.services.limits import limits
from trainer.views import practise as view



def _start(email) -> tuple[object, practice.PracticeState]:
    trainee = user(email)
    saved = view.begin(actor=trainee, scenario_id=SCENARIO, medium="twitter")
    return trainee, practice.PracticeState.model_validate(saved)


def _trainee_replies(trainee, attempt_id: int) -> int:
    with session_scope() as session:
        detail = attempts.attempt_detail(session=session, actor=trainee, attempt_id=attempt_id)
    return sum(1 for turn in detail.turns if turn.turn.speaker == "trainee")


def test_practise_view_choices_label_each_scenario_and_keep_to_the_medium():
    found = view.scenario_choices("nl", "twitter", None)
    assert SCENARIO in found.scenarios
    title = next(c.title for c in practice.choices("nl") if c.id == SCENARIO)
    assert found.scenarios[SCENARIO].startswith(f"{title} · ") and found.scenarios[SCENARIO].endswith("★")
    assert list(found.types)[0] == "" and found.types[""] == view.t("practise.any_type", "nl")
    assert found.media["twitter"] == view.media()["twitter"].name("nl")
    assert view.scenario_choices("nl", "carrier_pigeon", None).scenarios == {}


def test_practise_view_a_new_conversation_shows_the_customer_and_an_open_briefing(app_db):
    trainee, state = _start(app_db.trainee)
    conversation = state.restore()
    screen = view.play_screen(state, conversation, "nl", resumed=True, focus="tone", sent_earlier_turn=None)
    assert screen.title == conversation.scenario.title and screen.briefing_open and screen.last is None
    assert screen.notes == [view.t("practise.resumed", "nl"),
                            view.t("practise.focus", "nl", dimension=view.t("dimension.tone", "nl"))]
    assert screen.reply_key == f"reply_{state.attempt_id}_0" and screen.submission_key == f"submission_{state.attempt_id}_0"
    assert screen.max_chars == view.media()["twitter"].max_chars
    assert screen.customer == conversation.persona["name"] and len(screen.about_customer) == 2  # X shows the reach
    [stretch] = screen.thread
    assert stretch.moved_to is None and stretch.messages[0].from_customer
    assert stretch.messages[0].time_label == view.clock_time(state.shown_at)


def test_practise_view_refuses_an_empty_or_too_long_reply_and_stores_nothing(app_db, offline_checker):
    trainee, state = _start(app_db.trainee)
    kept = []
    arguments = dict(actor=trainee, state=state, action=None, checker=offline_checker, language="nl", keep=kept.append)
    empty = view.send(text="   ", submission_id=str(uuid.uuid4()), **arguments)
    assert empty.refusal == view.t("practise.empty", "nl")
    long = view.send(text="x" * (limits().reply_chars + 1), submission_id=str(uuid.uuid4()), **arguments)
    assert long.refusal.startswith("Je antwoord is te lang:")
    assert kept == [] and _trainee_replies(trainee, state.attempt_id) == 0


def test_practise_view_a_reply_to_a_conversation_finished_in_another_tab_is_refused_in_dutch(app_db, offline_checker):
    trainee, state = _start(app_db.trainee)
    view.abandon(actor=trainee, state=state)  # as another tab would
    kept = []
    late = view.send(actor=trainee, state=state, text="Kijk op onze website. ^Lisa", action=None, keep=kept.append,
                     submission_id=str(uuid.uuid4()), checker=offline_checker, language="nl")
    assert late.refusal == f"Oefengesprek {state.attempt_id} is al afgelopen: het neemt geen antwoorden meer aan."
    assert kept == [] and _trainee_replies(trainee, state.attempt_id) == 0


def test_practise_view_a_repeated_send_of_an_edited_box_shows_the_reply_sent_earlier(app_db, offline_checker):
    trainee, state = _start(app_db.trainee)
    kept = []
    submission = str(uuid.uuid4())
    texts = ["Kijk op onze website. ^Lisa", "Kijk op onze website, of bel ons. ^Lisa"]  # edited before the repeat
    results = [view.send(actor=trainee, state=state, text=text, action=None, keep=kept.append,
                         submission_id=submission, checker=offline_checker, language="nl") for text in texts]
    assert [r.refusal for r in results] == [None, None]
    assert results[0].sent_earlier_turn is None and results[1].sent_earlier_turn == 1
    assert _trainee_replies(trainee, state.attempt_id) == 1
    after = practice.PracticeState.model_validate(kept[-1])
    screen = view.play_screen(after, after.restore(), "nl", resumed=False, focus=None, sent_earlier_turn=1)
    assert screen.last.sent_earlier and screen.last.text == "Kijk op onze website. ^Lisa"
    assert screen.last.scorecard.total == after.turns[0].scorecard["total"] and not screen.briefing_open


def test_practise_view_a_good_conversation_ends_with_the_replay_and_advice(app_db, offline_checker):
    trainee, state = _start(app_db.trainee)
    first_name = state.restore().persona["first_name"]
    for reply in GOOD:
        kept = []
        sent = view.send(actor=trainee, state=state, text=reply.format(first_name=first_name), action=None,
                         keep=kept.append, submission_id=str(uuid.uuid4()), checker=offline_checker, language="nl")
        assert sent.refusal is None
        state = practice.PracticeState.model_validate(kept[-1])
    conversation = state.restore()
    end = view.ending(state, conversation, "nl")
    assert end.good and end.outcome == view.t("outcome.resolved", "nl")
    assert [row.yours for row in end.rows] == [turn.reply for turn in state.turns]
    assert end.rows[0].model == state.turns[0].model_answer
    assert end.average and end.dimensions and all(0 <= d.share <= 1 for d in end.dimensions)
    averages = practice.summary(state)
    lowest = min(averages, key=averages.__getitem__)
    assert end.next_step in (view.t("practise.next", "nl", dimension=view.t(f"dimension.{lowest}", "nl"),
                                    score=f"{averages[lowest]:.0f}"), view.t("practise.next_none", "nl"))
    assert view.play_screen(state, conversation, "nl", resumed=True, focus="tone", sent_earlier_turn=None).notes == []


def test_practise_view_resumes_an_unfinished_conversation(app_db):
    trainee, state = _start(app_db.trainee)
    resumed = view.resume(actor=trainee)
    assert resumed is not None and resumed.attempt_id == state.attempt_id
    view.abandon(actor=trainee, state=state)
    assert view.resume(actor=trainee) is None


def test_practise_view_the_timer_warns_once_past_the_target(app_db):
    _, state = _start(app_db.trainee)
    on_time = view.timer(state, 90, "nl", now=state.shown_at + timedelta(seconds=90))
    late = view.timer(state, 90, "nl", now=state.shown_at + timedelta(seconds=91))
    assert not on_time.late and on_time.text.startswith("⏱ ") and "1:30" in on_time.text
    assert late.late and late.text.startswith("⏰ ") and "1:31" in late.text


def test_practise_view_a_too_long_search_is_refused_with_a_message(app_db):
    _, state = _start(app_db.trainee)
    conversation = state.restore()
    refused = view.knowledge_panel(conversation, "x" * (limits().search_chars + 1), "nl")
    assert refused.refusal and refused.hits == []
    found = view.knowledge_panel(conversation, "", "nl")
    assert found.refusal is None and found.hits and all(hit.key.startswith("insert_") for hit in found.hits)


def test_practise_view_review_stars_come_from_the_text_or_the_mood():
    assert view.review_stars("★★☆☆☆ Slecht", "calm") == (2, "Slecht")
    assert view.review_stars("Slecht", "furious") == (1, "Slecht")
    assert view.review_stars("Matig", "calm") == (2, "Matig")


@pytest.mark.parametrize(("linked", "medium", "kind"), [
    ({"medium": "whatsapp", "type": "escalation"}, "whatsapp", "escalation"),  # a "Te doen" mix
    ({"medium": "telex", "type": "small_talk"}, None, ""),  # nothing we have: the first medium, any type
    ({}, None, ""),
])
def test_practise_view_a_link_opens_the_choice_on_its_medium_and_type(linked, medium, kind):
    (names, medium_at), (types, type_at) = view.choice_lists("nl", linked)
    assert list(names)[medium_at] == (medium or next(iter(names))) and list(types)[type_at] == kind
