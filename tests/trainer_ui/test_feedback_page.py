"""Feedback in AppTest: the manager's comment and override beside the automatic score, newest
first, a count in the menu, and nothing of another trainee's; below, all the trainee's past
conversations, one replayed beside the model answers."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.trainer_ui.conftest import logged_in_app
from tests.trainer.test_history import RESOLVING, SCENARIO, played
from tests.trainer_ui.conftest_extra import scored_history  # noqa: F401
from trainer.db.engine import session_scope
from trainer.db.models import Score, User
from trainer.services import reviews


def _review(app_db, attempt_ids):
    with session_scope() as session:
        manager = session.exec(select(User).where(User.email == app_db.manager)).one()
        first, second = (session.exec(select(Score).where(Score.attempt_id == a)).one() for a in attempt_ids[:2])
        reviews.add_review(session=session, actor=manager, score_id=first.id, comment="Noem de *termijn*.")
        reviews.override_score(session=session, actor=manager, score_id=second.id, override=55, reason="Te snel beloofd.")
        return first.total, second.total


def test_feedback_page_shows_comments_overrides_and_a_count(app_db, scored_history, menu_titles):
    first_total, second_total = _review(app_db, scored_history)
    at = logged_in_app(app_db.trainee, "pages/feedback.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Feedback"
    headings = [h.value for h in at.subheader if "bekeken op" in h.value]
    assert len(headings) == 2
    markdown = [m.value for m in at.markdown]
    assert f"Automatische score: {second_total:.0f}" in markdown
    assert f"Automatische score: {first_total:.0f}" in markdown
    assert at.success[0].value == "Score van je dialoogmanager: 55 (deze telt)"
    assert any("Mira Manager paste het totaal" in m and "naar 55: Te snel beloofd." in m for m in markdown)
    assert any(r"Noem de \*termijn\*." in m for m in markdown)  # escaped: shown as written
    assert markdown.index(f"Automatische score: {second_total:.0f}") < markdown.index(f"Automatische score: {first_total:.0f}")
    # The menu counts the reviewed conversations (app.py builds it on every run).
    assert "Feedback (2)" in menu_titles and "Mijn voortgang" in menu_titles


def test_feedback_page_in_english_and_empty_for_someone_else(app_db, scored_history):
    _review(app_db, scored_history)
    at = logged_in_app(app_db.other_trainee, "pages/feedback.py")
    assert not at.exception, at.exception
    assert at.info[0].value.startswith("Nog geen feedback.")
    assert at.info[1].value.startswith("Nog geen afgeronde gesprekken.")
    assert not at.subheader and not at.selectbox
    at.sidebar.radio[0].set_value("en").run()
    assert at.title[0].value == "Feedback" and at.info[0].value.startswith("No feedback yet.")
    assert at.header[0].value == "All your conversations"


def test_feedback_page_menu_has_no_count_without_feedback(app_db, menu_titles):
    logged_in_app(app_db.trainee, "pages/feedback.py")
    assert "Feedback" in menu_titles and not any(title.startswith("Feedback (") for title in menu_titles)


def test_feedback_page_override_counts_on_my_progress_beside_the_automatic_mean(app_db, scored_history):
    _review(app_db, scored_history)
    at = logged_in_app(app_db.trainee, "pages/progress.py")
    assert not at.exception, at.exception
    assert any(c.value.startswith("Waarvan één antwoord met een score die je dialoogmanager aanpaste. Automatisch gemiddelde: ")
               for c in at.caption)


def test_feedback_page_lists_all_conversations_and_replays_one_in_dutch(app_db, offline_checker):
    with session_scope() as session:
        trainee = session.exec(select(User).where(User.email == app_db.trainee)).one()
        state = played(session, trainee, offline_checker, RESOLVING)
    at = logged_in_app(app_db.trainee, "pages/feedback.py")
    assert not at.exception, at.exception
    assert at.header[0].value == "Al je gesprekken"
    pick = at.selectbox(key="history_pick")
    assert len(pick.options) == 1 and pick.value is None  # nothing replayed until the trainee picks one
    assert " · Opgelost · gemiddeld " in pick.options[0] and SCENARIO not in pick.options[0]
    assert not at.text

    pick.set_value(state.attempt_id).run()

    assert not at.exception, at.exception
    assert at.success[0].value == "Opgelost: de klant is geholpen."
    texts = [x.value for x in at.text]
    conversation = state.restore()
    # The customer's messages and the replies in order, each reply beside its model answer.
    expected = []
    replies = iter(state.turns)
    for message in conversation.transcript:
        expected += [message.text] if message.role == "customer" else [(turn := next(replies)).reply, turn.model_answer]
    assert texts == [text.strip() for text in expected]  # st.text drops the trailing newline of a YAML block
    captions = [c.value for c in at.caption]
    assert captions.count("Modelantwoord") == 2 and any(c.startswith("Jouw antwoord 1 (score ") for c in captions)
    assert any(c.startswith("Klant · ") for c in captions)


@pytest.fixture
def menu_titles(monkeypatch) -> list[str]:
    """Every title app.py gives st.Page from now on (AppTest runs the script in this process)."""
    import streamlit

    seen: list[str] = []
    real = streamlit.Page

    def recording(*args, **kwargs):
        seen.append(kwargs.get("title"))
        return real(*args, **kwargs)

    monkeypatch.setattr(streamlit, "Page", recording)
    return seen
