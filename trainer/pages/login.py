"""Log in: a local account, or the organisation's single sign-on (OIDC through Streamlit's own
`st.login`, configured in `.streamlit/secrets.toml` under `[auth]`; see docs/configuration.md).

Single sign-on only proves who someone is: the local account with that e-mail decides what
they may do, and without one there is no login."""

import streamlit as st

from trainer import ui_state
from trainer.components import frame, refusal
from trainer.components.markdown import escape
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services import accounts
from trainer.services.limits import InputTooLong
from trainer import local_time

_, language = frame.page(public=True)
st.title(t("app.title", language))

if ui_state.sso_configured():
    email = st.user.get("email") if st.user.get("is_logged_in") else None
    if email:
        try:
            with session_scope() as session:
                result = accounts.login_with_identity(session=session, email=email,
                                                      email_verified=st.user.get("email_verified"))
        except accounts.UnverifiedIdentity:
            st.error(t("login.sso_unverified", language, email=escape(email)))
            st.button(t("app.logout", language), on_click=st.logout)
        except accounts.LoginFailed:
            st.error(t("login.sso_no_account", language, email=escape(email)))
            st.button(t("app.logout", language), on_click=st.logout)
        else:
            ui_state.log_in(result.token, result.user.language)
            st.rerun()
    else:
        st.button(t("login.sso", language), type="primary", on_click=st.login)
    st.caption(t("login.or_local", language))
else:
    st.caption(t("login.intro", language))

with st.form("login"):
    email = st.text_input(t("login.email", language), autocomplete="username")
    password = st.text_input(t("login.password", language), type="password", autocomplete="current-password")
    submitted = st.form_submit_button(t("login.submit", language), type="primary")

if submitted:
    try:
        with session_scope() as session:
            result = accounts.login(session=session, email=email, password=password, client=ui_state.client_address())
    except InputTooLong as exc:  # refused before anything is counted or checked
        st.error(refusal.too_long(exc, language))
    except accounts.DemoAccountRefused:
        st.error(t("login.demo_refused", language))
    except accounts.LoginThrottled as exc:
        st.error(t("login.throttled", language, until=local_time.clock(exc.until)))
    except accounts.LoginFailed:
        st.error(t("login.failed", language))
    else:
        ui_state.log_in(result.token, result.user.language)
        st.rerun()
