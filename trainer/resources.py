"""Heavy, thread-safe resources loaded once per process and shared by all sessions."""

from __future__ import annotations

import streamlit as st

from scoring.config import media_catalogue
from scoring.languagetool import GrammarChecker, default_checker
from scoring.nlp import load_nlp
from trainer.db.engine import get_engine
from trainer.db.migrate import upgrade_at_start
from trainer.settings import get_settings


@st.cache_resource(show_spinner=False)
def prepare_database() -> bool:
    if get_settings().MIGRATE_ON_START:
        upgrade_at_start(get_engine())
    return True


@st.cache_resource(show_spinner="Taalmodellen laden…")
def warm_pipelines() -> bool:
    """Build spaCy pipelines, lexicons and every cue matcher (scoring's and the scenario
    engine's) before the first trainee's reply, not during it."""
    from trainer.services import drills

    for language in ("nl", "en"):
        load_nlp(language)
        drills.warm_up(language)  # scores and plays one turn: warms the scenario engine too
    media_catalogue()
    return True


@st.cache_resource(show_spinner="LanguageTool zoeken…")
def grammar_checker() -> GrammarChecker:
    checker = default_checker()
    checker.source()  # resolve (and if needed start) the server once, not on a trainee's first reply
    return checker
