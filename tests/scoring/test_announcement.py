"""The announcement rubric (scoring/announcement.py, content/announcements/): its examples, every
exercise's model answers (no finding at all, with the real LanguageTool), every weak post (the
rules it names), and the cases a team lead would fail a post on."""

from __future__ import annotations

import shutil

import pytest

from scenarios.announcements import STAGES, announcement_catalogue
from scoring import ReplyContext, score_reply
from scoring.announcement import announcement_rubric, read
from scoring.contentfile import ContentInvalid
from scoring.model import AnnouncementBrief
from scoring.nlp import load_nlp

LANGUAGES = ("nl", "en")


def _examples():
    for language in LANGUAGES:
        rubric = announcement_rubric(language)
        sets = [("element", name, e.examples) for name, e in rubric.elements.items()]
        sets += [("penalty", name, p.examples) for name, p in rubric.penalties.items()]
        sets.append(("apologies", "apologies", rubric.apologies.examples))
        for kind, name, examples in sets:
            for expected, texts in (("flag", examples.should_flag), ("pass", examples.should_pass)):
                for number, text in enumerate(texts, 1):
                    yield pytest.param(language, kind, name, expected, text, id=f"{language}-{name}-{expected}-{number}")


@pytest.mark.parametrize("language, kind, name, expected, text", list(_examples()))
def test_announcement_examples_match_as_documented(language, kind, name, expected, text):
    """`should_flag`: the cues are found (the element is there, the penalty is said); `should_pass`: not."""
    present, penalties, apologies = read(load_nlp(language)(text), language, AnnouncementBrief())
    found = {"element": name in present, "penalty": name in penalties,
             "apologies": len(apologies) > announcement_rubric(language).apologies.at_most}[kind]
    assert found is (expected == "flag"), f"{name} ({kind}) should {'' if expected == 'flag' else 'not '}be found in {text!r}"


def _context(exercise, stage: str, medium: str) -> ReplyContext:
    return ReplyContext(language=exercise.language, medium=medium, announcement=exercise.scoring_brief(stage),
                        brand_terms=exercise.brand_terms())


def _model_answers():
    for exercise in announcement_catalogue().values():
        for stage in STAGES:
            for medium in exercise.brief(stage).model_answers:
                yield pytest.param(exercise.id, stage, medium, id=f"{exercise.id}-{stage}-{medium}")


@pytest.mark.parametrize("exercise_id, stage, medium", list(_model_answers()))
def test_announcement_model_answers_pass_with_no_finding(exercise_id, stage, medium, grammar_checker):
    exercise = announcement_catalogue()[exercise_id]
    text = exercise.brief(stage).model_answers[medium]
    card = score_reply(text, _context(exercise, stage, medium), checker=grammar_checker)
    assert card.dimensions["spelling"].checked
    assert [(f.rule, text[f.span[0]:f.span[1]]) for f in card.findings] == []
    assert card.passed and card.rubric == "announcement.v1"


def _weak_posts():
    for exercise in announcement_catalogue().values():
        for stage in STAGES:
            for number, weak in enumerate(exercise.brief(stage).weak_posts, 1):
                yield pytest.param(exercise.id, stage, weak, id=f"{exercise.id}-{stage}-{number}")


@pytest.mark.parametrize("exercise_id, stage, weak", list(_weak_posts()))
def test_announcement_weak_posts_raise_their_rules(exercise_id, stage, weak, grammar_checker):
    exercise = announcement_catalogue()[exercise_id]
    card = score_reply(weak.text, _context(exercise, stage, weak.medium or exercise.media[0]), checker=grammar_checker)
    assert set(weak.rules) <= {f.rule for f in card.findings}


def test_announcement_languages_both_have_four_and_two_exercises():
    languages = [e.language for e in announcement_catalogue().values()]
    assert languages.count("nl") >= 4 and languages.count("en") >= 2


STORM = "nl-aankondiging-storm-spoor"


@pytest.mark.parametrize("text", ["Sorry voor het ongemak.", "Sorry voor het ongemak. We houden je op de hoogte."])
def test_announcement_a_bare_apology_fails(text, grammar_checker):
    card = score_reply(text, _context(announcement_catalogue()[STORM], "first", "twitter"), checker=grammar_checker)
    rules = {f.rule for f in card.findings}
    assert not card.passed
    assert {"substance.announcement.no_what_happened", "substance.announcement.no_who_affected",
            "substance.announcement.no_what_to_do", "substance.announcement.no_next_update"} <= rules


def test_announcement_without_the_next_update_time_loses_points_with_that_finding(grammar_checker):
    exercise = announcement_catalogue()[STORM]
    model = exercise.first.model_answers["twitter"]
    without = model.replace(" Om 9.00 uur meer nieuws.", " We houden je op de hoogte.")
    assert without != model
    full = score_reply(model, _context(exercise, "first", "twitter"), checker=grammar_checker)
    card = score_reply(without, _context(exercise, "first", "twitter"), checker=grammar_checker)
    [finding] = [f for f in card.findings if f.rule == "substance.announcement.no_next_update"]
    assert card.total < full.total and card.dimensions["substance"].score == 100 - finding.points
    assert "Om 15.00 uur meer nieuws" in finding.suggestion


@pytest.mark.parametrize("language, text, phrase", [
    ("nl", "Door de storm kunnen wij hier niets aan doen. Tussen Utrecht en Amersfoort rijden geen treinen. "
           "Plan je reis in de app. Om 9.00 uur meer nieuws.", "niets aan doen"),
    ("nl", "Reizigers die de reisplanner niet hadden gecheckt, hadden beter moeten opletten. Door een boom op de "
           "bovenleiding rijden er geen treinen tussen Utrecht en Amersfoort. Om 9.00 uur meer nieuws.", "hadden beter moeten"),
    ("en", "Because of the storm there is nothing we can do. Customers in Kent should have checked their cover. "
           "Make a claim online. Next update at 11am.", "nothing we can do"),
])
def test_announcement_blame_is_flagged_and_fails(language, text, phrase, grammar_checker):
    exercise = next(e for e in announcement_catalogue().values() if e.language == language)
    card = score_reply(text, _context(exercise, "first", exercise.media[0]), checker=grammar_checker)
    blames = [f for f in card.findings if f.rule == "tone.announcement.blames"]
    assert blames and phrase in text[blames[0].span[0]:blames[0].span[1]]
    assert not card.passed  # tone falls below its minimum


def test_announcement_update_is_scored_against_the_second_brief(grammar_checker):
    """The first post again as the update says nothing new: what changed is missing."""
    exercise = announcement_catalogue()[STORM]
    again = exercise.first.model_answers["twitter"]
    card = score_reply(again, _context(exercise, "update", "twitter"), checker=grammar_checker)
    assert "substance.announcement.no_what_changed" in {f.rule for f in card.findings}
    update = score_reply(exercise.update.model_answers["twitter"], _context(exercise, "first", "twitter"),
                         checker=grammar_checker)
    assert "substance.announcement.no_what_changed" not in {f.rule for f in update.findings}


def test_announcement_final_update_asks_no_next_update(offline_checker):
    text = "Update: de stroom is in Zeist en Utrecht-Oost sinds 16.10 uur overal hersteld. Je hoeft niets te doen. Dank voor je geduld."
    brief = AnnouncementBrief(kind="update", final=True, cues={"who_affected": ["Zeist"]})
    card = score_reply(text, ReplyContext(language="nl", medium="twitter", announcement=brief), checker=offline_checker)
    not_final = score_reply(text, ReplyContext(language="nl", medium="twitter", announcement=brief.model_copy(update={"final": False})),
                            checker=offline_checker)
    assert "substance.announcement.no_next_update" not in {f.rule for f in card.findings}
    assert "substance.announcement.no_next_update" in {f.rule for f in not_final.findings}


def test_announcement_length_is_judged_on_the_announcement_range(offline_checker):
    """A 100-character tweet is fine as a reply (from 70) but short for an announcement (from 140)."""
    text = "Door een storing rijden er geen treinen tussen Utrecht en Amersfoort. Om 9.00 uur meer nieuws."
    reply = score_reply(text, ReplyContext(language="nl", medium="twitter"), checker=offline_checker)
    post = score_reply(text, ReplyContext(language="nl", medium="twitter", announcement=AnnouncementBrief()),
                       checker=offline_checker)
    assert "length.too_short" not in {f.rule for f in reply.findings}
    assert "length.too_short" in {f.rule for f in post.findings}
    # and the reply rubric's moves and greeting are not asked of an announcement
    assert not {"tone.no_greeting", "tone.no_personal_voice", "substance.no_next_step"} & {f.rule for f in post.findings}


def test_announcement_broken_exercise_names_file_and_line(tmp_path):
    from scenarios import announcements
    from scoring.contentfile import content_dir

    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    path = root / "announcements" / "nl" / "storm-spoor.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("media: [twitter, facebook_comment]", "media: [twitter, whatsapp]")
                    .replace("    what_to_do: [bus]\n  model_answers:", "    wat_te_doen: [bus]\n  model_answers:", 1),
                    encoding="utf-8")
    announcements.announcement_catalogue.cache_clear()
    try:
        with pytest.raises(ContentInvalid) as invalid:
            announcements.announcement_catalogue(root)
    finally:
        announcements.announcement_catalogue.cache_clear()
    errors = {(e.code, e.line) for e in invalid.value.errors}
    lines = text.splitlines()
    media_line = next(i for i, line in enumerate(lines, 1) if line.startswith("media:"))
    cue_line = next(i for i, line in enumerate(lines, 1) if line.strip() == "what_to_do: [bus]")
    assert ("A103", media_line) in errors and ("A105", cue_line) in errors
    assert any(f"announcements/nl/storm-spoor.yaml:{media_line} [media -> 1]" in str(e)
               for e in invalid.value.errors)
