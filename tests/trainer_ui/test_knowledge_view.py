"""The knowledge screen's view function, without Streamlit."""

from __future__ import annotations

import re

from trainer.i18n import t
from trainer.services import knowledge
from trainer.services.limits import limits
from trainer.views import knowledge as view


def _highest_heading(markdown: str) -> int:
    return min((len(m.group(1)) for m in re.finditer(r"^(#{1,6}) ", markdown, flags=re.MULTILINE)), default=7)


def test_knowledge_view_one_hit_opens_with_its_template():
    best = knowledge.search("geannuleerde vluchten omboeken", "nl")[0].article
    screen = view.knowledge_screen(query=best.meta.title, language="nl")
    first = screen.articles[0]
    assert first.label == f"{best.meta.title}  ·  {', '.join(best.meta.tags)}"
    assert _highest_heading(first.body) >= view.TOP_HEADING
    assert first.expanded == (len(screen.articles) == 1)
    assert screen.template_caption == t("knowledge.template", "nl") and screen.error is None


def test_knowledge_view_lists_every_article_with_headings_below_the_title():
    screen = view.knowledge_screen(query="", language="en")
    assert len(screen.articles) == min(view.SHOWN, len(knowledge.articles("en"))) and screen.empty is None
    assert all(_highest_heading(card.body) >= view.TOP_HEADING for card in screen.articles)
    with_template = [a for a in knowledge.articles("en") if a.meta.template]
    assert {card.template for card in screen.articles if card.template} <= {a.meta.template.strip() for a in with_template}


def test_knowledge_view_nothing_found_and_a_refused_query_are_worded():
    assert view.knowledge_screen(query="xqzzy wibble", language="nl").empty == t("knowledge.none", "nl")
    refused = view.knowledge_screen(query="x" * (limits().search_chars + 1), language="nl")
    assert refused.error and str(limits().search_chars) in refused.error.replace(".", "") and not refused.articles
