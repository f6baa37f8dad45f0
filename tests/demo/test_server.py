"""Tests of the demo upstream over real HTTP (no database needed)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from demo import snapshots
from demo.server import DemoUpstream

NOW = datetime(2026, 5, 1, 12, 2, tzinfo=UTC)
KEY = {"Authorization": "Bearer sk-or-demo"}
LFM = "/api/v1/models/liquid/lfm-40b/endpoints"


@pytest.fixture
def demo() -> Iterator[DemoUpstream]:
    with DemoUpstream(port=0, snapshot="2025-05-22", now=NOW) as server:
        yield server


@pytest.fixture
def client(demo: DemoUpstream) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=demo.url, timeout=10) as c:
        yield c


def get_json(client: httpx.Client, path: str, **kwargs: Any) -> Any:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


# ------------------------------------------------------------------ models


@pytest.mark.parametrize(
    ("name", "count"),
    [("2025-04-24", 301), ("2025-05-12", 320), ("2025-05-22", 321), ("history:0", 344)],
)
def test_snapshot_model_counts(
    demo: DemoUpstream, client: httpx.Client, name: str, count: int
) -> None:
    demo.set_snapshot(name)
    body = get_json(client, "/api/v1/models?output_modalities=all")
    assert len(body["data"]) == count


def test_urls_and_headers(demo: DemoUpstream, client: httpx.Client) -> None:
    assert demo.base_url == demo.url + "/api/v1"
    response = client.get("/api/v1/models")
    assert response.headers["cache-control"] == "s-maxage=300"
    assert ("GET", "/api/v1/models", pytest.approx(demo.requests[-1][2])) == (
        demo.requests[-1]
    )


def test_history_is_served_verbatim(demo: DemoUpstream, client: httpx.Client) -> None:
    assert DemoUpstream.history_length() == 63 == snapshots.HISTORY_DAYS
    demo.set_snapshot("history:5")
    assert get_json(client, "/api/v1/models")["data"] == DemoUpstream.history_snapshot(
        5
    )


def test_unknown_snapshot_is_rejected(demo: DemoUpstream) -> None:
    with pytest.raises(ValueError):
        demo.set_snapshot("history:63")


def test_advance(demo: DemoUpstream) -> None:
    assert demo.advance() == "history:0"
    assert demo.advance() == "history:1"
    demo.set_snapshot("history:62")
    assert demo.advance() == "history:62"


@pytest.mark.http
def test_replay_advances_once_per_models_request_and_stops() -> None:
    with DemoUpstream(port=0, replay=True, now=NOW) as demo, httpx.Client() as c:
        assert demo.snapshot == "history:0"
        first = c.get(demo.base_url + "/models").json()["data"]
        assert first == DemoUpstream.history_snapshot(0)
        c.get(demo.base_url + "/providers")  # other paths do not advance
        assert demo.snapshot == "history:1"
        demo.set_snapshot("history:61")
        c.get(demo.base_url + "/models")
        last = c.get(demo.base_url + "/models").json()["data"]
        assert last == DemoUpstream.history_snapshot(62)
        c.get(demo.base_url + "/models")
        assert demo.snapshot == "history:62"


# ------------------------------------------------------------------ endpoints


def test_lfm_40b_endpoints(client: httpx.Client) -> None:
    data = get_json(client, LFM)["data"]
    assert data["id"] == "liquid/lfm-40b"
    liquid, lam = data["endpoints"]
    assert (liquid["name"], liquid["tag"], liquid["context_length"]) == (
        "Liquid | liquid/lfm-40b",
        "liquid",
        32768,
    )
    assert (lam["name"], lam["tag"], lam["context_length"]) == (
        "Lambda | liquid/lfm-40b",
        "lambda",
        65536,
    )
    assert lam["max_completion_tokens"] == 65536
    for endpoint in (liquid, lam):
        assert endpoint["pricing"]["prompt"] == "0.00000015"
        assert endpoint["pricing"]["completion"] == "0.00000015"
        assert len(endpoint["id"]) == 36


def test_recorded_gemini_endpoints(client: httpx.Client) -> None:
    data = get_json(client, "/api/v1/models/google/gemini-2.5-pro-preview/endpoints")
    assert [e["tag"] for e in data["data"]["endpoints"]] == [
        "google-vertex",
        "google-ai-studio",
    ]


def test_synthesised_endpoints_shape(client: httpx.Client) -> None:
    models = get_json(client, "/api/v1/models")["data"]
    provider_names = {p["name"] for p in get_json(client, "/api/v1/providers")["data"]}
    for model in models[:60]:
        data = get_json(client, f"/api/v1/models/{model['id']}/endpoints")["data"]
        if model["id"] == "google/gemini-2.5-pro-preview":
            continue  # the real recording, checked above
        if model["pricing"]["prompt"] == "-1":
            assert data["endpoints"] == []
            continue
        assert 1 <= len(data["endpoints"]) <= 5
        for endpoint in data["endpoints"]:
            assert endpoint["provider_name"] in provider_names
            assert endpoint["status"] in (0, -1, -2)
            for key in ("latency_last_30m", "throughput_last_30m"):
                p = endpoint[key]
                assert p["p50"] <= p["p75"] <= p["p90"] <= p["p99"]


def test_router_has_no_endpoints(client: httpx.Client) -> None:
    assert (
        get_json(client, "/api/v1/models/openrouter/auto/endpoints")["data"][
            "endpoints"
        ]
        == []
    )


def test_free_variant_and_url_encoding(client: httpx.Client) -> None:
    models = get_json(client, "/api/v1/models")["data"]
    free = next(m["id"] for m in models if m["id"].endswith(":free"))
    author, slug = free.split("/")
    plain = get_json(client, f"/api/v1/models/{free}/endpoints")
    encoded = get_json(
        client, f"/api/v1/models/{author}/{slug.replace(':', '%3A')}/endpoints"
    )
    assert plain == encoded
    assert plain["data"]["id"] == free


def test_canonical_slug_is_accepted(demo: DemoUpstream, client: httpx.Client) -> None:
    demo.set_snapshot("history:0")
    model = next(
        m for m in DemoUpstream.history_snapshot(0) if m["canonical_slug"] != m["id"]
    )
    by_slug = get_json(client, f"/api/v1/models/{model['canonical_slug']}/endpoints")
    by_id = get_json(client, f"/api/v1/models/{model['id']}/endpoints")
    assert by_slug["data"]["id"] == by_id["data"]["id"]


def test_unknown_model_is_404(client: httpx.Client) -> None:
    response = client.get("/api/v1/models/nobody/nothing/endpoints")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": 404, "message": "Model not found"}}


def test_endpoints_are_deterministic_and_roll_every_5_minutes(
    demo: DemoUpstream, client: httpx.Client
) -> None:
    path = "/api/v1/models/meta-llama/llama-3.3-70b-instruct/endpoints"
    first, again = get_json(client, path), get_json(client, path)
    assert first == again
    with DemoUpstream(port=0, snapshot="2025-05-22", now=NOW) as other:
        assert httpx.get(other.url + path).json() == first  # same in another server
    demo.now = NOW + timedelta(minutes=5)
    later = get_json(client, path)
    rolling = ("latency_last_30m", "throughput_last_30m")
    before = [{k: e[k] for k in rolling} for e in first["data"]["endpoints"]]
    after = [{k: e[k] for k in rolling} for e in later["data"]["endpoints"]]
    assert before != after
    assert [e["id"] for e in first["data"]["endpoints"]] == [
        e["id"] for e in later["data"]["endpoints"]
    ]


def test_providers(client: httpx.Client) -> None:
    providers = get_json(client, "/api/v1/providers")["data"]
    slugs = {p["slug"] for p in providers}
    assert 25 <= len(providers) <= 45
    assert {
        "liquid",
        "lambda",
        "google-ai-studio",
        "google-vertex",
        "deepinfra",
    } <= slugs
    assert all(s == s.lower() and " " not in s for s in slugs)


# ------------------------------------------------------------------ faults


@pytest.mark.parametrize("kind", ["500", "503"])
def test_server_errors(demo: DemoUpstream, client: httpx.Client, kind: str) -> None:
    demo.inject(kind, path="/api/v1/models", times=2)
    for _ in range(2):
        response = client.get("/api/v1/models")
        assert response.status_code == int(kind)
        assert response.json()["error"]["code"] == int(kind)
    assert client.get("/api/v1/models").status_code == 200


def test_rate_limited(demo: DemoUpstream, client: httpx.Client) -> None:
    demo.inject("429", path="/api/v1/", retry_after=7)
    response = client.get("/api/v1/providers")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.json()["error"]["metadata"]["error_type"] == "rate_limit_exceeded"
    assert client.get("/api/frontend/stats/uptime-hourly?id=x").status_code == 200
    demo.clear_faults()
    assert client.get("/api/v1/providers").status_code == 200


def test_slow_trips_client_timeout(demo: DemoUpstream, client: httpx.Client) -> None:
    demo.inject("slow", path="/api/v1/models", times=1, delay=0.5)
    with pytest.raises(httpx.TimeoutException):
        client.get("/api/v1/models", timeout=0.1)
    assert client.get("/api/v1/models").status_code == 200


def test_slow_answers_normally_after_delay(
    demo: DemoUpstream, client: httpx.Client
) -> None:
    demo.inject("slow", path="/api/v1/providers", times=1, delay=0.2)
    response = client.get("/api/v1/providers")
    assert response.status_code == 200 and response.json()["data"]


def test_drip_sends_the_whole_body_a_byte_at_a_time(
    demo: DemoUpstream, client: httpx.Client
) -> None:
    """Every read gets a byte, so no read timeout trips; the body arrives whole."""
    whole = client.get(LFM).content
    demo.inject("drip", path=LFM, times=1, delay=0.0005)
    with client.stream("GET", LFM) as response:
        chunks = list(response.iter_raw())
    body = b"".join(chunks)
    assert len(chunks) > 20 and body == whole
    assert int(response.headers["content-length"]) == len(body)


def test_drip_headers_sends_the_head_a_byte_at_a_time(
    demo: DemoUpstream, client: httpx.Client
) -> None:
    """The status line and headers trickle in; the answer is whole once they are in."""
    whole = client.get(LFM).content
    demo.inject("drip-headers", path=LFM, times=1, delay=0.0005)
    response = client.get(LFM)
    assert response.status_code == 200 and response.content == whole
    assert response.headers["content-type"].startswith("application/json")


def test_huge_streams_its_size_without_a_length(
    demo: DemoUpstream, client: httpx.Client
) -> None:
    """A huge body is valid JSON of exactly `size` bytes, read until the server
    closes (no Content-Length for a client to refuse up front)."""
    demo.inject("huge", path="/api/v1/models", times=1, size=3 * 1024 * 1024 + 5)
    response = client.get("/api/v1/models")
    assert "content-length" not in response.headers
    assert len(response.content) == 3 * 1024 * 1024 + 5
    assert response.json()["data"] == []


def test_truncated(demo: DemoUpstream, client: httpx.Client) -> None:
    full = client.get("/api/v1/providers").content
    demo.inject("truncated", path="/api/v1/providers", times=1)
    response = client.get("/api/v1/providers")
    assert response.status_code == 200
    assert response.content == full[: len(full) // 2]
    with pytest.raises(ValueError):
        response.json()


def test_html(demo: DemoUpstream, client: httpx.Client) -> None:
    demo.inject("html", times=1)
    response = client.get("/api/v1/models")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "cloudflare" in response.text.lower()


def test_empty(demo: DemoUpstream, client: httpx.Client) -> None:
    demo.inject("empty", times=2)
    assert get_json(client, "/api/v1/models") == {"data": []}
    assert get_json(client, LFM)["data"]["endpoints"] == []


def test_garbage_and_404(demo: DemoUpstream, client: httpx.Client) -> None:
    demo.inject("garbage", path="/api/v1/models", times=1)
    demo.inject("404", path="/api/v1/providers", times=1)
    assert get_json(client, "/api/v1/models") == {"data": "oops", "unexpected": 1}
    assert client.get("/api/v1/providers").status_code == 404
    assert client.get("/api/v1/providers").status_code == 200


# ------------------------------------------------------------------ stats


def test_uptime_hourly(client: httpx.Client) -> None:
    endpoint_id = get_json(client, LFM)["data"]["endpoints"][0]["id"]
    history = get_json(client, f"/api/frontend/stats/uptime-hourly?id={endpoint_id}")[
        "data"
    ]["history"]
    assert len(history) == 72
    assert history[-1]["date"] == "2026-05-01 12:00:00"
    assert all(p["uptime"] is None or 0 <= p["uptime"] <= 100 for p in history)


def test_model_uptime_recent(client: httpx.Client) -> None:
    data = get_json(
        client, "/api/frontend/v1/stats/model-uptime-recent?permaslug=liquid/lfm-40b"
    )["data"]
    assert 0 <= data["availability"] <= 100 and 0 <= data["uptime"] <= 100
    assert len(data["hourly"]) == 72 and len(data["buckets"]) == 144
    assert set(data["buckets"][0]) == {
        "timestamp",
        "availability",
        "availabilityWithoutRouting",
    }
    assert set(data["providers"]) == {"liquid", "lambda"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/frontend/stats/top-apps-for-model",
        "/api/frontend/v1/stats/top-apps-for-model",
    ],
)
def test_top_apps(client: httpx.Client, path: str) -> None:
    data = get_json(client, f"{path}?permaslug=liquid/lfm-40b&variant=standard")["data"]
    apps = data["top_apps"]
    assert 3 <= len(apps) <= 8
    assert [a["rank"] for a in apps] == list(range(1, len(apps) + 1))
    assert isinstance(apps[0]["total_tokens"], str)
    assert {"id", "title", "slug", "origin_url", "categories", "created_at"} <= set(
        apps[0]["app"]
    )
    assert data["top_apps_chart"]


def activity(client: httpx.Client, query: str = "") -> list[dict[str, Any]]:
    url = "/api/frontend/v1/stats/model-activity?permaslug=liquid/lfm-40b" + query
    return get_json(client, url)["data"]["analytics"]


def test_model_activity_has_90_positive_days(client: httpx.Client) -> None:
    rows = activity(client, "&variant=standard")
    assert len(rows) == 90
    assert rows[-1]["date"] == "2026-04-30 00:00:00"
    assert rows[0]["model_permaslug"] == "liquid/lfm-40b"
    assert all(r["total_prompt_tokens"] > 0 and r["count"] > 0 for r in rows)
    assert len(activity(client, "&days=400")) == 400
    assert len(activity(client, "&days=9999")) == 400


def test_model_activity_is_stable_across_now(
    demo: DemoUpstream, client: httpx.Client
) -> None:
    before = {r["date"]: r for r in activity(client)}
    demo.now = NOW + timedelta(days=10, hours=3)
    after = {r["date"]: r for r in activity(client)}
    shared = set(before) & set(after)
    assert len(shared) == 80
    assert all(before[d] == after[d] for d in shared)


def test_model_activity_has_a_weekly_rhythm(client: httpx.Client) -> None:
    rows = activity(client, "&days=364")
    weekday = [r["total_prompt_tokens"] for r in rows if _weekday(r["date"]) < 5]
    weekend = [r["total_prompt_tokens"] for r in rows if _weekday(r["date"]) >= 5]
    assert sum(weekday) / len(weekday) > sum(weekend) / len(weekend)


def _weekday(stamp: str) -> int:
    return datetime.fromisoformat(stamp).weekday()


def test_missing_permaslug_is_400(client: httpx.Client) -> None:
    assert client.get("/api/frontend/v1/stats/model-activity").status_code == 400


# ------------------------------------------------------------------ Data API


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/datasets/rankings-daily",
        "/api/v1/datasets/app-rankings",
        "/api/v1/activity",
    ],
)
def test_keyed_endpoints_need_a_bearer(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401
    assert client.get(path, headers=KEY).status_code == 200


def test_rankings_daily(client: httpx.Client) -> None:
    body = get_json(client, "/api/v1/datasets/rankings-daily", headers=KEY)
    assert body["meta"]["start_date"] == "2026-04-01"
    assert body["meta"]["end_date"] == "2026-04-30"
    assert len(body["data"]) == 30 * 51
    day = [r for r in body["data"] if r["date"] == "2026-04-30"]
    assert day[-1]["model_permaslug"] == "other"
    assert all(isinstance(r["total_tokens"], str) for r in day)
    window = "?start_date=2026-04-29&end_date=2026-04-30"
    again = get_json(client, "/api/v1/datasets/rankings-daily" + window, headers=KEY)
    assert [r for r in again["data"] if r["date"] == "2026-04-30"] == day


def test_app_rankings_and_activity(client: httpx.Client) -> None:
    apps = get_json(client, "/api/v1/datasets/app-rankings?limit=5", headers=KEY)[
        "data"
    ]
    assert [a["rank"] for a in apps] == [1, 2, 3, 4, 5]
    rows = get_json(client, "/api/v1/activity", headers=KEY)["data"]
    assert {r["date"] for r in rows} == {
        (NOW.date() - timedelta(days=n)).isoformat() for n in range(1, 31)
    }
    assert 1 <= len({r["model"] for r in rows}) <= 10


def test_unknown_path_is_404(client: httpx.Client) -> None:
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == 404


# ------------------------------------------------------------------ control API


def test_control_api(demo: DemoUpstream, client: httpx.Client) -> None:
    assert (
        client.post("/_demo/snapshot", json={"name": "2025-04-24"}).status_code == 200
    )
    assert len(get_json(client, "/api/v1/models")["data"]) == 301
    assert client.post("/_demo/snapshot", json={"name": "bogus"}).status_code == 400
    assert client.post("/_demo/advance").json()["snapshot"] == "history:0"
    fault = {"kind": "503", "path": "/api/v1/models", "times": 1}
    assert client.post("/_demo/faults", json=fault).status_code == 200
    state = get_json(client, "/_demo/state")
    assert state["snapshot"] == "history:0" and state["history_length"] == 63
    assert state["faults"][0]["kind"] == "503"
    assert client.get("/api/v1/models").status_code == 503
    client.post("/_demo/faults", json={"kind": "429", "retry_after": 3})
    assert client.delete("/_demo/faults").json()["faults"] == []
    assert client.get("/api/v1/models").status_code == 200
    assert client.post("/_demo/faults", json={"kind": "boom"}).status_code == 400


@pytest.mark.slow
def test_a_catalogue_and_raw_bodies_given_as_data_are_served_as_given():
    """Hostile payloads: a catalogue of anything, and bytes for a path (any query),
    also through the control API."""
    demo = DemoUpstream(port=0)
    demo.serve_catalogue([{"id": "a/b", "context_length": float("nan")}, "junk"])
    body = demo.handle("GET", "/api/v1/models", {}, b"").encoded()
    assert body == b'{"data": [{"id": "a/b", "context_length": NaN}, "junk"]}'
    assert demo.handle("GET", "/api/v1/models/a/b/endpoints", {}, b"").status == 200
    demo.handle(
        "POST",
        "/_demo/bodies",
        {},
        json.dumps({"path": "/api/v1/providers", "body": '{"data": [NaN]}'}).encode(),
    )
    reply = demo.handle("GET", "/api/v1/providers?x=1", {}, b"")
    assert reply.encoded() == b'{"data": [NaN]}'
    demo.handle("DELETE", "/_demo/bodies", {}, b"")
    assert demo.handle("GET", "/api/v1/providers", {}, b"").encoded() != reply.encoded()
    demo.handle(
        "POST", "/_demo/catalogue", {}, json.dumps({"models": [{"id": "c/d"}]}).encode()
    )
    assert b'"c/d"' in demo.handle("GET", "/api/v1/models", {}, b"").encoded()


@pytest.mark.parametrize("version", ["", "v1/"])
def test_history_of_a_model_page(client: httpx.Client, version: str) -> None:
    """The website's endpoint list names each endpoint's id and tag; its latency
    and throughput charts key on those ids (3 days hourly, a week daily); its
    price log ends at the price the endpoints API lists."""
    query = "?permaslug=liquid/lfm-40b&variant=standard"
    base = f"/api/frontend/{version}stats"
    listed = get_json(client, f"{base}/endpoint{query}")["data"]
    ids = {e["provider_slug"]: e["id"] for e in listed}
    assert set(ids) == {"liquid", "lambda"}
    endpoints = get_json(client, "/api/v1/models/liquid/lfm-40b/endpoints")["data"]
    assert {e["tag"]: e["id"] for e in endpoints["endpoints"]} == ids
    for metric in ("latency", "throughput"):
        points = get_json(client, f"{base}/{metric}-comparison{query}")["data"]
        assert len(points) == 72
        keys = {k for p in points for k in p["y"]}
        assert keys == {f"{i}::default" for i in ids.values()}
        values = [v for p in points for v in p["y"].values() if v is not None]
        assert len(values) > 130 and all(v > 0 for v in values)
        week = get_json(client, f"{base}/{metric}-comparison{query}&timeRange=1w")
        assert len(week["data"]) == 7
    series = get_json(client, f"{base}/listed-pricing{query}&shape=v4&range=all")
    prices = {e["tag"]: e["pricing"] for e in endpoints["endpoints"]}
    for s in series["data"]["series"]:
        tag = s["providerSlug"]
        assert s["endpointId"] == ids[tag]
        assert s["input"][-1]["value"] == float(prices[tag]["prompt"]) * 1_000_000
        assert s["output"][-1]["value"] == float(prices[tag]["completion"]) * 1_000_000
        assert s["input"][0]["at"] <= s["input"][-1]["at"]
