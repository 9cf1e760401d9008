"""Why grammar checking is off, in one language at a time: every code LanguageTool's client can
give has its text in nl and en (content/messages/<lang>/languagetool.yaml), naming only the
parameters the code carries, and the English for logs stays the command line's."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from scoring.config import messages
from scoring.languagetool import OFF_CODES, OffReason, off_text

SCORING = Path(__file__).resolve().parents[2] / "scoring"
# One reason per code, with the parameters the client gives it.
EXAMPLES = {
    "no_jars": OffReason.of("no_jars", lib="/opt/lt/6.8/lib"),
    "no_java": OffReason.of("no_java", java="java"),
    "exited_at_start": OffReason.of("exited_at_start", tail="Exception in thread main"),
    "start_timeout": OffReason.of("start_timeout", seconds=120),
    "disabled": OffReason.of("disabled"),
    "server_silent": OffReason.of("server_silent", url="http://lt.example:8010"),
    "no_server": OffReason.of("no_server"),
    "starting": OffReason.of("starting", seconds=1.5),
    "check_timeout": OffReason.of("check_timeout", seconds=4.0),
    "unreachable": OffReason.of("unreachable"),
    "failed": OffReason.of("failed", detail="HTTP 500: Internal Server Error"),
}


def test_languagetool_reasons_every_code_has_an_example():
    assert set(EXAMPLES) == set(OFF_CODES)


def test_languagetool_reasons_every_code_given_in_scoring_is_known():
    given = {code for path in SCORING.rglob("*.py")
             for code in re.findall(r'OffReason\.of\(\s*"(\w+)"', path.read_text(encoding="utf-8"))}
    assert given and given <= set(OFF_CODES)


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("code", OFF_CODES)
def test_languagetool_reasons_each_code_has_a_text_naming_only_its_parameters(code, language):
    template = messages(language).rules[f"languagetool.off.{code}"].message
    used = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    assert used <= {name for name, _ in EXAMPLES[code].params}
    assert off_text(EXAMPLES[code], language)


@pytest.mark.parametrize("code", OFF_CODES)
def test_languagetool_reasons_dutch_is_not_the_english(code):
    reason = EXAMPLES[code]
    dutch = off_text(reason, "nl")
    assert dutch != off_text(reason, "en") and dutch != str(reason)
    for english in ("cannot be reached", "does not answer", "did not answer", "not ready", "switched off",
                    "is not installed", "exited", "failed"):
        assert english not in dutch


def test_languagetool_reasons_keep_technical_detail_for_the_log_only():
    failed = EXAMPLES["failed"]
    assert str(failed) == "LanguageTool failed: HTTP 500: Internal Server Error"
    assert "HTTP 500" not in off_text(failed, "nl") and "HTTP 500" not in off_text(failed, "en")


def test_languagetool_reasons_seconds_read_as_each_language_writes_them():
    starting = EXAMPLES["starting"]
    assert "1,5 s" in off_text(starting, "nl") and "1.5 s" in off_text(starting, "en")
    assert str(starting) == "LanguageTool is starting: not ready within 1.5 s"
    assert str(EXAMPLES["start_timeout"]) == "LanguageTool server did not answer within 120 s"


def test_languagetool_reasons_unknown_code_is_refused():
    with pytest.raises(ValueError):
        OffReason.of("sleepy")
