import pytest

from scoring import ReplyContext, Severity, score_reply


def _findings(card, dimension):
    return [f for f in card.dimensions[dimension].findings]


def test_length_over_the_limit_on_x_is_critical_and_fails_the_reply(offline_checker):
    reply = "Wat vervelend dat je vlucht is geannuleerd. " * 8
    card = score_reply(reply, ReplyContext(medium="twitter"), checker=offline_checker)
    (finding,) = _findings(card, "length")
    assert finding.severity is Severity.critical
    assert finding.span == (280, len(reply))
    assert card.passed is False
    assert "280" in finding.message


def test_length_over_the_limit_in_a_dm_is_major_not_critical(offline_checker):
    card = score_reply("a " * 1001, ReplyContext(medium="instagram_dm"), checker=offline_checker)
    (finding,) = _findings(card, "length")
    assert finding.severity is Severity.major


def test_length_inside_the_ideal_range_costs_nothing(offline_checker):
    reply = "Hoi Sanne, wat vervelend! Ik zoek het direct voor je uit en stuur je zo een DM met de opties. ^Lisa"
    card = score_reply(reply, ReplyContext(medium="twitter"), checker=offline_checker)
    assert card.dimensions["length"].score == 100


@pytest.mark.parametrize("lang, needle", [("nl", "tekens"), ("en", "characters")])
def test_length_too_short_explains_in_the_trainee_language(lang, needle, offline_checker):
    card = score_reply("Ok.", ReplyContext(language=lang, medium="email"), checker=offline_checker)
    (finding,) = _findings(card, "length")
    assert needle in finding.message
    assert finding.points > 0


def test_speed_within_target_is_full_marks_and_slower_loses_more(offline_checker):
    reply = "Hoi Sanne, ik kijk het direct voor je na en stuur je een DM met de opties. ^Lisa"
    scores = [
        score_reply(reply, ReplyContext(medium="twitter", seconds_to_reply=s), checker=offline_checker).dimensions["speed"].score
        for s in (60, 180, 400)
    ]
    assert scores[0] == 100
    assert scores[0] > scores[1] > scores[2]


def test_speed_without_timing_is_not_scored(offline_checker):
    card = score_reply("Hoi, ik kijk het voor je na.", ReplyContext(medium="twitter"), checker=offline_checker)
    assert card.dimensions["speed"].checked is False


def test_speed_queue_time_over_the_sla_is_a_major_finding(offline_checker):
    context = ReplyContext(medium="webchat", seconds_to_reply=20, queue_seconds=300)
    card = score_reply("Hoi, ik kijk het voor je na.", context, checker=offline_checker)
    rules = {f.rule: f for f in card.dimensions["speed"].findings}
    assert rules["speed.sla_breached"].severity is Severity.major
