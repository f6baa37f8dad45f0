"""Who is asking: the client's address, as far as the proxies in front say."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


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
