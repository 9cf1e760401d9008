"""A trainee in a real browser: log in, play scenarios to their end on two media with the
scenario's own scripted replies (so the ending is known), score a single reply, search the
knowledge base, switch the language. Every screen visited is photographed."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, VIEWPORT, RunningApp
from tests.browser.ui import (briefing, customer_name, cut_off_metrics, log_in, main, open_page, pick, send_reply, shoot,
                              sidebar, thread_messages, wait_idle)

SCENARIOS = ROOT / "content" / "scenarios" / "nl"


def scenario(file: str) -> dict:
    return yaml.safe_load((SCENARIOS / file).read_text())


def scripted_path(scenario: dict, ends: str, medium: str) -> list[dict]:
    """The replies of the scenario's own test path with this ending, as {text, action} items."""
    path = next(p for p in scenario["test_paths"] if p["ends"] == ends and p["medium"] == medium)
    return [r if isinstance(r, dict) else {"text": r} for r in path["replies"]]


def first_name_in(template: str, shown: str) -> str:
    """The persona's first name, read back from the briefing on screen by matching it against
    the briefing's template (a first name may hold a space; Dutch surnames often do)."""
    pattern = ""
    for literal, field in re.findall(r"([^{]*)(?:\{(\w+)\})?", " ".join(template.split())):
        pattern += r"\s+".join(map(re.escape, literal.split(" ")))
        if field:
            pattern += r"(?P<first_name>.+?)" if field == "first_name" and "first_name" not in pattern else r".+?"
    found = re.search(pattern, " ".join(shown.split()))
    assert found, f"the briefing on screen does not match its template:\n{shown}"
    return found.group("first_name")


def fill(template: str, name: str, first_name: str) -> str:
    return template.replace("{first_name}", first_name).replace("{name}", name)


def choose_scenario(page: Page, medium: str, title: str) -> None:
    if medium != "X (Twitter)":
        pick(page, "Medium", medium)
    main(page).get_by_text(title).click()
    wait_idle(page)


def test_trainee_logs_in_and_sees_the_practise_screen(app: RunningApp, page: Page, screenshots: Path):
    page.goto(app.url)
    expect(main(page).get_by_role("button", name="Inloggen")).to_be_visible()
    # A visitor's menu: log in, or check a certificate (public).
    expect(page.get_by_test_id("stSidebarNav").get_by_role("link", name="Certificaat controleren")).to_be_visible()
    shoot(page, screenshots, "01-login")
    log_in(page, app.url, app.trainees[0], app.password)
    expect(main(page).get_by_role("heading", name="Oefenen")).to_be_visible()
    menu = page.get_by_test_id("stSidebarNav")
    for title in ("Oefenen", "Kennisbank", "Snel een antwoord scoren"):
        expect(menu.get_by_role("link", name=title)).to_be_visible()
    expect(menu.get_by_role("link", name="Team")).to_have_count(0)
    expect(main(page).get_by_text("Vlucht geannuleerd, niemand bij de balie")).to_be_visible()
    shoot(page, screenshots, "02-practise-choose")
    no_developer_tools(page)  # after the picture: the menu button keeps its focus ring


def no_developer_tools(page: Page) -> None:
    """.streamlit/config.toml's `toolbarMode = "viewer"` holds under `webcare serve`, even on
    localhost: no Deploy button, no Rerun or Clear cache in the menu."""
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
    page.get_by_test_id("stMainMenu").click()
    menu = page.get_by_test_id("stMainMenuList")
    expect(menu.get_by_text("Print")).to_be_visible()
    for developer_item in ("Deploy", "Rerun", "Clear cache", "Settings"):
        expect(menu.get_by_text(developer_item, exact=True)).to_have_count(0)
    page.keyboard.press("Escape")
    expect(menu).to_have_count(0)


def test_trainee_plays_a_tweet_to_a_resolved_ending(app: RunningApp, page: Page, screenshots: Path):
    log_in(page, app.url, app.trainees[0], app.password)
    choose_scenario(page, "X (Twitter)", "Vlucht geannuleerd, niemand bij de balie")
    main(page).get_by_role("button", name="Start het gesprek").click()
    expect(main(page).get_by_role("heading", name="Vlucht geannuleerd, niemand bij de balie")).to_be_visible()
    wait_idle(page)
    flight = scenario("vlucht-geannuleerd-schiphol.yaml")
    name = customer_name(page)
    first_name = first_name_in(flight["briefing"], briefing(page))
    assert name.startswith(first_name), (name, first_name)
    opening = thread_messages(page)
    assert len(opening) == 1 and "@SkyNL" in opening[0], opening
    expect(main(page).locator(".wt-tweet")).to_have_count(1)  # drawn as a tweet card
    expect(main(page).get_by_text(re.compile(r"\d+ volgers"))).not_to_have_count(0)

    replies = scripted_path(flight, "resolved", "twitter")
    for number, reply in enumerate(replies, 1):
        card = send_reply(page, fill(reply["text"], name, first_name))
        expect(card.get_by_test_id("stMetric").filter(has_text="Totaal")).to_contain_text("Geslaagd")
        for dimension in ("Toon", "Spelling", "Lengte", "Privacy", "Inhoud"):
            expect(card.get_by_test_id("stMetric").filter(has_text=dimension)).to_have_count(1)
        messages = thread_messages(page)
        assert len(messages) == 2 * number + 1, messages  # the customer answered back
        if number == 1:
            assert "DM" in messages[-1] or re.search(r"\b[A-Z0-9]{6}\b", messages[-1]), messages[-1]
            expect(main(page).get_by_text("Verder via X-privébericht (DM)")).to_be_visible()
            for width in (1024, VIEWPORT["width"]):  # the reviewers' laptop and a small window
                assert cut_off_metrics(page, width) == [], f"cut off at {width} px"
            shoot(page, screenshots, "03-practise-conversation-scorecard")

    expect(main(page).get_by_text("Opgelost: de klant is geholpen.")).to_be_visible()
    expect(main(page).get_by_text("Terugkijken: jouw antwoorden naast het modelantwoord")).to_be_visible()
    for number in range(1, len(replies) + 1):
        expect(main(page).get_by_text(re.compile(rf"Jouw antwoord {number} \(score \d+\)"))).to_be_visible()
    expect(main(page).get_by_text("Modelantwoord", exact=True)).to_have_count(len(replies))
    expect(main(page).get_by_text("Gemiddelde score per onderdeel")).to_be_visible()
    expect(main(page).get_by_role("button", name="Verstuur")).to_have_count(0)
    shoot(page, screenshots, "04-practise-end-replay")


def test_trainee_plays_an_email_with_a_handover_to_its_end(app: RunningApp, page: Page, screenshots: Path):
    log_in(page, app.url, app.trainees[1], app.password)
    title = "€ 486 aan roaming, geen sms gehad, dreigen met de Consumentenbond"
    choose_scenario(page, "E-mail", title)
    main(page).get_by_role("button", name="Start het gesprek").click()
    expect(main(page).get_by_role("heading", name=title)).to_be_visible()
    wait_idle(page)
    expect(main(page).locator(".wt-email")).to_have_count(1)  # drawn as an e-mail
    roaming = scenario("tel-roaming-consumentenbond.yaml")
    name = customer_name(page)
    first_name = first_name_in(roaming["briefing"], briefing(page))

    replies = scripted_path(roaming, "resolved", "email")
    labels = {"handover:billing": "Overdragen aan de afdeling Facturatie", "offer_call": "Terugbelverzoek aanbieden"}
    for number, reply in enumerate(replies, 1):
        card = send_reply(page, fill(reply["text"], name, first_name), labels.get(reply.get("action")))
        expect(card.get_by_test_id("stMetric").filter(has_text="Totaal")).to_contain_text(re.compile(r"\d+/100"))
        assert len(thread_messages(page)) == 2 * number + 1
        if number == 1:
            shoot(page, screenshots, "05-practise-email-scorecard")

    expect(main(page).get_by_text("Opgelost: de klant is geholpen.")).to_be_visible()
    expect(main(page).get_by_text("[Overdragen aan de afdeling Facturatie]").first).to_be_visible()  # the action, by its label, in the replay
    shoot(page, screenshots, "06-practise-email-end")
    main(page).get_by_role("button", name="Nog een gesprek").click()
    expect(main(page).get_by_role("button", name="Start het gesprek")).to_be_visible()


def test_trainee_quick_score_suggests_the_dt_fix(app: RunningApp, page: Page, screenshots: Path):
    log_in(page, app.url, app.trainees[0], app.password)
    open_page(page, "Snel een antwoord scoren")
    main(page).get_by_label("Jouw antwoord").fill(
        "Hoi Sanne, wat vervelend dat je vlucht is geannuleerd! Je wordt morgen gebelt door een collega. ^Lisa")
    main(page).get_by_role("button", name="Beoordeel").click()
    # Once among the findings (it may also lead the scorecard as one of the top fixes).
    advice = main(page).get_by_text(re.compile(r"^✏️ d/t-fout: 'gebelt( door)?' moet 'gebeld( door)?' zijn"))
    expect(advice).to_have_count(1)
    expect(main(page).locator("mark").filter(has_text="gebelt")).to_have_count(1)
    shoot(page, screenshots, "07-quick-score")


def test_trainee_knowledge_base_finds_an_article(app: RunningApp, page: Page, screenshots: Path):
    log_in(page, app.url, app.trainees[0], app.password)
    open_page(page, "Kennisbank")
    search = main(page).get_by_label("Zoeken in de kennisbank")
    search.fill("vlucht geannuleerd")
    search.press("Enter")
    wait_idle(page)
    first = main(page).get_by_test_id("stExpander").first
    expect(first).to_contain_text("geannuleerde vlucht")
    first.get_by_text("geannuleerde vlucht").first.click()
    expect(first.get_by_text("Antwoordsjabloon")).to_be_visible()
    wait_idle(page)
    shoot(page, screenshots, "08-knowledge-base")


def test_trainee_language_switch_changes_the_menu(app: RunningApp, page: Page, screenshots: Path):
    log_in(page, app.url, app.trainees[0], app.password)
    menu = page.get_by_test_id("stSidebarNav")
    expect(menu.get_by_role("link", name="Oefenen")).to_be_visible()
    sidebar(page).get_by_text("English", exact=True).click()
    expect(menu.get_by_role("link", name="Practise")).to_be_visible()
    expect(menu.get_by_role("link", name="Oefenen")).to_have_count(0)
    expect(sidebar(page).get_by_role("button", name="Log out")).to_be_visible()
    shoot(page, screenshots, "09-practise-english")
