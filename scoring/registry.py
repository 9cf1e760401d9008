"""The dimension registry. Built-in dimensions register exactly as an extension would.

A dimension is a function `score(doc, evaluation) -> Outcome` registered under a versioned
name ("tone.v1"). The version is stored with every score so an old scorecard stays
explainable after a rule changes: bump it when a dimension's rules change meaningfully.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from scoring.model import Finding

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from scoring.evaluation import Evaluation


@dataclass
class Outcome:
    """What a dimension found. Its score is 100 minus the points of its findings, so every
    point lost is traceable to a finding. `checked=False` leaves it out of the total."""

    findings: list[Finding] = field(default_factory=list)
    checked: bool = True
    note: str | None = None


ScoreFunction = Callable[["Doc", "Evaluation"], Outcome]


@dataclass(frozen=True)
class Dimension:
    name: str
    version: str
    score: ScoreFunction

    @property
    def versioned_name(self) -> str:
        return f"{self.name}.{self.version}"


_registry: dict[str, Dimension] = {}


def register(name: str, version: str) -> Callable[[ScoreFunction], ScoreFunction]:
    def decorate(function: ScoreFunction) -> ScoreFunction:
        if name in _registry and _registry[name].score is not function:
            raise ValueError(f"dimension '{name}' is already registered by {_registry[name].score.__module__}")
        _registry[name] = Dimension(name=name, version=version, score=function)
        return function

    return decorate


def registered() -> dict[str, Dimension]:
    # Importing the package registers the built-in dimensions.
    import scoring.dimensions  # noqa: F401

    return dict(_registry)
