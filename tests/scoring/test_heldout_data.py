"""Shape checks for the held-out real-word sets (tests/data/realword_*_heldout.yaml).

These files were written without looking at the rules, so they only get validated here; nothing
in this module measures the scorer against them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"

KINDS = {
    "nl": {
        "dt_present", "dt_inversion", "dt_subordinate", "dt_participle", "split_compound",
        "als_dan", "hun_hen_zij", "u_uw", "jou_jouw", "split_separable", "split_pronominal",
        "die_dat",
    },
    "en": {
        "your_youre", "their_there", "its_its", "then_than", "loose_lose", "affect_effect",
        "to_too", "whos_whose", "were_were", "passed_past", "advice_advise", "breath_breathe",
        "accept_except", "weather_whether", "lead_led", "quiet_quite", "of_have", "compliment_complement",
    },
}
# set -> (file, language, id infix); nl2 and nl3 are the second and third Dutch sets, each by another writer
SETS = {
    "nl": ("realword_nl_heldout.yaml", "nl", "h"),
    "en": ("realword_en_heldout.yaml", "en", "h"),
    "nl2": ("realword_nl_heldout2.yaml", "nl", "h2"),
    "nl3": ("realword_nl_heldout3.yaml", "nl", "h3"),
}
COUNTS = {"nl": (100, 150), "en": (50, 80), "nl2": (100, 150), "nl3": (100, 150)}
LANGS = list(SETS)


def _load(name: str) -> dict:
    return yaml.safe_load((DATA / SETS[name][0]).read_text(encoding="utf-8"))


def _media() -> set[str]:
    return set(yaml.safe_load((ROOT / "content" / "media.yaml").read_text(encoding="utf-8"))["media"])


def _whole_word_count(phrase: str, text: str) -> int:
    return len(re.findall(rf"(?<!\w){re.escape(phrase)}(?!\w)", text))


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_has_the_promised_size(lang):
    data = _load(lang)
    assert set(data) == {"errors", "clean"}
    assert (len(data["errors"]), len(data["clean"])) == COUNTS[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_ids_are_unique_and_prefixed(lang):
    data = _load(lang)
    error_ids = [item["id"] for item in data["errors"]]
    clean_ids = [item["id"] for item in data["clean"]]
    assert len(set(error_ids + clean_ids)) == len(error_ids) + len(clean_ids)
    _, language, infix = SETS[lang]
    assert all(re.fullmatch(rf"{language}-{infix}-\d{{3}}", i) for i in error_ids)
    assert all(re.fullmatch(rf"{language}-hc{infix[1:]}-\d{{3}}", i) for i in clean_ids)


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_items_have_known_fields_media_and_kinds(lang):
    data = _load(lang)
    media = _media()
    for item in data["errors"]:
        assert set(item) == {"id", "medium", "text", "wrong", "right", "kind"}, item["id"]
        assert item["kind"] in KINDS[SETS[lang][1]], item["id"]
        assert item["medium"] in media, item["id"]
        assert item["wrong"] != item["right"], item["id"]
    for item in data["clean"]:
        assert set(item) == {"id", "medium", "text"}, item["id"]
        assert item["medium"] in media, item["id"]


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_wrong_occurs_once_as_whole_word(lang):
    for item in _load(lang)["errors"]:
        assert _whole_word_count(item["wrong"], item["text"]) == 1, item["id"]


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_texts_are_unique(lang):
    data = _load(lang)
    texts = [item["text"] for item in data["errors"] + data["clean"]]
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("lang", LANGS)
def test_heldout_public_x_replies_fit_in_a_tweet(lang):
    data = _load(lang)
    for item in data["errors"] + data["clean"]:
        if item["medium"] == "twitter":
            assert len(item["text"]) <= 280, item["id"]
