"""What makes a password acceptable: a minimum length (`PASSWORD_MIN_LENGTH`) and a strength
estimate from zxcvbn (Dropbox's estimator: common passwords, names, keyboard patterns, years,
repeats, l33t substitutions) of at least `PASSWORD_MIN_STRENGTH` on its 0-4 scale. zxcvbn's
lists are English; the Dutch words people put in passwords here, and the user's own name and
e-mail, are given to it as words an attacker would try first. A short word with digits and
signs after it ("Welkom2024!") is refused whatever zxcvbn says."""

from __future__ import annotations

import re

from zxcvbn import zxcvbn

from trainer.settings import Settings

# Words a guesser tries first on a Dutch webcare team's passwords (zxcvbn knows the English ones).
LOCAL_WORDS = (
    "wachtwoord", "welkom", "geheim", "webcare", "trainer", "klantenservice", "zomer", "winter", "lente",
    "herfst", "januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
    "oktober", "november", "december", "maandag", "vrijdag", "voetbal", "ajax", "feyenoord", "psv", "amsterdam",
    "rotterdam", "utrecht", "nederland", "schatje", "liefde", "hallo", "doei", "demo",
)
MAX_CHECKED = 100  # zxcvbn's time grows with length; past this, length alone makes it strong
# The commonest breached pattern: a short word dressed up with digits and signs ("Welkom2024!").
# zxcvbn rates some of these "safely unguessable"; the word without its tail must carry the length.
DRESSING = re.compile(r"[\d\W_]+$")
MIN_CORE = 8


def _personal_words(email: str, full_name: str) -> list[str]:
    local = email.split("@", 1)[0]
    return [w for w in {local, *re.split(r"[^\w]+", local), *full_name.lower().split(), full_name.lower().replace(" ", "")} if w]


def password_problem(password: str, *, email: str, full_name: str, settings: Settings) -> str | None:
    """None for an acceptable password, else why not: `too_short` or `too_common`."""
    if len(password) < settings.PASSWORD_MIN_LENGTH:
        return "too_short"
    if len(DRESSING.sub("", password)) < MIN_CORE:
        return "too_common"
    words = [*LOCAL_WORDS, *_personal_words(email.lower(), full_name)]
    if zxcvbn(password[:MAX_CHECKED], user_inputs=words)["score"] < settings.PASSWORD_MIN_STRENGTH:
        return "too_common"
    return None
