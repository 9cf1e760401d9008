"""The facilitator's desk on the drill pages (AppTest): the trainee sees a bad reply on X go
round in X's look; the manager sees the team's reach, the webcaremeter with its sentence, the
labels counted and the event log on the local clock, live and in the debrief."""

from __future__ import annotations

import uuid

from sqlmodel import select

from tests.drills.test_pages import _running_drill, button
from tests.drills.test_reach import BAD
from tests.trainer_ui.test_dutch_everywhere import offending, shown_texts
from tests.trainer_ui.conftest import app_db, logged_in_app  # noqa: F401  (fixture)
from trainer.db import engine as db_engine
from trainer.db.drill_models import DrillConversation
from trainer.db.models import User
from trainer.services import drills


def _bad_reply_on_x(run_id: str, manager_email: str, trainee_email: str) -> int:
    with db_engine.session_scope() as session:
        manager = session.exec(select(User).where(User.email == manager_email)).one()
        trainee = session.exec(select(User).where(User.email == trainee_email)).one()
        conversation_id = drills.inject(session=session, actor=manager, run_id=run_id, title="Luid",
                                        scenario_id="nl-vlucht-geannuleerd-schiphol", medium="twitter", followers=40000)
        assert drills.claim(session=session, actor=trainee, conversation_id=conversation_id)
        drills.send_reply(session=session, actor=trainee, conversation_id=conversation_id, text=BAD,
                          submission_id=uuid.uuid4())
        return conversation_id


def _html(at) -> str:
    return " ".join(str(element.proto.body) for element in at.get("html"))


def test_drill_inbox_page_shows_a_bad_reply_going_round_in_the_look_of_x(app_db):
    run_id = _running_drill(app_db.manager)
    conversation_id = _bad_reply_on_x(run_id, app_db.manager, app_db.trainee)
    with db_engine.session_scope() as session:
        shared = session.get(DrillConversation, conversation_id)
        expected = f"🔁 {shared.retweets} · 💬 {shared.quotes} · {shared.reached:,} bereikt".replace(",", ".")
    at = logged_in_app(app_db.trainee, "pages/drill_inbox.py")
    at.session_state["drill_open_conversation"] = conversation_id
    at.run()
    assert not at.exception, at.exception
    assert expected in _html(at)
    assert offending(shown_texts(at)) == []


def test_drill_manager_page_shows_reach_meter_labels_and_the_log(app_db):
    run_id = _running_drill(app_db.manager)
    conversation_id = _bad_reply_on_x(run_id, app_db.manager, app_db.trainee)
    at = logged_in_app(app_db.manager, "pages/drill_manager.py")
    assert not at.exception, at.exception
    with db_engine.session_scope() as session:
        reached = session.get(DrillConversation, conversation_id).reached
    assert next(m.value for m in at.metric if m.label == "Bereik veroorzaakt") == f"{reached:,}".replace(",", ".")
    assert "**Laatste gebeurtenissen**" in [m.value for m in at.markdown]
    events = next(d.value for d in at.dataframe if "Wat er gebeurde" in d.value.columns)
    assert any("gaat rond (het antwoord was onvoldoende)" in what for what in events["Wat er gebeurde"])
    labels = next(d.value for d in at.dataframe if "Label" in d.value.columns)
    assert "(zonder label)" in list(labels["Label"])
    assert any(c.value.startswith(("De antwoorden", "Na de antwoorden", "Nog geen klant")) for c in at.caption)
    assert offending(shown_texts(at) + list(events["Wat er gebeurde"])) == []
    button(at, "Stoppen").click().run()
    assert not at.exception, at.exception
    assert "Logboek van de oefening" in [s.value for s in at.subheader]
    log = next(d.value for d in at.dataframe if "Wat er gebeurde" in d.value.columns)
    assert list(log["Wat er gebeurde"])[-1].endswith("stopte de oefening.")
    assert offending(shown_texts(at) + list(log["Wat er gebeurde"])) == []
