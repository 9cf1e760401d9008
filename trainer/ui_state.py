"""What a browser session remembers between reruns: its language and its login token.

Only the token is kept in `st.session_state`; who it belongs to is looked up in the database on
every rerun (a revoked or expired login ends at once), in a short-lived session of its own.
"""

from __future__ import annotations

import streamlit as st

from trainer.db.engine import session_scope
from trainer.db.models import User
from trainer.services import accounts

TOKEN = "login_token"
LANGUAGE = "ui_language"


def language() -> str:
    return st.session_state.get(LANGUAGE, "nl")


def set_language(value: str) -> None:
    st.session_state[LANGUAGE] = value


def token() -> str | None:
    """This browser's login token (to keep its session when the password changes)."""
    return st.session_state.get(TOKEN)


def current_user() -> User | None:
    token = st.session_state.get(TOKEN)
    if not token:
        return None
    try:
        with session_scope() as session:
            return accounts.current_user(session=session, token=token)
    except accounts.SessionExpired:
        st.session_state.pop(TOKEN, None)
        return None


def log_in(token: str, user_language: str | None) -> None:
    st.session_state[TOKEN] = token
    if user_language in ("nl", "en") and LANGUAGE not in st.session_state:
        st.session_state[LANGUAGE] = user_language


def sso_configured() -> bool:
    """Whether single sign-on is set up (an `[auth]` section in the app's secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all is the usual case
        return False


def log_out() -> None:
    token = st.session_state.pop(TOKEN, None)
    if token:
        with session_scope() as session:
            accounts.logout(session=session, token=token)
    if sso_configured() and st.user.get("is_logged_in"):
        st.logout()  # or the provider's cookie logs them straight back in


