"""Check every content file the product reads: the scenario side (media, scoring, messages, cue
lists, scenarios, knowledge base: `scenarios.authoring.validate_content`) plus the files only
the app reads (UI texts, weak points, certification policy, typing sentences, drill templates,
announcement exercises with their rubric, onboarding paths).

`webcare content validate` and the admin screen both show this report, so an author sees the
same errors, with file and line, wherever they look.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Callable

from scenarios.authoring import ValidationReport, validate_content
from scoring.contentfile import ContentInvalid

# (module, function, arguments before `root`, label). Every loader runs: a module, function or
# content file that moved or was renamed is an error to see at once, not a check to skip quietly.
APP_LOADERS: tuple[tuple[str, str, tuple, str], ...] = (
    ("trainer.i18n", "ui_texts", (), "UI text files"),
    ("trainer.services.practice", "weak_points", (), "weak-point maps"),
    ("trainer.services.policy", "load_policy", (), "certification policies"),
    ("trainer.services.typing_test", "typing_content", ("nl",), "typing sentence files"),
    ("trainer.services.typing_test", "typing_content", ("en",), "typing sentence files"),
    ("scenarios.drills", "drill_catalogue", (), "drill template sets"),
    ("scenarios.announcements", "announcement_catalogue", (), "announcement exercise sets"),
    ("trainer.services.limits", "limits", (), "input limits"),
    ("trainer.services.drills.reach", "reach_rules", (), "drill reach rules"),
    ("trainer.services.onboarding", "load_paths", (), "onboarding path files"),
)


def skipped_scenario_files() -> list[str]:
    """Scenario files the running app left out because they are broken (file paths, sorted)."""
    from scenarios.loader import scenario_errors

    return sorted({error.path for error in scenario_errors()})


def validate_everything(root: Path | None = None) -> ValidationReport:
    report = validate_content(root)
    for module_name, function_name, arguments, label in APP_LOADERS:
        loader: Callable = getattr(importlib.import_module(module_name), function_name)
        try:
            if arguments:
                loader(*arguments, root)
            else:
                loader(root)
        except ContentInvalid as exc:
            report.errors.extend(exc.errors)
            continue
        report.counts[label] = report.counts.get(label, 0) + 1
    report.errors = list(dict.fromkeys(report.errors))
    return report
