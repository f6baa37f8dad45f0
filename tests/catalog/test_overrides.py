"""Editors' corrections stick through polls, and say when upstream moved under them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import User

from catalog import syncs
from catalog.editorial.overrides import override_remove, override_set
from catalog.editorial.permissions import editor_group_ensure
from catalog.models import CatalogEvent, EventKind, FieldOverride, LanguageModel
from demo.server import DemoUpstream

pytestmark = [pytest.mark.django_db, pytest.mark.backend]


@pytest.fixture
def editor() -> User:
    user = User.objects.create_user("edith", password="pw", is_staff=True)
    user.groups.add(editor_group_ensure())
    return user


def _history() -> list[dict[str, dict]]:
    return [
        {m["id"]: m for m in DemoUpstream.history_snapshot(i)}
        for i in range(DemoUpstream.history_length())
    ]


def _changed_upstream(history, key) -> str:
    """A model listed in every recording whose value of `key` changes over time."""
    common = set(history[0]).intersection(*history[1:])
    return next(
        slug
        for slug in sorted(common)
        if key(history[0][slug]) != key(history[-1][slug])
    )


@pytest.mark.slow
def test_edited_price_and_context_survive_the_whole_history(mock_upstream, editor):
    """Replaying 63 recordings keeps the editor's values and flags the overrides."""
    history = _history()
    slug = _changed_upstream(
        history, lambda m: (m["pricing"].get("prompt"), m.get("context_length"))
    )
    mock_upstream.set_snapshot("history:0")
    syncs.sync_catalog()
    model = LanguageModel.objects.get(slug=slug)
    override_set(model, "price_prompt", Decimal("0.42"), reason="contract", user=editor)
    override_set(model, "context_length", 12345, reason="measured", user=editor)

    for index in range(1, len(history)):
        mock_upstream.set_snapshot(f"history:{index}")
        syncs.sync_catalog()

    model.refresh_from_db()
    assert model.price_prompt == Decimal("0.42")
    assert model.context_length == 12345
    last = history[-1][slug]
    price = FieldOverride.objects.get(model=model, field="price_prompt")
    context = FieldOverride.objects.get(model=model, field="context_length")
    assert Decimal(price.upstream_value) == Decimal(last["pricing"]["prompt"]) * 10**6
    assert context.upstream_value == last["context_length"]
    changed_first = history[0][slug]
    flagged = [o.field for o in (price, context) if o.upstream_changed_at is not None]
    expected = []
    if changed_first["pricing"].get("prompt") != last["pricing"].get("prompt"):
        expected.append("price_prompt")
    if changed_first.get("context_length") != last.get("context_length"):
        expected.append("context_length")
    assert sorted(flagged) == sorted(expected)
    # Upstream changes are still recorded as events, with upstream's values.
    assert CatalogEvent.objects.filter(model=model, kind=EventKind.PRICE).exists()


def test_removing_an_override_restores_the_current_upstream_value(upstream, editor):
    """Deleting the override puts upstream's latest value back at once."""
    syncs.sync_catalog()
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    override = override_set(model, "name", "Liquid 40B", reason="house style")
    model.refresh_from_db()
    assert model.name == "Liquid 40B"
    syncs.sync_catalog()
    model.refresh_from_db()
    assert model.name == "Liquid 40B"
    override_remove(override)
    model.refresh_from_db()
    assert model.name == "Liquid: LFM 40B MoE"


def test_override_needs_a_reason_and_an_overridable_field(upstream):
    """Upstream-only fields and reasonless edits are refused."""
    syncs.sync_catalog()
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    with pytest.raises(ValueError, match="reason"):
        override_set(model, "context_length", 1, reason=" ")
    with pytest.raises(ValueError, match="cannot be overridden"):
        override_set(model, "slug", "x/y", reason="no")


def test_endpoint_override_survives_endpoint_polls(upstream):
    """A provider's corrected price stays while upstream's is tracked."""
    syncs.sync_catalog()
    syncs.sync_endpoints(slugs=["liquid/lfm-40b"])
    endpoint = LanguageModel.objects.get(slug="liquid/lfm-40b").endpoints.get(
        provider_name="Lambda"
    )
    override_set(endpoint, "price_completion", Decimal("9"), reason="invoice")
    syncs.sync_endpoints(slugs=["liquid/lfm-40b"])
    endpoint.refresh_from_db()
    assert endpoint.price_completion == Decimal("9")
    override = FieldOverride.objects.get(endpoint=endpoint)
    assert Decimal(override.upstream_value) == Decimal("0.15")
    assert override.upstream_changed_at is None


def test_api_and_exports_show_the_edited_value_and_mark(upstream, client):
    """The API serves the effective price with upstream's beside it; exports flag it."""
    syncs.sync_catalog()
    syncs.sync_endpoints(slugs=["liquid/lfm-40b"])
    model = LanguageModel.objects.get(slug="liquid/lfm-40b")
    override_set(model, "price_prompt", Decimal("0.2"), reason="negotiated")
    body = client.get("/api/v1/models/liquid/lfm-40b").json()["data"]
    assert body["pricing"]["prompt"] == "0.0000002"
    edited = body["modelboard"]["edited"]["price_prompt"]
    assert edited["upstream_value"] == "0.15" and edited["reason"] == "negotiated"
    listed = client.get("/api/v1/models", {"q": "lfm-40b"}).json()["data"]
    assert listed[0]["modelboard"]["edited"].keys() == {"price_prompt"}
    export = client.get("/", {"q": "lfm-40b", "format": "csv"})
    csv = b"".join(export.streaming_content).decode()
    assert "edited_fields" in csv.splitlines()[0]
    assert "price_prompt" in csv.splitlines()[1] and "0.2" in csv.splitlines()[1]
    page = client.get("/liquid/lfm-40b").content.decode()
    assert 'class="edited"' in page and "negotiated" in page
