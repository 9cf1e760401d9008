"""New-hire typing test: real webcare sentences against the server's clock; characters per
minute and errors, stored with the trainee, and their earlier results. Layout only:
trainer.views.typing measures, stores and words it."""

from __future__ import annotations

import streamlit as st

from trainer import local_time
from trainer.components import frame
from trainer.components.typing_table import typing_results_table
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.views import typing as view

TEST = "typing_test"  # the running test as plain data (sentence ids, language, start time)
LAST = "typing_last_result"

user, language = frame.page()
st.title(t("nav.typing", language))
st.caption(t("typing.intro", language))


def show_result(result: dict) -> None:
    card = view.result_card(result, language)
    st.subheader(t("typing.result", language))
    for column, (label, value) in zip(st.columns(len(card.metrics)), card.metrics):
        column.metric(label, value)
    if card.warning:
        st.warning(card.warning)
    st.success(card.saved)


running = st.session_state.get(TEST)
if running is None:
    if st.session_state.get(LAST):
        show_result(st.session_state[LAST])
    if st.button(t("typing.start", language), type="primary"):
        st.session_state[TEST] = view.start(language)
        st.session_state.pop(LAST, None)
        st.rerun()
else:
    test = view.running(running, language)
    st.caption(test.caption)
    st.markdown(f"**{t('typing.target', language)}**")
    st.html(test.target_html)
    with st.form("typing_form"):
        typed = st.text_area(t("typing.input", language), height=180, key="typing_input")
        submitted = st.form_submit_button(t("typing.submit", language), type="primary")
    if submitted:
        done = view.submit(actor=user, language=language, state=running, typed=typed)
        if done.error:
            st.error(done.error)
        else:
            st.session_state[LAST] = done.result
            st.session_state.pop(TEST, None)
            st.rerun()
    if st.button(t("typing.cancel", language)):
        st.session_state.pop(TEST, None)
        st.rerun()

st.subheader(t("typing.previous", language))
with session_scope() as session:
    results = view.previous_results(session=session, actor=user)
if not results:
    st.info(t("typing.none", language))
else:
    typing_results_table(results, language, when=local_time.date_and_time)
