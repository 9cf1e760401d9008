"""Search the knowledge base: lemma overlap with title, tags and text, so 'geannuleerde
vluchten' finds 'Vlucht geannuleerd'. Plain Python; the knowledge page and the practise
screen's side panel both call it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from scenarios.knowledge import Article, knowledge_base
from scoring.nlp import load_nlp
from trainer.services import limits

# Where a word is found says how relevant the article is.
FIELD_WEIGHTS = {"title": 3.0, "tags": 2.0, "body": 1.0}


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float


def _lemmas(text: str, language: str) -> set[str]:
    doc = load_nlp(language)(text.lower())
    return {t.lemma_.lower() for t in doc if t.is_alpha and not t.is_stop and len(t.text) > 1} | {
        t.lower_ for t in doc if t.is_alpha and not t.is_stop and len(t.text) > 1
    }


@lru_cache(maxsize=None)
def _index(language: str) -> tuple[tuple[Article, dict[str, frozenset[str]]], ...]:
    rows = []
    for article in knowledge_base().values():
        if article.meta.language != language:
            continue
        rows.append((article, {
            "title": frozenset(_lemmas(article.meta.title, language)),
            "tags": frozenset(_lemmas(" ".join(article.meta.tags), language)),
            "body": frozenset(_lemmas(article.body, language)),
        }))
    return tuple(rows)


def articles(language: str) -> list[Article]:
    return sorted((a for a, _ in _index(language)), key=lambda a: (a.meta.kind, a.meta.title))


def search(query: str, language: str, limit: int = 10, sector: str | None = None) -> list[Hit]:
    """Articles for `query` in `language`, best first. An empty query lists them all.
    With `sector`, only that sector's articles and the general (house-style) ones."""
    limits.check(query, "search")

    def fits(article: Article) -> bool:
        return sector is None or article.meta.sector in (sector, "general")

    wanted = _lemmas(query, language) if query.strip() else set()
    if not wanted:
        return [Hit(a, 0.0) for a in articles(language) if fits(a)][:limit]
    hits = []
    for article, fields in _index(language):
        if not fits(article):
            continue
        score = sum(weight * len(wanted & fields[name]) for name, weight in FIELD_WEIGHTS.items())
        if score:
            hits.append(Hit(article, score))
    return sorted(hits, key=lambda h: (-h.score, h.article.meta.title))[:limit]
