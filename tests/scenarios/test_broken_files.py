"""A broken content file is reported cleanly (file:line, no traceback) and a broken scenario
file is left out while every other scenario keeps working."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import engine
from scenarios.loader import load_scenarios, scenario_catalogue, scenario_errors
from scoring.contentfile import ContentInvalid, read_yaml
from tests.scenarios.conftest import SCENARIO
from tests.scenarios.test_loader import _cli, line_containing


@pytest.mark.parametrize("control", ["\x07", "\x00", "\x1b", "\x7f"])
def test_broken_files_control_character_is_a_content_error(tmp_path, control):
    path = tmp_path / "media.yaml"
    path.write_text(f"twitter:\n  name: Twitter\n  note: \"ring{control}ring\"\n", encoding="utf-8")
    with pytest.raises(ContentInvalid) as invalid:
        read_yaml(path)
    [error] = invalid.value.errors
    assert (error.line, error.code) == (3, "E005") and "control character" in error.message


@pytest.mark.parametrize("text, line, location", [
    ("id: a\ntitle: x\nid: b\n", 3, "id"),
    ("media:\n  twitter:\n    max_chars: 280\n    name: X\n    max_chars: 300\n", 5, "media -> twitter -> max_chars"),
    ("list:\n  - a: 1\n    a: 2\n", 3, "list -> 0 -> a"),
])
def test_broken_files_duplicate_keys_are_refused_with_their_line(tmp_path, text, line, location):
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as invalid:
        read_yaml(path)
    [error] = invalid.value.errors
    assert (error.line, error.location, error.code) == (line, location, "E004")
    assert "twice" in error.message


def test_broken_files_validate_cli_reports_control_characters_without_a_traceback(content_root):
    path = content_root / "scenarios" / "nl" / "test.yaml"
    broken = SCENARIO.replace("media: [twitter]", "media: [twitter]\n# bel\x07\n")
    path.write_text(broken, encoding="utf-8")
    result = _cli("content", "validate", content=content_root)
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 2
    assert f"content/scenarios/nl/test.yaml:{line_containing(broken, 'bel')}" in result.stdout


def test_broken_files_one_broken_scenario_is_skipped_and_the_rest_works(content_root):
    second = SCENARIO.replace("nl-test-vertraging", "nl-test-tweede")
    (content_root / "scenarios" / "nl" / "second.yaml").write_text(second, encoding="utf-8")
    (content_root / "scenarios" / "nl" / "test.yaml").write_text(SCENARIO.replace("media: [twitter]", "media: [fax]"),
                                                                 encoding="utf-8")
    assert list(scenario_catalogue(content_root)) == ["nl-test-tweede"]
    assert [Path(e.path).name for e in scenario_errors(content_root)] == ["test.yaml"]
    assert [s.id for s in engine.catalogue("nl", content_root)] == ["nl-test-tweede"]
    engine.start("nl-test-tweede", "twitter", 1, content_root)
    with pytest.raises(KeyError):
        engine.get_scenario("nl-test-vertraging", content_root)


def test_broken_files_no_usable_scenario_still_fails_loudly(content_root):
    (content_root / "media.yaml").write_text("twitter: [\n", encoding="utf-8")
    scenarios, errors = load_scenarios(content_root)
    assert not scenarios and errors
    with pytest.raises(ContentInvalid):
        scenario_catalogue(content_root)
