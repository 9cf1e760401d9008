"""A thing that is not (or no longer) there is named in the user's language on every screen that
shows the refusal: the one NotFound, worded through content/ui (`errors.*`)."""

from __future__ import annotations

import ast
import uuid
from pathlib import Path

import pytest

from tests.trainer_ui.test_practice_service import user
from trainer.components.refusal import not_found
from trainer.services.errors import BY, KINDS, NotFound
from trainer.views import admin as admin_view
from trainer.views import drill_inbox, drill_manager

ROOT = Path(__file__).resolve().parents[2]
MISSING = 999_999


@pytest.mark.parametrize("kind", KINDS)
def test_not_found_every_kind_is_named_in_both_languages(kind):
    for by in BY:
        dutch, english = (not_found(NotFound(kind, "x", by=by), language) for language in ("nl", "en"))
        assert dutch.startswith("Er is geen ") and english.startswith("There is no ") and dutch.endswith(" x.")


def test_not_found_says_what_and_escapes_the_key():
    assert not_found(NotFound("user", 17), "nl") == "Er is geen gebruiker met nummer 17."
    assert not_found(NotFound("user", "*jan*@example.nl", by="e-mail"), "en") == (
        r"There is no user with e-mail address \*jan\*@example.nl.")


def _kinds_in_the_code() -> set[str]:
    """Every kind the services raise: NotFound("kind", ...), kind="...", and the models whose
    name get_or_not_found and load_for use."""
    found = set()
    for path in (ROOT / "trainer").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            given = {k.arg: k.value for k in node.keywords}
            if name == "NotFound" and node.args and isinstance(node.args[0], ast.Constant):
                found.add(node.args[0].value)
            elif name in ("get_or_not_found", "load_for"):
                model = node.args[1 if name == "get_or_not_found" else 2] if len(node.args) > 2 else None
                if isinstance(given.get("kind"), ast.Constant):
                    found.add(given["kind"].value)
                elif isinstance(model, ast.Name) and model.id[0].isupper():
                    found.add(model.id.lower())
    return found


def test_not_found_every_kind_the_services_raise_is_listed():
    found = _kinds_in_the_code()
    assert {"user", "drill", "drill conversation", "typing sentence"} <= found
    assert found <= set(KINDS), found - set(KINDS)


def test_not_found_on_the_admin_screen_in_dutch(app_db):
    added = admin_view.add_member(actor=user(app_db.admin), language="nl", team_id=1, user_id=MISSING, as_manager=False)
    assert (added.saved, added.message) == (False, f"Niet gelukt: Er is geen gebruiker met nummer {MISSING}.")


def test_not_found_in_the_drill_inbox_and_the_managers_room_in_dutch(app_db):
    sent = drill_inbox.send(actor=user(app_db.trainee), conversation_id=MISSING, text="Hallo!", submission_id=uuid.uuid4(),
                            action=None, checker=None, language="nl")
    gone = f"Er is geen gesprek in een groepsoefening met nummer {MISSING}."
    assert sent.error == f"Versturen lukt niet: {gone}"
    spoken = drill_manager.speak(actor=user(app_db.manager), conversation_id=MISSING, text="Nog iets?", language="nl")
    assert spoken == f"Versturen lukt niet: {gone}"
