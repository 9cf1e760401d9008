"""Adding a user on the admin page: blank names and bad e-mail addresses are refused, and a
refused team membership leaves no half-created user behind."""

from __future__ import annotations

from sqlmodel import select

from tests.trainer_ui.conftest import logged_in_app
from trainer.db.engine import session_scope
from trainer.db.models import User


def _fill(at, *, email, name, role="trainee", team="Webcare Zuid", manager=False):
    at.text_input(key="new_email").input(email)
    at.text_input(key="new_name").input(name)
    at.selectbox(key="new_role").select_index(at.selectbox(key="new_role").options.index(role))
    at.text_input(key="new_password").input("een-lang-wachtwoord")
    at.selectbox(key="new_team").select_index(at.selectbox(key="new_team").options.index(team))
    if manager:
        at.checkbox(key="new_manager").check()
    next(b for b in at.button if b.label == "Toevoegen").click().run()
    assert not at.exception, at.exception


def _exists(email: str) -> bool:
    with session_scope() as session:
        return session.exec(select(User).where(User.email == email)).first() is not None


def test_admin_page_refuses_a_trainee_as_manager_and_keeps_no_user(app_db):
    at = logged_in_app(app_db.admin, "pages/admin.py")
    _fill(at, email="bo@example.nl", name="Bo Bakker", manager=True)
    assert at.error[0].value == "Niet gelukt: bo@example.nl is geen dialoogmanager: geef eerst de rol dialoogmanager."
    assert not _exists("bo@example.nl")


def test_admin_page_refuses_blank_names_and_bad_email_addresses(app_db):
    at = logged_in_app(app_db.admin, "pages/admin.py")
    _fill(at, email="leeg@example.nl", name="   ")
    assert at.error[0].value == "Niet opgeslagen: Naam mag niet leeg zijn."
    _fill(at, email="geen-emailadres", name="Geen Adres")
    assert at.error[0].value == "Niet opgeslagen: E-mailadres: dat is geen geldig e-mailadres."
    assert not _exists("leeg@example.nl") and not _exists("geen-emailadres")
