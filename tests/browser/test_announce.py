"""The announcement exercise in a real browser: a trainee opens Aankondigen, writes the first
post, sees its scorecard, gets the update brief an hour later, writes the update and sees both
scores; photographed before and after scoring for the README."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from playwright.sync_api import Page, expect

from tests.browser.conftest import ROOT, RunningApp
from tests.browser.ui import log_in, main, open_page, shoot, wait_idle

EXERCISE = yaml.safe_load((ROOT / "content/announcements/nl/app-storing-bank.yaml").read_text(encoding="utf-8"))
SCORED = re.compile(r"^(De aankondiging|Een uur later: de update): score \d+$")  # an expander's caption
IN_SCORED = re.compile(SCORED.pattern.strip("^$"))


def post(page: Page, text: str) -> None:
    """Type the post as a trainee would (Streamlit takes a text area's value on Ctrl+Enter)."""
    area = main(page).get_by_label("Jouw bericht op X (Twitter)")
    area.fill(text)
    area.press("Control+Enter")
    wait_idle(page)
    expect(main(page).get_by_text(re.compile(rf"^{len(text)}/\d+ tekens$"))).to_be_visible()  # within the limit


def scorecards(page: Page):
    return main(page).get_by_test_id("stExpander").filter(has_text=IN_SCORED)


def test_announce_trainee_writes_the_post_and_the_update_and_sees_both_scores(app: RunningApp, page: Page,
                                                                               screenshots: Path):
    log_in(page, app.url, app.trainees[1], app.password)
    open_page(page, "Aankondigen")
    main(page).get_by_text(EXERCISE["title"]).click()
    wait_idle(page)
    main(page).get_by_role("button", name="Start de oefening").click()
    expect(main(page).get_by_role("heading", name="De aankondiging")).to_be_visible()
    expect(main(page)).to_contain_text(f"Volgende update: {EXERCISE['first']['facts']['next_update']}")
    first = " ".join(EXERCISE["first"]["model_answers"]["twitter"].split())
    post(page, first)
    expect(scorecards(page)).to_have_count(0)
    shoot(page, screenshots, "17-announce-before-scoring")

    main(page).get_by_role("button", name="Plaats het bericht").click()
    expect(main(page).get_by_role("heading", name="Een uur later: de update")).to_be_visible(timeout=60_000)
    wait_idle(page)
    expect(scorecards(page)).to_have_count(1)
    card = scorecards(page).first
    expect(card.get_by_test_id("stMetric").filter(has_text="Totaal")).to_have_count(1)
    expect(card).to_contain_text("Modelantwoord")
    # The update brief: what changed since, and a new time for the next update.
    expect(main(page)).to_contain_text(f"Wat er veranderd is: {EXERCISE['update']['facts']['what_changed']}")
    expect(main(page)).to_contain_text(f"Volgende update: {EXERCISE['update']['facts']['next_update']}")
    shoot(page, screenshots, "18-announce-after-scoring")

    update = " ".join(EXERCISE["update"]["model_answers"]["twitter"].split())
    post(page, update)
    main(page).get_by_role("button", name="Plaats het bericht").click()
    expect(main(page).get_by_role("button", name="Nog een oefening")).to_be_visible(timeout=60_000)
    wait_idle(page)
    expect(scorecards(page)).to_have_count(2)
    shown = main(page).get_by_text(SCORED)
    expect(shown).to_have_count(2)
    stages = [re.sub(r": score \d+$", "", text.strip()) for text in shown.all_inner_texts()]
    assert stages == ["De aankondiging", "Een uur later: de update"], stages
    done = main(page).get_by_text(re.compile(r"^(Beide berichten zijn voldoende|Niet beide berichten waren voldoende)"))
    expect(done).to_be_visible()
    assert main(page).get_by_test_id("stException").count() == 0
