"""privacy.v2: no personal data asked for or repeated in public.

On a public medium (X, Facebook and Instagram comments, review sites):
- asking for personal data (booking code, address, phone, e-mail, IBAN, BSN, date of birth,
  password) without moving to a private channel is critical, however it is phrased: a question
  ("Wat is je postcode?"), a request phrase ("graag je ...", "we hebben ... nodig"), an
  invitation with a verb of sharing ("kun je ... delen", "you can ... post"), or a clause that
  opens with one ("Zet je ... hieronder", "Drop your ... below"). "Stuur je boekingscode even
  via DM?" is what we want. A private move in the sentence or the one before or after makes a
  request fine, unless the request itself says where in public ("hieronder", "in a comment");
  a negation in the clause makes it a warning ("Deel je pincode nooit").
- a value in the reply (a phone number, an IBAN, the customer's own booking code...) is
  critical, with the value's exact span;
- details of someone's health, debts, account or order ("openstaande rekening", "ziekenhuis",
  "in je klantgegevens zie ik") are critical (minor when the reply only echoes what the
  customer made public);
- when the customer posted their own data in public, a reply that neither advises removing it
  nor moves to private costs a minor finding.
A landline number or a service mailbox ("webcare@...") the customer did not give is taken to be
the company's own and may be published.
On a private medium asking and repeating are the job, so nothing is flagged.

Cue phrases and the words for each kind of data live in content/privacy/<lang>.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, field_validator
from spacy.tokens import Doc

from scoring.config import Strict, media_catalogue, messages
from scoring.contentfile import content_dir, load_model
from scoring.evaluation import Evaluation
from scoring.model import Finding, Severity
from scoring.personal_data import KINDS, PersonalDataHit, customer_references, find_personal_data
from scoring.registry import Outcome, register
from scoring.similarity import CueHit, PhraseCues

DIMENSION = "privacy"
ASKS_IN_PUBLIC = "privacy.asks_in_public"
REPEATS_IN_PUBLIC = "privacy.repeats_in_public"
SENSITIVE_IN_PUBLIC = "privacy.sensitive_in_public"
CUSTOMER_SHARED_PUBLICLY = "privacy.customer_shared_publicly"
ANY_PRIVATE_CHANNEL = "privacy.any_private_channel"
RULES = (ASKS_IN_PUBLIC, REPEATS_IN_PUBLIC, SENSITIVE_IN_PUBLIC, CUSTOMER_SHARED_PUBLICLY, ANY_PRIVATE_CHANNEL)
CUE_GROUPS = ("request", "invitation", "share_verbs", "public_place", "not_a_request", "private_move",
              "sensitive_details", "advise_removal")

# Mobile numbers are a person's; a landline in a reply is usually the company's own.
_MOBILE = re.compile(r"^(?:06|\+?316|00316|07|\+?447|00447)")

_DATA = "data:"


class CueGroup(Strict):
    phrases: list[str] = Field(min_length=1)
    should_flag: list[str] = Field(min_length=1)
    should_pass: list[str] = Field(min_length=1)
    customer: str | None = None  # what the customer posted before the examples


class DataType(Strict):
    label: str  # completes "Je vraagt om ...": "de boekingscode"
    terms: list[str] = Field(min_length=1)
    should_flag: list[str] = Field(default_factory=list)
    should_pass: list[str] = Field(default_factory=list)


Kind = Literal["booking_code", "address", "phone", "email", "iban", "bsn", "date_of_birth", "credentials"]
assert set(get_args(Kind)) == set(KINDS), "Kind must list scoring.personal_data.KINDS"


class PrivacyCues(Strict):
    data_types: dict[Kind, DataType]
    request: CueGroup
    invitation: CueGroup
    share_verbs: CueGroup
    public_place: CueGroup
    not_a_request: CueGroup
    # Clauses end at punctuation and before these words; a verb of sharing asks when it opens
    # its clause, after any of `opener_skip` ("Dan even je postcode ...": "dan", "even").
    clause_breaks: list[str] = Field(min_length=1)
    opener_skip: list[str] = Field(default_factory=list)
    and_word: str  # joins the labels of several kinds: "het adres en de geboortedatum"
    private_move: CueGroup
    sensitive_details: CueGroup
    advise_removal: CueGroup
    company_mailboxes: list[str] = Field(default_factory=list)

    @field_validator("data_types")
    @classmethod
    def _every_kind(cls, data_types: dict[str, DataType]) -> dict[str, DataType]:
        missing = set(KINDS) - set(data_types)
        if missing:
            raise ValueError(f"must describe {sorted(missing)} as well")
        return data_types

    def groups(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """What the phrase matcher looks for, as a hashable value."""
        groups = [(f"{_DATA}{kind}", tuple(data.terms)) for kind, data in self.data_types.items()]
        groups += [(name, tuple(getattr(self, name).phrases)) for name in CUE_GROUPS]
        return tuple(groups)


@lru_cache(maxsize=None)
def privacy_cues(language: str, root: Path | None = None) -> PrivacyCues:
    return load_model((root or content_dir()) / "privacy" / f"{language}.yaml", PrivacyCues)


@register("privacy", "v2")
def score(doc: Doc, ev: Evaluation) -> Outcome:
    if not ev.public:
        return Outcome()
    cues = privacy_cues(ev.language)
    hits = PhraseCues.cached(ev.language, cues.groups()).find(doc, keys=ev.reply_keys)
    findings = _requests_in_public(doc, ev, hits)
    findings += _values_in_public(ev, cues)
    findings += _sensitive_details(ev, cues, hits)
    findings += _customer_left_data_public(ev, hits)
    return Outcome(findings)


def _sensitive_details(ev: Evaluation, cues: PrivacyCues, hits: list[CueHit]) -> list[Finding]:
    """Health, debt and account details: critical, or minor when the customer made them public
    first ("ik lig in het ziekenhuis") and the reply echoes them."""
    sensitive = [hit for hit in hits if hit.group == "sensitive_details"]
    if not sensitive:
        return []
    customer_said = set()
    if ev.context.customer_messages:
        customer_said = {h.phrase for h in PhraseCues.cached(ev.language, cues.groups()).find(ev.customer_doc, keys=ev.customer_keys)}
    return [
        ev.finding(DIMENSION, SENSITIVE_IN_PUBLIC, Severity.minor if hit.phrase in customer_said else Severity.critical,
                   span=hit.span, detail=ev.reply[hit.span[0]: hit.span[1]], medium=_medium_name(ev),
                   channel=_private_channel(ev))
        for hit in sensitive
    ]


def _requests_in_public(doc: Doc, ev: Evaluation, hits: list[CueHit]) -> list[Finding]:
    """Sentences that ask for a kind of data with no private move that covers them."""
    cues = privacy_cues(ev.language)
    sentences = list(doc.sents)
    sentence_of = {token.i: number for number, sentence in enumerate(sentences) for token in sentence}
    clause_of = _clauses(doc, set(cues.clause_breaks))

    def in_sentence(group_prefix: str, number: int) -> list[CueHit]:
        return [h for h in hits if h.group.startswith(group_prefix) and sentence_of.get(h.tokens[0]) == number]

    def moves_private(number: int) -> bool:
        if not 0 <= number < len(sentences):
            return False
        return bool(in_sentence("private_move", number)) or any(token.like_email for token in sentences[number])

    findings = []
    for number, sentence in enumerate(sentences):
        asked = [h for h in in_sentence(_DATA, number) if _asks_for(h, number, in_sentence, clause_of, doc, cues)]
        if not asked:
            continue
        if not _placed_in_public(number, in_sentence, clause_of, doc) and any(
                moves_private(near) for near in (number - 1, number, number + 1)):
            continue
        kinds = list(dict.fromkeys(h.group[len(_DATA):] for h in asked))
        start, end = sentence.start_char, sentence.start_char + len(sentence.text.rstrip())
        findings.append(ev.finding(
            DIMENSION, ASKS_IN_PUBLIC, Severity.critical, span=(start, end),
            data=_labels(ev, kinds), term=ev.reply[asked[0].span[0]: asked[0].span[1]],
            medium=_medium_name(ev), channel=_private_channel(ev),
        ))
    return findings


def _clauses(doc: Doc, breaks: set[str]) -> list[int]:
    """A clause number per token: a new clause starts at each sentence, after punctuation
    that separates clauses and at a clause word ("dan", "als", "because")."""
    numbers, clause = [], 0
    for token in doc:
        if token.is_sent_start or token.text.lower() in breaks:
            clause += 1
        numbers.append(clause)
        if token.text in _CLAUSE_PUNCTUATION:
            clause += 1
    return numbers


_CLAUSE_PUNCTUATION = {",", ";", ":", "(", ")", "–", "—"}


def _asks_for(data: CueHit, number: int, in_sentence, clause_of: list[int], doc: Doc, cues: PrivacyCues) -> bool:
    """Is this mention of a kind of data asked for? Not in a clause with a negation ("Deel je
    pincode nooit"); yes with a request phrase or "?" in the sentence, an invitation plus a
    verb of sharing ("Je kunt je adres hieronder zetten"), or a clause that opens with a verb
    of sharing ("Zet je postcode hieronder", "Drop your order number below")."""
    negated = {clause_of[h.tokens[0]] for h in in_sentence("not_a_request", number)}
    clause = clause_of[data.tokens[0]]
    if clause in negated:
        return False
    if in_sentence("request", number):
        return True
    shares = [h for h in in_sentence("share_verbs", number) if clause_of[h.tokens[0]] not in negated]
    if shares and in_sentence("invitation", number):
        return True
    opener = _clause_opener(doc, clause_of, clause, set(cues.opener_skip))
    return any(h.tokens[0] == opener for h in shares)


def _clause_opener(doc: Doc, clause_of: list[int], clause: int, skip: set[str]) -> int | None:
    """The first token of the clause that is not a filler, a handle or punctuation."""
    for token in doc[clause_of.index(clause):]:
        if clause_of[token.i] != clause:
            return None
        if not (token.is_punct or token.text.lower() in skip or token.text.startswith("@")):
            return token.i
    return None


def _placed_in_public(number: int, in_sentence, clause_of: list[int], doc: Doc) -> bool:
    """The request says where in public ("hieronder", "in a comment"), not negated ("niet
    hier") and not in a clause that moves private ("ik heb je hier een DM gestuurd")."""
    private_clauses = {clause_of[h.tokens[0]] for h in in_sentence("private_move", number)}
    negations = {h.tokens[0] for h in in_sentence("not_a_request", number)}
    return any(
        clause_of[h.tokens[0]] not in private_clauses and not negations & set(range(h.tokens[0] - 2, h.tokens[0]))
        for h in in_sentence("public_place", number)
    )


def _values_in_public(ev: Evaluation, cues: PrivacyCues) -> list[Finding]:
    known = customer_references(ev.context.customer_messages)
    given = {_digits_or_text(hit.value) for hit in find_personal_data(ev.context.customer_text, ev.language)}
    findings = []
    for hit in find_personal_data(ev.reply, ev.language, known_values=known):
        if _digits_or_text(hit.value) not in given and _company_contact(hit, cues):
            continue
        findings.append(ev.finding(
            DIMENSION, REPEATS_IN_PUBLIC, Severity.critical, span=hit.span,
            data=_labels(ev, [hit.kind]), value=hit.value, medium=_medium_name(ev), channel=_private_channel(ev),
        ))
    return findings


def _customer_left_data_public(ev: Evaluation, hits: list[CueHit]) -> list[Finding]:
    if not ev.context.customer_messages:
        return []
    posted = find_personal_data(ev.context.customer_text, ev.language)
    if not posted or any(h.group in ("private_move", "advise_removal") for h in hits):
        return []
    kinds = list(dict.fromkeys(hit.kind for hit in posted))
    return [ev.finding(
        DIMENSION, CUSTOMER_SHARED_PUBLICLY, Severity.minor,
        data=_labels(ev, kinds), channel=_private_channel(ev), medium=_medium_name(ev),
    )]


def _company_contact(hit: PersonalDataHit, cues: PrivacyCues) -> bool:
    """The company's own service address or landline is meant to be public."""
    if hit.kind == "email":
        return hit.value.split("@", 1)[0].lower() in {m.lower() for m in cues.company_mailboxes}
    if hit.kind == "phone":
        return not _MOBILE.match(re.sub(r"[^\d+]", "", hit.value))
    return False


def _digits_or_text(value: str) -> str:
    """One form for "06-12345678" and "06 1234 5678"."""
    digits = re.sub(r"\D", "", value)
    return digits if len(digits) >= 6 else value.lower()


def _labels(ev: Evaluation, kinds: list[str]) -> str:
    """The kinds as the trainee reads them: "het adres en het telefoonnummer"."""
    cues = privacy_cues(ev.context.trainee_language)
    labels = [cues.data_types[kind].label for kind in kinds]
    if len(labels) < 2:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} {cues.and_word} {labels[-1]}"


def _medium_name(ev: Evaluation) -> str:
    return ev.medium.name(ev.context.trainee_language)


def _private_channel(ev: Evaluation) -> str:
    """The display name of where this medium moves private ("X-privébericht (DM)")."""
    target = ev.medium.private_channel
    if target:
        return media_catalogue().media[target].name(ev.context.trainee_language)
    return messages(ev.context.trainee_language).rules[ANY_PRIVATE_CHANNEL].message
