"""How much text may enter the app in one go (content/limits.yaml).

Every service that takes text from a user checks it here before anything is scored or stored,
and refuses with `InputTooLong`, which says what was too long, how long it was and the limit.
It is a `ReplyRejected` (what the scorer raises for text that cannot be a reply) and a
`ValueError`, so a screen that already shows a refused reply shows this one too.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from scoring.contentfile import content_dir, load_model
from scoring.model import MAX_REPLY_CHARS, ReplyRejected

What = Literal["reply", "customer_message", "name", "comment", "email", "password", "search", "typed"]


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    reply_chars: PositiveInt = Field(le=MAX_REPLY_CHARS)
    customer_message_chars: PositiveInt
    name_chars: PositiveInt
    comment_chars: PositiveInt
    email_chars: PositiveInt
    password_chars: PositiveInt
    search_chars: PositiveInt
    typed_chars: PositiveInt

    def of(self, what: What) -> int:
        return getattr(self, f"{what}_chars")


@lru_cache(maxsize=None)
def limits(root: Path | None = None) -> Limits:
    """content/limits.yaml, validated (errors name the file and line)."""
    return load_model((root or content_dir()) / "limits.yaml", Limits)


class InputTooLong(ReplyRejected):
    def __init__(self, what: What, length: int, limit: int):
        super().__init__(f"the {what.replace('_', ' ')} is {length:,} characters; at most {limit:,} are accepted")
        self.what, self.length, self.limit = what, length, limit


def check(text: str | None, what: What) -> str | None:
    """`text` unchanged when it fits, else InputTooLong."""
    limit = limits().of(what)
    if text is not None and len(text) > limit:
        raise InputTooLong(what, len(text), limit)
    return text
