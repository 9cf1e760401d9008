"""The one error for a thing a service was asked about that does not exist."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session

Row = TypeVar("Row")

# Every kind of thing a service may not find; each has its name in content/ui (`errors.kind.<kind>`,
# spaces as underscores) so a screen can say what was missing in the user's language.
KINDS = ("user", "team", "attempt", "score", "certification", "drill", "drill conversation", "scenario", "level",
         "path", "typing sentence")
BY = ("id", "e-mail")  # how it was looked for: `errors.by.<by>`


class NotFound(LookupError):
    """No `kind` (one of KINDS) whose `by` (one of BY) is `key`. Screens show it translated
    (trainer.components.refusal.not_found); the message is for logs and the command line."""

    def __init__(self, kind: str, key: Any, *, by: str = "id") -> None:
        self.kind = kind
        self.key = key
        self.by = by
        super().__init__(f"no {kind} with {by} {key}")


def get_or_not_found(session: Session, model: type[Row], key: Any, *, kind: str | None = None) -> Row:
    """The row of `model` with primary key `key`, or NotFound (its kind the model's name unless given)."""
    row = session.get(model, key)
    if row is None:
        raise NotFound(kind or model.__name__.lower(), key)
    return row
