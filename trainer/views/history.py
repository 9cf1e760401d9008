"""The Feedback page's second part, "All your conversations": the trainee's past practice
conversations, newest first, and one reopened: the customer's messages and the trainee's replies
in order, each reply beside its model answer as the practise page's replay shows it, with the
manager's figure and words. Ready to show: titles and medium names instead of ids, times on the
contact centre's clock, names and words escaped where they go into Markdown."""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlmodel import Session

from scenarios.schema import GOOD_ENDS
from trainer.components.markdown import escape
from trainer.i18n import t
from trainer.local_time import date_and_time
from trainer.services import history
from trainer.services.rights import Actor
from trainer.views.feedback import medium_name, remark_line, scenario_title
from trainer.views.practise import ReplayRow, replay_row, replies_average


@dataclass(frozen=True)
class PastItem:
    attempt_id: int
    label: str  # plain text for a selectbox: "title · medium · 07-12-2026 14:05 · Opgelost · gemiddeld 72"


@dataclass(frozen=True)
class HistoryList:
    items: list[PastItem]
    capped: str | None  # said when only the newest are listed


@dataclass(frozen=True)
class TranscriptStep:
    caption: str  # who and when; for a reply, the practise page's "Jouw antwoord 1 (score 72)" follows beside
    text: str | None  # a customer message, plain text
    row: ReplayRow | None  # a reply beside its model answer
    override: str | None = None  # the manager's figure, when it differs from the automatic total
    remarks: tuple[str, ...] = ()  # Markdown, escaped


@dataclass(frozen=True)
class ReplayScreen:
    heading: str  # Markdown, escaped
    good: bool
    outcome: str
    average: str | None
    note: str | None  # the story could not be played again: no model answers
    steps: list[TranscriptStep]


def title(scenario_id: str, language: str) -> str:
    """The scenario's title; never its id, also when it is gone from the content."""
    found = scenario_title(scenario_id)
    return t("history.unknown_scenario", language) if found == scenario_id else found


def _outcome(outcome: str, language: str) -> str:
    word = t(f"team.outcome_{outcome}", language)  # the team's history has a word for every outcome
    return word[:1].upper() + word[1:]


def _label(past: history.PastConversation, language: str) -> str:
    mean = (t("history.mean", language, score=f"{past.mean_total:.0f}") if past.mean_total is not None
            else t("history.no_replies", language))
    return " · ".join([title(past.scenario_id, language), medium_name(past.medium, language),
                       date_and_time(past.started_at), _outcome(past.outcome, language), mean])


def history_list(*, session: Session, actor: Actor, language: str) -> HistoryList:
    """The logged-in trainee's own past conversations (the service refuses anyone else's)."""
    found = history.past_conversations(session=session, actor=actor, trainee_id=actor.id,
                                       limit=history.PAST_LIMIT + 1)
    capped = t("history.capped", language, count=history.PAST_LIMIT) if len(found) > history.PAST_LIMIT else None
    return HistoryList(items=[PastItem(attempt_id=p.attempt_id, label=_label(p, language))
                              for p in found[:history.PAST_LIMIT]], capped=capped)


def _step(message: history.PastMessage, number: int, replay: history.PastReplay, language: str) -> TranscriptStep:
    when = date_and_time(message.at)
    if message.from_customer:
        return TranscriptStep(caption=t("history.customer", language, when=when), text=message.text, row=None)
    reply = message.reply
    if reply is None:  # a reply that was never scored
        return TranscriptStep(caption=t("history.you", language, when=when), text=message.text, row=None)
    row = replay_row(number, reply.turn, replay.actions, language)
    if not replay.model_answers:
        row = replace(row, model="—")
    override = t("feedback.override", language, score=f"{reply.effective_total:.0f}") if reply.overridden else None
    return TranscriptStep(caption=t("history.you", language, when=when), text=None, row=row, override=override,
                          remarks=tuple(remark_line(r, language) for r in reply.remarks))


def replay_screen(*, session: Session, actor: Actor, attempt_id: int, language: str) -> ReplayScreen:
    """One past conversation reopened (PermissionDenied for another trainee's)."""
    replay = history.reopened(session=session, actor=actor, attempt_id=attempt_id)
    past, steps, number = replay.conversation, [], 0
    for message in replay.messages:
        number += message.reply is not None
        steps.append(_step(message, number, replay, language))
    average = replies_average([m.reply.effective_total for m in replay.messages if m.reply], language)
    heading = t("history.heading", language, title=escape(title(past.scenario_id, language)),
                medium=medium_name(past.medium, language), when=date_and_time(past.started_at))
    return ReplayScreen(heading=heading, good=past.outcome in GOOD_ENDS, outcome=t(f"outcome.{past.outcome}", language),
                        average=average, note=None if replay.model_answers else t("history.no_model_answers", language),
                        steps=steps)
