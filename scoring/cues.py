"""Cue lists: phrases and token patterns written in YAML, matched with spaCy.

A cue set is data a dialogue manager can edit (content/tone/<lang>.yaml and, later, other
dimensions' files). It holds `phrases` (matched case-insensitively with spaCy's
`PhraseMatcher(attr="LOWER")`) and/or `token_patterns` (spaCy `Matcher` patterns on LOWER,
LEMMA, TEXT, ...), and REQUIRED examples:

- `should_flag`: texts in which the cue set must find a match;
- `should_pass`: texts in which it must find nothing.

The examples describe the *matcher*, not the finding: for a tone reward ("thanks") the
should_flag texts are replies that DO thank the customer, and the finding `tone.no_thanks`
is raised when the match is missing. One parametrised test runs every example
(tests/scoring/test_cue_examples.py), the way LanguageTool tests its grammar.xml examples.

Matchers are built once per language and cue file (`lru_cache`) and only read afterwards, so
one instance can be shared between threads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, field_validator, model_validator
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from scoring.contentfile import content_dir, load_model
from scoring.model import Language, Severity
from scoring.nlp import load_nlp
from scoring.scope import Scope, ScopeRules


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


# --- token patterns ----------------------------------------------------------------------------


def valid_regex(value: str | None) -> str | None:
    """A field validator: the text compiles as a regular expression (or is absent)."""
    if value is not None:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"is not a valid regular expression: {exc}") from None
    return value


class TextOps(Strict):
    """Operators on a text attribute: `{IN: [...]}`, `{NOT_IN: [...]}`, `{REGEX: "..."}`."""

    IN: list[str] | None = None
    NOT_IN: list[str] | None = None
    REGEX: str | None = None

    _regex_compiles = field_validator("REGEX")(valid_regex)

    @model_validator(mode="after")
    def _one_operator(self) -> TextOps:
        if sum(v is not None for v in (self.IN, self.NOT_IN, self.REGEX)) == 0:
            raise ValueError("needs one of IN, NOT_IN or REGEX")
        return self


class NumberOps(Strict):
    """Comparisons on a number attribute (LENGTH): `{">=": 4}`."""

    ge: int | None = Field(default=None, alias=">=")
    le: int | None = Field(default=None, alias="<=")
    gt: int | None = Field(default=None, alias=">")
    lt: int | None = Field(default=None, alias="<")
    eq: int | None = Field(default=None, alias="==")


TextValue = str | TextOps


class TokenSpec(Strict):
    """One token of a spaCy Matcher pattern, limited to what a blank pipeline provides
    (no POS tags or dependencies here: no trained Dutch model can be installed)."""

    LOWER: TextValue | None = None
    LEMMA: TextValue | None = None
    TEXT: TextValue | None = None
    ORTH: TextValue | None = None
    NORM: TextValue | None = None
    LENGTH: int | NumberOps | None = None
    IS_ALPHA: bool | None = None
    IS_UPPER: bool | None = None
    IS_LOWER: bool | None = None
    IS_TITLE: bool | None = None
    IS_PUNCT: bool | None = None
    IS_SPACE: bool | None = None
    IS_DIGIT: bool | None = None
    IS_SENT_START: bool | None = None
    LIKE_NUM: bool | None = None
    OP: str | None = Field(default=None, pattern=r"^([?*+!]|\{\d*,?\d*\})$")

    def to_spacy(self) -> dict:
        return self.model_dump(by_alias=True, exclude_none=True)


# --- cue sets ----------------------------------------------------------------------------------


class CueExamples(Strict):
    """`should_flag`: texts the cue set must match. `should_pass`: texts it must not match."""

    should_flag: list[str] = Field(min_length=1)
    should_pass: list[str] = Field(min_length=1)


class CueSet(Strict):
    phrases: list[str] = Field(default_factory=list)
    token_patterns: list[list[TokenSpec]] = Field(default_factory=list)
    # A match overlapping one of these is not a match: "niet jouw fout" is no blame, and
    # "je had je pakket allang moeten hebben" says what the customer was owed.
    except_phrases: list[str] = Field(default_factory=list)
    # Only matches starting among the first / ending among the last N tokens count (a greeting
    # belongs at the start, a signature at the end). Whitespace tokens are not counted.
    within_first_tokens: PositiveInt | None = None
    within_last_tokens: PositiveInt | None = None
    # A negation in the cue's clause cancels it ("het spijt me niet", "geen excuses"); see
    # scoring/scope.py and the file's `scope:` rules.
    negatable: bool = False
    # A contrast after the cue takes it back when bare ("sorry, maar ...") or followed by a
    # match of one of these cue sets ("excuses, maar dat staat in de voorwaarden").
    taken_back_by: list[str] = Field(default_factory=list)
    # ... and a bare contrast takes it back too: "sorry, maar ..." (not so "vervelend, maar ik
    # los het op").
    bare_contrast_takes_back: bool = False
    examples: CueExamples

    @field_validator("phrases")
    @classmethod
    def _phrases_not_blank(cls, phrases: list[str]) -> list[str]:
        if any(not p.strip() for p in phrases):
            raise ValueError("phrases must not be empty text")
        return phrases

    @field_validator("token_patterns")
    @classmethod
    def _patterns_not_empty(cls, patterns: list[list[TokenSpec]]) -> list[list[TokenSpec]]:
        if any(not p for p in patterns):
            raise ValueError("a token pattern needs at least one token")
        return patterns

    @model_validator(mode="after")
    def _has_cues(self) -> CueSet:
        if not self.phrases and not self.token_patterns:
            raise ValueError("needs phrases or token_patterns (or both)")
        return self


@dataclass(frozen=True)
class CueFinds:
    """What a CueMatcher found: `matches` count; `cancelled` were found but negated or taken
    back by a contrast (kept so a finding can say why "het spijt me niet" is no apology)."""

    matches: dict[str, list[Span]]
    cancelled: dict[str, list[Span]]
    # Of the cancelled, those a negation cancelled ("het spijt me niet"), not a contrast.
    negated: dict[str, list[Span]] = field(default_factory=dict)


_PATTERN = "\x1f"  # separates a cue set's key from its token pattern's number


class CueMatcher:
    """Finds the cues of several named cue sets in one pass over a Doc.

    Built once, read-only afterwards: spaCy matchers are safe to call from several threads as
    long as nobody adds patterns."""

    def __init__(self, language: str, cue_sets: dict[str, CueSet], scope: Scope | None = None):
        nlp = load_nlp(language)
        self._strings = nlp.vocab.strings
        self._sets = dict(cue_sets)
        self._scope = scope
        self._literal: dict[str, list[bool]] = {}
        self._phrases = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._exceptions = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._tokens = Matcher(nlp.vocab, validate=True)
        for key, cue_set in self._sets.items():
            if cue_set.phrases:
                self._phrases.add(key, [nlp.make_doc(p) for p in cue_set.phrases])
            if cue_set.except_phrases:
                self._exceptions.add(key, [nlp.make_doc(p) for p in cue_set.except_phrases])
            for number, pattern in enumerate(cue_set.token_patterns):
                # One id per pattern, so a match's alignment can be read against its own pattern:
                # tokens that name no word are gaps a negation may hide in.
                name = f"{key}{_PATTERN}{number}"
                self._tokens.add(name, [[t.to_spacy() for t in pattern]])
                self._literal[name] = [bool(t.LOWER or t.LEMMA or t.TEXT or t.ORTH or t.NORM) for t in pattern]

    def find(self, doc: Doc) -> dict[str, list[Span]]:
        """Every cue set's matches, longest first where they overlap, in text order."""
        return self.find_scoped(doc).matches

    def find_scoped(self, doc: Doc) -> CueFinds:
        """`find`, with the matches that a negation or contrast cancelled kept apart.

        Kept on the Doc: tone, the rubric and substance ask the same matcher about the same
        reply, and the token patterns' gaps make matching the scorer's biggest cost."""
        memo = ("cue-finds", self)
        if memo not in doc.user_data:
            doc.user_data[memo] = self._find_scoped(doc)
        return doc.user_data[memo]

    def _find_scoped(self, doc: Doc) -> CueFinds:
        found: dict[str, list[Span]] = {}
        gaps: dict[tuple[int, int], tuple[int, ...]] = {}
        for match_id, start, end in self._phrases(doc):
            found.setdefault(self._strings[match_id], []).append(doc[start:end])
        for match_id, start, end, alignment in self._tokens(doc, with_alignments=True):
            name = self._strings[match_id]
            found.setdefault(name.partition(_PATTERN)[0], []).append(doc[start:end])
            literal = self._literal[name]
            gaps[(start, end)] = gaps.get((start, end), ()) + tuple(
                start + offset for offset, position in enumerate(alignment) if not literal[position])
        excepted: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in self._exceptions(doc):
            excepted.setdefault(self._strings[match_id], []).append((start, end))
        result = {}
        for key, spans in found.items():
            cue_set = self._sets[key]
            kept = [s for s in filter_spans(spans) if _in_position(s, cue_set)
                    and not any(s.start < end and start < s.end for start, end in excepted.get(key, ()))]
            if kept:
                result[key] = sorted(kept, key=lambda s: s.start)
        return self._apply_scope(result, gaps)

    def _apply_scope(self, found: dict[str, list[Span]], gaps: dict) -> CueFinds:
        if self._scope is None:
            return CueFinds(found, {})
        scope = self._scope
        kept: dict[str, list[Span]] = {}
        cancelled: dict[str, list[Span]] = {}
        negations: dict[str, list[Span]] = {}
        for key, spans in found.items():
            cue_set = self._sets[key]
            penalties = [s for other in cue_set.taken_back_by for s in found.get(other, [])]
            for span in spans:
                negated = cue_set.negatable and scope.negation_of(span, gaps.get((span.start, span.end), ())) is not None
                retracted = ((cue_set.taken_back_by or cue_set.bare_contrast_takes_back)
                             and scope.taken_back(span, penalties, cue_set.bare_contrast_takes_back))
                (cancelled if negated or retracted else kept).setdefault(key, []).append(span)
                if negated:
                    negations.setdefault(key, []).append(span)
        return CueFinds(kept, cancelled, negations)


def _in_position(span: Span, cue_set: CueSet) -> bool:
    doc = span.doc
    if cue_set.within_first_tokens is not None:
        before = sum(1 for t in doc[: span.start] if not t.is_space)
        if before >= cue_set.within_first_tokens:
            return False
    if cue_set.within_last_tokens is not None:
        after = sum(1 for t in doc[span.end:] if not t.is_space)
        if after >= cue_set.within_last_tokens:
            return False
    return True


# --- the tone cue file -------------------------------------------------------------------------

Due = Literal["always", "first_reply", "customer_message", "customer_calm", "customer_positive", "customer_thanks",
              "customer_negative", "complaint", "signature_medium"]
Formality = Literal["informal", "neutral", "formal"]


class NegatedCost(BaseModel):
    model_config = ConfigDict(extra="forbid")

    severity: Severity
    points: float = Field(ge=0, le=100)


class ToneCueGroup(CueSet):
    """One tone rule. A `penalty` is raised for every match (the first costs the points);
    a `reward` raises its finding when it is due and nothing matched."""

    id: str = Field(pattern=r"^tone\.[a-z][a-z_]*$")
    kind: Literal["reward", "penalty"]
    severity: Severity
    points: float | None = Field(default=None, ge=0, le=100)
    # When a reward is expected, or (penalties) when a penalty applies; a penalty without it
    # always applies:
    #   always; first_reply (the agent's first reply in a conversation: once the agent has
    #   spoken as "ik", a follow-up need not again); customer_message (there is one); customer_calm (there is one and it is not
    #   negative); customer_positive (praise, thanks); customer_thanks (the new messages thank
    #   or praise sincerely and ask nothing: `gratitude` cues, no complaint, no question, no
    #   request); customer_negative (negative mood or a
    #   complaint); complaint (a service failure: an apology is due); signature_medium
    #   (media.yaml `signature: true`).
    due: Due | None = None
    # A reward also met when another group matched (an apology also acknowledges).
    satisfied_by: list[str] = Field(default_factory=list)
    # Only on media of these formalities (media.yaml `formality`); all media when absent.
    media_formality: list[Formality] | None = None
    # A reward also met by the agent's own name near the end (a signature).
    satisfied_by_agent_name: bool = False
    # What it costs when the cue is there but negated ("het spijt me niet", "geen excuses",
    # "ik begrijp niet waarom"): saying the opposite is worse than leaving it out.
    negated_cost: NegatedCost | None = None

    @model_validator(mode="after")
    def _kind_fields(self) -> ToneCueGroup:
        # A penalty's `due` limits when it applies: "gefeliciteerd" mocks only an unhappy customer.
        if self.kind == "penalty" and (self.satisfied_by_agent_name or self.satisfied_by):
            raise ValueError("`satisfied_by` and `satisfied_by_agent_name` are for rewards only")
        if self.kind == "reward" and self.due is None:
            self.due = "always"
        return self


class RuleCost(Strict):
    severity: Severity
    points: float | None = Field(default=None, ge=0, le=100)


class BuiltinChecks(Strict):
    """Tone rules decided in code rather than by a cue list; their cost is still data."""

    name: RuleCost                 # tone.no_name: the customer's name is known but unused
    address_mixed: RuleCost | None = None     # tone.address_mixed: 'u' and 'je' in one reply
    address_mismatch: RuleCost | None = None  # tone.address_mismatch: not the medium's form
    # tone.address_ignores_customer: 'je' to a customer who wrote 'u' where the medium says 'u' too
    address_ignores_customer: RuleCost | None = None


class AddressForms(Strict):
    """Dutch forms of address; English has none to choose."""

    u: list[str] = Field(min_length=1)
    je: list[str] = Field(min_length=1)


Register = Literal["casual", "polite", "formal"]


class Advice(Strict):
    """Example phrases the suggestions quote ({example}), in the register the reply should
    use: casual (je on social media and chat), polite (je on a formal medium: "Beste Sanne,"),
    formal (u). `{name}` in an example is the customer's first name (casual, polite) or full
    name (formal); `example_name` stands in when the name is unknown."""

    example_name: dict[Register, str]
    casual: dict[str, str]
    polite: dict[str, str]
    formal: dict[str, str]

    @model_validator(mode="after")
    def _same_rules(self) -> Advice:
        if set(self.example_name) != {"casual", "polite", "formal"}:
            raise ValueError("example_name needs casual, polite and formal")
        if not set(self.casual) == set(self.polite) == set(self.formal):
            raise ValueError("casual, polite and formal must give examples for the same rules")
        return self

    def examples(self, register: Register) -> dict[str, str]:
        return getattr(self, register)


class MoodRules(Strict):
    """How the customer's message is read (scoring/sentiment.py `customer_mood`)."""

    negative_below: float = Field(ge=-1, le=1)
    positive_above: float = Field(ge=-1, le=1)
    # A complaint cue pulls the mood down to at most this, even without emotional words.
    complaint_polarity: float = Field(ge=-1, le=0)

    @model_validator(mode="after")
    def _ordered(self) -> MoodRules:
        if self.negative_below > self.positive_above:
            raise ValueError("negative_below must not be above positive_above")
        return self


class SentimentSupplement(Strict):
    """Additions to the installed lexicon for webcare (see docs/tone.md)."""

    negations: list[str] = Field(min_length=1)
    # Lexicon words that are mostly function words in a reply ("naar" = "to" far more often
    # than "nasty"): without POS tags they would only add noise, so they are dropped.
    ignore: list[str] = Field(default_factory=list)
    # word -> polarity in [-1, 1]; adds to or overrides the lexicon
    words: dict[str, float] = Field(default_factory=dict)
    # word -> multiplier for the next sentiment word ("heel goed"); only that: an intensifier
    # on its own ("de hele dag") says nothing about the mood
    intensifiers: dict[str, float] = Field(default_factory=dict)
    # A negation that negates no sentiment word ("doet het weer niet", "niemand belt terug")
    # still says something went wrong in a customer's message: this much, per negation.
    bare_negation: float = Field(default=0.0, ge=-1, le=0)
    # Tokens that turn the praise around them into its opposite ("Top service hoor 🙄").
    irony_markers: list[str] = Field(default_factory=list)

    @field_validator("words")
    @classmethod
    def _polarities(cls, words: dict[str, float]) -> dict[str, float]:
        for word, polarity in words.items():
            if " " in word.strip() or not word.strip():
                raise ValueError(f"'{word}': entries are single words")
            if not -1 <= polarity <= 1:
                raise ValueError(f"'{word}': polarity must be between -1 and 1")
        return words

    @field_validator("intensifiers")
    @classmethod
    def _multipliers(cls, intensifiers: dict[str, float]) -> dict[str, float]:
        for word, factor in intensifiers.items():
            if not 0 < factor <= 3:
                raise ValueError(f"'{word}': an intensifier multiplies by more than 0 and at most 3")
        return intensifiers


class ToneCues(Strict):
    groups: list[ToneCueGroup] = Field(min_length=1)
    checks: BuiltinChecks
    address: AddressForms | None = None
    complaint: CueSet
    # The customer thanks or praises ("top, bedankt!", "thanks, that's very clear"); "niet
    # bedankt", "thanks for nothing" are no gratitude.
    gratitude: CueSet
    mood: MoodRules
    sentiment: SentimentSupplement
    scope: ScopeRules
    advice: Advice

    @model_validator(mode="after")
    def _unique_ids(self) -> ToneCues:
        seen: set[str] = set()
        for group in self.groups:
            if group.id in seen:
                raise ValueError(f"group id '{group.id}' is used twice")
            seen.add(group.id)
        for group in self.groups:
            for field in ("satisfied_by", "taken_back_by"):
                unknown = [rule for rule in getattr(group, field) if rule not in seen]
                if unknown:
                    raise ValueError(f"{group.id}: {field} names unknown groups {unknown}")
        if (self.checks.address_mixed or self.checks.address_mismatch) and self.address is None:
            raise ValueError("address checks need the `address` forms")
        return self

    def group(self, rule: str) -> ToneCueGroup:
        return next(g for g in self.groups if g.id == rule)


@lru_cache(maxsize=None)
def tone_cues(language: Language, root: Path | None = None) -> ToneCues:
    """content/tone/<language>.yaml, validated (errors name file and line)."""
    return load_model((root or content_dir()) / "tone" / f"{language}.yaml", ToneCues)


@dataclass(frozen=True)
class ToneMatchers:
    groups: CueMatcher
    complaint: CueMatcher
    gratitude: CueMatcher


@lru_cache(maxsize=None)
def tone_matchers(language: Language) -> ToneMatchers:
    cues = tone_cues(language)
    return ToneMatchers(
        groups=CueMatcher(language, {g.id: g for g in cues.groups}, Scope.of(cues.scope)),
        # "nooit meer storing gehad" is no complaint: complaint cues read scope too
        complaint=CueMatcher(language, {"complaint": cues.complaint}, Scope.of(cues.scope)),
        gratitude=CueMatcher(language, {"gratitude": cues.gratitude}, Scope.of(cues.scope)),
    )
