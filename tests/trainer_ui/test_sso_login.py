"""Single sign-on through Streamlit's st.login: the identity maps to an active local account."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.trainer_ui.conftest import APP
from trainer.db.engine import session_scope
from trainer.services import accounts

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "webcare", "client_secret": "s", "server_metadata_url": "https://idp.example/.well-known/openid-configuration"}


def sso_app(user: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["auth"] = AUTH
    at.user = user
    return at.run()


def test_sso_button_is_offered_when_auth_is_configured(app_db):
    at = sso_app({"is_logged_in": False})
    assert not at.exception
    assert "Inloggen met je organisatie-account" in [b.label for b in at.button]


def test_sso_identity_with_a_local_account_gets_a_login_session(app_db):
    at = sso_app({"is_logged_in": True, "email": app_db.manager.upper(), "email_verified": True})
    assert not at.exception
    token = at.session_state["login_token"]
    with session_scope() as session:
        assert accounts.current_user(session=session, token=token).email == app_db.manager


def test_sso_identity_without_a_local_account_is_refused(app_db):
    at = sso_app({"is_logged_in": True, "email": "stranger@elsewhere.example", "email_verified": True})
    assert "login_token" not in at.session_state
    assert "stranger@elsewhere.example" in at.error[0].value


def test_sso_login_with_identity_refuses_a_disabled_account(app_db):
    from trainer.services.rights import SYSTEM

    with session_scope() as session:
        user = accounts.get_user_by_email(session=session, actor=SYSTEM, email=app_db.other_trainee)
        accounts.disable_user(session=session, actor=SYSTEM, user_id=user.id, reason="left the company")
    with session_scope() as session:
        try:
            accounts.login_with_identity(session=session, email=app_db.other_trainee, email_verified=True)
        except accounts.LoginFailed:
            return
    raise AssertionError("a disabled account logged in through single sign-on")


def test_sso_not_configured_shows_only_the_local_form(app_db):
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert [b.label for b in at.button] == ["Inloggen"]


@pytest.mark.parametrize("verified", [False, "false", None])
def test_sso_an_unverified_email_claim_is_refused(app_db, verified):
    """Issue 11 #14: a provider that has not verified the e-mail proves nobody owns it."""
    claims = {"is_logged_in": True, "email": app_db.manager}
    if verified is not None:
        claims["email_verified"] = verified
    at = sso_app(claims)
    assert not at.exception, at.exception
    assert "login_token" not in at.session_state
    assert "niet bevestigd" in at.error[0].value


def test_sso_login_with_identity_refuses_an_unverified_email(app_db):
    with session_scope() as session, pytest.raises(accounts.LoginFailed):
        accounts.login_with_identity(session=session, email=app_db.manager, email_verified=False)
