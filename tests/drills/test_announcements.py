""""Announcement needed" in a drill (trainer.services.drills.announcements): the manager injects
it, it waits in the shared inbox, a trainee claims it and writes the post and then the update,
each scored on the announcement rubric with the real pipeline; the debrief lists it with its
scores. Only the drill's manager injects it."""

from __future__ import annotations

import csv
import dataclasses
import io
import uuid

import pytest

from scenarios.announcements import get_exercise
from tests.drills.conftest import at
from trainer.db.drill_models import DrillMessage
from trainer.db.models import Attempt
from trainer.services import drills
from trainer.services.drills import debrief
from trainer.services.rights import PermissionDenied
from trainer.views.drill_inbox import sender
from sqlmodel import select

EXERCISE = "nl-aankondiging-schiphol-mist"


def test_drill_announcement_is_claimed_posted_updated_and_in_the_debrief(session, world, storm, grammar_checker):
    exercise = get_exercise(EXERCISE)
    task = drills.inject_announcement(session=session, actor=world.mila, run_id=storm.id, exercise_id=EXERCISE,
                                      medium="twitter", title="Aankondiging nodig: mist", now=at(30))
    [item] = [i for i in drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(40)) if i.id == task]
    assert item.waiting_seconds == pytest.approx(10) and item.inject_title == "Aankondiging nodig: mist"
    assert item.last_customer_text.startswith(exercise.first.situation.strip()[:40])

    assert drills.claim(session=session, actor=world.tom, conversation_id=task, now=at(50))
    view = drills.conversation_view(session=session, actor=world.tom, conversation_id=task, now=at(50))
    assert view.actions == [] and view.reply_medium == "twitter"
    first = drills.send_reply(session=session, actor=world.tom, conversation_id=task, submission_id=uuid.uuid4(),
                              text=exercise.first.model_answers["twitter"], checker=grammar_checker, now=at(90))
    assert first.scorecard["rubric"] == "announcement.v1" and first.scorecard["findings"] == []
    assert not first.ended and first.scorecard["dimensions"]["speed"]["checked"]  # the queue time counts

    # the brief an hour later waits in the inbox again, still held by Tom
    [item] = [i for i in drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(95)) if i.id == task]
    assert item.claimed_by_id == world.tom.id and item.last_customer_text.startswith(exercise.update.situation.strip()[:30])
    weak = "De mist trekt op. Door het weer kunnen wij hier niets aan doen."
    second = drills.send_reply(session=session, actor=world.tom, conversation_id=task, submission_id=uuid.uuid4(),
                               text=weak, checker=grammar_checker, now=at(150))
    rules = {f["rule"] for f in second.scorecard["findings"]}
    assert {"tone.announcement.blames", "substance.announcement.no_next_update"} <= rules
    assert second.ended and second.outcome == "escalated"

    attempt = session.exec(select(Attempt).where(Attempt.drill_run_id == storm.id, Attempt.user_id == world.tom.id)).one()
    assert attempt.scenario_type == "announcement" and attempt.outcome == "escalated"
    posts = session.exec(select(DrillMessage).where(DrillMessage.conversation_id == task, DrillMessage.role == "agent")).all()
    assert [p.score_id is not None for p in posts] == [True, True]

    drills.stop_drill(session=session, actor=world.mila, run_id=storm.id, now=at(200))
    report = debrief.debrief(session=session, actor=world.mila, run_id=storm.id, now=at(200))
    [announced] = report.announcements
    assert announced.announcement == exercise.title and announced.post_scores == [first.scorecard["total"], second.scorecard["total"]]
    assert announced.id not in {r.id for r in report.worst + report.best}
    line = debrief.announcement_line(announced, "nl")
    assert f"aankondiging {first.scorecard['total']:.0f}" in line and "Tom Trainee" in line
    assert debrief.debrief_pdf(report).startswith(b"%PDF")


def test_drill_announcement_inject_is_the_managers_and_of_the_drills_language(session, world, storm):
    with pytest.raises(PermissionDenied):
        drills.inject_announcement(session=session, actor=world.tom, run_id=storm.id, exercise_id=EXERCISE,
                                   medium="twitter", title="x", now=at(10))
    with pytest.raises(drills.DrillError):
        drills.inject_announcement(session=session, actor=world.mila, run_id=storm.id, medium="twitter",
                                   exercise_id="en-announcement-webshop-outage", title="x", now=at(10))
    with pytest.raises(drills.DrillError):
        drills.inject_announcement(session=session, actor=world.mila, run_id=storm.id, exercise_id=EXERCISE,
                                   medium="whatsapp", title="x", now=at(10))


def test_drill_announcement_gets_no_nudges_and_no_customer_words(session, world, storm):
    task = drills.inject_announcement(session=session, actor=world.mila, run_id=storm.id, exercise_id=EXERCISE,
                                      medium="twitter", title="mist", now=at(10))
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(900), force=True)
    view = drills.conversation_view(session=session, actor=world.mila, conversation_id=task, now=at(900))
    assert [m["source"] for m in view.messages] == ["brief"]
    with pytest.raises(drills.DrillError):
        drills.speak_as_customer(session=session, actor=world.mila, conversation_id=task, text="Hallo?", now=at(905))


def test_drill_announcement_is_marked_in_the_inbox_and_the_debrief_csv(session, world, storm, offline_checker):
    task = drills.inject_announcement(session=session, actor=world.mila, run_id=storm.id, exercise_id=EXERCISE,
                                      medium="twitter", title="=mist", now=at(10))
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(300), force=True)
    items = drills.inbox(session=session, actor=world.tom, run_id=storm.id, now=at(300))
    [marked] = [i for i in items if i.announcement is not None]
    assert marked.id == task and marked.announcement == get_exercise(EXERCISE).title
    assert sender(marked, "nl") == f"📣 Aankondiging: {get_exercise(EXERCISE).title}"
    assert sender(marked, "en").startswith("📣 Announcement: ")
    customer = next(i for i in items if i.announcement is None)
    assert sender(customer, "nl") == f"{customer.customer_name} ({customer.handle})"

    drills.stop_drill(session=session, actor=world.mila, run_id=storm.id, now=at(310))
    report = debrief.debrief(session=session, actor=world.mila, run_id=storm.id, now=at(310))
    rows = {int(r["conversation"]): r for r in csv.DictReader(io.StringIO(debrief.conversations_csv(report)))}
    assert (rows[task]["row_type"], rows[task]["announcement"]) == ("announcement", get_exercise(EXERCISE).title)
    assert {r["row_type"] for r in rows.values()} == set(debrief.ROW_TYPES)
    for r in rows.values():
        assert (r["row_type"] == "noise") == bool(r["noise_kind"])
        assert (r["row_type"] == "announcement") == bool(r["announcement"])
    # The one CSV helper guards the new column too: a title a spreadsheet would run stays text.
    mine = next(r for r in report.conversations if r.id == task)
    tricky = dataclasses.replace(report, conversations=[dataclasses.replace(mine, announcement="=1+1")])
    [row] = csv.DictReader(io.StringIO(debrief.conversations_csv(tricky)))
    assert (row["row_type"], row["announcement"]) == ("announcement", "'=1+1")
