"""`webcare content validate` covers the app's own content files too, with file:line errors."""

import shutil

import pytest

from scoring.contentfile import content_dir
from trainer.services.content_check import validate_everything


@pytest.fixture
def content_copy(tmp_path):
    root = tmp_path / "content"
    shutil.copytree(content_dir(), root)
    return root


def test_content_check_shipped_content_is_valid_and_counted():
    report = validate_everything()
    assert report.errors == []
    assert report.counts["UI text files"] == 1 and report.counts["certification policies"] == 1


@pytest.mark.parametrize(
    "relative, old, new, expected",
    [
        ("ui/en/app.yaml", 'nav.team: "Team"', "", "ui/nl/app.yaml:"),
        ("practice/weak_points.yaml", "media: [email, review]", "media: [email, fax]", "practice/weak_points.yaml:"),
        ("typing/nl.yaml", "sentences:", "zinnen:", "typing/nl.yaml:"),
        ("onboarding.yaml", "kind: typing, target: any}", "kind: typing, target: fast}", "onboarding.yaml:16"),
    ],
)
def test_content_check_broken_app_content_is_reported_with_file_and_line(content_copy, relative, old, new, expected):
    path = content_copy / relative
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    report = validate_everything(content_copy)
    assert any(str(e).startswith(f"content/{expected}") or expected in str(e) for e in report.errors), report.errors


def test_content_check_a_renamed_loader_fails_loudly(monkeypatch):
    from trainer.services import content_check

    monkeypatch.setattr(content_check, "APP_LOADERS",
                        (("trainer.services.typing_test", "no_such_loader", ("nl",), "typing"),))
    with pytest.raises(AttributeError, match="no_such_loader"):
        content_check.validate_everything()


def test_content_check_a_renamed_loader_module_fails_loudly(monkeypatch):
    from trainer.services import content_check

    monkeypatch.setattr(content_check, "APP_LOADERS", (("trainer.services.no_such_module", "limits", (), "limits"),))
    with pytest.raises(ModuleNotFoundError, match="no_such_module"):
        content_check.validate_everything()


@pytest.mark.parametrize("relative", ["typing/en.yaml", "limits.yaml", "certification.yaml"])
def test_content_check_a_missing_app_content_file_is_an_error_not_a_skip(content_copy, relative):
    (content_copy / relative).unlink()
    report = validate_everything(content_copy)
    assert any(relative in str(e) for e in report.errors), report.errors
