"""Shared fixtures. LanguageTool is real: the session starts (or reuses) the local server."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scoring.languagetool import GrammarChecker, LanguageToolSettings


@pytest.fixture(scope="session")
def grammar_checker() -> GrammarChecker:
    """The real checker against the local LanguageTool server that `make test` started.

    Fails (never skips) when it is unreachable: a missing LanguageTool is a broken setup."""
    checker = GrammarChecker(LanguageToolSettings())
    checker.wait_until_ready()
    probe = checker.check("Dit is een test.", "nl")
    assert probe.checked, f"LanguageTool is not reachable: {probe.reason} (run `make languagetool`)"
    return checker


@pytest.fixture
def offline_checker(tmp_path) -> GrammarChecker:
    """A checker with no server, no jars and no download: grammar checking is off."""
    return GrammarChecker(LanguageToolSettings(url=None, home=tmp_path / "none", allow_download=False, port=1))


@pytest.fixture
def policy_mistake(tmp_path) -> Callable[[str], str]:
    """What loading content/certification.yaml written as the given text reports (it must be refused)."""
    from scoring.contentfile import ContentInvalid
    from trainer.services.policy import load_policy

    def load(text: str) -> str:
        (tmp_path / "content").mkdir()
        (tmp_path / "content" / "certification.yaml").write_text(text, encoding="utf-8")
        load_policy.cache_clear()
        try:
            with pytest.raises(ContentInvalid) as invalid:
                load_policy(tmp_path / "content")
        finally:
            load_policy.cache_clear()
        return str(invalid.value)

    return load
