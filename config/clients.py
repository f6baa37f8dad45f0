"""Who is asking: the client's address, as far as the proxies in front say, and
the network that limits count it by."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# One IPv6 subscriber gets a /64 (or more): counting each address would give one
# client 2^64 budgets. CDNs and rate limiters count IPv6 by /64.
IPV6_CLIENT_PREFIX = 64


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in
    front, the address the outermost of them saw.

    Each proxy appends the address it received the request from to
    X-Forwarded-For, so that one is `count` entries from the right; entries further
    left came from the client and may be forged.
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded: str = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if count and len(hops) >= count:
        return hops[-count]
    return str(request.META.get("REMOTE_ADDR", ""))


def client_network(request: HttpRequest) -> str:
    """What limits count a client by: its IPv4 address (an IPv4-mapped IPv6
    address as that IPv4), or the first address of its IPv6 /64."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        network = ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False)
        return str(network.network_address)
    return address
