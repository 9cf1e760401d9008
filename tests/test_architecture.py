"""Layering: only trainer/ imports streamlit; scoring/ and scenarios/ import nothing from trainer/;
pages import no database library, call no service themselves and hold no thresholds."""

from __future__ import annotations

import ast
import importlib
import inspect
import subprocess
import sys
from collections.abc import Callable
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


def test_architecture_views_import_without_streamlit():
    """Views are plain Python, called by pages and tests alike: importing one loads no Streamlit,
    not even through a helper (the cached resources stay at the edge and are passed in)."""
    views = sorted(_module_name(p) for p in (ROOT / "trainer" / "views").glob("*.py"))
    script = (
        "import importlib, sys\n"
        f"for name in {views!r}:\n"
        "    importlib.import_module(name)\n"
        "    if 'streamlit' in sys.modules:\n"
        "        print(name)\n"
        "        break\n"
    )
    found = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert len(views) > 10 and found.stdout.strip() == ""


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports anywhere in its body (lazy imports count too:
    a cycle through a function-level import is still a cycle in the design)."""
    paths = {_module_name(p): p for package in ("scoring", "scenarios", "trainer") for p in (ROOT / package).rglob("*.py")}

    def project_module(name: str) -> str | None:
        while name and name not in paths:
            name = name.rpartition(".")[0]
        return name or None

    graph = {}
    for name, path in paths.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
                # `from package import module` imports the module; `from module import name` the module.
                targets.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in paths else base for alias in node.names)
        graph[name] = {found for target in targets if (found := project_module(target)) and found != name}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_architecture_no_import_cycles_between_modules():
    assert _cycles(_import_graph()) == []


def test_architecture_cycle_finder_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


DRILLS = "trainer.services.drills"


def _private_drill_imports(source: str, module: str, *, is_package: bool = False) -> list[str]:
    """The underscore-prefixed names `module` takes from a module of trainer/services/drills
    other than itself: imported by name, or read as an attribute of an imported drills module."""
    tree = ast.parse(source)
    package = module.split(".") if is_package else module.split(".")[:-1]
    found, modules = [], {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if (base == DRILLS or base.startswith(DRILLS + ".")) and base != module and _private(alias.name):
                    found.append(full)
                elif full == DRILLS or base == DRILLS:  # the package, or one of its modules
                    modules[alias.asname or alias.name] = full
        elif isinstance(node, ast.Import):
            modules.update({alias.asname: alias.name for alias in node.names
                            if alias.asname and (alias.name == DRILLS or alias.name.startswith(DRILLS + "."))})
    for node in ast.walk(tree):
        if (isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name)
                and modules.get(node.value.id, module) != module):
            found.append(f"{modules[node.value.id]}.{node.attr}")
    return found


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_architecture_no_private_names_taken_from_the_drill_modules():
    offenders = {}
    for folder in ("trainer", "scoring", "scenarios", "bench", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            found = _private_drill_imports(path.read_text(encoding="utf-8"), _module_name(path),
                                           is_package=path.name == "__init__.py")
            if found:
                offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_architecture_private_drill_import_finder_finds_them():
    source = (
        "from trainer.services.drills.core import get_run, _hidden\n"
        "from .clock import _tick\n"
        "from trainer.services import drills\n"
        "from trainer.services.drills import timeline as tl\n"
        "import trainer.services.drills.work as w\n"
        "drills._x, tl._timeline, w._take, tl.advance, drills.__doc__\n"
    )
    assert sorted(_private_drill_imports(source, "trainer.services.drills.views")) == [
        "trainer.services.drills._x", "trainer.services.drills.clock._tick", "trainer.services.drills.core._hidden",
        "trainer.services.drills.timeline._timeline", "trainer.services.drills.work._take",
    ]
    assert _private_drill_imports("from trainer.services.drills.work import _take\n", "trainer.services.drills.work") == []


def test_architecture_pages_import_neither_sqlmodel_nor_sqlalchemy():
    """Pages lay out widgets: queries belong in services/, sessions come from trainer.db.engine."""
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_modules(path) & {"sqlmodel", "sqlalchemy"})
        for path in (ROOT / "trainer" / "pages").rglob("*.py")
    }
    assert not {k: v for k, v in offenders.items() if v}


SERVICES = "trainer.services"


def _is_service(module: str) -> bool:
    return module == SERVICES or module.startswith(SERVICES + ".")


def service_imports(source: str) -> list[str]:
    """What a page takes from trainer/services/ other than a class: a module or a function, that
    is a service it would call itself instead of through its view. A class may come (a refusal to
    catch such as PermissionDenied, a state model the page keeps such as PracticeState)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _is_service(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and _is_service(node.module):
            module = importlib.import_module(node.module)
            found += [f"{node.module}.{alias.name}" for alias in node.names
                      if not inspect.isclass(getattr(module, alias.name, None))]
    return found


def pages_where(finder: Callable[[str], list[str]]) -> dict[str, list[str]]:
    """Each page in which `finder` (given the page's source) finds something: what it found."""
    return {
        str(path.relative_to(ROOT)): found
        for path in sorted((ROOT / "trainer" / "pages").rglob("*.py"))
        if (found := finder(path.read_text(encoding="utf-8")))
    }


def test_architecture_pages_call_services_only_through_views():
    """Every screen has its view (trainer/views/): a page reads state, calls the view, renders."""
    assert pages_where(service_imports) == {}


def _imports_a_view(path: Path) -> bool:
    return any(isinstance(node, ast.ImportFrom) and node.level == 0 and node.module
               and (node.module == "trainer.views" or node.module.startswith("trainer.views."))
               for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def test_architecture_every_page_has_a_view():
    """A page without a view would be a screen whose data and wording nobody tests without Streamlit."""
    pages = sorted((ROOT / "trainer" / "pages").rglob("*.py"))
    assert len(pages) > 10 and [str(p.relative_to(ROOT)) for p in pages if not _imports_a_view(p)] == []


@pytest.mark.parametrize(("source", "found"), [
    ("from trainer.services import quick_score", ["trainer.services.quick_score"]),
    ("from trainer.services.accounts import login, LoginFailed", ["trainer.services.accounts.login"]),
    ("import trainer.services.audit as audit", ["trainer.services.audit"]),
    ("from trainer.services.audit import *", ["trainer.services.audit.*"]),
    ("from trainer.services.rights import PermissionDenied\nfrom trainer.views import audit", []),
    ("from trainer.services.practice import PracticeState", []),
])
def test_architecture_service_import_finder(source, found):
    assert service_imports(source) == found


ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


def _number(node: ast.AST) -> float | None:
    is_number = isinstance(node, ast.Constant) and type(node.value) in (int, float)  # not True/False
    return node.value if is_number else None


def threshold_comparisons(source: str) -> list[str]:
    """Ordering comparisons (<, <=, >, >=) with a number other than 0 or 1 in them, written out or
    through a module-level UPPER_CASE constant: a threshold, which belongs in content/ and is
    applied in views/ or services/. (Equality is no threshold: `len(rows) == SHOWN` may stay.)"""
    tree = ast.parse(source)
    constants = {
        target.id
        for statement in tree.body if isinstance(statement, (ast.Assign, ast.AnnAssign))
        and statement.value is not None and _number(statement.value) is not None
        for target in (statement.targets if isinstance(statement, ast.Assign) else [statement.target])
        if isinstance(target, ast.Name) and target.id.isupper()
    }
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Compare) and any(isinstance(op, ORDERING) for op in node.ops)):
            continue
        parts = [part for operand in (node.left, *node.comparators) for part in ast.walk(operand)]
        if any(_number(part) not in (None, 0, 1) or isinstance(part, ast.Name) and part.id in constants for part in parts):
            found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_architecture_pages_hold_no_thresholds():
    assert pages_where(threshold_comparisons) == {}


@pytest.mark.parametrize(("source", "found"), [
    ("colour = 'red' if mean < 60 else 'green'", ["1: mean < 60"]),
    ("ok = rate >= 0.5", ["1: rate >= 0.5"]),
    ("DAYS = 7\nrecent = now - last <= timedelta(days=DAYS)", ["2: now - last <= timedelta(days=DAYS)"]),
    ("STUCK: int = 5\nstuck = replies >= STUCK", ["2: replies >= STUCK"]),
    ("ok = 0 < count <= limit or count > -1", []),
    ("SHOWN = 500\nmore = len(rows) == SHOWN", []),
    ("late = elapsed > target", []),
])
def test_architecture_threshold_finder(source, found):
    assert threshold_comparisons(source) == found
