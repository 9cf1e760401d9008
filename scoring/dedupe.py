"""One finding per problem: a trainee reads each problem once, at its most severe.

Two findings are one problem when their highlighted words overlap (at least half of the
shorter span; findings about the whole reply never overlap this way), or when their rules are
in one group of content/rubric/same_problem.yaml (the same missing thing seen from different
dimensions, such as a missing next step and a missing invitation to continue). A rule a move
of the rubric settles is not raised when the reply makes it (`settled_by`). The most severe
finding of a problem is kept (then the costliest, then the first); the others are folded into
its `also` and cost their dimension nothing.

A follow-up reply in a conversation is not told what only a first reply needs (a greeting):
content/rubric/follow_up.yaml.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from scoring.config import Strict
from scoring.contentfile import content_dir, load_model
from scoring.model import Finding, Severity

SEVERITY_RANK = {Severity.info: 0, Severity.minor: 1, Severity.major: 2, Severity.critical: 3}


class SameProblem(Strict):
    groups: list[list[str]] = Field(default_factory=list)
    # rubric move -> rules it settles when the reply makes it
    settled_by: dict[Literal["answer", "next_step"], list[str]] = Field(default_factory=dict)


@lru_cache(maxsize=None)
def _same_problem_file(root: Path | None = None) -> SameProblem:
    return load_model((root or content_dir()) / "rubric" / "same_problem.yaml", SameProblem)


@lru_cache(maxsize=None)
def same_problem_groups(root: Path | None = None) -> dict[str, int]:
    """Rule id -> its group number, from content/rubric/same_problem.yaml."""
    return {rule: number for number, group in enumerate(_same_problem_file(root).groups) for rule in group}


def settled(moves_made: set[str]) -> frozenset[str]:
    """Rules a move the reply made settles: a concrete next step has said how it goes on."""
    return frozenset(rule for move in moves_made for rule in _same_problem_file().settled_by.get(move, []))


class FollowUp(Strict):
    first_reply_only: list[str] = Field(default_factory=list)


@lru_cache(maxsize=None)
def first_reply_only(root: Path | None = None) -> frozenset[str]:
    """Rules not raised in a follow-up reply, from content/rubric/follow_up.yaml."""
    return frozenset(load_model((root or content_dir()) / "rubric" / "follow_up.yaml", FollowUp).first_reply_only)


def one_per_problem(findings: list[Finding], whole: tuple[int, int]) -> list[Finding]:
    """`findings` with each problem once, in their original order. `whole` is the span of the
    whole reply (a finding about something missing)."""
    groups = same_problem_groups()
    order = sorted(range(len(findings)), key=lambda i: (-SEVERITY_RANK[findings[i].severity], -findings[i].points, i))
    kept: dict[int, Finding] = {}
    for index in order:
        finding = findings[index]
        twin = next((i for i, k in kept.items() if _same_problem(k, finding, groups, whole)), None)
        if twin is None:
            kept[index] = finding
        elif finding.rule != kept[twin].rule and finding.rule not in kept[twin].also:
            kept[twin] = kept[twin].model_copy(update={"also": [*kept[twin].also, finding.rule]})
    return [kept[i] for i in sorted(kept)]


def _same_problem(a: Finding, b: Finding, groups: dict[str, int], whole: tuple[int, int]) -> bool:
    if a.rule in groups and groups.get(b.rule) == groups[a.rule]:
        return True
    if whole in (a.span, b.span):
        return False
    overlap = min(a.span[1], b.span[1]) - max(a.span[0], b.span[0])
    shorter = min(a.span[1] - a.span[0], b.span[1] - b.span[0])
    return overlap > 0 and overlap * 2 >= shorter
