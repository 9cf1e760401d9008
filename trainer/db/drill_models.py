"""The group drill tables. All drill state lives here, so any app process on the same
database serves the same drill; the clock is the server's (`utcnow`), never a browser's.

- `drill_run`: one drill of one team from one template: status, when it started, how long it
  was paused, how far the timeline has been played (`next_arrival`).
- `drill_conversation`: one customer in the shared inbox: the scenario engine's JSON, who holds
  it (`claimed_by_id`, `claimed_at`, `claim_active_offset` for idle release), since when the
  customer waits (`waiting_since`), the SLA, its public reach (caused or prevented) and label.
- `drill_message`: every message in order: customer (scenario, nudge, inject, manager speaking
  as the customer) and trainee replies with their score and queue time.
- `drill_event`: what happened when (start, pause, claim, release, hand-over, label, ...): the
  debrief's timeline and who did what.

Imported by trainer/db/models.py so the metadata (and Alembic) always knows these tables.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, String
from sqlmodel import Field, SQLModel

from trainer.db.types import UtcDateTime, utcnow


def _utc(*, index: bool = False) -> Any:
    return Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False, index=index)


def _optional_utc() -> Any:
    return Field(default=None, sa_type=UtcDateTime, nullable=True)


class DrillStatus(StrEnum):
    """Where a drill stands. Str-valued: the stored values are these strings, and a StrEnum
    formats as its value (so `f"drills.status.{status}"` names the right text)."""

    created = "created"
    running = "running"
    paused = "paused"
    stopped = "stopped"


class DrillRun(SQLModel, table=True):
    __tablename__ = "drill_run"

    id: str = Field(primary_key=True, max_length=64)  # also Attempt.drill_run_id
    template_id: str = Field(max_length=120)
    language: str = Field(max_length=2)
    team_id: int = Field(foreign_key="team.id", index=True, ondelete="CASCADE")
    created_by_id: int = Field(foreign_key="user.id")
    seed: int = 0
    status: DrillStatus = Field(default=DrillStatus.created, sa_type=String(16))
    # Drill seconds per real second: 1 in a real drill; a benchmark compresses time.
    time_scale: float = 1.0
    created_at: datetime = _utc()
    started_at: datetime | None = _optional_utc()
    paused_at: datetime | None = _optional_utc()
    paused_seconds: float = 0.0  # real seconds spent paused before `paused_at`
    stopped_at: datetime | None = _optional_utc()
    next_arrival: int = 0  # index into the template's timeline of the next customer to arrive
    last_tick_at: datetime | None = _optional_utc()


class DrillConversation(SQLModel, table=True):
    __tablename__ = "drill_conversation"
    __table_args__ = (
        Index("ix_drill_conversation_run_arrival", "run_id", "arrival", unique=True),
        Index("ix_drill_conversation_run_open", "run_id", "ended", "waiting_since"),
    )

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="drill_run.id", max_length=64, ondelete="CASCADE")
    arrival: int  # index in the timeline (or beyond it, for a live inject)
    scenario_id: str = Field(max_length=120)
    medium: str = Field(max_length=40)
    seed: int
    customer_name: str = Field(max_length=200)
    handle: str = Field(max_length=200)
    followers: int = 0
    # Public reach (trainer/services/drills/reach.py): shares (retweets, reposts), quotes, people
    # reached, and the people a good reply on time kept it from reaching. Private media: all 0.
    retweets: int = 0
    quotes: int = 0
    reached: int = 0
    prevented_reach: int = 0
    sla_seconds: int
    arrived_at: datetime = _utc()
    # Drill seconds (the drill's own clock, frozen while paused) of the arrival and of the
    # oldest unanswered customer message (None: nobody waits for an answer).
    arrived_offset: float = 0.0
    waiting_since: float | None = None
    nudges: int = 0  # messages the customer added while nobody answered
    claimed_by_id: int | None = Field(default=None, foreign_key="user.id")
    claimed_at: datetime | None = _optional_utc()
    claim_active_offset: float | None = None  # drill seconds of the holder's last action
    label: str | None = Field(default=None, max_length=60)
    inject_title: str | None = None
    replies: int = 0
    ended: bool = False
    outcome: str | None = Field(default=None, max_length=20)
    version: int = 0  # bumped on every change, so a reply scored on an old view is noticed
    conversation: str  # the scenario engine's JSON (Conversation.to_json)


class DrillMessage(SQLModel, table=True):
    __tablename__ = "drill_message"
    __table_args__ = (Index("ix_drill_message_run_at", "run_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="drill_run.id", max_length=64, ondelete="CASCADE")
    conversation_id: int = Field(foreign_key="drill_conversation.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=16)  # customer, agent
    source: str = Field(max_length=16)  # scenario, nudge, inject, manager, reply
    text: str
    medium: str = Field(max_length=40)
    at: datetime = _utc()
    offset: float = 0.0  # drill seconds
    user_id: int | None = Field(default=None, foreign_key="user.id")  # the trainee, or the manager speaking
    mood: float | None = None  # customer messages: scoring.sentiment.customer_mood score
    queue_seconds: float | None = None  # replies: how long the customer waited (drill time)
    sla_seconds: int | None = None
    score_total: float | None = None
    passed: bool | None = None
    score_id: int | None = Field(default=None, foreign_key="score.id")
    submission_id: str | None = Field(default=None, max_length=36, unique=True)


class DrillEvent(SQLModel, table=True):
    __tablename__ = "drill_event"
    __table_args__ = (Index("ix_drill_event_run_at", "run_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    run_id: str = Field(foreign_key="drill_run.id", max_length=64, ondelete="CASCADE")
    at: datetime = _utc()
    offset: float = 0.0  # drill seconds
    kind: str = Field(max_length=30)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    conversation_id: int | None = Field(default=None, foreign_key="drill_conversation.id", ondelete="CASCADE")
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
