"""The dialogue manager's drill room: create a drill from a template for a team, start, pause,
resume and stop it, inject a message, speak as a customer, and watch the live dashboard.

Observers (another manager of the team, an admin) see the dashboard without the controls;
the services refuse them anyway. The dashboard refreshes by itself in a fragment, so the
forms below it keep what the manager is typing. Layout only: the data and every change come
from trainer.views.drill_manager.
"""

from __future__ import annotations

import streamlit as st

from trainer.components import drill_desk, frame
from trainer.i18n import t
from trainer.views import drill_manager as screen

REFRESH_SECONDS = 3
RUN = "drill_manager_run"
CONTROL_NOTE = "drill_manager_control_note"

user, language = frame.page()
st.title(t("nav.drill_manager", language))


def _control(name: str, run_id: str) -> None:
    # A callback, not the button's return value: the dashboard fragment reruns every few
    # seconds, and a click that arrives during such a rerun would otherwise be lost.
    if note := screen.control(actor=user, name=name, run_id=run_id, language=language):
        st.session_state[CONTROL_NOTE] = note


room = screen.room(actor=user, language=language)
if room.teams:
    with st.expander(t("drills.new_drill", language), expanded=not room.runs):
        with st.form("new_drill"):
            template_id = st.selectbox(t("drills.template", language), list(room.templates),
                                       format_func=room.templates.get)
            team_id = st.selectbox(t("drills.team", language), list(room.teams), format_func=room.teams.get)
            create = st.form_submit_button(t("drills.create", language), type="primary")
        if create:
            st.session_state[RUN] = screen.create(actor=user, template_id=template_id, team_id=team_id)
            st.rerun()
        st.caption(room.stories.get(template_id, ""))

if not room.runs:
    st.info(t("drills.no_drills" if room.teams else "drills.no_drills_to_watch", language))
    st.stop()

if st.session_state.get(RUN) not in room.runs:
    st.session_state[RUN] = next(iter(room.runs))
st.selectbox(t("drills.choose_drill", language), list(room.runs), key=RUN, format_func=room.runs.get)
run_id = st.session_state[RUN]
current = screen.current(actor=user, run_id=run_id, language=language)

if current.runs_it:
    for column, button in zip(st.columns(len(current.controls)), current.controls):
        column.button(button.label, key=f"drill_{button.name}", disabled=not button.enabled,
                      type="primary" if button.name == "start" else "secondary",
                      on_click=_control, args=(button.name, run_id))
    if st.session_state.get(CONTROL_NOTE):
        st.info(st.session_state.pop(CONTROL_NOTE))
else:
    st.caption(t("drills.observer_note", language))


@st.fragment(run_every=REFRESH_SECONDS)
def live_dashboard() -> None:
    board = screen.dashboard_screen(actor=user, run_id=run_id, language=language)
    st.subheader(board.title)
    st.caption(board.duration)
    for row in (board.figures[:6], board.figures[6:]):  # the webcaremeter is drawn below (drill_desk)
        for column, (label, value) in zip(st.columns(len(row)), row):
            column.metric(label, value)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t('drills.queue_per_medium', language)}**")
        st.dataframe(board.queue, hide_index=True, key="queue_table")
    with right:
        st.markdown(f"**{t('drills.trainees', language)}**")
        st.dataframe(board.trainees, hide_index=True, key="trainee_table")
    st.markdown(f"**{t('drills.burn_down', language)}**")
    st.line_chart(board.burn_down)
    drill_desk.dashboard_desk(board.board, language)


if current.stopped:
    # A stopped drill changes no more: no refreshing, the debrief instead.
    report = screen.debrief_screen(actor=user, run_id=run_id, language=language)
    st.header(t("drills.debrief", language))
    for column, download in zip(st.columns(len(report.downloads)), report.downloads):
        column.download_button(download.label, download.data, file_name=download.file_name, mime=download.mime)
    st.line_chart(report.chart)
    if report.noise_summary:
        st.subheader(t("drills.noise.heading", language))
        st.caption(report.noise_summary)
        st.dataframe(report.noise_rows, hide_index=True, key="noise_table")
        for line in report.noise_lines:
            st.markdown(line)
    drill_desk.debrief_desk(report.board, language)
    for heading, transcripts in report.sections:
        st.subheader(heading)
        for transcript in transcripts:
            with st.expander(transcript.title):
                st.text(transcript.text)
else:
    live_dashboard()

if current.runs_it and current.active:
    inject_column, speak_column = st.columns(2)
    options = screen.inject_options(drill_language=current.language, drill_media=current.media, language=language)
    with inject_column, st.form("drill_inject", clear_on_submit=True):
        st.markdown(f"**{t('drills.inject', language)}**")
        choice = st.selectbox(t("drills.inject_scenario", language), list(options), format_func=options.get)
        title = st.text_input(t("drills.inject_title", language))
        followers = st.number_input(t("drills.inject_followers", language), min_value=0, value=0, step=1000)
        injected = st.form_submit_button(t("drills.inject_send", language))
    if injected:
        if error := screen.inject(actor=user, run_id=run_id, choice=choice, title=title, followers=followers,
                                  options=options, language=language):
            st.error(error)
        else:
            st.rerun()
    with speak_column:
        names = screen.speak_targets(actor=user, run_id=run_id, language=language)
        with st.form("drill_speak", clear_on_submit=True):
            st.markdown(f"**{t('drills.speak_as_customer', language)}**")
            target = st.selectbox(t("drills.customer", language), list(names), format_func=names.get)
            said = st.text_area(t("drills.customer_message", language), height=100)
            spoken = st.form_submit_button(t("drills.speak_send", language))
        if spoken and target is not None and said.strip():
            if error := screen.speak(actor=user, conversation_id=target, text=said, language=language):
                st.error(error)
            else:
                st.rerun()
