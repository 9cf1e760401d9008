"""Issue 11 #11 on screen: change your own password; after an admin's reset, the account page is
the only page until the temporary password is replaced."""

from tests.trainer_ui.conftest import PASSWORD, logged_in_app
from trainer.db.engine import session_scope
from trainer.services import accounts
from trainer.services.rights import SYSTEM

STRONG = "blauwe-kraan-naast-het-raam"


def field(at, label):
    return next(i for i in at.text_input if i.label == label)


def change(at, current, new, repeat=None):
    field(at, "Huidig wachtwoord").input(current)
    field(at, "Nieuw wachtwoord").input(new)
    field(at, "Nieuw wachtwoord nog een keer").input(repeat or new)
    next(b for b in at.button if b.label == "Wachtwoord wijzigen").click().run()
    assert not at.exception, at.exception
    return at


def test_account_page_changes_the_password_and_explains_a_refusal(app_db):
    at = logged_in_app(app_db.trainee, "pages/account.py")
    assert at.title[0].value == "Mijn account"
    change(at, PASSWORD, "Welkom2025!!")
    assert "te makkelijk te raden" in at.error[0].value
    change(at, PASSWORD, STRONG, repeat=STRONG + "x")
    assert "niet hetzelfde" in at.error[0].value
    change(at, PASSWORD, STRONG)
    assert at.success and not at.error
    with session_scope() as session:
        assert accounts.login(session=session, email=app_db.trainee, password=STRONG).user.email == app_db.trainee


def test_account_page_is_the_only_page_until_a_reset_password_is_changed(app_db):
    with session_scope() as session:
        trainee = accounts.get_user_by_email(session=session, actor=SYSTEM, email=app_db.trainee)
        temporary = accounts.reset_password(session=session, actor=SYSTEM, user_id=trainee.id, reason="vergeten")
    from streamlit.testing.v1 import AppTest

    from tests.trainer_ui.conftest import APP

    with session_scope() as session:
        token = accounts.login(session=session, email=app_db.trainee, password=temporary).token
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["login_token"] = token
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Mijn account" and at.warning
    change(at, temporary, STRONG)
    at.switch_page("pages/practise.py").run()  # the rest of the app is open again
    assert not at.exception and at.title[0].value == "Oefenen"


def test_account_page_admin_resets_a_users_password(app_db):
    at = logged_in_app(app_db.admin, "pages/account.py")
    users = at.selectbox(key="reset_user")
    users.select_index(next(i for i, o in enumerate(users.options) if app_db.other_trainee in o))  # sent with the form
    field(at, "Waarom?").input("wachtwoord kwijt")
    next(b for b in at.button if b.label == "Tijdelijk wachtwoord maken").click().run()
    assert not at.exception, at.exception
    temporary = at.code[0].value
    with session_scope() as session:
        assert accounts.login(session=session, email=app_db.other_trainee, password=temporary).user.must_change_password
