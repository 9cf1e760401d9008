"""The knowledge base in both languages: every Dutch article has an English counterpart
(content/knowledge/counterparts.yaml) about the same sector and of the same kind."""

from __future__ import annotations

import pytest
import yaml

from scenarios.knowledge import knowledge_base
from scoring.contentfile import content_dir

COUNTERPARTS = yaml.safe_load((content_dir() / "knowledge" / "counterparts.yaml").read_text(encoding="utf-8"))["nl_to_en"]
ARTICLES = knowledge_base()
DUTCH = sorted(a for a, article in ARTICLES.items() if article.meta.language == "nl")


def test_knowledge_languages_every_dutch_article_is_listed():
    assert sorted(COUNTERPARTS) == DUTCH, (
        f"not listed: {sorted(set(DUTCH) - set(COUNTERPARTS))}; listed but no Dutch article: "
        f"{sorted(set(COUNTERPARTS) - set(DUTCH))}")


@pytest.mark.parametrize("dutch", DUTCH)
def test_knowledge_languages_dutch_article_has_an_english_counterpart(dutch):
    english = COUNTERPARTS.get(dutch)
    assert english in ARTICLES, f"{dutch}: counterpart {english!r} is not an article"
    nl, en = ARTICLES[dutch].meta, ARTICLES[english].meta
    assert en.language == "en"
    assert (en.sector, en.kind) == (nl.sector, nl.kind), f"{dutch} is {nl.sector}/{nl.kind}, {english} is {en.sector}/{en.kind}"
    # An answer template in Dutch has an English one too, so English agents get the same help.
    assert nl.template is None or en.template is not None, f"{dutch} has a template, {english} has none"
