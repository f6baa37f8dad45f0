"""Webhook targets are untrusted: every special-use address, every odd spelling of
one and every scheme but http(s) is refused, at creation and again at delivery,
and a delivery connects to the address it checked."""

from __future__ import annotations

import contextlib
import ipaddress
import socket

import pytest
from django.core import mail
from django.utils import timezone

from catalog.models import CatalogEvent, EventKind, LanguageModel
from changes import tasks
from changes.alerts import delivery_attempt
from changes.models import Channel, Delivery, DeliveryStatus, Watch
from changes.watches import (
    WebhookRefused,
    WebhookUnchecked,
    email_confirm,
    email_confirm_token,
    webhook_target,
    webhook_url_problem,
)
from tests.support.factories import make_model
from tests.support.receiver import Receiver

PUBLIC = "93.184.215.14"  # example.com's address


@pytest.fixture
def dns(monkeypatch) -> dict[str, list[str]]:
    """Names this test's resolver answers (the rest do not exist)."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        with contextlib.suppress(ValueError):
            ipaddress.ip_address(host)
            return real(host, port, *args, **kwargs)  # an address needs no DNS
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port or 0),
            )
            for a in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/hook",
        "http://10.0.0.5/hook",
        "http://169.254.169.254/latest/meta-data",
        "http://100.64.1.1/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[fc00::1]/",
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
        "http://[64:ff9b:1::a00:1]/",  # local-use NAT64
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[::127.0.0.1]/",  # IPv4-compatible
        "http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/",  # Teredo
        "http://[::ffff:0:7f00:1]/",  # IPv4-translated 127.0.0.1
        "http://[::ffff:0:a00:1]/",  # IPv4-translated 10.0.0.1
        "http://[::ffff:0:808:808]/",  # IPv4-translated: refused whole
        "http://[2002:c0a8:101::1]/",  # 6to4 of 192.168.1.1
        "http://[100:0:0:1::1]/",  # dummy prefix
        "http://239.1.2.3/",
        "http://192.88.99.1/",
        "http://0.0.0.0/",
    ],
)
def test_special_use_addresses_are_refused(url, settings):
    settings.CHANGES_WEBHOOK_ALLOW_PRIVATE = False
    with pytest.raises(WebhookRefused, match="not a public internet address"):
        webhook_target(url)


@pytest.mark.parametrize(
    "host",
    [
        "2130706433",
        "0x7f000001",
        "0x7f.0.0.1",
        "0177.0.0.1",
        "127.1",
        "127.000.000.001",
    ],
)
def test_decimal_octal_and_hex_spellings_are_refused(host, settings):
    """Spellings resolvers read as 127.0.0.1 are refused before any lookup, even
    where private addresses are allowed."""
    settings.CHANGES_WEBHOOK_ALLOW_PRIVATE = True
    with pytest.raises(WebhookRefused, match="four decimal numbers"):
        webhook_target(f"http://{host}/hook")


@pytest.mark.parametrize(
    "url", ["ftp://example.com/x", "file:///etc/passwd", "gopher://example.com/"]
)
def test_only_http_and_https_are_called(url):
    with pytest.raises(WebhookRefused, match="only http:// and https://"):
        webhook_target(url)


def test_a_name_resolving_to_any_private_address_is_refused(dns):
    """One private address among public ones is enough to refuse."""
    dns["hooks.example.com"] = [PUBLIC, "10.0.0.7"]
    with pytest.raises(WebhookRefused, match="10.0.0.7 is a private network"):
        webhook_target("https://hooks.example.com/x")


def test_a_public_name_is_accepted_and_pinned_to_its_address(dns):
    dns["hooks.example.com"] = [PUBLIC]
    target = webhook_target("https://hooks.example.com:8443/x?y=1")
    assert (target.host, target.port, target.address) == (
        "hooks.example.com",
        8443,
        PUBLIC,
    )


def test_unresolvable_name_says_it_could_not_be_checked(dns):
    """Offline, the reason is the lookup, not a verdict on the address."""
    with pytest.raises(WebhookUnchecked) as unchecked:
        webhook_target("https://example.com/hook")
    message = str(unchecked.value)
    assert "could not look up example.com" in message
    assert "could not be checked" in message
    assert "not a public internet address" not in message


# --- at delivery -------------------------------------------------------------------


@pytest.fixture
def event_for_watch(db) -> tuple[LanguageModel, CatalogEvent]:
    model = make_model("acme/one")
    event = CatalogEvent.objects.create(
        kind=EventKind.PRICE, model=model, observed_at=timezone.now()
    )
    return model, event


def _delivery(watch: Watch, event: CatalogEvent) -> Delivery:
    return Delivery.objects.create(
        watch=watch, event=event, channel=Channel.WEBHOOK, scheduled_for=timezone.now()
    )


@pytest.mark.http
def test_dns_answering_a_private_address_at_delivery_is_refused(
    event_for_watch, dns, settings
):
    """The name was public when the watch was made; now it answers 127.0.0.1 (DNS
    rebinding): nothing is sent, the attempt is failed and not retried."""
    settings.CHANGES_WEBHOOK_ALLOW_PRIVATE = False
    model, event = event_for_watch
    with Receiver() as receiver:
        dns["hooks.example.com"] = [PUBLIC]
        url = f"http://hooks.example.com:{receiver.port}/hook"
        assert webhook_url_problem(url) is None
        watch = Watch.objects.create(model=model, webhook_url=url)
        dns["hooks.example.com"] = ["127.0.0.1"]
        outcome = delivery_attempt(_delivery(watch, event).pk)
    assert receiver.received == []
    assert outcome.delivery.status == DeliveryStatus.FAILED
    assert outcome.delivery.error.startswith("refused: hooks.example.com")
    assert outcome.retry is None


@pytest.mark.parametrize(
    "answer", ["::ffff:0:7f00:1", "64:ff9b::a00:1", "2002:a00:1::1"]
)
def test_dns_answering_an_ipv4_embedding_address_at_delivery_is_refused(
    event_for_watch, dns, settings, answer
):
    """The check runs again on what DNS answers when the request is made: an
    IPv6 address that embeds a private IPv4 one is refused, nothing is sent."""
    settings.CHANGES_WEBHOOK_ALLOW_PRIVATE = False
    model, event = event_for_watch
    dns["hooks.example.com"] = [PUBLIC]
    url = "http://hooks.example.com/hook"
    assert webhook_url_problem(url) is None
    watch = Watch.objects.create(model=model, webhook_url=url)
    dns["hooks.example.com"] = [answer]
    outcome = delivery_attempt(_delivery(watch, event).pk)
    assert outcome.delivery.status == DeliveryStatus.FAILED
    assert outcome.delivery.error.startswith("refused: hooks.example.com")
    assert outcome.retry is None


@pytest.mark.http
def test_delivery_connects_to_the_address_it_checked(event_for_watch, dns, settings):
    """The POST goes to the resolved address with the name in Host: the client
    never resolves the name again (it would not resolve at all here)."""
    settings.CHANGES_WEBHOOK_ALLOW_PRIVATE = True  # the receiver is on loopback
    model, event = event_for_watch
    with Receiver() as receiver:
        dns["receiver.test"] = ["127.0.0.1"]
        watch = Watch.objects.create(
            model=model, webhook_url=f"http://receiver.test:{receiver.port}/hook"
        )
        outcome = delivery_attempt(_delivery(watch, event).pk)
    assert outcome.delivery.status == DeliveryStatus.DELIVERED, outcome.delivery.error
    [(headers, _)] = receiver.received
    assert headers["Host"] == f"receiver.test:{receiver.port}"


def test_unresolvable_name_at_delivery_is_retried(event_for_watch, dns, settings):
    model, event = event_for_watch
    watch = Watch.objects.create(model=model, webhook_url="https://gone.example.com/x")
    outcome = delivery_attempt(_delivery(watch, event).pk)
    assert outcome.delivery.error.startswith("not sent: could not look up")
    assert outcome.retry is not None


# --- e-mail double opt-in -----------------------------------------------------------


def test_unconfirmed_email_gets_only_its_confirmation(event_for_watch, settings):
    """Nothing is mailed to an address until it opens the signed link sent to it."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    model, event = event_for_watch
    watch = Watch.objects.create(model=model, email="someone@example.com")
    from changes.alerts import deliveries_create

    assert deliveries_create([event], timezone.now()) == []
    tasks.send_email_confirmation(watch.pk)
    [message] = mail.outbox
    assert message.to == ["someone@example.com"]
    token = email_confirm_token(watch)
    assert f"/watch/confirm/{token}" in message.body
    assert email_confirm(token).email_confirmed_at is not None
    [delivery] = deliveries_create([event], timezone.now())
    assert delivery.channel == Channel.EMAIL


def test_confirmation_token_is_bound_to_the_address(event_for_watch):
    """A link sent to an old address does not confirm a new one."""
    model, _ = event_for_watch
    watch = Watch.objects.create(model=model, email="old@example.com")
    token = email_confirm_token(watch)
    watch.email = "new@example.com"
    watch.save()
    assert email_confirm(token) is None
    assert email_confirm(token + "x") is None
    watch.refresh_from_db()
    assert watch.email_confirmed_at is None
