"""The account screen's view functions, on a real SQLite database and without Streamlit."""

from __future__ import annotations

import pytest

from tests.trainer_ui.conftest import PASSWORD
from tests.trainer_ui.conftest_extra import user_id
from tests.trainer_ui.test_practice_service import user
from trainer.db.engine import session_scope
from trainer.services import accounts
from trainer.services.limits import limits
from trainer.services.rights import PermissionDenied
from trainer.settings import get_settings
from trainer.views import account as view

STRONG = "blauwe-kraan-naast-het-raam"


def _screen(actor, language="nl") -> view.AccountScreen:
    with session_scope() as session:
        return view.account_screen(session=session, actor=actor, language=language)


def _logs_in(email: str, password: str) -> bool:
    try:
        with session_scope() as session:
            accounts.login(session=session, email=email, password=password)
    except accounts.LoginFailed:
        return False
    return True


def test_account_view_offers_resets_to_admins_only(app_db):
    trainee = _screen(user(app_db.trainee))
    assert trainee.reset_targets is None and trainee.must_change is None
    assert str(get_settings().PASSWORD_MIN_LENGTH) in trainee.password_rules
    admin = _screen(user(app_db.admin), "en")
    assert admin.reset_targets[user_id(app_db.trainee)] == f"Tess Trainee <{app_db.trainee}>"
    assert user_id(app_db.admin) not in admin.reset_targets


def test_account_view_words_every_refused_change(app_db):
    trainee = user(app_db.trainee)
    arguments = dict(actor=trainee, language="nl", keep_token=None)
    mismatch = view.change_password(current=PASSWORD, new=STRONG, repeat=STRONG + "x", **arguments)
    assert (mismatch.saved, mismatch.message) == (False, "De twee nieuwe wachtwoorden zijn niet hetzelfde.")
    weak = view.change_password(current=PASSWORD, new="Welkom2025!!", repeat="Welkom2025!!", **arguments)
    assert not weak.saved and "te makkelijk te raden" in weak.message
    wrong = view.change_password(current="niet-mijn-wachtwoord", new=STRONG, repeat=STRONG, **arguments)
    assert wrong.message == "Je huidige wachtwoord klopt niet."
    long = "x" * (limits().password_chars + 1)
    assert not view.change_password(current=PASSWORD, new=long, repeat=long, **arguments).saved
    assert _logs_in(app_db.trainee, PASSWORD)
    done = view.change_password(current=PASSWORD, new=STRONG, repeat=STRONG, **arguments)
    assert (done.saved, done.reopens) == (True, False)
    assert _logs_in(app_db.trainee, STRONG) and not _logs_in(app_db.trainee, PASSWORD)


def test_account_view_after_a_reset_the_change_reopens_the_app(app_db):
    admin = user(app_db.admin)
    refused = view.reset_password(actor=admin, language="nl", user_id=user_id(app_db.trainee), label="Tess", reason=" ")
    assert not refused.saved and refused.message.startswith("Niet gereset: ") and refused.temporary is None
    done = view.reset_password(actor=admin, language="nl", user_id=user_id(app_db.trainee), label="Tess *T*",
                               reason="wachtwoord kwijt")
    assert done.saved and done.message == r"Tijdelijk wachtwoord voor Tess \*T\* (wordt niet opnieuw getoond):"
    with session_scope() as session:
        trainee = accounts.login(session=session, email=app_db.trainee, password=done.temporary).user
    assert _screen(trainee).must_change
    changed = view.change_password(actor=trainee, language="nl", current=done.temporary, new=STRONG, repeat=STRONG,
                                   keep_token=None)
    assert changed.saved and changed.reopens


def test_account_view_reset_is_for_admins(app_db):
    with pytest.raises(PermissionDenied):
        view.reset_password(actor=user(app_db.manager), language="nl", user_id=user_id(app_db.trainee), label="Tess",
                            reason="zomaar")
