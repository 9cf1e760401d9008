"""Every shipped content file loads; broken files give file:line errors that say what is wrong."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from scenarios.authoring import validate_content
from scenarios.loader import load_scenarios
from tests.scenarios.conftest import ARTICLE, SCENARIO

ROOT = Path(__file__).resolve().parents[2]


def test_loader_every_shipped_scenario_and_article_is_valid():
    scenarios, errors = load_scenarios()
    assert not errors, "\n".join(str(e) for e in errors)
    assert {s.language for s in scenarios.values()} == {"nl", "en"}


def test_loader_every_shipped_content_file_validates():
    report = validate_content()
    assert not report.errors, "\n".join(str(e) for e in report.errors)
    assert report.counts["media"] >= 10
    assert report.counts["knowledge articles"] >= 6


def test_loader_the_fixture_scenario_is_valid(content_root):
    scenarios, errors = load_scenarios(content_root)
    assert not errors, "\n".join(str(e) for e in errors)
    assert list(scenarios) == ["nl-test-vertraging"]


def line_containing(text: str, snippet: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if snippet in line:
            return number
    raise AssertionError(f"{snippet!r} not in the text")


# (what an author got wrong, the edit, the text on the line the error must point at, code,
#  words the message must contain)
BREAKAGES = [
    ("a transition to a state that does not exist",
     ("      - to: annoyed", "      - to: anoyed"), "- to: anoyed", "E406", "'anoyed' is not a state"),
    ("a medium that is not in media.yaml",
     ("media: [twitter]", "media: [twitter, tiktok]"), "media: [twitter, tiktok]", "E403", "'tiktok' is not a medium"),
    ("a placeholder the persona does not provide",
     ('trein {train} alweer te laat!', 'trein {train} alweer te laat, {booking_code}!'), "{booking_code}", "E417",
     "{booking_code}, which the persona does not provide"),
    ("a misspelt field",
     ("    transitions:\n      - when: {present: [empathy]}", "    transitons:\n      - when: {present: [empathy]}"),
     "transitons:", "E100", "not a known field"),
    ("a wrong value",
     ("difficulty: 1", "difficulty: hard"), "difficulty: hard", "E100", "whole number"),
    ("a last transition with a condition",
     ("      - to: lost", "      - to: lost\n        when: {total_below: 50}"), "- to: lost", "E413", "no `when`"),
    ("an unknown expected element in a condition",
     ("      - when: {present: [empathy]}", "      - when: {present: [empathy, rebooking]}"), "rebooking]", "E405",
     "'rebooking' is not in expected_elements"),
    ("a handover to an unknown department",
     ('actions: [move_to_dm, "handover:complaints"]', 'actions: [move_to_dm, "handover:complaints", "handover:kantine"]'),
     "handover:kantine", "E409", "department 'kantine'"),
    ("an unknown knowledge article",
     ("knowledge: [test-artikel]", "knowledge: [test-artikle]"), "test-artikle", "E408", "not an article"),
    ("no test path that ends badly",
     ("    ends: lost", "    ends: resolved"), "test_paths:", "E415", "ends badly"),
    ("an unreachable state",
     ("      - to: annoyed", "      - to: resolved"), "  annoyed:", "E414", "never reached"),
    ("a brand that is not fictional",
     ("brand: NedSpoor", "brand: NS"), "brand: NS", "E402", "glossary"),
    ("broken YAML",
     ('title: "Trein te laat"', 'title: "Trein te laat'), None, "E002", "not valid YAML"),
]


@pytest.mark.parametrize("what, edit, snippet, code, words", BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_loader_broken_scenario_gives_file_line_error(content_root, what, edit, snippet, code, words):
    old, new = edit
    assert old in SCENARIO
    broken = SCENARIO.replace(old, new, 1)
    path = content_root / "scenarios" / "nl" / "test.yaml"
    path.write_text(broken, encoding="utf-8")

    scenarios, errors = load_scenarios(content_root)

    assert "nl-test-vertraging" not in scenarios
    matching = [e for e in errors if e.code == code]
    assert matching, f"no {code} error for {what}: {[str(e) for e in errors]}"
    error = matching[0]
    assert error.path.endswith("scenarios/nl/test.yaml")
    assert words in error.message
    assert error.line is not None
    if snippet is not None:
        assert error.line == line_containing(broken, snippet), str(error)
    assert str(error).startswith(f"{error.path}:{error.line} ")


def test_loader_duplicate_scenario_id_names_both_files(content_root):
    (content_root / "scenarios" / "nl" / "z-copy.yaml").write_text(SCENARIO, encoding="utf-8")
    scenarios, errors = load_scenarios(content_root)
    duplicate = [e for e in errors if e.code == "E418"]
    assert len(duplicate) == 1
    assert duplicate[0].path.endswith("z-copy.yaml") and duplicate[0].line == 1
    assert "test.yaml" in duplicate[0].message
    assert "nl-test-vertraging" in scenarios, "the first file keeps its scenario"


def test_loader_scenario_in_the_wrong_language_folder(content_root):
    (content_root / "scenarios" / "nl" / "test.yaml").unlink()
    (content_root / "scenarios" / "en" / "test.yaml").write_text(SCENARIO, encoding="utf-8")
    _, errors = load_scenarios(content_root)
    assert [(e.code, e.line) for e in errors if e.code == "E401"] == [("E401", line_containing(SCENARIO, "language: nl"))]


def test_loader_broken_knowledge_front_matter_points_at_the_file_line(content_root):
    article = content_root / "knowledge" / "nl" / "test-artikel.md"
    article.write_text(ARTICLE.replace("sector: rail", "sector: spoorwegen"), encoding="utf-8")
    _, errors = load_scenarios(content_root)
    sector = [e for e in errors if e.location == "sector"]
    assert sector and sector[0].line == line_containing(ARTICLE, "sector: rail")
    assert sector[0].path.endswith("knowledge/nl/test-artikel.md")


def test_loader_errors_in_several_files_are_all_reported(content_root):
    (content_root / "scenarios" / "nl" / "test.yaml").write_text(SCENARIO.replace("media: [twitter]", "media: [fax]"), encoding="utf-8")
    (content_root / "scenarios" / "nl" / "second.yaml").write_text(
        SCENARIO.replace("nl-test-vertraging", "nl-test-twee").replace("      - to: lost", "      - to: verloren"), encoding="utf-8")
    _, errors = load_scenarios(content_root)
    assert {Path(e.path).name for e in errors} == {"test.yaml", "second.yaml"}


def _cli(*args: str, content: Path | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    if content is not None:
        env["WEBCARE_CONTENT_DIR"] = str(content)
    return subprocess.run([sys.executable, "-m", "trainer.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_loader_content_validate_cli_lists_errors_and_exits_2(content_root):
    path = content_root / "scenarios" / "nl" / "test.yaml"
    broken = SCENARIO.replace("      - to: annoyed", "      - to: anoyed").replace("media: [twitter]", "media: [fax]")
    path.write_text(broken, encoding="utf-8")
    result = _cli("content", "validate", content=content_root)
    assert result.returncode == 2, result.stderr
    lines = result.stdout.splitlines()
    assert f"content/scenarios/nl/test.yaml:{line_containing(broken, 'media: [fax]')} [media -> 0] 'fax' is not a medium" in "\n".join(lines)
    assert any(line.startswith(f"content/scenarios/nl/test.yaml:{line_containing(broken, '- to: anoyed')} ") for line in lines)


def test_loader_content_validate_cli_summarises_valid_content():
    result = _cli("content", "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("content is valid:")
    assert "scenarios (nl)" in result.stdout and "knowledge articles" in result.stdout


def test_loader_content_validate_reports_a_broken_media_file_once_with_its_line(content_root):
    media = content_root / "media.yaml"
    text = media.read_text(encoding="utf-8")
    media.write_text(text.replace("max_chars: 280", "max_chars: -280", 1), encoding="utf-8")
    report = validate_content(content_root)
    broken = [e for e in report.errors if e.path.endswith("media.yaml")]
    assert len(broken) == 1, [str(e) for e in report.errors]
    assert broken[0].line == line_containing(text, "max_chars: 280")
    assert broken[0].location == "media -> twitter -> max_chars"


def test_loader_history_may_be_on_the_phone_but_not_on_an_unknown_medium(content_root):
    path = content_root / "scenarios" / "nl" / "test.yaml"
    history = ('history:\n  - {medium: phone, by: agent, when: "vorige week", text: "We bellen je terug."}\n'
               '  - {medium: fax, by: customer, text: "Ik faxte ook al."}\nopening:')
    broken = SCENARIO.replace("opening:", history, 1)
    path.write_text(broken, encoding="utf-8")
    _, errors = load_scenarios(content_root)
    assert [(e.code, e.line, e.location) for e in errors] == [("E403", line_containing(broken, "medium: fax"), "history -> 1 -> medium")]
