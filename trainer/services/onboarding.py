"""Onboarding paths: a set of assignments with due dates by week, kept as data in
content/onboarding.yaml and given to a new colleague in one go (`assignments.assign_path`).

Checked at load like all content: the shape by pydantic, and every step's scenario or level
against what exists, each error naming file and line."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, PositiveInt

from scenarios.loader import scenario_catalogue
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml
from trainer.db.models import AssignmentKind
from trainer.services.policy import Label, Strict, load_policy


class Step(Strict):
    week: PositiveInt  # due at the end of this week, counted from the day it is given
    kind: AssignmentKind
    target: str = Field(min_length=1)


class OnboardingPath(Strict):
    name: Label
    steps: list[Step] = Field(min_length=1)


class OnboardingPaths(Strict):
    paths: dict[str, OnboardingPath]


def load_paths(root: Path | None = None) -> dict[str, OnboardingPath]:
    """Every onboarding path, or ContentInvalid naming each unknown scenario or level by file and line."""
    path = (root or content_dir()) / "onboarding.yaml"
    paths = load_model(path, OnboardingPaths).paths
    _, node = read_yaml(path)
    scenarios, levels = scenario_catalogue(), load_policy().levels
    errors = []
    for path_id, onboarding in paths.items():
        for number, step in enumerate(onboarding.steps):
            where = ("paths", path_id, "steps", number, "target")
            if step.kind is AssignmentKind.scenario and step.target not in scenarios:
                message, code = f"'{step.target}' is not a scenario in scenarios/", "E600"
            elif step.kind is AssignmentKind.level and step.target not in levels:
                message, code = f"'{step.target}' is not a level in content/certification.yaml", "E601"
            else:
                continue
            errors.append(ContentError(display_path(path), line_of(node, where), " -> ".join(map(str, where)), message, code))
    if errors:
        raise ContentInvalid(errors)
    return paths


@lru_cache(maxsize=1)
def onboarding_paths() -> dict[str, OnboardingPath]:
    return load_paths()
