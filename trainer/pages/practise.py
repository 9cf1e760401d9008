"""Practise: pick a medium and scenario, answer the customer, see the scorecard, and at the end
replay the conversation beside the model answers. Layout only: trainer.views.practise prepares it."""

from __future__ import annotations

import uuid

import streamlit as st

from scenarios.engine import Conversation
from trainer import resources, ui_state
from trainer.components import frame, medium_view, scorecard
from trainer.components.confirm import confirmed
from trainer.i18n import t
from trainer.services.practice import PracticeState
from trainer.views import practise as view

STATE = "practice_state"
RESUMED = "practice_resumed"  # the attempt id of a conversation brought back from an earlier visit
SENT_EARLIER = "practice_sent_earlier"  # {"turn": n}: reply n had gone out before its box was edited
FOCUS = "practice_focus"

user, language = frame.page()


def keep(state: dict | None) -> None:
    """The conversation for this session's next run, and for a reload (None: it is over)."""
    st.session_state[STATE] = state
    ui_state.remember_practice(state)


def start_over() -> None:
    keep(None)
    st.session_state.pop(FOCUS, None)
    st.rerun()


def choose() -> None:
    st.title(t("nav.practise", language))
    st.caption(t("practise.intro", language))
    left, right = st.columns(2)
    (names, medium_at), (types, type_at) = view.choice_lists(language, st.query_params)  # ?medium=&type=: "Te doen"
    medium = left.selectbox(t("quick.medium", language), list(names), format_func=names.get, index=medium_at)
    kind = right.selectbox(t("practise.type", language), list(types), format_func=types.get, index=type_at)
    if not (labels := view.scenario_choices(language, medium, kind).scenarios):
        st.info(t("practise.none", language))
        return
    scenario_id = st.radio(t("practise.scenario", language), list(labels), format_func=labels.get)
    start_col, weak_col = st.columns(2)
    if start_col.button(t("practise.start", language), type="primary"):
        begin(scenario_id, medium)
    if weak_col.button(t("practise.weakest", language)):
        train_weakest_point()


def train_weakest_point() -> None:
    choice = view.weakest_point(actor=user, language=language)
    st.session_state.pop(FOCUS, None)
    if choice.dimension:
        st.session_state[FOCUS] = choice.dimension
    begin(choice.scenario_id, choice.medium)


def begin(scenario_id: str, medium: str) -> None:
    keep(view.begin(actor=user, scenario_id=scenario_id, medium=medium))
    st.rerun()


def knowledge_panel(conversation: Conversation, reply_key: str) -> None:
    st.subheader(t("nav.knowledge", language))
    query = st.text_input(t("knowledge.search", language), key="kb_query",
                          placeholder=t("knowledge.placeholder", language))
    panel = view.knowledge_panel(conversation, query, language)
    if panel.refusal:
        st.error(panel.refusal)
    for hit in panel.hits:
        with st.expander(hit.title):
            st.markdown(hit.body)
            if hit.template:
                st.code(hit.template, language=None, wrap_lines=True)
                st.button(t("practise.insert", language), key=hit.key,
                          on_click=lambda text=hit.template: st.session_state.__setitem__(reply_key, text))


def play(state: PracticeState) -> None:
    conversation = state.restore()
    screen = view.play_screen(state, conversation, language, resumed=st.session_state.get(RESUMED) == state.attempt_id,
                              focus=st.session_state.get(FOCUS),
                              sent_earlier_turn=(st.session_state.get(SENT_EARLIER) or {}).get("turn"))
    st.title(screen.title)
    for note in screen.notes:
        st.info(note)
    main, side = st.columns([3, 2], gap="large")
    with main:
        with st.expander(t("practise.briefing", language), expanded=screen.briefing_open):
            st.write(screen.briefing)
            for item in screen.history:
                st.caption(item.caption)
                st.text(item.text)
        for stretch in screen.thread:
            if stretch.moved_to:
                st.caption(stretch.moved_to)
            st.html(medium_view.thread_html(stretch.medium, stretch.messages, language))
        if screen.last:
            if screen.last.sent_earlier:
                st.info(t("practise.sent_earlier", language))
                st.text(screen.last.text)
            with st.expander(t("practise.last_score", language), expanded=True):
                scorecard.render(screen.last.text, screen.last.scorecard, language=language)
        end = view.ending(state, conversation, language) if screen.ended else None
        if end:
            ending(end)
        else:
            answer(state, screen)
    with side:
        with st.container(key="customer"):  # a heading, not a metric: a long name wraps instead of being cut off
            st.caption(t("practise.customer", language))
            st.subheader(screen.customer, anchor=False)
        for line in screen.about_customer:
            st.caption(line)
        if end:
            looking_back(end)
        else:
            knowledge_panel(conversation, screen.reply_key)


def answer(state: PracticeState, screen: view.PlayScreen) -> None:
    """The reply box, the actions, Send and Stop."""
    st.session_state.setdefault(screen.submission_key, str(uuid.uuid4()))
    timer(state, screen.target_seconds)
    text = ui_state.drafted_text_area(screen.reply_label, key=screen.reply_key, height=150)
    (st.error if (count := view.counter(text, screen.max_chars, language)).over else st.caption)(count.text)
    action = None
    if screen.actions:
        action = st.pills(t("practise.action", language), list(screen.actions), format_func=screen.actions.get,
                          key=f"action_{len(state.turns)}")
    send_col, stop_col = st.columns([1, 1])
    if send_col.button(t("practise.send", language), type="primary", disabled=count.over):
        with st.spinner(t("practise.scoring", language)):
            sent = view.send(actor=user, state=state, text=text, action=action, keep=keep, language=language,
                             submission_id=st.session_state[screen.submission_key], checker=resources.grammar_checker())
            if sent.sent_earlier_turn:
                st.session_state[SENT_EARLIER] = {"turn": sent.sent_earlier_turn}
        if sent.refusal:
            st.error(sent.refusal)
            return
        st.rerun()
    if confirmed(stop_col, t("practise.stop", language), key="stop", question=t("practise.stop_question", language),
                 yes=t("practise.stop_yes", language), no=t("practise.stop_no", language)):
        view.abandon(actor=user, state=state)
        start_over()


@st.fragment(run_every=1.0)
def timer(state: PracticeState, target: int) -> None:
    (st.warning if (shown := view.timer(state, target, language)).late else st.caption)(shown.text)


def ending(end: view.Ending) -> None:
    (st.success if end.good else st.error)(end.outcome)
    st.subheader(t("practise.replay", language))
    for row in end.rows:
        mine, model = st.columns(2)
        mine.caption(row.yours_caption)
        mine.text(row.yours)
        model.caption(row.model_caption)
        model.text(row.model)
    if st.button(t("practise.again", language), type="primary"):
        start_over()


def looking_back(end: view.Ending) -> None:
    """Beside the replay: what the outcome means, the score per dimension, what to practise next."""
    st.subheader(t("practise.outcome_title", language), anchor=False)
    st.write(end.why)
    if end.average:
        st.caption(end.average)
    if not end.dimensions:
        return
    st.subheader(t("practise.per_dimension", language), anchor=False)
    for dimension in end.dimensions:
        st.progress(dimension.share, text=dimension.label)
    st.subheader(t("practise.next_title", language), anchor=False)
    st.write(end.next_step)
    if st.button(t("practise.weakest", language), key="weakest_after"):
        train_weakest_point()


# A conversation left unfinished at a logout, idle timeout or restart comes back.
saved = ui_state.resumed_state(st.session_state.get(STATE) or ui_state.remembered_practice(),
                               lambda: view.resume(actor=user), keep, RESUMED)
# A link from "Te doen" (?scenario=) starts that scenario, unless a conversation is under way.
if (linked := st.query_params.pop("scenario", None)) and saved is None:
    saved = view.begin_linked(actor=user, scenario_id=linked)
    keep(saved)
if saved is None:
    choose()
else:
    play(PracticeState.model_validate(saved))
