"""Webcare Trainer: the Streamlit entry point. Routing by role happens here, on every rerun;
each page lays out its own sidebar through `trainer.components.frame`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from trainer import incidents, navigation, resources, ui_state
from trainer.i18n import t

HERE = Path(__file__).resolve().parent

st.set_page_config(page_title="Webcare Trainer", page_icon="💬", layout="wide")
language = ui_state.language()
with incidents.reported(language):
    resources.prepare_database()
    user = ui_state.current_user()
    available = {str(p.relative_to(HERE)) for p in (HERE / "pages").glob("*.py")}
    pages = [
        st.Page(str(HERE / spec.file), title=t(spec.title_key, language), icon=spec.icon, default=spec.default)
        for spec in navigation.visible_pages(user, available)
    ]
    st.navigation(pages).run()
# After the page is out: on two cores the warm-up would otherwise slow the first page down.
resources.start_warming()
