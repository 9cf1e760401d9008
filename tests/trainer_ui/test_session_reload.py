"""Issue 11 #20 in the browser session: a reload (a new Streamlit session, with the browser's
session cookie) keeps a logged-in user logged in and in their conversation; logging out ends
the session for every copy of the cookie."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.trainer_ui.conftest import APP, logged_in_app, login_form
from trainer import ui_state


def reload_with_cookie(monkeypatch, token: str | None) -> AppTest:
    """What a browser reload is to the server: a fresh session that only has the cookie."""
    monkeypatch.setattr(ui_state, "browser_cookie", lambda: token)
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, at.exception
    return at


def cookie_scripts(at: AppTest) -> str:
    return " ".join(str(e.proto) for e in at.get("iframe")) + " ".join(str(e.proto) for e in at.get("html"))


def test_session_reload_login_sets_the_session_cookie(app_db):
    at = login_form(app_db.trainee)
    token = at.session_state["login_token"]
    assert f"{ui_state.COOKIE}={token}" in cookie_scripts(at)


def test_session_reload_keeps_the_user_logged_in(app_db, monkeypatch):
    at = login_form(app_db.trainee)
    again = reload_with_cookie(monkeypatch, at.session_state["login_token"])
    assert again.title[0].value != "Webcare Trainer"  # not the login page
    assert "login_token" in again.session_state


def test_session_reload_keeps_the_running_conversation(app_db, monkeypatch):
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    next(b for b in at.button if b.label == "Start het gesprek").click().run()
    title = at.title[0].value
    again = reload_with_cookie(monkeypatch, at.session_state["login_token"])
    assert again.title[0].value == title
    assert any("Jouw antwoord via" in a.label for a in again.text_area)


def test_session_reload_after_logout_is_logged_out(app_db, monkeypatch):
    at = login_form(app_db.trainee)
    token = at.session_state["login_token"]
    at = logged_in_app(app_db.trainee)  # a page with the sidebar's log-out button
    monkeypatch.setattr(ui_state, "browser_cookie", lambda: token)
    at.session_state["login_token"] = token
    at.run()
    next(b for b in at.sidebar.button if b.key == "logout").click().run()
    assert f"{ui_state.COOKIE}=;" in cookie_scripts(at)
    again = reload_with_cookie(monkeypatch, token)  # a copy of the cookie kept elsewhere
    assert "login_token" not in again.session_state
    assert again.title[0].value == "Webcare Trainer"
