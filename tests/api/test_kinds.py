"""/api/v1's other catalogues: embeddings, images (with endpoints) and videos, in
upstream's shapes, each response valid against the published spec's schema."""

from __future__ import annotations

import pytest

from catalog.syncs import sync_embeddings, sync_images, sync_videos
from demo import kinds as demo_kinds
from tests.api.conftest import spec_validator

pytestmark = pytest.mark.django_db


@pytest.fixture
def kinds_synced(mock_upstream):
    for sync in (sync_embeddings, sync_images, sync_videos):
        sync()
    return mock_upstream


def _valid(name: str, body: dict) -> None:
    errors = [e.message for e in spec_validator(name).iter_errors(body)]
    assert errors == []


def _ids(kind: str) -> list[str]:
    return [item["id"] for item in demo_kinds.body_of(kind)["data"]]


def test_embeddings_models_as_upstreams_model_list(client, kinds_synced):
    response = client.get("/api/v1/embeddings/models")
    assert response.status_code == 200
    body = response.json()
    _valid("ModelsListResponse", body)
    assert [m["id"] for m in body["data"]] == _ids("embeddings")
    assert body["total_count"] == len(_ids("embeddings"))
    first = body["data"][0]
    sent = demo_kinds.body_of("embeddings")["data"][0]
    assert first["pricing"] == sent["pricing"]
    assert first["architecture"]["output_modalities"] == ["embeddings"]
    assert first["modelboard"]["page_url"].endswith(
        "/embeddings/openai/text-embedding-3-small"
    )


def test_embeddings_models_page_with_offset_and_limit(client, kinds_synced):
    body = client.get("/api/v1/embeddings/models?offset=10&limit=5").json()
    _valid("ModelsListResponse", body)
    assert [m["id"] for m in body["data"]] == _ids("embeddings")[10:15]
    assert body["links"]["next"] is None
    first = client.get("/api/v1/embeddings/models?limit=5").json()
    assert "offset=5" in first["links"]["next"]


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=1001", "offset=-1", "limit=x", "offset=3&limit=", "offset="],
)
def test_bad_paging_is_a_400_that_says_why(client, kinds_synced, query):
    response = client.get(f"/api/v1/embeddings/models?{query}")
    assert response.status_code == 400
    _valid("BadRequestResponse", response.json())
    assert "Invalid query parameter" in response.json()["error"]["message"]


def test_images_models_as_polled(client, kinds_synced):
    body = client.get("/api/v1/images/models").json()
    _valid("ImageModelsListResponse", body)
    assert body["data"] == demo_kinds.body_of("images")["data"]


def test_image_model_endpoints_as_polled(client, kinds_synced):
    for model_id in _ids("images"):
        response = client.get(f"/api/v1/images/models/{model_id}/endpoints")
        assert response.status_code == 200, model_id
        body = response.json()
        _valid("ImageModelEndpointsResponse", body)
        assert body == {
            "id": model_id,
            "endpoints": demo_kinds.body_of("images")["endpoints"][model_id],
        }


def test_an_unknown_image_model_is_a_404(client, kinds_synced):
    response = client.get("/api/v1/images/models/openai/gpt-4o/endpoints")
    assert response.status_code == 404
    _valid("NotFoundResponse", response.json())


def test_videos_models_as_polled(client, kinds_synced):
    body = client.get("/api/v1/videos/models").json()
    _valid("VideoModelsListResponse", body)
    assert body["data"] == demo_kinds.body_of("videos")["data"]


def test_the_chat_list_does_not_list_them(client, kinds_synced):
    body = client.get("/api/v1/models").json()
    assert body["data"] == [] and body["total_count"] == 0
    assert client.get("/api/v1/models/count").json()["data"]["count"] == 0


def test_each_route_is_in_the_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/embeddings/models",
        "/images/models",
        "/images/models/{author}/{slug}/endpoints",
        "/videos/models",
    ):
        assert "200" in paths[path]["get"]["responses"], path
