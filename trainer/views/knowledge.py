"""The knowledge base screen: search, and the articles found ready to show (label, body with
its headings below the screen's title, the reply template if it has one)."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.components.article import demoted
from trainer.components.refusal import too_long
from trainer.i18n import t
from trainer.services import knowledge
from trainer.services.limits import InputTooLong

SHOWN = 50  # the best this many; an empty search lists the articles
TOP_HEADING = 3  # an article's own title under the screen's title, not as big


@dataclass(frozen=True)
class ArticleCard:
    label: str  # title and tags
    body: str  # Markdown, headings demoted
    template: str | None  # the reply template, stripped
    expanded: bool  # the only one found: open at once


@dataclass(frozen=True)
class KnowledgeScreen:
    error: str | None  # the query was refused (too long)
    empty: str | None  # nothing found
    articles: list[ArticleCard]
    template_caption: str


def knowledge_screen(*, query: str, language: str) -> KnowledgeScreen:
    caption = t("knowledge.template", language)
    try:
        hits = knowledge.search(query, language, limit=SHOWN)
    except InputTooLong as exc:
        return KnowledgeScreen(too_long(exc, language), None, [], caption)
    return KnowledgeScreen(
        error=None, empty=None if hits else t("knowledge.none", language), template_caption=caption,
        articles=[ArticleCard(
            label=f"{hit.article.meta.title}  ·  {', '.join(hit.article.meta.tags)}",
            body=demoted(hit.article.body, top_level=TOP_HEADING),
            template=hit.article.meta.template.strip() if hit.article.meta.template else None,
            expanded=len(hits) == 1,
        ) for hit in hits],
    )
