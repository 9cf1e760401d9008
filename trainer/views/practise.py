"""The trainee's "Oefenen" screen: pick a medium and scenario, answer the customer, see the
scorecard, and at the end replay the conversation beside the model answers. Ready to show: labels,
the thread per medium stretch with times on the contact centre's clock, names escaped; every
change of state goes through trainer.services.practice."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from scenarios.engine import Conversation
from scenarios.schema import GOOD_ENDS, SCENARIO_TYPES
from scoring.config import Medium, media_catalogue
from scoring.model import Scorecard
from trainer.components.article import demoted
from trainer.components.markdown import escape
from trainer.components.refusal import REFUSALS, refused, too_long
from trainer.components.medium_view import MessageView
from trainer import local_time
from trainer.db.engine import DATABASE_UNAVAILABLE, session_scope
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services import knowledge, practice
from trainer.services.limits import InputTooLong
from trainer.services.rights import Actor

log = logging.getLogger(__name__)


def media() -> dict[str, Medium]:
    return media_catalogue().media


def new_seed() -> int:
    return uuid.uuid4().int % 100_000


# --- choosing ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChoiceList:
    media: dict[str, str]  # medium id -> its name
    types: dict[str, str]  # "" (any) or a scenario type -> its name
    scenarios: dict[str, str]  # scenario id -> "title · type · ★★"; empty: none fits


def medium_names(language: str) -> dict[str, str]:
    return {key: medium.name(language) for key, medium in media().items()}


def type_names(language: str) -> dict[str, str]:
    return {"": t("practise.any_type", language), **{k: t(f"type.{k}", language) for k in SCENARIO_TYPES}}


def choice_lists(language: str, linked: Mapping[str, str]) -> tuple[tuple[dict[str, str], int], tuple[dict[str, str], int]]:
    """The media and the types to choose from, each with the position to start at: the medium and
    type a link names (?medium=&type=, e.g. a "Te doen" mix), else the first."""
    names, types = medium_names(language), type_names(language)

    def start(options: dict[str, str], key: str) -> int:
        return list(options).index(linked[key]) if linked.get(key) in options else 0

    return (names, start(names, "medium")), (types, start(types, "type"))


def scenario_choices(language: str, medium: str, kind: str | None) -> ChoiceList:
    found = practice.choices(language, medium, kind or None)
    labels = {c.id: f"{c.title} · {t(f'type.{c.type}', language)} · {'★' * c.difficulty}" for c in found}
    return ChoiceList(media=medium_names(language), types=type_names(language), scenarios=labels)


def begin(*, actor: Actor, scenario_id: str, medium: str) -> dict:
    """A new conversation, stored; its state as the session keeps it."""
    with session_scope() as session:
        state = practice.begin(session=session, actor=actor, scenario_id=scenario_id, medium=medium, seed=new_seed())
    return state.model_dump(mode="json")


def begin_linked(*, actor: Actor, scenario_id: str | None) -> dict | None:
    """A conversation of the scenario a link names (?scenario=, e.g. from "Te doen"), on its first
    medium; None when the link names no scenario we have, so the page shows the choice instead."""
    from scenarios.engine import scenario_catalogue

    scenario = scenario_catalogue().get(scenario_id) if scenario_id else None
    return None if scenario is None else begin(actor=actor, scenario_id=scenario.id, medium=scenario.media[0])


def weakest_point(*, actor: Actor, language: str) -> practice.WeakestChoice:
    with session_scope() as session:
        return practice.weakest_point(session=session, actor=actor, language=language, seed=new_seed())


def resume(*, actor: Actor) -> practice.PracticeState | None:
    """A conversation left unfinished within PRACTICE_RESUME_HOURS; older ones are abandoned."""
    with session_scope() as session:
        return practice.resume(session=session, actor=actor)


# --- the conversation -------------------------------------------------------------------------

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
    return local_time.clock(moment)


@dataclass(frozen=True)
class Stretch:
    """Messages on one medium, drawn like it; moved_to says so when the talk moved here."""

    medium: Medium
    messages: list[MessageView]
    moved_to: str | None


def thread(state: practice.PracticeState, conversation: Conversation, language: str) -> list[Stretch]:
    """The conversation so far, one stretch per medium in turn."""
    persona, catalogue = conversation.persona, media()
    subject = conversation.record.facts.get("subject") or conversation.scenario.title
    stretches: list[Stretch] = []
    current = None
    for message, moment in zip(conversation.transcript, message_times(state, conversation)):
        medium = catalogue[message.medium]
        if message.medium != current:
            current = message.medium
            moved = t("practise.moved_to", language, medium=medium.name(language)) if stretches else None
            stretches.append(Stretch(medium=medium, messages=[], moved_to=moved))
        customer = message.role == "customer"
        text, stars = message.text, None
        if customer and medium.look.shows_stars:
            stars, text = review_stars(text, conversation.mood)
        stretches[-1].messages.append(MessageView(
            text=text, from_customer=customer,
            author=persona["name"] if customer else conversation.scenario.brand,
            handle=persona.get("handle") if customer else conversation.scenario.brand,
            followers=conversation.reach["followers"] if customer else None,
            subject=subject if medium.look.shows_subject else None, stars=stars,
            retweets=conversation.reach["retweets"] if customer else 0, time_label=clock_time(moment),
        ))
    return stretches


@dataclass(frozen=True)
class HistoryItem:
    caption: str
    text: str


@dataclass(frozen=True)
class LastReply:
    text: str
    scorecard: Scorecard
    sent_earlier: bool  # a repeated Send: this reply had already gone out


@dataclass(frozen=True)
class PlayScreen:
    title: str
    notes: list[str]  # resumed, focus
    briefing: str
    briefing_open: bool
    history: list[HistoryItem]
    thread: list[Stretch]
    last: LastReply | None
    ended: bool
    customer: str
    about_customer: list[str]  # mood, and reach where the medium shows followers
    reply_key: str
    submission_key: str
    reply_label: str
    max_chars: int
    target_seconds: int
    actions: dict[str, str]


def play_screen(state: practice.PracticeState, conversation: Conversation, language: str, *,
                resumed: bool, focus: str | None, sent_earlier_turn: int | None) -> PlayScreen:
    medium, ended = media()[conversation.medium], conversation.ended
    notes = []
    if resumed and not ended:
        notes.append(t("practise.resumed", language))
    if focus and not ended:
        notes.append(t("practise.focus", language, dimension=t(f"dimension.{focus}", language)))
    history = [
        HistoryItem(caption=t("practise.history", language, medium=media()[item["medium"]].name(language),
                              by=escape(item["author"] or item["by"]), when=item["when"] or ""), text=item["text"])
        for item in conversation.history()
    ]
    last = None
    if state.turns:
        turn = state.turns[-1]
        last = LastReply(text=turn.reply, scorecard=Scorecard.model_validate(turn.scorecard),
                         sent_earlier=sent_earlier_turn == len(state.turns))
    about_customer = [t("practise.mood", language, mood=t(f"mood.{conversation.mood}", language))]
    if medium.look.shows_followers:
        about_customer.append(t("practise.reach", language, followers=conversation.reach["followers"],
                                retweets=conversation.reach["retweets"]))
    return PlayScreen(
        title=conversation.scenario.title, notes=notes, briefing=conversation.briefing(),
        briefing_open=not state.turns, history=history, thread=thread(state, conversation, language), last=last,
        ended=ended, customer=conversation.persona["name"], about_customer=about_customer,
        reply_key=f"reply_{state.attempt_id}_{len(state.turns)}", submission_key=f"submission_{state.attempt_id}_{len(state.turns)}",
        reply_label=t("practise.your_reply", language, medium=medium.name(language)),
        max_chars=medium.max_chars, target_seconds=medium.target_seconds, actions=dict(conversation.actions),
    )


@dataclass(frozen=True)
class Timer:
    text: str
    late: bool


def timer(state: practice.PracticeState, target: int, language: str, now: datetime | None = None) -> Timer:
    elapsed = int(((now or utcnow()) - state.shown_at).total_seconds())
    late = elapsed > target
    text = t("practise.timer", language, elapsed=f"{elapsed // 60}:{elapsed % 60:02d}",
             target=f"{target // 60}:{target % 60:02d}")
    return Timer(text=("⏰ " if late else "⏱ ") + text, late=late)


@dataclass(frozen=True)
class Counter:
    text: str
    over: bool  # longer than the medium takes: Send is off until the trainee shortens it


def counter(text: str | None, max_chars: int, language: str) -> Counter:
    """The characters typed against the medium's limit, like X's own counter. The box itself has
    no limit: a paste that is too long is kept and marked, not cut off without a word."""
    length = len(text or "")
    key = "practise.counter_over" if length > max_chars else "practise.counter"
    return Counter(t(key, language, length=length, limit=max_chars, over=max(0, length - max_chars)), length > max_chars)


@dataclass(frozen=True)
class Sent:
    # An empty or too long reply, or a database that cannot be reached: the reply stays in its
    # box (the same submission id, so sending it again stores it once).
    refusal: str | None
    sent_earlier_turn: int | None = None  # a repeated Send: that reply had already gone out; shown again


def send(*, actor: Actor, state: practice.PracticeState, text: str | None, action: str | None, submission_id: str,
         checker, language: str, keep: Callable[[dict], None]) -> Sent:
    """Score and store one reply. `keep` gets the new state before the session closes: a second
    click stops the page's run at its next element, and the result must not be lost with it."""
    if not (text or "").strip():
        return Sent(refusal=t("practise.empty", language))
    try:
        with session_scope() as session:
            result = practice.send(session=session, actor=actor, state=state, text=text, action=action,
                                   submission_id=uuid.UUID(submission_id), checker=checker,
                                   agent_name=actor.full_name.split()[0], feedback_language=language)
            keep(result.state.model_dump(mode="json"))
    except InputTooLong as exc:
        return Sent(refusal=too_long(exc, language))
    except REFUSALS as failed:  # the conversation finished in another tab
        return Sent(refusal=refused(failed, language))
    except DATABASE_UNAVAILABLE:
        # Whatever went through before the failure is found again by the repeat (Send is
        # idempotent per submission id); the details go to the log, never to the screen.
        log.warning("a practice reply could not be stored: the database is unavailable", exc_info=True)
        return Sent(refusal=t("practise.database_down", language))
    return Sent(refusal=None, sent_earlier_turn=len(result.state.turns) if result.sent_earlier else None)


def abandon(*, actor: Actor, state: practice.PracticeState) -> None:
    with session_scope() as session:
        practice.abandon(session=session, actor=actor, state=state)


@dataclass(frozen=True)
class KnowledgeHit:
    key: str  # for the Insert button
    title: str
    body: str  # markdown, headings below the panel's subheader
    template: str | None  # filled in for this customer, ready to insert


@dataclass(frozen=True)
class KnowledgePanel:
    refusal: str | None  # a query over the size limit
    hits: list[KnowledgeHit]


def knowledge_panel(conversation: Conversation, query: str | None, language: str) -> KnowledgePanel:
    """Articles for the trainee's query, else for the scenario's title."""
    try:
        hits = knowledge.search(query or conversation.scenario.title, language, limit=4,
                                sector=conversation.scenario.sector)
    except InputTooLong as exc:
        return KnowledgePanel(refusal=too_long(exc, language), hits=[])
    return KnowledgePanel(refusal=None, hits=[
        KnowledgeHit(key=f"insert_{hit.article.id}", title=hit.article.meta.title,
                     body=demoted(hit.article.body, top_level=5),
                     template=conversation.fill_template(hit.article.meta.template.strip())
                     if hit.article.meta.template else None)
        for hit in hits
    ])


# --- the end ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReplayRow:
    yours_caption: str
    yours: str
    model_caption: str
    model: str


@dataclass(frozen=True)
class Dimension:
    label: str
    share: float  # 0..1, for a progress bar


@dataclass(frozen=True)
class Ending:
    good: bool
    outcome: str
    rows: list[ReplayRow]
    why: str
    average: str | None
    dimensions: list[Dimension]
    next_step: str | None  # None: nothing scored, so no advice


def _with_action(text: str, action: str | None, labels: dict[str, str]) -> str:
    return text + (f"\n[{labels.get(action, action)}]" if action else "")


def replay_row(number: int, turn: practice.PracticeTurn, labels: dict[str, str], language: str) -> ReplayRow:
    """Reply `number` with its stored total, beside the model answer (also the Feedback page's replay)."""
    return ReplayRow(yours_caption=t("practise.turn_yours", language, number=number, total=round(turn.scorecard["total"])),
                     yours=_with_action(turn.reply, turn.action, labels), model_caption=t("practise.turn_model", language),
                     model=_with_action(turn.model_answer, turn.model_action, labels))


def replies_average(totals: list[float], language: str) -> str | None:
    """'Antwoorden: 3 · gemiddeld 72/100'; None without replies."""
    if not totals:
        return None
    return t("practise.replies_average", language, count=len(totals), total=f"{sum(totals) / len(totals):.0f}")


def ending(state: practice.PracticeState, conversation: Conversation, language: str) -> Ending:
    """The outcome, the replay beside the model answers, and what to practise next."""
    labels = dict(conversation.actions)
    rows = [replay_row(number, turn, labels, language) for number, turn in enumerate(state.turns, 1)]
    average = replies_average([turn.scorecard["total"] for turn in state.turns], language)
    averages = practice.summary(state)
    dimensions = [Dimension(label=f"{t(f'dimension.{name}', language)}: {value:.0f}", share=min(1.0, value / 100))
                  for name, value in averages.items()]
    next_step = None
    if averages:
        lowest = min(averages, key=averages.__getitem__)
        next_step = (t("practise.next", language, dimension=t(f"dimension.{lowest}", language),
                       score=f"{averages[lowest]:.0f}") if averages[lowest] < 100 else t("practise.next_none", language))
    return Ending(good=conversation.outcome in GOOD_ENDS, outcome=t(f"outcome.{conversation.outcome}", language),
                  rows=rows, why=t(f"practise.outcome_why.{conversation.outcome}", language), average=average,
                  dimensions=dimensions, next_step=next_step)
