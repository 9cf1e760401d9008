"""Docs that can't drift: every setting, dimension, rule message and CLI command is documented."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from scoring.config import messages
from scoring.languagetool import LanguageToolSettings
from scoring.registry import registered
from trainer.cli import build_parser

DOCS = Path(__file__).resolve().parent.parent / "docs"


def all_docs() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in DOCS.glob("*.md"))


def subcommands(parser: argparse.ArgumentParser, prefix: str = "webcare") -> list[str]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.append(f"{prefix} {name}")
                found.extend(subcommands(sub, f"{prefix} {name}"))
    return found


@pytest.mark.parametrize("command", subcommands(build_parser()))
def test_docs_every_cli_command_is_in_cli_md(command):
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert f"`{command}" in text, f"{command} is missing from docs/cli.md"


@pytest.mark.parametrize("field", sorted(LanguageToolSettings.model_fields))
def test_docs_every_languagetool_setting_is_documented(field):
    assert f"LANGUAGETOOL_{field.upper()}" in (DOCS / "configuration.md").read_text(encoding="utf-8")


def test_docs_every_app_setting_is_documented():
    from trainer.settings import Settings

    text = all_docs()
    missing = [name for name in Settings.model_fields if f"`{name}`" not in text]
    assert not missing, f"settings without docs: {missing}"


@pytest.mark.parametrize("name", sorted(registered()))
def test_docs_every_dimension_and_its_version_is_in_scoring_md(name):
    text = (DOCS / "scoring.md").read_text(encoding="utf-8")
    assert registered()[name].versioned_name in text


def test_docs_every_rule_has_a_message_in_both_languages():
    dutch, english = set(messages("nl").rules), set(messages("en").rules)
    assert dutch - english == set(), "rules with a Dutch message but no English one"
    assert english - dutch == set(), "rules with an English message but no Dutch one"


def test_docs_languagetool_version_matches_the_maven_pom():
    pom = (DOCS.parent / "tools" / "languagetool" / "pom.xml").read_text()
    assert f"<lt.version>{LanguageToolSettings.model_fields['version'].default}</lt.version>" in pom
    makefile = (DOCS.parent / "Makefile").read_text()
    assert f"LT_VERSION ?= {LanguageToolSettings.model_fields['version'].default}" in makefile


def test_docs_architecture_names_every_top_level_package_of_trainer():
    text = (DOCS / "architecture.md").read_text(encoding="utf-8")
    packages = [p.name for p in (DOCS.parent / "trainer").iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    assert packages
    missing = [name for name in packages if f"trainer/{name}/" not in text]
    assert not missing, f"docs/architecture.md does not place {missing}"
