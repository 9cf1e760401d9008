"""What a browser session remembers between reruns: its language and its login token.

Only the token is kept in `st.session_state`; who it belongs to is looked up in the database on
every rerun (a revoked, expired or idle login ends at once), in a short-lived session of its own.

A reload starts a new Streamlit session with an empty state, so the token is also kept in a
session cookie (`COOKIE`, SameSite=Strict, Secure over https, expiring with the login): the
new session finds it there. The cookie holds only the random token, whose keyed hash the
database keeps; logging out revokes it there, so every copy of the cookie is dead at once.
The practise page's running conversation is remembered per login in this process, so a reload
lands back in it.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import streamlit as st
import streamlit.components.v1 as components

from trainer.db.engine import session_scope
from trainer.db.models import User
from trainer.services import accounts
from trainer.services.client_address import client_address as resolve_client_address
from trainer.settings import get_settings

TOKEN = "login_token"
LANGUAGE = "ui_language"
COOKIE = "webcare_session"
CLEAR_COOKIE = "clear_session_cookie"


def language() -> str:
    return st.session_state.get(LANGUAGE, "nl")


def set_language(value: str) -> None:
    st.session_state[LANGUAGE] = value


def token() -> str | None:
    """This browser's login token (to keep its session when the password changes)."""
    return st.session_state.get(TOKEN)


def browser_cookie() -> str | None:
    """The session cookie the browser sent when this Streamlit session began (a reload)."""
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no request behind this session (tests, bare mode)
        return None
    return value if isinstance(value, str) and value else None


def client_address() -> str | None:
    """The browser's own address, also behind a load balancer (trainer/services/client_address.py)."""
    try:
        peer, forwarded_for = st.context.ip_address, st.context.headers.get("X-Forwarded-For")
    except Exception:  # noqa: BLE001 - no request behind this session (tests, bare mode)
        return None
    if not isinstance(peer, str) or not isinstance(forwarded_for, str | None):
        return None  # no real connection behind this session (AppTest hands out stand-ins)
    return resolve_client_address(peer, forwarded_for, get_settings().trusted_proxies)


def current_user() -> User | None:
    token = st.session_state.get(TOKEN)
    if not token and not st.session_state.get(CLEAR_COOKIE):
        token = browser_cookie()  # a reload: the new session has only the cookie
    if not token:
        return None
    try:
        with session_scope() as session:
            user = accounts.current_user(session=session, token=token)
    except accounts.SessionExpired:
        st.session_state.pop(TOKEN, None)
        st.session_state[CLEAR_COOKIE] = True
        return None
    st.session_state[TOKEN] = token
    return user


def log_in(token: str, user_language: str | None) -> None:
    st.session_state[TOKEN] = token
    st.session_state.pop(CLEAR_COOKIE, None)
    if user_language in ("nl", "en") and LANGUAGE not in st.session_state:
        st.session_state[LANGUAGE] = user_language


def sync_cookie(hours: float) -> None:
    """Keep the browser's session cookie in step with this session: set while logged in,
    cleared after a log-out or an ended session. Drawn on every run (an unchanged element is
    not redrawn), so the browser gets it whatever run it sees last."""
    token = st.session_state.get(TOKEN)
    if token:
        value, max_age = token, int(hours * 3600)
    elif st.session_state.get(CLEAR_COOKIE):
        value, max_age = "", 0
    else:
        return
    # The token is URL-safe base64: nothing in it needs escaping inside the cookie or the script.
    cookie = json.dumps(f"{COOKIE}={value}; Max-Age={max_age}; Path=/; SameSite=Strict")
    components.html(
        f"<script>document.cookie = {cookie} + (location.protocol === 'https:' ? '; Secure' : '');</script>",
        height=0,
    )


def sso_configured() -> bool:
    """Whether single sign-on is set up (an `[auth]` section in the app's secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all is the usual case
        return False


def log_out() -> None:
    token = st.session_state.pop(TOKEN, None)
    st.session_state[CLEAR_COOKIE] = True
    if token:
        with session_scope() as session:
            accounts.logout(session=session, token=token)
    if sso_configured() and st.user.get("is_logged_in"):
        st.logout()  # or the provider's cookie logs them straight back in




@st.cache_resource
def _conversations() -> tuple[threading.Lock, dict[str, dict]]:
    return threading.Lock(), {}


def remember_practice(state: dict | None) -> None:
    """This login's running practice conversation (None: it ended), for a reload to find. Kept
    per login token: a reload keeps the token, another login (or another user) does not."""
    token = st.session_state.get(TOKEN)
    if not token:
        return
    lock, running = _conversations()
    with lock:
        if state is None:
            running.pop(token, None)
        else:
            running[token] = state


def remembered_practice() -> dict | None:
    token = st.session_state.get(TOKEN)
    lock, running = _conversations()
    with lock:
        return running.get(token) if token else None


DRAFTS = "reply_drafts"


def drafted_text_area(label: str, *, key: str, **options) -> str:
    """A reply box whose text survives a visit to another page (the knowledge base): Streamlit
    forgets a widget's value once a run leaves it out, so the draft is kept beside it too.
    `key` names one turn of one conversation, so a draft never turns up in another."""
    drafts = st.session_state.setdefault(DRAFTS, {})
    if key not in st.session_state and key in drafts:
        st.session_state[key] = drafts[key]
    text = st.text_area(label, key=key, **options)
    drafts[key] = text
    return text


def keep_drafts() -> None:
    """First thing in every run, before the database is asked anything: each reply box's newest
    text (the browser sends it with the click on Send) goes to the drafts. A run that fails before
    its page draws the box (the database is down at the login check) would otherwise end with
    Streamlit dropping the box's value and the browser its text; the next run restores it."""
    drafts = st.session_state.get(DRAFTS)
    for key in drafts or ():
        if key in st.session_state:
            drafts[key] = st.session_state[key]


def resumed_state(saved: dict | None, resume: Callable[[], Any], keep: Callable[[dict], None], marker: str) -> dict | None:
    """A page's saved exercise state, else the unfinished attempt its service brings back
    (`resume()`, stored through `keep`; its attempt id under `marker`, so the page can say so)."""
    if saved is not None:
        return saved
    back = resume()
    if back is None:
        return None
    state = back.model_dump(mode="json")
    keep(state)
    st.session_state[marker] = back.attempt_id
    return state
