"""The "score a reply" screen: any reply outside a scenario, quick practice for one message.
Ready to show: the media by name, the example to start from, the scorecard or why the reply
cannot be scored. Nothing is stored, so there is no right to check: everyone may score."""

from __future__ import annotations

from dataclasses import dataclass

from scoring import ReplyRejected, Scorecard
from scoring.config import media_catalogue
from scoring.languagetool import GrammarChecker
from trainer.components.refusal import refused
from trainer.i18n import t
from trainer.services import quick_score

CUSTOMER_NAME = "Sanne de Vries"  # the example customer's, as in the example message


@dataclass(frozen=True)
class ScoreForm:
    media: dict[str, str]  # medium -> its name in the screen's language, in the catalogue's order
    customer: str  # the example customer's message
    customer_name: str


def score_form(language: str) -> ScoreForm:
    media = media_catalogue().media
    return ScoreForm(media={key: medium.name(language) for key, medium in media.items()},
                     customer=t("quick.customer_example", language), customer_name=CUSTOMER_NAME)


@dataclass(frozen=True)
class QuickScore:
    card: Scorecard | None = None  # None: refused
    refusal: str | None = None  # too long for the form, empty, not scorable


def score(*, language: str, medium: str, customer: str, customer_name: str, reply: str, seconds: float,
          checker: GrammarChecker | None) -> QuickScore:
    """Score `reply` with the real pipeline (`checker`: the page's cached grammar checker)."""
    try:
        card = quick_score.score(language=language, medium=medium, customer=customer, customer_name=customer_name,
                                 reply=reply, seconds=seconds, checker=checker)
    except ReplyRejected as exc:  # also InputTooLong
        return QuickScore(refusal=refused(exc, language))
    return QuickScore(card=card)
