"""Heavy, thread-safe resources loaded once per process and shared by all sessions.

Nothing heavy is imported at module level: the entry script imports this module, and the login
page must answer within seconds of start (spaCy alone takes ~3 s to load)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import streamlit as st

from trainer.db.engine import get_engine, session_scope
from trainer.db.migrate import upgrade_at_start
from trainer.services import stale_attempts
from trainer.settings import get_settings

if TYPE_CHECKING:
    from scoring.languagetool import GrammarChecker


@st.cache_resource(show_spinner=False)
def prepare_database() -> bool:
    """Once per process: migrations, then the first sweep of stale attempts (one UPDATE)."""
    if get_settings().MIGRATE_ON_START:
        upgrade_at_start(get_engine())
    with session_scope() as session:
        stale_attempts.sweep_if_due(session=session, trigger="app-start")
    return True


def _warm() -> None:
    """Build spaCy pipelines, lexicons and every cue matcher (scoring's and the scenario
    engine's), and find LanguageTool, before the first trainee's reply rather than during it."""
    import scenarios
    from scoring.config import media_catalogue
    from scoring.languagetool import default_checker
    from trainer.services import knowledge

    media_catalogue()
    for language in ("nl", "en"):
        scenarios.warm_up(language)  # the scorer's pipeline and the scenario engine's matchers
        knowledge.search("warm", language)  # builds the knowledge index
    default_checker().source()  # finds (or starts) LanguageTool


@st.cache_resource(show_spinner=False)
def start_warming() -> threading.Thread:
    """Warm up in the background, once per process, so the first page is not kept waiting.
    A reply sent before it is done waits for the same locks (scoring.pipeline.warm_up), so
    nothing is built twice or half."""
    thread = threading.Thread(target=_warm, name="warm-up", daemon=True)
    thread.start()
    return thread


def wait_until_warm() -> None:
    """Block until the warm-up is done. spaCy's vocabulary is not safe to use from one thread
    while another builds matchers, so no page uses language tools before this returns; the
    login page, which needs none, does not wait."""
    start_warming().join()


@st.cache_resource(show_spinner=False)  # frame.page() says it in the page's language
def grammar_checker() -> GrammarChecker:
    from scoring.languagetool import default_checker

    checker = default_checker()
    checker.source()  # resolve (and if needed start) the server once, not on a trainee's first reply
    return checker
