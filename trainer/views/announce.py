"""The trainee's "Aankondigen" screen: pick an announcement exercise and a medium, read the
brief, write the public post, see its scorecard, then the brief an hour later and the update;
at the end both posts beside the model answers. Ready to show; every change of state goes
through trainer.services.announcements."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from scenarios.announcements import exercises
from scoring.config import media_catalogue
from scoring.model import Scorecard
from trainer.components.markdown import escape
from trainer.components.refusal import REFUSALS, refused, too_long
from trainer.db.engine import session_scope
from trainer.i18n import t
from trainer.services import announcements
from trainer.services.announcements import AnnouncementState
from trainer.services.limits import InputTooLong
from trainer.services.rights import Actor
from trainer.views.practise import counter  # noqa: F401 - the page's character counter, as in practice


@dataclass(frozen=True)
class Choices:
    exercises: dict[str, str]  # exercise id -> "title · ★★"
    media: dict[str, dict[str, str]]  # exercise id -> {medium id -> its name}


def choices(language: str) -> Choices:
    found = exercises(language)
    media = media_catalogue().media
    return Choices(exercises={e.id: f"{e.title} · {'★' * e.difficulty}" for e in found},
                   media={e.id: {m: media[m].name(language) for m in e.media} for e in found})


def begin(*, actor: Actor, exercise_id: str, medium: str) -> dict:
    with session_scope() as session:
        state = announcements.begin(session=session, actor=actor, exercise_id=exercise_id, medium=medium)
    return state.model_dump(mode="json")


def resume(*, actor: Actor) -> AnnouncementState | None:
    with session_scope() as session:
        return announcements.resume(session=session, actor=actor)


@dataclass(frozen=True)
class Posted:
    caption: str
    text: str
    scorecard: Scorecard
    model: str


@dataclass(frozen=True)
class Screen:
    title: str
    stage: str | None  # the heading of the post to write now; None: both are done
    situation: str
    facts: list[tuple[str, str]]  # (label, fact) of the brief now
    posted: list[Posted]
    done: str | None  # the verdict once both posts are in
    good: bool
    reply_label: str
    reply_key: str
    submission_key: str
    max_chars: int


def screen(state: AnnouncementState, language: str) -> Screen:
    exercise = state.exercise
    medium = media_catalogue().media[state.medium]
    current = None if state.stage == "done" else exercise.brief(state.stage)
    posted = [Posted(caption=t("announce.posted", language, stage=t(f"announce.stage.{p.stage}", language),
                               total=round(p.scorecard["total"])), text=p.text,
                     scorecard=Scorecard.model_validate(p.scorecard), model=p.model_answer) for p in state.posts]
    good = state.stage == "done" and all(p.scorecard["passed"] for p in state.posts)
    done = None if state.stage != "done" else t("announce.done_good" if good else "announce.done_bad", language)
    return Screen(
        title=exercise.title, stage=None if current is None else t(f"announce.stage.{state.stage}", language),
        situation=current.situation.strip() if current else "",
        facts=[(t(f"announce.fact.{key}", language), escape(fact)) for key, fact in current.facts.items()] if current else [],
        posted=posted, done=done, good=good,
        reply_label=t("announce.your_post", language, medium=medium.name(language)),
        reply_key=f"announce_{state.attempt_id}_{state.stage}", submission_key=f"announce_submission_{state.attempt_id}_{state.stage}",
        max_chars=medium.max_chars,
    )


@dataclass(frozen=True)
class Sent:
    refusal: str | None
    sent_earlier: bool = False


def post(*, actor: Actor, state: AnnouncementState, text: str | None, submission_id: str, checker, language: str,
         keep: Callable[[dict], None]) -> Sent:
    """Score and store the post; `keep` gets the new state before the session closes."""
    if not (text or "").strip():
        return Sent(refusal=t("announce.empty", language))
    try:
        with session_scope() as session:
            result = announcements.post(session=session, actor=actor, state=state, text=text,
                                        submission_id=uuid.UUID(submission_id), checker=checker,
                                        feedback_language=language)
            keep(result.state.model_dump(mode="json"))
    except InputTooLong as exc:
        return Sent(refusal=too_long(exc, language))
    except REFUSALS as failed:  # both posts sent already, the exercise finished in another tab
        return Sent(refusal=refused(failed, language))
    return Sent(refusal=None, sent_earlier=result.sent_earlier)


def abandon(*, actor: Actor, state: AnnouncementState) -> None:
    with session_scope() as session:
        announcements.abandon(session=session, actor=actor, state=state)
