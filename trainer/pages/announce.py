"""Announce: write the public announcement of an outage, see its scorecard, then the update an
hour later. Layout only: trainer.views.announce prepares it."""

from __future__ import annotations

import uuid

import streamlit as st

from trainer import resources, ui_state
from trainer.components import frame, scorecard
from trainer.components.confirm import confirmed
from trainer.i18n import t
from trainer.services.announcements import AnnouncementState
from trainer.views import announce as view

STATE = "announce_state"
RESUMED = "announce_resumed"
SENT_EARLIER = "announce_sent_earlier"

user, language = frame.page()


def keep(state: dict | None) -> None:
    st.session_state[STATE] = state


def start_over() -> None:
    keep(None)
    st.rerun()


def choose() -> None:
    st.title(t("nav.announce", language))
    st.caption(t("announce.intro", language))
    found = view.choices(language)
    if not found.exercises:
        st.info(t("announce.none", language))
        return
    exercise_id = st.radio(t("announce.exercise", language), list(found.exercises), format_func=found.exercises.get)
    media = found.media[exercise_id]
    medium = st.selectbox(t("announce.medium", language), list(media), format_func=media.get)
    if st.button(t("announce.start", language), type="primary"):
        keep(view.begin(actor=user, exercise_id=exercise_id, medium=medium))
        st.rerun()


def write(state: AnnouncementState, screen: view.Screen) -> None:
    st.subheader(screen.stage, anchor=False)
    with st.container(border=True):
        st.write(screen.situation)
        st.caption(t("announce.brief", language))
        for label, fact in screen.facts:
            st.markdown(f"**{label}**: {fact}")
    st.session_state.setdefault(screen.submission_key, str(uuid.uuid4()))
    text = st.text_area(screen.reply_label, key=screen.reply_key, height=150)
    (st.error if (count := view.counter(text, screen.max_chars, language)).over else st.caption)(count.text)
    post_col, stop_col = st.columns(2)
    if post_col.button(t("announce.post", language), type="primary", disabled=count.over):
        with st.spinner(t("announce.scoring", language)):
            sent = view.post(actor=user, state=state, text=text, submission_id=st.session_state[screen.submission_key],
                             checker=resources.grammar_checker(), language=language, keep=keep)
        if sent.refusal:
            st.error(sent.refusal)
            return
        st.session_state[SENT_EARLIER] = sent.sent_earlier
        st.rerun()
    if confirmed(stop_col, t("announce.stop", language), key="announce_stop",
                 question=t("announce.stop_question", language), yes=t("announce.stop_yes", language),
                 no=t("announce.stop_no", language)):
        view.abandon(actor=user, state=state)
        start_over()


def play(state: AnnouncementState) -> None:
    screen = view.screen(state, language)
    st.title(screen.title)
    if st.session_state.get(RESUMED) == state.attempt_id and screen.stage:
        st.info(t("announce.resumed", language))
    if st.session_state.pop(SENT_EARLIER, False):
        st.info(t("announce.sent_earlier", language))
    for number, posted in enumerate(screen.posted, 1):
        with st.expander(posted.caption, expanded=number == len(screen.posted)):
            scorecard.render(posted.text, posted.scorecard, language=language)
            st.caption(t("announce.model", language))
            st.text(posted.model)
    if screen.done:
        (st.success if screen.good else st.error)(screen.done)
        if st.button(t("announce.again", language), type="primary"):
            start_over()
        return
    write(state, screen)


# An exercise left unfinished at a logout or restart comes back.
saved = ui_state.resumed_state(st.session_state.get(STATE), lambda: view.resume(actor=user), keep, RESUMED)
if saved is None:
    choose()
else:
    play(AnnouncementState.model_validate(saved))
