"""The login screen: a local account's e-mail and password, or an identity the organisation's
single sign-on vouched for (the local account with that e-mail decides what they may do).
Ready to show: the token to keep, or why there is none, worded."""

from __future__ import annotations

from dataclasses import dataclass

from trainer import local_time
from trainer.components.markdown import escape
from trainer.components.refusal import too_long
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services import accounts
from trainer.services.limits import InputTooLong


@dataclass(frozen=True)
class Login:
    refusal: str | None = None  # why nobody is logged in; None: logged in
    token: str | None = None  # for the browser's session, never stored as such
    user_language: str | None = None  # the account's own language, the screen's from now on


def _logged_in(result: accounts.LoginResult) -> Login:
    return Login(token=result.token, user_language=result.user.language)


def log_in(*, language: str, email: str, password: str, client: str | None) -> Login:
    """Check e-mail and password (`client`: the browser's address, for the lock-outs)."""
    try:
        with session_scope() as session:
            result = accounts.login(session=session, email=email, password=password, client=client)
    except InputTooLong as exc:  # refused before anything is counted or checked
        return Login(refusal=too_long(exc, language))
    except accounts.DemoAccountRefused:
        return Login(refusal=t("login.demo_refused", language))
    except accounts.LoginThrottled as exc:
        return Login(refusal=t("login.throttled", language, until=local_time.clock(exc.until)))
    except accounts.LoginFailed:
        return Login(refusal=t("login.failed", language))
    return _logged_in(result)


def log_in_with_identity(*, language: str, email: str, email_verified: object) -> Login:
    """Single sign-on: only a verified e-mail of an active local account logs in; a refusal
    names the e-mail (escaped: the provider's claim is not ours)."""
    try:
        with session_scope() as session:
            result = accounts.login_with_identity(session=session, email=email, email_verified=email_verified)
    except accounts.UnverifiedIdentity:
        return Login(refusal=t("login.sso_unverified", language, email=escape(email)))
    except accounts.LoginFailed:
        return Login(refusal=t("login.sso_no_account", language, email=escape(email)))
    return _logged_in(result)
