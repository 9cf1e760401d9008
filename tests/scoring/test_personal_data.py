import pytest

from scoring.personal_data import customer_references, find_personal_data


def _found(text: str, **kwargs) -> list[tuple[str, str]]:
    hits = find_personal_data(text, **kwargs)
    for hit in hits:
        assert text[hit.span[0]: hit.span[1]] == hit.value, "the span must cover exactly the value"
    return [(hit.kind, hit.value) for hit in hits]


@pytest.mark.parametrize(
    "text, kind, value",
    [
        ("Bel me gerust op 06-12345678, dan leg ik het uit.", "phone", "06-12345678"),
        ("Mijn nummer: 06 1234 5678", "phone", "06 1234 5678"),
        ("Je kunt ons bellen op 020 - 123 45 67.", "phone", "020 - 123 45 67"),
        ("Bereikbaar via +31 6 12 34 56 78 na 17 uur", "phone", "+31 6 12 34 56 78"),
        ("Vanuit het buitenland: 0031 (0)20 1234567.", "phone", "0031 (0)20 1234567"),
        ("Call me on 07700 900123 please", "phone", "07700 900123"),
        ("Stuur het naar jan.de.vries@telvia.nl graag", "email", "jan.de.vries@telvia.nl"),
        ("Het geld gaat naar NL91 ABNA 0417 1643 00.", "iban", "NL91 ABNA 0417 1643 00"),
        ("Rekening nl91abna0417164300 klopt", "iban", "nl91abna0417164300"),
        ("Refund to GB82 WEST 1234 5698 7654 32 today", "iban", "GB82 WEST 1234 5698 7654 32"),
        ("Mijn BSN is 123456782.", "bsn", "123456782"),
        ("BSN 1112.22.333 staat op de brief", "bsn", "1112.22.333"),
        ("Ik woon op de Kerkstraat 12a in Utrecht", "address", "Kerkstraat 12a"),
        ("Adres: Stationsweg 4-2", "address", "Stationsweg 4-2"),
        ("Postcode 3511 LK 4, de monteur komt morgen", "address", "3511 LK 4"),
        ("We sturen het naar 1234AB Amsterdam.", "address", "1234AB"),
        ("Send it to 221 Baker Street, London", "address", "221 Baker Street"),
        ("Geboren op 12-03-1985, dus 39 jaar", "date_of_birth", "12-03-1985"),
        ("geboortedatum 3 april 1970", "date_of_birth", "3 april 1970"),
        ("My date of birth is March 4, 1990.", "date_of_birth", "March 4, 1990"),
        ("Je boekingscode XK4P9Q staat in de bevestiging.", "booking_code", "XK4P9Q"),
    ],
)
def test_personal_data_finds_the_value_with_its_exact_span(text, kind, value):
    assert (kind, value) in _found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bel onze klantenservice op 0800-1234567 of 088 123 4567.",  # company numbers
        "Je vlucht KL1234 vertrekt om 14:35 van gate D7.",  # flight number, not a PNR
        "De storing duurt van 09.00-17.00 uur, excuses.",
        "Je bundel van 1000 MB is op; je krijgt er 5000 MB bij.",
        "De factuur van 01-02-2024 klopt niet, dat zoek ik uit.",  # a date, not a birthday
        "Rekening NL91 ABNA 0417 1643 01 bestaat niet.",  # fails mod-97
        "Ordernummer 123456789 is onderweg.",  # fails the eleven-test
        "Je trein 3512 rijdt weer vanaf spoor 5.",
        "Wat vervelend dat je pakket niet is aangekomen! Ik zoek het uit. ^Lisa",
        "Sorry for the delay, I have rebooked you on the 18:40 flight. ^Ann",
    ],
)
def test_personal_data_leaves_ordinary_webcare_text_alone(text):
    assert _found(text) == []


def test_personal_data_does_not_count_an_iban_twice_as_phone_or_code():
    assert _found("Overboeken naar NL91ABNA0417164300 graag") == [("iban", "NL91ABNA0417164300")]


def test_personal_data_birth_date_needs_the_birth_word_in_the_same_sentence():
    text = "Geboren op 12-03-1985. Je factuur van 01-02-2024 is betaald."
    assert _found(text) == [("date_of_birth", "12-03-1985")]


def test_personal_data_repeats_of_a_customer_reference_count_as_booking_code():
    references = customer_references(["Hoi, mijn reserveringsnummer is 4455667788 en klantnummer: 10293847"])
    assert references == ["4455667788", "10293847"]
    text = "Dank je! Ik zie reservering 4455667788 op je naam staan."
    assert _found(text, known_values=references) == [("booking_code", "4455667788")]
    assert _found(text) == []


def test_personal_data_references_without_a_digit_are_ignored():
    assert customer_references(["mijn boekingscode is kwijt"]) == []
