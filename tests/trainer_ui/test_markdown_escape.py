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


NAME = "![x](http://e/x.png) **bold**"


def _rename(email: str, name: str) -> int:
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        user.full_name = name
        session.add(user)
        session.commit()
        return user.id


def _shows_literally(markdown: str) -> None:
    rendered = _html(markdown)
    assert not any(tag in rendered for tag in MARKUP), rendered
    assert "![x](http://e/x.png) **bold**" in _text_of(rendered)


def _text_of(rendered: str) -> str:
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", rendered))


def test_markdown_escape_drill_inbox_held_by_a_crafted_name(app_db):
    from tests.drills.test_pages import _running_drill
    from trainer.services import drills

    run_id = _running_drill(app_db.manager)
    _rename(app_db.other_trainee, NAME)
    with session_scope() as session:
        holder = session.exec(select(User).where(User.email == app_db.other_trainee)).one()
        manager = session.exec(select(User).where(User.email == app_db.manager)).one()
        drills.advance(session=session, actor=manager, run_id=run_id)  # the customers who arrived so far
        first = drills.inbox(session=session, actor=holder, run_id=run_id)[0]
        drills.claim(session=session, actor=holder, conversation_id=first.id)
    at = logged_in_app(app_db.trainee, "pages/drill_inbox.py")
    assert not at.exception, at.exception
    (held,) = [c.value for c in at.caption if c.value.startswith("Bij ")]
    assert held == f"Bij {escape(NAME)}"
    _shows_literally(held)


def test_markdown_escape_password_reset_confirmation_names_a_crafted_user(app_db):
    user_id = _rename(app_db.trainee, NAME)
    at = logged_in_app(app_db.admin, "pages/account.py")
    next(s for s in at.selectbox if s.key == "reset_user").set_value(user_id)
    next(i for i in at.text_input if i.label == "Waarom?").input("Wachtwoord vergeten")
    next(b for b in at.button if b.label == "Tijdelijk wachtwoord maken").click().run()
    assert not at.exception, at.exception
    (done,) = [s.value for s in at.success]
    assert escape(NAME) in done
    _shows_literally(done)


# Placeholders that take a person's, team's or customer's name or address.
NAMED = {"name", "email", "team", "by", "who", "reviewer", "trainee", "author", "handle"}


def test_markdown_escape_every_name_in_a_screen_text_goes_through_escape():
    """A screen text (`t(...)`) that takes a name gets it through `escape`, wherever it is shown:
    new screens cannot forget it. A line that feeds a table cell (plain text) says `# not Markdown`."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "trainer"
    unescaped = []
    for path in sorted(root.rglob("*.py")):
        lines = path.read_text().splitlines()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"):
                continue
            for keyword in node.keywords:
                value = keyword.value
                escaped = isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "escape"
                if keyword.arg in NAMED and not escaped and "# not Markdown" not in lines[node.lineno - 1]:
                    unescaped.append(f"{path.relative_to(root.parent)}:{node.lineno} {keyword.arg}={ast.unparse(value)}")
    assert not unescaped, unescaped
