import pytest

from scoring import ReplyContext, ReplyRejected, score_reply
from scoring.registry import registered


def test_pipeline_registers_every_builtin_dimension_with_a_version():
    dims = registered()
    for name in ("length", "speed", "spelling"):
        assert dims[name].versioned_name.startswith(f"{name}.v")


def test_pipeline_without_languagetool_leaves_spelling_out_and_says_so(offline_checker):
    context = ReplyContext(language="nl", medium="twitter", seconds_to_reply=30)
    card = score_reply("Ik word morgen gebelt door een collega, dat beloof ik je.", context, checker=offline_checker)
    spelling = card.dimensions["spelling"]
    assert spelling.checked is False
    assert spelling.score == 0.0, "an unchecked dimension must never claim a score"
    assert "niet gecontroleerd" in spelling.note
    assert any("niet gecontroleerd" in note for note in card.notes)
    counted = [d for d in card.dimensions.values() if d.checked]
    expected = sum(d.score * d.weight for d in counted) / sum(d.weight for d in counted)
    assert card.total == pytest.approx(expected, abs=0.1)
    public = card.to_public_dict()
    assert public["dimensions"]["spelling"]["score"] is None


def test_pipeline_every_point_lost_is_traceable_to_a_finding(grammar_checker):
    context = ReplyContext(language="nl", medium="twitter", seconds_to_reply=400)
    card = score_reply("Ik word morgen gebelt.", context, checker=grammar_checker)
    for dim in card.dimensions.values():
        if dim.checked:
            lost = sum(f.points for f in dim.findings)
            assert dim.score == pytest.approx(max(0.0, 100 - lost), abs=0.05), dim.name


@pytest.mark.parametrize(
    "reply, medium, reason",
    [
        ("", "twitter", "empty"),
        ("   \n\t", "twitter", "empty"),
        ("x" * 20_001, "email", "20,000"),
        ("Hallo", "carrier_pigeon", "unknown medium"),
    ],
)
def test_pipeline_refuses_what_cannot_be_a_reply(reply, medium, reason, offline_checker):
    with pytest.raises(ReplyRejected, match=reason):
        score_reply(reply, ReplyContext(medium=medium), checker=offline_checker)
