"""Serve the app: `webcare serve [streamlit options]`, what `make run` calls.

The same as `streamlit run trainer/app.py`, except that the modules the first page needs are
imported in the background while the browser is still loading Streamlit's scripts. Streamlit
only imports them when the first session runs the script; on two cores that cost ~1.5 s of the
first page's 3 s budget. spaCy and LanguageTool are not touched here: their warm-up starts after
the first page is out (`trainer.resources.start_warming`)."""

from __future__ import annotations

import importlib
import ipaddress
import os
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from trainer.settings import Settings, get_settings

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
    "trainer.components.refusal",  # the login page shows a too-long e-mail or password with it
    "trainer.i18n",
    "trainer.incidents",
    "trainer.views.feedback",  # the menu counts the trainee's new feedback
    "trainer.views.login",
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


LOCALHOST = "127.0.0.1"


class RefusedAddress(ValueError):
    """Asked to listen on an address other machines can reach, without ALLOW_REMOTE."""


def _given_address(args: Sequence[str], environ: Mapping[str, str]) -> str | None:
    for index, arg in enumerate(args):
        if arg == "--server.address":
            return args[index + 1] if index + 1 < len(args) else ""
        if arg.startswith("--server.address="):
            return arg.split("=", 1)[1]
    return environ.get("STREAMLIT_SERVER_ADDRESS")


def _is_this_machine(address: str) -> bool:
    if address == "localhost":
        return True
    try:
        return ipaddress.ip_address(address).is_loopback
    except ValueError:  # a host name, or "" (Streamlit's every interface)
        return False


def listen_args(args: Sequence[str], settings: Settings, environ: Mapping[str, str] = os.environ) -> list[str]:
    """Streamlit's arguments with the address to listen on: this machine only unless
    `ALLOW_REMOTE` is set (and then demo accounts cannot log in, see accounts.login)."""
    address = _given_address(args, environ)
    if address is None:
        return [*args, "--server.address", LOCALHOST]
    if not _is_this_machine(address) and not settings.ALLOW_REMOTE:
        raise RefusedAddress(
            f"refusing to listen on {address or 'every interface'!r}: other machines could reach the app, and "
            "the demo accounts' password is in the README. Set ALLOW_REMOTE=true to serve it beyond this machine "
            "(demo accounts are then refused at login)."
        )
    return list(args)


def main(streamlit_args: Sequence[str] = ()) -> int:
    from streamlit.web import cli

    try:
        args = listen_args(streamlit_args, get_settings())
    except RefusedAddress as refused:
        print(f"webcare serve: {refused}", file=sys.stderr)
        return 2
    preload_once_listening()

    return cli.main.main(args=["run", str(APP), *args], prog_name="streamlit")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
