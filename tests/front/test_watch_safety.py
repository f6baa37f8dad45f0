"""The public watch pages against abuse: creation is rate-limited per client, the
manage page shows no attempt details, e-mail needs a confirmed address, and the
form says truthfully what it could not check."""

from __future__ import annotations

import socket

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from catalog.models import CatalogEvent, EventKind
from changes.models import Channel, Delivery, Watch
from changes.watches import email_confirm_token
from tests.support.factories import make_model

pytestmark = pytest.mark.django_db


@pytest.fixture
def model():
    return make_model("acme/one")


@pytest.fixture
def offline(monkeypatch) -> None:
    """No DNS answers (a server without a resolver)."""

    def getaddrinfo(host, *args, **kwargs):
        raise socket.gaierror(socket.EAI_AGAIN, "Temporary failure in name resolution")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


def test_watch_creation_is_rate_limited_per_client(client, model, settings):
    """Past the limit a client gets a 429 saying when to come back; another client
    is not affected."""
    settings.WATCH_CREATE_LIMIT = 3
    data = {"target": model.slug, "email": "a@example.com"}
    for _ in range(3):
        assert client.post("/watch", data).status_code == 201
    response = client.post("/watch", data)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    text = response.content.decode()
    assert "Too many watches from your address: at most 3 every hour" in text
    assert Watch.objects.count() == 3
    other = client.post("/watch", data, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 201


def test_offline_check_says_what_could_not_be_checked(client, model, offline):
    """No DNS: the form names the lookup that failed, and nothing else."""
    data = {"target": model.slug, "webhook_url": "https://example.com/hook"}
    response = client.post("/watch", data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "could not look up example.com (DNS is not answering" in text
    assert "could not be checked" in text
    assert "not a public internet address" not in text
    assert "Give a webhook URL, an e-mail address, or both." not in text


def test_manage_page_shows_statuses_but_no_codes_or_errors(client, model):
    """Response codes and error texts would make the page a port scanner."""
    watch = Watch.objects.create(model=model, webhook_url="https://example.com/x")
    event = CatalogEvent.objects.create(
        kind=EventKind.PRICE, model=model, observed_at=timezone.now()
    )
    Delivery.objects.create(
        watch=watch,
        event=event,
        channel=Channel.WEBHOOK,
        status="failed",
        response_code=418,
        error="ConnectError: connection refused by 10.9.8.7:6379",
        scheduled_for=timezone.now(),
    )
    page = client.get(watch.get_absolute_url()).content.decode()
    assert "Failed" in page
    assert "418" not in page and "10.9.8.7" not in page and "refused" not in page


class RefusingMailServer(BaseEmailBackend):
    """A mail server that is not there (no SMTP server on the host, say)."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError(111, "Connection refused")


def test_email_watch_waits_for_its_confirmation(client, model):
    """Creating an e-mail watch sends the confirmation e-mail; the link's button
    confirms the address."""
    response = client.post("/watch", {"target": model.slug, "email": "a@example.com"})
    assert response.status_code == 201
    assert "We sent a confirmation link to a@example.com" in response.content.decode()
    watch = Watch.objects.get()
    assert watch.email_confirmed_at is None
    [message] = mail.outbox
    assert message.to == ["a@example.com"]
    assert email_confirm_token(watch) in message.body
    link = reverse("watch-email-confirm", kwargs={"token": email_confirm_token(watch)})
    assert (
        client.get(link).status_code == 200
    )  # a button: mail scanners confirm nothing
    watch.refresh_from_db()
    assert watch.email_confirmed_at is None
    assert "confirmed" in client.post(link).content.decode()
    watch.refresh_from_db()
    assert watch.email_confirmed_at is not None


def test_bad_confirmation_link_is_a_400(client, model):
    link = reverse("watch-email-confirm", kwargs={"token": "not-a-token"})
    response = client.post(link)
    assert response.status_code == 400
    assert "does not work" in response.content.decode()


def test_confirmation_can_be_sent_again_from_the_manage_page(client, model):
    watch = Watch.objects.create(model=model, email="a@example.com")
    response = client.post(watch.get_absolute_url(), {"action": "resend-confirmation"})
    assert "Confirmation link sent again" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["a@example.com"]]


def test_a_confirmation_that_could_not_be_sent_says_so_and_offers_a_retry(
    client, model, settings, caplog
):
    """No mail server: the page says the link was not sent (never "we sent"), and
    offers to try again; the console has one line about it, no traceback."""
    settings.EMAIL_BACKEND = f"{__name__}.RefusingMailServer"
    response = client.post("/watch", {"target": model.slug, "email": "a@example.com"})
    assert response.status_code == 201
    page = response.content.decode()
    assert "We sent" not in page
    assert "could not be sent" in page
    watch = Watch.objects.get()
    retry = page.split('id="confirm-problem"', 1)[1]
    assert f'action="{watch.get_absolute_url()}"' in retry
    assert 'value="resend-confirmation"' in retry
    [record] = [r for r in caplog.records if "not sent" in r.getMessage()]
    assert "ConnectionRefusedError" in record.getMessage()
    assert record.exc_info is None
    # Trying again, still refused: said again, still not confirmed.
    again = client.post(watch.get_absolute_url(), {"action": "resend-confirmation"})
    assert "could not be sent" in again.content.decode()
    assert "Confirmation link sent again" not in again.content.decode()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    client.post(watch.get_absolute_url(), {"action": "resend-confirmation"})
    assert [m.to for m in mail.outbox] == [["a@example.com"]]


@pytest.mark.slow
@pytest.mark.parametrize(
    "url", ["http://[64:ff9b::7f00:1]/x", "http://0x7f000001/x", "ftp://example.com/x"]
)
def test_admin_edit_runs_the_same_webhook_check(admin_client, model, url):
    """A superuser's edit cannot point a watch at a refused address either."""
    watch = Watch.objects.create(model=model, webhook_url="https://example.com/x")
    change = reverse("admin:changes_watch_change", args=[watch.pk])
    response = admin_client.post(
        change,
        {
            "model": model.pk,
            "provider": "",
            "events": "[]",
            "webhook_url": url,
            "email": "",
            "active": "on",
        },
    )
    assert response.status_code == 200  # the form again, with the reason
    assert "errorlist" in response.content.decode()
    watch.refresh_from_db()
    assert watch.webhook_url == "https://example.com/x"


@pytest.mark.slow
def test_admin_change_of_address_needs_a_new_confirmation(
    admin_client, model, queued_tasks
):
    watch = Watch.objects.create(
        model=model, email="old@example.com", email_confirmed_at=timezone.now()
    )
    change = reverse("admin:changes_watch_change", args=[watch.pk])
    admin_client.post(
        change,
        {
            "model": model.pk,
            "provider": "",
            "events": "[]",
            "webhook_url": "",
            "email": "new@example.com",
            "active": "on",
        },
    )
    watch.refresh_from_db()
    assert watch.email == "new@example.com" and watch.email_confirmed_at is None
    assert queued_tasks == [("changes.send_email_confirmation", {"watch_id": watch.pk})]


def test_ipv6_clients_are_counted_by_their_64(client, model, settings):
    """One /64 is one client (every CDN counts so): new addresses in it share a
    budget; the next /64 has its own. An IPv4-mapped address counts as its IPv4."""
    settings.WATCH_CREATE_LIMIT = 2
    data = {"target": model.slug, "email": "a@example.com"}
    for host in ("2001:db8:1:2::1", "2001:db8:1:2:ffff:ffff:ffff:fffe"):
        assert client.post("/watch", data, REMOTE_ADDR=host).status_code == 201
    assert (
        client.post("/watch", data, REMOTE_ADDR="2001:db8:1:2::99").status_code == 429
    )
    assert client.post("/watch", data, REMOTE_ADDR="2001:db8:1:3::1").status_code == 201
    for host in ("192.0.2.7", "::ffff:192.0.2.7"):
        client.post("/watch", data, REMOTE_ADDR=host)
    assert client.post("/watch", data, REMOTE_ADDR="192.0.2.7").status_code == 429
