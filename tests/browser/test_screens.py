"""The other screens open without error in a real browser and are photographed for the README:
a trainee's progress and typing test, the admin's users and content check."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import RunningApp
from tests.browser.ui import log_in, main, open_page, shoot, wait_idle

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
