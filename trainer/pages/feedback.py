"""Feedback: the trainee's reviewed conversations with the manager's words and figures beside the
automatic score, then all their past conversations, one at a time replayed beside the model
answers. Layout only: `trainer.views.feedback` and `trainer.views.history` make the screen."""

from __future__ import annotations

import streamlit as st

from trainer.components import frame
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.views import feedback as feedback_view
from trainer.views import history as history_view

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

st.header(t("history.title", language), anchor=False)
st.caption(t("history.intro", language))
with session_scope() as session:
    past = history_view.history_list(session=session, actor=user, language=language)
if not past.items:
    st.info(t("history.empty", language))
else:
    labels = {item.attempt_id: item.label for item in past.items}
    picked = st.selectbox(t("history.pick", language), list(labels), format_func=labels.get, index=None,
                          placeholder=t("history.placeholder", language), key="history_pick")
    if past.capped:
        st.caption(past.capped)
    if picked is not None:
        with session_scope() as session:
            replay = history_view.replay_screen(session=session, actor=user, attempt_id=picked, language=language)
        st.subheader(replay.heading, anchor=False)
        (st.success if replay.good else st.error)(replay.outcome)
        if replay.average:
            st.caption(replay.average)
        if replay.note:
            st.info(replay.note)
        for step in replay.steps:
            st.caption(step.caption)
            if step.row is None:
                st.text(step.text)
                continue
            mine, model = st.columns(2)
            mine.caption(step.row.yours_caption)
            mine.text(step.row.yours)
            model.caption(step.row.model_caption)
            model.text(step.row.model)
            if step.override:
                mine.success(step.override)
            for line in step.remarks:
                mine.markdown(f"- {line}")
