"""A small, valid content folder in tmp_path for breakage tests: the real media, scoring,
glossary and language files, one knowledge article and one scenario that authors can break."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scoring.contentfile import content_dir

SCENARIO = """\
id: nl-test-vertraging
version: 1
language: nl
type: angry_customer
sector: rail
brand: NedSpoor
title: "Trein te laat"
briefing: "{first_name} is boos over een vertraging van trein {train}."
media: [twitter]
difficulty: 1
persona:
  mood: angry
  followers: [10, 20]
  fields: [train]
opening:
  - - "@NedSpoor trein {train} alweer te laat!"
    - "Weer vertraging met de {train}, @NedSpoor."
actions: [move_to_dm, "handover:complaints"]
expected_elements:
  - id: empathy
    label: "Toont begrip"
    cues: [vervelend, sorry]
states:
  start:
    expected: [empathy]
    knowledge: [test-artikel]
    model_answer: "Hoi {first_name}, wat vervelend! ^Mark"
    transitions:
      - when: {present: [empathy]}
        to: resolved
      - to: annoyed
  annoyed:
    customer:
      - "Hallo?"
    model_answer: "Sorry {first_name}! ^Mark"
    transitions:
      - when: {action: "handover:complaints"}
        to: resolved
      - to: lost
test_paths:
  - name: goed
    replies: ["Hoi {first_name}, wat vervelend! ^Mark"]
    ends: resolved
  - name: slecht
    replies: ["Tja.", "Tja."]
    ends: lost
"""

ARTICLE = """\
---
title: "Testartikel"
language: nl
sector: rail
tags: [test]
template: "Hoi {first_name}, wat vervelend."
---
# Test

Tekst.
"""


@pytest.fixture
def content_root(tmp_path: Path) -> Path:
    """tmp_path/content with one valid scenario at scenarios/nl/test.yaml."""
    real = content_dir()
    root = tmp_path / "content"
    root.mkdir()
    for name in ("media.yaml", "scoring.yaml", "glossary.yaml"):
        shutil.copy(real / name, root / name)
    shutil.copytree(real / "messages", root / "messages")
    for language in ("nl", "en"):
        (root / "scenarios" / language).mkdir(parents=True)
        shutil.copy(real / "scenarios" / language / "_language.yaml", root / "scenarios" / language / "_language.yaml")
    (root / "knowledge" / "nl").mkdir(parents=True)
    (root / "knowledge" / "nl" / "test-artikel.md").write_text(ARTICLE, encoding="utf-8")
    (root / "scenarios" / "nl" / "test.yaml").write_text(SCENARIO, encoding="utf-8")
    return root
