"""Scoring of webcare replies: `score_reply(reply, context) -> Scorecard`.

Pure Python; no Streamlit. See docs/scoring.md. The pipeline (and with it spaCy, ~1-3 s to
import) loads on first use of `score_reply`, so modules that only need the models or the
content loader (the app's entry script, for one) start fast.
"""

from scoring.model import (
    DimensionResult, ExpectedElement, Finding, PriorReply, ReplyContext, ReplyRejected, Scorecard, Severity,
)

_LAZY = {"score_reply", "warm_up"}


def __getattr__(name: str):
    if name in _LAZY:
        from scoring import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'scoring' has no attribute {name!r}")


__all__ = [
    "DimensionResult",
    "ExpectedElement",
    "Finding",
    "PriorReply",
    "ReplyContext",
    "ReplyRejected",
    "Scorecard",
    "Severity",
    "score_reply",
    "warm_up",
]
