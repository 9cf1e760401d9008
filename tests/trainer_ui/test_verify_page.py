"""The public verify page in AppTest: a visitor (no login) follows a certificate's link or types
its code and sees name, level, dates and status, nothing else; an unknown code is a plain "not
found" in the visitor's language; guessing is throttled per address."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlmodel import select
from streamlit.testing.v1 import AppTest

from tests.trainer_ui.conftest import APP, logged_in_app
from tests.trainer_ui.test_dutch_everywhere import offending, shown_texts
from trainer.db.engine import session_scope
from trainer.db.models import Certification, User
from trainer.navigation import visible_pages
from trainer.settings import get_settings

GRANTED = datetime(2026, 12, 7, 10, 0, tzinfo=timezone.utc)
CODE = "WT-ABCD-EFGH-JKMN"


def _certify(app_db, *, code=CODE, granted=GRANTED, expires=timedelta(days=365), revoked=False) -> None:
    with session_scope() as session:
        trainee = session.exec(select(User).where(User.email == app_db.trainee)).one()
        manager = session.exec(select(User).where(User.email == app_db.manager)).one()
        session.add(Certification(
            user_id=trainee.id, level="basic_webcare", granted_by_id=manager.id, granted_at=granted,
            expires_at=granted + expires, comment="Sterke antwoorden, ook onder druk.", verification_code=code,
            revoked_at=granted + timedelta(days=1) if revoked else None, revoked_by_id=manager.id if revoked else None,
            revoke_reason="Fraude" if revoked else "",
        ))
        session.commit()


def visitor(code: str | None = None, language: str = "nl") -> AppTest:
    """A browser with no login opening /verify (with ?code=... when given)."""
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["ui_language"] = language
    if code is not None:
        at.query_params["code"] = code
    at.run()
    at.switch_page("pages/verify.py").run()
    assert not at.exception, at.exception
    return at


def _everything(at: AppTest) -> str:
    return "\n".join(shown_texts(at))


def test_verify_page_a_visitor_follows_the_link_and_sees_only_name_level_dates_status(app_db):
    _certify(app_db)
    at = visitor(CODE.lower())
    assert [s.value for s in at.success] == ["Dit certificaat is echt en geldig."]
    shown = [m.value for m in at.markdown]
    assert shown == ["**Naam:** Tess Trainee", "**Niveau:** Basis webcare", "**Uitgereikt op:** 7 december 2026",
                     "**Geldig tot:** 7 december 2027", "**Status:** Geldig"]
    everything = _everything(at)
    for private in (app_db.trainee, "Mira Manager", "Sterke antwoorden", "score"):
        assert private not in everything
    assert at.text_input[0].value == CODE.lower()
    assert not any(button.label == "Uitloggen" for button in at.button)  # nobody logged in, nothing refused


def test_verify_page_typed_code_and_statuses(app_db):
    _certify(app_db)
    _certify(app_db, code="WT-EXPR-REDD-2222", granted=datetime(2024, 1, 8, 9, 0, tzinfo=timezone.utc))  # ran out in 2025
    _certify(app_db, code="WT-REVK-EDDD-3333", revoked=True)
    at = visitor()
    assert not at.success and not at.error and not at.info  # no code yet: just the form
    at.text_input[0].input("WT-EXPR-REDD-2222")
    at.button[0].click().run()
    assert [w.value for w in at.warning] == ["Dit certificaat is echt, maar verlopen."]
    assert "**Status:** Verlopen" in [m.value for m in at.markdown]
    assert at.query_params["code"] == "WT-EXPR-REDD-2222"  # the address bar links to this answer
    at.text_input[0].input("WT-REVK-EDDD-3333")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Dit certificaat is ingetrokken en telt niet meer."]
    assert "**Status:** Ingetrokken" in [m.value for m in at.markdown]


@pytest.mark.parametrize("language, message", [
    ("nl", "Geen certificaat gevonden met deze code. Controleer of je hem goed hebt overgenomen."),
    ("en", "No certificate found with this code. Check that you copied it correctly."),
])
def test_verify_page_unknown_code_is_a_plain_not_found(app_db, language, message):
    _certify(app_db)
    at = visitor("WT-AAAA-BBBB-CCCC", language)
    assert [i.value for i in at.info] == [message]
    assert not at.markdown and not at.success


def test_verify_page_guessing_is_throttled(app_db, monkeypatch):
    monkeypatch.setenv("VERIFY_MAX_FAILURES", "2")
    get_settings.cache_clear()
    _certify(app_db)
    at = visitor("WT-AAAA-BBBB-CCCC")
    at.text_input[0].input("WT-AAAA-BBBB-DDDD")
    at.button[0].click().run()
    assert at.info  # the second unknown code: still "not found"
    at.text_input[0].input(CODE)
    at.button[0].click().run()
    assert len(at.error) == 1 and at.error[0].value.startswith("Te veel onbekende codes geprobeerd vanaf dit adres.")
    assert not at.success and not at.markdown  # even a real code waits now


def test_verify_page_is_in_the_visitors_menu_and_everyones(app_db):
    assert [page.file for page in visible_pages(None)] == ["pages/login.py", "pages/verify.py"]
    with session_scope() as session:
        for user in session.exec(select(User)).all():
            assert "pages/verify.py" in [page.file for page in visible_pages(user)]
    _certify(app_db)
    at = logged_in_app(app_db.manager, "pages/verify.py")
    at.text_input[0].input(CODE)
    at.button[0].click().run()
    assert [s.value for s in at.success] == ["Dit certificaat is echt en geldig."]


def test_verify_page_dutch_everywhere_for_a_visitor(app_db):
    _certify(app_db)
    for code in (None, CODE, "WT-AAAA-BBBB-CCCC"):
        assert offending(shown_texts(visitor(code))) == []
