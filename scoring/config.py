"""Validated scoring configuration from `content/`: media rules, weights, thresholds, messages.

Nothing in here is a number a dialogue manager cannot change in YAML.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, field_validator, model_validator

from scoring.contentfile import ContentError, ContentInvalid, content_dir, load_model, read_yaml, display_path, line_of
from scoring.model import Language, Severity

# The built-in dimensions, in the order scorecards show them. The one place they are named:
# everything else (content validation, exports, pages) takes them from here.
DimensionName = Literal["tone", "spelling", "length", "speed", "privacy", "substance"]
DIMENSIONS: tuple[str, ...] = get_args(DimensionName)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Names(Strict):
    nl: str
    en: str

    def __call__(self, language: Language) -> str:
        return getattr(self, language)


class MediumLook(Strict):
    """How the app draws a message on this medium."""

    kind: Literal["tweet", "comment", "bubble", "email", "chat", "review"]
    colour: str = Field(pattern=r"^#[0-9a-fA-F]{6}$")
    shows_handle: bool = False
    shows_followers: bool = False
    shows_subject: bool = False
    shows_stars: bool = False


class Medium(Strict):
    name: Names
    public: bool
    max_chars: PositiveInt
    over_limit: Severity = Severity.major
    ideal_chars: tuple[PositiveInt, PositiveInt]
    address: Literal["je", "u"]
    formality: Literal["informal", "neutral", "formal"]
    signature: bool
    target_seconds: PositiveInt
    sla_seconds: PositiveInt
    can_move_private: bool
    private_channel: str | None = None
    look: MediumLook

    @model_validator(mode="after")
    def _check_ranges(self) -> Medium:
        low, high = self.ideal_chars
        if low > high:
            raise ValueError("ideal_chars must be [shortest, longest] with shortest first")
        if high > self.max_chars:
            raise ValueError(f"ideal_chars upper bound {high} is above max_chars {self.max_chars}")
        if self.can_move_private and not self.private_channel and self.public:
            raise ValueError("a public medium that can move to private must name its private_channel")
        return self


class MediaCatalogue(Strict):
    media: dict[str, Medium] = Field(min_length=1)

    @model_validator(mode="after")
    def _private_channels_exist(self) -> MediaCatalogue:
        for medium_id, medium in self.media.items():
            target = medium.private_channel
            if target and (target not in self.media or self.media[target].public):
                raise ValueError(f"{medium_id}: private_channel '{target}' must be a private medium in this file")
        return self


Weight = Annotated[float, Field(ge=0)]


class SeverityPoints(Strict):
    info: float = Field(ge=0)
    minor: float = Field(ge=0)
    major: float = Field(ge=0)
    critical: float = Field(ge=0)

    def __getitem__(self, severity: Severity) -> float:
        return getattr(self, severity.value)


class LengthRules(Strict):
    too_short_points: float = Field(ge=0)
    too_long_points: float = Field(ge=0)
    over_limit_points: float = Field(ge=0)


class SpeedRules(Strict):
    # Points lost per 100% of the target time overrun, capped.
    points_per_target_overrun: float = Field(ge=0)
    max_points: float = Field(ge=0, le=100)
    sla_breach_points: float = Field(ge=0)
    sla_danger_share: float = Field(gt=0, le=1)


class SpellingRules(Strict):
    points_per_error_per_100_words: float = Field(gt=0)
    min_words: PositiveInt
    grammar_weight: float = Field(gt=0)
    # Commas, spaces and other punctuation: counted, but lighter than a typo, so a missing comma
    # before 'hoor' does not fail a tweet the way a d/t error does. Rule ids may end in '*'.
    punctuation_weight: float = Field(gt=0)
    punctuation_rules: list[str] = Field(default_factory=list)
    punctuation_categories: list[str] = Field(default_factory=list)
    ignore_rules: list[str] = Field(default_factory=list)
    # A noun pair the tagger proposes ('reis verzekering') is a split compound when the joined
    # word is this common in Dutch (wordfreq's Zipf scale; see scoring/split_compounds.py).
    split_compound_min_zipf: float = Field(default=1.3, ge=0)
    # A hyphenated word ('usb-kabel', 'vpn-verbinding') the speller does not know is no typo when
    # every part is this common in Dutch or English: Dutch joins loanwords with a hyphen.
    hyphen_part_min_zipf: float = Field(default=3.0, ge=0)

    def is_punctuation(self, rule: str, category: str) -> bool:
        return category in self.punctuation_categories or any(
            rule.startswith(pattern[:-1]) if pattern.endswith("*") else rule == pattern
            for pattern in self.punctuation_rules)


class SubstanceRules(Strict):
    repeat_similarity: float = Field(gt=0, le=1)
    template_similarity: float = Field(gt=0, le=1)


class RepeatRules(Strict):
    # See scoring.similarity.same_answer: the share of a reply's answer words already in an
    # earlier answer from which it repeats it, how much of the earlier answer it must take up,
    # and how many answer words both need to be compared at all.
    same_answer: float = Field(gt=0, le=1)
    min_coverage: float = Field(ge=0, le=1)
    min_answer_words: PositiveInt
    # What a repeat costs substance: the customer who already had this answer gets nothing new,
    # so, like a reply without an answer, it takes substance below its minimum.
    points: float = Field(default=55, ge=0, le=100)


class ScoringConfig(Strict):
    pass_mark: float = Field(ge=0, le=100)
    # A reply with any checked dimension below this fails, whatever its total: a fine total
    # must not hide a reply a team lead would send back (e.g. tone 50, all else perfect).
    dimension_minimum: dict[str, Annotated[float, Field(ge=0, le=100)]] = Field(default_factory=dict)
    # Every built-in dimension needs a weight; a registered extension dimension gets one here too.
    weights: dict[str, Weight]
    medium_weights: dict[str, dict[str, Weight]] = Field(default_factory=dict)
    severity_points: SeverityPoints
    length: LengthRules
    speed: SpeedRules
    spelling: SpellingRules
    substance: SubstanceRules
    repeats: RepeatRules

    @field_validator("weights")
    @classmethod
    def _every_dimension_weighed(cls, weights: dict[str, float]) -> dict[str, float]:
        missing = [name for name in DIMENSIONS if name not in weights]
        if missing:
            raise ValueError(f"needs a weight for every dimension; missing: {', '.join(missing)}")
        return weights

    @model_validator(mode="after")
    def _only_weighed_dimensions(self) -> ScoringConfig:
        for where, names in [("dimension_minimum", self.dimension_minimum),
                             *((f"medium_weights -> {m}", w) for m, w in self.medium_weights.items())]:
            unknown = sorted(set(names) - set(self.weights))
            if unknown:
                raise ValueError(f"{where}: {', '.join(unknown)} is not a dimension in weights "
                                 f"({', '.join(self.weights)})")
        return self

    def weights_for(self, medium_id: str) -> dict[str, float]:
        return {**self.weights, **self.medium_weights.get(medium_id, {})}


class RuleText(Strict):
    message: str
    suggestion: str | None = None


class LanguageToolVoice(Strict):
    """How spelling findings speak: our own text for a LanguageTool rule instead of LanguageTool's
    (which repeats the flagged word and, in Dutch, says "u" where the app says "je")."""

    # LanguageTool rule id or category -> a key under `rules` whose message the finding shows.
    explain: dict[str, str] = Field(default_factory=dict)
    # Joins alternatives in {options}: 'a', 'b' of 'c'.
    or_word: str


# What a message that explains a LanguageTool rule may use: the flagged words, LanguageTool's
# first replacement, and all its replacements joined with `or_word`.
LANGUAGETOOL_PLACEHOLDERS = frozenset({"wrong", "right", "options"})


class Messages(Strict):
    """Rule id -> what the trainee reads. `{placeholders}` are filled by the rule."""

    rules: dict[str, RuleText] = Field(default_factory=dict)
    languagetool: LanguageToolVoice | None = None
    # Rule id -> the suggestion shown instead on a formal medium (media.yaml `formality:
    # formal`, the u-form), so advice never quotes "Hoi Sanne" to a customer addressed as "u".
    formal_suggestions: dict[str, str] = Field(default_factory=dict)


class Glossary(Strict):
    """Words LanguageTool must not flag: brands, product names, house terms."""

    terms: list[str] = Field(default_factory=list)


@lru_cache(maxsize=None)
def media_catalogue(root: Path | None = None) -> MediaCatalogue:
    return load_model((root or content_dir()) / "media.yaml", MediaCatalogue)


@lru_cache(maxsize=None)
def scoring_config(root: Path | None = None) -> ScoringConfig:
    config = load_model((root or content_dir()) / "scoring.yaml", ScoringConfig)
    unknown = set(config.medium_weights) - set(media_catalogue(root).media)
    if unknown:
        path = (root or content_dir()) / "scoring.yaml"
        _, node = read_yaml(path)
        raise ContentInvalid(
            [
                ContentError(display_path(path), line_of(node, ("medium_weights", m)), f"medium_weights -> {m}",
                             "is not a medium in content/media.yaml", "E200")
                for m in sorted(unknown)
            ]
        )
    return config


@lru_cache(maxsize=None)
def messages(language: Language, root: Path | None = None) -> Messages:
    """All rule texts in one language, merged from content/messages/<language>/*.yaml
    (one file per dimension, so authors of different dimensions never edit the same file)."""
    folder = (root or content_dir()) / "messages" / language
    merged: dict[str, RuleText] = {}
    errors: list[ContentError] = []
    origin: dict[str, str] = {}
    voice: tuple[LanguageToolVoice, Path, object] | None = None
    formal: list[tuple[str, str, Path, object]] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            loaded = load_model(path, Messages)
        except ContentInvalid as exc:
            errors.extend(exc.errors)
            continue
        _, node = read_yaml(path)
        if loaded.languagetool is not None:
            if voice is not None:
                errors.append(ContentError(display_path(path), line_of(node, ("languagetool",)), "languagetool",
                                           f"is already defined in {display_path(voice[1])}", "E202"))
            else:
                voice = (loaded.languagetool, path, node)
        for rule, text in loaded.rules.items():
            line = line_of(node, ("rules", rule))
            if rule in merged:
                errors.append(ContentError(display_path(path), line, f"rules -> {rule}",
                                           f"is already defined in {origin[rule]}", "E202"))
                continue
            merged[rule], origin[rule] = text, display_path(path)
            for field_name in ("message", "suggestion"):
                value = getattr(text, field_name)
                try:
                    list(string.Formatter().parse(value or ""))
                except ValueError as exc:
                    errors.append(ContentError(display_path(path), line, f"rules -> {rule} -> {field_name}",
                                               f"has a broken placeholder: {exc}", "E201"))
        formal.extend((rule, text, path, node) for rule, text in loaded.formal_suggestions.items())
    if voice is not None:
        errors.extend(_languagetool_errors(*voice, merged))
    errors.extend(_formal_errors(formal, merged))
    if not merged and not errors:
        errors.append(ContentError(display_path(folder), None, "", "holds no message files", "E203"))
    if errors:
        raise ContentInvalid(errors)
    return Messages(rules=merged, languagetool=voice[0] if voice else None,
                    formal_suggestions={rule: text for rule, text, _, _ in formal})


def _formal_errors(formal: list[tuple[str, str, Path, object]], rules: dict[str, RuleText]) -> list[ContentError]:
    """A formal suggestion must belong to a rule and use only the placeholders its message does."""
    errors = []
    for rule, text, path, node in formal:
        line = line_of(node, ("formal_suggestions", rule))
        shown = f"formal_suggestions -> {rule}"
        if rule not in rules:
            errors.append(ContentError(display_path(path), line, shown, "is not a rule with a message", "E204"))
            continue
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            known = {name for part in (rules[rule].message, rules[rule].suggestion or "")
                     for _, name, _, _ in string.Formatter().parse(part) if name}
        except ValueError as exc:
            errors.append(ContentError(display_path(path), line, shown, f"has a broken placeholder: {exc}", "E201"))
            continue
        if used - known:
            errors.append(ContentError(display_path(path), line, shown,
                                       f"uses {{{', '.join(sorted(used - known))}}}, which the rule does not fill", "E205"))
    return errors


def _languagetool_errors(voice: LanguageToolVoice, path: Path, node, rules: dict[str, RuleText]) -> list[ContentError]:
    """Every LanguageTool rule must point at a message that exists and uses only the
    placeholders a spelling finding can fill."""
    errors = []
    for lt_rule, key in voice.explain.items():
        location = ("languagetool", "explain", lt_rule)
        shown = " -> ".join(location)
        line = line_of(node, location)
        if key not in rules:
            errors.append(ContentError(display_path(path), line, shown, f"names '{key}', which has no message", "E204"))
            continue
        try:
            used = {name for _, name, _, _ in string.Formatter().parse(rules[key].message) if name}
        except ValueError:
            continue  # a broken placeholder, already reported as E201
        unknown = used - LANGUAGETOOL_PLACEHOLDERS
        if unknown:
            errors.append(ContentError(
                display_path(path), line, shown,
                f"'{key}' uses {{{', '.join(sorted(unknown))}}}; only {{wrong}}, {{right}} and {{options}} are filled",
                "E205"))
    return errors


@lru_cache(maxsize=None)
def glossary(root: Path | None = None) -> frozenset[str]:
    loaded = load_model((root or content_dir()) / "glossary.yaml", Glossary)
    return frozenset(term.lower() for term in loaded.terms)
