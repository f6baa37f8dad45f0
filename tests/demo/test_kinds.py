"""The demo upstream's other catalogues: spec-shaped data for /embeddings/models
(paged as the spec says), /images/models with each model's endpoints, and
/videos/models, every body valid against the spec's schemas."""

from __future__ import annotations

import json

from demo import kinds
from demo.server import DemoUpstream
from tests.api.conftest import spec_validator


def _get(path: str) -> tuple[int, dict]:
    response = DemoUpstream(port=0).handle("GET", path, {}, b"")
    return response.status, json.loads(response.encoded())


def _errors(name: str, body: dict) -> list[str]:
    return [e.message for e in spec_validator(name).iter_errors(body)]


def test_every_body_is_valid_against_the_spec():
    for path, name in (
        ("/api/v1/embeddings/models", "ModelsListResponse"),
        ("/api/v1/images/models", "ImageModelsListResponse"),
        ("/api/v1/videos/models", "VideoModelsListResponse"),
    ):
        status, body = _get(path)
        assert status == 200 and body["data"], path
        assert _errors(name, body) == [], path
    for model in kinds.body_of("images")["data"]:
        status, body = _get(model["endpoints"])
        assert status == 200 and body["id"] == model["id"]
        assert _errors("ImageModelEndpointsResponse", body) == []


def test_embeddings_are_paged_with_offset_and_limit():
    status, body = _get("/api/v1/embeddings/models?offset=4&limit=4")
    everything = [m["id"] for m in kinds.body_of("embeddings")["data"]]
    assert [m["id"] for m in body["data"]] == everything[4:8]
    assert body["links"]["next"] == "/api/v1/embeddings/models?offset=8&limit=4"
    assert body["total_count"] == len(everything)
    assert _get("/api/v1/embeddings/models?limit=x")[0] == 400


def test_an_unknown_image_model_is_a_404():
    assert _get("/api/v1/images/models/openai/gpt-4o/endpoints")[0] == 404


def test_the_data_says_it_is_no_recording():
    for kind in kinds.FILES:
        assert kinds.FILES[kind].startswith("spec-shaped-")
        assert "not a recording" in kinds.body_of(kind)["_note"]
