"""The "My account" screen: change one's own password (the only screen after an admin's reset,
until the temporary password is replaced); an admin also resets someone else's password here.
Ready to show: the warning, the password rules, whom an admin may reset, every refusal worded."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from trainer.components.markdown import escape
from trainer.components.refusal import REFUSALS, refused, too_long
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services import accounts, rights
from trainer.services.limits import InputTooLong
from trainer.services.rights import Action, Actor
from trainer.settings import get_settings
from trainer.views.outcome import Outcome


@dataclass(frozen=True)
class AccountScreen:
    must_change: str | None  # the warning after an admin's reset
    password_rules: str
    reset_targets: dict[int, str] | None  # id -> "name <e-mail>" for an admin; None: no reset section


def account_screen(*, session: Session, actor: Actor, language: str) -> AccountScreen:
    targets = None
    if rights.can(actor, Action.manage_users, session=session):
        targets = {u.id: f"{u.full_name} <{u.email}>" for u in accounts.list_users(session=session, actor=actor)
                   if u.id != actor.id}
    return AccountScreen(
        must_change=t("account.must_change", language) if actor.must_change_password else None,
        password_rules=t("account.rules", language, min=get_settings().PASSWORD_MIN_LENGTH),
        reset_targets=targets,
    )


@dataclass(frozen=True)
class PasswordChanged(Outcome):
    reopens: bool = False  # the app was closed until now (a temporary password): rerun it whole


def change_password(*, actor: Actor, language: str, current: str, new: str, repeat: str,
                    keep_token: str | None) -> PasswordChanged:
    """Replace one's own password; other login sessions end, `keep_token`'s stays."""
    if new != repeat:
        return PasswordChanged(False, t("account.mismatch", language))
    try:
        with session_scope() as session:
            accounts.change_password(session=session, actor=actor, current_password=current, new_password=new,
                                     keep_token=keep_token)
    except InputTooLong as exc:
        return PasswordChanged(False, too_long(exc, language))
    except accounts.WeakPassword as weak:
        return PasswordChanged(False, refused(weak, language))
    except accounts.LoginThrottled:
        return PasswordChanged(False, t("account.busy", language))
    except accounts.LoginFailed:
        return PasswordChanged(False, t("account.wrong_current", language))
    return PasswordChanged(True, t("account.changed", language), reopens=bool(actor.must_change_password))


@dataclass(frozen=True)
class PasswordReset(Outcome):
    temporary: str | None = None  # shown once, never stored


def reset_password(*, actor: Actor, language: str, user_id: int, label: str, reason: str) -> PasswordReset:
    """A temporary password for someone else (admins only: the service refuses anyone else)."""
    try:
        with session_scope() as session:
            temporary = accounts.reset_password(session=session, actor=actor, user_id=user_id, reason=reason)
    except InputTooLong as exc:
        return PasswordReset(False, too_long(exc, language))
    except REFUSALS as failed:  # no reason given, an unknown user
        return PasswordReset(False, t("account.reset_refused", language, reason=refused(failed, language)))
    return PasswordReset(True, t("account.reset_done", language, name=escape(label)), temporary=temporary)
