"""The admin's direct offers: the matching report by provider, and an editor's
alias that matches an entry no rule could."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from catalog.models import DirectAlias, DirectOffer, FieldOverride, LanguageModel
from catalog.syncs import sync_litellm
from tests.support import snapshots

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, mock_upstream):
    snapshots.load("direct")
    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


@pytest.mark.slow
def test_the_changelist_prints_the_matching_report(editor):
    response = editor.get(reverse("admin:catalog_directoffer_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Matching report: 314 matched, 4464 unmatched" in html
    assert "<td>23</td><td><a" in html  # openai's matched count, first row
    detail = DirectOffer.objects.get(key="gpt-4o")
    page = editor.get(reverse("admin:catalog_directoffer_change", args=[detail.pk]))
    assert page.status_code == 200 and "Exact id" in page.content.decode()


@pytest.mark.slow
def test_an_alias_matches_an_entry_at_once(editor):
    offer = DirectOffer.objects.get(key="xai/grok-4.3")
    assert offer.model is None
    target = LanguageModel.objects.get(slug="x-ai/grok-3-beta")
    response = editor.post(
        reverse("admin:catalog_directalias_add"),
        {"source": "litellm", "key": offer.key, "model": target.pk, "reason": "test"},
    )
    assert response.status_code == 302, response.content[:500]
    assert DirectAlias.objects.count() == 1
    offer.refresh_from_db()
    assert (offer.model, offer.match) == (target, "alias")


@pytest.mark.slow
def test_an_editors_price_holds_through_syncs_and_flags_upstreams_change(editor):
    """An overridden direct price stays the editor's while the source's moves on
    the override, as for endpoints."""
    offer = DirectOffer.objects.get(key="gpt-4o")
    _edit(editor, offer, price_prompt="2.25", override_reason="negotiated rate")
    override = FieldOverride.objects.get(direct_offer=offer, field="price_prompt")
    assert override.upstream_value == "2.5"
    sync_litellm()  # the same map: nothing moves
    offer.refresh_from_db()
    assert offer.price_prompt == Decimal("2.25")
    override.upstream_value = "3"  # as if the source said $3 when it was made
    override.save()
    sync_litellm()
    offer.refresh_from_db()
    override.refresh_from_db()
    assert offer.price_prompt == Decimal("2.25")  # still the editor's
    assert (override.upstream_value, override.upstream_changed_at is not None) == (
        "2.5",
        True,
    )


@pytest.mark.slow
def test_an_edited_successor_links_its_model_at_once(editor):
    offer = DirectOffer.objects.get(key="gpt-4o")
    successor = LanguageModel.objects.get(slug="openai/gpt-4o-mini")
    _edit(editor, offer, successor_model="gpt-4o-mini", override_reason="announced")
    offer.refresh_from_db()
    assert (offer.successor_model, offer.successor) == ("gpt-4o-mini", successor)
    page = editor.get("/openai/gpt-4o").content
    assert b'successor <a href="/openai/gpt-4o-mini">openai/gpt-4o-mini</a>' in page


def _edit(editor, offer: DirectOffer, **changes: str) -> None:
    """Save the offer's admin form as it stands, with these fields changed."""
    url = reverse("admin:catalog_directoffer_change", args=[offer.pk])
    form = editor.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items()}
    data |= {"pricing_overrides": json.dumps(offer.pricing_overrides), **changes}
    response = editor.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
