"""Public reach as a consequence (content/reach.yaml): the same customer on a public medium
spreads after a bad or late reply and stays quiet after a good one on time (reach prevented);
private media never get reach, however bad or late the reply."""

from __future__ import annotations

import shutil
import uuid

import pytest
from sqlmodel import select

from scoring.config import media_catalogue
from scoring.contentfile import ContentInvalid, content_dir
from tests.drills.conftest import T0, at
from trainer.db.drill_models import DrillConversation, DrillEvent
from trainer.services import drills
from trainer.services.drills import reach

GOOD = "Wat vervelend dat je vlucht is geannuleerd! Ik boek je direct om. Stuur je je boekingscode via DM? ^Tom"
BAD = "Tja, pech gehad. Niks aan te doen."
PRIVATE = {"whatsapp": "nl-bank-pinpas-geblokkeerd-buitenland", "email": "nl-air-annuleren-ziekte",
           "twitter_dm": "nl-nedspoor-dm-gemist-gesprek"}


def _twin(session, world):
    """A second Schiphol storm with the storm fixture's seed: the same customers in the same order."""
    run = drills.create_drill(session=session, actor=world.mila, template_id="nl-storm-schiphol",
                              team_id=world.reizen.id, seed=5, now=T0)
    drills.start_drill(session=session, actor=world.mila, run_id=run.id, now=T0)
    return run


def _inject_and_answer(session, world, run, text, *, scenario="nl-vlucht-geannuleerd-schiphol", medium="twitter",
                       followers=40000, answer_at=20.0, checker):
    conversation_id = drills.inject(session=session, actor=world.mila, run_id=run.id, scenario_id=scenario,
                                    medium=medium, title="Een luide reiziger", followers=followers, now=at(10))
    drills.advance(session=session, actor=world.mila, run_id=run.id, now=at(answer_at - 2))  # nudges meanwhile
    drills.claim(session=session, actor=world.tom, conversation_id=conversation_id, now=at(answer_at - 1))
    result = drills.send_reply(session=session, actor=world.tom, conversation_id=conversation_id, text=text,
                               submission_id=uuid.uuid4(), checker=checker, now=at(answer_at))
    session.expire_all()
    return session.get(DrillConversation, conversation_id), result


def _reach_events(session, conversation_id):
    return [e.details for e in session.exec(select(DrillEvent).where(
        DrillEvent.conversation_id == conversation_id, DrillEvent.kind == "reach")).all()]


def test_reach_bad_reply_spreads_where_a_good_one_prevents_it(session, world, storm, offline_checker):
    bad, bad_result = _inject_and_answer(session, world, storm, BAD, checker=offline_checker)
    good, good_result = _inject_and_answer(session, world, _twin(session, world), GOOD, checker=offline_checker)
    assert (bad.customer_name, bad.followers, bad.seed) == (good.customer_name, good.followers, good.seed)
    assert bad_result.scorecard["passed"] is False and good_result.scorecard["passed"] is True
    assert bad.retweets > 0 and bad.quotes > 0 and bad.reached > bad.followers * 0.1
    assert bad.prevented_reach == 0
    assert (good.retweets, good.quotes, good.reached) == (0, 0, 0) and good.prevented_reach > 0
    [caused] = _reach_events(session, bad.id)
    assert caused["verdict"] == "caused" and "failed" in caused["reasons"]
    assert (caused["shares"], caused["quotes"], caused["reached"]) == (bad.retweets, bad.quotes, bad.reached)
    assert _reach_events(session, good.id) == [{"verdict": "prevented", "reached": good.prevented_reach}]
    # The team's totals, as the dashboard and the debrief show them.
    assert reach.team_reach([bad]).caused.reached == bad.reached and reach.team_reach([good]).prevented == good.prevented_reach


def test_reach_a_good_reply_sent_late_spreads_too(session, world, storm, offline_checker):
    sla = drills.template_of(storm).sla_for("twitter")
    late, _ = _inject_and_answer(session, world, storm, GOOD, answer_at=10 + 2.5 * sla, checker=offline_checker)
    assert late.reached > 0 and late.prevented_reach == 0
    assert any("late" in e.get("reasons", []) for e in _reach_events(session, late.id))


@pytest.mark.parametrize("medium", sorted(PRIVATE))
def test_reach_private_media_never_get_reach(session, world, storm, offline_checker, medium):
    sla = drills.template_of(storm).sla_for(medium)
    # Left waiting long enough to write again (every nudge), then answered badly and late.
    conversation, _ = _inject_and_answer(session, world, storm, BAD, scenario=PRIVATE[medium], medium=medium,
                                         followers=60000, answer_at=10 + 4 * sla, checker=offline_checker)
    assert conversation.nudges > 0 or drills.template_of(storm).neglect.max_nudges == 0
    assert (conversation.retweets, conversation.quotes, conversation.reached, conversation.prevented_reach) == (0, 0, 0, 0)
    assert _reach_events(session, conversation.id) == []


def test_reach_private_media_are_never_judged(session):
    for name, medium in media_catalogue().media.items():
        verdict = reach.judge(medium=name, followers=100_000, first=True, passed=False, total=0.0, mood_before=0.9,
                              mood_after=-0.9, queue_seconds=10_000, sla_seconds=60, needless=True)
        assert (verdict is None) == (not medium.public), name
        if verdict is not None:
            assert verdict.caused.shares > 0 and set(verdict.reasons) == {"failed", "angrier", "late", "needless"}


def test_reach_grows_with_followers_and_with_how_bad_the_reply_was():
    def caused(followers, total, queue=0.0, before=None, after=None):
        verdict = reach.judge(medium="twitter", followers=followers, first=True, passed=False, total=total,
                              mood_before=before, mood_after=after, queue_seconds=queue, sla_seconds=300)
        return verdict.caused

    assert caused(40_000, 50).reached > caused(400, 50).reached
    assert caused(40_000, 20).shares > caused(40_000, 60).shares
    assert caused(40_000, 50, before=0.2, after=-0.6).shares > caused(40_000, 50).shares  # angrier
    assert caused(40_000, 50, queue=900).shares > caused(40_000, 50).shares  # late on top
    # A mood drop within the margin is no change.
    margin = reach.reach_rules().mood_margin
    assert reach.badness(passed=True, total=90, mood_before=0.1, mood_after=0.1 - margin / 2, queue_seconds=0,
                         sla_seconds=300) == (0.0, ())


def test_reach_a_neglected_public_customer_is_shared_a_private_one_not(session, world, storm):
    public = drills.inject(session=session, actor=world.mila, run_id=storm.id, scenario_id="nl-vlucht-geannuleerd-schiphol",
                           medium="twitter", title="Publiek", followers=20000, now=at(10))
    private = drills.inject(session=session, actor=world.mila, run_id=storm.id, scenario_id=PRIVATE["whatsapp"],
                            medium="whatsapp", title="Privé", followers=20000, now=at(10))
    sla = max(drills.template_of(storm).sla_for(m) for m in ("twitter", "whatsapp"))
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(10 + 3 * sla))
    session.expire_all()
    shared, quiet = session.get(DrillConversation, public), session.get(DrillConversation, private)
    assert shared.nudges > 0 and quiet.nudges > 0
    assert shared.retweets > 0 and shared.reached > 0
    events = _reach_events(session, public)
    assert {tuple(e["reasons"]) for e in events} == {("ignored",)} and len(events) == shared.nudges
    rules, growth = reach.reach_rules(), drills.template_of(storm).neglect.reach_growth
    per_nudge = max(rules.badness.ignored_min_shares,
                    round(20000 * rules.media["twitter"].shares_per_follower * rules.badness.ignored * growth))
    assert shared.retweets == per_nudge * shared.nudges
    assert (quiet.retweets, quiet.reached) == (0, 0)


@pytest.mark.parametrize(("change", "code"), [
    ("  whatsapp: {shares_per_follower: 0.1, quotes_per_share: 0.1, audience: 1, followers_seeing: 0.1, audience_per_share: 1}\n", "R002"),
    ("  telex: {shares_per_follower: 0.1, quotes_per_share: 0.1, audience: 1, followers_seeing: 0.1, audience_per_share: 1}\n", "R001"),
    (None, "R003"),
])
def test_reach_rules_are_checked_against_the_media(tmp_path, change, code):
    root = tmp_path / "content"
    root.mkdir()
    shutil.copy(content_dir() / "media.yaml", root / "media.yaml")
    text = (content_dir() / "reach.yaml").read_text(encoding="utf-8")
    text = text + change if change else "\n".join(line for line in text.splitlines() if not line.startswith("  review:"))
    (root / "reach.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentInvalid) as invalid:
        reach.reach_rules(root)
    assert [e.code for e in invalid.value.errors] == [code]
    assert invalid.value.errors[0].line is not None and "content/reach.yaml" in str(invalid.value)
