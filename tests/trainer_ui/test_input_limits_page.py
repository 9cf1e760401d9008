"""Too much text on a screen gives a plain message naming the limit, never a traceback."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from tests.drills.test_pages import _running_drill, button, metric
from tests.trainer_ui.conftest import PASSWORD, logged_in_app, login_form
from trainer.db import engine as db_engine
from trainer.db.drill_models import DrillMessage
from trainer.services.limits import limits


def test_quick_score_page_refuses_a_too_long_customer_message(app_db):
    at = logged_in_app(app_db.trainee, "pages/score.py")
    at.text_area[0].input("Ik wacht al weken op mijn terugbetaling. " * 100)
    at.text_area[1].input("Hoi, wat vervelend! Ik zoek het direct voor je uit. ^Lisa")
    button(at, "Beoordeel").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Het bericht van de klant is te lang: 4.100 tekens")
    assert not at.metric


def test_drill_inbox_page_refuses_a_20000_character_reply(app_db):
    _running_drill(app_db.manager)
    at = logged_in_app(app_db.trainee, "pages/drill_inbox.py")
    button(at, "Pak het meest urgente gesprek").click().run()
    assert metric(at, "Bij mij") == "1"
    at.text_area[0].input("x" * 20_001)
    button(at, "Versturen").click().run()
    assert not at.exception, at.exception
    limit = f"{limits().reply_chars:,}".replace(",", ".")
    assert at.error[0].value.startswith(f"Je antwoord is te lang: 20.001 tekens, er mogen er hoogstens {limit}.")
    with db_engine.session_scope() as session:
        assert session.exec(select(func.count()).select_from(DrillMessage).where(DrillMessage.role == "agent")).one() == 0


def test_practise_page_refuses_a_reply_over_the_limit_and_keeps_it(app_db, monkeypatch):
    # On X the box itself stops at 280 characters; an e-mail may be longer than the reply limit.
    # A lower limit shows the same path on the scenario's first medium.
    from trainer.services import limits as limits_module

    lowered = limits().model_copy(update={"reply_chars": 100})
    monkeypatch.setattr(limits_module, "limits", lambda root=None: lowered)
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    next(b for b in at.button if b.label == "Start het gesprek").click().run()
    reply = next(a for a in at.text_area if "Jouw antwoord via" in a.label)
    reply.input("Hoi, wat vervelend dat je hier zo lang op moet wachten. Ik zoek het direct voor je uit en laat het je vandaag weten. ^Lisa")
    next(b for b in at.button if b.label == "Verstuur").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Je antwoord is te lang:")
    assert not any(m.label == "Totaal" for m in at.metric)


def _over(what: str) -> str:
    return "x" * (limits().of(what) + 1)


def _box(at, widgets, label):
    return next(w for w in widgets if w.label == label)


def test_login_page_refuses_a_too_long_password(app_db):
    at = login_form(app_db.trainee, _over("password"))
    limit = limits().password_chars
    assert at.error[0].value.startswith(f"Het wachtwoord is te lang: {limit + 1} tekens, er mogen er hoogstens {limit}.")
    assert "login_token" not in at.session_state


def test_account_page_refuses_a_too_long_new_password(app_db):
    at = logged_in_app(app_db.trainee, "pages/account.py")
    for label, value in [("Huidig wachtwoord", PASSWORD), ("Nieuw wachtwoord", _over("password")),
                         ("Nieuw wachtwoord nog een keer", _over("password"))]:
        _box(at, at.text_input, label).input(value)
    button(at, "Wachtwoord wijzigen").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Het wachtwoord is te lang:")


def test_admin_page_refuses_a_too_long_reason(app_db):
    at = logged_in_app(app_db.admin, "pages/admin.py")
    _box(at, at.text_input, "Reden (komt in het auditlog)").input(_over("comment"))
    button(at, "Rol opslaan").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("De toelichting is te lang:")


def test_knowledge_page_refuses_a_too_long_search(app_db):
    at = logged_in_app(app_db.trainee, "pages/knowledge.py")
    _box(at, at.text_input, "Zoeken in de kennisbank").input(_over("search")).run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("De zoekvraag is te lang:")


def test_typing_page_refuses_a_too_long_text_and_keeps_the_test(app_db):
    at = logged_in_app(app_db.trainee, "pages/typing.py")
    button(at, "Start de typetest").click().run()
    _box(at, at.text_area, "Jouw tekst").input(_over("typed"))
    button(at, "Inleveren").click().run()
    assert not at.exception, at.exception
    assert at.error[0].value.startswith("Je getypte tekst is te lang:")
    assert "typing_input" in at.session_state and any(b.label == "Inleveren" for b in at.button)
