"""Te doen: the work the trainee's dialogue manager set them, with due dates. Layout only."""

from __future__ import annotations

import streamlit as st

from trainer.components import frame
from trainer.components.markdown import escape
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.views import assignments as assignments_view

user, language = frame.page()
st.title(t("nav.todo", language))
st.caption(t("assignments.todo_intro", language))

with session_scope() as session:
    rows = assignments_view.todo_screen(session=session, actor=user, language=language)

if not rows:
    st.info(t("assignments.todo_empty", language))
for row in rows:
    text, action = st.columns([5, 1], vertical_alignment="center")
    text.markdown(f"{row.standing} · **{escape(row.work)}** · {t('assignments.due', language, due=row.due)}")
    if row.practise:
        action.page_link("pages/practise.py", label=t("assignments.practise_now", language), icon="💬",
                         query_params=row.practise)
    elif row.typing:
        action.page_link("pages/typing.py", label=t("assignments.typing_now", language), icon="⌨️")
