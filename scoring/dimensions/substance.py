"""substance.v4: does the reply say what it should, and does it move things forward?

- Each of the scenario's expected elements is present (its cues, on words and lemmas);
  a missing one costs its own severity.
- It is not the answer the customer already got (`prior_replies`, any channel), however
  reworded, reordered or apologised for (`same_answer`): major.
- It is not a knowledge-base template pasted as is: a placeholder left in ("[naam]") is major;
  so is the template with only its fields filled in (name, order number, date, amount, place).
- It makes no promise the company cannot keep ("dit gebeurt nooit meer"): critical.

The moves every reply needs whatever the scenario (an answer or action, a concrete next step)
are the rubric's (scoring/rubric.py), filed under substance by the pipeline; since v2 they
are no longer asked here, and expected elements add to them instead of replacing them.

Cue phrases live in content/substance/<lang>.yaml; thresholds in content/scoring.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from spacy.tokens import Doc

from scoring.config import Strict, media_catalogue
from scoring.contentfile import content_dir, load_model
from scoring.evaluation import Evaluation
from scoring.model import Finding, Severity
from scoring.registry import Outcome, register
from scoring.similarity import PhraseCues, same_answer, template_match

DIMENSION = "substance"
MISSING_ELEMENT = "substance.missing_element"
REPEATS_PRIOR_REPLY = "substance.repeats_prior_reply"
TEMPLATE_PLACEHOLDER = "substance.template_placeholder"
TEMPLATE_UNADAPTED = "substance.template_unadapted"
UNKEEPABLE_PROMISE = "substance.unkeepable_promise"
RULES = (MISSING_ELEMENT, REPEATS_PRIOR_REPLY, TEMPLATE_PLACEHOLDER, TEMPLATE_UNADAPTED, UNKEEPABLE_PROMISE)


class CueGroup(Strict):
    phrases: list[str] = Field(min_length=1)
    should_flag: list[str] = Field(min_length=1)
    should_pass: list[str] = Field(min_length=1)


class Placeholders(Strict):
    """Fill-in fields of templates. Anything in {braces}, [brackets] or <angle brackets>, XXX,
    and these words written in capitals (NAAM, DATUM) count as a field left unfilled."""

    capital_words: list[str] = Field(min_length=1)
    should_flag: list[str] = Field(min_length=1)
    should_pass: list[str] = Field(min_length=1)


class SubstanceCues(Strict):
    unkeepable_promise: CueGroup
    placeholders: Placeholders

    def groups(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        return (("unkeepable_promise", tuple(self.unkeepable_promise.phrases)),)


@lru_cache(maxsize=None)
def substance_cues(language: str, root: Path | None = None) -> SubstanceCues:
    return load_model((root or content_dir()) / "substance" / f"{language}.yaml", SubstanceCues)


@register("substance", "v4")
def score(doc: Doc, ev: Evaluation) -> Outcome:
    cues = substance_cues(ev.language)
    hits = PhraseCues.cached(ev.language, cues.groups()).find(doc, keys=ev.reply_keys)
    findings = _missing_elements(doc, ev)
    findings += _repeated_answer(ev)
    findings += _placeholders(ev, cues) or _unadapted_template(doc, ev)
    for hit in hits:
        if hit.group == "unkeepable_promise":
            findings.append(ev.finding(DIMENSION, UNKEEPABLE_PROMISE, Severity.critical, span=hit.span,
                                       phrase=ev.reply[hit.span[0]: hit.span[1]]))
    return Outcome(findings)


def _missing_elements(doc: Doc, ev: Evaluation) -> list[Finding]:
    elements = ev.context.expected_elements
    if not elements:
        return []
    groups = tuple((element.id, tuple(element.cues)) for element in elements)
    present = {hit.group for hit in PhraseCues.cached(ev.language, groups).find(doc, keys=ev.reply_keys)}
    return [
        ev.finding(DIMENSION, MISSING_ELEMENT, element.severity, label=element.label)
        for element in elements
        if element.id not in present
    ]


def _names(ev: Evaluation, *more: str | None) -> tuple[str, ...]:
    return tuple(name for name in (ev.context.customer_name, ev.context.agent_name, *more) if name)


def _repeated_answer(ev: Evaluation) -> list[Finding]:
    """The closest earlier answer, if this reply gives the same answer, however reworded."""
    rules = ev.config.repeats
    best = None
    for prior in ev.context.prior_replies:
        similarity = same_answer(ev.reply, prior.text, ev.language, _names(ev, prior.author),
                                 rules.min_answer_words, rules.min_coverage)
        if similarity >= rules.same_answer and (best is None or similarity > best[0]):
            best = (similarity, prior)
    if best is None:
        return []
    similarity, prior = best
    return [ev.finding(DIMENSION, REPEATS_PRIOR_REPLY, Severity.major, points=rules.points,
                       medium=_medium_name(ev, prior.medium), percent=round(similarity * 100))]


def _medium_name(ev: Evaluation, medium_id: str | None) -> str:
    media = media_catalogue().media
    medium = media.get(medium_id or ev.medium_id)
    return medium.name(ev.context.trainee_language) if medium else str(medium_id)


_BRACKETED = re.compile(
    r"\{\{?\s*[^\W\d][\w .-]{0,30}\}\}?|\[\s*[^\W\d][\w .-]{0,30}\](?!\()|<<?\s*[^\W\d][\w .-]{0,30}>>?|%[^\W\d]\w{0,30}%"
)
_CROSSES = re.compile(r"\bX{3,}\b|\bXX[-/.:]XX(?:[-/.:]X{2,4})?\b")


def _placeholder_pattern(cues: SubstanceCues) -> re.Pattern:
    words = "|".join(re.escape(word.upper()) for word in cues.placeholders.capital_words)
    return re.compile(rf"{_BRACKETED.pattern}|{_CROSSES.pattern}|\b(?:{words})\b")


def _placeholders(ev: Evaluation, cues: SubstanceCues) -> list[Finding]:
    return [
        ev.finding(DIMENSION, TEMPLATE_PLACEHOLDER, Severity.major, span=match.span(), placeholder=match.group())
        for match in _placeholder_pattern(cues).finditer(ev.reply)
    ]


def _unadapted_template(doc: Doc, ev: Evaluation) -> list[Finding]:
    """A template pasted with only its fields filled in (name, order number, date...): fields
    are masked in both, so filling them in is not adapting it (see similarity.template_match)."""
    pattern = _placeholder_pattern(substance_cues(ev.language))
    for template in ev.context.knowledge_templates:
        similarity = template_match(ev.reply, template, ev.language, _names(ev), pattern)
        if similarity >= ev.config.substance.template_similarity:
            return [ev.finding(DIMENSION, TEMPLATE_UNADAPTED, Severity.major, percent=round(similarity * 100))]
    return []
