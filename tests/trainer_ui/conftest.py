"""App fixtures: a fresh SQLite database file with real accounts, wired in through
DATABASE_URL exactly as a deployment would, and helpers to log in through the login page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from trainer.db import engine as db_engine
from trainer.db.migrate import upgrade
from trainer.db.models import Role, TeamCreate, UserCreate
from trainer.services import accounts
from trainer.services.rights import SYSTEM
from trainer.settings import get_settings

APP = str(Path(__file__).resolve().parents[2] / "trainer" / "app.py")
PASSWORD = "correct-horse-battery"


@dataclass
class Accounts:
    trainee: str = "trainee@example.nl"
    other_trainee: str = "trainee2@example.nl"
    manager: str = "manager@example.nl"
    admin: str = "admin@example.nl"


@pytest.fixture
def app_db(tmp_path, monkeypatch) -> Accounts:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'app.db'}")
    get_settings.cache_clear()
    db_engine._engine_for.cache_clear()
    engine = db_engine.get_engine()
    upgrade(engine)
    names = Accounts()
    with db_engine.session_scope(engine) as session:
        team = accounts.create_team(session=session, actor=SYSTEM, team_create=TeamCreate(name="Webcare Zuid"))
        for email, role, full_name in [
            (names.trainee, Role.trainee, "Tess Trainee"),
            (names.other_trainee, Role.trainee, "Tim Trainee"),
            (names.manager, Role.manager, "Mira Manager"),
            (names.admin, Role.admin, "Ada Admin"),
        ]:
            user = accounts.create_user(session=session, actor=SYSTEM, user_create=UserCreate(
                email=email, full_name=full_name, role=role, password=PASSWORD))
            if role is not Role.admin:
                accounts.add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=user.id,
                                    as_manager=role is Role.manager)
    yield names
    db_engine._engine_for.cache_clear()
    get_settings.cache_clear()


def login_form(email: str, password: str = PASSWORD) -> AppTest:
    """Fill in the login page as a visitor would."""
    at = AppTest.from_file(APP, default_timeout=90).run()
    assert not at.exception, at.exception
    at.text_input[0].input(email)
    at.text_input[1].input(password)
    at.button[0].click().run()
    assert not at.exception, at.exception
    return at


def closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again: nothing listens there


def unreachable_url() -> str:
    """A PostgreSQL URL where nothing listens: every connection fails with a real OperationalError."""
    return f"postgresql+psycopg://webcare:webcare@127.0.0.1:{closed_port()}/webcare"


def app_with_database_down(email: str, monkeypatch) -> AppTest:
    """A browser session of `email` (logged in while the database was up) whose next run finds
    the database server down; not run yet."""
    with db_engine.session_scope() as session:
        token = accounts.login(session=session, email=email, password=PASSWORD).token
    monkeypatch.setenv("DATABASE_URL", unreachable_url())
    get_settings.cache_clear()
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["login_token"] = token
    return at


def logged_in_app(email: str, page: str | None = None) -> AppTest:
    """A browser session that logged in as `email`: a real login token in its session state.

    (AppTest keeps asking for the page the last run ended on, so it cannot follow the login
    page's redirect the way a browser does; the browser tests cover that.)"""
    with db_engine.session_scope() as session:
        token = accounts.login(session=session, email=email, password=PASSWORD).token
    at = AppTest.from_file(APP, default_timeout=90)
    at.session_state["login_token"] = token
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(page).run()
        assert not at.exception, at.exception
    return at


@pytest.fixture(autouse=True)
def fresh_login_throttle(monkeypatch):
    """Each test starts with no failed logins counted in this process."""
    from trainer.services import auth_throttle

    monkeypatch.setattr(auth_throttle, "_PROCESS", auth_throttle.Throttle())


@pytest.fixture(autouse=True)
def no_stale_sweep_due(monkeypatch):
    """This process swept stale attempts a moment ago, so no screen sweeps unless a test asks
    for it with `stale_sweep_due` (the sweep's own tests are in tests/trainer/test_stale_attempts.py)."""
    import time

    from trainer.services import stale_attempts

    schedule = stale_attempts.Schedule()
    schedule.claim(0, time.monotonic())
    monkeypatch.setattr(stale_attempts, "_PROCESS", schedule)


@pytest.fixture
def stale_sweep_due(monkeypatch, no_stale_sweep_due):
    """The next screen that may sweep stale attempts does (as after ATTEMPT_SWEEP_MINUTES)."""
    from trainer import resources
    from trainer.services import stale_attempts

    monkeypatch.setattr(stale_attempts, "_PROCESS", stale_attempts.Schedule())
    resources.prepare_database.clear()  # as in a process that has just started
    yield
    resources.prepare_database.clear()
