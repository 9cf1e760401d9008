"""Log in with a local account."""

import streamlit as st

from trainer import ui_state
from trainer.components import frame
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services import accounts

_, language = frame.page(public=True)
st.title(t("app.title", language))
st.caption(t("login.intro", language))

with st.form("login"):
    email = st.text_input(t("login.email", language), autocomplete="username")
    password = st.text_input(t("login.password", language), type="password", autocomplete="current-password")
    submitted = st.form_submit_button(t("login.submit", language), type="primary")

if submitted:
    try:
        with session_scope() as session:
            result = accounts.login(session=session, email=email, password=password)
    except accounts.LoginThrottled as exc:
        st.error(t("login.throttled", language, until=exc.until.strftime("%H:%M")))
    except accounts.LoginFailed:
        st.error(t("login.failed", language))
    else:
        ui_state.log_in(result.token, result.user.language)
        st.rerun()
