"""Browse and search the knowledge base."""

import streamlit as st

from trainer.components import article, frame, refusal
from trainer.i18n import t
from trainer.services import knowledge
from trainer.services.limits import InputTooLong

_, language = frame.page()
st.title(t("nav.knowledge", language))
query = st.text_input(t("knowledge.search", language), placeholder=t("knowledge.placeholder", language))
try:
    hits = knowledge.search(query, language, limit=50)
except InputTooLong as exc:
    st.error(refusal.too_long(exc, language))
    st.stop()
if not hits:
    st.info(t("knowledge.none", language))
for hit in hits:
    meta = hit.article.meta
    with st.expander(f"{meta.title}  ·  {', '.join(meta.tags)}", expanded=len(hits) == 1):
        st.markdown(article.demoted(hit.article.body, top_level=3))  # under the page's title, not as big
        if meta.template:
            st.caption(t("knowledge.template", language))
            st.code(meta.template.strip(), language=None, wrap_lines=True)
