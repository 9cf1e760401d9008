"""spelling.v1: LanguageTool's spelling and grammar matches, per 100 words.

Names (the customer's, the agent's, brands in content/glossary.yaml) are never counted. When
no LanguageTool answered, the dimension is marked unchecked and left out of the total: a
reply is never given a spelling score nobody checked.
"""

from __future__ import annotations

import re

from scoring.config import glossary, messages
from scoring.evaluation import Evaluation
from scoring.model import Severity
from scoring.registry import Outcome, register

_SIGNATURE = re.compile(r"\^\w+")


@register("spelling", "v1")
def score(doc, ev: Evaluation) -> Outcome:
    check = ev.grammar
    if check is None or not check.checked:
        note = messages(ev.context.trainee_language).rules["spelling.not_checked"].message
        reason = check.reason if check else None
        return Outcome(checked=False, note=f"{note} ({reason})" if reason else note)

    rules = ev.config.spelling
    words = sum(1 for token in doc if token.is_alpha)
    per_error = rules.points_per_error_per_100_words * 100 / max(words, rules.min_words)
    protected = _protected_terms(ev)
    findings = []
    for match in check.matches:
        if match.rule in rules.ignore_rules:
            continue
        flagged = ev.reply[match.offset: match.offset + match.length]
        if match.is_spelling and _is_protected(flagged, protected):
            continue
        grammar = not match.is_spelling
        points = per_error * (rules.grammar_weight if grammar else 1.0)
        suggestion = None
        if match.replacements:
            suggestion = messages(ev.context.trainee_language).rules["spelling.replace"].message.format(
                wrong=flagged, right=match.replacements[0]
            )
        findings.append(ev.finding(
            "spelling", f"spelling.{'grammar' if grammar else 'typo'}", Severity.minor,
            span=(match.offset, match.offset + match.length), points=round(points, 1),
            suggestion=suggestion, wrong=flagged, detail=match.message, lt_rule=match.rule,
        ))
    return Outcome(findings)


def _protected_terms(ev: Evaluation) -> frozenset[str]:
    extra = {t.lower() for t in ev.context.brand_terms}
    for name in (ev.context.customer_name, ev.context.agent_name):
        if name:
            extra.update(part.lower() for part in name.split())
    return glossary() | extra


def _is_protected(flagged: str, protected: frozenset[str]) -> bool:
    word = flagged.strip().lower()
    return word in protected or bool(_SIGNATURE.fullmatch(flagged.strip())) or word.lstrip("^@#") in protected
