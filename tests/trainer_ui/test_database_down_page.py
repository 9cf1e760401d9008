"""A reply typed while the database is down is not lost: the practise page keeps it in its box,
says plainly that it was not saved (no traceback), and a second Send once the database is back
stores it once. The failure is real: sessions on an engine whose server does not listen."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import create_engine
from sqlmodel import Session, select

from tests.trainer_ui.conftest import app_with_database_down, logged_in_app, unreachable_url
from trainer.db.engine import session_scope
from trainer.db.models import Speaker, Turn
from trainer.i18n import t
from trainer.views import practise as practise_view

REPLY = "Hoi, wat vervelend! Stuur je ons een DM met je boekingscode? Dan zoek ik het uit. ^Sam"
DOWN = t("practise.database_down", "nl")


@contextmanager
def unreachable_session_scope(engine=None):
    """What `session_scope` gives while the database server is down: a real OperationalError
    (connection refused) at the first statement."""
    down = create_engine(unreachable_url(), connect_args={"connect_timeout": 2})
    try:
        with Session(down, expire_on_commit=False) as session:
            yield session
    finally:
        down.dispose()


def reply_box(at):
    return next(a for a in at.text_area if "Jouw antwoord via" in a.label)


def send_button(at):
    return next(b for b in at.button if b.label == "Verstuur")


def stored_replies() -> list[str]:
    with session_scope() as session:
        return list(session.exec(select(Turn.text).where(Turn.speaker == Speaker.trainee)).all())


def test_database_down_page_keeps_the_reply_and_a_later_send_stores_it_once(app_db, offline_checker, monkeypatch):
    from trainer import resources

    monkeypatch.setattr(resources, "grammar_checker", lambda: offline_checker)
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    next(b for b in at.button if b.label == "Start het gesprek").click().run()
    reply_box(at).input(REPLY)
    with monkeypatch.context() as down:
        down.setattr(practise_view, "session_scope", unreachable_session_scope)
        send_button(at).click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.main.error] == [DOWN]
    assert "OperationalError" not in str(at) and "127.0.0.1" not in " ".join(e.value for e in at.main.error)
    assert reply_box(at).value == REPLY, "the typed reply is still in its box"
    assert at.session_state["practice_state"]["turns"] == []
    assert stored_replies() == []

    # The database is back: the same box, Send again.
    send_button(at).click().run()
    assert not at.exception, at.exception
    assert not at.main.error
    assert len(at.session_state["practice_state"]["turns"]) == 1
    assert stored_replies() == [REPLY]
    assert any(m.label == "Totaal" for m in at.metric)


def test_database_down_page_a_run_that_fails_before_the_box_is_drawn_keeps_the_reply(
        app_db, offline_checker, monkeypatch):
    """The database is down for a whole run: the login check fails before the page draws the
    reply box, so the browser would drop the box (and Streamlit its value). The draft kept at
    the start of the run brings the text back; Send then stores it once."""
    from trainer import resources, ui_state
    from trainer.db import engine as db_engine

    monkeypatch.setattr(resources, "grammar_checker", lambda: offline_checker)
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    next(b for b in at.button if b.label == "Start het gesprek").click().run()
    box = reply_box(at)
    box.input(REPLY)
    down = create_engine(unreachable_url(), connect_args={"connect_timeout": 2})
    with monkeypatch.context() as outage:
        outage.setattr(db_engine, "get_engine", lambda: down)
        send_button(at).click().run()  # in the app, app.py turns this into the message tested below
    down.dispose()
    assert at.session_state[ui_state.DRAFTS][box.key] == REPLY
    # As in the browser: the box was not drawn in the failed run, so its value is gone.
    del at.session_state[box.key]
    at.run()
    assert not at.exception, at.exception
    assert reply_box(at).value == REPLY
    send_button(at).click().run()
    assert not at.exception, at.exception
    assert stored_replies() == [REPLY]


def test_database_down_page_the_app_says_so_in_plain_words(app_db, monkeypatch):
    """Any page while the database is down: the plain message with an incident id, no error text."""
    at = app_with_database_down(app_db.trainee, monkeypatch)
    at.run()
    assert not at.exception, at.exception
    [shown] = [e.value for e in at.error]
    assert shown.startswith("De database is even niet bereikbaar, dus er is nu niets opgeslagen.")
    assert "127.0.0.1" not in shown and "OperationalError" not in shown


def test_database_down_page_the_drill_inbox_keeps_the_reply_too(app_db, offline_checker, monkeypatch):
    from tests.drills.test_pages import _running_drill, button
    from trainer import resources
    from trainer.db.drill_models import DrillMessage
    from trainer.views import drill_inbox

    monkeypatch.setattr(resources, "grammar_checker", lambda: offline_checker)
    _running_drill(app_db.manager)
    at = logged_in_app(app_db.trainee, "pages/drill_inbox.py")
    button(at, "Pak het meest urgente gesprek").click().run()
    at.text_area[0].input(REPLY)
    real_send = drill_inbox.send

    def send_while_the_database_is_down(**kwargs):
        """The inbox was read; the database drops as the reply goes out."""
        with monkeypatch.context() as down:
            down.setattr(drill_inbox, "session_scope", unreachable_session_scope)
            return real_send(**kwargs)

    with monkeypatch.context() as outage:
        outage.setattr(drill_inbox, "send", send_while_the_database_is_down)
        button(at, "Versturen").click().run()
    assert not at.exception, at.exception
    assert t("drills.database_down", "nl") in [e.value for e in at.main.error]
    assert at.text_area[0].value == REPLY
    button(at, "Versturen").click().run()  # the database is back
    assert not at.exception, at.exception
    assert any(i.value.startswith("Verstuurd") for i in at.info)
    with session_scope() as session:
        assert list(session.exec(select(DrillMessage.text).where(DrillMessage.role == "agent"))) == [REPLY]
