"""The trainee's "Feedback" screen: every reviewed conversation, newest review first, each reply
with the scorer's total and the manager's figure and words beside it. Ready to show: titles and
medium names instead of ids, times on the contact centre's clock, names and words escaped."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from trainer.components.markdown import escape
from trainer.i18n import t
from trainer.local_time import date_and_time
from trainer.services import feedback
from trainer.services.rights import Actor



def local_time(moment: datetime) -> str:
    return date_and_time(moment)


def _points(value: float) -> str:
    return f"{value:.0f}"


@dataclass(frozen=True)
class ReplyCard:
    text: str  # the trainee's reply, escaped
    automatic: str  # "Automatische score: 62"
    override: str | None  # "Score van je dialoogmanager: 80", when overridden
    passed: bool  # with the figure that counts
    remarks: list[str]  # one line per comment or override, oldest first, escaped


@dataclass(frozen=True)
class ConversationCard:
    attempt_id: int
    heading: str  # scenario title · medium · when reviewed
    replies: list[ReplyCard]


@dataclass(frozen=True)
class FeedbackScreen:
    count: int
    conversations: list[ConversationCard]


def scenario_title(scenario_id: str) -> str:
    from scenarios.engine import scenario_catalogue  # spaCy and the scenarios: not for the menu's count

    from scenarios.announcements import PREFIX, announcement_catalogue

    scenario = scenario_catalogue().get(scenario_id)
    # An announcement exercise, practised (its id) or written in a drill ("announcement:<id>").
    exercise = announcement_catalogue().get(scenario_id.removeprefix(PREFIX))
    return scenario.title if scenario else exercise.title if exercise else scenario_id


def medium_name(medium: str, language: str) -> str:
    from scoring.config import media_catalogue

    media = media_catalogue().media
    return media[medium].name(language) if medium in media else medium


def remark_line(remark: feedback.Remark, language: str) -> str:
    when, words = local_time(remark.at), escape(remark.text)
    if remark.override is None:
        return t("feedback.comment_line", language, name=escape(remark.reviewer), when=when, text=words)
    what = t(f"dimension.{remark.dimension}", language) if remark.dimension else t("feedback.total", language)
    automatic = _points(remark.automatic) if remark.automatic is not None else "—"
    return t("feedback.override_line", language, name=escape(remark.reviewer), when=when, what=what, automatic=automatic,
             override=_points(remark.override), text=words)


def _reply(reply: feedback.ReviewedReply, language: str) -> ReplyCard:
    return ReplyCard(
        text=escape(reply.text),
        automatic=t("feedback.automatic", language, score=_points(reply.automatic_total)),
        override=t("feedback.override", language, score=_points(reply.effective_total)) if reply.overridden else None,
        passed=reply.effective_total >= reply.pass_mark,
        remarks=[remark_line(r, language) for r in reply.remarks],
    )


def feedback_screen(*, session: Session, actor: Actor, language: str) -> FeedbackScreen:
    """The logged-in trainee's own feedback (the service refuses anyone else's)."""
    conversations = feedback.reviewed_conversations(session=session, actor=actor, trainee_id=actor.id)
    cards = [
        ConversationCard(
            attempt_id=c.attempt_id,
            heading=t("feedback.heading", language, title=escape(scenario_title(c.scenario_id)),
                      medium=medium_name(c.medium, language), when=local_time(c.last_reviewed_at)),
            replies=[_reply(r, language) for r in c.replies],
        )
        for c in conversations
    ]
    return FeedbackScreen(count=len(cards), conversations=cards)


def menu_count(*, session: Session, actor: Actor) -> int:
    """The number beside "Feedback" in the menu."""
    return feedback.reviewed_count(session=session, actor=actor, trainee_id=actor.id)
