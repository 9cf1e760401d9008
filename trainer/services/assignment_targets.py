"""What an assignment's target must name for each kind, checked in one place for the service
(a manager's form) and for content/onboarding.yaml (a path's steps)."""

from __future__ import annotations

from scenarios.loader import scenario_catalogue
from scenarios.schema import SCENARIO_TYPES
from scoring.config import media_catalogue
from trainer.db.models import ANY_TARGET, AssignmentKind
from trainer.services.policy import load_policy

MIX_SEPARATOR = ":"


def mix_target(medium: str, scenario_type: str) -> str:
    """The target of a mix assignment: practise `scenario_type` on `medium`."""
    return f"{medium}{MIX_SEPARATOR}{scenario_type}"


def split_mix(target: str) -> tuple[str, str]:
    """(medium, scenario type) of a mix target; a target without the separator has no type."""
    medium, _, scenario_type = target.partition(MIX_SEPARATOR)
    return medium, scenario_type


def missing(kind: AssignmentKind | str, target: str) -> tuple[str, str] | None:
    """What the target names that does not exist, as (NotFound kind, key), or None when it is fine."""
    kind = AssignmentKind(kind)
    if kind is AssignmentKind.scenario:
        return None if target in scenario_catalogue() else ("scenario", target)
    if kind is AssignmentKind.level:
        return None if target in load_policy().levels else ("level", target)
    if kind is AssignmentKind.mix:
        medium, scenario_type = split_mix(target)
        if medium not in media_catalogue().media:
            return "medium", medium
        return None if scenario_type in SCENARIO_TYPES else ("scenario type", scenario_type)
    # A drill or the typing test: any one counts, so the target says so and nothing else.
    return None if target == ANY_TARGET else ("drill" if kind is AssignmentKind.drill else "typing test", target)
