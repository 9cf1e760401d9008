"""Opdrachten: a manager sets a scenario, a scenario type on a medium, a group drill, the typing test
or a certification level for one trainee or the whole team, with a due date, and sees who is on
track, late or done. Layout only."""

from __future__ import annotations

import streamlit as st

from trainer.components import frame
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.views import assignments as assignments_view

user, language = frame.page()
st.title(t("nav.assignments", language))
st.caption(t("assignments.intro", language))

with session_scope() as session:
    screen = assignments_view.manager_screen(session=session, actor=user, language=language,
                                             team_id=st.session_state.get("assign_team"))
if not screen.teams:
    st.info(t("assignments.no_team", language))
    st.stop()

team_id = st.selectbox(t("assignments.team", language), list(screen.teams), format_func=screen.teams.get, key="assign_team")
# The kind outside the form: choosing it reruns, so the form asks only for what that kind needs.
kind = st.radio(t("assignments.kind", language), assignments_view.KINDS, horizontal=True, key="assign_kind",
                format_func=lambda k: t(f"assignments.kind_{k}", language))
scenario = medium = scenario_type = level = None
with st.form("assign"):
    who = st.selectbox(t("assignments.who", language), [None, *screen.trainees],
                       format_func=lambda i: t("assignments.whole_team", language) if i is None else screen.trainees[i])
    if kind == "scenario":
        scenario = st.selectbox(t("assignments.kind_scenario", language), list(screen.scenarios),
                                format_func=screen.scenarios.get)
    elif kind == "mix":
        medium = st.selectbox(t("assignments.mix_medium", language), list(screen.media), format_func=screen.media.get)
        scenario_type = st.selectbox(t("assignments.mix_type", language), list(screen.types), format_func=screen.types.get)
    elif kind == "level":
        level = st.selectbox(t("assignments.kind_level", language), list(screen.levels), format_func=screen.levels.get)
    due = st.date_input(t("assignments.due_on", language), value=assignments_view.default_due(), format="DD-MM-YYYY")
    sent = st.form_submit_button(t("assignments.assign", language), type="primary")
if sent:
    with session_scope() as session:
        saved, message = assignments_view.assign(
            session=session, actor=user, language=language, kind=kind,
            target=assignments_view.target_of(kind, scenario=scenario, level=level, medium=medium, scenario_type=scenario_type),
            due_on=due, team_id=team_id, trainee_id=who)
    if saved:
        st.success(message)
        with session_scope() as session:
            screen = assignments_view.manager_screen(session=session, actor=user, language=language, team_id=team_id)
    else:
        st.error(message)

if screen.trainees:
    with st.form("assign_path"):
        st.markdown(f"**{t('assignments.path_title', language)}**")
        newcomer = st.selectbox(t("assignments.who", language), list(screen.trainees), format_func=screen.trainees.get)
        path_id = st.selectbox(t("assignments.path", language), list(screen.paths), format_func=screen.paths.get)
        path_sent = st.form_submit_button(t("assignments.path_assign", language))
    if path_sent:
        with session_scope() as session:
            saved, message = assignments_view.assign_path(session=session, actor=user, language=language,
                                                          path_id=path_id, trainee_id=newcomer)
        (st.success if saved else st.error)(message)
        with session_scope() as session:
            screen = assignments_view.manager_screen(session=session, actor=user, language=language, team_id=team_id)

st.subheader(t("assignments.overview", language))
if not screen.rows:
    st.info(t("assignments.none_yet", language))
else:
    st.dataframe([{t("assignments.col_trainee", language): r.trainee, t("assignments.col_work", language): r.work,
                   t("assignments.col_due", language): r.due, t("assignments.col_standing", language): r.standing}
                  for r in screen.rows], hide_index=True)
