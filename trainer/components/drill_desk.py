"""The facilitator's desk on the drill screens: a conversation's public reach in its medium's
look (the trainee's inbox), and for the manager the team's reach caused and prevented, the
webcaremeter drawn before/after with what it means, the labels counted and the event log on the
local clock. Data from trainer.services.drills (reach, desk); texts from content/ui."""

from __future__ import annotations

import html

import altair as alt
import pandas as pd
import streamlit as st

from scoring.config import Medium
from trainer.components import clock
from trainer.i18n import t
from trainer.services.drills import desk
from trainer.services.drills.dashboard import Dashboard
from trainer.services.drills.desk import LogLine
from trainer.services.drills.reach import Reach

GOOD_MOOD, BAD_MOOD = "#17bf63", "#e0245e"


def reach_html(medium: Medium, caused: Reach, prevented: int, language: str) -> str:
    """The reach line under a public conversation, in its medium's colour and words ('' when
    private, or when nothing went round and nothing was prevented yet)."""
    if not medium.public:
        return ""
    if caused.visible:
        text, colour = desk.reach_look(medium.look.kind, caused, language), medium.look.colour
    elif prevented:
        text, colour = t("drills.reach.prevented_note", language, reached=desk.number(prevented, language)), GOOD_MOOD
    else:
        return ""
    return (f'<div class="wt-reach" style="font-family:system-ui,sans-serif;max-width:680px;margin:4px 0 8px;'
            f'padding:6px 12px;border-left:3px solid {colour};color:#536471;font-size:.9em">'
            f'{html.escape(text)}</div>')


def _meter(board: Dashboard, language: str) -> None:
    st.markdown(f"**{t('drills.meter.heading', language)}**")
    rows = [{"moment": t(key, language), "mood": value, "shown": desk.mood(value, language)}
            for key, value in (("drills.mood_before", board.mood_before), ("drills.mood_after", board.mood_after))
            if value is not None]
    if rows:
        bars = alt.Chart(pd.DataFrame(rows)).mark_bar(size=24).encode(
            x=alt.X("mood:Q", scale=alt.Scale(domain=[-1, 1]), title=t("drills.meter.mood", language),
                    axis=alt.Axis(values=[-1, -0.5, 0, 0.5, 1])),
            y=alt.Y("moment:N", sort=None, title=None, axis=alt.Axis(labelLimit=220)),
            color=alt.condition(alt.datum.mood >= 0, alt.value(GOOD_MOOD), alt.value(BAD_MOOD)),
            tooltip=[alt.Tooltip("moment:N", title=t("drills.meter.moment", language)),
                     alt.Tooltip("shown:N", title=t("drills.meter.mood", language))])
        zero = alt.Chart(pd.DataFrame([{"zero": 0}])).mark_rule(color="#536471").encode(x="zero:Q")
        st.altair_chart((bars + zero).properties(height=alt.Step(36)))
    st.caption(desk.meter_sentence(board.mood_before, board.mood_after, language))


def _reach(board: Dashboard, language: str) -> None:
    team = board.reach
    st.markdown(f"**{t('drills.reach.heading', language)}**")
    columns = st.columns(3)
    columns[0].metric(t("drills.reach.caused", language), desk.number(team.caused.reached, language))
    columns[1].metric(t("drills.reach.shares", language), desk.number(team.caused.shares, language))
    columns[2].metric(t("drills.reach.prevented", language), desk.number(team.prevented, language))
    st.caption(desk.reach_sentence(team, language))


def _labels(board: Dashboard, language: str, key: str) -> None:
    st.markdown(f"**{t('drills.labels.heading', language)}**")
    rows = [{t("drills.label", language): c.label, t("drills.labels.conversations", language): c.conversations}
            for c in board.labels]
    rows.append({t("drills.label", language): t("drills.labels.none", language),
                 t("drills.labels.conversations", language): board.unlabelled})
    st.dataframe(rows, hide_index=True, key=key)


def event_log(lines: list[LogLine], language: str, *, key: str, newest_first: bool = False) -> None:
    """The event log: local time, drill clock, what happened."""
    shown = list(reversed(lines)) if newest_first else lines
    st.dataframe([{
        t("drills.log.time", language): desk.local_clock(line),
        t("drills.clock", language): clock.minutes(line.offset),
        t("drills.log.what", language): desk.describe(line, language),
    } for line in shown], hide_index=True, key=key)


RECENT = 12  # events shown live on the dashboard; the debrief shows them all


def _figures(board: Dashboard, language: str, *, labels_key: str):
    """Reach across the width; the webcaremeter on the left, the labels on the right; returns
    the right column."""
    _reach(board, language)
    left, right = st.columns(2)
    with left:
        _meter(board, language)
    with right:
        _labels(board, language, key=labels_key)
    return right


def dashboard_desk(board: Dashboard, language: str) -> None:
    """The live dashboard's desk: reach, webcaremeter, labels and the latest events."""
    with _figures(board, language, labels_key="labels_table"):
        st.markdown(f"**{t('drills.log.recent', language)}**")
        event_log(board.events[-RECENT:], language, key="recent_events", newest_first=True)


def debrief_desk(board: Dashboard, language: str) -> None:
    """The debrief's desk: reach, webcaremeter, labels and the whole event log."""
    _figures(board, language, labels_key="debrief_labels_table")
    st.subheader(t("drills.log.heading", language))
    event_log(board.events, language, key="debrief_events")
