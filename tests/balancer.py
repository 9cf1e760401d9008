"""nginx in front of several app servers, configured by docs/examples/nginx.conf (the file
docs/deployment.md gives organisations), for tests that work the app through a load balancer.
Debian's nginx-light comes with `make browser`; a missing nginx fails the test, never skips it."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.browser.conftest import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "docs" / "examples" / "nginx.conf"


@dataclass
class Balancer:
    url: str
    access_log: Path

    def websockets_per_server(self) -> dict[str, int]:
        """How many Streamlit websockets (/_stcore/stream) nginx handed to each upstream."""
        counts: dict[str, int] = {}
        for line in self.access_log.read_text().splitlines():
            upstream, _, request = line.partition(" ")
            if "/_stcore/stream" in request:
                counts[upstream] = counts.get(upstream, 0) + 1
        return counts


def render(upstreams: list[str], listen: str, prefix: Path) -> str:
    servers = "\n".join(f"        server {address};" for address in upstreams)
    text = CONFIG.read_text()
    for key, value in {"prefix": str(prefix), "listen": listen, "servers": servers}.items():
        text = text.replace("{" + key + "}", value)
    return text


@contextmanager
def nginx_balancer(upstreams: list[str], folder: Path) -> Iterator[Balancer]:
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    assert Path(binary).exists(), "nginx is missing: `make browser` installs Debian's nginx-light"
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    config = folder / "nginx.conf"
    config.write_text(render(upstreams, f"127.0.0.1:{port}", folder))
    # The access log only holds a websocket's line once it closes (nginx logs at the end).
    # As root, nginx's workers would run as nobody, who cannot write the test's folder.
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    process = subprocess.Popen([binary, "-p", str(folder), "-c", str(config), "-g", directives],
                               stdout=(folder / "nginx.out").open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, process, folder / "nginx.out", timeout=20)  # answered by an app server through nginx
        yield Balancer(url=url, access_log=folder / "access.log")
    finally:
        process.terminate()
        process.wait(timeout=10)
