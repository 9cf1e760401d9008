"""The shared inbox of a group drill, for the team's trainees: every waiting customer across
media, most urgent first, with SLA timer and state; claim, reply, label, hand over, release.

The inbox and the open conversation refresh by themselves (`st.fragment(run_every=...)`); the
reply box sits outside those fragments, so what a trainee is typing survives every refresh.
All state is in the database; the page keeps only the open conversation's id.
"""

from __future__ import annotations

import uuid

import streamlit as st

from scoring.config import media_catalogue
from trainer import resources
from trainer.components import clock, drill_desk, frame, medium_view, refusal
from trainer.components.markdown import escape
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services import drills
from trainer.services.limits import InputTooLong
from trainer.services.rights import Action

REFRESH_SECONDS = 3
OPEN = "drill_open_conversation"
RUN = "drill_inbox_run"
SUBMISSION = "drill_submission_id"  # one id per reply text, so a double click stores it once
LAST_RESULT = "drill_last_result"
CLEAR = "drill_clear_reply"  # the reply box to empty on the next run (after a send)
STATE_ICON = {"on_time": "🟢", "danger": "🟠", "late": "🔴", "answered": "⚪", "ended": "✔️"}

user, language = frame.page()
st.title(t("nav.drill_inbox", language))
media = media_catalogue().media


with session_scope() as session:
    runs = drills.drills_for(session=session, actor=user, include_stopped=False, may=Action.work_drill)
if not runs:
    st.info(t("drills.no_active_drill", language))
    st.stop()

run_ids = [r.id for r in runs]
if st.session_state.get(RUN) not in run_ids:
    st.session_state[RUN] = run_ids[0]
if len(runs) > 1:
    st.selectbox(t("drills.choose_drill", language), run_ids, key=RUN,
                 format_func=lambda rid: next(r.title for r in runs if r.id == rid))
run_id = st.session_state[RUN]


def _claim(conversation_id: int) -> None:
    with session_scope() as session:
        if drills.claim(session=session, actor=user, conversation_id=conversation_id):
            st.session_state[OPEN] = conversation_id
        else:
            st.session_state["drill_claim_lost"] = True


@st.fragment(run_every=REFRESH_SECONDS)
def live_inbox() -> None:
    with session_scope() as session:
        drills.advance(session=session, actor=user, run_id=run_id)
        run = drills.run_summary(session=session, actor=user, run_id=run_id)
        items = drills.inbox(session=session, actor=user, run_id=run_id)
    st.subheader(run.title)
    columns = st.columns(4)
    columns[0].metric(t("drills.clock", language), clock.minutes(run.seconds))
    columns[1].metric(t("drills.status", language), t(f"drills.status.{run.status}", language))
    columns[2].metric(t("drills.waiting", language), sum(1 for i in items if i.waiting_seconds is not None))
    columns[3].metric(t("drills.mine", language), sum(1 for i in items if i.claimed_by_id == user.id))
    if run.status == drills.DrillStatus.paused:
        st.warning(t("drills.paused_note", language))
    if st.session_state.pop("drill_claim_lost", False):
        st.warning(t("drills.claim_lost", language))
    if st.button(t("drills.claim_next", language), type="primary", key="claim_next", disabled=run.status != drills.DrillStatus.running):
        with session_scope() as session:
            taken = drills.claim_next(session=session, actor=user, run_id=run_id)
        if taken is None:
            st.info(t("drills.nothing_free", language))
        else:
            st.session_state[OPEN] = taken
            st.rerun(scope="app")
    if not items:
        st.info(t("drills.inbox_empty", language))
        return
    for item in items[:40]:
        row = st.columns([0.5, 2, 1.4, 4.2, 2.2])
        row[0].write(STATE_ICON[item.state])
        row[1].write(f"{media[item.medium].name(language)}  \n{t('drills.followers', language, count=item.followers)}")
        row[2].write(f"{clock.minutes(item.waiting_seconds)} / {clock.minutes(item.sla_seconds)}")
        with row[3]:
            st.text(f"{item.customer_name} ({item.handle})" + (f" · {item.label}" if item.label else ""))
            st.text(item.last_customer_text[:160])
        if item.claimed_by_id == user.id:
            if row[4].button(t("drills.open", language), key=f"open_{item.id}"):
                st.session_state[OPEN] = item.id
                st.rerun(scope="app")
        elif item.claimed_by_id is None:
            if row[4].button(t("drills.claim", language), key=f"claim_{item.id}", disabled=run.status != drills.DrillStatus.running):
                _claim(item.id)
                st.rerun(scope="app")
        else:
            row[4].caption(t("drills.held_by", language, name=escape(item.claimed_by)))


@st.fragment(run_every=REFRESH_SECONDS)
def live_conversation(conversation_id: int) -> None:
    with session_scope() as session:
        view = drills.conversation_view(session=session, actor=user, conversation_id=conversation_id)
    if view.claimed_by_id != user.id and not view.ended:
        st.warning(t("drills.no_longer_yours", language))
    st.caption(t("drills.conversation_caption", language, name=escape(view.customer_name), handle=escape(view.handle),
                 followers=view.followers, retweets=view.retweets, state=t(f"drills.state.{view.state}", language),
                 waited=clock.minutes(view.waiting_seconds), sla=clock.minutes(view.sla_seconds)))
    thread = [medium_view.MessageView(
        text=m["text"], author=view.customer_name if m["role"] == "customer" else (m["by"] or "Webcare"),
        from_customer=m["role"] == "customer", handle=view.handle if m["role"] == "customer" else None,
        followers=view.followers if m["role"] == "customer" else None, retweets=view.retweets if m["role"] == "customer" else 0,
    ) for m in view.messages]
    st.html(medium_view.thread_html(media[view.medium], thread, language))
    drill_desk.conversation_reach(view, media[view.medium], language)
    if view.ended:
        st.success(t("drills.ended", language, outcome=t(f"drills.outcome.{view.outcome}", language)))


open_id = st.session_state.get(OPEN)
inbox_column, work_column = st.columns([1.1, 1])
with inbox_column:
    live_inbox()
with work_column:
    if open_id is None:
        st.info(t("drills.open_hint", language))
        st.stop()
    live_conversation(open_id)
    with session_scope() as session:
        view = drills.conversation_view(session=session, actor=user, conversation_id=open_id)
        mates = drills.teammates(session=session, actor=user, run_id=run_id)
    if (result := st.session_state.get(LAST_RESULT)) and result["conversation"] == open_id:
        if result["total"] is None:  # an unscored reply (a noise post)
            st.info(t("drills.reply_sent", language, waited=clock.minutes(result["queue_seconds"]),
                      sla=clock.minutes(result["sla_seconds"])))
        else:
            st.info(t("drills.reply_scored", language, score=f"{result['total']:.0f}",
                      waited=clock.minutes(result["queue_seconds"]), sla=clock.minutes(result["sla_seconds"])))
    # A reply that ended the conversation stays in view with its score and outcome until closed.
    if view.ended or view.claimed_by_id != user.id:
        if st.button(t("drills.close", language), key="close_conversation"):
            st.session_state.pop(OPEN, None)
            st.rerun()
        st.stop()

    # No form: the text sits in session state under its own key, so neither the fragments'
    # refreshes nor a full rerun lose what the trainee is typing.
    reply_key = f"drill_reply_text_{open_id}"
    if st.session_state.pop(CLEAR, None) == reply_key:
        st.session_state[reply_key] = ""
    reply = st.text_area(t("drills.reply", language, medium=media[view.reply_medium].name(language)), height=140,
                         key=reply_key)
    action_labels = dict(view.actions)
    action = st.selectbox(t("drills.action", language), [None, *action_labels], key=f"drill_action_{open_id}",
                          format_func=lambda a: t("drills.no_action", language) if a is None else action_labels[a])
    if st.button(t("drills.send", language), type="primary", key="drill_send"):
        if not reply.strip():
            st.error(t("drills.empty_reply", language))
        else:
            submission = st.session_state.setdefault(SUBMISSION, {}).get(reply) or str(uuid.uuid4())
            st.session_state[SUBMISSION] = {reply: submission}
            try:
                with session_scope() as session:
                    outcome = drills.send_reply(session=session, actor=user, conversation_id=open_id, text=reply,
                                                submission_id=uuid.UUID(submission), action=action,
                                                checker=resources.grammar_checker())
            except InputTooLong as exc:
                st.error(refusal.too_long(exc, language))
            except drills.NotYours:
                st.error(t("drills.no_longer_yours", language))
            except (drills.DrillError, drills.NotFound) as exc:
                st.error(t("drills.cannot_send", language, reason=str(exc)))
            else:
                st.session_state[LAST_RESULT] = {"conversation": open_id,
                                                 "total": outcome.scorecard.get("total") if outcome.scorecard else None,
                                                 "queue_seconds": outcome.queue_seconds, "sla_seconds": outcome.sla_seconds}
                st.session_state.pop(SUBMISSION, None)
                st.session_state[CLEAR] = reply_key
                st.rerun()

    left, middle, right = st.columns(3)
    with left:
        label = st.selectbox(t("drills.label", language), [None, *view.labels], key="drill_label",
                             index=([None, *view.labels].index(view.label) if view.label in view.labels else 0),
                             format_func=lambda x: "–" if x is None else x)
        if st.button(t("drills.set_label", language), key="set_label"):
            with session_scope() as session:
                drills.set_label(session=session, actor=user, conversation_id=open_id, label=label)
            st.rerun()
    with middle:
        names = dict(mates)
        to = st.selectbox(t("drills.hand_over_to", language), list(names), format_func=lambda uid: names[uid],
                          key="drill_hand_over_to") if names else None
        if st.button(t("drills.hand_over", language), key="hand_over", disabled=to is None):
            with session_scope() as session:
                drills.hand_over(session=session, actor=user, conversation_id=open_id, to_user_id=to)
            st.session_state.pop(OPEN, None)
            st.rerun()
    with right:
        if st.button(t("drills.release", language), key="release"):
            with session_scope() as session:
                drills.release(session=session, actor=user, conversation_id=open_id)
            st.session_state.pop(OPEN, None)
            st.rerun()
        if st.button(t("drills.dismiss", language), key="dismiss"):
            with session_scope() as session:
                drills.dismiss(session=session, actor=user, conversation_id=open_id)
            st.session_state.pop(OPEN, None)
            st.rerun()
