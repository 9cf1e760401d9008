"""Team (dialogue manager): the team at a glance, a trainee's conversations with their scorecards,
overrides and comments, certificates (grant, revoke, PDF) and a CSV export. Layout only:
trainer.views.team prepares it. A refusal (PermissionDenied) shows a polite message and nothing
else. `?trainee=<id>` and `?attempt=<id>` link straight to a trainee or a conversation."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from trainer import navigation
from trainer.components import frame, team_sections
from trainer.components.typing_table import typing_results_table
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services.rights import PermissionDenied
from trainer.views import team as view

FLASH = "team_flash"  # (where, message): a confirmation to show after the rerun that follows a change
TAB = "team_tab"  # the open tab of the trainee's section (its label)
TAB_TITLES = ("team.history", "team.certification", "nav.typing")

user, language = frame.page()
st.title(t("nav.team", language))


def refuse() -> None:
    st.error(t("team.refused", language))
    st.stop()


def show(outcome: view.Outcome, where: str, *, again: str | None = None) -> None:
    """A saved change is confirmed after the rerun it needs, beside the form the manager used
    (the top of the page may be far out of sight by then); a refused one shows here and now."""
    if outcome.saved:
        if again:  # each save moves the form's widgets to new keys: it starts empty again
            st.session_state[again] = st.session_state.get(again, 0) + 1
        st.session_state[FLASH] = (where, outcome.message)
        st.rerun()
    st.error(outcome.message)
    for line in outcome.details:
        st.text(line)


def show_flash(where: str) -> None:
    if flash and flash[0] == where:
        st.success(flash[1])


# Taken on every run, so a confirmation whose place is not shown this time never turns up later.
flash: tuple[str, str] | None = st.session_state.pop(FLASH, None)

with session_scope() as session:
    teams = view.team_list(session=session, actor=user)
if teams.refused:
    refuse()
if not teams.teams:
    st.info(t("team.no_teams", language))
    st.stop()

# ------------------------------------------------------------------ the team at a glance

team_ids = {name: team_id for team_id, name in teams.teams.items()}  # AppTest picks options by label
team_id = team_ids[st.selectbox(t("team.pick", language), list(team_ids), key="team_pick")]
try:
    with session_scope() as session:
        screen = view.team_screen(session=session, actor=user, language=language, team_id=team_id)
        agreement = view.agreement(session=session, actor=user, language=language, team_id=team_id)
except PermissionDenied:
    refuse()

st.caption(t("team.intro", language))
st.subheader(t("team.members", language))
if not screen.members:
    st.info(t("team.no_members", language))
    st.stop()
team_sections.members_table(screen.members, language)
st.caption(screen.legend)

left, right = st.columns([3, 1])
if screen.by_dimension:
    left.markdown(f"**{t('team.dimensions', language)}**")
    left.bar_chart(pd.Series(screen.by_dimension, name="0–100"), horizontal=True, height=220)
if screen.may_export:
    right.download_button(t("team.export", language), data=partial(view.csv_export, actor=user, team_id=team_id),
                          mime="text/csv", on_click="ignore", file_name=screen.export_file_name, key="team_export")

team_sections.agreement_section(agreement, language)

# ------------------------------------------------------------------ one trainee

st.divider()
linked_attempt = view.linked_id(st.query_params.get("attempt"))
linked_trainee = view.linked_id(st.query_params.get("trainee"))
names = {m.user_id: m.name for m in screen.members}
try:
    if linked_attempt is not None:
        with session_scope() as session:
            trainee_id = view.trainee_of_attempt(session=session, actor=user, attempt_id=linked_attempt)
    elif linked_trainee is not None:
        trainee_id = linked_trainee
    else:
        trainee_id = st.selectbox(t("team.trainee", language), list(names), format_func=names.get, key="team_trainee")
    with session_scope() as session:
        trainee = view.trainee_screen(session=session, actor=user, language=language, trainee_id=trainee_id)
except PermissionDenied:
    refuse()

st.header(trainee.name)
if navigation.shows(user, "pages/progress.py"):  # an observer has no progress page
    st.page_link("pages/progress.py", label=t("team.open_progress", language), icon="📈",
                 query_params={"trainee": trainee_id})
# Stateful tabs (a key, rerun on change): the server knows the open tab, so the rerun after a save
# keeps the manager on the tab they were working in instead of jumping back to the first.
# The open tab is remembered by its label: after a language switch, the same tab in the new language.
for title in TAB_TITLES:
    if st.session_state.get(TAB) in {t(title, other) for other in ("nl", "en")}:
        st.session_state[TAB] = t(title, language)
history_tab, certification_tab, typing_tab = st.tabs([t(title, language) for title in TAB_TITLES],
                                                     key=TAB, on_change="rerun")


def override_form(reply: view.ScoredReply) -> None:
    # A saved form starts empty again: each save moves the widgets to new keys (fresh defaults).
    # A refused save (no comment, no right) keeps the same keys, so nothing typed is lost.
    saves = f"override_saves_{reply.score_id}"
    form_key = f"override_{reply.score_id}_{st.session_state.get(saves, 0)}"
    with st.form(form_key):
        dimension = st.selectbox(t("team.override_dimension", language), list(reply.dimensions),
                                 format_func=reply.dimensions.get, key=f"{form_key}_dimension")
        value = st.number_input(t("team.override_value", language), min_value=0.0, max_value=100.0,
                                value=float(round(reply.scorecard.total)), step=1.0, format="%.0f", key=f"{form_key}_value")
        comment = st.text_area(t("team.comment", language), height=80, key=f"{form_key}_comment")
        left, right = st.columns(2)
        override_clicked = left.form_submit_button(t("team.override", language), type="primary")
        comment_clicked = right.form_submit_button(t("team.comment_only", language))
    show_flash(f"override_{reply.score_id}")
    if override_clicked or comment_clicked:
        show(view.save_review(actor=user, language=language, score_id=reply.score_id, comment=comment,
                              override=value if override_clicked else None, dimension=dimension),
             f"override_{reply.score_id}", again=saves)


with history_tab:
    if not trainee.attempts:
        st.info(t("team.no_attempts", language))
    else:
        st.dataframe(trainee.history, hide_index=True, height=min(36 * (len(trainee.history) + 1) + 2, 320))
        ids = list(trainee.attempts)
        attempt_id = st.selectbox(t("team.pick_attempt", language), ids, format_func=trainee.attempts.get,
                                  index=ids.index(linked_attempt) if linked_attempt in trainee.attempts else 0,
                                  key="team_attempt")
        try:
            with session_scope() as session:
                found = view.transcript(session=session, actor=user, language=language, attempt_id=attempt_id)
        except PermissionDenied:
            refuse()
        team_sections.transcript(found, language, review=override_form)

with certification_tab:
    show_flash("certification")
    if not trainee.certificates:
        st.info(t("team.no_certs", language))
    for card in trainee.certificates:
        with st.container(border=True):
            team_sections.certificate(card, language, pdf=partial(view.certificate_pdf, actor=user, language=language,
                                                                  certification_id=card.id))
            if card.may_revoke:
                with st.form(f"revoke_{card.id}"):
                    reason = st.text_input(t("team.revoke_reason", language))
                    revoke_clicked = st.form_submit_button(t("team.revoke", language))
                if revoke_clicked:
                    show(view.revoke(actor=user, language=language, certification_id=card.id, reason=reason), "certification")

    st.subheader(t("team.grant_title", language))
    # One key per trainee: a level picked for one trainee must not carry over to the next.
    level = st.selectbox(t("team.cert_level", language), list(trainee.levels), format_func=trainee.levels.get,
                         key=f"grant_level_{trainee.trainee_id}")
    check = trainee.grants[level]
    {"held": st.info, "eligible": st.success, "missing": st.warning}[check.state](check.message)
    for line in check.reasons:
        st.text(line)
    if check.note:
        st.caption(check.note)
    if check.may_grant:
        with st.form("grant"):
            comment = st.text_area(t("team.grant_comment", language), height=80)
            grant_clicked = st.form_submit_button(t("team.grant", language), type="primary")
        if grant_clicked:
            show(view.grant(actor=user, language=language, trainee_id=trainee.trainee_id, level=level, comment=comment),
                 "certification")

with typing_tab:
    if not trainee.typing_results:
        st.info(t("team.no_typing", language))
    else:
        typing_results_table(trainee.typing_results, language, when=view.when)
