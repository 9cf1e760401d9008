"""Serve the app: `webcare serve [streamlit options]`, what `make run` calls.

The same as `streamlit run trainer/app.py`, except that the modules the first page needs are
imported in the background while the browser is still loading Streamlit's scripts. Streamlit
only imports them when the first session runs the script; on two cores that cost ~1.5 s of the
first page's 3 s budget. spaCy and LanguageTool are not touched here: their warm-up starts after
the first page is out (`trainer.resources.start_warming`)."""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

APP = Path(__file__).with_name("app.py")

# What trainer/app.py and the login page import, heaviest first (SQLModel's tables, Alembic, Argon2).
FIRST_PAGE_MODULES = (
    "trainer.db.models",
    "trainer.db.migrate",
    "trainer.services.accounts",
    "trainer.navigation",
    "trainer.ui_state",
    "trainer.resources",
    "trainer.components.frame",
    "trainer.i18n",
)


def preload() -> None:
    for name in FIRST_PAGE_MODULES:
        importlib.import_module(name)
    from trainer import resources
    from trainer.i18n import t

    t("app.title", "nl")  # reads and checks the Dutch UI texts
    resources.prepare_database()  # cached per process: the first page's own call finds it done


def preload_once_listening(work: Callable[[], None] = preload) -> None:
    """Start the preload as soon as the server listens, not before: in the same process it would
    hold the GIL while Streamlit starts and push its first answer back by as much. The hook is
    Streamlit's private `bootstrap._on_server_start` (tests/trainer_ui/test_serve.py pins it)."""
    from streamlit.web import bootstrap

    def start() -> None:
        threading.Thread(target=work, name="preload", daemon=True).start()

    on_server_start = getattr(bootstrap, "_on_server_start", None)
    if on_server_start is None:  # a Streamlit without this hook: preload at once, still correct
        start()
        return

    def on_server_start_then_preload(*args, **kwargs):
        on_server_start(*args, **kwargs)
        start()

    bootstrap._on_server_start = on_server_start_then_preload


def main(streamlit_args: Sequence[str] = ()) -> int:
    from streamlit.web import cli

    preload_once_listening()

    return cli.main.main(args=["run", str(APP), *streamlit_args], prog_name="streamlit")


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
