"""announcement.v1: the rubric of a public announcement (an outage's first post and its update).

A webcare team's first move in an outage is not a reply: it posts, before the questions come,
what happened, who is affected, what customers can do and when the next update comes, and an
hour later it updates that post. Nobody wrote to them, so the reply rubric (scoring/rubric.py:
take up the customer's words, answer their question) does not apply. Instead the post must
hold the elements of content/announcements/<lang>/_rubric.yaml, each missing one a finding in
the dimension it belongs to, and say none of its penalties (blame, speculation). The other
dimensions run as for a reply (tone, spelling, length, privacy, speed), with the length judged
on the rubric's range for an announcement on that medium, and the tone rules that assume a
customer (a greeting, their name, "ik") left out (`not_due`).

The update is scored against the second brief: it must say what changed and, unless the brief
says it is over (`final`), again when the next update comes. The brief's own words (the places,
the cause, the new facts; `AnnouncementBrief.cues`) count as cues beside the rubric's.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, PositiveInt, field_validator, model_validator
from spacy.tokens import Doc

from scoring.config import DimensionName, Medium, Strict, media_catalogue, messages
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml
from scoring.cues import CueExamples, valid_regex
from scoring.evaluation import Evaluation
from scoring.model import AnnouncementBrief, Finding
from scoring.rubric import Cost
from scoring.similarity import PhraseCues

ANNOUNCEMENT_VERSION = "announcement.v1"
Due = Literal["always", "first", "update", "not_final"]


class SameSentence(Strict):
    """Words that must stand in the same sentence as the element's phrase: a time for the next
    update ("om 15.00 uur", "14.30")."""

    phrases: list[str] = Field(default_factory=list)
    token_regex: str | None = None

    _compiles = field_validator("token_regex")(valid_regex)


class Element(Strict):
    """Something a good announcement says; missing, it costs `cost` in `dimension` as `rule`."""

    rule: str
    dimension: DimensionName
    cost: Cost
    due: Due = "always"
    phrases: list[str] = Field(min_length=1)
    same_sentence: SameSentence | None = None
    examples: CueExamples


class Penalty(Strict):
    """Something a good announcement never says: each occurrence is shown, it costs once."""

    rule: str
    dimension: DimensionName
    cost: Cost
    phrases: list[str] = Field(min_length=1)
    examples: CueExamples


class ApologyLimit(Strict):
    """Apology in proportion: more than `at_most` apologies read as grovelling, not as news."""

    rule: str
    dimension: DimensionName
    cost: Cost
    at_most: PositiveInt
    phrases: list[str] = Field(min_length=1)
    examples: CueExamples


class AnnouncementRubric(Strict):
    elements: dict[str, Element] = Field(min_length=1)
    penalties: dict[str, Penalty] = Field(default_factory=dict)
    apologies: ApologyLimit
    # Tone rules written for a reply to a customer (greeting, their name, "ik"): not raised here.
    not_due: list[str] = Field(default_factory=list)
    # medium id -> the ideal length of an announcement there, [shortest, longest] (characters)
    media: dict[str, tuple[PositiveInt, PositiveInt]] = Field(min_length=1)

    @model_validator(mode="after")
    def _ranges(self) -> AnnouncementRubric:
        for medium, (low, high) in self.media.items():
            if low > high:
                raise ValueError(f"media -> {medium}: [shortest, longest] with shortest first")
        return self

    def rules(self) -> dict[str, tuple[str, ...]]:
        """Every rule this rubric can raise -> its location in the file."""
        found = {e.rule: ("elements", name, "rule") for name, e in self.elements.items()}
        found |= {p.rule: ("penalties", name, "rule") for name, p in self.penalties.items()}
        found[self.apologies.rule] = ("apologies", "rule")
        return found


def rubric_path(language: str, root: Path | None = None) -> Path:
    return (root or content_dir()) / "announcements" / language / "_rubric.yaml"


@lru_cache(maxsize=None)
def announcement_rubric(language: str, root: Path | None = None) -> AnnouncementRubric:
    """content/announcements/<language>/_rubric.yaml, validated: its media must be public media
    of content/media.yaml whose limit the range fits, and every rule needs a message in both
    languages (content/messages/<lang>/announcement.yaml)."""
    path = rubric_path(language, root)
    loaded = load_model(path, AnnouncementRubric)
    _, node = read_yaml(path)
    shown, errors = display_path(path), []
    media = media_catalogue(root).media
    for medium, (_, high) in loaded.media.items():
        where = ("media", medium)
        if medium not in media:
            errors.append(ContentError(shown, line_of(node, where), f"media -> {medium}",
                                       "is not a medium in content/media.yaml", "A001"))
        elif not media[medium].public:
            errors.append(ContentError(shown, line_of(node, where), f"media -> {medium}",
                                       "is a private medium: an announcement is posted in public", "A002"))
        elif high > media[medium].max_chars:
            errors.append(ContentError(shown, line_of(node, where), f"media -> {medium}",
                                       f"ends above the medium's max_chars ({media[medium].max_chars})", "A003"))
    for trainee_language in ("nl", "en"):
        known = messages(trainee_language, root).rules
        for rule, where in loaded.rules().items():
            if rule not in known:
                errors.append(ContentError(shown, line_of(node, where), " -> ".join(where),
                                           f"'{rule}' has no message in content/messages/{trainee_language}/", "A004"))
    if errors:
        raise ContentInvalid(errors)
    return loaded


def due(element: Element, brief: AnnouncementBrief) -> bool:
    match element.due:
        case "always":
            return True
        case "first":
            return brief.kind == "first"
        case "update":
            return brief.kind == "update"
        case "not_final":
            return not brief.final
    raise ValueError(f"unknown due condition {element.due!r}")


def _cues(language: str, brief: AnnouncementBrief) -> PhraseCues:
    rubric = announcement_rubric(language)
    groups: list[tuple[str, tuple[str, ...]]] = []
    for name, element in rubric.elements.items():
        groups.append((name, (*element.phrases, *brief.cues.get(name, ()))))
        if element.same_sentence and element.same_sentence.phrases:
            groups.append((f"{name}:with", tuple(element.same_sentence.phrases)))
    groups += [(f"penalty:{name}", tuple(p.phrases)) for name, p in rubric.penalties.items()]
    groups.append(("apology", tuple(rubric.apologies.phrases)))
    return PhraseCues.cached(language, tuple(groups))


def _present(doc: Doc, hits: list, name: str, element: Element) -> bool:
    spans = [hit.span for hit in hits if hit.group == name]
    if not element.same_sentence:
        return bool(spans)
    pattern = re.compile(element.same_sentence.token_regex) if element.same_sentence.token_regex else None
    partners = [hit.span for hit in hits if hit.group == f"{name}:with"]
    for start, _ in spans:
        sentence = next(s for s in doc.sents if s.start_char <= start < s.end_char)
        if any(sentence.start_char <= p[0] < sentence.end_char for p in partners):
            return True
        if pattern is not None and any(pattern.fullmatch(token.text) for token in sentence):
            return True
    return False


def read(text_doc: Doc, language: str, brief: AnnouncementBrief, keys: Doc | None = None) -> tuple[set[str], dict[str, list[tuple[int, int]]], list[tuple[int, int]]]:
    """What a post holds: the elements present, each penalty's spans, the apologies' spans."""
    rubric = announcement_rubric(language)
    hits = _cues(language, brief).find(text_doc, keys=keys)
    present = {name for name, element in rubric.elements.items() if _present(text_doc, hits, name, element)}
    penalties = {name: [hit.span for hit in hits if hit.group == f"penalty:{name}"] for name in rubric.penalties}
    apologies = [hit.span for hit in hits if hit.group == "apology"]
    return present, {name: spans for name, spans in penalties.items() if spans}, apologies


def announcement_findings(doc: Doc, ev: Evaluation) -> list[Finding]:
    """Every element the post misses and every penalty it says, as findings of their dimensions."""
    brief = ev.context.announcement or AnnouncementBrief()
    rubric = announcement_rubric(ev.language)
    present, penalties, apologies = read(doc, ev.language, brief, keys=ev.reply_keys)
    medium = ev.medium.name(ev.context.trainee_language)
    findings = [
        ev.finding(element.dimension, element.rule, element.cost.severity, points=element.cost.points, medium=medium)
        for name, element in rubric.elements.items() if due(element, brief) and name not in present
    ]
    for name, spans in penalties.items():
        penalty = rubric.penalties[name]
        for occurrence, span in enumerate(spans):
            findings.append(ev.finding(penalty.dimension, penalty.rule, penalty.cost.severity, span=span,
                                       points=penalty.cost.points if occurrence == 0 else 0.0,
                                       phrase=ev.reply[span[0]:span[1]], medium=medium))
    limit = rubric.apologies
    if len(apologies) > limit.at_most:
        findings.append(ev.finding(limit.dimension, limit.rule, limit.cost.severity,
                                   span=(apologies[limit.at_most][0], apologies[-1][1]), points=limit.cost.points,
                                   count=len(apologies), at_most=limit.at_most, medium=medium))
    return findings


def fitted_medium(language: str, medium_id: str, medium: Medium) -> Medium:
    """The medium with the ideal length of an announcement on it (the hard limit stays)."""
    ideal = announcement_rubric(language).media.get(medium_id)
    return medium.model_copy(update={"ideal_chars": ideal}) if ideal else medium


def not_due(language: str) -> frozenset[str]:
    return frozenset(announcement_rubric(language).not_due)
