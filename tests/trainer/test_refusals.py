"""Every refusal a service raises has its text in Dutch and in English (content/ui errors.*),
found in the code the way tests/trainer_ui/test_not_found.py finds NotFound's kinds: a code
without a text, or a text naming a parameter the raise does not give, fails here and not on a
trainee's screen."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import ValidationError

from scoring import ReplyRejected
from trainer.components.refusal import FIELDS, INVALID_TYPES, refused, invalid
from trainer.db.models import TeamCreate, UserCreate
from trainer.i18n import LANGUAGES, _placeholders, ui_texts
from trainer.services import accounts, attempts, audit, certification, drills, reviews, typing_test
from trainer.services.errors import Refused

ROOT = Path(__file__).resolve().parents[2]
AREAS = {cls.__name__: cls.area for cls in (accounts.AccountError, audit.ReasonRequired, certification.CertificationError,
                                            drills.DrillError, drills.NotYours, reviews.ReviewError,
                                            typing_test.TypingTestError, attempts.AttemptError)}


def _raised() -> dict[str, set[str]]:
    """Text key -> the parameter names each `raise AccountError("code", name=...)` (and the other
    Refused classes) and each `ReplyRejected(..., code="code", ...)` gives it."""
    found: dict[str, set[str]] = {}
    for path in [*(ROOT / "trainer").rglob("*.py"), *(ROOT / "scoring").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            given = {k.arg for k in node.keywords if k.arg}
            if name in AREAS and node.args and isinstance(node.args[0], ast.Constant):
                found.setdefault(f"errors.{AREAS[name]}.{node.args[0].value}", set()).update(given)
            elif name == "ReplyRejected":
                code = next((k.value.value for k in node.keywords if k.arg == "code"), None)
                if code is not None:
                    found.setdefault(f"errors.reply.{code}", set()).update(given - {"code"})
    for problem in accounts.WeakPassword.PROBLEMS:
        found[f"errors.account.{problem}"] = {"min"}
    found.update({"errors.certification.not_eligible": {"level"}, "errors.certification.verify_throttled": {"until"},
                  "errors.reply.other": set()})
    return found


RAISED = _raised()


def test_refusals_the_scan_finds_the_raises():
    assert {"errors.account.email_taken", "errors.drill.ended", "errors.drill.not_held", "errors.audit.reason_required",
            "errors.certification.already_revoked", "errors.reply.empty", "errors.review.no_dimension",
            "errors.typing.nothing_typed", "errors.attempt.finished", "errors.attempt.both_posts"} <= set(RAISED)
    assert RAISED["errors.account.email_taken"] == {"email"}


@pytest.mark.parametrize("key", sorted(RAISED))
def test_refusals_every_code_has_its_text_in_both_languages(key):
    for language in LANGUAGES:
        text = ui_texts()[language].get(key)
        assert text is not None, f"no {key} in content/ui/{language}/errors.yaml"
        assert _placeholders(text) <= RAISED[key], f"{key} ({language}) names {_placeholders(text) - RAISED[key]}"


def test_refusals_no_text_without_a_raise():
    prefixes = tuple(f"errors.{area}." for area in (*AREAS.values(), "reply"))
    texts = {key for key in ui_texts()["nl"] if key.startswith(prefixes)}
    assert texts - set(RAISED) == set()


@pytest.mark.parametrize(("exc", "dutch", "english"), [
    (accounts.AccountError("email_taken", email="tess_t@example.nl"),
     r"Er is al een gebruiker met e-mailadres tess\_t@example.nl.",
     r"A user with e-mail address tess\_t@example.nl already exists."),
    (accounts.WeakPassword("too_short", min_length=12), "Dat wachtwoord is te kort: gebruik minstens 12 tekens.",
     "That password is too short: use at least 12 characters."),
    (drills.NotYours("not_held", conversation=4), "Dit gesprek is niet (meer) van jou.",
     "This conversation is not (or no longer) yours."),
    (ReplyRejected("the reply is 20,001 characters", code="too_long", length=20_001, limit=20_000),
     "Het antwoord is 20.001 tekens lang; antwoorden van meer dan 20.000 tekens worden niet beoordeeld.",
     "The reply is 20,001 characters long; replies over 20,000 characters are not scored."),
    (reviews.ReviewError("no_dimension", dimension="tone_v9"), r"Deze beoordeling heeft geen onderdeel tone\_v9.",
     r"This score has no dimension tone\_v9."),
    (typing_test.TypingTestError("nothing_typed"), "Er is niets getypt.", "Nothing was typed."),
    (attempts.AttemptError("finished", attempt=12), "Oefengesprek 12 is al afgelopen: het neemt geen antwoorden meer aan.",
     "Practice conversation 12 is finished: it takes no more replies."),
])
def test_refusals_are_worded_in_the_users_language_only(exc, dutch, english):
    assert (refused(exc, "nl"), refused(exc, "en")) == (dutch, english)


def test_refusals_str_is_the_english_text_and_the_command_line_gets_no_markdown_escapes():
    taken = accounts.AccountError("email_taken", email="tess_t@example.nl")
    assert str(taken) == refused(taken, "en", markdown=False) == "A user with e-mail address tess_t@example.nl already exists."
    assert isinstance(taken, Refused) and isinstance(taken, ValueError)  # callers catching ValueError still do
    for error in (reviews.ReviewError, typing_test.TypingTestError, attempts.AttemptError):
        assert issubclass(error, Refused)


def test_refusals_form_errors_name_the_field_in_the_users_language():
    with pytest.raises(ValidationError) as wrong:
        UserCreate(email="geen-adres", full_name="  ", password="kort")
    assert invalid(wrong.value, "nl") == ("E-mailadres: dat is geen geldig e-mailadres. Naam mag niet leeg zijn. "
                                          "Wachtwoord: minstens 10 tekens.")
    assert invalid(wrong.value, "en") == ("E-mail address: that is no valid e-mail address. Name must not be blank. "
                                          "Password: at least 10 characters.")
    with pytest.raises(ValidationError) as long_name:
        TeamCreate(name="x" * 500)
    assert invalid(long_name.value, "nl").startswith("Naam: hoogstens ")


@pytest.mark.parametrize("key", [*(f"errors.invalid.{kind}" for kind in INVALID_TYPES), "errors.invalid.other",
                                 *(f"errors.field.{field}" for field in FIELDS)])
def test_refusals_every_form_error_has_its_text_in_both_languages(key):
    assert all(key in ui_texts()[language] for language in LANGUAGES)
