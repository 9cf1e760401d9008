"""Closing attempts nobody will finish: a trainee who starts a conversation and never comes
back would otherwise leave it `in_progress` for ever, counted nowhere and shown as open on the
team page. The practise and announce pages close a trainee's own old attempts when that
trainee comes back (`practice.resume`, `announcements.resume`); this sweep closes everyone's.

An attempt with no activity (no turn stored, or else its start) for `ATTEMPT_STALE_HOURS` is
closed as `abandoned` at the moment of its last activity, with an audit entry. One UPDATE
decides which attempts are closed (`... WHERE outcome = 'in_progress' AND nothing since the
cutoff ... RETURNING id`), so two app servers sweeping at once close each attempt once: on
SQLite the write lock orders them; on PostgreSQL the second UPDATE waits for the first's row
locks, sees the rows are no longer in progress and skips them. Only the returned rows get an
audit entry, in the same transaction.

Drill attempts are left alone: they belong to their drill, whose stop closes them
(`drills.control.stop_drill`), and a paused drill may wait for days with its SLA timers frozen.
Announcement exercises are practice attempts like conversations and follow the same rule.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from trainer.db.engine import writes
from trainer.db.models import Attempt, AttemptOutcome, Turn
from trainer.db.types import utcnow
from trainer.services import audit
from trainer.services.accounts import load_actor
from trainer.services.rights import Action, Actor, SystemActor, require
from trainer.settings import Settings, get_settings

AUDIT_ACTION = "attempt.abandon_stale"
Trigger = Literal["command-line", "app-start", "team-page"]
# Who closes attempts when the app sweeps by itself (the command line is rights.SYSTEM).
HOUSEKEEPING = SystemActor(label="system:housekeeping")
log = logging.getLogger(__name__)


@writes(own_transaction=True)
def close_stale(*, session: Session, actor: Actor, trigger: Trigger, now: datetime | None = None,
                settings: Settings | None = None) -> list[int]:
    """Close every practice attempt idle for `ATTEMPT_STALE_HOURS` as abandoned; returns the
    ids this call closed (none that another sweep closed first)."""
    settings = settings or get_settings()
    actor = load_actor(session, actor)
    require(actor, Action.close_stale, session=session)
    hours = settings.ATTEMPT_STALE_HOURS
    cutoff = (now or utcnow()) - timedelta(hours=hours)
    last_turn = select(func.max(Turn.created_at)).where(Turn.attempt_id == Attempt.id).scalar_subquery()
    recent_turn = exists().where(Turn.attempt_id == Attempt.id, Turn.created_at >= cutoff)
    closed = session.execute(
        update(Attempt)
        .where(Attempt.outcome == AttemptOutcome.in_progress, Attempt.drill_run_id.is_(None),  # type: ignore[union-attr]
               Attempt.started_at < cutoff, ~recent_turn)
        .values(outcome=AttemptOutcome.abandoned, finished_at=func.coalesce(last_turn, Attempt.started_at))
        .returning(Attempt.id, Attempt.user_id, Attempt.finished_at)
        .execution_options(synchronize_session=False)
    ).all()
    for attempt_id, user_id, last_activity in closed:
        audit.record(session, actor=actor, action=AUDIT_ACTION, target_type="attempt", target_id=attempt_id,
                     reason=f"no activity for {hours:g} hours", details={
                         "trainee_id": user_id, "last_activity": last_activity.isoformat(), "trigger": trigger})
    session.commit()
    return sorted(row[0] for row in closed)


class Schedule:
    """At most one sweep per `ATTEMPT_SWEEP_MINUTES` in this process, however many sessions ask."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._last: float | None = None

    def claim(self, minutes: float, clock: float) -> bool:
        with self._lock:
            if self._last is not None and clock - self._last < minutes * 60:
                return False
            self._last = clock
            return True

    def release(self) -> None:
        """A sweep that failed: let the next caller try again."""
        with self._lock:
            self._last = None


_PROCESS = Schedule()


def sweep_if_due(*, session: Session, trigger: Trigger, now: datetime | None = None,
                 settings: Settings | None = None) -> list[int] | None:
    """The app's cheap sweep (at start, on the team page): runs when this process has not swept
    for `ATTEMPT_SWEEP_MINUTES`, as the housekeeping actor. Returns the closed ids, or None when
    it was not due or the database refused; housekeeping never breaks the page that asked."""
    settings = settings or get_settings()
    if not _PROCESS.claim(settings.ATTEMPT_SWEEP_MINUTES, time.monotonic()):
        return None
    try:
        return close_stale(session=session, actor=HOUSEKEEPING, trigger=trigger, now=now, settings=settings)
    except SQLAlchemyError:
        _PROCESS.release()
        log.warning("closing stale attempts failed; tried again at the next chance", exc_info=True)
        return None


__all__ = ["AUDIT_ACTION", "HOUSEKEEPING", "Schedule", "close_stale", "sweep_if_due"]
