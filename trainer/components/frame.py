"""What every page starts with: the language switch, who is logged in, log out, and whether
grammar checking is on. Pages call `frame.page()` first; it returns the user and language."""

from __future__ import annotations

import streamlit as st

from scoring.languagetool import off_text
from trainer import resources, ui_state
from trainer.db.models import User
from trainer.components.markdown import escape
from trainer.i18n import t
from trainer.settings import get_settings


def _language_switch() -> str:
    current = ui_state.language()
    chosen = st.sidebar.radio(t("app.language", current), ["nl", "en"], horizontal=True,
                              index=["nl", "en"].index(current), key="language_switch",
                              format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code])
    ui_state.set_language(chosen)
    if chosen != current:
        st.rerun()  # app.py built the menu before this run saw the switch: build it again
    return chosen


def page(*, public: bool = False) -> tuple[User | None, str]:
    """Lay out the sidebar and return (user, language). Stops the page for a visitor unless
    the page is `public` (the login page)."""
    ui_state.keep_drafts()  # app.py did too; a page may also run on its own (tests)
    language = _language_switch()
    user = ui_state.current_user()
    ui_state.sync_cookie(get_settings().SESSION_HOURS)
    if user is None:
        if not public:
            st.stop()
        return None, language
    with st.spinner(t("app.warming", language)):
        resources.wait_until_warm()
    st.sidebar.caption(t("app.logged_in_as", language, name=escape(user.full_name), role=t(f"role.{user.role}", language)))
    if st.sidebar.button(t("app.logout", language), key="logout"):
        ui_state.log_out()
        st.rerun()
    with st.spinner(t("grammar.finding", language)):
        off = resources.grammar_checker().off_reason()
    if off is not None:
        st.sidebar.error(t("grammar.off", language, reason=off_text(off, language)))
    return user, language
