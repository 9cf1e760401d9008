"""The typing test page in AppTest: start, type, submit, see and keep the result (every role)."""

from __future__ import annotations

import html

import pytest

from tests.trainer_ui.conftest import logged_in_app
from trainer.services import typing_test


def button(at, label):
    return next(b for b in at.button if b.label == label)


@pytest.mark.parametrize("role", ["trainee", "manager", "admin"])
def test_typing_page_measures_and_stores_a_result_for_every_role(app_db, role):
    at = logged_in_app(getattr(app_db, role), "pages/typing.py")
    assert at.title[0].value == "Typetest"
    assert at.info[0].value == "Je hebt de typetest nog niet gedaan."
    button(at, "Start de typetest").click().run()
    assert not at.exception, at.exception
    state = typing_test.TypingTest.from_state(at.session_state["typing_test"])
    target = state.target
    shown = html.unescape(" ".join(h.proto.body for h in at.get("html")))
    assert state.target in shown and "user-select:none" in shown
    assert not at.code  # nothing with a copy button
    at.text_area[0].input(target[:-1] + "X")  # one wrong character at the end
    button(at, "Inleveren").click().run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tekenfouten"] == "1" and metrics["Woordfouten"] == "1"
    assert float(metrics["Tekens per minuut"]) > 0
    # AppTest answers within seconds: far too fast for a person, so the page asks whether it was pasted.
    assert at.warning[0].value.startswith("Meer dan 900 tekens per minuut")
    assert at.success[0].value == "Opgeslagen bij je resultaten."
    rows = at.dataframe[0].value
    assert len(rows) == 1 and rows["Tekenfouten"][0] == 1


def test_typing_page_refuses_an_empty_answer_and_can_be_stopped(app_db):
    at = logged_in_app(app_db.trainee, "pages/typing.py")
    button(at, "Start de typetest").click().run()
    button(at, "Inleveren").click().run()
    assert at.error[0].value == "Je hebt nog niets getypt."
    button(at, "Stoppen zonder opslaan").click().run()
    assert "typing_test" not in at.session_state
    assert at.info[0].value == "Je hebt de typetest nog niet gedaan."


def test_typing_page_in_english_shows_english_sentences(app_db):
    at = logged_in_app(app_db.trainee, "pages/typing.py")
    at.sidebar.radio[0].set_value("en").run()
    button(at, "Start the typing test").click().run()
    state = typing_test.TypingTest.from_state(at.session_state["typing_test"])
    assert state.language == "en"
    # Unescaped: sentences such as "Please don't share..." are shown with the apostrophe as an entity.
    shown = html.unescape(" ".join(h.proto.body for h in at.get("html")))
    assert all(typing_test.typing_content("en").by_id(i).text in shown for i in state.sentence_ids)
