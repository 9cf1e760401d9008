"""Brand, product and desk names found in content: never spelling errors.

A scenario's own model answer must not lose points for the brand's name ("Telvia"), its desk
("SkyNL-servicebalie") or a carrier it names ("PostNL-punt"). Besides content/glossary.yaml we
take, from every scenario and knowledge article: the scenarios' `brand`, the departments of
the language packs, and every word written with a capital inside it (SkyNL, NedSpoor,
ZekerVerzekerd, WhatsApp), which in our content is always a name.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from scoring.config import glossary
from scoring.contentfile import content_dir

# A capital after a lower-case letter: PostNL, NedSpoor, iPhone; not "Hoi" or "KLM".
_INNER_CAPITAL = re.compile(r"\b\w*[a-zà-ÿ][\w]*[A-Z][\w]*\b")
_BRAND_FIELD = re.compile(r"^brand:\s*(.+?)\s*$", re.MULTILINE)


@lru_cache(maxsize=None)
def content_names(root: Path | None = None) -> frozenset[str]:
    """Lower-cased names that LanguageTool's spelling matches must leave alone."""
    base = root or content_dir()
    names = set(glossary(root))
    for path in sorted((base / "scenarios").glob("*/*.yaml")) + sorted((base / "knowledge").glob("*/*.md")):
        # Escaped line breaks in quoted YAML ("...\\nAlles") would read as a word "nAlles".
        text = path.read_text(encoding="utf-8").replace("\\n", " ")
        names.update(word.lower() for word in _INNER_CAPITAL.findall(text))
        for brand in _BRAND_FIELD.findall(text):
            names.update(_words(brand.strip("'\"")))
        if path.name == "_language.yaml":
            departments = (yaml.safe_load(text) or {}).get("departments") or {}
            for department in departments.values():
                names.update(_words(department))
    return frozenset(names)


def is_name(flagged: str, names: frozenset[str]) -> bool:
    """Whether a flagged word is a name, or a compound with one ('SkyNL-servicebalie')."""
    word = flagged.strip().lstrip("^@#").lower()
    if word in names:
        return True
    return "-" in word and any(part in names for part in word.split("-"))


def _words(text: str) -> set[str]:
    return {text.lower()} | {part.lower() for part in text.split() if part[:1].isupper()}


@lru_cache(maxsize=1)
def dutch_proper_names() -> frozenset[str]:
    """Dutch towns and first names, from Faker's nl_NL lists (the personas come from there too):
    an English reply that mentions "Hoorn" or a customer called "Sem" has no typo in it."""
    from faker.providers.address.nl_NL import Provider as Address
    from faker.providers.person.nl_NL import Provider as Person

    names = set(Address.cities) | set(Person.first_names_male) | set(Person.first_names_female)
    return frozenset(name for name in names if " " not in name)


def is_dutch_proper_name(flagged: str) -> bool:
    """Only as written with a capital: 'Hoorn' is a town, 'hoorn' a horn, 'Mark' a name, 'mark' a word."""
    word = flagged.strip().lstrip("^@#")
    return word[:1].isupper() and word in dutch_proper_names()
