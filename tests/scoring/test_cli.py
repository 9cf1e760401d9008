"""`webcare score` as a user runs it: a real subprocess, real exit codes, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

WEBCARE = [sys.executable, "-m", "trainer.cli"]


def run(args: list[str], stdin: bytes | None = None, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    import os

    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run(WEBCARE + args, input=stdin, capture_output=True, timeout=120, env=env)


def test_cli_score_prints_the_documented_json(grammar_checker):
    result = run(["score", "--lang", "nl", "--medium", "twitter", "--seconds", "45",
                  "--customer", "Mijn vlucht is geannuleerd!"], stdin="Ik word morgen gebelt.".encode())
    assert result.returncode == 0, result.stderr.decode()
    card = json.loads(result.stdout)
    assert set(card) >= {"total", "passed", "dimensions", "findings"}
    assert 0 <= card["total"] <= 100
    for name, dim in card["dimensions"].items():
        assert set(dim) >= {"score", "weight"}, name
    finding = next(f for f in card["findings"] if f["rule"].startswith("spelling."))
    assert set(finding) >= {"dimension", "severity", "rule", "span", "message", "suggestion"}
    assert finding["message"] == "d/t-fout: 'gebelt' moet 'gebeld' zijn."
    assert finding["span"] == [15, 21]


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (["score", "--medium", "fax"], b"Hallo", "unknown medium 'fax'"),
        (["score"], b"   \n", "the reply is empty"),
        (["score", "--file", "/nonexistent/reply.txt"], None, "cannot read /nonexistent/reply.txt"),
        (["score"], b"\xff\xfe\xfa", "not UTF-8"),
        (["score"], ("a" * 100_000).encode(), "not scored"),
        (["score", "--seconds", "-3"], b"Hallo", "seconds"),
    ],
)
def test_cli_score_bad_input_is_one_line_and_exit_2(args, stdin, message):
    result = run(args, stdin=stdin, env_extra={"LANGUAGETOOL_ENABLED": "false"})
    assert result.returncode == 2
    err = result.stderr.decode()
    assert message in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize(
    "reply",
    [
        "Hoi 😀👍🏽, sorry voor het wachten! Ik kijk het na. ✈️",
        "שלום, אנחנו בודקים את זה עבורך. مرحبا",
        "<script>alert('x')</script> <b>Hoi</b> [klik](http://example.com)",
        "Hallo\x00 daar\u200b \u202eomgekeerd",
    ],
)
def test_cli_score_any_script_is_scored_not_a_traceback(reply):
    result = run(["score", "--medium", "whatsapp"], stdin=reply.encode(), env_extra={"LANGUAGETOOL_ENABLED": "false"})
    assert result.returncode == 0, result.stderr.decode()
    card = json.loads(result.stdout)
    for finding in card["findings"]:
        start, end = finding["span"]
        assert 0 <= start <= end <= len(reply)
    assert card["dimensions"]["spelling"]["checked"] is False


def test_cli_score_reads_a_file(tmp_path):
    path = tmp_path / "reply.txt"
    path.write_text("Hoi Sanne, ik zoek het direct voor je uit. ^Lisa", encoding="utf-8")
    result = run(["score", "--file", str(path), "--medium", "twitter"], env_extra={"LANGUAGETOOL_ENABLED": "false"})
    assert result.returncode == 0
    assert json.loads(result.stdout)["medium"] == "twitter"
