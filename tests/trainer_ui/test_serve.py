"""`webcare serve` imports what the first page needs while the browser loads (trainer/serve.py)."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import threading
from importlib.util import find_spec
from pathlib import Path

from sqlalchemy import create_engine, text

from trainer.db.migrate import head_revision

ROOT = Path(__file__).resolve().parents[2]
FIRST_PAGE_SCRIPTS = (ROOT / "trainer" / "app.py", ROOT / "trainer" / "pages" / "login.py")


def trainer_modules_imported_by(script: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("trainer"):
            for alias in node.names:  # `from trainer import resources` imports a module; `from x import t` a name
                submodule = f"{node.module}.{alias.name}"
                names.add(submodule if _is_module(submodule) else node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("trainer"))
    return names


def _is_module(name: str) -> bool:
    try:
        return find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def test_preload_imports_every_module_of_the_first_page_and_migrates_the_database(tmp_path):
    database = tmp_path / "webcare.db"
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys; from trainer import serve; serve.preload(); "
         "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('trainer', 'spacy', 'language_tool')))))"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"}, capture_output=True, text=True,
        timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.splitlines()[-1]))
    wanted = set().union(*(trainer_modules_imported_by(script) for script in FIRST_PAGE_SCRIPTS))
    assert "trainer.views.login" in wanted and "trainer.resources" in wanted
    assert wanted - loaded == set(), "add these to trainer.serve.FIRST_PAGE_MODULES"
    # Nothing heavy: spaCy and LanguageTool wait until the first page is out.
    assert not {m for m in loaded if m.startswith(("spacy", "language_tool"))}
    with create_engine(f"sqlite:///{database}").connect() as connection:
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar() == head_revision()



def test_serve_preload_starts_right_after_streamlits_server_start_hook(monkeypatch):
    """An upgrade of Streamlit that drops its private `bootstrap._on_server_start` fails here:
    without the hook the preload would start at once, still correct but ~1 s slower."""
    from streamlit.web import bootstrap

    from trainer import serve

    calls: list[str] = []
    preloaded = threading.Event()
    assert callable(bootstrap._on_server_start)
    monkeypatch.setattr(bootstrap, "_on_server_start", lambda server: calls.append(f"server started: {server}"))
    serve.preload_once_listening(lambda: (calls.append("preload"), preloaded.set()))
    assert calls == []  # nothing before the server listens
    bootstrap._on_server_start("the server")
    assert preloaded.wait(5)
    assert calls == ["server started: the server", "preload"]
