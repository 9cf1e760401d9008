"""Dutch real-word errors: recall and false alarms of the spelling dimension, with LanguageTool
alone (our rules disabled on the same server) and with our rules (content/languagetool/).

The set is tests/data/realword_nl.yaml: replies with one real-word error each, and clean
replies, to which every Dutch scenario model answer and every better reply of
tests/data/pairs_nl.yaml are added. An error counts as caught when a spelling finding covers
the wrong word; a clean reply is a false alarm when it gets any spelling finding. Findings are
what the scorer shows (names, brands and signatures already left out).

Run: `.venv/bin/python bench/realword.py [-v]` (LanguageTool must be running); add
`--held-out nl`, `--held-out en`, `--held-out nl2` or `--held-out nl3` for the held-out sets
(tests/data/realword_*_heldout*.yaml, written without looking at the rules, never used to tune
them). The figures go to docs/scoring.md by hand.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring import ReplyContext, score_reply  # noqa: E402
from scoring.languagetool import GrammarChecker, LanguageToolSettings  # noqa: E402
from scoring.languagetool_rules import rule_ids  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"


@dataclass(frozen=True)
class Reply:
    text: str
    context: ReplyContext
    # The wrong word's character span, for a reply with an error.
    wrong: tuple[int, int] | None = None
    kind: str = "clean"


@dataclass
class Figures:
    errors: int = 0
    caught: int = 0
    clean: int = 0
    false_alarms: int = 0
    missed: list[Reply] = field(default_factory=list)
    alarms: list[tuple[Reply, list[str]]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.errors if self.errors else 0.0

    @property
    def false_alarm_rate(self) -> float:
        return self.false_alarms / self.clean if self.clean else 0.0


# name -> (file, language); nl2 and nl3 are a second and third Dutch set, each by another writer (2026-12-07).
HELD_OUT = {
    "nl": (DATA / "realword_nl_heldout.yaml", "nl"),
    "en": (DATA / "realword_en_heldout.yaml", "en"),
    "nl2": (DATA / "realword_nl_heldout2.yaml", "nl"),
    "nl3": (DATA / "realword_nl_heldout3.yaml", "nl"),
}


def error_replies(path: Path = DATA / "realword_nl.yaml", language: str = "nl") -> list[Reply]:
    """Replies with one real-word error each: `text`, `wrong` (the wrong word, once in the text as
    a whole word), `kind`, and optionally `medium` (else WhatsApp)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    replies = []
    for item in data["errors"]:
        match = re.search(rf"(?<!\w){re.escape(item['wrong'])}(?!\w)", item["text"])
        if match is None:
            raise ValueError(f"{path.name} {item.get('id', item['text'][:40])}: {item['wrong']!r} is not in its text")
        replies.append(Reply(item["text"], ReplyContext(language=language, medium=item.get("medium", "whatsapp")),
                             match.span(), item["kind"]))
    return replies


def clean_replies(path: Path = DATA / "realword_nl.yaml", language: str = "nl") -> list[Reply]:
    """Clean replies of the set (plain strings or items with `text` and `medium`); the main Dutch
    set also counts the better replies of the judged pairs and every scenario model answer."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    replies = [Reply(item, ReplyContext(language=language, medium="whatsapp")) if isinstance(item, str)
               else Reply(item["text"], ReplyContext(language=language, medium=item.get("medium", "whatsapp")))
               for item in data["clean"]]
    if path.name != "realword_nl.yaml":
        return replies
    pairs = yaml.safe_load((DATA / "pairs_nl.yaml").read_text(encoding="utf-8"))["pairs"]
    replies += [Reply(p["better"], ReplyContext(language="nl", medium=p["medium"], customer_name=p["customer_name"]),
                      kind="pairs") for p in pairs]
    replies += [Reply(text, context, kind="model_answer") for text, context in model_answers("nl")]
    return replies


def model_answers(language: str) -> list[tuple[str, ReplyContext]]:
    """Every state's model answer of every scenario in `language`, filled with a persona, with
    the context the app scores it in."""
    from scenarios import catalogue, start

    answers = []
    for scenario in catalogue():
        if scenario.language != language:
            continue
        conversation = start(scenario.id, None, seed=1)
        context = conversation.context_for_reply()
        for state in scenario.states.values():
            answers.append((conversation.fill(state.model_answer).strip(), context))
    return answers


def measure(checker: GrammarChecker, path: Path = DATA / "realword_nl.yaml", language: str = "nl") -> Figures:
    figures = Figures()
    for reply in error_replies(path, language):
        figures.errors += 1
        spans = _flagged(reply, checker)
        start, end = reply.wrong
        if any(s < end and start < e for s, e in spans):
            figures.caught += 1
        else:
            figures.missed.append(reply)
    for reply in clean_replies(path, language):
        figures.clean += 1
        spans = _flagged(reply, checker)
        if spans:
            figures.false_alarms += 1
            figures.alarms.append((reply, [reply.text[s:e] for s, e in spans]))
    return figures


def _flagged(reply: Reply, checker: GrammarChecker) -> list[tuple[int, int]]:
    card = score_reply(reply.text, reply.context, checker=checker)
    spelling = card.dimensions["spelling"]
    assert spelling.checked, spelling.note
    return [f.span for f in spelling.findings if f.points > 0]


def checkers(settings: LanguageToolSettings | None = None) -> dict[str, GrammarChecker]:
    settings = settings or LanguageToolSettings()
    return {
        "LanguageTool 6.8 alone": GrammarChecker(settings, disabled_rules=rule_ids()),
        "LanguageTool 6.8 + our rules": GrammarChecker(settings),
    }


def main() -> None:
    """`bench/realword.py [-v] [--held-out nl|en|nl2|nl3]`: the main Dutch set, or a held-out set written
    without looking at the rules (tests/data/realword_<lang>_heldout.yaml)."""
    verbose = "-v" in sys.argv
    path, language = DATA / "realword_nl.yaml", "nl"
    if "--held-out" in sys.argv:
        path, language = HELD_OUT[sys.argv[sys.argv.index("--held-out") + 1]]
    print(f"{path.name}\n")
    print("| checker | real-word errors caught | false alarms on clean replies |")
    print("|---|---:|---:|")
    results = {name: measure(checker, path, language) for name, checker in checkers().items()}
    for name, figures in results.items():
        print(f"| {name} | {figures.caught}/{figures.errors} ({figures.recall:.0%}) | "
              f"{figures.false_alarms}/{figures.clean} ({figures.false_alarm_rate:.1%}) |")
    by_kind = Counter(r.kind for r in error_replies(path, language))
    missed = {name: Counter(r.kind for r in figures.missed) for name, figures in results.items()}
    print("\n| kind | errors | " + " | ".join(f"caught by {name}" for name in results) + " |")
    print("|---|---:|" + "---:|" * len(results))
    for kind, count in sorted(by_kind.items()):
        print(f"| {kind} | {count} | " + " | ".join(str(count - missed[name][kind]) for name in results) + " |")
    if verbose:
        for name, figures in results.items():
            print(f"\n{name}: missed")
            for reply in figures.missed:
                print(f"  [{reply.kind}] {reply.text}")
            print(f"{name}: false alarms")
            for reply, flagged in figures.alarms:
                print(f"  [{reply.kind}] {flagged}: {reply.text}")


if __name__ == "__main__":
    main()
