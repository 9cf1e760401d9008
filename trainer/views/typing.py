"""The new-hire typing test screen: real webcare sentences against the server's clock;
characters per minute and errors, stored with the trainee, and their earlier results.

The running test and the last result live in the page's session state as plain data (dicts);
these functions turn them into what the screen shows."""

from __future__ import annotations

import html
from dataclasses import dataclass

from sqlmodel import Session

from trainer import local_time
from trainer.components.refusal import REFUSALS, refused, too_long
from trainer.db.engine import session_scope
from trainer.db.types import utcnow
from trainer.i18n import t
from trainer.services import typing_test
from trainer.services.limits import InputTooLong
from trainer.services.rights import Actor

KEPT = ("chars_per_minute", "char_errors", "word_errors", "accuracy", "seconds")  # a result, as the page keeps it
# The target cannot be selected (no copy and paste); escaped like any other text.
TARGET_HTML = ('<div class="typing-target" style="user-select:none;-webkit-user-select:none;font-size:1.15em;'
               'line-height:1.6;padding:.8em 1em;background:#f6f6f9;border-radius:8px">{text}</div>')


def start(language: str) -> dict:
    """A new test in `language`, started now by the server's clock, as plain data."""
    return typing_test.new_test(language, utcnow()).to_state()


@dataclass(frozen=True)
class RunningTest:
    caption: str  # since when the clock runs
    target_html: str


def running(state: dict, language: str) -> RunningTest:
    test = typing_test.TypingTest.from_state(state)
    return RunningTest(caption=t("typing.running", language, time=local_time.clock(test.started_at, seconds=True)),
                       target_html=TARGET_HTML.format(text=html.escape(test.target)))


@dataclass(frozen=True)
class Submitted:
    error: str | None = None  # nothing measured or stored; the test runs on
    result: dict | None = None  # measured and stored, as the page keeps it


def submit(*, actor: Actor, language: str, state: dict, typed: str) -> Submitted:
    """Measure what was typed against the server's clock (not the browser's) and store it."""
    submitted_at = utcnow()
    if not typed.strip():
        return Submitted(error=t("typing.empty", language))
    try:
        result = typing_test.measure(typing_test.TypingTest.from_state(state), typed, submitted_at)
    except InputTooLong as exc:
        return Submitted(error=too_long(exc, language))
    except REFUSALS as failed:  # only spaces and control characters typed, a clock gone back
        return Submitted(error=refused(failed, language))
    with session_scope() as session:
        typing_test.record_result(session=session, actor=actor, result=result)
    return Submitted(result={name: getattr(result, name) for name in KEPT})


@dataclass(frozen=True)
class ResultCard:
    metrics: list[tuple[str, str]]  # (label, value)
    warning: str | None  # faster than anyone types: pasted?
    saved: str


def result_card(result: dict, language: str) -> ResultCard:
    implausible = result["chars_per_minute"] > typing_test.PLAUSIBLE_MAX_CPM
    return ResultCard(
        metrics=[
            (t("typing.cpm", language), f"{result['chars_per_minute']:.0f}"),
            (t("typing.char_errors", language), str(result["char_errors"])),
            (t("typing.word_errors", language), str(result["word_errors"])),
            (t("typing.accuracy", language), f"{result['accuracy']:.0%}"),
            (t("typing.seconds", language), f"{result['seconds']:.0f}"),
        ],
        warning=t("typing.implausible", language, limit=typing_test.PLAUSIBLE_MAX_CPM) if implausible else None,
        saved=t("typing.saved", language),
    )


def previous_results(*, session: Session, actor: Actor) -> list[typing_test.TypingResult]:
    """The actor's own earlier results, newest first."""
    return typing_test.list_results(session=session, actor=actor, trainee_id=actor.id)
