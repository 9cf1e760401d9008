"""The address a browser really connects from, also behind a load balancer.

Behind nginx every connection comes from the proxy, so throttling "per client address" would
throttle everyone as one client. The proxy names the real address in X-Forwarded-For; that
header is believed only when the connection comes from a proxy listed in `TRUSTED_PROXIES`
(anyone can send the header), and then only up to the first address that is no trusted proxy,
read from the right: what a client wrote at the left is as easy to forge as the header itself.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable


def client_address(peer: str | None, forwarded_for: str | None, trusted_proxies: Iterable[str]) -> str | None:
    """The client's address: `peer` (the connection's own address) unless that is a trusted
    proxy, then the right-most X-Forwarded-For entry that is not one."""
    networks = [_network(entry) for entry in trusted_proxies]
    networks = [network for network in networks if network is not None]
    if not networks or not _trusted(peer, networks) or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if _address(hop) is None:
            return peer  # a malformed header: fall back to what we know
        if not _trusted(hop, networks):
            return hop
    return hops[0] if hops else peer


def parse_trusted_proxies(setting: str) -> list[str]:
    """`TRUSTED_PROXIES` as written: addresses or networks separated by commas or spaces.
    Raises ValueError naming the entry that is neither."""
    entries = [entry for entry in setting.replace(",", " ").split() if entry]
    for entry in entries:
        if _network(entry) is None:
            raise ValueError(f"TRUSTED_PROXIES: {entry!r} is no IP address or network (e.g. 10.0.0.5 or 10.0.0.0/24)")
    return entries


def _network(entry: str):
    try:
        return ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        return None


def _address(text: str | None):
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def _trusted(text: str | None, networks) -> bool:
    address = _address(text)
    return address is not None and any(address.version == n.version and address in n for n in networks)
