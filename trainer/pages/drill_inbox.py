"""The shared inbox of a group drill, for the team's trainees: every waiting customer across
media, most urgent first, with SLA timer and state; claim, reply, label, hand over, release.

The inbox and the open conversation refresh by themselves (`st.fragment(run_every=...)`); the
reply box sits outside those fragments, so what a trainee is typing survives every refresh.
All state is in the database; the page keeps only the open conversation's id. Layout only: the
data and every change come from trainer.views.drill_inbox.
"""

from __future__ import annotations

import uuid

import streamlit as st

from trainer import resources, ui_state
from trainer.components import drill_desk, frame
from trainer.components.markdown import escape
from trainer.i18n import t
from trainer.views import drill_inbox as screen

REFRESH_SECONDS = 3
OPEN = "drill_open_conversation"
RUN = "drill_inbox_run"
SUBMISSION = "drill_submission_id"  # one id per reply text, so a double click stores it once
LAST_RESULT = "drill_last_result"
CLEAR = "drill_clear_reply"  # the reply box to empty on the next run (after a send)

user, language = frame.page()
st.title(t("nav.drill_inbox", language))

runs = screen.drills_to_work(actor=user)
if not runs:
    st.info(t("drills.no_active_drill", language))
    st.stop()
if st.session_state.get(RUN) not in runs:
    st.session_state[RUN] = next(iter(runs))
if len(runs) > 1:
    st.selectbox(t("drills.choose_drill", language), list(runs), key=RUN, format_func=runs.get)
run_id = st.session_state[RUN]


def _open(conversation_id: int) -> None:
    st.session_state[OPEN] = conversation_id
    st.rerun(scope="app")


def _close() -> None:
    st.session_state.pop(OPEN, None)
    st.rerun()


@st.fragment(run_every=REFRESH_SECONDS)
def live_inbox() -> None:
    inbox = screen.inbox_screen(actor=user, run_id=run_id, language=language)
    st.subheader(inbox.title)
    columns = st.columns(4)
    columns[0].metric(t("drills.clock", language), inbox.clock)
    columns[1].metric(t("drills.status", language), inbox.status)
    columns[2].metric(t("drills.waiting", language), inbox.waiting)
    columns[3].metric(t("drills.mine", language), inbox.mine)
    if inbox.paused:
        st.warning(t("drills.paused_note", language))
    if st.session_state.pop("drill_claim_lost", False):
        st.warning(t("drills.claim_lost", language))
    if st.button(t("drills.claim_next", language), type="primary", key="claim_next", disabled=not inbox.running):
        taken = screen.claim_next(actor=user, run_id=run_id)
        if taken is None:
            st.info(t("drills.nothing_free", language))
        else:
            _open(taken)
    if not inbox.rows:
        st.info(t("drills.inbox_empty", language))
        return
    for item in inbox.rows:
        row = st.columns([0.5, 2, 1.4, 4.2, 2.2])
        row[0].write(item.icon)
        row[1].write(item.medium)
        row[2].write(item.timer)
        with row[3]:
            st.text(item.customer)
            st.text(item.preview)
        if item.mine:
            if row[4].button(t("drills.open", language), key=f"open_{item.id}"):
                _open(item.id)
        elif item.free:
            if row[4].button(t("drills.claim", language), key=f"claim_{item.id}", disabled=not inbox.running):
                if screen.claim(actor=user, conversation_id=item.id):
                    _open(item.id)
                else:
                    st.session_state["drill_claim_lost"] = True
                    st.rerun(scope="app")
        else:
            row[4].caption(t("drills.held_by", language, name=escape(item.holder)))


@st.fragment(run_every=REFRESH_SECONDS)
def live_conversation(conversation_id: int) -> screen.ConversationScreen:
    """The thread, refreshed on its own; in a full run it also hands its view to the composer
    below (a fragment returns its value when the whole page runs), so it is built once."""
    view = screen.conversation_screen(actor=user, conversation_id=conversation_id, run_id=run_id, language=language)
    if view.lost:
        st.warning(t("drills.no_longer_yours", language))
    st.caption(view.caption)
    st.html(view.thread_html)
    if shown := drill_desk.reach_html(view.medium, view.reach, view.prevented_reach, language):
        st.html(shown)
    if view.ended:
        st.success(view.ended)
    return view


open_id = st.session_state.get(OPEN)
inbox_column, work_column = st.columns([1.1, 1])
with inbox_column:
    live_inbox()
with work_column:
    if open_id is None:
        st.info(t("drills.open_hint", language))
        st.stop()
    view = live_conversation(open_id)
    if (result := st.session_state.get(LAST_RESULT)) and result["conversation"] == open_id:
        st.info(result["note"])
    # A reply that ended the conversation stays in view with its score and outcome until closed.
    if not view.composer:
        if st.button(t("drills.close", language), key="close_conversation"):
            _close()
        st.stop()

    # No form: the text sits in session state under its own key, so neither the fragments'
    # refreshes nor a full rerun lose what the trainee is typing.
    reply_key = f"drill_reply_text_{open_id}"
    if st.session_state.pop(CLEAR, None) == reply_key:
        st.session_state[reply_key] = ""
    reply = ui_state.drafted_text_area(view.reply_label, height=140, key=reply_key)  # kept through a failed run
    action = st.selectbox(t("drills.action", language), [None, *view.actions], key=f"drill_action_{open_id}",
                          format_func=lambda a: t("drills.no_action", language) if a is None else view.actions[a])
    if st.button(t("drills.send", language), type="primary", key="drill_send"):
        submission = st.session_state.setdefault(SUBMISSION, {}).get(reply) or str(uuid.uuid4())
        st.session_state[SUBMISSION] = {reply: submission}
        sent = screen.send(actor=user, conversation_id=open_id, text=reply, submission_id=uuid.UUID(submission),
                           action=action, checker=resources.grammar_checker(), language=language)
        if sent.error:
            st.error(sent.error)
        else:
            st.session_state[LAST_RESULT] = {"conversation": open_id, "note": sent.note}
            st.session_state.pop(SUBMISSION, None)
            st.session_state[CLEAR] = reply_key
            st.rerun()

    # One row per action, so no button is cut off in the narrow work column.
    choices = [None, *view.labels]
    field, button = st.columns([2, 1], vertical_alignment="bottom")
    label = field.selectbox(t("drills.label", language), choices, key="drill_label", index=choices.index(view.label),
                            format_func=lambda x: "–" if x is None else x)
    if button.button(t("drills.set_label", language), key="set_label", width="stretch"):
        screen.set_label(actor=user, conversation_id=open_id, label=label)
        st.rerun()
    field, button = st.columns([2, 1], vertical_alignment="bottom")
    to = field.selectbox(t("drills.hand_over_to", language), list(view.teammates), format_func=view.teammates.get,
                         key="drill_hand_over_to") if view.teammates else None
    if button.button(t("drills.hand_over", language), key="hand_over", disabled=to is None, width="stretch"):
        screen.hand_over(actor=user, conversation_id=open_id, to_user_id=to)
        _close()
    release, dismiss = st.columns(2)
    if release.button(t("drills.release", language), key="release", width="stretch"):
        screen.release(actor=user, conversation_id=open_id)
        _close()
    if dismiss.button(t("drills.dismiss", language), key="dismiss", width="stretch"):
        screen.dismiss(actor=user, conversation_id=open_id)
        _close()
