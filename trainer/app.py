"""Webcare Trainer, first screen: score a reply. (The full practice app grows from here.)"""

from __future__ import annotations

import streamlit as st

from scoring import ReplyContext, ReplyRejected, score_reply
from scoring.config import media_catalogue
from trainer import resources
from trainer.components import scorecard

st.set_page_config(page_title="Webcare Trainer", page_icon="💬", layout="wide")
resources.warm_pipelines()
checker = resources.grammar_checker()

language = st.sidebar.radio("Taal / Language", ["nl", "en"], horizontal=True)
nl = language == "nl"
st.title("Webcare Trainer")
source = checker.source()
if source.startswith("off"):
    st.sidebar.error(("Spelling- en grammaticacontrole staat uit: " if nl else "Grammar checking is off: ") + source[5:])
else:
    st.sidebar.caption(f"LanguageTool: {source}")

media = media_catalogue().media
with st.form("score"):
    medium = st.selectbox("Medium", list(media), format_func=lambda m: media[m].name(language))
    customer = st.text_area("Bericht van de klant" if nl else "Customer message",
                            "@SkyNL Mijn vlucht naar Rome is geannuleerd en niemand neemt op. Schandalig!")
    customer_name = st.text_input("Naam klant" if nl else "Customer name", "Sanne de Vries")
    reply = st.text_area("Jouw antwoord" if nl else "Your reply", height=140)
    seconds = st.number_input("Seconden tot verzenden" if nl else "Seconds to send", min_value=0, value=60)
    submitted = st.form_submit_button("Beoordeel" if nl else "Score")

if submitted:
    context = ReplyContext(language=language, medium=medium, customer_messages=[customer] if customer else [],
                           customer_name=customer_name or None, seconds_to_reply=seconds)
    try:
        card = score_reply(reply, context, checker=checker)
    except ReplyRejected as exc:
        st.error(str(exc))
    else:
        scorecard.render(reply, card, language=language)
