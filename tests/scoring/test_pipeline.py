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


def test_pipeline_a_dimension_below_the_minimum_fails_a_reply_with_a_fine_total(offline_checker):
    reply = "Annuleringen vallen onder overmacht conform onze voorwaarden. Voor omboeken kun je bellen met de klantenservice. ^Lisa"
    context = ReplyContext(medium="twitter", customer_messages=["Mijn vlucht is geannuleerd. Schandalig!"],
                           customer_name="Sanne de Vries", seconds_to_reply=60)
    card = score_reply(reply, context, checker=offline_checker)
    assert card.dimensions["tone"].score < 60
    assert card.total >= card.pass_mark, "the point is a reply whose total alone would pass"
    assert card.passed is False
    assert any(note.startswith("Niet geslaagd: Toon scoort") for note in card.notes)


def test_pipeline_a_slow_but_good_reply_is_not_failed_for_speed_alone(offline_checker):
    reply = "Hoi Sanne, wat vervelend dat je vlucht is geannuleerd! Ik boek je graag om. Stuur je me je boekingscode via DM? ^Lisa"
    context = ReplyContext(medium="twitter", customer_messages=["Mijn vlucht is geannuleerd. Schandalig!"],
                           customer_name="Sanne", seconds_to_reply=600)
    card = score_reply(reply, context, checker=offline_checker)
    assert card.dimensions["speed"].score < 60
    assert card.passed, card.notes
