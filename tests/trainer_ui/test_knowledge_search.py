import re

from tests.trainer_ui.conftest import logged_in_app
from trainer.components.article import demoted
from trainer.services import knowledge


def test_knowledge_search_finds_an_article_by_inflected_words():
    hits = knowledge.search("geannuleerde vluchten omboeken", "nl")
    assert hits and hits[0].article.id == "vlucht-geannuleerd"


def test_knowledge_search_empty_query_lists_articles_of_that_language_only():
    listed = knowledge.search("", "nl", limit=500)
    assert listed and all(h.article.meta.language == "nl" for h in listed)


def test_knowledge_search_nonsense_finds_nothing():
    assert knowledge.search("xqzzy wibble", "nl") == []


def test_knowledge_search_within_a_sector_keeps_other_sectors_out():
    hits = knowledge.search("pakket vertraagd koffer kwijt", "nl", sector="airline")
    assert hits and all(h.article.meta.sector in ("airline", "general") for h in hits)


def test_knowledge_article_headings_move_down_below_the_page_title():
    body = "# Geannuleerde vlucht\n\n**Wat de klant krijgt**\n## Webcare\n```\n# geen kop\n```\n###### diep"
    assert demoted(body, top_level=3) == (
        "### Geannuleerde vlucht\n\n**Wat de klant krijgt**\n#### Webcare\n```\n# geen kop\n```\n###### diep")
    assert demoted("Geen koppen hier.", top_level=3) == "Geen koppen hier."
    assert demoted("### Al klein", top_level=3) == "### Al klein"


def highest_heading(markdown: str) -> int:
    return min((len(m.group(1)) for m in re.finditer(r"^(#{1,6}) ", markdown, flags=re.MULTILINE)), default=7)


def test_knowledge_page_shows_article_headings_below_the_page_title(app_db):
    at = logged_in_app(app_db.trainee, "pages/knowledge.py")
    assert at.title[0].value == "Kennisbank"
    articles = [m.value for e in at.expander for m in e.markdown]
    assert articles and any(highest_heading(a) == 3 for a in articles)
    assert all(highest_heading(a) >= 3 for a in articles)


def test_knowledge_panel_beside_the_reply_shows_article_headings_below_its_subheader(app_db):
    at = logged_in_app(app_db.trainee, "pages/practise.py")
    next(b for b in at.button if b.label == "Start het gesprek").click().run()
    assert any(s.value == "Kennisbank" for s in at.subheader)
    articles = [m.value for e in at.expander if e.label != "Situatie" for m in e.markdown]
    assert articles and all(highest_heading(a) >= 5 for a in articles)
