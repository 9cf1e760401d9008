"""Feedback: the trainee's reviewed conversations with the manager's words and figures beside the
automatic score. Layout only: `trainer.views.feedback` makes the screen."""

from __future__ import annotations

import streamlit as st

from trainer.components import frame
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.views import feedback as feedback_view

user, language = frame.page()
st.title(t("nav.feedback", language))
st.caption(t("feedback.intro", language))

with session_scope() as session:
    screen = feedback_view.feedback_screen(session=session, actor=user, language=language)

if not screen.conversations:
    st.info(t("feedback.empty", language))

for conversation in screen.conversations:
    with st.container(border=True):
        st.subheader(conversation.heading)
        for reply in conversation.replies:
            st.markdown(f"**{t('feedback.your_reply', language)}**")
            st.markdown(f"> {reply.text}")
            left, right = st.columns(2)
            left.markdown(reply.automatic)
            if reply.override:
                right.success(reply.override)
            verdict = t("feedback.passed" if reply.passed else "feedback.failed", language)
            st.caption(verdict)
            for line in reply.remarks:
                st.markdown(f"- {line}")
