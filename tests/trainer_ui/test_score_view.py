"""The "score a reply" screen's view functions, without Streamlit: the real scoring pipeline and
the real LanguageTool server (the `grammar_checker` fixture, as the quick-score page tests use)."""

from __future__ import annotations

import pytest

from scoring.config import DIMENSIONS, media_catalogue
from trainer.services.limits import limits
from trainer.views import score as view

CUSTOMER = "@SkyNL Mijn vlucht naar Rome is geannuleerd en niemand neemt op. Schandalig!"


def _score(reply: str, checker, *, language: str = "nl", medium: str = "twitter", customer: str = CUSTOMER,
           seconds: float = 60) -> view.QuickScore:
    return view.score(language=language, medium=medium, customer=customer, customer_name="Sanne de Vries", reply=reply,
                      seconds=seconds, checker=checker)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_score_view_form_names_every_medium_in_the_screens_language(language):
    form = view.score_form(language)
    media = media_catalogue().media
    assert list(form.media) == list(media)
    assert form.media == {key: medium.name(language) for key, medium in media.items()}
    assert form.customer.startswith("@SkyNL") and form.customer_name == "Sanne de Vries"


def test_score_view_scores_every_dimension_and_finds_the_dt_mistake(grammar_checker):
    done = _score("Hoi Sanne, je word morgen gebelt door een collega. ^Lisa", grammar_checker)
    assert done.refusal is None
    card = done.card
    assert set(card.dimensions) == set(DIMENSIONS) and card.medium == "twitter" and card.language == "nl"
    assert all(result.version for result in card.dimensions.values())
    assert card.dimensions["spelling"].checked  # the real server was asked
    assert any(finding.suggestion == "wordt" for finding in card.dimensions["spelling"].findings)
    # Two spelling mistakes in one line: below spelling's own minimum, whatever the total.
    assert not card.passed and any(note.startswith("Niet geslaagd: Spelling scoort") for note in card.notes)


def test_score_view_a_good_reply_scores_above_a_poor_one(grammar_checker):
    good = _score("Hoi Sanne, wat vervelend dat je vlucht is geannuleerd! Ik zoek het direct voor je uit. "
                  "Stuur je me een DM met je boekingscode? ^Lisa", grammar_checker).card
    poor = _score("Stuur je adres en je IBAN hier maar, dan kijken we ernaar.", grammar_checker).card
    assert good.total > poor.total
    assert poor.critical and not poor.passed  # asking for an IBAN in public


def test_score_view_refuses_in_the_screens_language(grammar_checker):
    empty = _score("   ", grammar_checker, language="en")
    assert empty.card is None and "empty" in empty.refusal
    too_long = _score("Hoi Sanne! ^Lisa", grammar_checker, customer="Ik wacht al weken. " * 300)
    limit = f"{limits().customer_message_chars:,}".replace(",", ".")
    assert too_long.card is None
    assert too_long.refusal.startswith("Het bericht van de klant is te lang: 5.700 tekens") and limit in too_long.refusal
