"""Comparing a reply with other text on "lemma keys": phrase cues and near-duplicates.

A token's key is its lookup lemma taken from its lowercased text ("Omgeboekt" -> "omboeken",
"Boekt" -> "boeken"). The lookup lemmatizer is context-free, so two tokens with the same
text always share a key: matching on keys is matching on text and on lemmas at once.

- `PhraseCues`: content phrases ("ik heb ... omgeboekt", "stuur ons een DM", "terugbetal*")
  found in a doc with spaCy's PhraseMatcher and Matcher, spans in characters of the original
  text.
- `similarity`: how nearly two replies say the same thing, after greetings, signatures,
  names and punctuation are taken out (a copy with a new greeting is still a copy): the mean
  of a word-sequence ratio and the overlap of word pairs (see `Comparison`).
- `same_answer`: whether two replies give the same answer however it is worded: the overlap
  of their content stems (see `answer_words`), for repeats of an earlier answer.
"""

from __future__ import annotations

import difflib
import itertools
import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from pydantic import Field
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from scoring.config import Strict
from scoring.contentfile import content_dir, load_model
from scoring.nlp import load_nlp

# "..." in a cue stands for a few words in between: "kun je ... sturen".
GAP = "..."
MAX_GAP_TOKENS = 5
# A cue word ending in "*" matches any word starting with it: "terugbetal*".
PREFIX = "*"

_matcher_lock = threading.Lock()


@lru_cache(maxsize=None)
def _table_for(language: str):
    return load_nlp(language).get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def key_of(word: str, language: str) -> str:
    """The lemma key of one word: its lookup lemma, from lowercase text."""
    lower = word.lower()
    return _table_for(language).get(lower, lower)


def lemma_keys(doc: Doc) -> list[str]:
    return [key_of(token.text, doc.lang_) for token in doc]


def key_doc(doc: Doc) -> Doc:
    """A parallel doc whose token texts are the keys of `doc`'s tokens (same indices), so a
    Matcher on it matches on text and lemma at once without touching the shared doc."""
    keys = lemma_keys(doc)
    return Doc(doc.vocab, words=keys, spaces=[True] * len(keys))


@dataclass(frozen=True)
class CueHit:
    """One phrase found: the group it belongs to, the phrase as written, where it is."""

    group: str
    phrase: str
    span: tuple[int, int]
    tokens: tuple[int, int]  # token range in the doc, end exclusive


class PhraseCues:
    """Phrases grouped by name, matched on lemma keys, never across sentence boundaries.

    Plain phrases go to a PhraseMatcher (a trie: fast however many there are); phrases with a
    gap or a prefix to spaCy's Matcher. Build once per (language, phrases) with
    `PhraseCues.cached`; the matchers are not documented as thread-safe, so calls are
    serialised."""

    def __init__(self, language: str, groups: Mapping[str, Iterable[str]]):
        self.language = language
        vocab = load_nlp(language).vocab
        self._phrase_matcher = PhraseMatcher(vocab, attr="ORTH")
        self._matcher = Matcher(vocab)
        self._phrases: dict[str, tuple[str, str]] = {}
        for group, phrases in groups.items():
            for number, phrase in enumerate(phrases):
                parts = self._parts(phrase)
                if not parts:
                    continue
                match_id = f"{group}\x1f{number}"
                self._phrases[match_id] = (group, phrase)
                if len(parts) == 1 and all(isinstance(forms, tuple) for forms in parts[0]):
                    variants = [list(words) for words in itertools.islice(itertools.product(*parts[0]), 16)]
                    self._phrase_matcher.add(match_id, [Doc(vocab, words=words) for words in variants])
                else:
                    self._matcher.add(match_id, [self._pattern(parts)])

    @staticmethod
    @lru_cache(maxsize=512)
    def cached(language: str, groups: tuple[tuple[str, tuple[str, ...]], ...]) -> PhraseCues:
        return PhraseCues(language, dict(groups))

    def _parts(self, phrase: str) -> list[list[tuple[str, ...] | str]]:
        """The phrase split at its gaps; each word a tuple of accepted keys, or a prefix str."""
        tokenizer = load_nlp(self.language).tokenizer
        parts = []
        for part in re.split(rf"\s*(?:{re.escape(GAP)}|…)\s*", phrase.strip()):
            words: list[tuple[str, ...] | str] = []
            for word in part.split():
                if word.endswith(PREFIX) and len(word) > 1:
                    words.append(word[:-1].lower())
                    continue
                for token in tokenizer(word):
                    words.append(tuple(sorted({token.text.lower(), key_of(token.text, self.language)})))
            if words:
                parts.append(words)
        return parts

    @staticmethod
    def _pattern(parts: list[list[tuple[str, ...] | str]]) -> list[dict]:
        pattern: list[dict] = []
        for number, words in enumerate(parts):
            if number:
                pattern.extend({"OP": "?"} for _ in range(MAX_GAP_TOKENS))
            for forms in words:
                if isinstance(forms, str):
                    pattern.append({"ORTH": {"REGEX": f"^{re.escape(forms)}"}})
                elif len(forms) == 1:
                    pattern.append({"ORTH": forms[0]})
                else:
                    pattern.append({"ORTH": {"IN": list(forms)}})
        return pattern

    def find(self, doc: Doc, keys: Doc | None = None) -> list[CueHit]:
        """Every phrase found in `doc`, shortest match per start, in text order."""
        if not self._phrases or not len(doc):
            return []
        memo = ("phrase-cues", self)  # several dimensions ask the same cues of one reply
        if memo not in doc.user_data:
            doc.user_data[memo] = self._find(doc, keys if keys is not None else key_doc(doc))
        return doc.user_data[memo]

    def _find(self, doc: Doc, keys: Doc) -> list[CueHit]:
        with _matcher_lock:
            matches = list(self._phrase_matcher(keys)) if len(self._phrase_matcher) else []
            matches += list(self._matcher(keys)) if len(self._matcher) else []
        best: dict[tuple[str, int], tuple[int, int]] = {}
        for match_id, start, end in matches:
            name = keys.vocab.strings[match_id]
            if not _one_sentence(doc, start, end):
                continue
            known = best.get((name, start))
            if known is None or end < known[1]:
                best[(name, start)] = (start, end)
        found = []
        for (name, _), (start, end) in best.items():
            group, phrase = self._phrases[name]
            span = doc[start:end]
            found.append(CueHit(group, phrase, (span.start_char, span.end_char), (start, end)))
        # Within a group, overlapping phrases ("this will never happen again" and "never happen
        # again") are one hit: the longest.
        hits: list[CueHit] = []
        for hit in sorted(found, key=lambda h: (h.tokens[0] - h.tokens[1], h.tokens[0])):
            if not any(k.group == hit.group and k.tokens[0] < hit.tokens[1] and hit.tokens[0] < k.tokens[1] for k in hits):
                hits.append(hit)
        return sorted(hits, key=lambda h: (h.span, h.group))


def _one_sentence(doc: Doc, start: int, end: int) -> bool:
    return not any(doc[i].is_sent_start for i in range(start + 1, end))


# --- near-duplicates --------------------------------------------------------------------

_SIGNATURE = re.compile(r"\^\s?\w+|(?:^|\n)\s*[-–—]\s*\w+\s*$")
_SIGN_OFF = re.compile(
    r"(?:met\s+)?(?:vriendelijke|hartelijke|zonnige)\s+groet(?:en)?\b.*$|\bgroet(?:jes|en)?\s*,.*$|"
    r"\b(?:kind|best|warm)\s+regards\b.*$|\bregards\s*,.*$|\bsincerely\b.*$|\bcheers\s*,.*$",
    re.IGNORECASE | re.DOTALL,
)
_GREETING = re.compile(
    r"^\s*(?:hoi|hallo|hey|hi|hello|beste|geachte|dear|goedemorgen|goedemiddag|goedenavond|"
    r"good\s+(?:morning|afternoon|evening))\b[^,!.\n]{0,40}[,!.\n]",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"@\w+")


@dataclass(frozen=True)
class Comparison:
    """`sequence`: difflib's ratio on the normalised word sequences (order matters, and so does
    length). `overlap`: the share of the shorter text's lemma-key bigrams found in the other, so
    "nog één keer" inserted into the same advice barely counts, while two answers that only
    share a stock phrase ("stuur ons een DM") stay far apart."""

    sequence: float
    overlap: float

    @property
    def score(self) -> float:
        return (self.sequence + self.overlap) / 2


def normalised_words(text: str, language: str, names: Iterable[str] = ()) -> list[str]:
    """Lowercase lemma keys of the words that carry the message: no greeting, sign-off,
    signature, @handle, names or punctuation."""
    banned = {part.lower() for name in names if name for part in re.findall(r"\w+", name)}
    doc = load_nlp(language)(_strip_frame(text))
    return [
        key_of(token.text, language)
        for token in doc
        if not (token.is_punct or token.is_space or token.text.lower() in banned or not any(c.isalnum() for c in token.text))
    ]


def compare(a: str, b: str, language: str, names: Iterable[str] = ()) -> Comparison:
    names = tuple(names)
    words_a = normalised_words(a, language, names)
    words_b = normalised_words(b, language, names)
    return compare_words(words_a, words_b)


def compare_words(words_a: Sequence[str], words_b: Sequence[str]) -> Comparison:
    if not words_a or not words_b:
        return Comparison(0.0, 0.0)
    sequence = difflib.SequenceMatcher(None, list(words_a), list(words_b), autojunk=False).ratio()
    bigrams_a, bigrams_b = _bigrams(words_a), _bigrams(words_b)
    overlap = len(bigrams_a & bigrams_b) / min(len(bigrams_a), len(bigrams_b))
    return Comparison(sequence, overlap)


def similarity(a: str, b: str, language: str, names: Iterable[str] = ()) -> float:
    """0..1: 1 is the same message. Greetings, sign-offs, names and punctuation don't count."""
    return compare(a, b, language, names).score


def _bigrams(words: Sequence[str]) -> set[tuple[str, str]]:
    if len(words) == 1:
        return {(words[0], "")}
    return set(zip(words, words[1:]))


# --- the same answer, by meaning ------------------------------------------------------------
# A repeat reworded, reordered or with an apology in front shares few word pairs with the
# original but nearly all of its content words: compare the sets of content stems, after
# stop words and the words that carry no answer (apology, empathy, greeting, sign-off) are
# dropped, numbers are written as digits and synonyms share one stem.


class AnswerWordExample(Strict):
    earlier: str
    reply: str


class AnswerWords(Strict):
    """content/repeats/<lang>.yaml: the words that are no part of an answer, synonyms, and
    examples of the same answer (`should_flag`) and of a different one (`should_pass`)."""

    no_answer: list[str] = Field(min_length=1)
    numbers: dict[str, int] = Field(min_length=1)  # "twee": 2, ...
    synonyms: list[list[str]] = Field(default_factory=list)
    should_flag: list[AnswerWordExample] = Field(min_length=1)
    should_pass: list[AnswerWordExample] = Field(min_length=1)


@lru_cache(maxsize=None)
def answer_words_config(language: str, root: Path | None = None) -> AnswerWords:
    return load_model((root or content_dir()) / "repeats" / f"{language}.yaml", AnswerWords)


@lru_cache(maxsize=None)
def _stemmer(language: str):
    from nltk.stem.snowball import SnowballStemmer

    return SnowballStemmer({"nl": "dutch", "en": "english"}[language])


_DUTCH_PARTICIPLE = re.compile(r"^ge(?=\w{3,}[dt]$)")
_LONG_VOWEL = re.compile(r"([aeou])\1(?=[^aeiou]*$)")


def _stem(word: str, language: str) -> str:
    stem = _stemmer(language).stem(word)
    if language == "nl":
        # Snowball leaves Dutch verb forms apart: "bezorgd", "bezorgt" and "bezorgen" all
        # become "bezorg"; "gestuurd" and "sturen" become "stur".
        stem = _DUTCH_PARTICIPLE.sub("", stem)
        if len(stem) > 4 and stem[-1] in "dt":
            stem = stem[:-1]
        stem = _LONG_VOWEL.sub(r"\1", stem)
    return stem


@lru_cache(maxsize=None)
def _answer_lexicon(language: str) -> tuple[frozenset[str], dict[str, str], dict[str, str]]:
    config = answer_words_config(language)
    stop_words = load_nlp(language).Defaults.stop_words
    ignored = frozenset(stop_words) | {key_of(word, language) for word in config.no_answer} | {
        word.lower() for word in config.no_answer}
    numbers = {word.lower(): str(number) for word, number in config.numbers.items()}
    synonyms = {}
    for group in config.synonyms:
        canonical = _stem(key_of(group[0], language), language)
        for word in group:
            synonyms[_stem(key_of(word, language), language)] = canonical
    return ignored, numbers, synonyms


def answer_words(text: str, language: str, names: Iterable[str] = ()) -> frozenset[str]:
    """The content stems of a reply's answer: "Sorry! Je zending wordt binnen twee werkdagen
    bezorgd. ^Bram" -> {pakket, 2, werkdag, bezorg}."""
    return _answer_words(text, language, tuple(names))


# Cached: the earlier answers of a conversation are compared with every reply in it.
@lru_cache(maxsize=2048)
def _answer_words(text: str, language: str, names: tuple[str, ...]) -> frozenset[str]:
    ignored, numbers, synonyms = _answer_lexicon(language)
    stems = set()
    for word in normalised_words(text, language, names):
        if any(c.isdigit() for c in word):
            stems.add(re.sub(r"\D", "", word))  # "20.00" and "20:00", "€84,50" and "84.50"
        elif word in numbers:
            stems.add(numbers[word])
        elif word not in ignored and len(word) > 1:
            stem = _stem(word, language)
            stems.add(synonyms.get(stem, stem))
    return frozenset(stems)


def same_answer(reply: str, earlier: str, language: str, names: Iterable[str] = (), min_words: int = 2,
                min_coverage: float = 0.3) -> float:
    """0..1, how far `reply` gives the answer `earlier` gave: the share of the reply's answer
    words that the earlier answer already had. A reply that adds a new action, fact or time
    brings new words and scores low, however much of the topic it shares. Nothing to compare
    (0) below `min_words` answer words on either side, or when the reply takes up less than
    `min_coverage` of the earlier answer ("ik kijk even mee" is no repeat of a long answer)."""
    names = tuple(names)
    words, old = answer_words(reply, language, names), answer_words(earlier, language, names)
    if min(len(words), len(old)) < min_words:
        return 0.0
    shared = len(words & old)
    if shared / len(old) < min_coverage:
        return 0.0
    return shared / len(words)


# --- templates with their fields masked -----------------------------------------------------
# A knowledge-base template is pasted when the reply is the template with its fields filled in:
# the customer's name, an order number, a date, an amount, a place. Fields are masked in the
# template and in the reply alike, so filling them in is not adapting the template.

MASK = "\x00"
_MONTHS_AND_DAYS = frozenset(
    "januari februari maart april mei juni juli augustus september oktober november december maandag dinsdag "
    "woensdag donderdag vrijdag zaterdag zondag january february march may june july august october monday "
    "tuesday wednesday thursday friday saturday sunday".split()
)


def masked_words(text: str, language: str, names: Iterable[str] = (), fields: re.Pattern | None = None) -> list[str]:
    """`normalised_words` with every field masked: what `fields` matches ("{naam}", "[datum]"),
    names, words with digits, months and weekdays, and capitalised words inside a sentence
    ("Barcelona", "Philips"). Runs of masks are one mask: "{datum}" and "3 maart" match."""
    if fields is not None:
        text = fields.sub(" Xfieldx ", text)
    banned = {part.lower() for name in names if name for part in re.findall(r"\w+", name)}
    doc = load_nlp(language)(_strip_frame(text))
    words: list[str] = []
    for token in doc:
        if token.is_punct or token.is_space or not any(c.isalnum() for c in token.text):
            continue
        lower = token.text.lower()
        field = (token.text == "Xfieldx" or lower in banned or any(c.isdigit() for c in token.text)
                 or lower in _MONTHS_AND_DAYS or (token.text[:1].isupper() and not token.is_sent_start))
        word = MASK if field else key_of(token.text, language)
        if not (word == MASK and words and words[-1] == MASK):
            words.append(word)
    return words


def _strip_frame(text: str) -> str:
    """Without @handles, the greeting, the sign-off and the signature (see normalised_words)."""
    text = _HANDLE.sub(" ", text)
    text = _GREETING.sub(" ", text, count=1)
    text = _SIGN_OFF.sub(" ", text)
    return _SIGNATURE.sub(" ", text)


def template_match(reply: str, template: str, language: str, names: Iterable[str] = (),
                   fields: re.Pattern | None = None) -> float:
    """0..1, how nearly `reply` is `template` with its fields filled in (see `masked_words`)."""
    names = tuple(names)
    return compare_words(_masked(reply, language, names, fields), _masked(template, language, names, fields)).score


@lru_cache(maxsize=2048)
def _masked(text: str, language: str, names: tuple[str, ...], fields: re.Pattern | None) -> tuple[str, ...]:
    return tuple(masked_words(text, language, names, fields))
