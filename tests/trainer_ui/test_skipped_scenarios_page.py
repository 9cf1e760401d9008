"""A broken scenario file: practice goes on with the other scenarios, and the admin page says
which file is left out."""

from __future__ import annotations

import shutil

import pytest

from scenarios import loader
from scoring.contentfile import content_dir
from tests.trainer_ui.conftest import logged_in_app
from trainer.i18n import t
from trainer.services import practice


@pytest.fixture
def one_broken_scenario(tmp_path, monkeypatch):
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    path = root / "scenarios" / "nl" / "air-bagage-kwijt.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("media: [instagram_comment, twitter]", "media: [fax]"),
                    encoding="utf-8")
    monkeypatch.setenv("WEBCARE_CONTENT_DIR", str(root))
    loader._loaded.cache_clear()
    yield "content/scenarios/nl/air-bagage-kwijt.yaml"
    loader._loaded.cache_clear()


def test_skipped_scenario_leaves_the_rest_and_the_admin_is_told(app_db, one_broken_scenario):
    ids = {choice.id for choice in practice.choices("nl")}
    assert "nl-air-bagage-kwijt" not in ids and len(ids) >= 10
    at = logged_in_app(app_db.admin, "pages/admin.py")
    assert not at.exception, at.exception
    assert at.warning[0].value == t("admin.scenarios_skipped", "nl", count=1, files=one_broken_scenario)
