"""Personas: Faker-made, the same for the same seed, only the fields a scenario asks for."""

from __future__ import annotations

import re

import pytest

from scenarios.personas import CORE_FIELDS, EXTRA_FIELDS, make_persona
from scenarios.schema import PersonaTemplate

EVERYTHING = PersonaTemplate(mood="angry", followers=(3800, 4300), fields=list(EXTRA_FIELDS))


@pytest.mark.parametrize("language", ["nl", "en"])
def test_personas_same_seed_gives_the_same_person(language):
    assert make_persona(EVERYTHING, language, 7) == make_persona(EVERYTHING, language, 7)


def test_personas_different_seeds_give_different_people():
    names = {make_persona(EVERYTHING, "nl", seed)["name"] for seed in range(20)}
    assert len(names) >= 15


def test_personas_followers_stay_in_the_template_range():
    for seed in range(50):
        assert 3800 <= int(make_persona(EVERYTHING, "nl", seed)["followers"]) <= 4300


def test_personas_only_requested_extra_fields_are_provided_and_do_not_shift_each_other():
    small = make_persona(PersonaTemplate(mood="neutral", fields=["iban"]), "nl", 3)
    assert set(small) == set(CORE_FIELDS) | {"iban"}
    full = make_persona(PersonaTemplate(mood="neutral", fields=list(EXTRA_FIELDS)), "nl", 3)
    assert small["iban"] == full["iban"], "asking for more fields must not change the others"


def test_personas_values_look_like_the_real_thing():
    for seed in range(30):
        dutch = make_persona(EVERYTHING, "nl", seed)
        assert dutch["iban"].startswith("NL") and len(dutch["iban"]) == 18
        assert re.fullmatch(r"[A-Z][A-Z2-9]{5}", dutch["booking_code"])
        assert not re.fullmatch(r"\d{4}[A-Z]{2}", dutch["booking_code"]), "a booking code must not look like a postcode"
        assert re.fullmatch(r"SN1\d{3}", dutch["flight"])
        assert dutch["handle"].startswith("@") and " " not in dutch["handle"]
        assert dutch["name"] == f"{dutch['first_name']} {dutch['last_name']}"
        assert dutch["email"].isascii()
    english = make_persona(EVERYTHING, "en", 1)
    assert english["iban"].startswith("GB")
