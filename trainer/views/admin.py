"""The admin screen: users (list, add with role and team, change role with a reason, disable),
teams (add, add members and managers) and the content check (the same validation as
`webcare content validate`) as a list of errors with file and line. Ready to show: roles, teams
and yes/no by name, table rows under translated headers, every confirmation and refusal worded.

Only admins get past `admin_screen`: the services refuse anyone else with PermissionDenied, and
so do the changes here. Choices are offered by label (e-mail addresses, team names, role names)
and mapped back to ids here, so a choice is unambiguous and tests can pick by label.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError
from sqlmodel import Session

from trainer import local_time
from trainer.components.markdown import escape
from trainer.components.refusal import REFUSALS, invalid, refused, too_long
from trainer.db.engine import session_scope
from trainer.db.models import Role, Team, TeamCreate, User, UserCreate
from trainer.i18n import t
from trainer.services import accounts, content_check
from trainer.services.limits import InputTooLong
from trainer.services.rights import Actor
from trainer.views.outcome import Outcome

PROJECT = Path(__file__).resolve().parents[2]
LANGUAGES = ("nl", "en")  # a new user's language

# Run in a fresh interpreter: the app caches loaded content for speed, and the check must read
# the files as they are on disk now, exactly like the command line does.
_VALIDATE = """
import dataclasses, json
from trainer.services.content_check import validate_everything
report = validate_everything()
print(json.dumps({"errors": [dataclasses.asdict(e) for e in report.errors], "counts": report.counts}))
"""


def role_label(role: Role | str, language: str) -> str:
    return t(f"role.{Role(role).value}", language)


def _yes_no(value: bool, language: str) -> str:
    return t("admin.yes" if value else "admin.no", language)


@dataclass(frozen=True)
class TeamCard:
    id: int
    name: str
    label: str  # the expander's: name (escaped) and number of members
    members: list[dict[str, object]]  # under translated headers


@dataclass(frozen=True)
class AdminScreen:
    skipped: str | None  # which broken scenario files practice leaves out, if any
    users: list[dict[str, object]]  # under translated headers
    roles: dict[str, Role]  # label -> role
    emails: dict[str, int]  # every user's e-mail address -> id
    may_disable: list[str]  # active users' addresses, the actor's own left out
    teams: dict[str, int]  # name -> id (names are unique)
    team_cards: list[TeamCard]
    no_team: str  # the "no team" choice when adding a user
    languages: tuple[str, ...]


def admin_screen(*, session: Session, actor: Actor, language: str) -> AdminScreen:
    """Everything the admin screen lists; PermissionDenied for anyone but an admin."""
    users = accounts.list_users(session=session, actor=actor)
    teams = accounts.list_teams(session=session, actor=actor)
    members = {team.id: accounts.team_members(session=session, actor=actor, team_id=team.id) for team in teams}
    teams_of: dict[int, list[str]] = {}
    for team in teams:
        for member, is_manager in members[team.id]:  # table cells: plain text, never Markdown
            teams_of.setdefault(member.id, []).append(
                t("admin.as_manager", language, team=team.name) if is_manager else team.name)  # not Markdown
    skipped = content_check.skipped_scenario_files()
    return AdminScreen(
        skipped=t("admin.scenarios_skipped", language, count=len(skipped), files=escape(", ".join(skipped)))
        if skipped else None,
        users=[{
            t("admin.name", language): u.full_name,
            t("admin.email", language): u.email,
            t("admin.role", language): role_label(u.role, language),
            t("admin.member_of", language): ", ".join(teams_of.get(u.id, [])),
            t("admin.active", language): _yes_no(u.is_active, language),
            t("admin.last_login", language): local_time.date_and_time(u.last_login_at) if u.last_login_at else "",
        } for u in users],
        roles={role_label(role, language): role for role in Role},
        emails={u.email: u.id for u in users},
        may_disable=[u.email for u in users if u.is_active and u.id != actor.id],
        teams={team.name: team.id for team in teams},
        team_cards=[TeamCard(
            id=team.id, name=team.name,
            label=t("admin.members_of", language, team=escape(team.name), count=len(members[team.id])),
            members=[{
                t("admin.name", language): member.full_name,
                t("admin.email", language): member.email,
                t("admin.role", language): role_label(member.role, language),
                t("admin.is_manager", language): _yes_no(is_manager, language),
            } for member, is_manager in members[team.id]],
        ) for team in teams],
        no_team=t("admin.no_team", language),
        languages=LANGUAGES,
    )


# --- changes ----------------------------------------------------------------------------------

def _attempt(action: Callable[[Session], str], language: str) -> Outcome:
    """Run one change in its own session; its confirmation, or why it failed (rolled back).
    PermissionDenied is not caught: the screen refuses as a whole."""
    try:
        with session_scope() as session:
            message = action(session)
    except InputTooLong as exc:
        return Outcome(False, too_long(exc, language))
    except ValidationError as wrong:
        return Outcome(False, t("admin.invalid", language, problems=invalid(wrong, language)))
    except REFUSALS as failed:  # a taken e-mail address, no reason given, an unknown user...
        return Outcome(False, t("admin.failed", language, reason=refused(failed, language)))
    return Outcome(True, message)


def add_user(*, actor: Actor, language: str, email: str, full_name: str, role: Role, user_language: str,
             password: str, team_id: int | None, as_manager: bool) -> Outcome:
    def add(session: Session) -> str:
        created = accounts.create_user(
            session=session, actor=actor, user_create=UserCreate(
                email=email, full_name=full_name, role=role, language=user_language, password=password),
            team_id=team_id, as_manager=as_manager)
        return t("admin.created", language, email=escape(created.email), role=role_label(role, language))
    return _attempt(add, language)


def set_role(*, actor: Actor, language: str, user_id: int, role: Role, reason: str) -> Outcome:
    if not reason.strip():
        return Outcome(False, t("admin.reason_needed", language))

    def change(session: Session) -> str:
        changed = accounts.set_role(session=session, actor=actor, user_id=user_id, role=role, reason=reason)
        return t("admin.role_changed", language, email=escape(changed.email), role=role_label(role, language))
    return _attempt(change, language)


def disable(*, actor: Actor, language: str, user_id: int, reason: str) -> Outcome:
    if not reason.strip():
        return Outcome(False, t("admin.reason_needed", language))

    def block(session: Session) -> str:
        blocked = accounts.disable_user(session=session, actor=actor, user_id=user_id, reason=reason)
        return t("admin.disabled", language, email=escape(blocked.email))
    return _attempt(block, language)


def add_team(*, actor: Actor, language: str, name: str) -> Outcome:
    def add(session: Session) -> str:
        team = accounts.create_team(session=session, actor=actor, team_create=TeamCreate(name=name))
        return t("admin.team_created", language, name=escape(team.name))
    return _attempt(add, language)


def add_member(*, actor: Actor, language: str, team_id: int, user_id: int, as_manager: bool) -> Outcome:
    def add(session: Session) -> str:
        accounts.add_member(session=session, actor=actor, team_id=team_id, user_id=user_id, as_manager=as_manager)
        member, team = session.get(User, user_id), session.get(Team, team_id)
        return t("admin.member_added", language, email=escape(member.email), team=escape(team.name))
    return _attempt(add, language)


# --- the content check ------------------------------------------------------------------------

def run_content_check() -> dict:
    """`validate_everything()` (what `webcare content validate` runs) in a fresh interpreter, as
    plain data (errors and counts) the screen can keep between reruns; {"crashed": why} if it
    could not run."""
    try:
        finished = subprocess.run([sys.executable, "-c", _VALIDATE], cwd=PROJECT, capture_output=True, text=True,
                                  timeout=300, check=True)
        return json.loads(finished.stdout.strip().splitlines()[-1])
    except (subprocess.SubprocessError, ValueError, IndexError) as failed:
        stderr = getattr(failed, "stderr", "") or ""
        return {"crashed": (stderr.strip().splitlines() or [str(failed)])[-1]}


def part_label(what: str, language: str) -> str:
    """The validator's count names ("scenarios (nl)") in the user's language; unknown ones as they are."""
    found = re.fullmatch(r"(.+?)(?: \((\w\w)\))?", what)
    base, lang = found.group(1), found.group(2)
    try:
        label = t(f"admin.part.{base.replace(' ', '_')}", language)
    except KeyError:
        return what
    return f"{label} ({lang})" if lang else label


@dataclass(frozen=True)
class ContentReport:
    error: str | None  # the check crashed, or found errors
    success: str | None  # everything is in order
    errors: list[dict[str, object]]  # per error, under translated headers
    counts: list[dict[str, object]]  # what was checked, by name


def content_report(report: dict, language: str) -> ContentReport:
    """`run_content_check()`'s result, worded and tabled for the screen."""
    if "crashed" in report:
        return ContentReport(t("admin.content_crashed", language, reason=report["crashed"]), None, [], [])
    errors = report["errors"]
    return ContentReport(
        error=t("admin.content_errors", language, count=len(errors)) if errors else None,
        success=None if errors else t("admin.content_valid", language),
        errors=[{
            t("admin.where", language): f"{e['path']}:{e['line']}" if e["line"] else e["path"],
            t("admin.location", language): e["location"],
            t("admin.problem", language): e["message"],
            t("admin.code", language): e["code"],
        } for e in errors],
        counts=[{t("admin.what", language): part_label(what, language), t("admin.count", language): count}
                for what, count in (report.get("counts") or {}).items()],
    )
