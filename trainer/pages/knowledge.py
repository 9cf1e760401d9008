"""Browse and search the knowledge base. Layout only: trainer.views.knowledge finds and prepares the articles."""

import streamlit as st

from trainer.components import frame
from trainer.i18n import t
from trainer.views import knowledge as view

_, language = frame.page()
st.title(t("nav.knowledge", language))
query = st.text_input(t("knowledge.search", language), placeholder=t("knowledge.placeholder", language))
screen = view.knowledge_screen(query=query, language=language)
if screen.error:
    st.error(screen.error)
    st.stop()
if screen.empty:
    st.info(screen.empty)
for card in screen.articles:
    with st.expander(card.label, expanded=card.expanded):
        st.markdown(card.body)
        if card.template:
            st.caption(screen.template_caption)
            st.code(card.template, language=None, wrap_lines=True)
