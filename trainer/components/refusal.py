"""Refusals of user input, worded for the screen."""

from __future__ import annotations

from trainer.i18n import t
from trainer.services.limits import InputTooLong


def too_long(refused: InputTooLong, language: str) -> str:
    separator = "." if language == "nl" else ","
    return t("limits.too_long", language, what=t(f"limits.{refused.what}", language),
             length=f"{refused.length:,}".replace(",", separator), limit=f"{refused.limit:,}".replace(",", separator))
