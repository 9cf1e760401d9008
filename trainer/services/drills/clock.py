"""The drill's own clock, and how a customer's wait compares with the SLA.

The clock (`drill_seconds`) runs from the start, stands still while paused and may be
compressed (`time_scale`, for benchmarks). Queue times, nudges and idle claims are all measured
on it, so a pause freezes every SLA timer.
"""

from __future__ import annotations

from datetime import datetime

from trainer.db.drill_models import DrillConversation, DrillRun

DANGER_SHARE = 0.75  # over 75% of the SLA used: the inbox shows danger


def drill_seconds(run: DrillRun, now: datetime) -> float:
    """The drill's clock at `now`: real seconds since the start, less pauses, times the scale."""
    if run.started_at is None:
        return 0.0
    end = run.paused_at or run.stopped_at or now
    real = (end - run.started_at).total_seconds() - run.paused_seconds
    return max(0.0, real * run.time_scale)


def waiting_seconds(conversation: DrillConversation, elapsed: float) -> float | None:
    """How long the customer has waited for an answer at drill second `elapsed`; None when
    nobody waits (answered, or the conversation ended)."""
    if conversation.waiting_since is None or conversation.ended:
        return None
    return max(0.0, elapsed - conversation.waiting_since)


def sla_state(waited: float | None, sla: int) -> str:
    """on_time, danger (over 75% of the SLA used) or late; `answered` when nobody waits."""
    if waited is None:
        return "answered"
    if waited >= sla:
        return "late"
    if waited > DANGER_SHARE * sla:
        return "danger"
    return "on_time"
