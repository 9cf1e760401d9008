"""The audit log viewer in AppTest: admins filter the log and download it as CSV; everyone
else gets a polite refusal, even opening the page's file directly."""

from __future__ import annotations

import pytest

from tests.trainer_ui.conftest import logged_in_app
from tests.trainer_ui.conftest_extra import opened_directly
from trainer import navigation
from trainer.db.models import Role
from trainer.i18n import t


def test_audit_page_is_in_the_admin_menu_only():
    files = lambda role: [p.file for p in navigation.visible_pages(type("U", (), {"role": role, "must_change_password": False})())]  # noqa: E731
    assert "pages/audit.py" in files(Role.admin)
    assert "pages/audit.py" not in files(Role.manager) and "pages/audit.py" not in files(Role.trainee)


def test_audit_page_lists_and_filters_entries(app_db):
    at = logged_in_app(app_db.admin, "pages/audit.py")
    assert not at.exception, at.exception
    assert at.title[0].value == t("nav.audit", "nl")
    table = at.dataframe[0].value
    actions = set(table[t("audit.column_action", "nl")])
    assert {"team.create", "user.create", "team.member_add"} <= actions
    pick = at.selectbox(key="audit_action")
    pick.select_index(pick.options.index("team.create")).run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert set(table[t("audit.column_action", "nl")]) == {"team.create"}
    at.text_input(key="audit_actor").input("niemand-hier").run()
    assert at.info[0].value == t("audit.none", "nl")
    assert any(b.label == t("audit.download", "nl") for b in at.get("download_button"))


@pytest.mark.parametrize("role", ["manager", "trainee"])
def test_audit_page_refuses_everyone_but_admins(app_db, role):
    at = opened_directly(getattr(app_db, role), "pages/audit.py")
    assert not at.exception, at.exception
    assert at.error[0].value == t("audit.refused", "nl")
    assert not at.dataframe
