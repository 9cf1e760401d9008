"""The drill pages in AppTest: the manager creates and runs a drill and sees the dashboard;
a trainee takes the most urgent customer, replies and keeps typed text across refreshes, and
answers or closes noise posts; the debrief judges the noise."""

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
    assert {"Binnengekomen", "Bereik veroorzaakt", "Bereik voorkomen", "Werkverdeling (1 = gelijk)"} <= {m.label for m in at.metric}
    assert "**Webcaremeter**" in [m.value for m in at.markdown]  # drawn, with its sentence (tests/drills/test_desk_pages.py)
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


def test_drill_manager_page_a_team_observer_watches_and_creates_nothing(app_db):
    from tests.trainer_ui.conftest import PASSWORD
    from trainer.db.models import Role, UserCreate
    from trainer.services import accounts
    from trainer.services.rights import SYSTEM

    with db_engine.session_scope() as session:
        team = session.exec(select(Team)).one()
        olga = accounts.create_user(session=session, actor=SYSTEM, user_create=UserCreate(
            email="olga@example.nl", full_name="Olga Observer", role=Role.observer, password=PASSWORD))
        accounts.add_member(session=session, actor=SYSTEM, team_id=team.id, user_id=olga.id, as_manager=False)
    at = logged_in_app("olga@example.nl", "pages/drill_manager.py")
    assert not at.exception, at.exception
    assert at.info[0].value.startswith("Er zijn nog geen oefeningen om mee te kijken.")
    assert "Oefening aanmaken" not in {b.label for b in at.button}
    _running_drill(app_db.manager)
    at.run()
    assert not at.exception, at.exception
    assert metric(at, "Status") == "Loopt"
    assert not {"Start", "Pauze", "Stop", "Oefening aanmaken"} & {b.label for b in at.button}


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


def _held_noise_post(run_id: str, trainee_email: str) -> int:
    """A noise post of the drill, claimed by the trainee (through the service)."""
    from trainer.db.drill_models import DrillConversation

    with db_engine.session_scope() as session:
        trainee = session.exec(select(User).where(User.email == trainee_email)).one()
        drills.advance(session=session, actor=trainee, run_id=run_id, force=True)
        post = session.exec(select(DrillConversation).where(DrillConversation.run_id == run_id,
                                                            DrillConversation.scenario_id.startswith("noise:"))).first()
        assert drills.claim(session=session, actor=trainee, conversation_id=post.id)
        return post.id


def test_drill_inbox_page_answers_or_closes_a_noise_post(app_db):
    from trainer.db.drill_models import DrillConversation

    run_id = _running_drill(app_db.manager, seconds_ago=300)
    first = _held_noise_post(run_id, app_db.trainee)
    at = logged_in_app(app_db.trainee, "pages/drill_inbox.py")
    at.session_state["drill_open_conversation"] = first
    at.run()
    at.text_area[0].input("Dank je wel voor je bericht! ^Tess")
    button(at, "Versturen").click().run()
    assert not at.exception, at.exception
    # The reply ended the conversation: it stays in view with what happened until it is closed.
    assert at.session_state["drill_open_conversation"] == first
    assert any(i.value.startswith("Verstuurd; de afzender wachtte") for i in at.info)
    assert at.success and not at.text_area
    button(at, "Sluiten").click().run()
    assert "drill_open_conversation" not in at.session_state or at.session_state["drill_open_conversation"] is None
    second = _held_noise_post(run_id, app_db.trainee)
    at.session_state["drill_open_conversation"] = second
    at.run()
    assert not any(i.value.startswith("Verstuurd") for i in at.info), "the first post's result stays with the first post"
    button(at, "Sluiten zonder antwoord").click().run()
    assert not at.exception, at.exception
    with db_engine.session_scope() as session:
        answered, closed = session.get(DrillConversation, first), session.get(DrillConversation, second)
        assert (answered.ended, answered.outcome, answered.replies) == (True, "answered", 1)
        assert (closed.ended, closed.outcome, closed.replies) == (True, "dismissed", 0)


def test_drill_manager_page_counts_the_noise_and_judges_it_in_the_debrief(app_db):
    _running_drill(app_db.manager, seconds_ago=300)
    at = logged_in_app(app_db.manager, "pages/drill_manager.py")
    assert int(metric(at, "Ruis")) > 0 and int(metric(at, "Ruis nog open")) == int(metric(at, "Ruis"))
    button(at, "Stoppen").click().run()
    assert not at.exception, at.exception
    assert "Ruis: berichten naast het verhaal van de dag" in [s.value for s in at.subheader]
    assert any("niet goed" in c.value for c in at.caption)
    assert any("Niet goed: dit bericht vroeg om een antwoord" in m.value or "Goed: dit bericht" in m.value
               for m in at.markdown)


def test_drill_manager_page_injects_an_announcement_that_needs_writing(app_db):
    run_id = _running_drill(app_db.manager)
    at = logged_in_app(app_db.manager, "pages/drill_manager.py")
    assert not at.exception, at.exception
    choice = next(s for s in at.selectbox if s.label == "Klantverhaal en kanaal")
    key = "announcement:nl-aankondiging-schiphol-mist|twitter"
    assert choice.format_func(key).startswith("📣 Aankondiging nodig: Mist op Schiphol")
    choice.set_value(key)
    button(at, "Inschieten").click().run()
    assert not at.exception, at.exception
    with db_engine.session_scope() as session:
        [task] = [i for i in drills.inbox(session=session, actor=session.exec(select(User).where(
            User.email == app_db.trainee)).one(), run_id=run_id) if i.inject_title and i.inject_title.startswith("📣")]
        assert task.medium == "twitter" and task.customer_name == "SkyNL"


def test_drill_inbox_page_builds_the_open_conversation_once_per_run(app_db, monkeypatch):
    """The thread (a refreshing fragment) and the reply box below it show one view, built once."""
    import dataclasses

    from trainer.views import drill_inbox

    _running_drill(app_db.manager)
    at = logged_in_app(app_db.trainee, "pages/drill_inbox.py")
    button(at, "Pak het meest urgente gesprek").click().run()
    real, built = drill_inbox.conversation_screen, []

    def counted(**kwargs):
        built.append(kwargs["conversation_id"])
        return dataclasses.replace(real(**kwargs), reply_label=f"Antwoord (bouw {len(built)})")

    monkeypatch.setattr(drill_inbox, "conversation_screen", counted)
    at.run()
    assert not at.exception, at.exception
    assert built == [at.session_state["drill_open_conversation"]]
    assert at.text_area[0].label == "Antwoord (bouw 1)"


def test_drill_manager_page_injects_noise_of_a_chosen_kind(app_db):
    from trainer.db.drill_models import DrillConversation, DrillEvent
    from trainer.services.drills.noise import is_noise, item_of

    run_id = _running_drill(app_db.manager)
    at = logged_in_app(app_db.manager, "pages/drill_manager.py")
    choice = next(s for s in at.selectbox if s.label == "Klantverhaal en kanaal")
    key = "noise-kind:troll|instagram_comment"
    assert choice.format_func(key) == "🔊 Ruis: Trol of grap · Instagram-reactie"
    choice.set_value(key)
    button(at, "Inschieten").click().run()
    assert not at.exception, at.exception
    with db_engine.session_scope() as session:
        [post] = session.exec(select(DrillConversation).where(DrillConversation.run_id == run_id,
                                                              DrillConversation.inject_title != None)).all()  # noqa: E711
        assert is_noise(post) and item_of(post, "nl").kind == "troll" and post.medium == "instagram_comment"
        event = session.exec(select(DrillEvent).where(DrillEvent.conversation_id == post.id)).one()
        assert event.kind == "inject" and event.details["title"] == "🔊 Ruis: Trol of grap · Instagram-reactie"


def test_drill_inbox_page_marks_an_announcement_task(app_db):
    from scenarios.announcements import get_exercise

    run_id = _running_drill(app_db.manager)
    with db_engine.session_scope() as session:
        manager = session.exec(select(User).where(User.email == app_db.manager)).one()
        drills.inject_announcement(session=session, actor=manager, run_id=run_id, medium="twitter",
                                   exercise_id="nl-aankondiging-schiphol-mist", title="mist")
    at = logged_in_app(app_db.trainee, "pages/drill_inbox.py")
    assert not at.exception, at.exception
    texts = [x.value for x in at.text]
    title = get_exercise("nl-aankondiging-schiphol-mist").title
    assert f"📣 Aankondiging: {title}" in texts
    assert not any(x.startswith("SkyNL (") for x in texts)  # not a customer named after the brand
