"""One vocabulary: dimension names, scenario types and end states are defined once, content is
checked against them, and an extension dimension is weighed from content like a built-in one."""

from __future__ import annotations

import shutil

import pytest

from scenarios.schema import BAD_ENDS, END_STATES, GOOD_ENDS, SCENARIO_TYPES
from scoring import ReplyContext, score_reply
from scoring import pipeline
from scoring.config import DIMENSIONS, scoring_config
from scoring.contentfile import ContentInvalid, content_dir
from scoring.registry import Outcome, _registry, register, registered


@pytest.fixture
def content_copy(tmp_path):
    root = tmp_path / "content"
    root.mkdir()
    for name in ("media.yaml", "scoring.yaml"):
        shutil.copy(content_dir() / name, root / name)
    return root


def edit_scoring(root, old: str, new: str) -> None:
    path = root / "scoring.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_vocabulary_every_built_in_dimension_needs_a_weight(content_copy):
    edit_scoring(content_copy, "  speed: 10\n", "")
    with pytest.raises(ContentInvalid) as caught:
        scoring_config(content_copy)
    error = str(caught.value.errors[0])
    assert "scoring.yaml:" in error and "missing: speed" in error


@pytest.mark.parametrize("old, new, wrong", [
    ("twitter: {length: 15, speed: 12}", "twitter: {lenght: 15, speed: 12}", "medium_weights -> twitter: lenght"),
    ("dimension_minimum:\n  tone: 60", "dimension_minimum:\n  toon: 60", "dimension_minimum: toon"),
])
def test_vocabulary_a_misspelt_dimension_is_a_content_error(content_copy, old, new, wrong):
    edit_scoring(content_copy, old, new)
    with pytest.raises(ContentInvalid) as caught:
        scoring_config(content_copy)
    assert wrong in str(caught.value.errors[0]) and "is not a dimension in weights" in str(caught.value.errors[0])


def test_vocabulary_an_extension_dimension_gets_its_weight_from_content(content_copy, monkeypatch):
    @register("courtesy", "v1")
    def courtesy(doc, evaluation) -> Outcome:
        return Outcome()

    try:
        edit_scoring(content_copy, "  substance: 20\n", "  substance: 20\n  courtesy: 30\n")
        config = scoring_config(content_copy)
        assert config.weights_for("twitter")["courtesy"] == 30
        monkeypatch.setattr(pipeline, "scoring_config", lambda: config)
        context = ReplyContext(language="nl", medium="twitter", customer_messages=["Waar blijft mijn pakket?"])
        card = score_reply("Hoi, ik zoek het voor je uit. ^Lisa", context, checker=None)
        assert card.dimensions["courtesy"].weight == 30
        assert card.dimensions["courtesy"].version == "courtesy.v1"
        assert list(card.dimensions)[: len(DIMENSIONS)] == list(DIMENSIONS)  # built-ins keep their order
    finally:
        _registry.pop("courtesy")
    assert "courtesy" not in registered()


def test_vocabulary_end_states_and_types_are_one_list():
    from trainer.db.models import AttemptOutcome

    assert [o.value for o in AttemptOutcome] == ["in_progress", *END_STATES, "abandoned"]
    assert GOOD_ENDS | BAD_ENDS == set(END_STATES) and not GOOD_ENDS & BAD_ENDS
    assert len(SCENARIO_TYPES) == len(set(SCENARIO_TYPES)) == 5


def test_vocabulary_every_outcome_has_its_screen_texts():
    """The screens name an outcome by key (`team.outcome_<outcome>`, ...): each word of the one
    list has its text in both languages, a drill conversation's too (its noise outcomes besides)."""
    from trainer.db.models import AttemptOutcome
    from trainer.i18n import LANGUAGES, ui_texts
    from trainer.services.drills.noise import ANSWERED, DISMISSED

    texts = ui_texts()
    wanted = {f"team.outcome_{o.value}" for o in AttemptOutcome}  # the team's history shows running ones too
    wanted |= {f"{prefix}{o.value}" for o in AttemptOutcome if o is not AttemptOutcome.in_progress
               for prefix in ("outcome.", "practise.outcome_why.")}  # the end of a practice conversation
    wanted |= {f"drills.outcome.{outcome}" for outcome in (*END_STATES, ANSWERED, DISMISSED)}
    assert all(wanted - set(texts[language]) == set() for language in LANGUAGES)
