"""Webcare Trainer: the Streamlit entry point. Routing by role happens here, on every rerun;
each page lays out its own sidebar through `trainer.components.frame`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from trainer import incidents, navigation, resources, ui_state
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.views import feedback as feedback_view

HERE = Path(__file__).resolve().parent


def title(spec: navigation.PageSpec, user, language: str) -> str:
    """The menu title, with its number when the page has one (the trainee's reviewed conversations)."""
    if spec.count_key is None:
        return t(spec.title_key, language)
    with session_scope() as session:
        count = feedback_view.menu_count(session=session, actor=user)
    return t(spec.count_key, language, count=count) if count else t(spec.title_key, language)


st.set_page_config(page_title="Webcare Trainer", page_icon="💬", layout="wide")
language = ui_state.language()
ui_state.keep_drafts()  # before anything that may find the database down
with incidents.reported(language):
    resources.prepare_database()
    user = ui_state.current_user()
    navigation.require_pages(HERE)
    pages = [
        st.Page(str(HERE / spec.file), title=title(spec, user, language), icon=spec.icon, default=spec.default)
        for spec in navigation.visible_pages(user)
    ]
    # Every page in the menu at once: a collapsed menu says "View 3 more" in Streamlit's own English.
    st.navigation(pages, expanded=True).run()
# After the page is out: on two cores the warm-up would otherwise slow the first page down.
resources.start_warming()
