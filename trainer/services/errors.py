"""The one error for a thing a service was asked about that does not exist."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlmodel import Session

Row = TypeVar("Row")


class NotFound(LookupError):
    """No `kind` ("user", "team", "attempt", ...) whose `by` ("id", "e-mail") is `key`. Screens
    that show it translate by `kind`; the message is for logs and the command line."""

    def __init__(self, kind: str, key: Any, *, by: str = "id") -> None:
        self.kind = kind
        self.key = key
        super().__init__(f"no {kind} with {by} {key}")


def get_or_not_found(session: Session, model: type[Row], key: Any, *, kind: str | None = None) -> Row:
    """The row of `model` with primary key `key`, or NotFound (its kind the model's name unless given)."""
    row = session.get(model, key)
    if row is None:
        raise NotFound(kind or model.__name__.lower(), key)
    return row
