"""Personal data in a text: phone numbers, e-mail addresses, IBANs, BSNs, addresses, dates of
birth and booking codes, each with its exact character span.

Detectors are regular expressions plus the checks the numbers themselves carry (IBAN mod-97,
the BSN eleven-test), so "bel 0900-1234" or a flight number is not taken for personal data.
Reusable outside scoring (the drills use it to mark what a trainee must not repeat).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

KINDS = ("booking_code", "address", "phone", "email", "iban", "bsn", "date_of_birth", "credentials")
# Passwords and PIN codes have no shape to detect: they are only asked for by name.


@dataclass(frozen=True)
class PersonalDataHit:
    kind: str
    span: tuple[int, int]
    value: str


# --- detectors ----------------------------------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")

# Digits with the separators people type between them: "06-12345678", "06 1234 5678",
# "+31 (0)6 12 34 56 78", "020 - 123 45 67".
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)(?P<country>\d{2})[\s.-]?(?:\(0\)[\s.-]?)?(?P<rest>\d(?:[\s.-]?\d){6,10})"
    r"|(?P<national>0(?:[\s.-]{0,3}\d){9})|(?P<uk_mobile>07\d{3}[\s-]?\d{6}))(?![\w-]*\d)"
)
# Dutch service numbers are the company's, not the customer's.
_SERVICE_PREFIXES = ("0800", "0900", "0906", "0909", "085", "088", "084", "087")

_IBAN = re.compile(r"\b[A-Za-z]{2}\d{2}(?:[ ]?[A-Za-z0-9]{4}){2,7}(?:[ ]?[A-Za-z0-9]{1,3})?\b")
_IBAN_LENGTHS = {"NL": 18, "BE": 16, "DE": 22, "FR": 27, "GB": 22, "ES": 24, "IT": 27, "LU": 20, "AT": 20}

_BSN = re.compile(r"(?<![\w.+-])\d{4}[.\s]?\d{2}[.\s]?\d{3}(?![\w-]|[.,]\d)|(?<![\w.+-])\d{3}[.\s]\d{3}[.\s]\d{3}(?![\w-]|[.,]\d)")

# 1234 AB (letters SA, SD and SS are never issued) with a house number or a place after it:
# a postcode alone ("bundel van 1000 MB") identifies nobody.
_POSTCODE = re.compile(
    r"\b[1-9]\d{3}[ ]?(?!SA|SD|SS)(?P<letters>[A-Z]{2})\b"
    r"(?:[ ,]+\d{1,5}(?:[ -]?[A-Za-z]\b)?|(?=,?\s+[A-Z][a-z]{2,}))"
)
_NOT_POSTCODE_UNITS = {"MB", "GB", "KB", "TB", "KW", "MW", "PM", "AM", "EU", "CM", "MM", "KM"}
_STREET_SUFFIXES = (
    "straat|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof|pad|steeg|markt|ring|baan|park|"
    "plantsoen|erf|veld|wal|burgwal|haven|kanaal|steenweg|allee|boulevard|straatweg"
)
_STREET_NL = re.compile(
    rf"\b[A-Z][a-zà-ÿ'-]*(?:{_STREET_SUFFIXES})\s+\d{{1,5}}(?:\s?-?\s?[A-Za-z]\b|\s?-\s?\d{{1,4}}\b)?",
)
_STREET_EN = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St\.|Road|Rd\.|Avenue|Ave\.|Lane|Drive|Close|Way|Court|Place|Square)\b"
)

_MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec|"
    "january|february|march|may|june|july|august|october"
)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)\d{{2}}|(?:19|20)\d{{2}}-\d{{2}}-\d{{2}}|"
    rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTHS})\.?\s+(?:19|20)\d{{2}}|"
    rf"(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+(?:19|20)\d{{2}})\b",
    re.IGNORECASE,
)
_BIRTH = re.compile(
    r"geboren|geboortedatum|geb\.|geboortedag|verjaardag|born|birth|d\.o\.b|\bdob\b|birthday",
    re.IGNORECASE,
)
_BIRTH_WINDOW = 40

# A PNR: six capitals and digits with at least one of each ("XK4P9Q"); not a flight number
# ("KL1234", "U21234").
_BOOKING_CODE = re.compile(
    r"\b(?![A-Z][A-Z0-9]\d{4}\b)(?=[A-Z0-9]{6}\b)(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6}\b"
)

# What a customer calls their reference: "mijn boekingscode is XK4P9Q", "klantnummer: 1234567".
_REFERENCE_WORDS = (
    r"boekingscode|boekingsnummer|reserveringsnummer|reserveringscode|ordernummer|bestelnummer|"
    r"klantnummer|dossiernummer|contractnummer|polisnummer|zaaknummer|ticketnummer|"
    r"booking\s+(?:reference|code|number)|reservation\s+(?:number|code)|order\s+number|"
    r"customer\s+number|account\s+number|case\s+number|reference(?:\s+number)?|ref\.?"
)
_REFERENCE = re.compile(
    rf"\b(?:{_REFERENCE_WORDS})\W{{0,3}}(?:is|was|luidt|:)?\s*(?P<value>[A-Za-z0-9][A-Za-z0-9-]{{3,}})",
    re.IGNORECASE,
)


def find_personal_data(text: str, language: str = "nl", *, known_values: Iterable[str] = ()) -> list[PersonalDataHit]:
    """Every piece of personal data in `text`, in text order, without overlaps.

    The detectors know Dutch and British formats and run whatever the `language`, since a
    Dutch reply may hold an English phone number and the other way round. `known_values` are
    references the customer gave (see `customer_references`): a reply repeating one is
    repeating the customer's booking code whatever its shape."""
    hits: list[PersonalDataHit] = []
    hits += [_hit("email", m) for m in _EMAIL.finditer(text)]
    iban_shaped = list(_IBAN.finditer(text))
    hits += [_hit("iban", m) for m in iban_shaped if _valid_iban(m.group())]
    hits += [h for m in _PHONE.finditer(text) if (h := _phone_hit(m))]
    hits += [_hit("bsn", m) for m in _BSN.finditer(text) if _valid_bsn(m.group())]
    hits += [_hit("address", m) for m in _POSTCODE.finditer(text) if _is_postcode(m)]
    hits += [_hit("address", m) for pattern in (_STREET_NL, _STREET_EN) for m in pattern.finditer(text)]
    hits += [_hit("date_of_birth", m) for m in _DATE.finditer(text) if _near_birth(text, m)]
    hits += [_hit("booking_code", m) for m in _BOOKING_CODE.finditer(text)]
    for value in {v.strip() for v in known_values if v and len(v.strip()) >= 4}:
        for m in re.finditer(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text, re.IGNORECASE):
            hits.append(_hit("booking_code", m))
    # An IBAN-shaped string that fails mod-97 is nothing; its digits are no phone number.
    blocked = [m.span() for m in iban_shaped if not _valid_iban(m.group())]
    hits = [h for h in hits if h.kind == "iban" or not any(h.span[0] < end and start < h.span[1] for start, end in blocked)]
    return _without_overlaps(hits)


def customer_references(texts: Iterable[str]) -> list[str]:
    """References the customer named in their own messages ("boekingscode: 8XK2L9",
    "klantnummer 10293847"), for `find_personal_data(known_values=...)`."""
    values = []
    for text in texts:
        for m in _REFERENCE.finditer(text):
            value = m.group("value")
            if any(c.isdigit() for c in value):
                values.append(value)
    return values


def _hit(kind: str, match: re.Match) -> PersonalDataHit:
    value = match.group().rstrip(" ,")
    return PersonalDataHit(kind, (match.start(), match.start() + len(value)), value)


def _phone_hit(match: re.Match) -> PersonalDataHit | None:
    if match.group("uk_mobile"):
        return _hit("phone", match)
    if match.group("country"):
        if match.group("country") == "31" and len(re.sub(r"\D", "", match.group("rest"))) != 9:
            return None
    else:
        digits = re.sub(r"\D", "", match.group("national"))
        if digits[1] == "0" or digits.startswith(_SERVICE_PREFIXES):
            return None
    return _hit("phone", match)


def _valid_iban(candidate: str) -> bool:
    iban = re.sub(r"\s", "", candidate).upper()
    expected = _IBAN_LENGTHS.get(iban[:2])
    if expected is not None and len(iban) != expected:
        return False
    if not 15 <= len(iban) <= 34:
        return False
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(c, 36)) for c in rearranged)
    return int(number) % 97 == 1


def _valid_bsn(candidate: str) -> bool:
    digits = [int(c) for c in re.sub(r"\D", "", candidate)]
    if len(digits) != 9 or digits[0] == 0 and digits[1] == 0:
        return False
    # The eleven-test: 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is divisible by 11.
    total = sum(weight * d for weight, d in zip(range(9, 1, -1), digits[:8])) - digits[8]
    return total % 11 == 0 and total != 0


def _is_postcode(match: re.Match) -> bool:
    return match.group("letters") not in _NOT_POSTCODE_UNITS


def _near_birth(text: str, match: re.Match) -> bool:
    """A birth word shortly before the date (or just after it), in the same sentence."""
    before = _SENTENCE_END.split(text[max(0, match.start() - _BIRTH_WINDOW): match.start()])[-1]
    after = _SENTENCE_END.split(text[match.end(): match.end() + 15])[0]
    return bool(_BIRTH.search(before) or _BIRTH.search(after))


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])|\n")


# Overlaps are resolved by the more specific detector ("NL91ABNA..." is an IBAN, not a
# booking code; an IBAN's digits are not a phone number).
_PRIORITY = {"email": 0, "iban": 1, "date_of_birth": 2, "address": 3, "phone": 4, "bsn": 5, "booking_code": 6}


def _without_overlaps(hits: list[PersonalDataHit]) -> list[PersonalDataHit]:
    kept: list[PersonalDataHit] = []
    for hit in sorted(hits, key=lambda h: (_PRIORITY[h.kind], h.span[0] - h.span[1])):
        if all(hit.span[1] <= k.span[0] or hit.span[0] >= k.span[1] for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: h.span)
