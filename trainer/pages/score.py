"""Score any reply outside a scenario: quick practice for one message. Layout only:
trainer.views.score prepares the form and scores the reply."""

import streamlit as st

from trainer import resources
from trainer.components import frame, scorecard
from trainer.i18n import t
from trainer.views import score as view

_, language = frame.page()
checker = resources.grammar_checker()
form = view.score_form(language)

st.title(t("nav.score", language))
with st.form("score"):
    medium = st.selectbox(t("quick.medium", language), list(form.media), format_func=form.media.get)
    customer = st.text_area(t("quick.customer", language), form.customer)
    customer_name = st.text_input(t("quick.customer_name", language), form.customer_name)
    reply = st.text_area(t("quick.reply", language), height=140)
    seconds = st.number_input(t("quick.seconds", language), min_value=0, value=60)
    submitted = st.form_submit_button(t("quick.submit", language), type="primary")

if submitted:
    done = view.score(language=language, medium=medium, customer=customer, customer_name=customer_name,
                      reply=reply, seconds=seconds, checker=checker)
    if done.refusal:
        st.error(done.refusal)
    else:
        scorecard.render(reply, done.card, language=language)
