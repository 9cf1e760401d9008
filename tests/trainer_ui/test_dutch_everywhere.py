"""Every page, as every role, in Dutch: no English UI text and no raw ids (scenario ids, medium
keys, language codes) where a user reads them (issue: one language at a time)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from tests.trainer_ui.conftest import logged_in_app
from tests.trainer_ui.conftest_extra import scored_history  # noqa: F401
from trainer.db.engine import session_scope
from trainer.db.models import User
from trainer.navigation import visible_pages

# Words and phrases that never belong in the Dutch UI (Streamlit's and pydantic's own English
# among them); whole words, case-insensitive.
ENGLISH = re.compile(r"\b(?:the|and|your|you|please|should|already exists|not found|no options to select|"
                     r"string should|at least|characters|submit|loading|required|invalid|password|username|"
                     r"download|upload|settings|passed|failed|score card|scorecard|"
                     # the services' refusals that used to show through in English
                     r"exists|needs a reason|cannot|paused|has ended|not running|moved on|released|handed over|"
                     r"role first|e-mail address|no longer|is not one of|there is no|not held)\b", re.IGNORECASE)
# A scenario or drill id ("nl-vlucht-geannuleerd-schiphol"), a medium key ("twitter_dm",
# "twitter/email"), a bare language code ("(nl)"). "webchat" or "WhatsApp" in a sentence is Dutch.
MEDIUM_KEY = r"(?:twitter|email|webchat|whatsapp|messenger|review|facebook|instagram)"
RAW_ID = re.compile(r"\b(?:nl|en)-[a-z0-9]+(?:-[a-z0-9]+)+\b|\b(?:twitter_dm|facebook_comment|instagram_comment)\b"
                    rf"|\b{MEDIUM_KEY}/{MEDIUM_KEY}\b|\((?:nl|en)\)")


def shown_texts(at) -> list[str]:
    """What the page puts in front of the user: texts, labels, options, table headers."""
    texts = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "text", "error", "warning", "info",
                 "success"):
        texts += [str(element.value) for element in getattr(at, kind)]
    for widget in (*at.button, *at.text_input, *at.text_area, *at.number_input, *at.checkbox, *at.toggle):
        texts.append(str(widget.label))
    for widget in (*at.selectbox, *at.multiselect, *at.radio):
        texts.append(str(widget.label))
        texts += [str(option) for option in widget.options]
    for metric in at.metric:
        texts += [str(metric.label), str(metric.value)]
    for table in at.dataframe:
        texts += [str(column) for column in table.value.columns]
    return [text for text in texts if text.strip()]


# Content written in English for English-speaking staff, labelled as such ("... (Engels)").
LABELLED_ENGLISH = re.compile(r"\(Engels\)$")


def offending(texts: list[str]) -> list[str]:
    found = []
    for text in texts:
        if LABELLED_ENGLISH.search(text.strip()):
            continue
        for pattern in (ENGLISH, RAW_ID):
            hit = pattern.search(_without_user_content(text))
            if hit:
                found.append(f"{hit.group()!r} in {text[:120]!r}")
    return found


def _without_user_content(text: str) -> str:
    # Links and e-mail addresses are data, not UI text ("trainee@example.nl", "/verify?code=").
    return re.sub(r"\S+@\S+|https?://\S+|`[^`]*`", " ", text)


@pytest.mark.parametrize("role", ["trainee", "manager", "admin"])
def test_dutch_everywhere_every_page_for_every_role(role, app_db, scored_history):  # noqa: F811
    email = getattr(app_db, role)
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == email)).one()
        pages = [page.file for page in visible_pages(user)]
    problems = {}
    for page in pages:
        at = logged_in_app(email, page)
        found = offending(shown_texts(at))
        if found:
            problems[page] = found
    assert problems == {}


@pytest.mark.parametrize("text, bad", [
    ("Kies een scenario: nl-vlucht-geannuleerd-schiphol", True),
    ("Medium: twitter_dm", True),
    ("Kanalen: twitter/email", True),
    ("Stuur ons een bericht via de webchat of WhatsApp.", False),
    ("Taal (nl)", True),
    ("No options to select.", True),
    ("password: String should have at least 10 characters", True),
    ("Kies een scenario: Vlucht geannuleerd op Schiphol", False),
    ("Kanaal: X-privébericht", False),
    ("Mail ons via trainee@example.nl", False),
    ("Black Friday: Bestelhuis ships the wrong parcels (Engels)", False),
    ("Niet gelukt: There is no user with e-mail address 17.", True),
    ("Versturen lukt niet: this conversation has ended", True),
    ("Versturen lukt niet: Dit gesprek is afgelopen.", False),
])
def test_dutch_everywhere_finder(text, bad):
    assert bool(offending([text])) is bad


# --- refusals: what a service refused, said in Dutch inside the Dutch frame ----------------------

def _held_drill_conversation(app_db) -> int:
    """A running drill of the team with one customer conversation the trainee holds."""
    from tests.drills.test_pages import _running_drill
    from trainer.db.drill_models import DrillConversation
    from trainer.services import drills

    run_id = _running_drill(app_db.manager)
    with session_scope() as session:
        trainee = session.exec(select(User).where(User.email == app_db.trainee)).one()
        drills.advance(session=session, actor=trainee, run_id=run_id, force=True)
        conversation = session.exec(select(DrillConversation).where(
            DrillConversation.run_id == run_id, ~DrillConversation.scenario_id.startswith("noise:"))).first()
        assert drills.claim(session=session, actor=trainee, conversation_id=conversation.id)
        return conversation.id


def _pause_drill_of(conversation_id: int, manager_email: str) -> None:
    from trainer.db.drill_models import DrillConversation
    from trainer.services import drills

    with session_scope() as session:
        manager = session.exec(select(User).where(User.email == manager_email)).one()
        drills.pause_drill(session=session, actor=manager, run_id=session.get(DrillConversation, conversation_id).run_id)


def _refusals_in_dutch(app_db) -> dict[str, str]:
    """Each refusal the issue found in English, as its screen now shows it (view functions)."""
    import uuid

    from tests.trainer_ui.conftest_extra import user_id
    from tests.trainer_ui.test_practice_service import user
    from trainer.db.models import Role
    from trainer.views import account, drill_inbox, drill_manager
    from trainer.views import admin as admin_view

    admin, manager, trainee = user(app_db.admin), user(app_db.manager), user(app_db.trainee)
    new = {"full_name": "Nina Nieuw", "role": Role.trainee, "user_language": "nl", "team_id": None, "as_manager": False}
    team_id = 1
    shown = {
        "email_taken": admin_view.add_user(actor=admin, language="nl", email=app_db.trainee,
                                           password="trein rijdt om zeven uur naar Zwolle", **new).message,
        "too_short": admin_view.add_user(actor=admin, language="nl", email="nina@example.nl", password="kort", **new).message,
        "own_account": admin_view.disable(actor=admin, language="nl", user_id=admin.id, reason="test").message,
        "team_taken": admin_view.add_team(actor=admin, language="nl", name="Webcare Zuid").message,
        "not_a_manager": admin_view.add_member(actor=admin, language="nl", team_id=team_id,
                                               user_id=user_id(app_db.trainee), as_manager=True).message,
        "reason_required": account.reset_password(actor=admin, language="nl", user_id=user_id(app_db.trainee),
                                                  label="Tess Trainee", reason="  ").message,
        "empty_message": drill_manager.speak(actor=manager, conversation_id=_held_drill_conversation(app_db), text="  ",
                                             language="nl"),
    }
    held = _held_drill_conversation(app_db)
    _pause_drill_of(held, app_db.manager)
    shown["paused"] = drill_inbox.send(actor=trainee, conversation_id=held, text="Hoi! We kijken ernaar. ^Tess",
                                       submission_id=uuid.uuid4(), action=None, checker=None, language="nl").error
    return shown


def test_dutch_everywhere_refusals_are_dutch_inside_the_dutch_frame(app_db):
    shown = _refusals_in_dutch(app_db)
    assert shown == {
        "email_taken": f"Niet gelukt: Er is al een gebruiker met e-mailadres {app_db.trainee}.",
        "too_short": "Niet opgeslagen: Wachtwoord: minstens 10 tekens.",  # the form's own check, before strength
        "own_account": "Niet gelukt: Je kunt je eigen account niet uitzetten.",
        "team_taken": "Niet gelukt: Er is al een team met de naam Webcare Zuid.",
        "not_a_manager": f"Niet gelukt: {app_db.trainee} is geen dialoogmanager: geef eerst de rol dialoogmanager.",
        "reason_required": "Niet gereset: Geef een reden op: deze wijziging komt in het logboek.",
        "empty_message": "Versturen lukt niet: Een leeg bericht kan niet worden verstuurd.",
        "paused": "Versturen lukt niet: De groepsoefening staat op pauze: antwoorden wachten tot hij verdergaat.",
    }
    assert offending(list(shown.values())) == []


@pytest.mark.parametrize("text", [
    "Niet gelukt: a user with e-mail tess@example.nl already exists",
    "Versturen lukt niet: the drill is paused: replies wait until it resumes",
    "Niet gereset: user.password_reset needs a reason",
    "Niet opgeslagen: password: String should have at least 10 characters",
])
def test_dutch_everywhere_finder_catches_the_old_english_refusals(text):
    assert offending([text])
