"""Reports (managers, observers, admins): a team's response times against each medium's norm,
volume per medium, topics and the customer's mood, per ISO week, per trainee and for the team,
each with a chart and a CSV download. Layout only: trainer.views.reports prepares it. A refusal
(PermissionDenied) shows a polite message and nothing else."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from trainer.components import frame
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services.rights import PermissionDenied
from trainer.views import reports as view

user, language = frame.page()
st.title(t("nav.reports", language))


def refuse() -> None:
    st.error(t("reports.refused", language))
    st.stop()


# The picks are read before the widgets are drawn: the screen brings what there is to pick from.
try:
    with session_scope() as session:
        screen = view.reports_screen(session=session, actor=user, team_id=st.session_state.get("reports_team"),
                                     weeks=st.session_state.get("reports_weeks", view.WEEKS),
                                     trainee_id=st.session_state.get("reports_who"), language=language)
except PermissionDenied:
    refuse()
if not screen.teams:
    st.info(t("reports.no_teams", language))
    st.stop()

st.caption(t("reports.intro", language))
team, weeks, who = st.columns([2, 1, 2])
# Another team has other trainees: its weekly figures start with the whole team.
team.selectbox(t("reports.pick", language), list(screen.teams), format_func=screen.teams.get, key="reports_team",
               on_change=lambda: st.session_state.pop("reports_who", None))
weeks.selectbox(t("reports.weeks", language), view.WEEK_CHOICES, index=view.WEEK_CHOICES.index(view.WEEKS),
                key="reports_weeks")
who.selectbox(t("reports.who_pick", language), list(screen.who), format_func=screen.who.get, key="reports_who")
if screen.empty:
    st.info(t("reports.empty", language))
    st.stop()


def chart(found: view.Chart) -> None:
    base = alt.Chart(pd.DataFrame(found.rows))
    mark = base.mark_line(point=True) if found.mark == "line" else base.mark_bar()
    # Fields by name, not shorthand: headers such as "Binnen norm (%)" are no shorthand.
    encoding = {
        "x": alt.X(field=found.x, type="ordinal", sort=found.x_order, scale=alt.Scale(domain=found.x_order)),
        "y": alt.Y(field=found.y, type="quantitative"),
        "tooltip": [alt.Tooltip(field=found.x, type="ordinal"), alt.Tooltip(field=found.y, type="quantitative")],
    }
    if found.colour:
        encoding["color"] = alt.Color(field=found.colour, type="nominal")
        encoding["tooltip"].insert(1, alt.Tooltip(field=found.colour, type="nominal"))
    st.altair_chart(mark.encode(**encoding))


for number, section in enumerate(screen.sections):
    st.subheader(section.title)
    st.caption(section.intro)
    if not section.rows:
        st.info(t("reports.no_rows", language))
        continue
    if section.chart.rows:
        chart(section.chart)
    st.dataframe(pd.DataFrame(section.table, columns=section.columns), hide_index=True, height=260)
    st.download_button(t("reports.export", language), data=section.csv, file_name=section.file_name, mime="text/csv",
                       on_click="ignore", key=f"reports_export_{number}")
