"""Layering: only trainer/ imports streamlit; scoring/ and scenarios/ import nothing from trainer/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", ["scoring", "scenarios"])
def test_architecture_core_packages_import_neither_streamlit_nor_trainer(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & {"streamlit", "trainer"})
        for path in (ROOT / package).rglob("*.py")
    }
    assert not {k: v for k, v in offenders.items() if v}


def test_architecture_services_do_not_import_streamlit():
    services = ROOT / "trainer" / "services"
    offenders = [str(p.relative_to(ROOT)) for p in services.rglob("*.py") if "streamlit" in imported_modules(p)]
    assert not offenders
