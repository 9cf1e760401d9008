"""Public reach as a consequence: on a public medium a bad or late reply makes the conversation
visible (shares, quotes, people reached), and a good reply on time keeps that quiet (counted as
reach prevented). The factors are data: content/reach.yaml (`reach_rules`, validated against
content/media.yaml); private media never get reach.

How bad a reply was (`badness`) adds up from what went wrong: it failed (and how far below the
pass mark), the customer sounds angrier after it than before, it came after the SLA (and how
long after), or it answered a noise post that needed no answer. A conversation spreads with
the customer's followers and that badness:

    shares  = followers × shares_per_follower × badness
    quotes  = shares × quotes_per_share
    reached = audience + followers × followers_seeing (the first time) + shares × audience_per_share

A good reply on time (no badness) prevents the reach a reply of `badness.prevented` would have
had, once per conversation, and only while the conversation has caused none. A customer left
waiting spreads with every nudge (badness `ignored` × the template's `neglect.reach_growth`):
reach caused too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, NonNegativeFloat, NonNegativeInt, PositiveFloat
from sqlmodel import Session

from scoring.config import media_catalogue, scoring_config
from scoring.contentfile import ContentError, ContentInvalid, content_dir, display_path, line_of, load_model, read_yaml
from trainer.db.drill_models import DrillConversation, DrillRun
from trainer.services.drills.core import record_event

CAUSED = "caused"
PREVENTED = "prevented"
REASONS = ("failed", "angrier", "late", "needless", "ignored")  # why a conversation spread


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Badness(_Strict):
    below_pass_mark: NonNegativeFloat
    per_point_below: NonNegativeFloat
    angrier: NonNegativeFloat
    per_mood_drop: NonNegativeFloat
    late: NonNegativeFloat
    per_sla_late: NonNegativeFloat
    late_cap: PositiveFloat
    needless: NonNegativeFloat
    ignored: NonNegativeFloat  # per unit of the template's neglect.reach_growth, per nudge
    ignored_min_shares: NonNegativeInt
    prevented: PositiveFloat


class Spread(_Strict):
    shares_per_follower: NonNegativeFloat
    quotes_per_share: NonNegativeFloat
    audience: NonNegativeInt
    followers_seeing: float = Field(ge=0, le=1)
    audience_per_share: NonNegativeFloat


class ReachRules(_Strict):
    mood_margin: float = Field(ge=0, le=2)
    badness: Badness
    media: dict[str, Spread]


@lru_cache(maxsize=None)
def reach_rules(root: Path | None = None) -> ReachRules:
    """content/reach.yaml, validated; its media checked against content/media.yaml: `R001` not a
    medium, `R002` a private medium (they get no reach), `R003` a public medium left out."""
    path = (root or content_dir()) / "reach.yaml"
    rules = load_model(path, ReachRules)
    media = media_catalogue(root).media
    problems = [(("media", name), f"media -> {name}", "is not a medium in content/media.yaml", "R001")
                for name in rules.media if name not in media]
    problems += [(("media", name), f"media -> {name}", "is a private medium: private media get no reach", "R002")
                 for name in rules.media if name in media and not media[name].public]
    problems += [(("media",), "media", f"has no entry for the public medium '{name}'", "R003")
                 for name, medium in media.items() if medium.public and name not in rules.media]
    if problems:
        _, node = read_yaml(path)
        raise ContentInvalid([ContentError(display_path(path), line_of(node, where), location, message, code)
                              for where, location, message, code in problems])
    return rules


@dataclass(frozen=True)
class Reach:
    """How far a conversation (or a team's drill) went: shares, quotes, people reached."""

    shares: int = 0
    quotes: int = 0
    reached: int = 0

    def __add__(self, other: Reach) -> Reach:
        return Reach(self.shares + other.shares, self.quotes + other.quotes, self.reached + other.reached)

    @property
    def visible(self) -> bool:
        return self.shares > 0 or self.reached > 0


@dataclass(frozen=True)
class Verdict:
    """What one reply (or one nudge) did to a conversation's reach."""

    caused: Reach
    prevented: int  # people a good reply on time kept it from reaching
    reasons: tuple[str, ...]
    badness: float


def is_public(medium: str) -> bool:
    return medium in reach_rules().media


def badness(*, passed: bool | None, total: float | None, mood_before: float | None, mood_after: float | None,
            queue_seconds: float, sla_seconds: int, needless: bool = False) -> tuple[float, tuple[str, ...]]:
    """How bad a reply was (0: fine) and why. An unscored reply (a noise post: `passed` None) is
    judged on its timing and on whether it needed answering at all."""
    rules = reach_rules()
    weights = rules.badness
    value, reasons = 0.0, []
    if passed is False:
        below = max(0.0, scoring_config().pass_mark - (total or 0.0))
        value += weights.below_pass_mark + weights.per_point_below * below
        reasons.append("failed")
    if mood_before is not None and mood_after is not None and mood_before - mood_after > rules.mood_margin:
        value += weights.angrier + weights.per_mood_drop * (mood_before - mood_after)
        reasons.append("angrier")
    if queue_seconds > sla_seconds:
        slas_late = min(weights.late_cap, (queue_seconds - sla_seconds) / sla_seconds)
        value += weights.late + weights.per_sla_late * slas_late
        reasons.append("late")
    if needless:
        value += weights.needless
        reasons.append("needless")
    return round(value, 3), tuple(reasons)


def spread(medium: str, *, followers: int, shares: int, first: bool) -> Reach:
    """The reach of `shares` new shares of a conversation on `medium` (the customer's own
    followers and the medium's audience are counted once, with its `first` reach)."""
    factors = reach_rules().media[medium]
    seen = factors.audience + followers * factors.followers_seeing if first else 0.0
    return Reach(shares=shares, quotes=round(shares * factors.quotes_per_share),
                 reached=round(seen + shares * factors.audience_per_share))


def shares_for(medium: str, *, followers: int, badness: float) -> int:
    return round(followers * reach_rules().media[medium].shares_per_follower * badness)


def judge(*, medium: str, followers: int, first: bool, passed: bool | None, total: float | None,
          mood_before: float | None, mood_after: float | None, queue_seconds: float, sla_seconds: int,
          needless: bool = False) -> Verdict | None:
    """What a reply on `medium` did to its conversation's reach; None on a private medium."""
    if not is_public(medium):
        return None
    bad, reasons = badness(passed=passed, total=total, mood_before=mood_before, mood_after=mood_after,
                           queue_seconds=queue_seconds, sla_seconds=sla_seconds, needless=needless)
    if bad > 0:
        caused = spread(medium, followers=followers, shares=shares_for(medium, followers=followers, badness=bad),
                        first=first)
        return Verdict(caused=caused, prevented=0, reasons=reasons, badness=bad)
    would_have = reach_rules().badness.prevented
    potential = spread(medium, followers=followers,
                       shares=shares_for(medium, followers=followers, badness=would_have), first=True)
    return Verdict(caused=Reach(), prevented=potential.reached, reasons=(), badness=0.0)


def of(conversation: DrillConversation) -> Reach:
    return Reach(shares=conversation.retweets, quotes=conversation.quotes, reached=conversation.reached)


def first_reach(conversation: DrillConversation) -> bool:
    """True while the conversation has reached nobody yet (its followers are still to see it)."""
    return conversation.reached == 0 and conversation.retweets == 0


def apply(session: Session, run: DrillRun, conversation: DrillConversation, verdict: Verdict | None, now: datetime, *,
          user_id: int | None = None) -> None:
    """Add a verdict to the conversation (in the caller's transaction) and log it: caused reach
    adds up and cancels what was prevented; prevented reach counts once, while none was caused."""
    if verdict is None:
        return
    caused = verdict.caused
    if verdict.reasons:
        conversation.retweets += caused.shares
        conversation.quotes += caused.quotes
        conversation.reached += caused.reached
        conversation.prevented_reach = 0
        record_event(session, run, "reach", now, user_id=user_id, conversation_id=conversation.id, verdict=CAUSED,
                     shares=caused.shares, quotes=caused.quotes, reached=caused.reached, reasons=list(verdict.reasons))
    elif verdict.prevented and first_reach(conversation) and conversation.prevented_reach == 0:
        conversation.prevented_reach = verdict.prevented
        record_event(session, run, "reach", now, user_id=user_id, conversation_id=conversation.id, verdict=PREVENTED,
                     reached=verdict.prevented)
    session.add(conversation)


def neglected(medium: str, *, followers: int, reach_growth: float, first: bool) -> Verdict | None:
    """A nudge (a customer left waiting writes again, louder) as reach caused: a badness of
    `ignored` × the template's `neglect.reach_growth`; None on a private medium."""
    if not is_public(medium):
        return None
    weights = reach_rules().badness
    bad = weights.ignored * reach_growth
    shares = max(weights.ignored_min_shares, shares_for(medium, followers=followers, badness=bad))
    return Verdict(caused=spread(medium, followers=followers, shares=shares, first=first), prevented=0,
                   reasons=("ignored",), badness=round(bad, 3))


@dataclass(frozen=True)
class TeamReach:
    """A drill's reach: caused (what went round) and prevented (what good replies kept quiet)."""

    caused: Reach
    prevented: int
    conversations_caused: int
    conversations_prevented: int


def team_reach(conversations: list[DrillConversation]) -> TeamReach:
    caused = [c for c in conversations if c.reached or c.retweets]
    total = Reach()
    for conversation in caused:
        total = total + of(conversation)
    prevented = [c for c in conversations if c.prevented_reach]
    return TeamReach(caused=total, prevented=sum(c.prevented_reach for c in prevented),
                     conversations_caused=len(caused), conversations_prevented=len(prevented))
