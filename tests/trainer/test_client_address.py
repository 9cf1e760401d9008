"""Behind a load balancer the client's address comes from X-Forwarded-For, believed only from
a trusted proxy (trainer/services/client_address.py)."""

from __future__ import annotations

import pytest

from trainer.services.client_address import client_address, parse_trusted_proxies
from trainer.settings import Settings


@pytest.mark.parametrize("peer, forwarded_for, trusted, expected", [
    ("203.0.113.7", None, [], "203.0.113.7"),                          # no proxy: the connection itself
    ("203.0.113.7", "198.51.100.1", [], "203.0.113.7"),                # a header from anyone is not believed
    ("10.0.0.5", "198.51.100.1", ["10.0.0.5"], "198.51.100.1"),        # from our load balancer: the client
    ("10.0.0.5", "198.51.100.1, 10.0.0.9", ["10.0.0.0/24"], "198.51.100.1"),  # two proxies in our network
    ("10.0.0.5", "1.2.3.4, 198.51.100.1", ["10.0.0.5"], "198.51.100.1"),  # the client forged the left entry
    ("203.0.113.7", "198.51.100.1", ["10.0.0.5"], "203.0.113.7"),      # not from a trusted proxy
    ("10.0.0.5", None, ["10.0.0.5"], "10.0.0.5"),                      # the proxy sent no header
    ("10.0.0.5", "not-an-address", ["10.0.0.5"], "10.0.0.5"),          # a malformed header
    ("::1", "2001:db8::2", ["::1"], "2001:db8::2"),                    # IPv6
])
def test_client_address_believes_forwarded_for_only_from_trusted_proxies(peer, forwarded_for, trusted, expected):
    assert client_address(peer, forwarded_for, trusted) == expected


def test_client_address_setting_is_checked_at_start():
    assert parse_trusted_proxies("10.0.0.5, 10.0.1.0/24 ::1") == ["10.0.0.5", "10.0.1.0/24", "::1"]
    with pytest.raises(ValueError, match="'proxy.local' is no IP address"):
        Settings(TRUSTED_PROXIES="10.0.0.5,proxy.local")
