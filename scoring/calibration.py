"""Check the scorer against a team's own judgements (`webcare calibrate FILE.jsonl`).

A calibration file is JSON Lines; each line is one judgement a team lead made:

* a **judged pair**: two replies to the same customer message, one judged better
  (`{"customer": ..., "better": ..., "worse": ..., "medium": ..., "language": ...}`), or
* a **graded reply**: one reply with the team lead's grade from 0 to 100, optionally a grade per
  dimension (`{"customer": ..., "reply": ..., "grade": 72, "dimensions": {"tone": 60}}`).

The report says, overall and per dimension, how often the scorer agrees. A file with mistakes is
refused as a whole with every error as `FILE:LINE: message`, so a team lead can fix it in one go.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from scoring.config import DIMENSIONS
from scoring.model import ExpectedElement, PriorReply, ReplyContext, Scorecard

MAX_LINES = 5_000

# A pair's aspect says which dimension the team lead judged on; some aspects are names of
# their own in the judged-pair files (tests/data/README.md) but belong to one dimension.
ASPECT_DIMENSION = {
    "repeat": "substance",
    "template": "substance",
    "formality": "tone",
    "mixed": None,
}


class _Judgement(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str | None = None
    customer: str = Field(min_length=1)
    medium: str = "twitter"
    language: Literal["nl", "en"] = "nl"
    customer_name: str | None = None
    seconds: float | None = Field(default=None, ge=0)
    prior_replies: list[PriorReply] = Field(default_factory=list)
    expected_elements: list[ExpectedElement] = Field(default_factory=list)
    knowledge_templates: list[str] = Field(default_factory=list)

    def context(self) -> ReplyContext:
        return ReplyContext(
            language=self.language,
            medium=self.medium,
            customer_messages=[self.customer],
            customer_name=self.customer_name,
            prior_replies=self.prior_replies,
            expected_elements=self.expected_elements,
            knowledge_templates=self.knowledge_templates,
            seconds_to_reply=self.seconds,
        )


class JudgedPair(_Judgement):
    kind: Literal["pair"] = "pair"
    better: str = Field(min_length=1)
    worse: str = Field(min_length=1)
    aspect: str | None = None
    why: str | None = None
    # Speed pairs: the same text sent fast and slow.
    seconds_better: float | None = Field(default=None, ge=0)
    seconds_worse: float | None = Field(default=None, ge=0)

    def context_for(self, which: Literal["better", "worse"]) -> ReplyContext:
        seconds = self.seconds_better if which == "better" else self.seconds_worse
        context = self.context()
        return context if seconds is None else context.model_copy(update={"seconds_to_reply": seconds})

    @property
    def dimension(self) -> str | None:
        if self.aspect is None:
            return None
        return ASPECT_DIMENSION.get(self.aspect, self.aspect if self.aspect in DIMENSIONS else None)

    @model_validator(mode="after")
    def _aspect_is_known(self) -> JudgedPair:
        if self.aspect is not None and self.aspect not in DIMENSIONS and self.aspect not in ASPECT_DIMENSION:
            known = ", ".join([*DIMENSIONS, *ASPECT_DIMENSION])
            raise ValueError(f"aspect '{self.aspect}' is not one of: {known}")
        return self


class GradedReply(_Judgement):
    kind: Literal["graded"] = "graded"
    reply: str = Field(min_length=1)
    grade: float = Field(ge=0, le=100)
    dimensions: dict[str, float] = Field(default_factory=dict)
    why: str | None = None

    @model_validator(mode="after")
    def _dimensions_are_known(self) -> GradedReply:
        for name, grade in self.dimensions.items():
            if name not in DIMENSIONS:
                raise ValueError(f"dimension '{name}' is not one of: {', '.join(DIMENSIONS)}")
            if not 0 <= grade <= 100:
                raise ValueError(f"the grade for {name} must be between 0 and 100, not {grade}")
        return self


Judgement = Union[JudgedPair, GradedReply]


class CalibrationFileInvalid(ValueError):
    """The file cannot be used; `errors` holds one `FILE:LINE: message` per problem."""

    def __init__(self, errors: list[str]):
        super().__init__(errors[0] if len(errors) == 1 else f"{errors[0]} (and {len(errors) - 1} more)")
        self.errors = errors


def _parse_line(raw: dict) -> Judgement:
    if not isinstance(raw, dict):
        raise ValueError("each line must be a JSON object")
    kind = raw.get("kind")
    if kind is None:  # infer it, so a team lead need not write it
        kind = "graded" if "reply" in raw or "grade" in raw else "pair"
    if kind not in {"pair", "graded"}:
        raise ValueError(f"kind must be 'pair' or 'graded', not '{kind}'")
    return (GradedReply if kind == "graded" else JudgedPair).model_validate(raw)


def _explain(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "is not a known field"
    elif first["type"] == "missing":
        message = "is missing"
    return f"{where}: {message}" if where else message


def load_judgements(path: Path, *, known_media: Iterable[str] | None = None) -> list[Judgement]:
    """Read and validate a calibration file; raise `CalibrationFileInvalid` naming every bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CalibrationFileInvalid([f"{path}: cannot read it: {exc.strerror}"]) from None
    except UnicodeDecodeError:
        raise CalibrationFileInvalid([f"{path}: is not UTF-8 text"]) from None
    media = set(known_media) if known_media is not None else None
    judgements: list[Judgement] = []
    errors: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if len(judgements) + len(errors) >= MAX_LINES:
            errors.append(f"{path}:{number}: more than {MAX_LINES:,} judgements; split the file")
            break
        try:
            judgement = _parse_line(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(f"{path}:{number}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except ValidationError as exc:
            errors.append(f"{path}:{number}: {_explain(exc)}")
            continue
        except ValueError as exc:
            errors.append(f"{path}:{number}: {exc}")
            continue
        if media is not None and judgement.medium not in media:
            errors.append(f"{path}:{number}: medium: '{judgement.medium}' is not one of {', '.join(sorted(media))}")
            continue
        judgements.append(judgement)
    if errors:
        raise CalibrationFileInvalid(errors)
    if not judgements:
        raise CalibrationFileInvalid([f"{path}: holds no judgements (one JSON object per line)"])
    return judgements


@dataclass
class Agreement:
    """How often the scorer ranked a pair as the team lead did."""

    agreed: int = 0
    tied: int = 0
    disagreed: int = 0

    @property
    def judged(self) -> int:
        return self.agreed + self.tied + self.disagreed

    @property
    def share(self) -> float | None:
        return self.agreed / self.judged if self.judged else None

    def add(self, better: float, worse: float) -> None:
        if math.isclose(better, worse, abs_tol=0.05):
            self.tied += 1
        elif better > worse:
            self.agreed += 1
        else:
            self.disagreed += 1

    def as_dict(self) -> dict:
        return {"judged": self.judged, "agreed": self.agreed, "tied": self.tied, "disagreed": self.disagreed,
                "agreement": None if self.share is None else round(self.share, 3)}


@dataclass
class GradeFit:
    """How close the scorer's numbers are to the team lead's grades."""

    scorer: list[float] = field(default_factory=list)
    team_lead: list[float] = field(default_factory=list)

    def add(self, scorer: float, team_lead: float) -> None:
        self.scorer.append(scorer)
        self.team_lead.append(team_lead)

    @property
    def mean_absolute_difference(self) -> float | None:
        if not self.scorer:
            return None
        return sum(abs(a - b) for a, b in zip(self.scorer, self.team_lead)) / len(self.scorer)

    @property
    def mean_signed_difference(self) -> float | None:
        """Positive: the scorer is more generous than the team lead."""
        if not self.scorer:
            return None
        return sum(a - b for a, b in zip(self.scorer, self.team_lead)) / len(self.scorer)

    @property
    def rank_correlation(self) -> float | None:
        return spearman(self.scorer, self.team_lead)

    def as_dict(self) -> dict:
        def rounded(value: float | None, digits: int = 1) -> float | None:
            return None if value is None else round(value, digits)

        return {"replies": len(self.scorer), "mean_absolute_difference": rounded(self.mean_absolute_difference),
                "mean_signed_difference": rounded(self.mean_signed_difference),
                "rank_correlation": rounded(self.rank_correlation, 2)}


def _ranks(values: list[float]) -> list[float]:
    """Ranks with ties given their average rank, as Spearman's coefficient needs."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and values[order[end + 1]] == values[order[start]]:
            end += 1
        for position in range(start, end + 1):
            ranks[order[position]] = (start + end) / 2 + 1
        start = end + 1
    return ranks


def spearman(first: list[float], second: list[float]) -> float | None:
    """Spearman's rank correlation; None when it is undefined (under 3 values, or no spread)."""
    if len(first) != len(second) or len(first) < 3:
        return None
    a, b = _ranks(first), _ranks(second)
    mean_a, mean_b = sum(a) / len(a), sum(b) / len(b)
    covariance = sum((x - mean_a) * (y - mean_b) for x, y in zip(a, b))
    spread = math.sqrt(sum((x - mean_a) ** 2 for x in a) * sum((y - mean_b) ** 2 for y in b))
    return covariance / spread if spread else None


@dataclass
class Disagreement:
    line_id: str
    kind: str
    scorer: str
    team_lead: str


@dataclass
class CalibrationReport:
    pairs: Agreement = field(default_factory=Agreement)
    pairs_by_dimension: dict[str, Agreement] = field(default_factory=lambda: defaultdict(Agreement))
    grades: GradeFit = field(default_factory=GradeFit)
    grades_by_dimension: dict[str, GradeFit] = field(default_factory=lambda: defaultdict(GradeFit))
    pass_fail: Agreement = field(default_factory=Agreement)  # agreed = same verdict, disagreed = not
    pass_mark: float | None = None
    disagreements: list[Disagreement] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "pairs": self.pairs.as_dict(),
            "pairs_by_dimension": {name: a.as_dict() for name, a in _in_dimension_order(self.pairs_by_dimension)},
            "grades": self.grades.as_dict(),
            "grades_by_dimension": {name: g.as_dict() for name, g in _in_dimension_order(self.grades_by_dimension)},
            "pass_fail": {"judged": self.pass_fail.judged, "same_verdict": self.pass_fail.agreed,
                          "agreement": None if self.pass_fail.share is None else round(self.pass_fail.share, 3)},
            "pass_mark": self.pass_mark,
            "disagreements": [d.__dict__ for d in self.disagreements],
        }


def _in_dimension_order(table: dict) -> list[tuple[str, object]]:
    return sorted(table.items(), key=lambda item: DIMENSIONS.index(item[0]) if item[0] in DIMENSIONS else 99)


Scorer = Callable[[str, ReplyContext], Scorecard]


def _dimension_score(card: Scorecard, name: str) -> float | None:
    result = card.dimensions.get(name)
    return result.score if result is not None and result.checked else None


def calibrate(judgements: list[Judgement], score: Scorer, *,
              progress: Callable[[int, int], None] | None = None) -> CalibrationReport:
    """Score every judgement with `score` and compare with the team lead."""
    report = CalibrationReport()
    for done, judgement in enumerate(judgements, start=1):
        line_id = judgement.id or f"#{done}"
        if isinstance(judgement, JudgedPair):
            better = score(judgement.better, judgement.context_for("better"))
            worse = score(judgement.worse, judgement.context_for("worse"))
            _add_pair(report, judgement, line_id, better, worse)
        else:
            _add_grade(report, judgement, line_id, score(judgement.reply, judgement.context()))
        if progress:
            progress(done, len(judgements))
    return report


def _add_pair(report: CalibrationReport, pair: JudgedPair, line_id: str, better: Scorecard, worse: Scorecard) -> None:
    report.pairs.add(better.total, worse.total)
    if better.total <= worse.total + 0.05:
        report.disagreements.append(Disagreement(
            line_id, "pair", f"better {better.total:.1f} / worse {worse.total:.1f}", "better > worse"))
    names = [pair.dimension] if pair.dimension else list(DIMENSIONS)
    for name in names:
        first, second = _dimension_score(better, name), _dimension_score(worse, name)
        if first is None or second is None:
            continue
        # Without an aspect, only dimensions that tell the two apart say anything about agreement.
        if pair.dimension or not math.isclose(first, second, abs_tol=0.05):
            report.pairs_by_dimension[name].add(first, second)


def _add_grade(report: CalibrationReport, graded: GradedReply, line_id: str, card: Scorecard) -> None:
    report.pass_mark = card.pass_mark
    report.grades.add(card.total, graded.grade)
    lead_passes = graded.grade >= card.pass_mark
    if lead_passes == card.passed:
        report.pass_fail.agreed += 1
    else:
        report.pass_fail.disagreed += 1
        verdict = {True: "pass", False: "fail"}
        report.disagreements.append(Disagreement(
            line_id, "graded", f"{card.total:.1f} ({verdict[card.passed]})",
            f"{graded.grade:.0f} ({verdict[lead_passes]})"))
    for name, grade in graded.dimensions.items():
        ours = _dimension_score(card, name)
        if ours is not None:
            report.grades_by_dimension[name].add(ours, grade)


def format_report(report: CalibrationReport, labels: dict[str, str] | None = None) -> str:
    """The report as a plain-text table for the terminal."""
    labels = labels or {}
    lines: list[str] = []

    def percent(share: float | None) -> str:
        return "  -  " if share is None else f"{share:5.0%}"

    if report.pairs.judged:
        p = report.pairs
        lines.append(f"Judged pairs: {p.judged}; the scorer agrees on {p.agreed} ({percent(p.share).strip()}), "
                     f"ties {p.tied}, disagrees on {p.disagreed}")
        if report.pairs_by_dimension:
            lines.append(f"  {'dimension':<12} {'pairs':>5} {'agree':>6} {'ties':>5}")
            for name, a in _in_dimension_order(report.pairs_by_dimension):
                lines.append(f"  {labels.get(name, name):<12} {a.judged:>5} {percent(a.share):>6} {a.tied:>5}")
    if report.grades.scorer:
        g = report.grades
        lines.append(f"Graded replies: {len(g.scorer)}; mean difference {g.mean_signed_difference:+.1f} points "
                     f"(+ means the scorer is more generous), mean absolute {g.mean_absolute_difference:.1f}, "
                     f"rank correlation {_corr(g.rank_correlation)}")
        lines.append(f"  same pass/fail verdict (pass mark {report.pass_mark:g}): {report.pass_fail.agreed} of "
                     f"{report.pass_fail.judged} ({percent(report.pass_fail.share).strip()})")
        if report.grades_by_dimension:
            lines.append(f"  {'dimension':<12} {'replies':>7} {'mean diff':>9} {'abs diff':>8} {'rank corr':>9}")
            for name, fit in _in_dimension_order(report.grades_by_dimension):
                lines.append(f"  {labels.get(name, name):<12} {len(fit.scorer):>7} {fit.mean_signed_difference:>+9.1f} "
                             f"{fit.mean_absolute_difference:>8.1f} {_corr(fit.rank_correlation):>9}")
    if report.disagreements:
        lines.append(f"Disagreements ({len(report.disagreements)}):")
        for d in report.disagreements[:20]:
            lines.append(f"  {d.line_id:<10} scorer: {d.scorer:<26} team lead: {d.team_lead}")
        if len(report.disagreements) > 20:
            lines.append(f"  ... {len(report.disagreements) - 20} more (use --json for all)")
    return "\n".join(lines)


def _corr(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"

