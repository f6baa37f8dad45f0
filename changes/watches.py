"""Watches: who wants to hear about which changes, and where their webhooks may go.

Anyone may create a watch, so a webhook URL is untrusted: it is checked when the
watch is created (or edited in the admin) and again at every delivery, against the
addresses its host resolves to then. A delivery connects to the address it checked,
so a DNS answer that changes in between (rebinding) cannot redirect it.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from catalog.models import LanguageModel, Provider
from changes.models import Watch, WatchSource, source_kinds

logger = logging.getLogger(__name__)

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Special-use ranges (IANA registries) a public webhook never lives in, with why.
# IPv6 ranges that embed an IPv4 address (NAT64, 6to4, Teredo, mapped, translated,
# compatible) are refused whole: they can spell any private IPv4 address.
SPECIAL_USE = [
    (ipaddress.ip_network(net), why)
    for net, why in (
        ("0.0.0.0/8", "'this' network"),
        ("10.0.0.0/8", "a private network"),
        ("100.64.0.0/10", "shared address space (carrier NAT)"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link-local"),
        ("172.16.0.0/12", "a private network"),
        ("192.0.0.0/24", "IETF protocol assignments"),
        ("192.0.2.0/24", "documentation"),
        ("192.31.196.0/24", "AS112"),
        ("192.52.193.0/24", "AMT"),
        ("192.88.99.0/24", "6to4 relay anycast"),
        ("192.168.0.0/16", "a private network"),
        ("192.175.48.0/24", "AS112"),
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
        ("::/96", "unspecified, loopback or IPv4-compatible"),
        ("::ffff:0:0/96", "IPv4-mapped"),
        ("::ffff:0:0:0/96", "IPv4-translated (IPv4-embedded)"),
        ("64:ff9b::/96", "NAT64 (IPv4-embedded)"),
        ("64:ff9b:1::/48", "local-use NAT64 (IPv4-embedded)"),
        ("100::/64", "discard-only"),
        ("100:0:0:1::/64", "the dummy prefix"),
        ("2001::/23", "IETF protocol assignments (Teredo included)"),
        ("2001:db8::/32", "documentation"),
        ("2002::/16", "6to4 (IPv4-embedded)"),
        ("3fff::/20", "documentation"),
        ("5f00::/16", "segment routing"),
        ("fc00::/7", "unique local (private)"),
        ("fe80::/10", "link-local"),
        ("fec0::/10", "site-local"),
        ("ff00::/8", "multicast"),
    )
]
# A last label like these makes a host an IPv4 address in URL parsers and resolvers
# ("2130706433", "0x7f.1", "0177.0.0.1"); only the plain a.b.c.d form is accepted.
NUMERIC_LABEL = re.compile(r"0x[0-9a-f]*|[0-9]+")


class WebhookRefused(Exception):
    """This board will not call the URL; the message says why."""


class WebhookUnchecked(WebhookRefused):
    """The URL's host could not be looked up now, so it could not be checked."""


@dataclass(frozen=True)
class WebhookTarget:
    """A checked webhook: where to connect (the checked address) and for which host."""

    url: str
    host: str
    port: int
    address: str


def address_problem(address: IPAddress) -> str | None:
    """Why `address` is not a public internet address, or None when it is."""
    for network, why in SPECIAL_USE:
        if address.version == network.version and address in network:
            return f"{address} is {why} ({network})"
    if not address.is_global or address.is_multicast:
        return f"{address} is not a globally routed address"
    return None


def webhook_target(url: str) -> WebhookTarget:
    """Check `url` and resolve its host now: the address to connect to, or
    WebhookRefused (WebhookUnchecked when DNS could not answer)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise WebhookRefused(
            f"only http:// and https:// webhooks are called, not {parts.scheme}:"
        )
    try:
        host, port = parts.hostname or "", parts.port
    except ValueError:
        raise WebhookRefused("the port of this URL is not a number") from None
    if not host:
        raise WebhookRefused("this URL names no host")
    port = port or (443 if parts.scheme == "https" else 80)
    literal = _ip_literal(host)
    addresses = [literal] if literal is not None else _resolve(host, port)
    if not settings.CHANGES_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            if problem := address_problem(address):
                raise WebhookRefused(
                    f"{host} is not a public internet address: {problem}. "
                    "This board only calls public webhooks."
                )
    return WebhookTarget(url=url, host=host, port=port, address=str(addresses[0]))


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if NUMERIC_LABEL.fullmatch(host.rstrip(".").rsplit(".", 1)[-1]):
        raise WebhookRefused(
            f"{host} is an unusual spelling of an IPv4 address; write it as four "
            "decimal numbers (a.b.c.d)"
        )
    return None


def _resolve(host: str, port: int) -> list[IPAddress]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except UnicodeError:
        raise WebhookRefused(f"{host} is not a valid host name") from None
    except OSError as exc:
        if isinstance(exc, socket.gaierror) and exc.errno == socket.EAI_AGAIN:
            why = "DNS is not answering"
        else:
            why = "the name does not exist, or DNS is not reachable from this server"
        raise WebhookUnchecked(
            f"could not look up {host} ({why}: {exc.strerror or exc}), so its address "
            "could not be checked; try again later"
        ) from None
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses:
        raise WebhookUnchecked(f"{host} has no address")
    return addresses


def webhook_url_problem(url: str) -> str | None:
    """Why this board will not call `url` now, or None when it may."""
    try:
        webhook_target(url)
    except WebhookRefused as exc:
        return str(exc)
    return None


def watch_kinds(events: list[str], source: str) -> list[str]:
    """The kinds a watch stores: those ticked (none ticked: every kind) that its
    source writes; [] (every kind, today's and later ones) for both sources."""
    if source == WatchSource.BOTH:
        return events
    heard = source_kinds(source)
    return [k for k in (events or heard) if k in heard]


def watch_create(
    target: LanguageModel | Provider,
    *,
    events: list[str],
    webhook_url: str = "",
    email: str = "",
) -> Watch:
    """A watch on one model or one provider (its e-mail unconfirmed until opted in)."""
    return Watch.objects.create(
        model=target if isinstance(target, LanguageModel) else None,
        provider=target if isinstance(target, Provider) else None,
        events=events,
        webhook_url=webhook_url,
        email=email,
    )


# --- e-mail double opt-in ----------------------------------------------------------

CONFIRM_SALT = "changes.watch-email-confirm"


def email_confirm_token(watch: Watch) -> str:
    """The signed token of a watch's confirmation link (bound to its address)."""
    return signing.dumps({"watch": watch.pk, "email": watch.email}, salt=CONFIRM_SALT)


def email_confirm(token: str) -> Watch | None:
    """Confirm the address a token was sent to; None when the token is bad, too
    old, or the watch changed its address since."""
    max_age = settings.CHANGES_CONFIRM_MAX_AGE_DAYS * 86400
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    watch = Watch.objects.filter(pk=data.get("watch"), email=data.get("email")).first()
    if watch is None or not watch.email:
        return None
    if watch.email_confirmed_at is None:
        watch.email_confirmed_at = timezone.now()
        watch.save(update_fields=["email_confirmed_at"])
    return watch


def email_confirmation_send(watch: Watch) -> str | None:
    """E-mail a watch's address the signed link that turns its alerts on, now;
    None once the mail server took it, else why not, in words for the visitor
    (the details go to the log, one line: they name the mail server)."""
    link = settings.MODELBOARD_SITE_URL + reverse(
        "watch-email-confirm", kwargs={"token": email_confirm_token(watch)}
    )
    days = settings.CHANGES_CONFIRM_MAX_AGE_DAYS
    try:
        send_mail(
            f"[modelboard] Confirm alerts about {watch.target}",
            f"Someone asked for e-mails about changes to {watch.target} at this "
            f"address.\n\nTo receive them, open this link within {days} days:\n"
            f"{link}\n\nIf it was not you, ignore this message: nothing will be sent.",
            None,
            [watch.email],
        )
    except OSError as exc:  # smtplib's errors are OSErrors, as are refused sockets
        logger.warning(
            "confirmation e-mail of watch %s not sent: %s: %s",
            watch.pk,
            exc.__class__.__name__,
            exc,
        )
        return "the mail server could not be reached or refused it."
    return None
