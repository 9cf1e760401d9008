"""The stored data, in the SQLModel shape.

Each thing has a `...Base` with the shared fields, `...Create` for what a caller sends, and
one `table=True` class that is the table (services hand back the table rows themselves). Enum
values are stored as short strings, not database enums, so adding a value needs no migration.
Every timestamp is an aware UTC datetime (`UtcDateTime`).

Schema changes go through Alembic (trainer/db/migrations); a test checks that the migrations
produce exactly these tables.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, Column, Index, String, UniqueConstraint
from email_validator import EmailNotValidError, validate_email
from pydantic import field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from scenarios.schema import END_STATES
from trainer.db.types import UtcDateTime, utcnow


# Named constraints, so later migrations can alter them on every database (SQLite included).
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _utc(*, index: bool = False) -> Any:
    return Field(default_factory=utcnow, sa_type=UtcDateTime, nullable=False, index=index)


def _optional_utc(*, index: bool = False) -> Any:
    return Field(default=None, sa_type=UtcDateTime, nullable=True, index=index)


class Role(str, Enum):
    trainee = "trainee"
    manager = "manager"  # a dialogue manager: reviews and certifies the teams they manage
    admin = "admin"
    observer = "observer"  # a second trainer or an auditor: reads the teams they belong to, changes nothing


class Speaker(str, Enum):
    customer = "customer"
    trainee = "trainee"
    system = "system"


# How an attempt stands: still going, one of the scenario engine's end states (named once, in
# scenarios.schema.END_STATES), or the trainee walked away.
AttemptOutcome = Enum(  # type: ignore[misc]  # built from END_STATES, so the words are never listed twice
    "AttemptOutcome", [(name, name) for name in ("in_progress", *END_STATES, "abandoned")], type=str, module=__name__)


# ---------------------------------------------------------------------------------- users


class UserBase(SQLModel):
    email: str = Field(max_length=254, unique=True, index=True)
    full_name: str = Field(max_length=200)
    role: Role = Field(default=Role.trainee, sa_type=String(16))
    language: str = Field(default="nl", max_length=2)


def _not_blank(value: str) -> str:
    """Names are shown everywhere and start every signature: surrounding space goes, blank is refused."""
    value = value.strip()
    if not value:
        raise PydanticCustomError("blank", "must not be blank")  # its type names its text in content/ui
    return value


class UserCreate(UserBase):
    password: str = Field(min_length=10, max_length=200)

    _name = field_validator("full_name")(_not_blank)

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        # Syntax only (no DNS look-up): accounts are made before their mailbox may exist.
        try:
            return validate_email(value.strip(), check_deliverability=False).normalized.lower()
        except EmailNotValidError as invalid:
            raise PydanticCustomError("email", "is not a valid e-mail address: {reason}", {"reason": str(invalid)}) from None



class User(UserBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    hashed_password: str = Field(max_length=200)
    is_active: bool = True
    created_at: datetime = _utc()
    failed_logins: int = 0
    locked_until: datetime | None = _optional_utc()
    last_login_at: datetime | None = _optional_utc()
    # Set by an admin's password reset: the temporary password must be replaced at the next login.
    must_change_password: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})


class LoginSession(SQLModel, table=True):
    """A signed-in browser. Only a keyed hash of the token is kept, so a copy of the database
    does not let anyone sign in."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    token_digest: str = Field(max_length=64, unique=True)
    created_at: datetime = _utc()
    expires_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    revoked_at: datetime | None = _optional_utc()
    last_seen_at: datetime | None = _optional_utc()  # for the idle timeout; None: not used since created_at


# ---------------------------------------------------------------------------------- teams


class TeamBase(SQLModel):
    name: str = Field(max_length=120, unique=True)


class TeamCreate(TeamBase):
    _name = field_validator("name")(_not_blank)



class Team(TeamBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = _utc()


class TeamMembership(SQLModel, table=True):
    """A user in a team. `is_manager` makes them that team's dialogue manager."""

    __tablename__ = "team_membership"

    team_id: int = Field(foreign_key="team.id", primary_key=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True, ondelete="CASCADE")
    is_manager: bool = False
    added_at: datetime = _utc()


# ------------------------------------------------------------------------------- attempts


class AttemptBase(SQLModel):
    scenario_id: str = Field(max_length=120, index=True)
    scenario_version: str = Field(max_length=40)
    scenario_type: str = Field(max_length=60)  # angry_customer, cancellation, escalation, ...
    medium: str = Field(max_length=40)
    language: str = Field(default="nl", max_length=2)
    seed: int = 0
    # Set when the attempt was part of a group drill (the drill tables come with the drills).
    drill_run_id: str | None = Field(default=None, max_length=64)


class AttemptCreate(AttemptBase):
    pass



class Attempt(AttemptBase, table=True):
    __table_args__ = (Index("ix_attempt_user_started", "user_id", "started_at"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    started_at: datetime = _utc()
    finished_at: datetime | None = _optional_utc()
    outcome: AttemptOutcome = Field(default=AttemptOutcome.in_progress, sa_type=String(20))


class TurnBase(SQLModel):
    speaker: Speaker = Field(sa_type=String(16))
    text: str
    shown_at: datetime | None = _optional_utc()
    sent_at: datetime | None = _optional_utc()
    action: str | None = Field(default=None, max_length=40)  # e.g. reply, move_to_dm, escalate



class Turn(TurnBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    attempt_id: int = Field(foreign_key="attempt.id", index=True, ondelete="CASCADE")
    # Made by the client before the first send; a second send of the same reply finds it.
    submission_id: uuid.UUID | None = Field(default=None, unique=True)
    created_at: datetime = _utc()
    # A customer message's mood (scoring.sentiment.mood_of, -1..1), as drill messages store it;
    # None for the trainee's and system turns, and for customer turns stored before 0009.
    mood: float | None = None


# --------------------------------------------------------------------------------- scores


class Score(SQLModel, table=True):
    """The automatic scorecard of one trainee reply, exactly as the pipeline made it.

    `user_id`, `medium` and `scored_at` repeat what the attempt knows so progress queries need
    no join for the common cases."""

    __table_args__ = (Index("ix_score_user_scored", "user_id", "scored_at"),)

    id: int | None = Field(default=None, primary_key=True)
    turn_id: int = Field(foreign_key="turn.id", unique=True, ondelete="CASCADE")
    attempt_id: int = Field(foreign_key="attempt.id", index=True, ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    total: float
    passed: bool
    pass_mark: float
    language: str = Field(max_length=2)
    medium: str = Field(max_length=40)
    critical_findings: int = 0
    scored_at: datetime = _utc()
    scorecard: dict = Field(sa_column=Column(JSON, nullable=False))


class DimensionScore(SQLModel, table=True):
    """One dimension of one score. `user_id` and `scored_at` repeat the score's so a team's
    dimension means are read from one covering index, without a join (bench/progress_queries.py)."""

    __tablename__ = "dimension_score"
    __table_args__ = (
        UniqueConstraint("score_id", "name"),
        Index("ix_dimension_score_user_name", "user_id", "name", "score"),
    )

    id: int | None = Field(default=None, primary_key=True)
    score_id: int = Field(foreign_key="score.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    scored_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    name: str = Field(max_length=60, index=True)
    version: str = Field(max_length=40)
    score: float | None = None  # None: not checked (e.g. spelling without LanguageTool)
    weight: float
    checked: bool = True
    note: str | None = None


class FindingRecord(SQLModel, table=True):
    __tablename__ = "finding"

    id: int | None = Field(default=None, primary_key=True)
    score_id: int = Field(foreign_key="score.id", index=True, ondelete="CASCADE")
    dimension: str = Field(max_length=60)
    severity: str = Field(max_length=16)
    rule: str = Field(max_length=120)
    span_start: int
    span_end: int
    message: str
    suggestion: str | None = None
    points: float = 0.0


# --------------------------------------------------------------------- reviews, overrides


class ReviewCreate(SQLModel):
    comment: str = Field(min_length=1)


class Review(SQLModel, table=True):
    """A manager's comment on a scored reply."""

    id: int | None = Field(default=None, primary_key=True)
    score_id: int = Field(foreign_key="score.id", index=True, ondelete="CASCADE")
    reviewer_id: int = Field(foreign_key="user.id")
    comment: str
    created_at: datetime = _utc()


class ScoreOverride(SQLModel, table=True):
    """A manager's own figure for a total (`dimension` None) or one dimension. Stored beside the
    automatic score, never over it, so agreement between people and the scorer can be measured."""

    __tablename__ = "score_override"

    id: int | None = Field(default=None, primary_key=True)
    score_id: int = Field(foreign_key="score.id", index=True, ondelete="CASCADE")
    reviewer_id: int = Field(foreign_key="user.id")
    dimension: str | None = Field(default=None, max_length=60)
    automatic_score: float | None
    override_score: float = Field(ge=0, le=100)
    reason: str
    created_at: datetime = _utc()


# ------------------------------------------------------------------------- assignments


class AssignmentKind(str, Enum):
    scenario = "scenario"  # target: a scenario id; done with a finished conversation of it
    level = "level"  # target: a certification level; done when eligible or certified
    mix = "mix"  # target "<medium>:<scenario_type>"; done with a well-ended conversation of that type on that medium
    drill = "drill"  # target "any"; done with a reply in a group drill
    typing = "typing"  # target "any"; done with a typing test result


ANY_TARGET = "any"  # the target of work that names nothing in particular (a drill, the typing test)


class AssignmentCreate(SQLModel):
    kind: AssignmentKind
    target: str = Field(min_length=1, max_length=120)
    due_on: date


class Assignment(SQLModel, table=True):
    """Work a manager set one trainee, with a due date (a whole team's assignment is one row per trainee)."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    assigned_by_id: int = Field(foreign_key="user.id")
    kind: AssignmentKind = Field(sa_type=String(20))
    target: str = Field(max_length=120)
    due_on: date
    created_at: datetime = _utc()


# ------------------------------------------------------------------------ certifications



class Certification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    level: str = Field(max_length=60)
    granted_by_id: int = Field(foreign_key="user.id")
    granted_at: datetime = _utc()
    expires_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    comment: str
    verification_code: str = Field(max_length=32, unique=True)
    revoked_at: datetime | None = _optional_utc()
    revoked_by_id: int | None = Field(default=None, foreign_key="user.id")
    revoke_reason: str | None = None


# ---------------------------------------------------------------------------- audit log


class AuditEntry(SQLModel, table=True):
    """Who did what to whom, when and why. Written in the same transaction as the change."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc(index=True)
    actor_id: int | None = Field(default=None, foreign_key="user.id")  # None: the command line
    actor_label: str = Field(max_length=254)
    action: str = Field(max_length=60, index=True)
    target_type: str = Field(max_length=40)
    target_id: str = Field(max_length=64)
    reason: str
    details: dict = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class TypingResultRecord(SQLModel, table=True):
    """One typing test a trainee took: speed and errors, never changed afterwards."""

    __tablename__ = "typing_result"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    at: datetime = _utc(index=True)
    language: str = Field(max_length=2)
    sentence_ids: list = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    target_chars: int
    typed_chars: int
    seconds: float
    chars_per_minute: float
    char_errors: int
    word_errors: int
    accuracy: float


# The group drill tables live in their own module; importing it here puts them in the metadata
# wherever the models are loaded (Alembic, tests, the app).
from trainer.db import drill_models as _drill_models  # noqa: E402,F401
