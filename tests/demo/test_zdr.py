"""The demo's /endpoints/zdr: spec-shaped items, each the endpoint its model's
list serves, chosen by the seeded rule, the same on every request; a hostile
catalogue never breaks it."""

from __future__ import annotations

from demo.server import DemoUpstream
from demo.zdr import is_zdr
from tests.api.conftest import spec_validator

PATH = "/api/v1/endpoints/zdr"
PUBLISHED_REQUIRED = {
    "name",
    "model_id",
    "model_name",
    "context_length",
    "pricing",
    "provider_name",
    "tag",
    "quantization",
    "max_completion_tokens",
    "max_prompt_tokens",
    "supported_parameters",
    "uptime_last_30m",
    "uptime_last_5m",
    "uptime_last_1d",
    "supports_implicit_caching",
    "latency_last_30m",
    "throughput_last_30m",
}


def test_items_are_public_endpoints_its_models_serve():
    demo = DemoUpstream(port=0, snapshot="2026-pricing")
    data = demo.handle("GET", PATH, {}, b"").payload["data"]
    assert len(data) > 10
    # The published spec's PublicEndpoint (2026-08-22): its required keys, and
    # the schema's types for what is there (api/openrouter-schemas.json also
    # requires the keys later SDKs added, which the demo's endpoints predate).
    validator = spec_validator("PublicEndpoint")
    for item in data:
        assert item.keys() >= PUBLISHED_REQUIRED, item["name"]
        # Beside the demo's provider spellings the spec's closed list lacks.
        problems = [
            e.message
            for e in validator.iter_errors(item)
            if e.validator != "required" and list(e.path) != ["provider_name"]
        ]
        assert problems == [], item["name"]
    keys = [(item["model_id"], item["tag"]) for item in data]
    assert len(set(keys)) == len(keys) and all(is_zdr(*key) for key in keys)
    for item in data[:5]:
        path = f"/api/v1/models/{item['model_id']}/endpoints"
        served = demo.handle("GET", path, {}, b"").payload["data"]["endpoints"]
        assert item in [{k: v for k, v in e.items() if k != "id"} for e in served]
    again = demo.handle("GET", PATH, {}, b"").payload["data"]
    assert [(i["model_id"], i["tag"]) for i in again] == keys


def test_a_hostile_catalogue_still_answers():
    demo = DemoUpstream(port=0, snapshot="2025-05-22")
    demo.serve_catalogue(
        [None, 1, "x", {"id": "a/b", "pricing": "x"}, {"id": "c/d", "pricing": {}}]
    )
    response = demo.handle("GET", PATH, {}, b"")
    assert response.status == 200
    assert isinstance(response.payload["data"], list)
