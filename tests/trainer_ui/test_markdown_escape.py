"""User-written text shown where Streamlit reads Markdown stays text: no images, links, bold or
code from a name or a reply."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from scoring.model import Finding, Scorecard, Severity
from tests.trainer_ui.conftest import logged_in_app
from sqlmodel import select

from trainer.components.markdown import escape
from trainer.components.scorecard import reply_box
from trainer.db.engine import session_scope
from trainer.db.models import User

CRAFTED = [
    "![pixel](http://tracker.example/p.png)",
    "[klik hier](http://phish.example/login)",
    "**Belangrijk** _schuin_ `code` ~~weg~~",
    "# Kop\n\n> citaat\n\n- lijst",
    "<img src=x onerror=alert(1)>",
    "$x^2$ en :red[rood] en \\*sterretje\\*",
    "1. genummerd",
    "- streepje",
    "+ plus",
]
MARKUP = ("<img", "<a ", "<strong", "<em", "<code", "<h1", "<blockquote", "<ul", "<ol", "<s>", "<del")


def _html(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("strikethrough").render(markdown)


@pytest.mark.parametrize("text", CRAFTED)
def test_markdown_escape_names_render_as_plain_text(text):
    for shown in (f"Ingelogd als {escape(text)} (trainee)", escape(text)):  # in a sentence; alone, as a header
        rendered = _html(shown)
        assert not any(tag in rendered for tag in MARKUP), rendered


@pytest.mark.parametrize("text", [*CRAFTED, "Hoi\r\r![pixel](http://tracker.example/p.png)",
                                  "Hoi\r\n\r\n[link](http://phish.example)", "Hoi\n\n**vet**"])
def test_markdown_escape_reply_in_the_scorecard_stays_text(text):
    card = Scorecard(total=50, passed=False, pass_mark=70, language="nl", medium="twitter", dimensions={},
                     findings=[Finding(dimension="spelling", severity=Severity.minor, rule="x", span=(0, 2),
                                       message="'Ho' klopt niet.")])
    rendered = _html(reply_box(text, card))
    assert rendered.count("<div") == 1
    assert not any(tag in rendered for tag in MARKUP), rendered


def test_markdown_escape_names_in_sidebar_and_team_page(app_db):
    crafted = "![pixel](http://tracker.example/p.png) Tess"
    with session_scope() as session:
        trainee = session.exec(select(User).where(User.email == app_db.trainee)).one()
        trainee.full_name = crafted
        session.add(trainee)
        session.commit()
        trainee_id = trainee.id
    at = logged_in_app(app_db.trainee, "pages/score.py")
    assert escape(crafted) in at.sidebar.caption[0].value
    at = logged_in_app(app_db.manager)
    at.switch_page("pages/team.py")
    at.query_params["trainee"] = str(trainee_id)
    at.run()
    assert not at.exception, at.exception
    assert at.header[0].value == escape(crafted)
