"""Dutch compounds written as two words ('reis verzekering', 'bezorg moment'), found by
grammar and lexicon rather than by a list.

Dutch writes a compound as one word; splitting it English-style ("klanten service") is one of
the most common errors in webcare replies. Our list-based rule (WEBCARE_LOSSE_SAMENSTELLING)
knows the frequent ones. For the rest, LanguageTool's Dutch tagger proposes every noun (or verb
stem) followed by a noun that is no adjective, adverb or verb form (WEBCARE_SAMENSTELLING_LEXICON
in content/languagetool/), and wordfreq's Dutch frequencies decide whether the joined word is
used at all: 'reisverzekering' (Zipf 2.8) is, 'monteurtijd' ("Heeft de monteur tijd?") is not.
LanguageTool's own speller cannot decide this: it accepts any compound of known parts.
"""

from __future__ import annotations

from functools import lru_cache

CANDIDATE_RULE = "WEBCARE_SAMENSTELLING_LEXICON"


def is_split_compound(written: str, joined: str, *, min_zipf: float) -> bool:
    """Whether `written` ('reis verzekering') is a Dutch word written apart: the joined form
    is used at least `min_zipf` on wordfreq's Zipf scale (1 = once per 100 million words),
    and the pair is not an English phrase a Dutch reply borrows ('social media', 'back office')."""
    words = written.lower().split()
    if len(words) != 2 or joined.lower() != "".join(words):
        return False
    if all(_english_leaning(word) for word in words):
        return False
    return _zipf(joined.lower(), "nl") >= min_zipf


def is_known_hyphen_compound(word: str, *, min_zipf: float) -> bool:
    """Whether a hyphenated word is made of common words ('usb-kabel', 'vpn-verbinding'), so
    the speller's only objection is that it never saw the whole. A misspelled part keeps it a
    typo: 'usb-kabl'."""
    parts = word.lower().split("-")
    if len(parts) < 2 or not all(part.isalpha() for part in parts):
        return False
    return all(max(_zipf(part, "nl"), _zipf(part, "en")) >= min_zipf for part in parts)


def _english_leaning(word: str) -> bool:
    return _zipf(word, "en") > _zipf(word, "nl")


@lru_cache(maxsize=4096)
def _zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language)
