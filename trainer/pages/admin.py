"""Admin: users (list, add with role and team, change role with a reason, disable), teams
(add, add members and managers), and the content check as a list of errors with file and line.
Layout only: trainer.views.admin prepares the data and words every outcome.

Only admins get past the first view call; anyone else sees a polite refusal.
"""

from __future__ import annotations

import streamlit as st

from trainer.components import frame
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services.rights import PermissionDenied
from trainer.views import admin as view
from trainer.views.outcome import Outcome

FLASH = "admin_flash"
CONTENT_REPORT = "admin_content_report"

user, language = frame.page()
st.title(t("nav.admin", language))


def refuse() -> None:
    st.error(t("admin.refused", language))
    st.stop()


def show(change) -> None:
    """Run a change (a view call); confirm it after a rerun, or say why it failed."""
    try:
        outcome: Outcome = change()
    except PermissionDenied:
        refuse()
    if not outcome.saved:
        st.error(outcome.message)
        return
    st.session_state[FLASH] = outcome.message
    st.rerun()


if message := st.session_state.pop(FLASH, None):
    st.success(message)

try:
    with session_scope() as session:
        screen = view.admin_screen(session=session, actor=user, language=language)
except PermissionDenied:
    refuse()
if screen.skipped:
    # Left out so practice goes on for everyone; the content check tab says what is wrong.
    st.warning(screen.skipped)

users_tab, teams_tab, content_tab = st.tabs([t("admin.users", language), t("admin.teams", language), t("admin.content", language)])

with users_tab:
    st.dataframe(screen.users, hide_index=True)

    with st.expander(t("admin.add_user", language)):
        with st.form("add_user", clear_on_submit=False):
            email = st.text_input(t("admin.email", language), key="new_email")
            full_name = st.text_input(t("admin.name", language), key="new_name")
            role = st.selectbox(t("admin.role", language), list(screen.roles), key="new_role")
            user_language = st.selectbox(t("admin.language", language), screen.languages, key="new_language")
            password = st.text_input(t("admin.password", language), type="password", key="new_password")
            team_name = st.selectbox(t("admin.team", language), [screen.no_team, *screen.teams], key="new_team")
            as_manager = st.checkbox(t("admin.make_manager", language), key="new_manager")
            add_clicked = st.form_submit_button(t("admin.create", language), type="primary")
        if add_clicked:
            show(lambda: view.add_user(actor=user, language=language, email=email, full_name=full_name,
                                       role=screen.roles[role], user_language=user_language, password=password,
                                       team_id=screen.teams.get(team_name), as_manager=as_manager))

    with st.expander(t("admin.change_role", language)):
        with st.form("change_role"):
            who = st.selectbox(t("admin.user", language), list(screen.emails), key="role_user")
            new_role = st.selectbox(t("admin.new_role", language), list(screen.roles), key="role_new")
            reason = st.text_input(t("admin.reason", language), key="role_reason")
            role_clicked = st.form_submit_button(t("admin.save_role", language))
        if role_clicked:
            show(lambda: view.set_role(actor=user, language=language, user_id=screen.emails[who],
                                       role=screen.roles[new_role], reason=reason))

    with st.expander(t("admin.disable", language)):
        with st.form("disable_user"):
            who = st.selectbox(t("admin.user", language), screen.may_disable, key="disable_user_pick")
            reason = st.text_input(t("admin.reason", language), key="disable_reason")
            disable_clicked = st.form_submit_button(t("admin.disable_button", language))
        if disable_clicked and who:
            show(lambda: view.disable(actor=user, language=language, user_id=screen.emails[who], reason=reason))

with teams_tab:
    if not screen.team_cards:
        st.info(t("admin.no_teams", language))
    for card in screen.team_cards:
        with st.expander(card.label):
            st.dataframe(card.members, hide_index=True)

    left, right = st.columns(2)
    with left.form("add_team"):
        st.markdown(f"**{t('admin.add_team', language)}**")
        new_team = st.text_input(t("admin.team_name", language), key="team_name")
        team_clicked = st.form_submit_button(t("admin.add_team", language))
    if team_clicked:
        show(lambda: view.add_team(actor=user, language=language, name=new_team))

    with right.form("add_member"):
        st.markdown(f"**{t('admin.add_member', language)}**")
        team_name = st.selectbox(t("admin.team", language), list(screen.teams), key="member_team")
        who = st.selectbox(t("admin.user", language), list(screen.emails), key="member_user")
        as_manager = st.checkbox(t("admin.make_manager", language), key="member_manager")
        member_clicked = st.form_submit_button(t("admin.add_member", language))
    if member_clicked and team_name and who:
        show(lambda: view.add_member(actor=user, language=language, team_id=screen.teams[team_name],
                                     user_id=screen.emails[who], as_manager=as_manager))

with content_tab:
    st.caption(t("admin.content_intro", language))
    if st.button(t("admin.content_run", language), type="primary"):
        with st.spinner(t("admin.content_run", language)):
            st.session_state[CONTENT_REPORT] = view.run_content_check()
    if (raw := st.session_state.get(CONTENT_REPORT)) is not None:
        report = view.content_report(raw, language)
        if report.error:
            st.error(report.error)
        if report.errors:
            st.dataframe(report.errors, hide_index=True)
        if report.success:
            st.success(report.success)
        if report.counts:
            st.dataframe(report.counts, hide_index=True)
