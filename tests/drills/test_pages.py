"""The drill pages in AppTest: the manager creates and runs a drill and sees the dashboard;
a trainee takes the most urgent customer, replies and keeps typed text across refreshes."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from tests.trainer_ui.conftest import app_db, logged_in_app  # noqa: F401  (fixture)
from trainer.db import engine as db_engine
from trainer.db.drill_models import DrillMessage, DrillRun
from trainer.db.models import Team, User
from trainer.db.types import utcnow
from trainer.services import drills


def button(at, label):
    return next(b for b in at.button if b.label == label)


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def _running_drill(manager_email: str, seconds_ago: int = 120) -> str:
    with db_engine.session_scope() as session:
        manager = session.exec(select(User).where(User.email == manager_email)).one()
        team = session.exec(select(Team)).one()
        run = drills.create_drill(session=session, actor=manager, template_id="nl-storm-schiphol", team_id=team.id, seed=4)
        drills.start_drill(session=session, actor=manager, run_id=run.id, now=utcnow() - timedelta(seconds=seconds_ago))
        return run.id


def test_drill_manager_page_creates_starts_pauses_and_shows_the_dashboard(app_db):
    at = logged_in_app(app_db.manager, "pages/drill_manager.py")
    assert at.title[0].value == "Groepsoefening: regie"
    next(s for s in at.selectbox if s.label == "Scenario van de dag").set_value("nl-storm-schiphol")
    button(at, "Oefening aanmaken").click().run()
    assert not at.exception, at.exception
    with db_engine.session_scope() as session:
        run = session.exec(select(DrillRun)).one()
        assert run.status == "created" and run.template_id == "nl-storm-schiphol"
    button(at, "Start").click().run()
    assert not at.exception, at.exception
    assert metric(at, "Status") == "Loopt"
    assert {"Binnengekomen", "Stemming vóór antwoord", "Werkverdeling (1 = gelijk)"} <= {m.label for m in at.metric}
    button(at, "Pauze").click().run()
    assert metric(at, "Status") == "Gepauzeerd"
    assert button(at, "Hervatten").disabled is False and button(at, "Pauze").disabled is True


def test_drill_manager_page_observer_sees_no_controls(app_db):
    _running_drill(app_db.manager)
    at = logged_in_app(app_db.admin, "pages/drill_manager.py")
    assert not at.exception, at.exception
    assert "Start" not in {b.label for b in at.button}
    assert at.caption[0].value.startswith("Je kijkt mee")
    assert metric(at, "Status") == "Loopt"


def test_drill_inbox_page_claims_replies_and_keeps_typed_text(app_db):
    run_id = _running_drill(app_db.manager)
    at = logged_in_app(app_db.trainee, "pages/drill_inbox.py")
    assert at.title[0].value == "Groepsoefening: inbox"
    assert int(metric(at, "Wachtend")) > 0
    button(at, "Pak het meest urgente gesprek").click().run()
    assert not at.exception, at.exception
    conversation_id = at.session_state["drill_open_conversation"]
    assert metric(at, "Bij mij") == "1"
    # Typed text survives a refresh of the page.
    at.text_area[0].input("Wat vervelend dat je vlucht is geannuleerd! Ik kijk direct voor je mee. ^Tess")
    at.run()
    assert at.text_area[0].value.startswith("Wat vervelend")
    button(at, "Versturen").click().run()
    assert not at.exception, at.exception
    assert any(i.value.startswith("Verstuurd. Score") for i in at.info)
    with db_engine.session_scope() as session:
        reply = session.exec(select(DrillMessage).where(DrillMessage.role == "agent")).one()
        assert reply.conversation_id == conversation_id and reply.run_id == run_id and reply.score_total is not None


def test_drill_inbox_page_without_a_drill_says_so(app_db):
    at = logged_in_app(app_db.trainee, "pages/drill_inbox.py")
    assert at.info[0].value.startswith("Er loopt nu geen groepsoefening")


def test_drill_manager_page_shows_the_debrief_after_stop(app_db):
    _running_drill(app_db.manager, seconds_ago=300)
    at = logged_in_app(app_db.manager, "pages/drill_manager.py")
    button(at, "Stoppen").click().run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Nabespreking"
    assert [s.value for s in at.subheader][-2:] == ["De vijf slechtst afgehandelde gesprekken", "De vijf best afgehandelde gesprekken"]
    assert len(at.expander) >= 5
    assert {b.label for b in at.get("download_button")} == {"Nabespreking (PDF)", "Gesprekken (CSV)", "Medewerkers (CSV)"}
