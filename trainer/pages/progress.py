"""My progress: scores per skill over time, a medium x conversation-type grid, the level per
skill, the weakest skill, and the certification checklist with what is still missing. Layout
only: trainer.views.progress prepares it."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from trainer.components import frame
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services.rights import PermissionDenied
from trainer.views import progress as view
from trainer.views.team import linked_id

user, language = frame.page()
# A manager, observer or admin opens a trainee's page from the team page (?trainee=<id>).
trainee_id = linked_id(st.query_params.get("trainee"))
try:
    with session_scope() as session:
        screen = view.progress_screen(session=session, actor=user, language=language, trainee_id=trainee_id)
except PermissionDenied:
    st.title(t("nav.progress", language))
    st.error(t("team.refused", language))
    st.stop()
st.title(screen.title)
st.caption(screen.intro)
if trainee_id is not None and trainee_id != user.id:
    st.page_link("pages/team.py", label=t("progress.back_to_team", language), icon="👥",
                 query_params={"trainee": trainee_id})


def figures() -> None:
    for column, figure in zip(st.columns(5), screen.figures):
        column.metric(figure.label, figure.value, help=figure.help)
    if screen.overrides_note:
        st.caption(screen.overrides_note)


def over_time() -> None:
    st.subheader(t("progress.over_time", language))
    rows = [{"week": p.week, "what": p.what, "score": p.score} for p in screen.over_time]
    # Weeks are dates without a time: read them as UTC so no browser time zone shifts a Monday.
    chart = alt.Chart(pd.DataFrame(rows)).mark_line(point=True).encode(
        x=alt.X("utcyearmonthdate(week):T", title=t("progress.week", language), axis=alt.Axis(format="%d-%m")),
        y=alt.Y("score:Q", title=t("progress.score", language), scale=alt.Scale(zero=False)),
        color=alt.Color("what:N", title=None),
        strokeWidth=alt.condition(alt.datum.what == screen.total_label, alt.value(4), alt.value(1.5)),
        tooltip=["week:T", "what:N", "score:Q"],
    )
    st.altair_chart(chart)


def skills() -> None:
    st.subheader(t("progress.skills", language))
    if screen.weakest:
        st.warning(screen.weakest)
    st.dataframe(screen.skills, hide_index=True)


def medium_type_grid() -> None:
    grid = screen.grid
    st.subheader(t("progress.grid", language))
    st.caption(t("progress.grid_help", language))
    text = pd.DataFrame(grid.cells, index=grid.rows, columns=grid.columns)
    colours = pd.DataFrame([[f"background-color: {c}" if c else "" for c in row] for row in grid.colours],
                           index=text.index, columns=text.columns)
    text.index.name = grid.index_name
    st.dataframe(text.style.apply(lambda _: colours, axis=None))


def first_to_best() -> None:
    st.subheader(t("progress.first_to_best", language))
    st.caption(t("progress.first_to_best_help", language))
    st.dataframe(screen.first_to_best, hide_index=True)


def checklist() -> None:
    st.subheader(t("progress.certification", language))
    for level in screen.checklist:
        with st.container(border=True):
            st.markdown(f"**{level.name}**")
            (st.success if level.achieved else st.warning)(level.summary)
            for line in level.lines:
                st.text(line.text)
                if line.note:
                    st.caption(line.note)


figures()
if screen.empty:
    st.info(t("progress.empty", language))
else:
    over_time()
    skills()
    medium_type_grid()
    first_to_best()
checklist()
