"""Score any reply outside a scenario: quick practice for one message."""

import streamlit as st

from scoring import ReplyRejected
from scoring.config import media_catalogue
from trainer import resources
from trainer.components import frame, refusal, scorecard
from trainer.i18n import t
from trainer.services import quick_score

_, language = frame.page()
checker = resources.grammar_checker()
media = media_catalogue().media

st.title(t("nav.score", language))
with st.form("score"):
    medium = st.selectbox(t("quick.medium", language), list(media), format_func=lambda m: media[m].name(language))
    customer = st.text_area(t("quick.customer", language), t("quick.customer_example", language))
    customer_name = st.text_input(t("quick.customer_name", language), "Sanne de Vries")
    reply = st.text_area(t("quick.reply", language), height=140)
    seconds = st.number_input(t("quick.seconds", language), min_value=0, value=60)
    submitted = st.form_submit_button(t("quick.submit", language), type="primary")

if submitted:
    try:
        card = quick_score.score(language=language, medium=medium, customer=customer, customer_name=customer_name,
                                 reply=reply, seconds=seconds, checker=checker)
    except ReplyRejected as exc:  # too long for the form, empty, not scorable
        st.error(refusal.refused(exc, language))
    else:
        scorecard.render(reply, card, language=language)
