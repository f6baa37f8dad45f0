"""OpenRouter's official TypeScript SDK (run by Node) reads the other catalogues
over HTTP: embeddings.listModels (every page), images.listModels and
listModelEndpoints, videoGeneration.listVideosModels parse (its zod schemas
validate each response) and hold what the demo upstream serves."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from demo import kinds as demo_kinds
from tests.api.conftest import live_api, reads_outside_a_test_transaction
from tests.support import snapshots
from tests.support.typescript import Call, sdk_calls

pytestmark = [pytest.mark.http, pytest.mark.integration, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


@pytest.fixture(scope="module")
def kinds_api(django_db_setup, django_db_blocker) -> Iterator[str]:
    with snapshots.committed("kinds", django_db_blocker), live_api() as url:
        yield url


def _ids(kind: str) -> list[str]:
    return [m["id"] for m in demo_kinds.body_of(kind)["data"]]


def test_every_list_of_the_other_catalogues_parses(kinds_api):
    images = _ids("images")
    calls = [
        Call("embeddings.listModels"),
        Call("embeddings.listModels", ({"offset": 0, "limit": 5},)),
        Call("images.listModels"),
        Call("videoGeneration.listVideosModels"),
        *(
            Call(
                "images.listModelEndpoints",
                ({"author": i.split("/")[0], "slug": i.split("/", 1)[1]},),
            )
            for i in images
        ),
        Call("images.listModelEndpoints", ({"author": "nobody", "slug": "none"},)),
    ]
    whole, paged, listed, videos, *endpoints, missing = sdk_calls(kinds_api, calls)
    for outcome in (whole, paged, listed, videos, *endpoints):
        assert outcome.ok, outcome.error
    assert [m["id"] for p in whole.value["pages"] for m in p["data"]] == _ids(
        "embeddings"
    )
    assert len(paged.value["pages"]) == 3
    assert [m["id"] for p in paged.value["pages"] for m in p["data"]] == _ids(
        "embeddings"
    )
    assert [m["id"] for m in listed.value["data"]] == images
    sent = demo_kinds.body_of("images")["endpoints"]
    for model_id, outcome in zip(images, endpoints, strict=True):
        assert outcome.value["id"] == model_id
        assert [
            (line["billable"], line["unit"], line["costUsd"])
            for endpoint in outcome.value["endpoints"]
            for line in endpoint["pricing"]
        ] == [
            (line["billable"], line["unit"], line["cost_usd"])
            for endpoint in sent[model_id]
            for line in endpoint["pricing"]
        ]
    assert [m["id"] for m in videos.value["data"]] == _ids("videos")
    assert videos.value["data"][0]["pricingSkus"] == {"generate": "0.50"}
    assert not missing.ok and missing.error["status"] == 404, missing.error
