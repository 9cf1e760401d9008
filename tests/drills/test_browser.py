"""A drill in real browsers: one manager and three trainees in separate Chromium contexts,
served by two Streamlit processes on one PostgreSQL database behind nginx, configured by
docs/examples/nginx.conf (what docs/deployment.md gives an organisation).

Everyone works through the load balancer, which hands the browsers' websockets to both
servers; the manager creates and starts the drill, each trainee takes the most urgent customer
and replies. Every reply lands once, on three different customers, and nginx's log shows that
both servers carried browsers."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from sqlalchemy import text
from sqlmodel import Session, select

from tests.balancer import nginx_balancer
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_streamlit, wait_healthy
from tests.trainer.conftest import _postgres_url
from trainer.db.drill_models import DrillConversation, DrillEvent, DrillMessage
from trainer.db.engine import make_engine
from trainer.db.migrate import upgrade
from trainer.db.models import Role, TeamCreate, UserCreate
from trainer.services.drills.noise import is_noise

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "drill-wachtwoord-123"
IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.dataset.testScriptState === 'notRunning'
    && app.dataset.testConnectionState === 'CONNECTED';
}"""
expect.set_options(timeout=45_000)


def _serve(env: dict, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = start_streamlit(port, env, log)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, process, log)
    return process, url


@pytest.fixture
def two_servers(tmp_path):
    """A fresh PostgreSQL schema with a team (manager, three trainees) and two app servers on it."""
    base = _postgres_url()
    schema = f"drill_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{base}?options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    upgrade(engine)
    from trainer.services import accounts
    from trainer.services.rights import SYSTEM

    people = {"manager": "regie@drill.nl", "t1": "anna@drill.nl", "t2": "bram@drill.nl", "t3": "cem@drill.nl"}
    with Session(engine, expire_on_commit=False) as session:
        team = accounts.create_team(session=session, actor=SYSTEM, team_create=TeamCreate(name="Schiphol"))
        for key, email in people.items():
            role = Role.manager if key == "manager" else Role.trainee
            user = accounts.create_user(session=session, actor=SYSTEM, user_create=UserCreate(
                email=email, full_name=email.split("@")[0].title() + " Test", role=role, password=PASSWORD))
            accounts.add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=user.id, as_manager=role is Role.manager)
    env = {**os.environ, "DATABASE_URL": url, "TRUSTED_PROXIES": "127.0.0.1"}
    servers = [_serve(env, tmp_path / f"server{i}.log") for i in range(2)]
    try:
        with nginx_balancer([u.removeprefix("http://") for _, u in servers], tmp_path / "nginx") as balancer:
            yield people, balancer, engine
    finally:
        for process, _ in servers:
            process.terminate()
            process.wait(timeout=20)
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _idle(page: Page) -> None:
    page.wait_for_function(IDLE, timeout=45_000)


def _log_in(page: Page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    # The first login on a fresh server waits for the language models ("Taalmodellen laden…").
    expect(page.get_by_test_id("stSidebar").get_by_role("button", name="Uitloggen")).to_be_visible(timeout=60_000)
    _idle(page)


def _open(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(page.get_by_test_id("stMain").get_by_role("heading", name=title).first).to_be_visible()
    _idle(page)


def test_drill_browser_three_trainees_and_a_manager_on_two_servers(two_servers):
    people, balancer, engine = two_servers
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        contexts = {key: browser.new_context(viewport={"width": 1400, "height": 900}) for key in people}
        pages = {key: context.new_page() for key, context in contexts.items()}

        manager = pages["manager"]
        _log_in(manager, balancer.url, people["manager"])
        _open(manager, "Groepsoefening: regie")
        manager.get_by_role("button", name="Oefening aanmaken").click()
        # Start only once the page shows the new drill: a click on the page still drawing the
        # form's answer would land on the button row that is being replaced.
        expect(manager.get_by_test_id("stMetricValue").filter(has_text="Klaar om te starten")).to_be_visible()
        _idle(manager)
        manager.get_by_role("button", name="Start", exact=True).click()
        _idle(manager)
        expect(manager.get_by_test_id("stMetricValue").filter(has_text="Loopt")).to_be_visible()

        for key in ("t1", "t2", "t3"):
            _log_in(pages[key], balancer.url, people[key])
            _open(pages[key], "Groepsoefening: inbox")
        # The first customers arrive within the drill's first minute; the inbox refreshes itself.
        for key in ("t1", "t2", "t3"):
            page = pages[key]
            take = page.get_by_role("button", name="Pak het meest urgente gesprek")
            deadline = time.monotonic() + 90
            while True:
                take.click()
                _idle(page)
                if page.get_by_label("Jouw antwoord", exact=False).count():
                    break
                assert time.monotonic() < deadline, "no customer to take"
                time.sleep(2)
        for key in ("t1", "t2", "t3"):
            page = pages[key]
            page.get_by_label("Jouw antwoord", exact=False).fill(
                "Wat vervelend dat je vlucht is geannuleerd! Ik kijk direct met je mee. Stuur je je boekingscode via DM?")
            page.get_by_role("button", name="Versturen").click()
        for key in ("t1", "t2", "t3"):
            # "Verstuurd. Score …" for a customer; a noise post (a journalist, praise) has no score
            expect(pages[key].get_by_text("Verstuurd", exact=False).first).to_be_visible()
        browser.close()
    # nginx writes a websocket's line when it closes.
    deadline = time.monotonic() + 10
    while len(balancer.websockets_per_server()) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(balancer.websockets_per_server()) == 2, balancer.access_log.read_text()[-2000:]

    with Session(engine) as session:
        replies = session.exec(select(DrillMessage).where(DrillMessage.role == "agent")).all()
        claims = session.exec(select(DrillEvent).where(DrillEvent.kind == "claimed")).all()
        noise_posts = {r.conversation_id for r in replies if is_noise(session.get(DrillConversation, r.conversation_id))}
    assert len(replies) == 3 and len({r.user_id for r in replies}) == 3
    assert len({r.conversation_id for r in replies}) == 3  # three different customers
    # Every reply to a customer is scored; a noise post (a journalist, praise) is not.
    assert all((r.score_id is None) == (r.conversation_id in noise_posts) for r in replies)
    assert len({c.conversation_id for c in claims}) == len(claims)  # nobody took a taken customer
