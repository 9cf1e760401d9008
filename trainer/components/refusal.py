"""Refusals, worded for the screen or the command line in one language: input too long, a
thing not found, a request a service refused (`Refused`: its code's text in content/ui), a reply
the scorer cannot score. Pages and views show only what `refused` returns, never `str(exc)`."""

from __future__ import annotations

from typing import Callable

from pydantic import ValidationError

from scoring.model import ReplyRejected
from trainer.components.markdown import escape
from trainer.i18n import t
from trainer.services.errors import NotFound, Refused
from trainer.services.limits import InputTooLong

# Every error `refused` words; views catch these (with PermissionDenied where they handle it).
REFUSALS = (Refused, NotFound, ReplyRejected)


def too_long(refused: InputTooLong, language: str) -> str:
    return t("limits.too_long", language, what=t(f"limits.{refused.what}", language),
             length=_number(refused.length, language), limit=_number(refused.limit, language))


def not_found(refused: NotFound, language: str, *, markdown: bool = True) -> str:
    """"Er is geen gebruiker met nummer 17.": the kind of thing and how it was looked for in the
    user's language (content/ui `errors.*`), the key as given (escaped: it may be user input)."""
    kind = t(f"errors.kind.{refused.kind.replace(' ', '_')}", language)
    return t("errors.not_found", language, kind=kind, field=t(f"errors.by.{refused.by}", language),
             value=_literal(markdown)(str(refused.key)))


def refused(exc: Exception, language: str, *, markdown: bool = True) -> str:
    """Why `exc` (one of REFUSALS) refused, in `language` only. The parameters (an e-mail
    address, a team's name) are user input: escaped for Markdown unless `markdown` is False
    (the command line)."""
    if isinstance(exc, InputTooLong):
        return too_long(exc, language)
    if isinstance(exc, NotFound):
        return not_found(exc, language, markdown=markdown)
    literal = _literal(markdown)
    if isinstance(exc, Refused):
        return t(exc.key, language, **{name: literal(str(value)) for name, value in exc.params.items()})
    if isinstance(exc, ReplyRejected):
        params = {name: _number(value, language) if isinstance(value, int) else literal(str(value))
                  for name, value in exc.params.items()}
        return t(f"errors.reply.{exc.code}", language, **params)
    raise TypeError(f"{type(exc).__name__} is not a refusal with a text: {exc}")


# Pydantic's error types (and our validators' own: "blank", "email") that have a text
# (`errors.invalid.<type>`); any other reads as `errors.invalid.other`.
INVALID_TYPES = ("missing", "string_too_short", "string_too_long", "blank", "email", "enum", "literal_error")
# Fields of the forms' models that have a name (`errors.field.<name>`); another is shown as it is.
FIELDS = ("email", "full_name", "name", "password", "role", "language")


def invalid(exc: ValidationError, language: str) -> str:
    """What is wrong with a form's input, field by field, in `language` only (not pydantic's
    English): "E-mailadres: dat is geen geldig e-mailadres. Wachtwoord: minstens 10 tekens."."""
    problems = []
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        field = t(f"errors.field.{name}", language) if name in FIELDS else escape(name)
        kind = error["type"] if error["type"] in INVALID_TYPES else "other"
        context = error.get("ctx") or {}
        values = {key: context[key] for key in ("min_length", "max_length") if key in context}
        problems.append(t(f"errors.invalid.{kind}", language, field=field, **values))
    return " ".join(problems)


def _literal(markdown: bool) -> Callable[[str], str]:
    return escape if markdown else str


def _number(value: int, language: str) -> str:
    """20.000 in Dutch, 20,000 in English."""
    return f"{value:,}".replace(",", "." if language == "nl" else ",")
