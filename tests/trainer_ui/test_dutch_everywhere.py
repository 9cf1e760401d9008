"""Every page, as every role, in Dutch: no English UI text and no raw ids (scenario ids, medium
keys, language codes) where a user reads them (issue: one language at a time)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.trainer_ui.conftest import logged_in_app
from tests.trainer_ui.conftest_extra import scored_history  # noqa: F401
from trainer.db.engine import session_scope
from trainer.db.models import User
from trainer.navigation import visible_pages

# Words and phrases that never belong in the Dutch UI (Streamlit's and pydantic's own English
# among them); whole words, case-insensitive.
ENGLISH = re.compile(r"\b(?:the|and|your|you|please|should|already exists|not found|no options to select|"
                     r"string should|at least|characters|submit|loading|required|invalid|password|username|"
                     r"download|upload|settings|passed|failed|score card|scorecard)\b", re.IGNORECASE)
# A scenario or drill id ("nl-vlucht-geannuleerd-schiphol"), a medium key ("twitter_dm",
# "twitter/email"), a bare language code ("(nl)"). "webchat" or "WhatsApp" in a sentence is Dutch.
MEDIUM_KEY = r"(?:twitter|email|webchat|whatsapp|messenger|review|facebook|instagram)"
RAW_ID = re.compile(r"\b(?:nl|en)-[a-z0-9]+(?:-[a-z0-9]+)+\b|\b(?:twitter_dm|facebook_comment|instagram_comment)\b"
                    rf"|\b{MEDIUM_KEY}/{MEDIUM_KEY}\b|\((?:nl|en)\)")


def shown_texts(at) -> list[str]:
    """What the page puts in front of the user: texts, labels, options, table headers."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "error", "warning", "info",
                 "success"):
        texts += [str(element.value) for element in getattr(at, kind)]
    for widget in (*at.button, *at.text_input, *at.text_area, *at.number_input, *at.checkbox, *at.toggle):
        texts.append(str(widget.label))
    for widget in (*at.selectbox, *at.multiselect, *at.radio):
        texts.append(str(widget.label))
        texts += [str(option) for option in widget.options]
    for metric in at.metric:
        texts += [str(metric.label), str(metric.value)]
    for table in at.dataframe:
        texts += [str(column) for column in table.value.columns]
    return [text for text in texts if text.strip()]


# Content written in English for English-speaking staff, labelled as such ("... (Engels)").
LABELLED_ENGLISH = re.compile(r"\(Engels\)$")


def offending(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        if LABELLED_ENGLISH.search(text.strip()):
            continue
        for pattern in (ENGLISH, RAW_ID):
            hit = pattern.search(_without_user_content(text))
            if hit:
                found.append(f"{hit.group()!r} in {text[:120]!r}")
    return found


def _without_user_content(text: str) -> str:
    # Links and e-mail addresses are data, not UI text ("trainee@example.nl", "/verify?code=").
    return re.sub(r"\S+@\S+|https?://\S+|`[^`]*`", " ", text)


@pytest.mark.parametrize("role", ["trainee", "manager", "admin"])
def test_dutch_everywhere_every_page_for_every_role(role, app_db, scored_history):  # noqa: F811
    email = getattr(app_db, role)
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        pages = [page.file for page in visible_pages(user)]
    problems = {}
    for page in pages:
        at = logged_in_app(email, page)
        found = offending(shown_texts(at))
        if found:
            problems[page] = found
    assert problems == {}


@pytest.mark.parametrize("text, bad", [
    ("Kies een scenario: nl-vlucht-geannuleerd-schiphol", True),
    ("Medium: twitter_dm", True),
    ("Kanalen: twitter/email", True),
    ("Stuur ons een bericht via de webchat of WhatsApp.", False),
    ("Taal (nl)", True),
    ("No options to select.", True),
    ("password: String should have at least 10 characters", True),
    ("Kies een scenario: Vlucht geannuleerd op Schiphol", False),
    ("Kanaal: X-privébericht", False),
    ("Mail ons via trainee@example.nl", False),
    ("Black Friday: Bestelhuis ships the wrong parcels (Engels)", False),
])
def test_dutch_everywhere_finder(text, bad):
    assert bool(offending([text])) is bad
