"""Logging in, the menu per role, and the quick scoring page, driven by AppTest with the real
database, scorer and LanguageTool."""

from streamlit.testing.v1 import AppTest

from tests.trainer_ui.conftest import APP, login_form, logged_in_app
from trainer.db.engine import session_scope
from trainer.services import accounts



def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_app_shows_only_the_login_page_to_a_visitor(app_db):
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception
    assert at.title[0].value == "Webcare Trainer"
    assert [b.label for b in at.button] == ["Inloggen"]


def test_app_wrong_password_is_refused_in_plain_words(app_db):
    at = login_form(app_db.trainee, "wrong-password!")
    assert at.error[0].value == "E-mailadres of wachtwoord klopt niet."
    assert "login_token" not in at.session_state


def test_app_login_form_gives_the_browser_session_a_valid_token(app_db):
    at = login_form(app_db.trainee)
    with session_scope() as session:
        user = accounts.current_user(session=session, token=at.session_state["login_token"])
    assert user.email == app_db.trainee


def test_app_trainee_scores_a_reply_with_real_languagetool(app_db, grammar_checker):
    at = logged_in_app(app_db.trainee, "pages/score.py")
    assert "Tess Trainee" in at.sidebar.caption[0].value
    at.text_area[1].input("Hoi Sanne, je word morgen gebelt door een collega. ^Lisa")
    button(at, "Beoordeel").click().run()
    assert not at.exception
    assert at.metric[0].label == "Totaal"
    findings = " ".join(t.value for t in at.text)
    assert "d/t-fout: 'word' moet 'wordt' zijn." in findings


def test_app_empty_reply_is_refused_politely_in_english(app_db):
    at = logged_in_app(app_db.trainee)
    at.sidebar.radio[0].set_value("en").run()
    at.switch_page("pages/score.py").run()
    button(at, "Score").click().run()
    assert not at.exception
    assert "empty" in at.error[0].value


def test_app_logout_ends_the_login_session(app_db):
    at = logged_in_app(app_db.trainee)
    token = at.session_state["login_token"]
    button(at, "Uitloggen").click().run()
    assert "login_token" not in at.session_state
    with session_scope() as session:
        try:
            accounts.current_user(session=session, token=token)
        except accounts.SessionExpired:
            pass
        else:
            raise AssertionError("the token still works after logging out")


def test_app_scorecard_leads_with_the_three_fixes_worth_most(app_db, grammar_checker):
    at = logged_in_app(app_db.trainee, "pages/score.py")
    at.text_area[0].input("Al twee weken wacht ik op mijn nieuwe simkaart. Hoe lang nog?")
    at.text_area[1].input("Excuses voor het ongemak. ^Lisa")
    button(at, "Beoordeel").click().run()
    assert not at.exception
    assert at.markdown[0].value == "**Dit levert het meeste op**"
    lines = [t.value for t in at.text]
    assert lines[0].startswith("1. Je antwoord geeft de klant nog niets") and "punten)" in lines[0]
    assert lines[1].startswith("2. ") and lines[2].startswith("3. ") and not lines[3].startswith("4. ")
