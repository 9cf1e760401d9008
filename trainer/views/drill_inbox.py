"""The trainee's shared drill inbox: every waiting customer across media, most urgent first, and
the conversation they hold. Ready to show: medium names, timers, states, the thread in the
medium's look, the choices for label, action and hand-over; every change of state goes through
trainer.services.drills, which checks the rights itself."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass

from scoring.config import Medium, media_catalogue
from trainer.components import clock, medium_view
from trainer.components.markdown import escape
from trainer.components.refusal import REFUSALS, refused, too_long
from trainer.db.engine import DATABASE_UNAVAILABLE, session_scope
from trainer.i18n import t
from trainer.services import drills
from trainer.services.drills.reach import Reach
from trainer.services.limits import InputTooLong
from trainer.services.rights import Action, Actor

STATE_ICON = {"on_time": "🟢", "danger": "🟠", "late": "🔴", "answered": "⚪", "ended": "✔️"}
ROWS_SHOWN = 40  # the most urgent; more would not fit a screen and slow every refresh
PREVIEW_CHARACTERS = 160
log = logging.getLogger(__name__)


def drills_to_work(*, actor: Actor) -> dict[str, str]:
    """The running or paused drills of the actor's teams: id -> title."""
    with session_scope() as session:
        runs = drills.drills_for(session=session, actor=actor, include_stopped=False, may=Action.work_drill)
    return {r.id: r.title for r in runs}


@dataclass(frozen=True)
class InboxRow:
    id: int
    icon: str
    medium: str  # its name and the customer's followers, two lines
    timer: str  # waited / SLA
    customer: str  # name, handle and label; an announcement task: "📣 Aankondiging: <title>" instead
    preview: str
    mine: bool
    free: bool
    holder: str | None  # who holds it (escape it for markdown)


@dataclass(frozen=True)
class InboxScreen:
    title: str
    clock: str
    status: str
    waiting: int
    mine: int
    paused: bool
    running: bool
    rows: list[InboxRow]


def inbox_screen(*, actor: Actor, run_id: str, language: str) -> InboxScreen:
    """Plays the drill up to now, then the inbox as it stands."""
    media = media_catalogue().media
    with session_scope() as session:
        drills.advance(session=session, actor=actor, run_id=run_id)
        run = drills.run_summary(session=session, actor=actor, run_id=run_id)
        items = drills.inbox(session=session, actor=actor, run_id=run_id)
    rows = [InboxRow(
        id=item.id, icon=STATE_ICON[item.state],
        medium=f"{media[item.medium].name(language)}  \n{t('drills.followers', language, count=item.followers)}",
        timer=f"{clock.minutes(item.waiting_seconds)} / {clock.minutes(item.sla_seconds)}",
        customer=sender(item, language) + (f" · {item.label}" if item.label else ""),
        preview=item.last_customer_text[:PREVIEW_CHARACTERS], mine=item.claimed_by_id == actor.id,
        free=item.claimed_by_id is None, holder=item.claimed_by,
    ) for item in items[:ROWS_SHOWN]]
    return InboxScreen(
        title=run.title, clock=clock.minutes(run.seconds), status=t(f"drills.status.{run.status}", language),
        waiting=sum(1 for i in items if i.waiting_seconds is not None),
        mine=sum(1 for i in items if i.claimed_by_id == actor.id),
        paused=run.status == drills.DrillStatus.paused, running=run.status == drills.DrillStatus.running, rows=rows,
    )


def sender(item: drills.InboxItem, language: str) -> str:
    """Who wrote in: the customer, or for an announcement task its mark and title (its sender is
    the brand itself, which would read as a customer named after the brand)."""
    if item.announcement is not None:
        return f"📣 {t('drills.announcements.task', language, title=item.announcement)}"
    return f"{item.customer_name} ({item.handle})"


def claim(*, actor: Actor, conversation_id: int) -> bool:
    """True when the actor holds the conversation now; False when a colleague was quicker."""
    with session_scope() as session:
        return drills.claim(session=session, actor=actor, conversation_id=conversation_id)


def claim_next(*, actor: Actor, run_id: str) -> int | None:
    with session_scope() as session:
        return drills.claim_next(session=session, actor=actor, run_id=run_id)


@dataclass(frozen=True)
class ConversationScreen:
    id: int
    lost: bool  # no longer held by the actor (released by idleness, handed over)
    ended: str | None  # the outcome line once the conversation is over
    caption: str
    thread_html: str
    composer: bool  # the actor may still reply
    reply_label: str
    actions: dict[str, str]  # action id -> its label
    labels: list[str]
    label: str | None
    teammates: dict[int, str]
    medium: Medium
    reach: Reach  # what a bad public reply spread; drawn under the thread in the medium's look
    prevented_reach: int


def conversation_screen(*, actor: Actor, conversation_id: int, run_id: str, language: str) -> ConversationScreen:
    media = media_catalogue().media
    with session_scope() as session:
        view = drills.conversation_view(session=session, actor=actor, conversation_id=conversation_id)
        mates = dict(drills.teammates(session=session, actor=actor, run_id=run_id))
    customer = {"author": view.customer_name, "from_customer": True, "handle": view.handle,
                "followers": view.followers, "retweets": view.retweets}
    thread = [medium_view.MessageView(text=m["text"], **customer) if m["role"] == "customer"
              else medium_view.MessageView(text=m["text"], author=m["by"] or "Webcare", from_customer=False)
              for m in view.messages]
    lost = view.claimed_by_id != actor.id and not view.ended
    return ConversationScreen(
        id=view.id, lost=lost,
        ended=t("drills.ended", language, outcome=t(f"drills.outcome.{view.outcome}", language)) if view.ended else None,
        caption=t("drills.conversation_caption", language, name=escape(view.customer_name), handle=escape(view.handle),
                  followers=view.followers, retweets=view.retweets, state=t(f"drills.state.{view.state}", language),
                  waited=clock.minutes(view.waiting_seconds), sla=clock.minutes(view.sla_seconds)),
        thread_html=medium_view.thread_html(media[view.medium], thread, language),
        composer=not view.ended and not lost,
        reply_label=t("drills.reply", language, medium=media[view.reply_medium].name(language)),
        actions=dict(view.actions), labels=list(view.labels), label=view.label if view.label in view.labels else None,
        teammates=mates, medium=media[view.medium], reach=view.reach, prevented_reach=view.prevented_reach,
    )


@dataclass(frozen=True)
class Sent:
    """What a Send click came to: the line to show under the conversation, or an error."""
    error: str | None = None
    note: str | None = None


def send(*, actor: Actor, conversation_id: int, text: str, submission_id: uuid.UUID, action: str | None,
         checker, language: str) -> Sent:
    """Score and store a reply with `checker` (the app's shared grammar checker). The same
    submission id stores nothing twice (a double click)."""
    if not text.strip():
        return Sent(error=t("drills.empty_reply", language))
    try:
        with session_scope() as session:
            outcome = drills.send_reply(session=session, actor=actor, conversation_id=conversation_id, text=text,
                                        submission_id=submission_id, action=action,
                                        checker=checker)
    except InputTooLong as exc:
        return Sent(error=too_long(exc, language))
    except drills.NotYours:
        return Sent(error=t("drills.no_longer_yours", language))
    except REFUSALS as failed:  # the drill paused, the conversation ended or gone
        return Sent(error=t("drills.cannot_send", language, reason=refused(failed, language)))
    except DATABASE_UNAVAILABLE:
        # The text stays in its box with its submission id: sending it again stores it once.
        log.warning("a drill reply could not be stored: the database is unavailable", exc_info=True)
        return Sent(error=t("drills.database_down", language))
    return Sent(note=sent_note(outcome.scorecard.get("total") if outcome.scorecard else None,
                               outcome.queue_seconds, outcome.sla_seconds, language))


def sent_note(total: float | None, queue_seconds: float, sla_seconds: int, language: str) -> str:
    timing = {"waited": clock.minutes(queue_seconds), "sla": clock.minutes(sla_seconds)}
    if total is None:  # an unscored reply (a noise post)
        return t("drills.reply_sent", language, **timing)
    return t("drills.reply_scored", language, score=f"{total:.0f}", **timing)


def set_label(*, actor: Actor, conversation_id: int, label: str | None) -> None:
    with session_scope() as session:
        drills.set_label(session=session, actor=actor, conversation_id=conversation_id, label=label)


def hand_over(*, actor: Actor, conversation_id: int, to_user_id: int) -> None:
    with session_scope() as session:
        drills.hand_over(session=session, actor=actor, conversation_id=conversation_id, to_user_id=to_user_id)


def release(*, actor: Actor, conversation_id: int) -> None:
    with session_scope() as session:
        drills.release(session=session, actor=actor, conversation_id=conversation_id)


def dismiss(*, actor: Actor, conversation_id: int) -> None:
    with session_scope() as session:
        drills.dismiss(session=session, actor=actor, conversation_id=conversation_id)
