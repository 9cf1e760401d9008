"""New-hire typing test: real webcare sentences against the server's clock; characters per
minute and errors, stored with the trainee, and their earlier results."""

from __future__ import annotations

import html

import streamlit as st

from trainer.components import frame, refusal
from trainer.components.typing_table import typing_results_table
from trainer.db.engine import session_scope
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services import typing_test
from trainer.services.limits import InputTooLong
from trainer import local_time

TEST = "typing_test"  # the running test as plain data (sentence ids, language, start time)
LAST = "typing_last_result"

user, language = frame.page()
st.title(t("nav.typing", language))
st.caption(t("typing.intro", language))


def show_result(result: dict) -> None:
    st.subheader(t("typing.result", language))
    columns = st.columns(5)
    columns[0].metric(t("typing.cpm", language), f"{result['chars_per_minute']:.0f}")
    columns[1].metric(t("typing.char_errors", language), result["char_errors"])
    columns[2].metric(t("typing.word_errors", language), result["word_errors"])
    columns[3].metric(t("typing.accuracy", language), f"{result['accuracy']:.0%}")
    columns[4].metric(t("typing.seconds", language), f"{result['seconds']:.0f}")
    if result["chars_per_minute"] > typing_test.PLAUSIBLE_MAX_CPM:
        st.warning(t("typing.implausible", language, limit=typing_test.PLAUSIBLE_MAX_CPM))
    st.success(t("typing.saved", language))


running = st.session_state.get(TEST)
if running is None:
    if st.session_state.get(LAST):
        show_result(st.session_state[LAST])
    if st.button(t("typing.start", language), type="primary"):
        st.session_state[TEST] = typing_test.new_test(language, utcnow()).to_state()
        st.session_state.pop(LAST, None)
        st.rerun()
else:
    test = typing_test.TypingTest.from_state(running)
    st.caption(t("typing.running", language, time=local_time.clock(test.started_at, seconds=True)))
    st.markdown(f"**{t('typing.target', language)}**")
    # Shown as text that cannot be selected (no copy and paste); escaped like any other text.
    st.html(f'<div class="typing-target" style="user-select:none;-webkit-user-select:none;font-size:1.15em;'
            f'line-height:1.6;padding:.8em 1em;background:#f6f6f9;border-radius:8px">{html.escape(test.target)}</div>')
    with st.form("typing_form"):
        typed = st.text_area(t("typing.input", language), height=180, key="typing_input")
        submitted = st.form_submit_button(t("typing.submit", language), type="primary")
    if submitted:
        submitted_at = utcnow()  # the server's clock, not the browser's
        if not typed.strip():
            st.error(t("typing.empty", language))
        else:
            try:
                result = typing_test.measure(test, typed, submitted_at)
            except InputTooLong as exc:  # nothing measured or stored; the test runs on
                st.error(refusal.too_long(exc, language))
            else:
                with session_scope() as session:
                    typing_test.record_result(session=session, actor=user, result=result)
                st.session_state[LAST] = {k: getattr(result, k) for k in
                                          ("chars_per_minute", "char_errors", "word_errors", "accuracy", "seconds")}
                st.session_state.pop(TEST, None)
                st.rerun()
    if st.button(t("typing.cancel", language)):
        st.session_state.pop(TEST, None)
        st.rerun()

st.subheader(t("typing.previous", language))
with session_scope() as session:
    results = typing_test.list_results(session=session, actor=user, trainee_id=user.id)
if not results:
    st.info(t("typing.none", language))
else:
    typing_results_table(results, language, when=local_time.date_and_time)
