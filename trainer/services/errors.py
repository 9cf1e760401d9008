"""The errors services raise that a user reads: NotFound for a thing that does not exist, and
Refused (with its subclasses in the services) for a request that cannot be done as asked.

Neither carries finished English: each names what went wrong with a stable code and the
parameters its text needs, so every screen and the command line word it in their own language
through trainer.components.refusal (texts in content/ui/<lang>/errors.yaml)."""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from sqlmodel import Session

from trainer.i18n import t

Row = TypeVar("Row")

# Every kind of thing a service may not find; each has its name in content/ui (`errors.kind.<kind>`,
# spaces as underscores) so a screen can say what was missing in the user's language.
KINDS = ("user", "team", "attempt", "score", "certification", "drill", "drill conversation", "scenario", "level",
         "path", "typing sentence", "medium", "scenario type", "typing test")
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


class Refused(ValueError):
    """A request a service refuses, as `code` (its text is content/ui `errors.<area>.<code>`, in
    nl and en) with the `params` that text names. `str()` is the English text, for logs;
    screens show `trainer.components.refusal.refused(exc, language)` instead.

    tests/trainer/test_refusals.py finds every `raise Subclass("code", ...)` and checks both
    languages have its text with those parameters."""

    area: ClassVar[str] = ""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)

    @property
    def key(self) -> str:
        return f"errors.{self.area}.{self.code}"

    def __str__(self) -> str:
        try:
            return t(self.key, "en", **self.params)
        except (KeyError, IndexError):  # a code without text: still say what it was
            return f"{self.key} {self.params}"
