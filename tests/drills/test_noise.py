"""Noise in drills: the libraries validate with file:line errors, templates mix noise in by
their curve (share per phase, the same for a seed), trainees claim, answer, label or close noise
posts, and the debrief judges each post's handling per kind."""

from __future__ import annotations

import uuid
from collections import Counter

import pytest
from sqlmodel import select

import scenarios
from scenarios.drills import drill_catalogue, load_drills, timeline
from scenarios.noise import NOISE_KINDS, load_noise, noise_catalogue
from tests.drills.conftest import at
from tests.drills.test_templates import content_copy  # noqa: F401  (fixture)
from trainer.db.drill_models import DrillConversation, DrillMessage
from trainer.services import drills
from trainer.services.drills import dashboard as drill_dashboard
from trainer.services.drills import debrief as drill_debrief
from trainer.services.drills.noise import BAD, GOOD, VERDICTS, is_noise, item_of, verdict
from trainer.services.rights import PermissionDenied

# ------------------------------------------------------------------------------ content


def test_noise_libraries_have_enough_items_of_every_kind():
    libraries, errors = load_noise()
    assert errors == []
    assert len(libraries["nl"].items) >= 40 and len(libraries["en"].items) >= 25
    for library in libraries.values():
        assert {item.kind for item in library.items} == set(NOISE_KINDS)
        assert any(item.followers == 40000 for item in library.items if item.kind == "influencer")


NOISE, ENERGY, OPENINGS = "noise/nl.yaml", "drills/nl-energieprijs-schok.yaml", "drills/_openings.yaml"


@pytest.mark.parametrize(
    ("relative", "change", "expected"),
    [
        (NOISE, ("{id: spam-crypto, kind: spam,", "{id: spam-crypto, kind: reclame,"), "nl.yaml:40 [items -> 14 -> kind] must be one of"),
        (NOISE, ("{id: spam-volgers, kind: spam, needs_answer: false,", "{id: spam-volgers, kind: spam, needs_answer: true,"),
         "nl.yaml:38 [items -> 13] an item best ignored cannot need an answer"),
        (NOISE, ("handling: route, route: pers, followers: 8500", "handling: route, followers: 8500"),
         "[items -> 22] 'route' names a label exactly when handling is 'route'"),
        (NOISE, ("Hier ook. Nog nieuws?", "Hier ook, {voornaam}. Nog nieuws?"), "nl.yaml:90 [items -> 36 -> text] uses {voornaam}"),
        (NOISE, ("{id: trol-failliet,", "{id: trol-clown,"), "nl.yaml:49 [items -> 18 -> id] 'trol-clown' is used twice"),
        (NOISE, ("language: nl", "language: en"), "nl.yaml:7 [language] is 'en' but the file is nl.yaml"),
        (ENERGY, ("labels: [termijnbedrag, opzegging, jaarafrekening, betalingsregeling, klacht, pers, escalatie]",
                  "labels: [termijnbedrag, opzegging, jaarafrekening, betalingsregeling, klacht, escalatie]"),
         "[noise -> kinds -> press] routes to label 'pers', which is not one of the drill's labels"),
        (ENERGY, ("  share: 0.15", "  share: 1.5"), "yaml:35 [noise -> share]"),
        (ENERGY, ("troll: 2, press: 1", "trol: 2, press: 1"), "yaml:36 [noise -> kinds -> trol"),
        (ENERGY, ("  share: 0.15\n", "  share: 0.15\n  phases: {storm: 0.3}\n"), "yaml:36 [noise -> phases -> storm -> [key]] must be one of"),
        (OPENINGS, ('  - "{opening} Alvast bedankt."', '  - "Alvast bedankt."'), "_openings.yaml:19 [nl -> 11] must hold {opening}"),
        (OPENINGS, ('  - "{opening} Alvast bedankt."', '  - "{opening} {voornaam}"'), "_openings.yaml:19 [nl -> 11] uses {voornaam}"),
    ],
)
def test_noise_content_errors_name_file_line_and_field(content_copy, relative, change, expected):
    path = content_copy / relative
    text = path.read_text(encoding="utf-8")
    assert change[0] in text
    path.write_text(text.replace(change[0], change[1], 1), encoding="utf-8")
    # The broken file is left out (a library by language, a template by id: both the file's stem).
    loaded, errors = load_noise(content_copy) if relative == NOISE else load_drills(content_copy)
    assert path.stem not in loaded and loaded
    assert any(expected in str(e) and f"{relative}:" in str(e) for e in errors), [str(e) for e in errors]


def test_drills_noise_phase_must_be_on_the_curve(content_copy):
    path = content_copy / ENERGY
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - {phase: tail, minutes: 5, messages: 15}\n", "").replace("  share: 0.15\n", "  share: 0.15\n  phases: {tail: 0.3}\n")
    path.write_text(text, encoding="utf-8")
    templates, errors = load_drills(content_copy)
    assert "nl-energieprijs-schok" not in templates
    assert [str(e).split("content/")[-1] for e in errors] == [
        "drills/nl-energieprijs-schok.yaml:35 [noise -> phases -> tail] is not a phase of the drill's curve"]


def test_drills_noise_kind_without_items_is_an_error(content_copy):
    path = content_copy / "noise" / "en.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for i, line in enumerate(lines) if "kind: politician" not in line
            and not (i and "kind: politician" in lines[i - 1])]
    path.write_text("".join(kept), encoding="utf-8")
    templates, errors = load_drills(content_copy)
    assert "en-storm-insurer" not in templates
    assert any("en-storm-insurer.yaml:" in str(e) and "[noise -> kinds -> politician] has no items" in str(e)
               for e in errors), [str(e) for e in errors]


# ----------------------------------------------------------------------------- timeline


@pytest.mark.parametrize("template_id", sorted(drill_catalogue()))
def test_drills_every_template_has_ten_scenarios_and_noise(template_id):
    template = drill_catalogue()[template_id]
    assert len(template.scenarios) >= 10
    assert template.noise is not None and template.noise.share > 0


@pytest.mark.parametrize("template_id", sorted(drill_catalogue()))
def test_drills_noise_follows_the_share_per_phase_and_replays_for_a_seed(template_id):
    template = drill_catalogue()[template_id]
    first = timeline(template, seed=21)
    assert first == timeline(template, seed=21)
    noise = [a for a in first if a.noise]
    assert [a.noise for a in noise] != [a.noise for a in timeline(template, seed=22) if a.noise]
    for phase in template.curve:
        wanted = round(template.noise.share_in(phase.phase) * phase.messages)
        assert sum(1 for a in noise if a.phase == phase.phase) == wanted
    kinds = Counter(noise_catalogue()[template.language].get(a.noise).kind for a in noise)
    assert set(kinds) <= set(template.noise.kinds) and len(kinds) >= 3
    # Noise takes the place of some customers: the times and the other customers stay as they were.
    quiet = timeline(template.model_copy(update={"noise": None}), seed=21)
    assert [a.offset for a in quiet] == [a.offset for a in first]
    assert all(a.noise or (a.scenario_id, a.medium) == (b.scenario_id, b.medium) for a, b in zip(first, quiet))


# ------------------------------------------------------------------------------ handling


def test_noise_verdicts_follow_the_best_handling():
    library = noise_catalogue()["nl"]
    spam, praise, press = library.get("spam-crypto"), library.get("lof-geduld"), library.get("pers-radio")
    assert verdict(spam, replies=0, label=None) == "ignored_well"
    assert verdict(spam, replies=1, label=None) == "answered_needlessly"
    assert verdict(praise, replies=1, label=None) == "answered_well"
    assert verdict(praise, replies=0, label="klacht") == "left_unanswered"
    assert verdict(press, replies=0, label="pers") == "routed_well"
    assert verdict(press, replies=1, label=None) == "not_routed"
    assert set(GOOD) | set(BAD) == set(VERDICTS)


@pytest.fixture
def noisy(session, world, storm):
    """The storm drill five minutes in: noise posts of several kinds in the inbox."""
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(300))
    conversations = session.exec(select(DrillConversation).where(DrillConversation.run_id == storm.id)
                                 .order_by(DrillConversation.arrival)).all()
    return storm, [c for c in conversations if is_noise(c)]


def _first(noise, run, test):
    return next(c for c in noise if test(item_of(c, run.language)))


def test_drills_noise_posts_arrive_like_customers_with_their_text(session, world, noisy):
    storm, noise = noisy
    expected = [a for a in timeline(drill_catalogue()["nl-storm-schiphol"], storm.seed) if a.noise and a.offset <= 300]
    assert [c.scenario_id for c in noise] == [a.scenario_id for a in expected] and noise
    for conversation in noise:
        item = item_of(conversation, storm.language)
        text = session.exec(select(DrillMessage.text).where(DrillMessage.conversation_id == conversation.id)).one()
        assert "{" not in text and ("Schiphol" in item.text or "{brand}" not in item.text or "SkyNL" in text)
        if item.followers is not None:
            assert conversation.followers == item.followers
    board = drill_dashboard.dashboard(session=session, actor=world.mila, run_id=storm.id, now=at(300))
    assert board.noise == len(noise) and board.noise_open == len(noise)
    view = drills.conversation_view(session=session, actor=world.tom, conversation_id=noise[0].id, now=at(300))
    assert view.actions == [] and view.reply_medium == noise[0].medium


def test_drills_noise_posts_send_no_nudges(session, world, noisy):
    storm, noise = noisy
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(900), force=True)
    conversations = session.exec(select(DrillConversation).where(DrillConversation.run_id == storm.id)
                                 .execution_options(populate_existing=True)).all()
    assert all(c.nudges == 0 for c in conversations if is_noise(c))
    assert any(c.nudges > 0 for c in conversations if not is_noise(c))


def test_drills_dismiss_needs_the_claim_and_the_right_to_work(session, world, noisy):
    storm, noise = noisy
    target = noise[0].id
    with pytest.raises(drills.NotYours):
        drills.dismiss(session=session, actor=world.tom, conversation_id=target, now=at(301))
    with pytest.raises(PermissionDenied):
        drills.dismiss(session=session, actor=world.mila, conversation_id=target, now=at(301))
    with pytest.raises(PermissionDenied):
        drills.dismiss(session=session, actor=world.eva, conversation_id=target, now=at(301))
    assert drills.claim(session=session, actor=world.tom, conversation_id=target, now=at(301))
    with pytest.raises(drills.NotYours):
        drills.dismiss(session=session, actor=world.tess, conversation_id=target, now=at(302))
    drills.dismiss(session=session, actor=world.tom, conversation_id=target, now=at(302))
    stored = session.get(DrillConversation, target)
    session.refresh(stored)
    assert stored.ended and stored.outcome == "dismissed" and stored.claimed_by_id is None
    with pytest.raises(drills.DrillError):
        drills.dismiss(session=session, actor=world.tom, conversation_id=target, now=at(303))


def test_drills_a_reply_to_noise_is_stored_unscored_and_ends_it(session, world, noisy):
    storm, noise = noisy
    target = noise[0].id
    drills.claim(session=session, actor=world.tom, conversation_id=target, now=at(301))
    submission = uuid.uuid4()
    result = drills.send_reply(session=session, actor=world.tom, conversation_id=target, text="Dank je wel! ^Tom",
                               submission_id=submission, now=at(305))
    assert result.ended and result.outcome == "answered" and result.scorecard == {} and result.score_id == 0
    again = drills.send_reply(session=session, actor=world.tom, conversation_id=target, text="Dank je wel! ^Tom",
                              submission_id=submission, now=at(306))
    assert again.created is False and again.message_id == result.message_id
    replies = session.exec(select(DrillMessage).where(DrillMessage.conversation_id == target,
                                                      DrillMessage.role == "agent")).all()
    assert len(replies) == 1 and replies[0].score_id is None


def test_drills_debrief_judges_noise_handling_per_kind(session, world, noisy, offline_checker):
    storm, noise = noisy
    handled = {}

    def reply(conversation):
        drills.claim(session=session, actor=world.tom, conversation_id=conversation.id, now=at(310))
        drills.send_reply(session=session, actor=world.tom, conversation_id=conversation.id, text="Bedankt voor je bericht! ^Tom",
                          submission_id=uuid.uuid4(), checker=offline_checker, now=at(311))

    ignorable = [c for c in noise if item_of(c, storm.language).handling == "ignore"]
    answerable = [c for c in noise if item_of(c, storm.language).handling in ("thank", "answer")]
    assert len(ignorable) >= 2 and answerable
    # Closed without a reply: good. Answered: bad.
    drills.claim(session=session, actor=world.tess, conversation_id=ignorable[0].id, now=at(310))
    drills.dismiss(session=session, actor=world.tess, conversation_id=ignorable[0].id, now=at(311))
    handled[ignorable[0].id] = "ignored_well"
    reply(ignorable[1])
    handled[ignorable[1].id] = "answered_needlessly"
    reply(answerable[0])
    handled[answerable[0].id] = "answered_well"
    for c in answerable[1:]:
        handled[c.id] = "left_unanswered"
    routed = [c for c in noise if item_of(c, storm.language).handling == "route"]
    if routed:  # labelled for the press office: good, whether answered or not
        drills.claim(session=session, actor=world.tom, conversation_id=routed[0].id, now=at(312))
        drills.set_label(session=session, actor=world.tom, conversation_id=routed[0].id,
                         label=item_of(routed[0], storm.language).route, now=at(313))
        handled[routed[0].id] = "routed_well"
        for c in routed[1:]:
            handled[c.id] = "not_routed"
    drills.stop_drill(session=session, actor=world.mila, run_id=storm.id, now=at(320))
    report = drill_debrief.debrief(session=session, actor=world.mila, run_id=storm.id)
    judged = {r.id: r.noise_verdict for r in report.conversations if r.noise_kind}
    assert set(judged) == {c.id for c in noise}
    for conversation_id, expected in handled.items():
        assert judged[conversation_id] == expected
    # Per kind, the posts add up; good and bad are the verdicts' sums.
    assert sum(k.posts for k in report.noise) == len(noise)
    good = sum(1 for v in judged.values() if v in GOOD)
    assert report.noise_good == good and report.noise_bad == len(noise) - good
    for figures in report.noise:
        assert figures.good + figures.bad == figures.posts == sum(figures.verdicts.values())
    # Noise is not ranked among the story's customers.
    assert not {r.id for r in report.worst + report.best} & set(judged)
    assert report.board.never_answered == sum(1 for r in report.conversations if r.replies == 0 and not r.noise_kind)
    csv_text = drill_debrief.conversations_csv(report)
    assert "noise_kind,noise_handling" in csv_text.splitlines()[0] and "answered_needlessly" in csv_text
    assert drill_debrief.debrief_pdf(report).startswith(b"%PDF")


# ------------------------------------------------------------------------ injected by hand


def test_drills_manager_injects_noise_of_a_chosen_kind_judged_like_the_curves(session, world, storm, offline_checker):
    from trainer.db.drill_models import DrillEvent

    kinds = drills.noise_kinds("nl")
    assert set(kinds) == set(NOISE_KINDS)
    shown = {c.scenario_id for c in session.exec(select(DrillConversation).where(DrillConversation.run_id == storm.id))}
    spam = drills.inject_noise(session=session, actor=world.mila, run_id=storm.id, kind="spam", medium="facebook_comment",
                               title="Spam erbij", now=at(20))
    press = drills.inject_noise(session=session, actor=world.mila, run_id=storm.id, kind="press", medium="twitter",
                                title="Pers erbij", now=at(21))
    praise = drills.inject_noise(session=session, actor=world.mila, run_id=storm.id, kind="praise", medium="twitter",
                                 title="Lof erbij", now=at(22))
    stored = {i: session.get(DrillConversation, i) for i in (spam, press, praise)}
    for conversation_id, kind, medium in ((spam, "spam", "facebook_comment"), (press, "press", "twitter"),
                                          (praise, "praise", "twitter")):
        conversation = stored[conversation_id]
        item = item_of(conversation, "nl")
        assert is_noise(conversation) and item.kind == kind and conversation.medium == medium
        assert conversation.scenario_id not in shown  # a post the drill had not shown yet
        [message] = session.exec(select(DrillMessage).where(DrillMessage.conversation_id == conversation_id)).all()
        assert message.source == "noise" and "{" not in message.text and message.offset == pytest.approx(
            conversation.arrived_offset)
    # In the shared inbox like the curve's noise, waiting from now.
    inbox = {i.id: i for i in drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(30))}
    assert inbox[spam].waiting_seconds == pytest.approx(10)
    # The event log says who injected what.
    events = session.exec(select(DrillEvent).where(DrillEvent.run_id == storm.id, DrillEvent.kind == "inject",
                                                   DrillEvent.conversation_id == spam)).all()
    assert [(e.user_id, e.details["noise_kind"], e.details["title"]) for e in events] == [(world.mila.id, "spam", "Spam erbij")]
    # Handled: spam closed (good), the press answered but not routed (bad), praise answered (good).
    drills.claim(session=session, actor=world.tom, conversation_id=spam, now=at(31))
    drills.dismiss(session=session, actor=world.tom, conversation_id=spam, now=at(32))
    for target in (press, praise):
        drills.claim(session=session, actor=world.tess, conversation_id=target, now=at(33))
        drills.send_reply(session=session, actor=world.tess, conversation_id=target, text="Dank voor je bericht! ^Tess",
                          submission_id=uuid.uuid4(), checker=offline_checker, now=at(34))
    drills.stop_drill(session=session, actor=world.mila, run_id=storm.id, now=at(40))
    report = drill_debrief.debrief(session=session, actor=world.mila, run_id=storm.id)
    judged = {r.id: r.noise_verdict for r in report.conversations if r.noise_kind}
    assert (judged[spam], judged[press], judged[praise]) == ("ignored_well", "not_routed", "answered_well")


def test_drills_only_the_manager_injects_noise_of_a_known_kind_on_the_drills_media(session, world, storm):
    for outsider in (world.tom, world.mark, world.eva):
        with pytest.raises(PermissionDenied):
            drills.inject_noise(session=session, actor=outsider, run_id=storm.id, kind="spam", medium="twitter",
                                title="x", now=at(10))
    with pytest.raises(drills.DrillError):
        drills.inject_noise(session=session, actor=world.mila, run_id=storm.id, kind="reclame", medium="twitter",
                            title="x", now=at(10))
    with pytest.raises(drills.DrillError):  # the storm is played on X and Facebook, not WhatsApp
        drills.inject_noise(session=session, actor=world.mila, run_id=storm.id, kind="spam", medium="whatsapp",
                            title="x", now=at(10))
    assert not [c for c in session.exec(select(DrillConversation).where(DrillConversation.run_id == storm.id))
                if c.inject_title]
    drills.stop_drill(session=session, actor=world.mila, run_id=storm.id, now=at(20))
    with pytest.raises(drills.DrillError):
        drills.inject_noise(session=session, actor=world.mila, run_id=storm.id, kind="spam", medium="twitter",
                            title="x", now=at(30))


def test_drills_injected_noise_takes_every_item_of_a_kind_before_repeating(session, world, storm):
    pool = {item.id for item in noise_catalogue()["nl"].of_kind("troll")}
    injected = [drills.inject_noise(session=session, actor=world.mila, run_id=storm.id, kind="troll", medium="twitter",
                                    title="trol", now=at(1 + i)) for i in range(len(pool) + 1)]
    ids = [session.get(DrillConversation, i).scenario_id.removeprefix("noise:") for i in injected]
    assert set(ids[:len(pool)]) == pool and ids[-1] in pool
