"""Practise: pick a medium and scenario, answer the customer, see the scorecard, and at the end
replay the conversation beside the model answers."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import streamlit as st

from scenarios.engine import Conversation
from scenarios.schema import GOOD_ENDS, SCENARIO_TYPES
from scoring.config import media_catalogue
from scoring.model import Scorecard
from trainer import resources, ui_state
from trainer.components import article, frame, medium_view, refusal, scorecard
from trainer.components.markdown import escape
from trainer.db.engine import session_scope
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services import knowledge, practice
from trainer.services.limits import InputTooLong

STATE = "practice_state"
RESUMED = "practice_resumed"  # the attempt id of a conversation brought back from an earlier visit
SENT_EARLIER = "practice_sent_earlier"  # {"turn": n}: reply n had gone out before its box was edited
TRAINEES_ZONE = ZoneInfo("Europe/Amsterdam")  # message times as the contact centre's clock shows them

user, language = frame.page()
media = media_catalogue().media


def review_stars(text: str, mood: str) -> tuple[int, str]:
    """A review's stars: its own leading ★☆ run if it has one (taken off the text), else what
    the customer's mood suggests."""
    run = len(text) - len(text.lstrip("★☆"))
    if run:
        return text[:run].count("★"), text[run:].lstrip()
    return (1 if mood in ("angry", "furious") else 2), text


def message_times(state: practice.PracticeState, conversation: Conversation) -> list[datetime]:
    """When each message of the transcript arrived. The state keeps only the last arrival and
    each reply's handling time; the customer answers a reply the moment it is sent."""
    moment = state.shown_at - timedelta(seconds=sum(turn.seconds for turn in state.turns))
    replies = iter(state.turns)
    times = []
    for message in conversation.transcript:
        if message.role == "agent":
            turn = next(replies, None)
            moment += timedelta(seconds=turn.seconds if turn else 0)
        times.append(moment)
    return times


def clock_time(moment: datetime) -> str:
    return f"{moment.astimezone(TRAINEES_ZONE):%H:%M}"


def thread(state: practice.PracticeState, conversation: Conversation) -> None:
    """The conversation so far, each stretch drawn like the medium it happened on."""
    persona = conversation.persona
    subject = conversation.record.facts.get("subject") or conversation.scenario.title
    stretch: list[medium_view.MessageView] = []
    current = None
    for message, moment in zip(conversation.transcript, message_times(state, conversation)):
        if current is not None and message.medium != current and stretch:
            st.html(medium_view.thread_html(media[current], stretch, language))
            st.caption(t("practise.moved_to", language, medium=media[message.medium].name(language)))
            stretch = []
        current = message.medium
        customer = message.role == "customer"
        text, stars = message.text, None
        if customer and media[current].look.shows_stars:
            stars, text = review_stars(text, conversation.mood)
        stretch.append(medium_view.MessageView(
            text=text, from_customer=customer,
            author=persona["name"] if customer else conversation.scenario.brand,
            handle=persona.get("handle") if customer else conversation.scenario.brand,
            followers=conversation.reach["followers"] if customer else None,
            subject=subject if media[current].look.shows_subject else None, stars=stars,
            retweets=conversation.reach["retweets"] if customer else 0, time_label=clock_time(moment),
        ))
    if stretch:
        st.html(medium_view.thread_html(media[current], stretch, language))


def keep(state: dict | None) -> None:
    """The conversation for this session's next run, and for a reload (None: it is over)."""
    if state is None:
        st.session_state.pop(STATE, None)
    else:
        st.session_state[STATE] = state
    ui_state.remember_practice(state)


def choose() -> None:
    st.title(t("nav.practise", language))
    st.caption(t("practise.intro", language))
    left, right = st.columns(2)
    medium = left.selectbox(t("quick.medium", language), list(media), format_func=lambda m: media[m].name(language))
    kind = right.selectbox(t("practise.type", language), ["", *SCENARIO_TYPES],
                           format_func=lambda k: t(f"type.{k}", language) if k else t("practise.any_type", language))
    found = practice.choices(language, medium, kind or None)
    if not found:
        st.info(t("practise.none", language))
        return
    labels = {c.id: f"{c.title} · {t(f'type.{c.type}', language)} · {'★' * c.difficulty}" for c in found}
    scenario_id = st.radio(t("practise.scenario", language), list(labels), format_func=labels.get)
    start_col, weak_col = st.columns(2)
    if start_col.button(t("practise.start", language), type="primary"):
        begin(scenario_id, medium)
    if weak_col.button(t("practise.weakest", language)):
        train_weakest_point()


def train_weakest_point() -> None:
    with session_scope() as session:
        choice = practice.weakest_point(session=session, actor=user, language=language,
                                        seed=uuid.uuid4().int % 100_000)
    st.session_state.pop("practice_focus", None)
    if choice.dimension:
        st.session_state["practice_focus"] = choice.dimension
    begin(choice.scenario_id, choice.medium)


def begin(scenario_id: str, medium: str) -> None:
    with session_scope() as session:
        state = practice.begin(session=session, actor=user, scenario_id=scenario_id, medium=medium,
                               seed=uuid.uuid4().int % 100_000)
    keep(state.model_dump(mode="json"))
    st.rerun()


def knowledge_panel(conversation: Conversation, reply_key: str) -> None:
    st.subheader(t("nav.knowledge", language))
    query = st.text_input(t("knowledge.search", language), key="kb_query",
                          placeholder=t("knowledge.placeholder", language))
    try:
        hits = knowledge.search(query or conversation.scenario.title, language, limit=4,
                                sector=conversation.scenario.sector)
    except InputTooLong as exc:
        st.error(refusal.too_long(exc, language))
        return
    for hit in hits:
        with st.expander(hit.article.meta.title):
            st.markdown(article.demoted(hit.article.body, top_level=5))  # under the panel's subheader
            template = hit.article.meta.template
            if template:
                filled = conversation.fill_template(template.strip())
                st.code(filled, language=None, wrap_lines=True)
                st.button(t("practise.insert", language), key=f"insert_{hit.article.id}",
                          on_click=lambda text=filled: st.session_state.__setitem__(reply_key, text))


def play(state: practice.PracticeState) -> None:
    conversation = state.restore()
    scenario = conversation.scenario
    medium = media[conversation.medium]
    st.title(scenario.title)
    if st.session_state.get(RESUMED) == state.attempt_id and not conversation.ended:
        st.info(t("practise.resumed", language))
    focus = st.session_state.get("practice_focus")
    if focus and not conversation.ended:
        st.info(t("practise.focus", language, dimension=t(f"dimension.{focus}", language)))
    main, side = st.columns([3, 2], gap="large")
    with main:
        with st.expander(t("practise.briefing", language), expanded=not state.turns):
            st.write(conversation.briefing())
            for item in conversation.history():
                st.caption(t("practise.history", language, medium=media[item["medium"]].name(language),
                             by=escape(item["author"] or item["by"]), when=item["when"] or ""))
                st.text(item["text"])
        thread(state, conversation)
        if state.turns:
            last = state.turns[-1]
            if (st.session_state.get(SENT_EARLIER) or {}).get("turn") == len(state.turns):
                st.info(t("practise.sent_earlier", language))
                st.text(last.reply)
            with st.expander(t("practise.last_score", language), expanded=True):
                scorecard.render(last.reply, Scorecard.model_validate(last.scorecard), language=language)
        if conversation.ended:
            ending(state, conversation)
        else:
            answer(state, conversation)
    with side:
        persona = conversation.persona
        with st.container(key="customer"):  # a heading, not a metric: a long name wraps instead of being cut off
            st.caption(t("practise.customer", language))
            st.subheader(persona["name"], anchor=False)
        st.caption(t("practise.mood", language, mood=t(f"mood.{conversation.mood}", language)))
        if medium.look.shows_followers:
            st.caption(t("practise.reach", language, followers=conversation.reach["followers"],
                         retweets=conversation.reach["retweets"]))
        if conversation.ended:
            looking_back(state, conversation)
        else:
            knowledge_panel(conversation, f"reply_{len(state.turns)}")


def answer(state: practice.PracticeState, conversation: Conversation) -> None:
    """The reply box, the actions, Send and Stop."""
    medium = media[conversation.medium]
    reply_key = f"reply_{len(state.turns)}"
    submission_key = f"submission_{state.attempt_id}_{len(state.turns)}"
    st.session_state.setdefault(submission_key, str(uuid.uuid4()))
    timer(state, medium.target_seconds)
    text = st.text_area(t("practise.your_reply", language, medium=medium.name(language)), key=reply_key,
                        max_chars=medium.max_chars, height=150)
    actions = dict(conversation.actions)
    action = None
    if actions:
        action = st.pills(t("practise.action", language), list(actions), format_func=actions.get,
                          key=f"action_{len(state.turns)}")
    send_col, stop_col = st.columns([1, 1])
    if send_col.button(t("practise.send", language), type="primary"):
        if not (text or "").strip():
            st.error(t("practise.empty", language))
            return
        try:
            with st.spinner(t("practise.scoring", language)), session_scope() as session:
                result = practice.send(session=session, actor=user, state=state, text=text, action=action,
                                       submission_id=uuid.UUID(st.session_state[submission_key]),
                                       checker=resources.grammar_checker(), agent_name=user.full_name.split()[0],
                                       feedback_language=language)
                # Kept before anything else is drawn: a second click stops this run at its next element,
                # and the result must not be lost with it (a repeat send would replay it anyway).
                keep(result.state.model_dump(mode="json"))
                if result.sent_earlier:
                    st.session_state[SENT_EARLIER] = {"turn": len(result.state.turns)}
        except InputTooLong as exc:  # nothing was stored; the reply stays in the box to shorten
            st.error(refusal.too_long(exc, language))
            return
        st.rerun()
    if stop_col.button(t("practise.stop", language)):
        with session_scope() as session:
            practice.abandon(session=session, actor=user, state=state)
        keep(None)
        st.session_state.pop("practice_focus", None)
        st.rerun()


@st.fragment(run_every=1.0)
def timer(state: practice.PracticeState, target: int) -> None:
    elapsed = int((utcnow() - state.shown_at).total_seconds())
    late = elapsed > target
    text = t("practise.timer", language, elapsed=f"{elapsed // 60}:{elapsed % 60:02d}",
             target=f"{target // 60}:{target % 60:02d}")
    (st.warning if late else st.caption)(("⏰ " if late else "⏱ ") + text)


def ending(state: practice.PracticeState, conversation: Conversation) -> None:
    outcome = conversation.outcome
    good = outcome in GOOD_ENDS
    (st.success if good else st.error)(t(f"outcome.{outcome}", language))
    st.subheader(t("practise.replay", language))
    labels = dict(conversation.actions)
    for number, turn in enumerate(state.turns, 1):
        mine, model = st.columns(2)
        mine.caption(t("practise.turn_yours", language, number=number, total=round(turn.scorecard["total"])))
        mine.text(turn.reply + (f"\n[{labels.get(turn.action, turn.action)}]" if turn.action else ""))
        model.caption(t("practise.turn_model", language))
        model.text(turn.model_answer + (f"\n[{labels.get(turn.model_action, turn.model_action)}]" if turn.model_action else ""))
    if st.button(t("practise.again", language), type="primary"):
        keep(None)
        st.session_state.pop("practice_focus", None)
        st.rerun()


def looking_back(state: practice.PracticeState, conversation: Conversation) -> None:
    """Beside the replay: what the outcome means, the score per dimension, what to practise next."""
    st.subheader(t("practise.outcome_title", language), anchor=False)
    st.write(t(f"practise.outcome_why.{conversation.outcome}", language))
    if state.turns:
        average = sum(turn.scorecard["total"] for turn in state.turns) / len(state.turns)
        st.caption(t("practise.replies_average", language, count=len(state.turns), total=f"{average:.0f}"))
    averages = practice.summary(state)
    if not averages:
        return
    st.subheader(t("practise.per_dimension", language), anchor=False)
    for name, value in averages.items():
        st.progress(min(1.0, value / 100), text=f"{t(f'dimension.{name}', language)}: {value:.0f}")
    st.subheader(t("practise.next_title", language), anchor=False)
    lowest = min(averages, key=averages.__getitem__)
    if averages[lowest] < 100:
        st.write(t("practise.next", language, dimension=t(f"dimension.{lowest}", language),
                   score=f"{averages[lowest]:.0f}"))
    else:
        st.write(t("practise.next_none", language))
    if st.button(t("practise.weakest", language), key="weakest_after"):
        train_weakest_point()


saved = st.session_state.get(STATE) or ui_state.remembered_practice()
if saved is None:  # a conversation left unfinished at a logout, idle timeout or restart comes back
    with session_scope() as session:
        resumed = practice.resume(session=session, actor=user)
    if resumed is not None:
        saved = resumed.model_dump(mode="json")
        keep(saved)
        st.session_state[RESUMED] = resumed.attempt_id
if saved is None:
    choose()
else:
    play(practice.PracticeState.model_validate(saved))
