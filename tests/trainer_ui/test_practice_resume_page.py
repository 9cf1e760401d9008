"""Issue 11 #20 on the page: a conversation left at a logout comes back at the next login, with
a word that it was resumed; Stop then closes it for good."""

from __future__ import annotations

from sqlmodel import select

from tests.trainer_ui.conftest import logged_in_app
from trainer.db.engine import session_scope
from trainer.db.models import Attempt, AttemptOutcome

REPLY = "Hoi, wat vervelend! Stuur je ons een DM met je boekingscode? Dan zoek ik het uit. ^Sam"


def test_practice_resume_page_brings_back_a_conversation_left_at_logout(app_db, offline_checker, monkeypatch):
    from trainer import resources

    monkeypatch.setattr(resources, "grammar_checker", lambda: offline_checker)
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    next(b for b in at.button if b.label == "Start het gesprek").click().run()
    title = at.title[0].value
    next(a for a in at.text_area if "Jouw antwoord via" in a.label).input(REPLY)
    next(b for b in at.button if b.label == "Verstuur").click().run()
    assert not at.exception, at.exception
    next(b for b in at.sidebar.button if b.label == "Uitloggen").click().run()

    again = logged_in_app(app_db.trainee, "pages/practise.py")  # a new login, a new browser session
    assert not again.exception, again.exception
    assert again.title[0].value == title
    assert any(i.value.startswith("Je was nog met dit gesprek bezig") for i in again.info)
    assert len(again.session_state["practice_state"]["turns"]) == 1
    assert any(m.label == "Totaal" for m in again.metric)
    assert any("Jouw antwoord via" in a.label for a in again.text_area)

    next(b for b in again.button if b.label == "Stop dit gesprek").click().run()
    next(b for b in again.button if b.label == "Ja, stop het gesprek").click().run()
    assert not again.exception, again.exception
    with session_scope() as session:
        (attempt,) = session.exec(select(Attempt)).all()
        assert attempt.outcome == AttemptOutcome.abandoned
    assert logged_in_app(app_db.trainee, "pages/practise.py").title[0].value != title
