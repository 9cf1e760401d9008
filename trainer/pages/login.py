"""Log in: a local account, or the organisation's single sign-on (OIDC through Streamlit's own
`st.login`, configured in `.streamlit/secrets.toml` under `[auth]`; see docs/configuration.md).

Single sign-on only proves who someone is: the local account with that e-mail decides what
they may do, and without one there is no login. Layout only: trainer.views.login checks and
words every refusal."""

import streamlit as st

from trainer import ui_state
from trainer.components import frame
from trainer.i18n import t
from trainer.views import login as view

_, language = frame.page(public=True)
st.title(t("app.title", language))

if ui_state.sso_configured():
    email = st.user.get("email") if st.user.get("is_logged_in") else None
    if email:
        done = view.log_in_with_identity(language=language, email=email, email_verified=st.user.get("email_verified"))
        if done.refusal:
            st.error(done.refusal)
            st.button(t("app.logout", language), on_click=st.logout)
        else:
            ui_state.log_in(done.token, done.user_language)
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
    done = view.log_in(language=language, email=email, password=password, client=ui_state.client_address())
    if done.refusal:
        st.error(done.refusal)
    else:
        ui_state.log_in(done.token, done.user_language)
        st.rerun()
