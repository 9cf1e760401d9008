"""Admin: users (list, add with role and team, change role with a reason, disable), teams
(add, add members and managers), and the content check (the same validation as
`webcare content validate`: trainer.services.content_check) as a list of errors with file and line.

Only admins get past the first service call; anyone else sees a polite refusal. Selectboxes
offer labels (e-mail addresses, team names, role names) and map them back, so the choice is
unambiguous and tests can pick by label.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import streamlit as st
from pydantic import ValidationError

from trainer.components import frame, refusal
from trainer.db.engine import session_scope
from trainer.db.models import Role, TeamCreate, UserCreate
from trainer.components.markdown import escape
from trainer.i18n import t
from trainer.services import accounts, content_check
from trainer.services.audit import ReasonRequired
from trainer.services.errors import NotFound
from trainer.services.limits import InputTooLong
from trainer.services.rights import PermissionDenied
from trainer import local_time

FLASH = "admin_flash"
CONTENT_REPORT = "admin_content_report"
PROJECT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter: the app caches loaded content for speed, and the check must read
# the files as they are on disk now, exactly like the command line does.
_VALIDATE = """
import dataclasses, json
from trainer.services.content_check import validate_everything
report = validate_everything()
print(json.dumps({"errors": [dataclasses.asdict(e) for e in report.errors], "counts": report.counts}))
"""

user, language = frame.page()
st.title(t("nav.admin", language))


def refuse() -> None:
    st.error(t("admin.refused", language))
    st.stop()


def done(message: str) -> None:
    st.session_state[FLASH] = message
    st.rerun()


def role_label(role: Role | str) -> str:
    return t(f"role.{Role(role).value}", language)


if message := st.session_state.pop(FLASH, None):
    st.success(message)
if skipped := content_check.skipped_scenario_files():
    # Left out so practice goes on for everyone; the content check tab says what is wrong.
    st.warning(t("admin.scenarios_skipped", language, count=len(skipped), files=escape(", ".join(skipped))))

try:
    with session_scope() as session:
        users = accounts.list_users(session=session, actor=user)
        teams = accounts.list_teams(session=session, actor=user)
        members = {team.id: accounts.team_members(session=session, actor=user, team_id=team.id) for team in teams}
except PermissionDenied:
    refuse()

roles = {role_label(role): role for role in Role}
by_email = {u.email: u for u in users}
team_by_name = {team.name: team for team in teams}
teams_of: dict[int, list[str]] = {}
for team in teams:
    for member, is_manager in members[team.id]:  # table cells below: plain text, never Markdown
        teams_of.setdefault(member.id, []).append(
            t("admin.as_manager", language, team=team.name) if is_manager else team.name)  # not Markdown

users_tab, teams_tab, content_tab = st.tabs([t("admin.users", language), t("admin.teams", language), t("admin.content", language)])


def attempt(action, success: str) -> None:
    """Run a service call; show why it failed, or confirm after a rerun."""
    try:
        with session_scope() as session:
            action(session)
    except PermissionDenied:
        refuse()
    except InputTooLong as exc:
        st.error(refusal.too_long(exc, language))
        return
    except ValidationError as invalid:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in invalid.errors())
        st.error(t("admin.invalid", language, problems=problems))
        return
    except (accounts.AccountError, NotFound, ReasonRequired) as failed:
        st.error(t("admin.failed", language, reason=escape(str(failed))))
        return
    done(success)


with users_tab:
    st.dataframe(
        [{
            t("admin.name", language): u.full_name,
            t("admin.email", language): u.email,
            t("admin.role", language): role_label(u.role),
            t("admin.member_of", language): ", ".join(teams_of.get(u.id, [])),
            t("admin.active", language): t("admin.yes" if u.is_active else "admin.no", language),
            t("admin.last_login", language): local_time.date_and_time(u.last_login_at) if u.last_login_at else "",
        } for u in users],
        hide_index=True,
    )

    with st.expander(t("admin.add_user", language)):
        with st.form("add_user", clear_on_submit=False):
            email = st.text_input(t("admin.email", language), key="new_email")
            full_name = st.text_input(t("admin.name", language), key="new_name")
            role = st.selectbox(t("admin.role", language), list(roles), key="new_role")
            user_language = st.selectbox(t("admin.language", language), ["nl", "en"], key="new_language")
            password = st.text_input(t("admin.password", language), type="password", key="new_password")
            no_team = t("admin.no_team", language)
            team_name = st.selectbox(t("admin.team", language), [no_team, *team_by_name], key="new_team")
            as_manager = st.checkbox(t("admin.make_manager", language), key="new_manager")
            add_clicked = st.form_submit_button(t("admin.create", language), type="primary")
        if add_clicked:
            def add(session) -> None:
                accounts.create_user(
                    session=session, actor=user, user_create=UserCreate(
                        email=email, full_name=full_name, role=roles[role], language=user_language, password=password),
                    team_id=team_by_name[team_name].id if team_name != no_team else None, as_manager=as_manager)
            attempt(add, t("admin.created", language, email=escape(email.strip().lower()), role=role))

    with st.expander(t("admin.change_role", language)):
        with st.form("change_role"):
            who = st.selectbox(t("admin.user", language), list(by_email), key="role_user")
            new_role = st.selectbox(t("admin.new_role", language), list(roles), key="role_new")
            reason = st.text_input(t("admin.reason", language), key="role_reason")
            role_clicked = st.form_submit_button(t("admin.save_role", language))
        if role_clicked:
            if not reason.strip():
                st.error(t("admin.reason_needed", language))
            else:
                attempt(lambda session: accounts.set_role(session=session, actor=user, user_id=by_email[who].id,
                                                          role=roles[new_role], reason=reason),
                        t("admin.role_changed", language, email=escape(who), role=new_role))

    with st.expander(t("admin.disable", language)):
        active = [email for email, u in by_email.items() if u.is_active and u.id != user.id]
        with st.form("disable_user"):
            who = st.selectbox(t("admin.user", language), active, key="disable_user_pick")
            reason = st.text_input(t("admin.reason", language), key="disable_reason")
            disable_clicked = st.form_submit_button(t("admin.disable_button", language))
        if disable_clicked and who:
            if not reason.strip():
                st.error(t("admin.reason_needed", language))
            else:
                attempt(lambda session: accounts.disable_user(session=session, actor=user, user_id=by_email[who].id,
                                                              reason=reason),
                        t("admin.disabled", language, email=escape(who)))

with teams_tab:
    if not teams:
        st.info(t("admin.no_teams", language))
    for team in teams:
        with st.expander(t("admin.members_of", language, team=escape(team.name), count=len(members[team.id]))):
            st.dataframe(
                [{
                    t("admin.name", language): member.full_name,
                    t("admin.email", language): member.email,
                    t("admin.role", language): role_label(member.role),
                    t("admin.is_manager", language): t("admin.yes" if is_manager else "admin.no", language),
                } for member, is_manager in members[team.id]],
                hide_index=True,
            )

    left, right = st.columns(2)
    with left.form("add_team"):
        st.markdown(f"**{t('admin.add_team', language)}**")
        new_team = st.text_input(t("admin.team_name", language), key="team_name")
        team_clicked = st.form_submit_button(t("admin.add_team", language))
    if team_clicked:
        attempt(lambda session: accounts.create_team(session=session, actor=user, team_create=TeamCreate(name=new_team)),
                t("admin.team_created", language, name=escape(new_team.strip())))

    with right.form("add_member"):
        st.markdown(f"**{t('admin.add_member', language)}**")
        team_name = st.selectbox(t("admin.team", language), list(team_by_name), key="member_team")
        who = st.selectbox(t("admin.user", language), list(by_email), key="member_user")
        as_manager = st.checkbox(t("admin.make_manager", language), key="member_manager")
        member_clicked = st.form_submit_button(t("admin.add_member", language))
    if member_clicked and team_name and who:
        attempt(lambda session: accounts.add_member(session=session, actor=user, team_id=team_by_name[team_name].id,
                                                    user_id=by_email[who].id, as_manager=as_manager),
                t("admin.member_added", language, email=escape(who), team=escape(team_name)))


def run_content_check() -> dict:
    """`validate_everything()` (what `webcare content validate` runs) in a fresh interpreter, as
    plain data (errors and counts)."""
    try:
        finished = subprocess.run([sys.executable, "-c", _VALIDATE], cwd=PROJECT, capture_output=True, text=True,
                                  timeout=300, check=True)
        return json.loads(finished.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError) as failed:
        stderr = getattr(failed, "stderr", "") or ""
        return {"crashed": (stderr.strip().splitlines() or [str(failed)])[-1]}


def part_label(what: str) -> str:
    """The validator's count names ("scenarios (nl)") in the user's language; unknown ones as they are."""
    found = re.fullmatch(r"(.+?)(?: \((\w\w)\))?", what)
    base, lang = found.group(1), found.group(2)
    try:
        label = t(f"admin.part.{base.replace(' ', '_')}", language)
    except KeyError:
        return what
    return f"{label} ({lang})" if lang else label


with content_tab:
    st.caption(t("admin.content_intro", language))
    if st.button(t("admin.content_run", language), type="primary"):
        with st.spinner(t("admin.content_run", language)):
            st.session_state[CONTENT_REPORT] = run_content_check()
    report = st.session_state.get(CONTENT_REPORT)
    if report is not None:
        if "crashed" in report:
            st.error(t("admin.content_crashed", language, reason=report["crashed"]))
        elif report["errors"]:
            st.error(t("admin.content_errors", language, count=len(report["errors"])))
            st.dataframe(
                [{
                    t("admin.where", language): f"{e['path']}:{e['line']}" if e["line"] else e["path"],
                    t("admin.location", language): e["location"],
                    t("admin.problem", language): e["message"],
                    t("admin.code", language): e["code"],
                } for e in report["errors"]],
                hide_index=True,
            )
        else:
            st.success(t("admin.content_valid", language))
        if report.get("counts"):
            st.dataframe([{t("admin.what", language): part_label(what), t("admin.count", language): count}
                          for what, count in report["counts"].items()], hide_index=True)
