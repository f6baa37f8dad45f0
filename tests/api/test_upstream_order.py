"""The model list in upstream's own order, kept from the poll: what clients that
take the first match by id prefix (aider's model-info lookup) rely on to price a
`:free` or `:thinking` variant at its own price, not its base model's."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.support.recordings import recorded

pytestmark = [
    pytest.mark.clients,
    pytest.mark.django_db,
    pytest.mark.backend,
    pytest.mark.state("catalogued"),
]

RECORDING = "2025-05-22"


def _listed(client, query: str = "") -> list[dict]:
    response = client.get(f"/api/v1/models?output_modalities=all{query}")
    assert response.status_code == 200, response.content
    return response.json()["data"]


def _first_with_prefix(items: list[dict], prefix: str) -> dict:
    return next(m for m in items if m["id"].startswith(prefix))


def test_the_default_order_is_the_recordings(client, catalogued):
    upstream = [m["id"] for m in recorded(RECORDING)]
    assert [m["id"] for m in _listed(client)] == upstream


def test_the_first_match_of_every_id_prefix_is_upstreams_with_its_own_price(
    client, catalogued
):
    """aider's property: the first entry whose id starts with a model's id is the
    one upstream lists first, so every variant is priced as itself."""
    upstream = recorded(RECORDING)
    served = _listed(client)
    variants = 0
    for model in upstream:
        ours = _first_with_prefix(served, model["id"])
        assert ours["id"] == _first_with_prefix(upstream, model["id"])["id"]
        if ":" in model["id"]:
            variants += 1
            exact = next(m for m in served if m["id"] == model["id"])
            assert exact["pricing"]["prompt"] == model["pricing"]["prompt"]
    assert variants > 20
    devstral = _first_with_prefix(served, "mistralai/devstral-small:free")
    assert devstral["pricing"]["prompt"] == "0"


@pytest.mark.parametrize(
    "sort",
    ["newest", "context-high-to-low", "pricing-low-to-high", "top-weekly"],
)
def test_every_sort_breaks_ties_by_upstream_position(client, catalogued, sort):
    position = {m["id"]: i for i, m in enumerate(recorded(RECORDING))}
    served = _listed(client, f"&sort={sort}")
    key = {
        "newest": lambda m: -m["created"],
        "context-high-to-low": lambda m: -(m["context_length"] or 0),
        "pricing-low-to-high": lambda m: (
            Decimal(m["pricing"]["prompt"]) + Decimal(m["pricing"]["completion"])
            if m["pricing"]["prompt"] != "-1"
            else Decimal("Infinity")
        ),
        "top-weekly": lambda m: 0,  # no usage polled: every model ties
    }[sort]
    expected = sorted(served, key=lambda m: (key(m), position[m["id"]]))
    assert [m["id"] for m in served] == [m["id"] for m in expected]


def test_each_poll_keeps_upstreams_new_order_without_an_update(client, catalogued):
    """A move in upstream's list is stored by the next poll; it is no change of the
    model (no updated_at, no event)."""
    from catalog.models import CatalogEvent, LanguageModel
    from catalog.syncs import sync_catalog
    from demo.snapshots import custom_snapshot, models_for

    before = dict(LanguageModel.objects.values_list("slug", "updated_at"))
    events = CatalogEvent.objects.count()
    # What the demo serves: the recording with its (spec-shaped) benchmarks.
    moved = list(reversed(models_for(RECORDING)))
    catalogued.set_snapshot(custom_snapshot(moved))
    assert sync_catalog().status == "succeeded"
    assert [m["id"] for m in _listed(client)] == [m["id"] for m in moved]
    assert dict(LanguageModel.objects.values_list("slug", "updated_at")) == before
    assert CatalogEvent.objects.count() == events
