"""The data the scoring pipeline takes in and gives back.

Everything here is plain pydantic so a scorecard can be stored as JSON, printed by the
command line and read back later without the pipeline that made it.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Language = Literal["nl", "en"]

# How many fixes a scorecard leads with.
TOP_FIXES = 3



# Longer than any medium allows (e-mail is the longest); past this we refuse rather than
# spend seconds of LanguageTool time on what is clearly not a reply. Here, not in the pipeline,
# so the app's input limits need not import spaCy with it.
MAX_REPLY_CHARS = 20_000


class ReplyRejected(ValueError):
    """The reply cannot be scored. The message says why in English (the command line, logs);
    `code` and `params` let a screen say it in the trainee's language (content/ui
    `errors.reply.<code>`)."""

    def __init__(self, message: str, *, code: str = "other", **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params

class Severity(str, Enum):
    info = "info"
    minor = "minor"
    major = "major"
    critical = "critical"


class ExpectedElement(BaseModel):
    """Something a good reply to this scenario contains, e.g. 'offers rebooking'.

    `cues` are phrases (matched case-insensitively, on lemmas too) any one of which counts as
    the element being present. `label` is shown to the trainee when the element is missing.
    """

    model_config = ConfigDict(extra="forbid")

    id: str
    label: str
    cues: list[str] = Field(min_length=1)
    severity: Severity = Severity.major


class PriorReply(BaseModel):
    """An answer the customer already got, here or on another channel."""

    model_config = ConfigDict(extra="forbid")

    text: str
    medium: str | None = None
    author: str | None = None


class AnnouncementBrief(BaseModel):
    """What a public announcement is written from (scoring/announcement.py): the first post of
    an outage or its update an hour later. `cues` add the brief's own words to the rubric's
    elements (element id -> phrases: the place names, the cause, what changed)."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["first", "update"] = "first"
    final: bool = False  # the update says it is over: no next update is due
    cues: dict[str, list[str]] = Field(default_factory=dict)


class ReplyContext(BaseModel):
    """What the scorer knows about the moment a reply is sent."""

    model_config = ConfigDict(extra="forbid")

    language: Language = "nl"
    feedback_language: Language | None = None
    medium: str = "twitter"
    public: bool | None = None  # None: take it from the medium
    customer_messages: list[str] = Field(default_factory=list)
    customer_name: str | None = None
    agent_name: str | None = None
    prior_replies: list[PriorReply] = Field(default_factory=list)
    expected_elements: list[ExpectedElement] = Field(default_factory=list)
    knowledge_templates: list[str] = Field(default_factory=list)
    seconds_to_reply: float | None = Field(default=None, ge=0)
    queue_seconds: float | None = Field(default=None, ge=0)
    brand_terms: list[str] = Field(default_factory=list)
    # In a conversation: how many of the last `customer_messages` came in since the agent's
    # previous reply (None: all of them; the customer's mood is read from these), and whether
    # the agent already replied (a follow-up is not asked for a greeting again).
    new_customer_messages: int | None = Field(default=None, ge=1)
    follow_up: bool = False
    # Set: the text is a public announcement, not a reply; it is judged on the announcement
    # rubric (scoring/announcement.py) instead of the reply rubric.
    announcement: AnnouncementBrief | None = None

    @property
    def trainee_language(self) -> Language:
        return self.feedback_language or self.language

    @property
    def customer_text(self) -> str:
        return "\n".join(self.customer_messages)

    @property
    def new_customer_text(self) -> str:
        """What the customer wrote since the agent's previous reply: what this reply answers."""
        count = self.new_customer_messages
        return "\n".join(self.customer_messages[-count:] if count else self.customer_messages)


class Finding(BaseModel):
    """One thing the trainee can act on. `points` is what it cost its dimension."""

    dimension: str
    severity: Severity
    rule: str
    span: tuple[int, int]
    message: str
    suggestion: str | None = None
    points: float = 0.0
    # Rules that named the same problem and were folded into this finding (scoring/dedupe.py).
    also: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _span_is_ordered(self) -> Finding:
        start, end = self.span
        if start < 0 or end < start:
            raise ValueError(f"span {self.span} is not a valid character range")
        return self


class Fix(Finding):
    """A finding as a fix: `gain` is what the total would go up by if it were put right."""

    gain: float = 0.0


class DimensionResult(BaseModel):
    """A dimension's verdict. `checked=False` means it could not be assessed and is left out
    of the total (for instance spelling without a LanguageTool server)."""

    name: str
    version: str
    score: float = Field(ge=0, le=100)
    weight: float = Field(ge=0)
    checked: bool = True
    note: str | None = None
    findings: list[Finding] = Field(default_factory=list)


class Scorecard(BaseModel):
    total: float = Field(ge=0, le=100)
    passed: bool
    pass_mark: float
    language: Language
    medium: str
    dimensions: dict[str, DimensionResult]
    findings: list[Finding]
    notes: list[str] = Field(default_factory=list)
    # The rubric version (scoring/rubric.py) whose missing moves are among the findings.
    rubric: str | None = None

    @property
    def critical(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.critical]

    @property
    def top_fixes(self) -> list[Fix]:
        """The three fixes worth most: critical findings first (each alone fails the reply),
        then by the points the total would gain. Derived from the findings and weights, so a
        stored scorecard has them too."""
        return self.fixes()[:TOP_FIXES]

    def fixes(self) -> list[Fix]:
        counted = {name: d for name, d in self.dimensions.items() if d.checked and d.weight > 0}
        weight = sum(d.weight for d in counted.values())
        fixes = []
        for finding in self.findings:
            dimension = counted.get(finding.dimension)
            if dimension is None or not weight:
                continue
            lost = sum(f.points for f in self.findings if f.dimension == finding.dimension)
            without = max(0.0, min(100.0, 100.0 - (lost - finding.points)))
            gain = (without - max(0.0, min(100.0, 100.0 - lost))) * dimension.weight / weight
            if gain > 0 or finding.severity is Severity.critical:
                fixes.append(Fix(**finding.model_dump(), gain=round(gain, 1)))
        return sorted(fixes, key=lambda f: (f.severity is not Severity.critical, -f.gain))

    @classmethod
    def from_public_dict(cls, data: dict) -> Scorecard:
        """A Scorecard again from its public JSON (`to_public_dict`, as stored with every score):
        for showing it again and for replaying a stored conversation. Figures are as rounded there."""
        dimensions = {
            name: DimensionResult(name=name, version=d["version"], score=d["score"] if d["score"] is not None else 0.0,
                                  weight=d["weight"], checked=d["checked"], note=d.get("note"))
            for name, d in data["dimensions"].items()
        }
        findings = [
            Finding(dimension=f["dimension"], severity=f["severity"], rule=f["rule"], span=tuple(f["span"]),
                    message=f["message"], suggestion=f.get("suggestion"), points=f.get("points", 0.0),
                    also=f.get("also", []))
            for f in data["findings"]
        ]
        return cls(total=data["total"], passed=data["passed"], pass_mark=data["pass_mark"], language=data["language"],
                   medium=data["medium"], dimensions=dimensions, findings=findings, notes=data.get("notes", []),
                   rubric=data.get("rubric"))

    def to_public_dict(self) -> dict:
        """The documented JSON shape (docs/scoring.md)."""
        return {
            "total": round(self.total, 1),
            "passed": self.passed,
            "pass_mark": self.pass_mark,
            "language": self.language,
            "medium": self.medium,
            "dimensions": {
                name: {
                    "score": round(d.score, 1) if d.checked else None,
                    "weight": d.weight,
                    "checked": d.checked,
                    "version": d.version,
                    **({"note": d.note} if d.note else {}),
                }
                for name, d in self.dimensions.items()
            },
            "findings": [
                {
                    "dimension": f.dimension,
                    "severity": f.severity.value,
                    "rule": f.rule,
                    "span": list(f.span),
                    "message": f.message,
                    "suggestion": f.suggestion,
                    "points": round(f.points, 1),
                    **({"also": f.also} if f.also else {}),
                }
                for f in self.findings
            ],
            "notes": self.notes,
            "rubric": self.rubric,
            "top_fixes": [
                {"rule": f.rule, "dimension": f.dimension, "severity": f.severity.value, "message": f.message,
                 "suggestion": f.suggestion, "gain": f.gain}
                for f in self.top_fixes
            ],
        }
