"""Webcare Trainer, first screen: score a reply. (The full practice app grows from here.)"""

from __future__ import annotations

import streamlit as st

from scoring import ReplyContext, ReplyRejected, score_reply
from scoring.config import media_catalogue
from trainer import resources
from trainer.components import scorecard
from trainer.i18n import t

st.set_page_config(page_title="Webcare Trainer", page_icon="💬", layout="wide")
resources.warm_pipelines()
checker = resources.grammar_checker()

language = st.sidebar.radio("Taal / Language", ["nl", "en"], horizontal=True)
st.title(t("app.title", language))
source = checker.source()
if source.startswith("off"):
    st.sidebar.error(t("grammar.off", language, reason=source.removeprefix("off: ")))
else:
    st.sidebar.caption(t("grammar.on", language, source=source))

media = media_catalogue().media
with st.form("score"):
    medium = st.selectbox(t("quick.medium", language), list(media), format_func=lambda m: media[m].name(language))
    customer = st.text_area(t("quick.customer", language),
                            "@SkyNL Mijn vlucht naar Rome is geannuleerd en niemand neemt op. Schandalig!")
    customer_name = st.text_input(t("quick.customer_name", language), "Sanne de Vries")
    reply = st.text_area(t("quick.reply", language), height=140)
    seconds = st.number_input(t("quick.seconds", language), min_value=0, value=60)
    submitted = st.form_submit_button(t("quick.submit", language))

if submitted:
    context = ReplyContext(language=language, medium=medium, customer_messages=[customer] if customer else [],
                           customer_name=customer_name or None, seconds_to_reply=seconds)
    try:
        card = score_reply(reply, context, checker=checker)
    except ReplyRejected as exc:
        st.error(str(exc))
    else:
        scorecard.render(reply, card, language=language)
