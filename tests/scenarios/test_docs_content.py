"""docs/content.md can't drift from the format: its example is a valid scenario, and every
condition, persona field and scenario field is described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from scenarios.personas import PERSONA_FIELDS
from scenarios.schema import Condition, Scenario, State, Transition

DOC = Path(__file__).resolve().parents[2] / "docs" / "content.md"


def doc_text() -> str:
    return DOC.read_text(encoding="utf-8")


def test_docs_content_annotated_example_is_a_valid_scenario():
    blocks = re.findall(r"```yaml\n(.*?)```", doc_text(), flags=re.S)
    example = next(b for b in blocks if b.lstrip().startswith("# --- Identity"))
    scenario = Scenario.model_validate(yaml.safe_load(example))
    shipped = yaml.safe_load((DOC.parents[1] / "content/scenarios/nl/vlucht-geannuleerd-schiphol.yaml").read_text())
    assert scenario.model_dump() == Scenario.model_validate(shipped).model_dump(), \
        "the annotated example must be the shipped file (plus comments)"


@pytest.mark.parametrize("field", sorted(Condition.model_fields))
def test_docs_content_every_condition_is_described(field):
    assert f"`{field}" in doc_text()


@pytest.mark.parametrize("field", PERSONA_FIELDS)
def test_docs_content_every_persona_field_is_described(field):
    assert f"`{field}`" in doc_text() or f"{{{field}}}" in doc_text()


@pytest.mark.parametrize("field", sorted(set(State.model_fields) | set(Transition.model_fields)))
def test_docs_content_every_state_and_transition_field_is_described(field):
    assert f"`{field}`" in doc_text()
