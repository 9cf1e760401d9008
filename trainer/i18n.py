"""What users read, in Dutch and English: `t("practise.send", "nl")`.

The texts live in content/ui/<lang>/*.yaml (flat keys). Both languages must hold the same keys
with the same {placeholders}; a missing one is a content error with file and line, not a
KeyError on a trainee's screen.

A text that depends on a number has a form per grammatical number, chosen by its `count`
placeholder (`t("progress.missing", "nl", count=2)`):

    progress.missing:
      one: "Nog niet behaald: er ontbreekt nog één punt."
      other: "Nog niet behaald: er ontbreken {count} punten."

Dutch and English both have exactly these two forms: `one` for a count of 1, `other` for any
other count (0 included).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import RootModel

from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml

LANGUAGES = ("nl", "en")
PLURAL_FORMS = ("one", "other")
COUNT = "count"  # the placeholder that chooses a plural form


@dataclass(frozen=True)
class Plural:
    """A text with one form per grammatical number."""

    one: str
    other: str

    def form(self, count: object) -> str:
        return self.one if count == 1 else self.other


UiText = str | Plural


class UiTexts(RootModel[dict[str, Any]]):
    # Values are checked by _ui_text (plain text or plural forms) for errors that read well.
    pass


def _placeholders(text: UiText) -> set[str]:
    if isinstance(text, Plural):
        return _placeholders(text.one) | _placeholders(text.other) | {COUNT}
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _ui_text(value: Any, key: str, shown: str, node: yaml.Node | None, errors: list[ContentError]) -> UiText | None:
    """A text, or its plural forms, from one YAML value; None (and an error) when it is neither."""
    if isinstance(value, str):
        return value
    line = line_of(node, (key,))
    if not isinstance(value, dict):
        errors.append(ContentError(shown, line, key, "must be text, or plural forms 'one' and 'other'", "E100"))
        return None
    unknown = [form for form in value if form not in PLURAL_FORMS]
    for form in unknown:
        errors.append(ContentError(shown, line_of(node, (key, form)), f"{key} -> {form}",
                                   "is not a plural form: use 'one' and 'other'", "E303"))
    missing = [form for form in PLURAL_FORMS if form not in value]
    if missing:
        errors.append(ContentError(shown, line, key, f"needs the plural form(s) {', '.join(missing)}", "E303"))
    not_text = [form for form in PLURAL_FORMS if form in value and not isinstance(value[form], str)]
    for form in not_text:
        errors.append(ContentError(shown, line_of(node, (key, form)), f"{key} -> {form}", "must be text", "E100"))
    if unknown or missing or not_text:
        return None
    plural = Plural(**value)
    if _placeholders(plural.one) - {COUNT} != _placeholders(plural.other) - {COUNT}:
        errors.append(ContentError(shown, line_of(node, (key, "one")), f"{key} -> one",
                                   "uses other {placeholders} than the 'other' form ({count} aside)", "E304"))
    return plural


@lru_cache(maxsize=None)
def ui_texts(root: Path | None = None) -> dict[str, dict[str, UiText]]:
    """Every UI text per language, merged from content/ui/<lang>/*.yaml (one file per area of
    the app, so the people working on different screens never edit the same file)."""
    folder = (root or content_dir()) / "ui"
    texts: dict[str, dict[str, UiText]] = {lang: {} for lang in LANGUAGES}
    where: dict[tuple[str, str], tuple[Path, int | None]] = {}
    errors: list[ContentError] = []
    broken: set[str] = set()  # keys with an error of their own: no "missing in the other language" too
    for lang in LANGUAGES:
        for path in sorted((folder / lang).glob("*.yaml")):
            loaded = load_model(path, UiTexts).root
            _, node = read_yaml(path)
            for key, value in loaded.items():
                line = line_of(node, (key,))
                if key in texts[lang]:
                    first = display_path(where[(lang, key)][0])
                    errors.append(ContentError(display_path(path), line, key, f"is already defined in {first}", "E302"))
                    continue
                text = _ui_text(value, key, display_path(path), node, errors)
                if text is None:
                    broken.add(key)
                    continue
                texts[lang][key] = text
                where[(lang, key)] = (path, line)
    for lang in LANGUAGES:
        other = "en" if lang == "nl" else "nl"
        for key, text in texts[lang].items():
            path, line = where[(lang, key)]
            if key not in texts[other]:
                if key not in broken:
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
    if isinstance(text, Plural):
        if COUNT not in values:
            raise TypeError(f"UI text '{key}' has plural forms: pass {COUNT}=")
        text = text.form(values[COUNT])
    return text.format(**values) if values else text
