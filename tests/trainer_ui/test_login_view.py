"""The login screen's view functions, on a real SQLite database and without Streamlit: the
password really checked, every refusal worded, the lock-out and the single sign-on's rules."""

from __future__ import annotations

import re

import pytest

from tests.trainer_ui.conftest import PASSWORD
from trainer.db.engine import session_scope
from trainer.services import accounts
from trainer.services.limits import limits
from trainer.services.rights import SYSTEM
from trainer.settings import get_settings
from trainer.views import login as view

CLIENT = "192.0.2.7"


def _user_behind(token: str) -> str:
    with session_scope() as session:
        return accounts.current_user(session=session, token=token).email


def test_login_view_right_password_gives_a_working_token(app_db):
    done = view.log_in(language="nl", email=f"  {app_db.trainee.upper()} ", password=PASSWORD, client=CLIENT)
    assert done.refusal is None and done.user_language == "nl"
    assert _user_behind(done.token) == app_db.trainee


@pytest.mark.parametrize(("language", "text"), [
    ("nl", "E-mailadres of wachtwoord klopt niet."),
    ("en", "Wrong e-mail address or password."),
])
def test_login_view_wrong_password_and_unknown_email_get_the_same_words(app_db, language, text):
    wrong = view.log_in(language=language, email=app_db.trainee, password="niet-mijn-wachtwoord", client=CLIENT)
    stranger = view.log_in(language=language, email="niemand@example.nl", password=PASSWORD, client=CLIENT)
    assert (wrong.refusal, wrong.token) == (text, None)
    assert stranger == wrong


def test_login_view_too_long_password_is_refused_before_it_counts(app_db):
    limit = limits().password_chars
    done = view.log_in(language="nl", email=app_db.trainee, password="x" * (limit + 1), client=CLIENT)
    assert done.refusal.startswith(f"Het wachtwoord is te lang: {limit + 1} tekens") and done.token is None
    assert view.log_in(language="nl", email=app_db.trainee, password=PASSWORD, client=CLIENT).token


def test_login_view_locks_out_after_too_many_failures_even_the_right_password(app_db):
    for _ in range(get_settings().LOGIN_MAX_FAILURES - 1):
        assert view.log_in(language="nl", email=app_db.trainee, password="fout", client=CLIENT).refusal == (
            "E-mailadres of wachtwoord klopt niet.")
    locked = view.log_in(language="nl", email=app_db.trainee, password="fout", client=CLIENT)
    assert re.fullmatch(r"Te veel mislukte pogingen\. Probeer het na \d\d:\d\d opnieuw\.", locked.refusal)
    again = view.log_in(language="nl", email=app_db.trainee, password=PASSWORD, client=CLIENT)
    assert again == locked  # locked: the right password is not even checked
    elsewhere = view.log_in(language="nl", email=app_db.trainee, password=PASSWORD, client="198.51.100.9")
    assert elsewhere.token and _user_behind(elsewhere.token) == app_db.trainee  # only that address is locked


def test_login_view_identity_of_an_active_account_logs_in(app_db):
    done = view.log_in_with_identity(language="nl", email=app_db.manager.upper(), email_verified=True)
    assert done.refusal is None and _user_behind(done.token) == app_db.manager


@pytest.mark.parametrize("verified", [False, "true", None])
def test_login_view_identity_unverified_is_refused_naming_the_email(app_db, verified):
    done = view.log_in_with_identity(language="nl", email="mira_*manager*@example.nl", email_verified=verified)
    assert done.token is None
    assert done.refusal.startswith(r"Je organisatie-account heeft het e-mailadres mira\_\*manager\*@example.nl niet bevestigd")


def test_login_view_identity_without_an_active_account_is_refused(app_db):
    stranger = view.log_in_with_identity(language="nl", email="vreemde@elders.example", email_verified=True)
    assert stranger.token is None and stranger.refusal.startswith(
        "Je organisatie-account (vreemde@elders.example) heeft nog geen account in Webcare Trainer.")
    with session_scope() as session:
        tess = accounts.get_user_by_email(session=session, actor=SYSTEM, email=app_db.trainee)
        accounts.disable_user(session=session, actor=SYSTEM, user_id=tess.id, reason="uit dienst")
    disabled = view.log_in_with_identity(language="en", email=app_db.trainee, email_verified=True)
    assert disabled.token is None and app_db.trainee in disabled.refusal
