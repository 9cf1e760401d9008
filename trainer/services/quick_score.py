"""Score one reply outside a scenario (the "score a reply" screen): nothing is stored, but the
text is held to the same limits as everywhere else before the scorer sees it."""

from __future__ import annotations

from scoring import ReplyContext, Scorecard, score_reply
from scoring.languagetool import GrammarChecker
from trainer.services import limits


def score(*, language: str, medium: str, customer: str, customer_name: str, reply: str, seconds: float,
          checker: GrammarChecker | None = None) -> Scorecard:
    """Raises `limits.InputTooLong` (a `ReplyRejected`) or `ReplyRejected`, with the reason."""
    limits.check(customer, "customer_message")
    limits.check(customer_name, "name")
    limits.check(reply, "reply")
    context = ReplyContext(language=language, medium=medium, customer_messages=[customer] if customer.strip() else [],
                           customer_name=customer_name.strip() or None, seconds_to_reply=seconds)
    return score_reply(reply, context, checker=checker)
