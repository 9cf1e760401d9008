"""Scoring of webcare replies: `score_reply(reply, context) -> Scorecard`.

Pure Python; no Streamlit. See docs/scoring.md.
"""

from scoring.model import DimensionResult, ExpectedElement, Finding, PriorReply, ReplyContext, Scorecard, Severity
from scoring.pipeline import ReplyRejected, score_reply

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
]
