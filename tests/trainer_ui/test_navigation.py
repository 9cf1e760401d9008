"""Every page the menu names exists; a renamed page fails loudly instead of leaving the menu."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.trainer_ui.conftest import APP
from trainer import navigation

TRAINER = Path(navigation.__file__).resolve().parent


def test_navigation_every_page_it_names_exists():
    navigation.require_pages(TRAINER)


def test_navigation_a_renamed_page_is_an_error_not_a_missing_menu_entry(monkeypatch):
    renamed = dataclasses.replace(navigation.PAGES[0], file="pages/oefenen.py")
    monkeypatch.setattr(navigation, "PAGES", (renamed, *navigation.PAGES[1:]))
    with pytest.raises(FileNotFoundError, match="pages/oefenen.py"):
        navigation.require_pages(TRAINER)


def test_navigation_the_app_shows_an_incident_for_a_missing_page(app_db, monkeypatch, caplog):
    renamed = dataclasses.replace(navigation.LOGIN, file="pages/inloggen.py")
    monkeypatch.setattr(navigation, "LOGIN", renamed)
    at = AppTest.from_file(APP, default_timeout=90)
    with caplog.at_level(logging.ERROR):
        at.run()
    assert not at.exception, at.exception
    assert at.error and "inloggen" not in " ".join(e.value for e in at.error)  # an incident id, no file names
    logged = [r for r in caplog.records if r.exc_info and "pages/inloggen.py" in str(r.exc_info[1])]
    assert logged, [r.getMessage() for r in caplog.records]
