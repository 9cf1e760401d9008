"""Anyone checks a certificate, in a real browser: a manager downloads the certified star's
certificate; a stranger with no login follows the address printed on it (and in its QR code) and
reads name, level, dates and status; a mistyped code gets a plain "not found"."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import VIEWPORT, RunningApp
from tests.browser.test_manager import certification_tab
from tests.browser.ui import log_in, main, open_page, pick, shoot, sidebar, wait_idle
from tests.trainer.test_certificate import read_qr_codes


def test_verify_a_downloaded_certificate_without_logging_in(app: RunningApp, page: Page, browser: Browser,
                                                            screenshots: Path):
    log_in(page, app.url, app.manager, app.password)
    open_page(page, "Team")
    star = app.names[app.trainees[0]]
    pick(page, "Trainee", star)
    expect(main(page).get_by_role("heading", name=star)).to_be_visible()
    certification_tab(page)
    expect(main(page).get_by_text(re.compile(r"^Basis webcare: geldig · behaald"))).to_be_visible()
    wait_idle(page)  # the PDF is made when clicked, by the run that drew the button
    with page.expect_download() as download:
        main(page).get_by_role("button", name="Download certificaat (PDF)").first.click()
    pdf = Path(download.value.path()).read_bytes()
    link = re.search(rb"/URI \((" + re.escape(app.url.encode()) + rb"/verify\?code=WT-[A-Z0-9-]+)\)", pdf)
    assert link, "the certificate prints no verify address of this app"
    url = link.group(1).decode()
    assert url.encode() in pdf  # printed as text too, for whoever types it over
    assert read_qr_codes(pdf) == [url]

    stranger = browser.new_context(viewport=VIEWPORT, locale="nl-NL")  # no cookie, no login
    try:
        visitor = stranger.new_page()
        visitor.goto(url)
        expect(main(visitor).get_by_text("Dit certificaat is echt en geldig.")).to_be_visible()
        expect(main(visitor).get_by_text(f"Naam: {star}")).to_be_visible()
        expect(main(visitor).get_by_text("Niveau: Basis webcare")).to_be_visible()
        expect(main(visitor).get_by_text(re.compile(r"^Uitgereikt op: \d{1,2} [a-z]+ 20\d\d$"))).to_be_visible()
        expect(main(visitor).get_by_text(re.compile(r"^Geldig tot: \d{1,2} [a-z]+ 20\d\d$"))).to_be_visible()
        expect(main(visitor).get_by_text("Status: Geldig")).to_be_visible()
        expect(sidebar(visitor).get_by_role("button", name="Uitloggen")).to_have_count(0)
        shown = main(visitor).inner_text()
        assert "@" not in shown and app.names[app.manager] not in shown  # no e-mail, no issuer, no scores
        box = main(visitor).get_by_role("textbox", name="Verificatiecode")
        expect(box).to_have_value(url.split("code=")[1])  # the link's code, in the box
        # A fresh browser draws widgets once their code has loaded: wait for it before the picture.
        expect(sidebar(visitor).get_by_role("radiogroup")).to_be_visible()
        shoot(visitor, screenshots, "16-verify-certificate")

        box.fill("WT-AAAA-BBBB-CCCC")
        main(visitor).get_by_role("button", name="Controleren").click()
        expect(main(visitor).get_by_text("Geen certificaat gevonden met deze code.", exact=False)).to_be_visible()
        wait_idle(visitor)
        expect(main(visitor).get_by_text(f"Naam: {star}")).to_have_count(0)
        assert visitor.url.endswith("/verify?code=WT-AAAA-BBBB-CCCC")
    finally:
        stranger.close()
