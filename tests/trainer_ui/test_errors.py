"""Issue 11 #4: an unexpected error shows a plain message with an incident id, never a
traceback; the detail (with the same id) goes to the log."""

import logging
import re
import tomllib
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.trainer_ui.conftest import APP, PASSWORD, app_with_database_down
from trainer.db.engine import session_scope
from trainer.services import accounts, practice

ROOT = Path(__file__).resolve().parents[2]


def test_errors_streamlit_never_shows_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_errors_a_failing_page_shows_an_incident_id_and_logs_the_detail(app_db, monkeypatch, caplog):
    with session_scope() as session:
        token = accounts.login(session=session, email=app_db.trainee, password=PASSWORD).token

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/webcare/secret/path.py exploded")

    monkeypatch.setattr(practice, "choices", broken)
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["login_token"] = token
    with caplog.at_level(logging.ERROR):
        at.run()  # the default page, practise, through the app's navigation
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error)
    match = re.search(r"\b([0-9a-f]{8})\b", shown)
    assert match and "exploded" not in shown and "Traceback" not in shown, shown
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged and logged[0].exc_info and "exploded" in str(logged[0].exc_info[1])


def test_errors_a_database_that_is_down_shows_an_incident_id_not_the_error(app_db, monkeypatch, caplog):
    """The database server stops answering (here: a PostgreSQL URL where nothing listens): a
    logged-in user opening a page reads the incident message; the connection error, with the
    server's address, is only in the log. (Only an AppTest's first run goes through app.py: with
    a `pages/` folder beside it, Streamlit runs a later run's page directly.)"""
    at = app_with_database_down(app_db.trainee, monkeypatch)
    with caplog.at_level(logging.ERROR):
        at.run()
    assert not at.exception, at.exception
    shown = " ".join(e.value for e in at.error)
    match = re.search(r"\b([0-9a-f]{8})\b", shown)
    assert match and "127.0.0.1" not in shown and "OperationalError" not in shown, shown
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged and "connection" in str(logged[0].exc_info[1]).lower()
