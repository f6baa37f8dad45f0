"""Hostile upstream payloads: every class of bad input upstream could send, beside
good items that must still be stored. Served by the demo upstream (serve_catalogue,
serve_body) as raw JSON, NaN and Infinity literals included."""

from __future__ import annotations

import json
from typing import Any

from demo.providers import providers_payload
from demo.snapshots import recorded_models

NUL = "\u0000"
HUGE = "x" * 1_000_000
GOOD_COUNT = 25
NAN, INF = float("nan"), float("inf")


def good_models() -> list[dict[str, Any]]:
    """Recorded models that must come through untouched."""
    return [dict(m) for m in recorded_models("2025-05-22")[:GOOD_COUNT]]


def model(model_id: Any, **fields: Any) -> dict[str, Any]:
    return {
        "id": model_id,
        "name": f"Hostile {model_id}",
        "created": 1_700_000_000,
        "context_length": 8192,
        "architecture": {"modality": "text->text", "tokenizer": "Other"},
        "pricing": {"prompt": "0.000001", "completion": "0.000002"},
    } | fields


# Ids no URL of ours can route: each refused, reported by id.
ODD_IDS = [
    "ëvil/x",
    "changes/x",
    "api/x",
    "admin/x",
    "static/x",
    "watch/x",
    "x/..",
    "x/.",
    "x/./y",
    "x/a%25",
    "x/a?b",
    "x/a#b",
    "x/a b",
    "x/a\u0007",
    f"x/a{NUL}",
]
# Items wrong in one value each: refused, reported by id.
BAD_VALUES = {
    "hostile/nan-context": {"context_length": NAN},
    "hostile/inf-context": {"context_length": INF},
    "hostile/negative-context": {"context_length": -5},
    "hostile/huge-context": {"context_length": 10**30},
    "hostile/nan-price": {"pricing": {"prompt": "NaN", "completion": "0"}},
    "hostile/inf-price": {"pricing": {"prompt": "Infinity", "completion": "0"}},
    "hostile/negative-price": {"pricing": {"prompt": "-5", "completion": "0"}},
    "hostile/huge-price": {"pricing": {"prompt": "1e400", "completion": "0"}},
    "hostile/nan-created": {"created": NAN},
    "hostile/wrong-pricing": {"pricing": ["0.1"]},
    "hostile/wrong-architecture": {"architecture": "text"},
    "hostile/wrong-name": {"name": {"first": "x"}},
    "hostile/wrong-top-provider": {"top_provider": 7},
}
# Items with unstorable text everywhere but valid otherwise: stored, cleaned.
NUL_EVERYWHERE = model(
    "hostile/nul",
    name=f"Nul{NUL} name",
    description=f"Nul{NUL} description \ud800 with a surrogate",
    hugging_face_id=f"hf{NUL}/x",
    architecture={
        "modality": f"text{NUL}->text",
        "input_modalities": [f"text{NUL}"],
        "output_modalities": [f"text{NUL}"],
        "tokenizer": f"GPT{NUL}",
        "instruct_type": f"chatml{NUL}",
    },
    supported_parameters=[f"tools{NUL}", "seed"],
    default_parameters={f"stop{NUL}": [NUL], "temperature": NAN},
    knowledge_cutoff="2025-01-01",
    extra={NUL: NUL, "nested": [{"deep": f"{NUL}{INF}"}], "score": INF},
)
STORED_ODDITIES = [
    NUL_EVERYWHERE,
    model("hostile/huge-description", description=HUGE),
    model("hostile/formula", name='=HYPERLINK("http://evil.example","click")'),
    model("hostile/script", name="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>"),
    model("hostile/controls", name="Bell\u0007 and\u001b escape"),
]  # fmt: skip


def hostile_catalogue() -> list[Any]:
    """Good recorded models, duplicates, odd ids, bad values, junk items."""
    good = good_models()
    duplicate = dict(good[0], name="A second item with the same id")
    items: list[Any] = [*good, duplicate]
    items += [model(i) for i in ODD_IDS]
    items += [model(i, **fields) for i, fields in BAD_VALUES.items()]
    items += STORED_ODDITIES
    items += [model(12345), {"name": "no id"}, "a string", None, [1, 2]]
    return items


def stored_ids() -> list[str]:
    """Every id that must be stored."""
    return [m["id"] for m in good_models()] + [m["id"] for m in STORED_ODDITIES]


def refused_ids() -> list[str]:
    """Every id that must be refused and reported."""
    return [*ODD_IDS, *BAD_VALUES]


def hostile_providers() -> str:
    providers = providers_payload()["data"]
    bad = [
        {"slug": "ëvil", "name": "Evil"},
        {"slug": "..", "name": "Dots"},
        {"slug": f"nul{NUL}", "name": "Nul slug"},
        {"slug": "nulname", "name": f"Nul{NUL} name", "headquarters": f"U{NUL}S"},
        {"slug": "wrongtypes", "name": "Wrong", "datacenters": "US"},
        {"slug": 42, "name": "Number"},
        dict(providers[0], name="Duplicate of the first"),
    ]
    return _raw_json({"data": [*providers, *bad]})


def hostile_endpoints() -> str:
    """One model's endpoints: good ones beside every kind of bad value."""

    def endpoint(tag: str, **fields: Any) -> dict[str, Any]:
        return {
            "name": f"Host | {tag}",
            "provider_name": "DeepInfra",
            "tag": tag,
            "context_length": 8192,
            "pricing": {"prompt": "0.000001", "completion": "0.000002"},
            "uptime_last_30m": 99.0,
            "latency_last_30m": {"p50": 300, "p75": 400, "p90": 500, "p99": 900},
            "throughput_last_30m": {"p50": 50, "p75": 40, "p90": 30, "p99": 10},
        } | fields

    endpoints = [
        endpoint("deepinfra/fp8"),
        endpoint("together", provider_name="Together"),
        endpoint(f"nul{NUL}/fp8", name=f"Nul{NUL} endpoint", quantization=f"fp{NUL}8"),
        endpoint("ëvil/fp8", provider_name="Ëvil Cloud"),
        endpoint("../x", provider_name="Dots"),
        endpoint("nan-latency", latency_last_30m={"p50": NAN}),
        endpoint("inf-throughput", throughput_last_30m={"p50": INF}),
        endpoint("negative-throughput", throughput_last_30m={"p50": -5}),
        endpoint("huge-latency", latency_last_30m={"p50": 1e30}),
        endpoint("uptime-500", uptime_last_30m=500),
        endpoint("uptime-nan", uptime_last_1d=NAN),
        endpoint("status-huge", status=10**30),
        endpoint("nan-price", pricing={"prompt": "NaN"}),
        endpoint("wrong-context", context_length="lots"),
        endpoint("deepinfra/fp8", name="Duplicate tag"),
    ]
    return _raw_json({"data": {"id": "hostile/nul", "endpoints": [*endpoints, 7]}})


BAD_ENDPOINT_TAGS = [
    "nan-latency",
    "inf-throughput",
    "negative-throughput",
    "huge-latency",
    "uptime-500",
    "uptime-nan",
    "status-huge",
    "nan-price",
    "wrong-context",
]


def hostile_activity() -> str:
    rows = [
        {"date": "2026-06-01", "total_prompt_tokens": 10, "total_completion_tokens": 5, "count": 1},
        {"date": "2026-06-02", "total_prompt_tokens": NAN},
        {"date": "2026-06-03", "total_prompt_tokens": -5},
        {"date": "2026-06-04", "total_prompt_tokens": 1e30},
        {"date": "2026-06-05", "total_prompt_tokens": INF},
        {"date": "2026-13-45", "total_prompt_tokens": 1},
        {"date": f"2026-0{NUL}6-06", "total_prompt_tokens": 1},
        {"date": None},
        "junk",
    ]  # fmt: skip
    return _raw_json({"data": {"analytics": rows}})


def hostile_apps() -> str:
    def app(rank: Any, **fields: Any) -> dict[str, Any]:
        return {
            "rank": rank,
            "total_tokens": "100",
            "app": {"id": f"app-{rank}", "title": f"App {rank}"} | fields,
        }

    rows = [
        app(1, main_url="https://good.example"),
        app(2, title=f"Nul{NUL} app", description=f"{NUL}" * 10, categories=[NUL]),
        app(3, main_url="javascript:alert(1)", title="=cmd|' /C calc'!A0"),
        app(0),
        app(NAN),
        {"rank": 5, "total_tokens": -1, "app": {"id": "app-5"}},
        {"rank": 6, "app": "not an object"},
    ]
    return _raw_json({"data": {"top_apps": rows}})


def hostile_uptime() -> str:
    points = [
        {"timestamp": "2026-06-01 10:00:00", "availability": 99.0},
        {"timestamp": "2026-06-01 11:00:00", "availability": NAN},
        {"timestamp": "2026-06-01 12:00:00", "availability": 150},
        {"timestamp": "2026-06-01 13:00:00", "availability": -3},
        {"timestamp": "not a time", "availability": 50},
    ]
    providers = {"deepinfra/fp8": points, "together": "nope", NUL: [points[0]]}
    return _raw_json({"data": {"hourly": points, "providers": providers}})


def hostile_website_endpoints() -> str:
    """The website's endpoint list: ids for the tags, beside rows of no use."""
    rows = [
        {"id": "id-fp8", "provider_slug": "deepinfra/fp8"},
        {"id": "id-together", "provider_slug": "together"},
        {"id": "", "provider_slug": "together"},
        {"id": f"id{NUL}nul", "provider_slug": HUGE},
        {"provider_slug": "deepinfra/fp8"},
        "not an object",
    ]
    return _raw_json({"data": rows})


def hostile_performance() -> str:
    """A performance chart: good hours beside NaN, negative, absurd and odd keys."""
    points = [
        {"x": "2026-06-01 10:00:00", "y": {"id-fp8::default": 300, "id-fp8::flex": 9}},
        {"x": "2026-06-01 11:00:00", "y": {"id-fp8::default": NAN}},
        {"x": "2026-06-01 12:00:00", "y": {"id-fp8::default": -3}},
        {"x": "2026-06-01 13:00:00", "y": {"id-fp8::default": 1e30}},
        {"x": "not a time", "y": {"id-fp8::default": 1}},
        {"x": "2026-06-01 14:00:00", "y": "nope"},
        {"x": "2026-06-01 15:00:00", "y": {f"id-together{NUL}::default": 250}},
        {"x": "2026-06-01 16:00:00", "y": {"unknown-endpoint::default": 1}},
    ]
    return _raw_json({"data": points})


def hostile_listed_prices() -> str:
    """A price log: one good series beside bad points and no points at all."""
    series = [
        {
            "endpointId": "id-fp8",
            "input": [{"at": "2026-05-01T00:00:00Z", "value": 1.0}],
            "output": [{"at": "2026-05-01T00:00:00Z", "value": 2.0}],
        },
        {"endpointId": "id-together", "input": [{"at": "2026-05-01", "value": NAN}]},
        {"endpointId": "id-together", "input": [{"at": "soon", "value": 1}]},
        {"endpointId": "id-together", "input": [{"at": 10**30, "value": 1}]},
        {"endpointId": "id-together", "output": [{"at": "2026-05-01", "value": -1}]},
        {"providerSlug": "together"},
        7,
    ]
    return _raw_json({"data": {"series": series}})


def _raw_json(payload: Any) -> str:
    # NaN and Infinity as bare literals, lone surrogates as escapes: what a broken
    # upstream really sends (allow_nan is the default; ensure_ascii escapes).
    return json.dumps(payload)


def hostile_rankings() -> str:
    first = recorded_models("2025-05-22")[0]["id"]
    rows = [
        {"date": "2026-06-01", "model_permaslug": first, "total_tokens": "1000"},
        {"date": "2026-06-02", "model_permaslug": first, "total_tokens": NAN},
        {"date": "2026-06-03", "model_permaslug": first, "total_tokens": "-5"},
        {"date": "2026-06-04", "model_permaslug": first, "total_tokens": "1e30"},
        {"date": "2026-06-05", "model_permaslug": f"{first}{NUL}", "total_tokens": 1},
        {"date": "2026-06-06", "model_permaslug": None},
    ]
    return _raw_json({"data": rows})


def hostile_account_activity() -> str:
    first = recorded_models("2025-05-22")[0]["id"]
    rows = [
        {"date": "2026-06-01", "model": first, "usage": 0.5, "requests": 3},
        {"date": "2026-06-02", "model": first, "usage": NAN},
        {"date": "2026-06-03", "model": first, "usage": -1},
        {"date": "2026-06-04", "model": first, "usage": INF},
        {
            "date": "2026-06-05",
            "model": f"nul{NUL}/x",
            "usage": 1,
            "provider_name": NUL,
        },
    ]
    return _raw_json({"data": rows})
