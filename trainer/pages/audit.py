"""Audit log (admins): every recorded change and event, filtered by action, actor and days,
newest first, and the same selection as CSV. Layout only: trainer.views.audit prepares it; anyone
but an admin sees a polite refusal."""

from __future__ import annotations

from functools import partial

import streamlit as st

from trainer.components import frame
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services.rights import PermissionDenied
from trainer.views import audit as view

user, language = frame.page()
st.title(t("nav.audit", language))

# The picks are read before the widgets are drawn: the screen brings the actions to pick from.
try:
    with session_scope() as session:
        screen = view.audit_screen(session=session, actor=user, language=language,
                                   action=st.session_state.get("audit_action"),
                                   actor_text=st.session_state.get("audit_actor"),
                                   since=st.session_state.get("audit_since"), until=st.session_state.get("audit_until"))
except PermissionDenied:
    st.error(t("audit.refused", language))
    st.stop()

st.caption(t("audit.intro", language))
left, middle, since_column, until_column = st.columns([2, 2, 1, 1])
left.selectbox(t("audit.action", language), ["", *screen.actions], key="audit_action",
               format_func=lambda a: a or t("audit.all", language))
middle.text_input(t("audit.actor", language), key="audit_actor")
since_column.date_input(t("audit.since", language), value=None, key="audit_since", format="DD-MM-YYYY")
until_column.date_input(t("audit.until", language), value=None, key="audit_until", format="DD-MM-YYYY")

if not screen.rows:
    st.info(t("audit.none", language))
else:
    st.dataframe(screen.rows, hide_index=True)
    if screen.more:
        st.caption(screen.more)
st.download_button(t("audit.download", language), data=partial(view.audit_csv, actor=user, filters=screen.filters),
                   mime="text/csv", file_name=screen.file_name, on_click="ignore", key="audit_csv")
