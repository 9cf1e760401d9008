"""What a scored reply tells the conversation: the facts transitions are conditioned on.

Transitions rest on robust signals: the total and per-dimension scores, critical findings,
rule ids, expected elements found in the reply, the action taken. Two signals are also read
from the reply itself so a scenario behaves the same whichever dimensions are installed:
expected elements and repetition of an earlier answer, both with the substance dimension's
own matchers (scoring.similarity) and threshold (content/scoring.yaml), so the engine and the
scorecard agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase

from scenarios.schema import Condition
from scoring.config import scoring_config
from scoring.model import ExpectedElement, Scorecard, Severity
from scoring.nlp import load_nlp
from scoring.similarity import PhraseCues, similarity

# The group name the private-channel cues are matched under (not a valid element id).
_PRIVATE = " private"


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


def element_groups(elements: list[ExpectedElement], private_cues: list[str]) -> dict[str, list[str]]:
    """The cue groups a reply in a scenario is matched against: its expected elements, and the
    phrases that move a conversation to a private channel."""
    groups = {element.id: list(element.cues) for element in elements}
    groups[_PRIVATE] = list(private_cues)
    return groups


def elements_found(text: str, groups: dict[str, list[str]], language: str) -> dict[str, str]:
    """Group id -> the first cue found in `text`, matched exactly as the substance dimension
    matches expected elements (scoring.similarity.PhraseCues: words and lemmas, "..." gaps,
    "prefix*" words, within one sentence)."""
    if not groups:
        return {}
    frozen = tuple((group, tuple(cues)) for group, cues in groups.items())
    found: dict[str, str] = {}
    for hit in PhraseCues.cached(language, frozen).find(load_nlp(language)(text)):
        found.setdefault(hit.group, hit.phrase)
    return found


def is_repeat(reply: str, earlier: list[str], language: str, names: tuple[str, ...] = ()) -> bool:
    """Nearly the same text as an earlier answer, by the substance dimension's measure."""
    threshold = scoring_config().substance.repeat_similarity
    return any(similarity(reply, old, language, names) >= threshold for old in earlier)


def read_signals(*, reply: str, scorecard: Scorecard, language: str, elements: list[ExpectedElement],
                 earlier_replies: list[str], private_cues: list[str], action: str | None, visits: int,
                 names: tuple[str, ...] = ()) -> Signals:
    # A rule folded into another finding of the same problem (`also`) still happened.
    rules = [rule for f in scorecard.findings for rule in (f.rule, *f.also)]
    scorer_says_repeat = any(f.dimension == "substance" and "repeat" in f.rule for f in scorecard.findings)
    matched = elements_found(reply, element_groups(elements, private_cues), language)
    moved_private = action == "move_to_dm" or _PRIVATE in matched
    matched.pop(_PRIVATE, None)
    return Signals(
        total=scorecard.total,
        passed=scorecard.passed,
        scores={name: d.score for name, d in scorecard.dimensions.items() if d.checked},
        critical=bool(scorecard.critical),
        privacy_breach=any(f.dimension == "privacy" and f.severity is Severity.critical for f in scorecard.findings),
        repeated=scorer_says_repeat or is_repeat(reply, earlier_replies, language, names),
        moved_private=moved_private,
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
