"""Tools for content authors behind `webcare content validate` and `webcare play`.

Plain functions over text streams, so the command line stays a thin wrapper and tests can
drive them with StringIO.
"""

from __future__ import annotations

import importlib
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from scenarios.engine import Conversation, get_scenario, start
from scenarios.knowledge import load_articles
from scenarios.loader import language_pack, load_scenarios
from scenarios.schema import GOOD_ENDS
from scoring.contentfile import ContentError, ContentInvalid, content_dir
from scoring.model import Scorecard

LANGUAGES = ("nl", "en")

# Loaders of other content files, called when both the loader and the file exist (dimensions
# land over time): (module, function, file under content/, label).
OPTIONAL_LOADERS = (
    ("scoring.cues", "tone_cues", "tone/{language}.yaml", "tone cue files"),
    ("scoring.dimensions.privacy", "privacy_cues", "privacy/{language}.yaml", "privacy cue files"),
    ("scoring.dimensions.substance", "substance_cues", "substance/{language}.yaml", "substance cue files"),
    ("scoring.similarity", "answer_words_config", "repeats/{language}.yaml", "repeat word files"),
)


@dataclass
class ValidationReport:
    errors: list[ContentError] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        parts = [f"{count} {what}" for what, count in self.counts.items()]
        return "content is valid: " + ", ".join(parts)


def validate_content(root: Path | None = None) -> ValidationReport:
    """Check every content file and collect every error (never stops at the first)."""
    from scoring.config import glossary, media_catalogue, messages, scoring_config

    report = ValidationReport()

    def attempt(label: str, load: Callable[[], object]) -> object | None:
        try:
            loaded = load()
        except ContentInvalid as exc:
            report.errors.extend(exc.errors)
            return None
        return loaded

    media = attempt("media", lambda: media_catalogue(root))
    if media is not None:
        report.counts["media"] = len(media.media)
    attempt("scoring", lambda: scoring_config(root))
    attempt("glossary", lambda: glossary(root))
    for language in LANGUAGES:
        rules = attempt("messages", lambda: messages(language, root))
        if rules is not None:
            report.counts[f"message rules ({language})"] = len(rules.rules)
    for module_name, function_name, file_pattern, label in OPTIONAL_LOADERS:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        loader = getattr(module, function_name, None)
        if loader is None:
            continue
        for language in LANGUAGES:
            if not ((root or content_dir()) / file_pattern.format(language=language)).exists():
                continue
            if attempt(label, lambda: loader(language, root)) is not None:
                report.counts[label] = report.counts.get(label, 0) + 1
    # Scenario loading also reports the knowledge base and the language files.
    scenarios, errors = load_scenarios(root)
    report.errors.extend(errors)
    by_language = Counter(s.language for s in scenarios.values())
    for language, count in sorted(by_language.items()):
        report.counts[f"scenarios ({language})"] = count
    articles, _ = load_articles(root)
    report.counts["knowledge articles"] = len(articles)
    # A broken media.yaml is met by several loaders; report each error once.
    report.errors = list(dict.fromkeys(report.errors))
    return report


# Playing in the terminal -----------------------------------------------------------------


LABELS = {
    "nl": {"earlier": "eerder via", "actions": "acties", "customer": "klant", "followers": "volgers",
           "model": "modelantwoord", "end_of_input": "einde invoer", "end": "einde", "good": "goed", "bad": "slecht",
           "reach": "bereik", "retweets": "retweets", "passed": "geslaagd", "failed": "niet geslaagd"},
    "en": {"earlier": "earlier via", "actions": "actions", "customer": "customer", "followers": "followers",
           "model": "model answer", "end_of_input": "end of input", "end": "end", "good": "good", "bad": "bad",
           "reach": "reach", "retweets": "retweets", "passed": "passed", "failed": "not passed"},
}


@dataclass
class PlayOptions:
    scenario_id: str
    medium: str | None
    seed: int
    feedback_language: str | None = None
    agent_name: str | None = None
    seconds: float | None = None
    timed: bool = False  # measure the time each reply took (interactive use)


def play(options: PlayOptions, read: TextIO, write: TextIO, score: Callable[..., Scorecard]) -> Conversation:
    """Play one scenario: customer messages out, replies in (one line each), until it ends.

    A reply line may start with an action: `/move_to_dm Stuur je ons een DM?`,
    `/handover:billing ...`. `/hint` shows the model answer, `/quit` stops.
    """
    conversation = start(options.scenario_id, options.medium, options.seed)
    scenario = conversation.scenario
    pack = language_pack(scenario.language)
    persona = conversation.persona
    say = LABELS[options.feedback_language or scenario.language]
    write.write(f"{scenario.title}  [{scenario.id}, {conversation.medium}, seed {options.seed}]\n")
    write.write(_wrap(conversation.briefing()) + "\n")
    for item in conversation.history():
        write.write(f"  {say['earlier']} {item['medium']} ({item['by']}{', ' + item['when'] if item['when'] else ''}): {item['text']}\n")
    if conversation.actions:
        write.write(f"{say['actions']}: " + ", ".join(f"/{a} ({label})" for a, label in conversation.actions) + "\n")
    write.write(f"{say['customer']}: {persona['name']} {persona['handle']}, {conversation.reach['followers']} {say['followers']}, "
                f"{pack.moods.get(conversation.mood, conversation.mood)}\n\n")
    _show_customer(conversation, write)
    shown_at = time.monotonic()
    while not conversation.ended:
        write.write("> ")
        write.flush()
        line = read.readline()
        if not line:
            write.write(f"\n({say['end_of_input']})\n")
            break
        line = line.strip()
        if not line:
            continue
        if not read.isatty():  # piped: show the reply so the transcript reads as a conversation
            write.write(line + "\n")
        if line == "/quit":
            break
        if line == "/hint":
            text, action = conversation.model_answer()
            write.write(f"{say['model']}: {'/' + action + ' ' if action else ''}{text}\n")
            continue
        action, text = _split_action(line)
        seconds = round(time.monotonic() - shown_at, 1) if options.timed else options.seconds
        try:
            context = conversation.context_for_reply(seconds_to_reply=seconds, agent_name=options.agent_name,
                                                     feedback_language=options.feedback_language)
            card = score(text, context)
            turn = conversation.reply(text, card, action)
        except ValueError as exc:  # a rejected reply or an action not on offer
            write.write(f"! {exc}\n")
            continue
        _show_card(card, write, say)
        if turn.note:
            write.write(f"  ({turn.note})\n")
        write.write("\n")
        _show_customer(conversation, write)
        shown_at = time.monotonic()
    if conversation.ended:
        verdict = say["good"] if conversation.outcome in GOOD_ENDS else say["bad"]
        write.write(f"{say['end']}: {pack.outcomes[conversation.outcome]} ({conversation.outcome}, {verdict})\n")
        ending = scenario.endings.get(conversation.outcome)
        if ending and ending.debrief:
            write.write(_wrap(conversation.fill(ending.debrief)) + "\n")
        reach = conversation.reach
        write.write(f"{say['reach']}: {reach['followers']} {say['followers']}, {reach['retweets']} {say['retweets']}\n")
    return conversation


def _split_action(line: str) -> tuple[str | None, str]:
    if line.startswith("/"):
        action, _, text = line[1:].partition(" ")
        return action, text.strip() or action
    return None, line


def _show_customer(conversation: Conversation, write: TextIO) -> None:
    handle = conversation.persona["handle"]
    for message in conversation.pending_customer_messages:
        write.write(f"{handle} ({conversation.medium}): {message}\n")


def _show_card(card: Scorecard, write: TextIO, say: dict[str, str]) -> None:
    verdict = say["passed"] if card.passed else say["failed"]
    dims = ", ".join(f"{name} {d.score:.0f}" if d.checked else f"{name} -" for name, d in card.dimensions.items())
    write.write(f"  score {card.total:.1f} ({verdict}) | {dims}\n")
    top = sorted(card.findings, key=lambda f: -f.points)[:3]
    for finding in top:
        write.write(f"  - [{finding.severity.value}] {finding.rule}: {finding.message}\n")


def _wrap(text: str) -> str:
    import textwrap

    return textwrap.fill(" ".join(text.split()), width=96)


# Scripted paths ----------------------------------------------------------------------------


@dataclass
class PathResult:
    conversation: Conversation
    cards: list[Scorecard]
    unused_replies: int  # replies left over when the conversation ended early

    @property
    def outcome(self) -> str | None:
        return self.conversation.outcome

    def explain(self) -> str:
        """A readable trace for a failing test: each reply, its score and where it led."""
        lines = []
        for turn, card in zip(self.conversation.turns, self.cards):
            rules = ", ".join(f"{f.rule}({f.severity.value})" for f in card.findings) or "no findings"
            lines.append(f"  [{turn.state_before}] {turn.reply!r}\n    -> {card.total} {rules}; "
                         f"elements {turn.elements_present} -> {turn.state}")
        lines.append(f"  state at the end: {self.conversation.state}; replies not used: {self.unused_replies}")
        return "\n".join(lines)


def run_test_path(scenario_id: str, path_name: str, score: Callable[..., Scorecard],
                  seconds_to_reply: float = 60) -> PathResult:
    """Play one of a scenario's `test_paths` with the real scorer."""
    scenario = get_scenario(scenario_id)
    test_path = next(p for p in scenario.test_paths if p.name == path_name)
    conversation = start(scenario_id, test_path.medium, test_path.seed)
    cards = []
    replies = list(test_path.replies)
    while replies and not conversation.ended:
        reply = replies.pop(0)
        text = conversation.fill(reply.text)
        card = score(text, conversation.context_for_reply(seconds_to_reply=seconds_to_reply))
        conversation.reply(text, card, reply.action)
        cards.append(card)
    return PathResult(conversation, cards, len(replies))
