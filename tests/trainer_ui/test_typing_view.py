"""The typing test screen's view functions, on a real SQLite database and without Streamlit."""

from __future__ import annotations

import html

from tests.trainer_ui.test_practice_service import user
from trainer import local_time
from trainer.db.engine import session_scope
from trainer.services import typing_test
from trainer.services.limits import limits
from trainer.views import typing as view


def _previous(actor) -> list[typing_test.TypingResult]:
    with session_scope() as session:
        return view.previous_results(session=session, actor=actor)


def test_typing_view_shows_the_target_unselectable_and_escaped():
    state = view.start("en")
    test = typing_test.TypingTest.from_state(state)
    running = view.running(state, "en")
    assert html.escape(test.target) in running.target_html and "user-select:none" in running.target_html
    assert running.caption == f"The clock has been running since {local_time.clock(test.started_at, seconds=True)} (UTC)."


def test_typing_view_measures_stores_and_words_a_result(app_db):
    trainee = user(app_db.trainee)
    state = view.start("nl")
    target = typing_test.TypingTest.from_state(state).target
    assert view.submit(actor=trainee, language="nl", state=state, typed="   ").error == "Je hebt nog niets getypt."
    too_long = view.submit(actor=trainee, language="nl", state=state, typed="x" * (limits().typed_chars + 1))
    assert too_long.error and too_long.result is None and _previous(trainee) == []
    done = view.submit(actor=trainee, language="nl", state=state, typed=target[:-1] + "X")
    assert done.error is None and (done.result["char_errors"], done.result["word_errors"]) == (1, 1)
    (stored,) = _previous(trainee)
    assert stored.char_errors == 1 and stored.chars_per_minute == done.result["chars_per_minute"]
    card = view.result_card(done.result, "nl")
    assert dict(card.metrics)["Tekenfouten"] == "1" and card.saved == "Opgeslagen bij je resultaten."


def test_typing_view_asks_about_a_result_faster_than_anyone_types():
    result = {"chars_per_minute": typing_test.PLAUSIBLE_MAX_CPM + 1, "char_errors": 0, "word_errors": 0,
              "accuracy": 1.0, "seconds": 10.0}
    assert view.result_card(result, "nl").warning.startswith(f"Meer dan {typing_test.PLAUSIBLE_MAX_CPM} tekens")
    plausible = view.result_card({**result, "chars_per_minute": typing_test.PLAUSIBLE_MAX_CPM}, "en")
    assert plausible.warning is None and dict(plausible.metrics)["Accuracy"] == "100%"
