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
# A particle written apart from its verb ('op laden'), for any verb: kept, like a candidate
# compound, only when the joined word ('opladen') is in use.
SEPARABLE_CANDIDATE_RULE = "WEBCARE_SCHEIDBAAR_LEXICON"
CANDIDATE_RULES = frozenset({CANDIDATE_RULE, SEPARABLE_CANDIDATE_RULE})


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


def is_known_compound(word: str, *, min_zipf: float) -> bool:
    """Whether a word the speller does not know is still correct Dutch, because it is built
    from words it does know. LanguageTool's Dutch dictionary lists many compounds but not all,
    and no brand names, so without this every new compound or product name is a "typo":
    - hyphenated common parts: 'usb-kabel', 'vpn-verbinding' (a misspelled part, 'usb-kabl',
      keeps it a typo);
    - a name with a hyphen and common parts, which Dutch spelling requires ('Zomerlicht-app',
      'PakketPunt-kluis');
    - a product name with a capital inside it ('MijnGemeente', 'WoonGoed');
    - two common Dutch words of at least four letters written together, possibly with a
      linking s or e(n): 'retourpakket', 'betalingskenmerk'. Short parts are left out because
      typos split into them ('vandag' is 'van' + 'dag')."""
    parts = word.split("-")
    if len(parts) >= 2 and all(part.isalpha() for part in parts):
        # A capitalised first part is a name: only the parts after it need to be known words.
        common = parts[1:] if parts[0][:1].isupper() else parts
        return all(_common(part.lower(), min_zipf) for part in common)
    if not word.isalpha():
        return False
    if _has_inner_capital(word):
        return True
    return word.islower() and _two_common_words(word, min_zipf)


_LINKS = ("", "s", "e", "en")
_MIN_PART = 4


def likely_meant(word: str, replacement: str, *, min_zipf: float) -> bool:
    """Whether the speller's suggestion is a common word one edit away ('mogenlijk' ->
    'mogelijk', 'genoteert' -> 'genoteerd'): then the writer most likely meant it, even when the
    written word happens to split into known words ('mogen' + 'lijk')."""
    return _one_edit_apart(word.lower(), replacement.lower()) and _common(replacement.lower(), min_zipf)


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _common(word: str, min_zipf: float) -> bool:
    return max(_zipf(word, "nl"), _zipf(word, "en")) >= min_zipf


def _has_inner_capital(word: str) -> bool:
    """'MijnGemeente', 'WoonGoed': a capital after a lower-case letter marks a product name."""
    return any(a.islower() and b.isupper() for a, b in zip(word, word[1:]))


def _two_common_words(word: str, min_zipf: float) -> bool:
    for cut in range(_MIN_PART, len(word) - _MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        for link in _LINKS:
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            if len(stem) >= _MIN_PART and _zipf(stem, "nl") >= min_zipf and _zipf(tail, "nl") >= min_zipf:
                return True
    return False


def _english_leaning(word: str) -> bool:
    return _zipf(word, "en") > _zipf(word, "nl")


@lru_cache(maxsize=4096)
def _zipf(word: str, language: str) -> float:
    from wordfreq import zipf_frequency

    return zipf_frequency(word, language)
