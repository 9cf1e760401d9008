"""What a scored reply tells the conversation: the facts transitions are conditioned on.

Transitions rest on robust signals: the total and per-dimension scores, critical findings,
rule ids, expected elements found in the reply, the action taken. Two signals are also read
from the reply itself so a scenario behaves the same whichever dimensions are installed:
expected elements (their cues, as the substance dimension defines them) and repetition of an
earlier answer (the substance dimension's threshold from content/scoring.yaml).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from fnmatch import fnmatchcase
from functools import lru_cache

from scenarios.schema import Condition
from scoring.config import scoring_config
from scoring.model import ExpectedElement, Scorecard, Severity
from scoring.nlp import load_nlp


@dataclass
class Signals:
    total: float
    passed: bool
    scores: dict[str, float]  # checked dimensions only
    critical: bool
    privacy_breach: bool
    repeated: bool
    moved_private: bool
    present: set[str]
    rules: list[str]
    action: str | None
    visits: int = 1
    matched: dict[str, str] = field(default_factory=dict)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


@lru_cache(maxsize=4096)
def _lemmas(text: str, language: str) -> tuple[str, ...]:
    doc = load_nlp(language)(text)
    return tuple((t.lemma_ or t.text).lower() for t in doc if not t.is_space and not t.is_punct)


def cue_found(text: str, cues: list[str], language: str) -> str | None:
    """The first cue present in `text` (case-insensitive, as words, or on lemmas), else None."""
    lowered = _normalise(text)
    for cue in cues:
        if re.search(r"(?<!\w)" + re.escape(_normalise(cue)) + r"(?!\w)", lowered):
            return cue
    reply_lemmas = _lemmas(text, language)
    for cue in cues:
        cue_lemmas = _lemmas(cue, language)
        n = len(cue_lemmas)
        if n and any(reply_lemmas[i:i + n] == cue_lemmas for i in range(len(reply_lemmas) - n + 1)):
            return cue
    return None


def is_repeat(reply: str, earlier: list[str]) -> bool:
    threshold = scoring_config().substance.repeat_similarity
    mine = _normalise(reply)
    return any(SequenceMatcher(None, mine, _normalise(old)).ratio() >= threshold for old in earlier)


def read_signals(*, reply: str, scorecard: Scorecard, language: str, elements: list[ExpectedElement],
                 earlier_replies: list[str], private_cues: list[str], action: str | None, visits: int) -> Signals:
    rules = [f.rule for f in scorecard.findings]
    scorer_says_repeat = any(f.dimension == "substance" and "repeat" in f.rule for f in scorecard.findings)
    matched = {}
    for element in elements:
        cue = cue_found(reply, element.cues, language)
        if cue is not None:
            matched[element.id] = cue
    return Signals(
        total=scorecard.total,
        passed=scorecard.passed,
        scores={name: d.score for name, d in scorecard.dimensions.items() if d.checked},
        critical=bool(scorecard.critical),
        privacy_breach=any(f.dimension == "privacy" and f.severity is Severity.critical for f in scorecard.findings),
        repeated=scorer_says_repeat or is_repeat(reply, earlier_replies),
        moved_private=action == "move_to_dm" or cue_found(reply, private_cues, language) is not None,
        present=set(matched),
        rules=rules,
        action=action,
        visits=visits,
        matched=matched,
    )


def holds(condition: Condition, signals: Signals) -> bool:
    """Whether every part of `condition` holds for this reply."""
    c = condition
    if c.total_at_least is not None and signals.total < c.total_at_least:
        return False
    if c.total_below is not None and signals.total >= c.total_below:
        return False
    for dimension, minimum in c.scores_at_least.items():
        if dimension in signals.scores and signals.scores[dimension] < minimum:
            return False
    for dimension, maximum in c.scores_below.items():
        if dimension in signals.scores and signals.scores[dimension] >= maximum:
            return False
    for flag in ("passed", "critical", "privacy_breach", "repeated", "moved_private"):
        wanted = getattr(c, flag)
        if wanted is not None and getattr(signals, flag) != wanted:
            return False
    if any(element not in signals.present for element in c.present):
        return False
    if c.missing and all(element in signals.present for element in c.missing):
        return False
    if c.rules and not any(fnmatchcase(rule, pattern) for rule in signals.rules for pattern in c.rules):
        return False
    if any(fnmatchcase(rule, pattern) for rule in signals.rules for pattern in c.no_rules):
        return False
    if c.action is not None and not _action_matches(c.actions, signals.action):
        return False
    if c.visits_at_least is not None and signals.visits < c.visits_at_least:
        return False
    return True


def _action_matches(wanted: list[str], taken: str | None) -> bool:
    for option in wanted:
        if option == "any" and taken is not None:
            return True
        if option == "none" and taken is None:
            return True
        if option == taken:
            return True
    return False
