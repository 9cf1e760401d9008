"""Customers made up by Faker: the same seed always gives the same person.

Every persona has the CORE_FIELDS; a scenario asks for the others it needs in
`persona.fields`, so a placeholder the scenario did not ask for is caught at load time.
"""

from __future__ import annotations

import random
import unicodedata
from typing import Callable

from faker import Faker

from scenarios.schema import PersonaTemplate

LOCALES = {"nl": "nl_NL", "en": "en_GB"}

CORE_FIELDS = ("first_name", "last_name", "name", "city", "handle", "followers")


def _code(fake: Faker, length: int = 6) -> str:
    # No 0/O or 1/I: booking codes are read aloud and typed over. A letter first, so a code
    # never looks like a Dutch postcode (1234 AB).
    letters, mixed = "ABCDEFGHJKLMNPQRSTUVWXYZ", "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return fake.random_element(letters) + "".join(fake.random_element(mixed) for _ in range(length - 1))


def _digits(fake: Faker, length: int) -> str:
    return str(fake.random_int(10 ** (length - 1), 10**length - 1))


def _email(fake: Faker, persona: dict[str, str]) -> str:
    local = _ascii(f"{persona['first_name']}.{persona['last_name']}").lower().replace(" ", "")
    return f"{local}@{fake.free_email_domain()}"


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# Optional fields, in a fixed order so adding one never changes the others for a seed.
EXTRA_FIELDS: dict[str, Callable[[Faker, dict[str, str], PersonaTemplate], str]] = {
    "booking_code": lambda fake, p, t: _code(fake),
    "flight": lambda fake, p, t: f"{t.flight_prefix}{fake.random_int(1000, 1999)}",
    "train": lambda fake, p, t: str(fake.random_int(30, 39) * 100 + fake.random_int(1, 60)),
    "customer_number": lambda fake, p, t: _digits(fake, 8),
    "contract_number": lambda fake, p, t: f"C-{_digits(fake, 7)}",
    "order_number": lambda fake, p, t: f"BH{_digits(fake, 8)}",
    "invoice_number": lambda fake, p, t: f"F{_digits(fake, 9)}",
    "policy_number": lambda fake, p, t: f"ZV-{_digits(fake, 6)}",
    "iban": lambda fake, p, t: fake.iban(),
    "postcode": lambda fake, p, t: fake.postcode(),
    "street_address": lambda fake, p, t: fake.street_address(),
    "phone": lambda fake, p, t: fake.phone_number(),
    "email": lambda fake, p, t: _email(fake, p),
}

PERSONA_FIELDS = CORE_FIELDS + tuple(EXTRA_FIELDS)


def make_persona(template: PersonaTemplate, language: str, seed: int) -> dict[str, str]:
    """All persona values as text (placeholders are filled with `str.format`)."""
    fake = Faker(LOCALES[language])
    fake.seed_instance(seed)
    first, last = fake.first_name(), fake.last_name()
    persona = {"first_name": first, "last_name": last, "name": f"{first} {last}", "city": fake.city()}
    persona["handle"] = _handle(fake, first, last, template.handle_style)
    low, high = template.followers
    persona["followers"] = str(random.Random(f"followers:{seed}").randint(low, high))
    for field, make in EXTRA_FIELDS.items():
        # Always draw, in order, so a scenario's extra fields do not shift each other's values.
        value = make(fake, persona, template)
        if field in template.fields:
            persona[field] = value
    return persona


def _handle(fake: Faker, first: str, last: str, style: str) -> str:
    base = _ascii(first + ("" if style == "nickname" else last)).lower().replace(" ", "").replace("'", "")
    if style == "nickname":
        base += fake.random_element(["_", "", "x"]) + fake.word().lower()
    return "@" + _ascii(base)[:12] + str(fake.random_int(1, 99))
