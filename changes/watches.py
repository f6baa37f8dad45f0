"""Watches: who wants to hear about which changes, and where their webhooks may go."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from catalog.models import LanguageModel, Provider
from changes.models import Watch


def public_host(host: str) -> bool:
    """True when every address `host` resolves to is a public one."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    addresses = {ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos}
    return bool(addresses) and all(a.is_global for a in addresses)


def webhook_url_problem(url: str) -> str | None:
    """Why this board will not call `url`, or None when it may."""
    if settings.CHANGES_WEBHOOK_ALLOW_PRIVATE:
        return None
    host = urlsplit(url).hostname or ""
    if not public_host(host):
        return (
            f"{host} is not a public internet address; this board only "
            "calls public webhooks."
        )
    return None


def watch_create(
    target: LanguageModel | Provider,
    *,
    events: list[str],
    webhook_url: str = "",
    email: str = "",
) -> Watch:
    """A watch on one model or one provider."""
    return Watch.objects.create(
        model=target if isinstance(target, LanguageModel) else None,
        provider=target if isinstance(target, Provider) else None,
        events=events,
        webhook_url=webhook_url,
        email=email,
    )
