"""My account: change your own password (the only page after an admin's reset, until the
temporary password is replaced); an admin also resets someone else's password here. Layout
only: trainer.views.account prepares it and words every outcome."""

import streamlit as st

from trainer import ui_state
from trainer.components import frame
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.views import account as view

user, language = frame.page()
st.title(t("nav.account", language))
with session_scope() as session:
    screen = view.account_screen(session=session, actor=user, language=language)
if screen.must_change:
    st.warning(screen.must_change)

st.subheader(t("account.change_title", language), anchor=False)
with st.form("change_password", clear_on_submit=True):
    current = st.text_input(t("account.current", language), type="password", autocomplete="current-password")
    new = st.text_input(t("account.new", language), type="password", autocomplete="new-password",
                        help=screen.password_rules)
    repeat = st.text_input(t("account.repeat", language), type="password", autocomplete="new-password")
    submitted = st.form_submit_button(t("account.change", language), type="primary")
if submitted:
    changed = view.change_password(actor=user, language=language, current=current, new=new, repeat=repeat,
                                   keep_token=ui_state.token())
    if not changed.saved:
        st.error(changed.message)
    elif changed.reopens:
        st.rerun()  # the whole app opens up again
    else:
        st.success(changed.message)

if screen.reset_targets is not None:
    labels = screen.reset_targets
    st.subheader(t("account.reset_title", language), anchor=False)
    st.caption(t("account.reset_intro", language))
    with st.form("reset_password", clear_on_submit=True):
        chosen = st.selectbox(t("account.reset_user", language), list(labels), key="reset_user",
                              format_func=lambda key: labels.get(key, key))
        reason = st.text_input(t("account.reset_reason", language))
        reset = st.form_submit_button(t("account.reset_button", language))
    if reset and chosen is not None:
        done = view.reset_password(actor=user, language=language, user_id=chosen, label=labels[chosen], reason=reason)
        if not done.saved:
            st.error(done.message)
        else:
            st.success(done.message)
            st.code(done.temporary, language=None)
