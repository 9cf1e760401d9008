"""Check a certificate: public, no login. A code typed in, or brought along by the link and QR
code on the certificate (`/verify?code=...`). Layout only: `trainer.views.verify` answers."""

from __future__ import annotations

import streamlit as st

from trainer import ui_state
from trainer.components import frame
from trainer.i18n import t
from trainer.views import verify as verify_view

_, language = frame.page(public=True)
st.title(t("nav.verify", language))
st.caption(t("verify.intro", language))

code = st.query_params.get("code", "")
if "verify_code" not in st.session_state:  # a link's code fills the box once; then it is the visitor's
    st.session_state["verify_code"] = code[:40]
with st.form("verify"):
    typed = st.text_input(t("verify.code", language), key="verify_code", max_chars=40,
                          help=t("verify.code_help", language), placeholder="WT-ABCD-EFGH-JKLM")
    if st.form_submit_button(t("verify.submit", language), type="primary"):
        code = typed.strip()
        st.query_params["code"] = code  # the address bar now holds a link to this very answer

result = verify_view.check(code=code, client=ui_state.client_address(), language=language)
if result is not None:
    show = {"valid": st.success, "expired": st.warning, "revoked": st.error, "not_found": st.info,
            "throttled": st.error}[result.kind]
    show(result.message)
    with st.container(border=True):
        for label, value in result.rows:
            st.markdown(f"**{label}:** {value}")
