"""English content on a par with Dutch: enough English scenarios of every main kind on every
medium, and every Dutch knowledge article with an English counterpart
(content/knowledge/counterparts.yaml) about the same sector and of the same kind."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from scenarios import catalogue
from scenarios.knowledge import knowledge_base
from scoring.config import media_catalogue
from scoring.contentfile import content_dir

COUNTERPARTS = yaml.safe_load((content_dir() / "knowledge" / "counterparts.yaml").read_text(encoding="utf-8"))["nl_to_en"]
ARTICLES = knowledge_base()
DUTCH = sorted(a for a, article in ARTICLES.items() if article.meta.language == "nl")


MIN_ENGLISH_SCENARIOS = 24
MAIN_KINDS = ("angry_customer", "cancellation", "escalation")
MIN_PER_KIND = 6


def test_language_parity_english_scenarios_cover_the_main_kinds():
    english = catalogue("en")
    kinds = Counter(s.type for s in english)
    assert len(english) >= MIN_ENGLISH_SCENARIOS, f"{len(english)} English scenarios"
    assert all(kinds[kind] >= MIN_PER_KIND for kind in MAIN_KINDS), dict(kinds)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_language_parity_every_medium_has_scenarios(language):
    """Every medium is offered by a scenario in both languages; in English every medium is also
    the first (default) medium of one, so the English picker never comes up empty."""
    media = set(media_catalogue().media)
    offered = {m for s in catalogue(language) for m in s.media}
    assert sorted(media - offered) == []
    if language == "en":
        assert sorted(media - {s.media[0] for s in catalogue(language)}) == []


def test_language_parity_every_dutch_article_is_listed():
    assert sorted(COUNTERPARTS) == DUTCH, (
        f"not listed: {sorted(set(DUTCH) - set(COUNTERPARTS))}; listed but no Dutch article: "
        f"{sorted(set(COUNTERPARTS) - set(DUTCH))}")


@pytest.mark.parametrize("dutch", DUTCH)
def test_language_parity_dutch_article_has_an_english_counterpart(dutch):
    english = COUNTERPARTS.get(dutch)
    assert english in ARTICLES, f"{dutch}: counterpart {english!r} is not an article"
    nl, en = ARTICLES[dutch].meta, ARTICLES[english].meta
    assert en.language == "en"
    assert (en.sector, en.kind) == (nl.sector, nl.kind), f"{dutch} is {nl.sector}/{nl.kind}, {english} is {en.sector}/{en.kind}"
    # An answer template in Dutch has an English one too, so English agents get the same help.
    assert nl.template is None or en.template is not None, f"{dutch} has a template, {english} has none"
