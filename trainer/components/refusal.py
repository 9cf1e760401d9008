"""Refusals of user input, worded for the screen."""

from __future__ import annotations

from trainer.components.markdown import escape
from trainer.i18n import t
from trainer.services.errors import NotFound
from trainer.services.limits import InputTooLong


def too_long(refused: InputTooLong, language: str) -> str:
    separator = "." if language == "nl" else ","
    return t("limits.too_long", language, what=t(f"limits.{refused.what}", language),
             length=f"{refused.length:,}".replace(",", separator), limit=f"{refused.limit:,}".replace(",", separator))


def not_found(refused: NotFound, language: str) -> str:
    """"Er is geen gebruiker met nummer 17.": the kind of thing and how it was looked for in the
    user's language (content/ui `errors.*`), the key as given (escaped: it may be user input)."""
    kind = t(f"errors.kind.{refused.kind.replace(' ', '_')}", language)
    return t("errors.not_found", language, kind=kind, field=t(f"errors.by.{refused.by}", language),
             value=escape(str(refused.key)))
