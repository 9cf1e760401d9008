"""What users read, in Dutch and English: `t("practise.send", "nl")`.

The texts live in content/ui/<lang>/*.yaml (flat keys). Both languages must hold the same keys
with the same {placeholders}; a missing one is a content error with file and line, not a
KeyError on a trainee's screen.
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
    """Every UI text per language, merged from content/ui/<lang>/*.yaml (one file per area of
    the app, so the people working on different screens never edit the same file)."""
    folder = (root or content_dir()) / "ui"
    texts: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    where: dict[tuple[str, str], tuple[Path, int | None]] = {}
    errors = []
    for lang in LANGUAGES:
        for path in sorted((folder / lang).glob("*.yaml")):
            loaded = load_model(path, UiTexts).root
            _, node = read_yaml(path)
            for key, text in loaded.items():
                line = line_of(node, (key,))
                if key in texts[lang]:
                    first = display_path(where[(lang, key)][0])
                    errors.append(ContentError(display_path(path), line, key, f"is already defined in {first}", "E302"))
                    continue
                texts[lang][key] = text
                where[(lang, key)] = (path, line)
    for lang in LANGUAGES:
        other = "en" if lang == "nl" else "nl"
        for key, text in texts[lang].items():
            path, line = where[(lang, key)]
            if key not in texts[other]:
                errors.append(ContentError(display_path(path), line, key,
                                           f"has no {other} text in content/ui/{other}/", "E300"))
            elif lang == "nl" and _placeholders(text) != _placeholders(texts[other][key]):
                errors.append(ContentError(display_path(path), line, key,
                                           "uses other {placeholders} than the English text", "E301"))
    if errors:
        raise ContentInvalid(errors)
    return texts


def t(key: str, language: str, **values: object) -> str:
    text = ui_texts()[language if language in LANGUAGES else "nl"].get(key)
    if text is None:
        raise KeyError(f"no UI text '{key}' in content/ui/{language}/")
    return text.format(**values) if values else text
