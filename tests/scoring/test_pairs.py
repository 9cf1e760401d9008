"""Does the scorer agree with a team lead? tests/data/pairs_<lang>.yaml holds pairs of replies
to the same customer message, one judged clearly better (see tests/data/README.md). The
scorer must rank the better one higher in at least 95% of pairs, per language."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from scoring import ExpectedElement, PriorReply, ReplyContext, score_reply

DATA = Path(__file__).resolve().parent.parent / "data"
REQUIRED_AGREEMENT = 0.95


def load_pairs(language: str) -> list[dict]:
    return yaml.safe_load((DATA / f"pairs_{language}.yaml").read_text(encoding="utf-8"))["pairs"]


def context_for(pair: dict, language: str, which: str) -> ReplyContext:
    seconds = pair.get(f"seconds_{which}", pair.get("seconds"))
    return ReplyContext(
        language=language,
        medium=pair["medium"],
        customer_messages=[pair["customer"]],
        customer_name=pair.get("customer_name"),
        prior_replies=[PriorReply(**p) for p in pair.get("prior_replies") or []],
        expected_elements=[ExpectedElement(**e) for e in pair.get("expected_elements") or []],
        knowledge_templates=pair.get("knowledge_templates") or [],
        seconds_to_reply=seconds,
    )


def judge(language: str, checker) -> tuple[list[dict], list[dict]]:
    agreed, disagreed = [], []
    for pair in load_pairs(language):
        better = score_reply(pair["better"], context_for(pair, language, "better"), checker=checker)
        worse = score_reply(pair["worse"], context_for(pair, language, "worse"), checker=checker)
        record = {"id": pair["id"], "aspect": pair.get("aspect"), "better": better.total, "worse": worse.total}
        (agreed if better.total > worse.total else disagreed).append(record)
    return agreed, disagreed


@pytest.mark.parametrize("language, minimum_pairs", [("nl", 60), ("en", 20)])
def test_pairs_scorer_prefers_the_team_leads_choice(language, minimum_pairs, grammar_checker):
    pairs = load_pairs(language)
    assert len(pairs) >= minimum_pairs
    agreed, disagreed = judge(language, grammar_checker)
    share = len(agreed) / len(pairs)
    assert share >= REQUIRED_AGREEMENT, (
        f"{language}: scorer agrees on {len(agreed)}/{len(pairs)} = {share:.1%}; disagrees on {disagreed}"
    )
