"""The form of address a reply should use, and the register its advice is written in.

The medium sets the default (content/media.yaml `address`: "je" on social media, "u" in
e-mail); the customer's own form is accepted too. A customer who writes "u" (and never "je")
may be answered with "u" on X, and a customer who writes "je" with "je" in an e-mail. The
medium's own form is never wrong: the scenarios' model answers say "je" on Messenger to a
customer who wrote "Kunt u mij helpen?". The advice follows the reply's own form when that is
accepted, else the customer's, else the medium's: a customer who writes "u" is never advised
"Hoi Sanne," unless the reply itself says "je". English has no forms to choose; its register
follows the medium's formality.

The advice register (content/tone/<lang>.yaml `advice`) is "formal" for "u", "polite" for
"je" on a formal medium ("Beste Sanne,") and "casual" otherwise ("Hoi Sanne,").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Doc, Token

from scoring.config import Medium
from scoring.cues import AddressForms, Register

Form = Literal["u", "je"]


@dataclass(frozen=True)
class AddressReading:
    u_tokens: tuple[Token, ...]        # the reply's u-forms, in order
    je_tokens: tuple[Token, ...]
    expected: Form                     # the customer's form if known, else the medium's
    accepted: frozenset[str]           # forms that cost nothing: the medium's and the customer's
    customer_form: Form | None         # the customer's own form, when they used only one

    @property
    def reply_form(self) -> Form | None:
        if self.u_tokens and not self.je_tokens:
            return "u"
        if self.je_tokens and not self.u_tokens:
            return "je"
        return None

    @property
    def advice_form(self) -> Form:
        """The reply's own form when it is an accepted one (its advice should match it),
        else the expected form."""
        own = self.reply_form
        return own if own is not None and own in self.accepted else self.expected


def forms_in(doc: Doc, forms: AddressForms) -> tuple[tuple[Token, ...], tuple[Token, ...]]:
    u_forms, je_forms = set(forms.u), set(forms.je)
    u_tokens, je_tokens = [], []
    for token in doc:  # one pass: making Token objects is most of the cost here
        lower = token.lower_
        if lower in u_forms:
            u_tokens.append(token)
        elif lower in je_forms:
            je_tokens.append(token)
    return tuple(u_tokens), tuple(je_tokens)


def read_address(reply: Doc, customer: Doc | None, forms: AddressForms, medium: Medium) -> AddressReading:
    u_tokens, je_tokens = forms_in(reply, forms)
    customer_form: Form | None = None
    if customer is not None and len(customer):
        cu, cje = forms_in(customer, forms)
        customer_form = "u" if cu and not cje else "je" if cje and not cu else None
    default: Form = "u" if medium.address == "u" else "je"
    expected = customer_form or default
    return AddressReading(u_tokens, je_tokens, expected, frozenset({default, expected}), customer_form)


def register_for(form: Form | None, medium: Medium) -> Register:
    """`form` None: a language without forms of address (English)."""
    if form == "u":
        return "formal"
    if form is None and medium.formality == "formal":
        return "formal"
    return "polite" if medium.formality == "formal" else "casual"
