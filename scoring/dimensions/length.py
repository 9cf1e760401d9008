"""length.v1: characters against the medium's hard limit and ideal range."""

from __future__ import annotations

from scoring.evaluation import Evaluation
from scoring.model import Severity
from scoring.registry import Outcome, register


@register("length", "v1")
def score(doc, ev: Evaluation) -> Outcome:
    rules = ev.config.length
    chars = len(ev.reply)
    words = sum(1 for token in doc if not token.is_punct and not token.is_space)
    low, high = ev.medium.ideal_chars
    limit = ev.medium.max_chars
    name = ev.medium.name(ev.context.trainee_language)
    if chars > limit:
        return Outcome([ev.finding(
            "length", "length.over_limit", ev.medium.over_limit, span=(limit, chars),
            points=rules.over_limit_points, chars=chars, limit=limit, medium=name, over=chars - limit,
        )])
    if chars < low:
        share = (low - chars) / low
        return Outcome([ev.finding(
            "length", "length.too_short", Severity.minor, points=round(rules.too_short_points * share, 1),
            chars=chars, words=words, low=low, medium=name,
        )])
    if chars > high:
        share = (chars - high) / max(limit - high, 1)
        return Outcome([ev.finding(
            "length", "length.too_long", Severity.minor, span=(high, chars),
            points=round(rules.too_long_points * min(share * 4, 1.0), 1), chars=chars, words=words, high=high, medium=name,
        )])
    return Outcome()
