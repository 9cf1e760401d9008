"""What the browser tests do on every screen: log in, wait for Streamlit to finish a run,
open a page from the menu, send a reply, and take a full-height screenshot."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Locator, Page, TimeoutError as PlaywrightTimeout, expect

IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app !== null && app.dataset.testScriptState === 'notRunning'
    && app.dataset.testConnectionState === 'CONNECTED'
    && document.querySelector('[data-stale="true"]') === null;
}"""
CONTENT_HEIGHT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  const block = document.querySelector('[data-testid="stMainBlockContainer"]');
  return block.getBoundingClientRect().top + main.scrollTop + block.scrollHeight;
}"""


def wait_idle(page: Page, timeout: float = 30_000) -> None:
    """Until the script run (and any fragment run) is over and no element is stale."""
    page.wait_for_function(IDLE, timeout=timeout)


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def log_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(sidebar(page).get_by_role("button", name="Uitloggen")).to_be_visible()
    wait_idle(page)


def open_page(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNav").get_by_role("link", name=title).click()
    expect(main(page).get_by_role("heading", name=title).first).to_be_visible()
    wait_idle(page)


def shoot(page: Page, folder: Path, name: str) -> Path:
    """A screenshot of the whole page at the test's width: Streamlit scrolls inside its main
    block, so the window is made as tall as the content first (re-measured until it holds
    still: expanders and charts settle after the run ends)."""
    wait_idle(page)
    width, original = page.viewport_size["width"], page.viewport_size["height"]
    height = original
    for _ in range(10):
        wanted = max(original, int(page.evaluate(CONTENT_HEIGHT)))
        if wanted == height:
            break
        height = wanted
        page.set_viewport_size({"width": width, "height": height})
        wait_idle(page)
        page.wait_for_timeout(200)  # layout and animations after a resize; not a wait for the app
    path = folder / f"{name}.png"
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": original})
    return path


def pick(page: Page, label: str, option: str) -> None:
    """Choose `option` in the select box labelled `label`. A rerun that lands while the list is
    open closes it again, so open it once more if the option does not show."""
    box = main(page).get_by_test_id("stSelectbox").filter(has=page.get_by_text(label, exact=True)).first
    for attempt in range(3):
        wait_idle(page)
        box.get_by_role("button", name="Open").click()
        if attempt:  # a long list draws only the options in view: type to bring this one up
            box.get_by_role("combobox").fill(option)
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    expect(box.get_by_role("combobox")).to_have_value(option)
    wait_idle(page)


def customer_name(page: Page) -> str:
    """The persona's full name, as the side panel shows it."""
    return main(page).locator(".st-key-customer").get_by_role("heading").inner_text().strip()


CUT_OFF = """() => [...document.querySelectorAll('[data-testid="stMetricLabel"], [data-testid="stMetricValue"]')]
  .flatMap(metric => [metric, ...metric.querySelectorAll('*')])
  .filter(element => element.scrollWidth > element.clientWidth + 1)
  .map(element => element.innerText)"""


def cut_off_metrics(page: Page, width: int) -> list[str]:
    """The metric labels and values the browser cuts off (with an ellipsis) in a window this wide."""
    height = page.viewport_size["height"]
    page.set_viewport_size({"width": width, "height": height})
    wait_idle(page)
    page.wait_for_timeout(200)  # layout after a resize; not a wait for the app
    return page.evaluate(CUT_OFF)


def briefing(page: Page) -> str:
    situation = main(page).get_by_test_id("stExpander").filter(has_text="Situatie").first
    return " ".join(situation.get_by_test_id("stMarkdownContainer").all_inner_texts())


def thread_messages(page: Page) -> list[str]:
    return [text.strip() for text in main(page).locator(".wt-text").all_inner_texts()]


def send_reply(page: Page, text: str, action_label: str | None = None) -> Locator:
    """Type `text` as a trainee would, pick an action, press Send; return the scorecard once it
    shows this reply."""
    area = main(page).get_by_label(re.compile(r"^Jouw antwoord via"))
    area.fill(text)
    area.press("Control+Enter")  # Streamlit takes a text area's value on Ctrl+Enter or blur
    wait_idle(page)
    if action_label:
        pill = main(page).get_by_test_id("stButtonGroup").get_by_role("radio", name=action_label)
        pill.click()
        expect(pill).to_have_attribute("aria-checked", "true")
        wait_idle(page)
    main(page).get_by_role("button", name="Verstuur").click()
    card = main(page).get_by_test_id("stExpander").filter(has_text="Beoordeling van je laatste antwoord")
    crash = main(page).get_by_test_id("stException")
    expect(card.filter(has_text=_last_words(text)).or_(crash).first).to_be_visible()
    assert crash.count() == 0, f"the app crashed on Send:\n{crash.first.inner_text()}"
    expect(card).to_contain_text(_last_words(text))
    wait_idle(page)
    return card


def _last_words(text: str) -> str:
    """A piece of the reply to recognise it by: the scorecard draws line breaks as <br>, which
    Playwright's text matching reads as nothing, so stay within the longest line."""
    longest = max(text.splitlines(), key=len)
    return " ".join(longest.split()[-6:])
