"""Drill templates load, validate with file:line errors, and give a fixed timeline."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import scenarios
from scenarios.drills import arrivals_per_minute, drill_catalogue, load_drills, templates_for, timeline
from scoring.contentfile import content_dir


def test_drills_content_has_five_dutch_and_two_english_valid_templates():
    templates, errors = load_drills()
    assert errors == []
    assert len(templates_for("nl")) >= 5 and len(templates_for("en")) >= 2
    assert "Storm op Schiphol: 120 berichten in 15 minuten" in {t.title for t in templates.values()}


@pytest.mark.parametrize("template_id", sorted(drill_catalogue()))
def test_drills_timeline_is_complete_ordered_and_playable(template_id):
    template = drill_catalogue()[template_id]
    arrivals = timeline(template, seed=3)
    assert len(arrivals) == template.total_messages
    offsets = [a.offset for a in arrivals]
    assert offsets == sorted(offsets) and offsets[-1] <= template.duration_seconds
    for arrival in arrivals:
        if arrival.noise is not None:  # a noise post comes on any of the drill's media
            assert arrival.scenario_id == f"noise:{arrival.noise}" and arrival.medium in template.media
            continue
        scenario = scenarios.get_scenario(arrival.scenario_id)
        assert arrival.medium in scenario.media and scenario.language == template.language
    # Injects arrive at their minute.
    for inject in template.injects:
        assert any(a.inject == inject and a.offset == inject.minute * 60 for a in arrivals)


def test_drills_timeline_follows_the_volume_curve_and_repeats_for_a_seed():
    template = drill_catalogue()["nl-storm-schiphol"]
    first = timeline(template, seed=11)
    assert first == timeline(template, seed=11)
    assert first != timeline(template, seed=12)
    per_minute = arrivals_per_minute([a for a in first if a.inject is None], template.duration_seconds)
    calm, surge, tail = per_minute[:3], per_minute[3:10], per_minute[10:]
    assert sum(calm) == 12 and sum(surge) == 84 and sum(tail) == 22
    assert min(surge) > max(calm) and min(surge) > max(tail)
    assert template.total_messages == 120


def test_drills_sla_falls_back_to_media_yaml():
    template = drill_catalogue()["nl-storm-schiphol"]
    assert template.sla_for("twitter") == 240
    assert template.sla_for("whatsapp") == 1800  # not in the template: content/media.yaml


@pytest.fixture
def content_copy(tmp_path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content_dir() / "drills", root / "drills")
    shutil.copytree(content_dir() / "noise", root / "noise")
    return root


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("  nl-air-bagage-kwijt: 2", "  nl-air-bagage-kwyt: 2"), "nl-storm-schiphol.yaml:14 [scenarios -> nl-air-bagage-kwyt] is not a known scenario"),
        (("  email: 1", "  email: 1\n  fax: 2"), "[media -> fax] is not a medium in content/media.yaml"),
        (("medium: twitter, label: pers", "medium: email, label: pers"), "[injects -> 0 -> medium] scenario 'nl-air-overboeking-journalist' is not played on 'email'"),
        (("label: pers}", "label: roddel}"), "[injects -> 0 -> label] is not one of the drill's labels"),
        (("idle_release_seconds: 90", "idle_release_secs: 90"), "[idle_release_secs] is not a known field"),
        (("  nl-air-annuleren-ziekte: 1", "  en-bank-double-charge: 1"), "is in 'en', the drill is in 'nl'"),
    ],
)
def test_drills_content_errors_name_file_line_and_field(content_copy, change, expected):
    path = content_copy / "drills" / "nl-storm-schiphol.yaml"
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    templates, errors = load_drills(content_copy)
    assert "nl-storm-schiphol" not in templates
    shown = [str(e) for e in errors]
    assert any(expected in s for s in shown), shown
    assert all("nl-storm-schiphol.yaml:" in s for s in shown)
