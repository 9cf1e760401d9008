"""The facilitator's desk in the dashboard and the debrief: the event log on the local clock,
labels counted per drill, the webcaremeter's sentence, the team's reach caused and prevented
(screen data, CSV and PDF)."""

from __future__ import annotations

import csv
import io
import re
import uuid
from pathlib import Path

import pytest
from sqlmodel import select

from tests.drills.conftest import at
from tests.drills.test_debrief import _pdf_text
from tests.drills.test_reach import BAD, GOOD
from trainer import local_time
from trainer.db.drill_models import DrillConversation
from trainer.i18n import ui_texts
from trainer.services import drills
from trainer.services.drills import dashboard as drill_dashboard
from trainer.services.drills import debrief as drill_debrief
from trainer.services.drills import desk

SERVICES = Path(__file__).resolve().parents[2] / "trainer" / "services" / "drills"


@pytest.fixture
def desk_drill(session, world, storm, offline_checker):
    """Tom answers a loud customer badly and another well, labels one, hands one to Tess."""
    drills.advance(session=session, actor=world.mila, run_id=storm.id, now=at(60))
    loud, calm = (drills.inject(session=session, actor=world.mila, run_id=storm.id,
                                scenario_id="nl-vlucht-geannuleerd-schiphol", medium="twitter", title=title,
                                followers=30000, now=at(61)) for title in ("Luid", "Ook luid"))
    for conversation_id, text, moment in ((loud, BAD, 70), (calm, GOOD, 80)):
        drills.claim(session=session, actor=world.tom, conversation_id=conversation_id, now=at(moment - 2))
        drills.send_reply(session=session, actor=world.tom, conversation_id=conversation_id, text=text,
                          submission_id=uuid.uuid4(), checker=offline_checker, now=at(moment))
    first = session.exec(select(DrillConversation).where(DrillConversation.run_id == storm.id)
                         .order_by(DrillConversation.arrival)).first()
    drills.claim(session=session, actor=world.tom, conversation_id=first.id, now=at(90))
    drills.set_label(session=session, actor=world.tom, conversation_id=first.id, label="omboeken", now=at(91))
    drills.set_label(session=session, actor=world.tom, conversation_id=calm, label="omboeken", now=at(92))
    drills.hand_over(session=session, actor=world.tom, conversation_id=first.id, to_user_id=world.tess.id, now=at(93))
    return storm, loud, calm


def test_desk_dashboard_counts_labels_and_reach_and_logs_every_event(session, world, desk_drill):
    storm, loud, calm = desk_drill
    board = drill_dashboard.dashboard(session=session, actor=world.mila, run_id=storm.id, now=at(95))
    counts = {c.label: c.conversations for c in board.labels}
    assert list(counts) == list(drills.template_of(storm).labels)  # every label of the drill, in order
    assert counts["omboeken"] == 2 and board.unlabelled == board.arrived - 2 - sum(
        n for label, n in counts.items() if label != "omboeken")
    loud_row, calm_row = session.get(DrillConversation, loud), session.get(DrillConversation, calm)
    assert board.reach.caused.reached == loud_row.reached > 0 and board.reach.conversations_caused == 1
    assert board.reach.prevented == calm_row.prevented_reach > 0 and board.reach.conversations_prevented == 1
    kinds = [line.kind for line in board.events]
    assert kinds[:2] == ["created", "started"]
    assert {"inject", "claimed", "labelled", "handed_over", "reach_caused", "reach_prevented"} <= set(kinds)
    handed = next(line for line in board.events if line.kind == "handed_over")
    assert desk.describe(handed, "nl") == f"Tom Trainee gaf #{handed.conversation_id} {handed.customer} door aan Tess Trainee."
    assert desk.local_clock(handed) == local_time.clock(at(93), seconds=True)
    caused = next(line for line in board.events if line.kind == "reach_caused")
    assert "het antwoord was onvoldoende" in desk.describe(caused, "nl")
    assert desk.number(loud_row.reached, "nl") in desk.describe(caused, "nl")


def test_desk_every_logged_kind_has_a_sentence_in_both_languages():
    kinds = set(re.findall(r'record_event\(\s*session,\s*run,\s*"([a-z_]+)"', "".join(
        p.read_text(encoding="utf-8") for p in SERVICES.glob("*.py"))))
    assert {"started", "claimed", "reach"} <= kinds
    kinds = (kinds - {"reach"}) | {"reach_caused", "reach_prevented", "label_cleared"}
    for language in ("nl", "en"):
        missing = [k for k in kinds if f"drills.log.{k}" not in ui_texts()[language]]
        assert missing == [], language


@pytest.mark.parametrize(("before", "after", "verdict"), [(-0.4, 0.1, "calmer"), (0.1, -0.3, "angrier"),
                                                          (-0.2, -0.18, "steady"), (None, None, None), (-0.2, None, None)])
def test_desk_webcaremeter_says_what_it_means(before, after, verdict):
    assert desk.meter_verdict(before, after) == verdict
    sentence = desk.meter_sentence(before, after, "nl")
    if verdict == "calmer":
        assert sentence.startswith("De antwoorden maakten de klanten rustiger") and "-0,40" in sentence and "+0,10" in sentence
    elif verdict is None:
        assert sentence.startswith("Nog geen klant")


def test_desk_reach_in_the_medium_look():
    from trainer.services.drills.reach import Reach

    assert desk.reach_look("tweet", Reach(38, 12, 9400), "nl") == "🔁 38 · 💬 12 · 9.400 bereikt"
    assert desk.reach_look("tweet", Reach(38, 12, 9400), "en") == "🔁 38 · 💬 12 · 9,400 reached"


def test_desk_debrief_shows_reach_labels_meter_and_log_in_csv_and_pdf(session, world, desk_drill):
    storm, loud, calm = desk_drill
    drills.stop_drill(session=session, actor=world.mila, run_id=storm.id, now=at(100))
    report = drill_debrief.debrief(session=session, actor=world.mila, run_id=storm.id)
    rows = {r["conversation"]: r for r in csv.DictReader(io.StringIO(drill_debrief.conversations_csv(report)))}
    loud_row = session.get(DrillConversation, loud)
    assert rows[str(loud)]["reached"] == str(loud_row.reached) and rows[str(loud)]["reach_prevented"] == "0"
    assert rows[str(calm)]["reached"] == "0" and int(rows[str(calm)]["reach_prevented"]) > 0
    assert report.board.events[-1].kind == "stopped"
    text = _pdf_text(drill_debrief.debrief_pdf(report))
    assert "Publiek bereik" in text and "Webcaremeter" in text and "Logboek van de oefening" in text
    assert "omboeken" in text and "zonder label" in text
    assert desk.number(loud_row.reached, "nl") in text
    assert "stopte de oefening" in text
