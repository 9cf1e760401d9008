"""A trainee's typing-test results as one table: on the typing page and in the team page's tab."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import streamlit as st

from trainer.i18n import t
from trainer.services.typing_test import TypingResult


def typing_results_table(results: Sequence[TypingResult], language: str, *, when: Callable[[datetime], str]) -> None:
    st.dataframe(
        [{
            t("typing.when", language): when(r.at),
            t("typing.cpm", language): round(r.chars_per_minute),
            t("typing.char_errors", language): r.char_errors,
            t("typing.word_errors", language): r.word_errors,
            t("typing.accuracy", language): f"{r.accuracy:.0%}",
            t("typing.seconds", language): round(r.seconds),
            t("typing.language", language): r.language,
        } for r in results],
        hide_index=True,
    )
