"""An upstream that trickles or floods: each request ends at its overall deadline or
size cap, and the run fails with a reason that says which limit was hit."""

from __future__ import annotations

import time

import httpx
import pytest

from catalog.models import SyncRun
from catalog.runs import SyncFailed
from catalog.sources.base import HttpClient, PermanentError, TransientError
from catalog.syncs import sync_catalog

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def test_drip_feed_fails_the_run_at_the_deadline(upstream, settings):
    """One byte every 1.5 s never trips a 2 s read timeout; the 2 s deadline ends
    the request at 2 s (the socket is shut, not left until the next byte)."""
    settings.HTTP_DEADLINE_SECONDS = 2
    settings.HTTP_TIMEOUT_SECONDS = 20
    upstream.inject("drip", path="/api/v1/models", delay=1.5)
    started = time.monotonic()
    with pytest.raises(SyncFailed) as failed:
        sync_catalog()
    elapsed = time.monotonic() - started
    # Ended by the deadline, not by the next byte (due at 3 s); the margin is a
    # busy machine's.
    assert 2 <= elapsed < 2.9
    assert failed.value.transient
    run = SyncRun.objects.get(kind="catalog")
    assert run.status == "failed"
    assert "within the 2 s deadline (HTTP_DEADLINE_SECONDS)" in run.error


def test_oversized_body_fails_the_run_at_the_cap(upstream, settings):
    """A 400 MB body is refused once 8 MB have come in, as a permanent failure."""
    settings.HTTP_MAX_RESPONSE_MB = 8
    upstream.inject("huge", path="/api/v1/models", size=400 * MB)
    with pytest.raises(SyncFailed) as failed:
        sync_catalog()
    assert not failed.value.transient
    run = SyncRun.objects.get(kind="catalog")
    assert run.status == "failed"
    assert "response too large: over the 8 MB cap (HTTP_MAX_RESPONSE_MB)" in run.error


def _client(answer, **limits) -> HttpClient:
    return HttpClient(
        timeout=5,
        user_agent="test",
        transport=httpx.MockTransport(answer),
        **limits,
    )


def test_announced_length_over_the_cap_is_refused_before_reading():
    """A Content-Length above the cap fails at once: no body is read."""
    read = []

    def body():
        read.append(1)
        yield b"{}"

    def answer(request: httpx.Request) -> httpx.Response:
        headers = {"content-type": "application/json", "content-length": str(9 * MB)}
        return httpx.Response(200, headers=headers, content=body())

    with pytest.raises(PermanentError, match="too large"):
        _client(answer, max_bytes=8 * MB).get_json("http://upstream.test/models")
    assert read == []


def test_body_under_the_cap_and_deadline_is_decoded():
    """The limits leave ordinary answers alone."""

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"data": [1, 2]})

    client = _client(answer, max_bytes=1024, deadline=5)
    assert client.get_json("http://upstream.test/models") == {"data": [1, 2]}


def test_deadline_error_is_transient_and_names_the_setting():
    """A slow upstream may be faster next time: the failure is retried."""

    def answer(request: httpx.Request) -> httpx.Response:
        def slow():
            yield b'{"data":'
            time.sleep(0.3)
            yield b"[]}"

        return httpx.Response(
            200, headers={"content-type": "application/json"}, content=slow()
        )

    with pytest.raises(TransientError, match="HTTP_DEADLINE_SECONDS"):
        _client(answer, deadline=0.2).get_json("http://upstream.test/models")


@pytest.mark.slow
def test_headers_dripped_byte_by_byte_end_at_the_deadline(upstream, settings):
    """The deadline bounds the whole exchange, the status line and headers too:
    one header byte every 0.1 s (about 20 s for them all) never trips a read
    timeout, and the request still ends at the 2 s deadline."""
    settings.HTTP_DEADLINE_SECONDS = 2
    settings.HTTP_TIMEOUT_SECONDS = 20
    upstream.inject("drip-headers", path="/api/v1/models", delay=0.1)
    started = time.monotonic()
    with pytest.raises(SyncFailed) as failed:
        sync_catalog()
    elapsed = time.monotonic() - started
    assert elapsed < 2 + 1
    assert failed.value.transient
    run = SyncRun.objects.get(kind="catalog")
    assert run.status == "failed"
    assert "within the 2 s deadline (HTTP_DEADLINE_SECONDS)" in run.error
