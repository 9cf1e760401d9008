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
