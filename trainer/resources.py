"""Heavy, thread-safe resources loaded once per process and shared by all sessions."""

from __future__ import annotations

import streamlit as st

from scoring.config import media_catalogue
from scoring.languagetool import GrammarChecker, default_checker
from scoring.nlp import load_nlp


@st.cache_resource(show_spinner="Taalmodellen laden…")
def warm_pipelines() -> bool:
    for language in ("nl", "en"):
        load_nlp(language)
    media_catalogue()
    return True


@st.cache_resource(show_spinner="LanguageTool zoeken…")
def grammar_checker() -> GrammarChecker:
    checker = default_checker()
    checker.source()  # resolve (and if needed start) the server once, not on a trainee's first reply
    return checker
