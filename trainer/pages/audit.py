"""Audit log (admins): every recorded change and event, filtered by action, actor and days,
newest first, and the same selection as CSV. The audit service checks the rights and does the
filtering; anyone but an admin sees a polite refusal."""

from __future__ import annotations

from functools import partial

import streamlit as st

from trainer.components import frame
from trainer.db.engine import session_scope
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services import audit
from trainer.services.rights import PermissionDenied

SHOWN = 500  # the newest entries on screen; the CSV holds the whole selection

user, language = frame.page()
st.title(t("nav.audit", language))


def csv_bytes(filters: dict) -> bytes:
    with session_scope() as session:
        return audit.entries_csv(session=session, actor=user, **filters).encode("utf-8")


try:
    with session_scope() as session:
        actions = audit.known_actions(session=session, actor=user)
except PermissionDenied:
    st.error(t("audit.refused", language))
    st.stop()

st.caption(t("audit.intro", language))
left, middle, since_column, until_column = st.columns([2, 2, 1, 1])
action = left.selectbox(t("audit.action", language), ["", *actions], key="audit_action",
                        format_func=lambda a: a or t("audit.all", language))
actor = middle.text_input(t("audit.actor", language), key="audit_actor")
since = since_column.date_input(t("audit.since", language), value=None, key="audit_since", format="DD-MM-YYYY")
until = until_column.date_input(t("audit.until", language), value=None, key="audit_until", format="DD-MM-YYYY")
filters = audit.viewer_filters(action=action, actor=actor, since_day=since, until_day=until)

with session_scope() as session:
    entries = audit.list_entries(session=session, actor=user, limit=SHOWN, **filters)

if not entries:
    st.info(t("audit.none", language))
else:
    labels = [t(f"audit.column_{column}", language) for column in audit.CSV_COLUMNS]
    st.dataframe([dict(zip(labels, audit.entry_row(e), strict=True)) for e in entries], hide_index=True)
    if len(entries) == SHOWN:
        st.caption(t("audit.more", language, count=SHOWN))
st.download_button(t("audit.download", language), data=partial(csv_bytes, filters), mime="text/csv",
                   file_name=f"audit-{utcnow():%Y%m%d-%H%M}.csv", on_click="ignore", key="audit_csv")
