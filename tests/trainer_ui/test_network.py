"""Issue 11 #10: the app listens on this machine only unless a setting says otherwise, and a
server reachable from elsewhere refuses the demo accounts whose password the README prints."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from trainer import serve
from trainer.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_network_make_run_binds_to_localhost_by_default():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^ADDRESS \?= 127\.0\.0\.1$", makefile, re.MULTILINE)
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "--server.address $(ADDRESS)" in run


@pytest.mark.parametrize("args", [[], ["--server.port", "8502"]])
def test_network_serve_without_an_address_listens_on_localhost(args):
    assert serve.listen_args(args, Settings(_env_file=None), environ={}) == [*args, "--server.address", "127.0.0.1"]


@pytest.mark.parametrize("address", ["0.0.0.0", "192.168.1.20", "::", ""])
def test_network_serve_refuses_other_interfaces_without_the_setting(address):
    with pytest.raises(serve.RefusedAddress, match="ALLOW_REMOTE"):
        serve.listen_args(["--server.address", address], Settings(_env_file=None), environ={})
    with pytest.raises(serve.RefusedAddress):
        serve.listen_args([], Settings(_env_file=None), environ={"STREAMLIT_SERVER_ADDRESS": address})


@pytest.mark.parametrize("address", ["127.0.0.1", "localhost", "::1"])
def test_network_serve_accepts_this_machine(address):
    assert serve.listen_args([f"--server.address={address}"], Settings(_env_file=None), environ={})


def test_network_serve_other_interfaces_with_the_setting():
    args = ["--server.address", "0.0.0.0"]
    assert serve.listen_args(args, Settings(_env_file=None, ALLOW_REMOTE=True), environ={}) == args
