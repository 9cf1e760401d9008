"""What users read, in Dutch and English: `t("practise.send", "nl")`.

The texts live in content/ui/<lang>.yaml (flat keys). Both files must hold the same keys with
the same {placeholders}; a missing one is a content error with file and line, not a KeyError
on a trainee's screen.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from pydantic import RootModel

from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml

LANGUAGES = ("nl", "en")


class UiTexts(RootModel[dict[str, str]]):
    pass


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@lru_cache(maxsize=None)
def ui_texts(root: Path | None = None) -> dict[str, dict[str, str]]:
    folder = (root or content_dir()) / "ui"
    texts = {lang: load_model(folder / f"{lang}.yaml", UiTexts).root for lang in LANGUAGES}
    errors = []
    for lang in LANGUAGES:
        other = "en" if lang == "nl" else "nl"
        path = folder / f"{lang}.yaml"
        _, node = read_yaml(path)
        for key, text in texts[lang].items():
            if key not in texts[other]:
                errors.append(ContentError(display_path(path), line_of(node, (key,)), key,
                                           f"has no {other} text in content/ui/{other}.yaml", "E300"))
            elif lang == "nl" and _placeholders(text) != _placeholders(texts[other][key]):
                errors.append(ContentError(display_path(path), line_of(node, (key,)), key,
                                           "uses other {placeholders} than the English text", "E301"))
    if errors:
        raise ContentInvalid(errors)
    return texts


def t(key: str, language: str, **values: object) -> str:
    text = ui_texts()[language if language in LANGUAGES else "nl"].get(key)
    if text is None:
        raise KeyError(f"no UI text '{key}' in content/ui/{language}.yaml")
    return text.format(**values) if values else text
