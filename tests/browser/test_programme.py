"""The training programme in a real browser, end to end: a manager sets a trainee a scenario
with a due date, the trainee finds it under "Te doen" and plays it, the manager overrides a
reply of it with a comment and opens the trainee's progress page, and the trainee reads the
comment on their Feedback page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import RunningApp
from tests.browser.test_trainee import fill, first_name_in, scenario, scripted_path
from tests.browser.ui import briefing, customer_name, log_in, main, open_page, pick, send_reply, shoot, sidebar, wait_idle

TITLE = "Vlucht geannuleerd, niemand bij de balie"
COMMENT = "Sterk dat je meteen naar DM ging. Noem de volgende keer ook wanneer de klant weer iets hoort."


def log_out(page: Page) -> None:
    sidebar(page).get_by_role("button", name="Uitloggen").click()
    expect(main(page).get_by_role("button", name="Inloggen")).to_be_visible()


def test_programme_assign_play_review_and_read_the_feedback(app: RunningApp, page: Page, screenshots: Path):
    trainee = app.trainees[1]
    name = app.names[trainee]

    # The manager sets the scenario, due in a week (the form's default).
    log_in(page, app.url, app.manager, app.password)
    open_page(page, "Opdrachten")
    pick(page, "Voor wie", name)
    pick(page, "Scenario", TITLE)
    main(page).get_by_role("button", name="Klaarzetten").click()
    expect(main(page).get_by_text(re.compile(rf"^Klaargezet voor één trainee: Scenario: {TITLE}, uiterlijk"))) \
        .to_be_visible()
    overview = main(page).get_by_test_id("stDataFrame").last
    expect(overview).to_contain_text(name)
    shoot(page, screenshots, "23-manager-assignments")
    log_out(page)

    # The trainee sees it, open, and plays it to its end.
    log_in(page, app.url, trainee, app.password)
    open_page(page, "Te doen")
    task = main(page).get_by_text(re.compile(rf"Op schema · Scenario: {TITLE} · uiterlijk \d{{2}}-\d{{2}}-\d{{4}}"))
    expect(task).to_be_visible()
    shoot(page, screenshots, "24-trainee-todo")
    main(page).get_by_role("link", name="Nu oefenen").click()  # straight into the conversation
    expect(main(page).get_by_role("heading", name=TITLE)).to_be_visible()
    wait_idle(page)
    flight = scenario("vlucht-geannuleerd-schiphol.yaml")
    customer = customer_name(page)
    first_name = first_name_in(flight["briefing"], briefing(page))
    replies = [fill(r["text"], customer, first_name) for r in scripted_path(flight, "resolved", "twitter")]
    for reply in replies:
        send_reply(page, reply)
    expect(main(page).get_by_text("Opgelost: de klant is geholpen.")).to_be_visible()
    open_page(page, "Te doen")
    expect(main(page).get_by_text(re.compile(rf"Klaar · Scenario: {TITLE}"))).to_be_visible()
    expect(main(page).get_by_role("link", name="Nu oefenen")).to_have_count(0)  # done: nothing to start
    log_out(page)

    # The manager overrides the first reply of that conversation with a comment.
    log_in(page, app.url, app.manager, app.password)
    open_page(page, "Team")
    pick(page, "Trainee", name)
    expect(main(page).get_by_role("heading", name=name)).to_be_visible()
    first_words = " ".join(replies[0].split()[:5])
    card = main(page).get_by_test_id("stExpander").filter(has_text=first_words).first
    expect(card).to_be_visible()  # the newest conversation is the one shown first
    wait_idle(page)  # the transcript's forms are drawn again once the run settles
    automatic = int(re.search(r"Beoordeling: (\d+)/100", card.inner_text()).group(1))
    override = 95 if automatic < 90 else 70
    form = card.get_by_test_id("stForm").first
    form.get_by_label("Jouw score", exact=True).fill(str(override))
    form.get_by_label("Jouw score", exact=True).press("Tab")
    form.get_by_label("Toelichting voor de trainee", exact=True).fill(COMMENT)
    form.get_by_role("button", name="Score aanpassen").click()
    expect(main(page).get_by_text("Je score is opgeslagen naast de automatische score.")).to_be_visible()

    # ... and opens the trainee's progress page from there.
    main(page).get_by_role("link", name="Voortgangspagina openen").click()
    expect(main(page).get_by_role("heading", name=f"Voortgang van {name}")).to_be_visible()
    expect(main(page).get_by_role("heading", name="Van eerste naar beste poging")).to_be_visible()
    expect(main(page).get_by_role("link", name="Terug naar Team")).to_be_visible()
    shoot(page, screenshots, "25-manager-trainee-progress")
    log_out(page)

    # The trainee reads the comment beside the automatic score.
    log_in(page, app.url, trainee, app.password)
    menu = page.get_by_test_id("stSidebarNav")
    expect(menu.get_by_role("link", name=re.compile(r"^Feedback \(\d+\)"))).to_be_visible()
    menu.get_by_role("link", name=re.compile(r"^Feedback")).click()
    wait_idle(page)
    expect(main(page).get_by_text(COMMENT).first).to_be_visible()
    expect(main(page).get_by_text(f"Score van je dialoogmanager: {override} (deze telt)").first).to_be_visible()

    # Any past conversation reopens with the model answers beside the replies: the newest is this one.
    past = main(page).get_by_test_id("stSelectbox").filter(has=page.get_by_text("Gesprek", exact=True)).first
    past.get_by_role("button", name="Open").click()
    page.get_by_role("option", name=re.compile(rf"^{TITLE} · X \(Twitter\) · .* · Opgelost")).first.click()
    wait_idle(page)
    expect(main(page).get_by_text("Modelantwoord", exact=True).first).to_be_visible()
    expect(main(page).get_by_text(" ".join(replies[-1].split()[-5:])).first).to_be_visible()
    shoot(page, screenshots, "26-trainee-feedback-and-replay")
