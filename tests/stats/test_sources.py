"""Parsing of every stats shape, over real HTTP (demo upstream) or a mock transport."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import httpx
import pytest

from catalog.sources.base import HttpClient, PermanentError
from stats import sources

NOW = datetime(2026, 7, 20, 13, 7, tzinfo=UTC)


def client(api_key: str = "") -> HttpClient:
    return HttpClient(timeout=2, user_agent="test", api_key=api_key,
                      requests_per_second=1000)  # fmt: skip


def mocked(body, content_type: str = "application/json") -> HttpClient:
    def handler(request: httpx.Request) -> httpx.Response:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        return httpx.Response(200, content=raw, headers={"content-type": content_type})

    return HttpClient(timeout=2, user_agent="test",
                      transport=httpx.MockTransport(handler))  # fmt: skip


@pytest.fixture
def site():
    from demo.server import DemoUpstream

    with DemoUpstream(port=0, snapshot="2025-05-22", now=NOW) as server:
        yield server


def test_model_activity_days(site):
    fetched = sources.fetch_model_activity(
        client(), site.url, "liquid/lfm-40b", "standard"
    )
    assert len(fetched.records) == 90 and not fetched.errors
    first, last = fetched.records[0], fetched.records[-1]
    assert first.date == date(2026, 4, 21) and last.date == date(2026, 7, 19)
    assert last.prompt > 0 and last.completion > 0 and last.requests > 0


def test_top_apps(site):
    fetched = sources.fetch_top_apps(client(), site.url, "liquid/lfm-40b", "standard")
    assert 3 <= len(fetched.records) <= 8
    top = fetched.records[0]
    assert top.rank == 1 and top.tokens > 0 and top.app.title and top.app.id


def test_endpoint_uptime_hours(site):
    fetched = sources.fetch_endpoint_uptime(client(), site.url, "some-endpoint-id")
    assert len(fetched.records) == 72
    assert fetched.records[-1].hour == datetime(2026, 7, 20, 13, tzinfo=UTC)


def test_model_uptime_overall_and_providers(site):
    uptime = sources.fetch_model_uptime(client(), site.url, "liquid/lfm-40b")
    assert len(uptime.hourly) == 72
    assert set(uptime.providers) == {"liquid", "lambda"}


def test_old_paths_answer_when_v1_is_gone(site):
    site.inject("404", path="/api/frontend/v1/")
    fetched = sources.fetch_model_activity(
        client(), site.url, "liquid/lfm-40b", "standard"
    )
    assert len(fetched.records) == 90
    assert fetched.url.endswith("/api/frontend/stats/model-activity")


def test_data_api_shapes(site):
    http, start, end = client("sk-test"), date(2026, 7, 1), date(2026, 7, 2)
    ranked = sources.fetch_rankings_daily(http, site.base_url, start, end)
    assert {r.date for r in ranked.records} == {start, end}
    assert any(r.permaslug == "other" for r in ranked.records)
    apps = sources.fetch_app_rankings(http, site.base_url, start, end)
    assert apps.records[0].rank == 1 and apps.records[0].tokens > 0
    own = sources.fetch_account_activity(http, site.base_url)
    assert own.records and own.records[0].model


def test_data_api_without_key_is_a_permanent_error(site):
    with pytest.raises(PermanentError, match="HTTP 401"):
        sources.fetch_account_activity(client(), site.base_url)


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ({"data": "oops", "unexpected": 1}, "application/json",
         "expected {data: {analytics: [...]}}"),
        (b"<!DOCTYPE html><html>Bad gateway</html>", "text/html",
         "expected JSON, got text/html"),
        (b'{"data": {"analytics": [', "application/json", "unparseable JSON"),
        ({"data": {"analytics": {"a": 1}}}, "application/json",
         "expected {data: {analytics: [...]}}"),
    ],
)  # fmt: skip
def test_wrong_bodies_fail_with_a_readable_reason(body, content_type, reason):
    with pytest.raises(PermanentError) as failed:
        sources.fetch_model_activity(
            mocked(body, content_type), "http://x", "a/b", "standard"
        )
    assert reason in str(failed.value)


def test_bad_rows_are_skipped_and_reported():
    body = {"data": {"analytics": [
        {"date": "2026-07-01 00:00:00", "total_prompt_tokens": "12", "count": 1},
        {"date": "yesterday", "total_prompt_tokens": 1},
        {"date": "2026-07-02", "total_prompt_tokens": -5},
        {"date": "2026-07-03", "total_prompt_tokens": True},
    ]}}  # fmt: skip
    fetched = sources.fetch_model_activity(mocked(body), "http://x", "a/b", "standard")
    assert [r.prompt for r in fetched.records] == [12]
    assert len(fetched.errors) == 3
    assert fetched.errors[0].item == "row yesterday"


def test_top_apps_accept_numeric_and_string_ids():
    body = {"data": {"top_apps": [
        {"rank": 1, "total_tokens": "99", "app": {"id": 7, "title": "A"}},
        {"rank": 2, "total_tokens": 5, "app": {"id": "x-1"}},
        {"rank": 3, "total_tokens": "5", "app": None},
    ]}}  # fmt: skip
    fetched = sources.fetch_top_apps(mocked(body), "http://x", "a/b", "standard")
    assert [(t.app.id, t.tokens) for t in fetched.records] == [("7", 99), ("x-1", 5)]
    assert len(fetched.errors) == 1
