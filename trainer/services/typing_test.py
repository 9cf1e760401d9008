"""The new-hire typing test: real webcare sentences from content/typing/<lang>.yaml, typed
against the clock.

The clock is the server's: the page keeps the moment the test started (plain data in the
browser session) and the moment the answer arrived, so a slow browser or a tampered client
cannot shorten the time. Errors are the character-level edit distance (Levenshtein) between
what was typed and the target, plus the same on words, so "one word wrong" reads as such.

Results are kept in their own table (`typing_result`), one row per test, never changed
afterwards.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PositiveInt, model_validator
from sqlmodel import Session, select

from scoring.contentfile import content_dir, load_model
from trainer.db.engine import writes
from trainer.db.models import TypingResultRecord, User
from trainer.services import limits
from trainer.services.accounts import load_actor, load_for
from trainer.services.errors import NotFound, Refused
from trainer.services.rights import Action, Actor, require

# Faster than about 180 words a minute is beyond even fast typists: most likely pasted.
PLAUSIBLE_MAX_CPM = 900
LANGUAGES = ("nl", "en")


class TypingTestError(Refused):
    """A typing test that cannot be given or measured as asked."""

    area = "typing"


class TypingSentence(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    text: str = Field(min_length=20, max_length=400)


class TypingContent(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    sentences_per_test: PositiveInt
    sentences: list[TypingSentence] = Field(min_length=1)

    @model_validator(mode="after")
    def _enough_unique_sentences(self) -> TypingContent:
        ids = [s.id for s in self.sentences]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"sentence ids must be unique; repeated: {', '.join(duplicates)}")
        if self.sentences_per_test > len(self.sentences):
            raise ValueError(f"sentences_per_test ({self.sentences_per_test}) is more than the {len(self.sentences)} sentences")
        return self

    def by_id(self, sentence_id: str) -> TypingSentence:
        for sentence in self.sentences:
            if sentence.id == sentence_id:
                return sentence
        raise NotFound("typing sentence", sentence_id)


@lru_cache(maxsize=None)
def typing_content(language: str, root: Path | None = None) -> TypingContent:
    if language not in LANGUAGES:
        raise TypingTestError("unknown_language", language=language)
    return load_model((root or content_dir()) / "typing" / f"{language}.yaml", TypingContent)


@dataclass(frozen=True)
class TypingTest:
    """One test as the page keeps it between reruns (plain data: ids, language, start time)."""

    language: str
    sentence_ids: tuple[str, ...]
    started_at: datetime

    @property
    def target(self) -> str:
        content = typing_content(self.language)
        return " ".join(content.by_id(i).text for i in self.sentence_ids)

    def to_state(self) -> dict:
        return {"language": self.language, "sentence_ids": list(self.sentence_ids), "started_at": self.started_at.isoformat()}

    @classmethod
    def from_state(cls, state: dict) -> TypingTest:
        return cls(state["language"], tuple(state["sentence_ids"]), datetime.fromisoformat(state["started_at"]))


def new_test(language: str, started_at: datetime, rng: random.Random | None = None) -> TypingTest:
    content = typing_content(language)
    chosen = (rng or random.Random()).sample(content.sentences, content.sentences_per_test)
    return TypingTest(language, tuple(s.id for s in chosen), started_at)


def edit_distance(a: list[str] | str, b: list[str] | str) -> int:
    """Levenshtein distance: insertions, deletions and substitutions, each costing one."""
    previous = list(range(len(b) + 1))
    for i, item_a in enumerate(a, start=1):
        current = [i]
        for j, item_b in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (item_a != item_b)))
        previous = current
    return previous[-1]


def _normalise(text: str) -> str:
    """Line breaks and runs of spaces count as one space: the test is about the sentence."""
    return " ".join(text.split())


@dataclass(frozen=True)
class TypingResult:
    language: str
    sentence_ids: tuple[str, ...]
    target_chars: int
    typed_chars: int
    seconds: float
    chars_per_minute: float
    char_errors: int
    word_errors: int
    accuracy: float  # 0..1: share of the target's characters typed correctly
    at: datetime | None = None

    @property
    def implausibly_fast(self) -> bool:
        return self.chars_per_minute > PLAUSIBLE_MAX_CPM


def measure(test: TypingTest, typed: str, submitted_at: datetime) -> TypingResult:
    """Characters per minute (everything typed, from start to submit) and errors."""
    limits.check(typed, "typed")  # before the edit distance, whose cost grows with the length
    target = _normalise(test.target)
    typed = _normalise(typed)
    if not typed:
        raise TypingTestError("nothing_typed")
    seconds = (submitted_at - test.started_at).total_seconds()
    if seconds <= 0:
        raise TypingTestError("before_start")
    char_errors = edit_distance(typed, target)
    return TypingResult(
        language=test.language,
        sentence_ids=test.sentence_ids,
        target_chars=len(target),
        typed_chars=len(typed),
        seconds=round(seconds, 1),
        chars_per_minute=round(len(typed) * 60 / seconds, 1),
        char_errors=char_errors,
        word_errors=edit_distance(typed.split(), target.split()),
        accuracy=round(max(0.0, 1 - char_errors / len(target)), 3),
        at=submitted_at,
    )


MEASURES = ("target_chars", "typed_chars", "seconds", "chars_per_minute", "char_errors", "word_errors", "accuracy")


@writes
def record_result(*, session: Session, actor: Actor, result: TypingResult) -> TypingResultRecord:
    """Store a trainee's own result with them (one may only take the test as oneself)."""
    actor = load_actor(session, actor)
    require(actor, Action.practise, session=session)
    record = TypingResultRecord(
        user_id=actor.id, at=result.at, language=result.language, sentence_ids=list(result.sentence_ids),
        **{name: getattr(result, name) for name in MEASURES},
    )
    session.add(record)
    session.commit()
    session.refresh(record)
    return record


def list_results(*, session: Session, actor: Actor, trainee_id: int, limit: int = 50) -> list[TypingResult]:
    """A trainee's results, newest first (the trainee, their managers, admins)."""
    actor, trainee = load_for(session, actor, User, trainee_id, Action.read_attempts)
    records = session.exec(
        select(TypingResultRecord)
        .where(TypingResultRecord.user_id == trainee_id)
        .order_by(TypingResultRecord.at.desc(), TypingResultRecord.id.desc())  # type: ignore[attr-defined]
        .limit(limit)
    ).all()
    return [
        TypingResult(language=r.language, sentence_ids=tuple(r.sentence_ids), at=r.at,
                     **{name: getattr(r, name) for name in MEASURES})
        for r in records
    ]
