"""Knowledge-base articles: content/knowledge/<lang>/<id>.md, Markdown with YAML front matter.

The front matter is validated like every other content file (errors name file:line); the
body is free Markdown for the trainee to read. `template` is an answer template with
{placeholders}; scenarios list the articles a state needs (`knowledge:`), and their filled-in
templates go to the scorer so a reply pasted verbatim from the template can be recognised.
"""

from __future__ import annotations

import dataclasses
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

import yaml
from pydantic import Field, ValidationError

from scenarios.schema import Sector, Strict
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, validation_errors
from scoring.model import Language


# One Literal (not a union) so a wrong sector gives one clear error.
ArticleSector = Literal[get_args(Sector) + ("general",)]  # type: ignore[valid-type]


class ArticleMeta(Strict):
    title: str = Field(min_length=1)
    language: Language
    sector: ArticleSector
    kind: Literal["facts", "house_style"] = "facts"
    tags: list[str] = Field(min_length=1)
    template: str | None = None


@dataclasses.dataclass(frozen=True)
class Article:
    id: str
    path: str
    meta: ArticleMeta
    body: str


def parse_article(path: Path) -> Article:
    shown = display_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentInvalid([ContentError(shown, None, "", f"cannot be read: {exc}", "E001")]) from None
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise ContentInvalid([ContentError(shown, 1, "", "must start with a '---' line opening the YAML front matter", "E301")])
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise ContentInvalid([ContentError(shown, 1, "", "front matter is never closed with a '---' line", "E301")]) from None
    front = "\n".join(lines[1:close])
    try:
        node = yaml.compose(front, Loader=yaml.SafeLoader)
        data = yaml.safe_load(front)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark else None
        raise ContentInvalid([ContentError(shown, line, "", f"front matter is not valid YAML: {exc.problem}", "E002")]) from None
    if not isinstance(data, dict):
        raise ContentInvalid([ContentError(shown, 2, "", "front matter must be a mapping of names to values", "E100")])
    try:
        meta = ArticleMeta.model_validate(data)
    except ValidationError as exc:
        # Lines in the front matter are one below the opening '---'.
        errors = [dataclasses.replace(e, line=e.line + 1 if e.line else None) for e in validation_errors(path, node, exc)]
        raise ContentInvalid(errors) from None
    body = "\n".join(lines[close + 1:]).strip()
    if not body:
        raise ContentInvalid([ContentError(shown, close + 1, "", "has no text after the front matter", "E302")])
    return Article(id=path.stem, path=shown, meta=meta, body=body)


def load_articles(root: Path | None = None) -> tuple[dict[str, Article], list[ContentError]]:
    """Every article by id, and every error found (the caller decides whether to raise)."""
    folder = (root or content_dir()) / "knowledge"
    articles: dict[str, Article] = {}
    errors: list[ContentError] = []
    for path in sorted(folder.glob("*/*.md")):
        try:
            article = parse_article(path)
        except ContentInvalid as exc:
            errors.extend(exc.errors)
            continue
        if article.meta.language != path.parent.name:
            errors.append(ContentError(article.path, 2, "language", f"is '{article.meta.language}' but the file is in "
                                       f"knowledge/{path.parent.name}/", "E303"))
        if article.id in articles:
            errors.append(ContentError(article.path, 1, "", f"article id '{article.id}' is also used by "
                                       f"{articles[article.id].path}", "E304"))
            continue
        articles[article.id] = article
    return articles, errors


@lru_cache(maxsize=None)
def knowledge_base(root: Path | None = None) -> dict[str, Article]:
    articles, errors = load_articles(root)
    if errors:
        raise ContentInvalid(errors)
    return articles
