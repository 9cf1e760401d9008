"""The facilitator's desk: the drill's event log as a timeline (times on the local clock), the
labels counted per drill, and what the webcaremeter's before/after means in one sentence.

Read by the dashboard (`figures`) and so by the debrief; the texts come from content/ui
(`drills.log.*`, `drills.meter.*`) in the reader's language, for the screens and the PDF alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, col, select

from trainer import local_time
from trainer.db.drill_models import DrillConversation, DrillEvent, DrillRun
from trainer.db.models import User
from trainer.i18n import t
from trainer.services.drills.reach import CAUSED, Reach, TeamReach, reach_rules


@dataclass(frozen=True)
class LogLine:
    """One event of the drill, ready to read: when (UTC and drill seconds), what, who, on whom."""

    at: datetime
    offset: float
    kind: str  # the event kind; a reach event is reach_caused or reach_prevented
    who: str | None
    conversation_id: int | None
    customer: str | None
    details: dict = field(default_factory=dict)


def event_log(session: Session, run: DrillRun, conversations: list[DrillConversation]) -> list[LogLine]:
    """Every event of the drill in order, with the names of who did it and to whom."""
    events = session.exec(select(DrillEvent).where(DrillEvent.run_id == run.id)
                          .order_by(col(DrillEvent.at), col(DrillEvent.id))).all()
    people = {e.user_id for e in events if e.user_id} | {e.details.get("to") for e in events if e.details.get("to")}
    names = dict(session.exec(select(User.id, User.full_name).where(col(User.id).in_(people))).all()) if people else {}
    customers = {c.id: c.customer_name for c in conversations}
    lines = []
    for event in events:
        details = dict(event.details)
        kind = event.kind
        if kind == "reach":
            kind = "reach_caused" if details.get("verdict") == CAUSED else "reach_prevented"
        elif kind == "labelled" and details.get("label") is None:
            kind = "label_cleared"
        if "to" in details:
            details["to"] = names.get(details["to"], "?")
        lines.append(LogLine(at=event.at, offset=event.offset, kind=kind, who=names.get(event.user_id),
                             conversation_id=event.conversation_id, customer=customers.get(event.conversation_id),
                             details=details))
    return lines


def number(value: float | int, language: str) -> str:
    """9400 as '9.400' (Dutch) or '9,400' (English)."""
    shown = f"{round(value):,}"
    return shown.replace(",", ".") if language == "nl" else shown


def describe(line: LogLine, language: str) -> str:
    """The event as one sentence in `language`."""
    details = line.details
    reasons = ", ".join(t(f"drills.reach.reason.{r}", language) for r in details.get("reasons", []))
    return t(f"drills.log.{line.kind}", language, who=line.who or t("drills.log.nobody", language),  # not Markdown: a table cell and the PDF (escaped there)
             customer=line.customer or "?", id=line.conversation_id or "", label=details.get("label") or "",
             to=details.get("to", ""), title=details.get("title", ""), reasons=reasons,
             shares=number(details.get("shares", 0), language), quotes=number(details.get("quotes", 0), language),
             reached=number(details.get("reached", 0), language))


def local_clock(line: LogLine) -> str:
    """'14:05:09' on the contact centre's clock (TIME_ZONE)."""
    return local_time.clock(line.at, seconds=True)


@dataclass(frozen=True)
class LabelCount:
    label: str
    conversations: int


def label_counts(labels: list[str], conversations: list[DrillConversation]) -> tuple[list[LabelCount], int]:
    """How many conversations carry each of the drill's labels now (in the template's order, the
    unused ones too), and how many carry none."""
    counts = {label: 0 for label in labels}
    for conversation in conversations:
        if conversation.label is not None:
            counts[conversation.label] = counts.get(conversation.label, 0) + 1
    unlabelled = sum(1 for c in conversations if c.label is None)
    return [LabelCount(label, n) for label, n in counts.items()], unlabelled


def meter_verdict(before: float | None, after: float | None) -> str | None:
    """What the webcaremeter says: calmer, angrier or steady (within content/reach.yaml's
    mood_margin); None before any customer answered a reply."""
    if before is None or after is None:
        return None
    change = after - before
    margin = reach_rules().mood_margin
    if change > margin:
        return "calmer"
    if change < -margin:
        return "angrier"
    return "steady"


def mood(value: float | None, language: str) -> str:
    """'+0,12' (Dutch) or '+0.12'; '–' for none."""
    if value is None:
        return "–"
    shown = f"{value:+.2f}"
    return shown.replace(".", ",") if language == "nl" else shown


def meter_sentence(before: float | None, after: float | None, language: str) -> str:
    verdict = meter_verdict(before, after)
    if verdict is None:
        return t("drills.meter.none", language)
    return t(f"drills.meter.{verdict}", language, before=mood(before, language), after=mood(after, language))


def reach_sentence(team: TeamReach, language: str) -> str:
    """The team's public reach caused and prevented, in one sentence (no emoji: the PDF's fonts)."""
    return t("drills.reach.team_summary", language, reached=number(team.caused.reached, language),
             shares=number(team.caused.shares, language), quotes=number(team.caused.quotes, language),
             caused=team.conversations_caused, prevented=number(team.prevented, language),
             saved=team.conversations_prevented)


def reach_look(kind: str, caused: Reach, language: str) -> str:
    """A conversation's reach as its medium shows it (`drills.reach.look.<look kind>`), e.g.
    '🔁 38 · 💬 12 · 9.400 bereikt' on X."""
    return t(f"drills.reach.look.{kind}", language, shares=number(caused.shares, language),
             quotes=number(caused.quotes, language), reached=number(caused.reached, language))
