"""The official OpenRouter Python SDK reads the other catalogues over HTTP:
embeddings.list_models, images.list_models and list_model_endpoints,
video_generation.list_videos_models parse, and what they hold is the demo's."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openrouter import OpenRouter, errors
from openrouter.utils import BackoffStrategy, RetryConfig

from catalog.syncs import sync_embeddings, sync_images, sync_videos
from demo import kinds as demo_kinds

pytestmark = [
    pytest.mark.http,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

NO_RETRIES = RetryConfig("none", BackoffStrategy(1, 1, 1, 1), False)


@pytest.fixture
def sdk(live_server, mock_upstream) -> OpenRouter:
    for sync in (sync_embeddings, sync_images, sync_videos):
        sync()
    return OpenRouter(
        api_key="unused",
        server_url=live_server.url + "/api/v1",
        retry_config=NO_RETRIES,
        timeout_ms=30_000,
    )


def _demo(kind: str) -> list[dict]:
    return demo_kinds.body_of(kind)["data"]


def test_embeddings_list_models(sdk):
    response = sdk.embeddings.list_models()
    assert response is not None
    models = response.result.data
    assert [m.id for m in models] == [m["id"] for m in _demo("embeddings")]
    assert response.result.total_count == len(models)
    for model, sent in zip(models, _demo("embeddings"), strict=True):
        assert model.pricing.prompt == sent["pricing"]["prompt"]
        assert "embeddings" in model.architecture.output_modalities
        assert model.context_length == sent["context_length"]
    cheapest = min(models, key=lambda m: Decimal(m.pricing.prompt))
    assert cheapest.id == "sentence-transformers/all-minilm-l6-v2"


def test_embeddings_list_models_pages(sdk):
    page = sdk.embeddings.list_models(offset=0, limit=5)
    ids = []
    while page is not None:
        ids += [m.id for m in page.result.data]
        page = page.next()
    assert ids == [m["id"] for m in _demo("embeddings")]


def test_images_list_models_and_endpoints(sdk):
    listed = sdk.images.list_models().data
    assert [m.id for m in listed] == [m["id"] for m in _demo("images")]
    assert all("image" in m.architecture.output_modalities for m in listed)
    lines = 0
    for model in listed:
        author, slug = model.id.split("/", 1)
        found = sdk.images.list_model_endpoints(author=author, slug=slug)
        sent = demo_kinds.body_of("images")["endpoints"][model.id]
        assert found.id == model.id
        assert [e.provider_slug for e in found.endpoints] == [
            e["provider_slug"] for e in sent
        ]
        for endpoint, raw in zip(found.endpoints, sent, strict=True):
            assert [(p.billable, p.unit, p.cost_usd) for p in endpoint.pricing] == [
                (p["billable"], p["unit"], p["cost_usd"]) for p in raw["pricing"]
            ]
            lines += len(endpoint.pricing)
    assert lines == sum(
        len(e["pricing"])
        for eps in demo_kinds.body_of("images")["endpoints"].values()
        for e in eps
    )


def test_an_unknown_image_model_is_the_sdks_not_found(sdk):
    with pytest.raises(errors.NotFoundResponseError):
        sdk.images.list_model_endpoints(author="nobody", slug="none")


def test_video_generation_list_videos_models(sdk):
    models = sdk.video_generation.list_videos_models().data
    assert [m.id for m in models] == [m["id"] for m in _demo("videos")]
    for model, sent in zip(models, _demo("videos"), strict=True):
        assert model.pricing_skus == sent["pricing_skus"]
        assert model.supported_durations == sent["supported_durations"]
        assert model.generate_audio == sent["generate_audio"]
