"""The other screens open without error in a real browser and are photographed for the README:
a trainee's progress and typing test, the admin's users and content check, the manager's
reports, X's counter over its limit and the stop question on the practise screen, and the drill
inbox with a public conversation's reach."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import RunningApp
from tests.browser.ui import customer_name, log_in, main, open_page, shoot, wait_idle

ADMIN = "admin@demo.example"  # the demo's fixed admin (trainer.services.demo.FIXED_EMAILS)


def no_crash(page: Page) -> None:
    wait_idle(page)
    crash = main(page).get_by_test_id("stException")
    assert crash.count() == 0, crash.first.inner_text()


def test_screens_trainee_progress(app: RunningApp, page: Page, screenshots: Path):
    log_in(page, app.url, app.trainees[0], app.password)
    open_page(page, "Mijn voortgang")
    expect(main(page).get_by_text("Basis webcare").first).to_be_visible()
    no_crash(page)
    shoot(page, screenshots, "13-progress")


def test_screens_admin_users_and_content_check(app: RunningApp, page: Page, screenshots: Path):
    assert ADMIN in app.names, "the demo seed no longer creates the fixed admin"
    log_in(page, app.url, ADMIN, app.password)
    open_page(page, "Beheer")
    expect(main(page).get_by_role("tab", name="Gebruikers")).to_be_visible()
    expect(main(page).get_by_test_id("stDataFrame").first).to_be_visible()
    expect(main(page).get_by_text(app.manager).first).to_be_attached()  # a grid cell: drawn on a canvas
    no_crash(page)
    shoot(page, screenshots, "14-admin-users")
    main(page).get_by_role("tab", name="Contentcontrole").click()
    main(page).get_by_role("button", name="Controleer de content").click()
    expect(main(page).get_by_text("Alle content is in orde.").or_(
        main(page).get_by_text(re.compile(r"\bfout(en)? in de content")))).to_be_visible(timeout=90_000)
    no_crash(page)
    shoot(page, screenshots, "15-admin-content-check")


def test_screens_manager_reports(app: RunningApp, page: Page, screenshots: Path):
    log_in(page, app.url, app.manager, app.password)
    open_page(page, "Rapportages")
    expect(main(page).get_by_test_id("stDataFrame").first).to_be_visible()
    no_crash(page)
    shoot(page, screenshots, "19-reports")


def test_screens_practise_counter_over_the_limit_and_the_stop_question(app: RunningApp, page: Page, screenshots: Path):
    log_in(page, app.url, app.trainees[2], app.password)
    main(page).get_by_text("Vlucht geannuleerd, niemand bij de balie").click()
    wait_idle(page)
    main(page).get_by_role("button", name="Start het gesprek").click()
    expect(main(page).get_by_role("heading", name="Vlucht geannuleerd, niemand bij de balie")).to_be_visible()
    wait_idle(page)
    pasted = (f"Hoi {customer_name(page).split()[0]}, wat vervelend dat je vlucht is geannuleerd en er niemand bij de "
              "balie stond. Ik begrijp dat je je zorgen maakt over je reis. ") * 3 + "^Lisa"
    area = main(page).get_by_label(re.compile(r"^Jouw antwoord via"))
    area.fill(pasted)  # a paste: the box keeps it all and the counter says how much is too much
    area.press("Control+Enter")
    wait_idle(page)
    over = main(page).get_by_test_id("stAlertContentError").filter(has_text=f"{len(pasted)}/280 tekens")
    expect(over).to_contain_text(f"{len(pasted) - 280} te veel")
    expect(main(page).get_by_role("button", name="Verstuur")).to_be_disabled()
    no_crash(page)
    shoot(page, screenshots, "20-practise-x-counter-over")

    main(page).get_by_role("button", name="Stop dit gesprek").click()
    expect(main(page).get_by_text("Stoppen met dit gesprek? Het telt dan als afgebroken")).to_be_visible()
    expect(main(page).get_by_role("button", name="Ja, stop het gesprek")).to_be_visible()
    no_crash(page)
    shoot(page, screenshots, "21-practise-stop-confirm")
    main(page).get_by_role("button", name="Ja, stop het gesprek").click()
    expect(main(page).get_by_role("button", name="Start het gesprek")).to_be_visible()


def _drill_with_a_public_conversation(app: RunningApp, trainee_email: str) -> str:
    """A running storm drill of the demo team with an X conversation the trainee holds; its
    customer's name."""
    from datetime import timedelta

    from sqlmodel import Session, select

    from scenarios.announcements import PREFIX as ANNOUNCEMENT
    from trainer.db.drill_models import DrillConversation
    from trainer.db.engine import make_engine
    from trainer.db.models import TeamMembership, User
    from trainer.db.types import utcnow
    from trainer.services import drills

    with Session(make_engine(app.database_url), expire_on_commit=False) as session:
        manager = session.exec(select(User).where(User.email == app.manager)).one()
        trainee = session.exec(select(User).where(User.email == trainee_email)).one()
        team_id = session.exec(select(TeamMembership.team_id).where(TeamMembership.user_id == manager.id)).first()
        run = drills.create_drill(session=session, actor=manager, template_id="nl-storm-schiphol", team_id=team_id, seed=4)
        drills.start_drill(session=session, actor=manager, run_id=run.id, now=utcnow() - timedelta(seconds=120))
        drills.advance(session=session, actor=trainee, run_id=run.id, force=True)
        public = session.exec(select(DrillConversation).where(  # a customer, not a noise post or an announcement
            DrillConversation.run_id == run.id, DrillConversation.medium == "twitter",
            ~DrillConversation.scenario_id.startswith("noise:"),
            ~DrillConversation.scenario_id.startswith(ANNOUNCEMENT))).first()
        assert public is not None, "the storm drill brought no customer on X in its first two minutes"
        assert drills.claim(session=session, actor=trainee, conversation_id=public.id)
        return public.customer_name


def test_screens_drill_inbox_shows_a_public_conversations_reach(app: RunningApp, page: Page, screenshots: Path):
    trainee = app.trainees[2]
    customer = _drill_with_a_public_conversation(app, trainee)
    log_in(page, app.url, trainee, app.password)
    open_page(page, "Groepsoefening: inbox")
    main(page).get_by_role("button", name="Openen").click()
    wait_idle(page)
    area = main(page).get_by_label(re.compile(r"^Jouw antwoord"))
    area.fill("Daar kunnen wij ook niets aan doen. Kijk maar op de site.")  # curt and late: it goes round
    area.press("Control+Enter")
    wait_idle(page)
    main(page).get_by_role("button", name="Versturen").click()
    expect(main(page).get_by_text(re.compile(r"^Verstuurd\. Score \d+"))).to_be_visible(timeout=60_000)
    reach = main(page).locator(".wt-reach")
    expect(reach).to_be_visible()
    expect(reach).to_contain_text("bereikt")
    expect(main(page).get_by_text(customer).first).to_be_visible()
    for name in ("Label opslaan", "Overdragen", "Terug in de wachtrij", "Sluiten zonder antwoord"):
        button = main(page).get_by_role("button", name=name)
        cut = button.evaluate("b => [b, ...b.querySelectorAll('*')].some(e => e.scrollWidth > e.clientWidth + 1)")
        assert not cut, f"the button '{name}' is cut off in the work column"
    no_crash(page)
    shoot(page, screenshots, "22-drill-inbox-public-reach")
