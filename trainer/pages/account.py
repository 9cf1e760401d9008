"""My account: change your own password (the only page after an admin's reset, until the
temporary password is replaced); an admin also resets someone else's password here."""

import streamlit as st

from trainer import ui_state
from trainer.components import frame, refusal
from trainer.components.markdown import escape
from trainer.db.engine import session_scope
from trainer.db.models import Role
from trainer.i18n import t
from trainer.services import accounts
from trainer.services.limits import InputTooLong
from trainer.settings import get_settings

user, language = frame.page()
st.title(t("nav.account", language))
if user.must_change_password:
    st.warning(t("account.must_change", language))

st.subheader(t("account.change_title", language), anchor=False)
with st.form("change_password", clear_on_submit=True):
    current = st.text_input(t("account.current", language), type="password", autocomplete="current-password")
    new = st.text_input(t("account.new", language), type="password", autocomplete="new-password",
                        help=t("account.rules", language, min=get_settings().PASSWORD_MIN_LENGTH))
    repeat = st.text_input(t("account.repeat", language), type="password", autocomplete="new-password")
    submitted = st.form_submit_button(t("account.change", language), type="primary")
if submitted:
    if new != repeat:
        st.error(t("account.mismatch", language))
    else:
        try:
            with session_scope() as session:
                accounts.change_password(session=session, actor=user, current_password=current, new_password=new,
                                         keep_token=ui_state.token())
        except InputTooLong as exc:
            st.error(refusal.too_long(exc, language))
        except accounts.WeakPassword as weak:
            st.error(t(f"account.{weak.problem}", language, min=get_settings().PASSWORD_MIN_LENGTH))
        except accounts.LoginThrottled:
            st.error(t("account.busy", language))
        except accounts.LoginFailed:
            st.error(t("account.wrong_current", language))
        else:
            if user.must_change_password:
                st.rerun()  # the whole app opens up again
            st.success(t("account.changed", language))

if Role(user.role) is Role.admin:
    st.subheader(t("account.reset_title", language), anchor=False)
    st.caption(t("account.reset_intro", language))
    with session_scope() as session:
        others = [u for u in accounts.list_users(session=session, actor=user) if u.id != user.id]
    labels = {u.id: f"{u.full_name} <{u.email}>" for u in others}
    with st.form("reset_password", clear_on_submit=True):
        chosen = st.selectbox(t("account.reset_user", language), list(labels), key="reset_user",
                              format_func=lambda key: labels.get(key, key))
        reason = st.text_input(t("account.reset_reason", language))
        reset = st.form_submit_button(t("account.reset_button", language))
    if reset and chosen is not None:
        try:
            with session_scope() as session:
                temporary = accounts.reset_password(session=session, actor=user, user_id=chosen, reason=reason)
        except InputTooLong as exc:
            st.error(refusal.too_long(exc, language))
        except ValueError as refused:  # no reason given
            st.error(t("account.reset_refused", language, reason=str(refused)))
        else:
            st.success(t("account.reset_done", language, name=escape(labels[chosen])))
            st.code(temporary, language=None)
