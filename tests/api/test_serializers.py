"""The serialisers' shortcuts give what the plain reads gave: prices memoised per
key and value, links filled in from templates, overrides however they were read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import RequestFactory
from django.urls import reverse

from api.prices import pricing_of
from api.serializers import ModelLinks, model_data
from catalog.models import FieldOverride, LanguageModel
from catalog.reads.selectors import overrides_attach
from tests.support.factories import T0, make_model

pytestmark = pytest.mark.django_db


def test_one_price_reads_per_token_or_per_unit_by_its_key():
    """The same Decimal in a token column and a unit column, twice over."""
    model = LanguageModel(
        price_prompt=Decimal("1"),
        price_completion=Decimal("1.000"),
        price_request=Decimal("1"),
        price_web_search=Decimal("0.0050"),
        pricing_raw={"audio": "0.00003", "discount": 0.5, "prompt": "9"},
    )
    expected = {
        "audio": "0.00003",
        "completion": "0.000001",
        "prompt": "0.000001",
        "request": "1",
        "web_search": "0.005",
    }
    assert pricing_of(model) == expected
    assert pricing_of(model) == expected


def test_links_filled_in_from_templates_are_what_reverse_gives():
    absolute = RequestFactory().get("/").build_absolute_uri
    urls, details = ModelLinks(absolute).of("acme/model-x.1:free")
    kwargs = {"author": "acme", "slug": "model-x.1:free"}
    assert urls == {
        key: absolute(reverse(name, kwargs=kwargs))
        for key, name in ModelLinks.NAMES.items()
    }
    assert details == reverse("api-model-endpoints", kwargs=kwargs)


def test_edited_is_the_same_attached_prefetched_or_read():
    model = make_model("acme/model-x")
    for field in ("price_prompt", "context_length"):
        FieldOverride.objects.create(
            model=model, field=field, upstream_value="1", reason="why", updated_at=T0
        )
    absolute = RequestFactory().get("/").build_absolute_uri
    read = model_data(LanguageModel.objects.get(pk=model.pk), absolute)
    prefetched = LanguageModel.objects.prefetch_related("overrides").get(pk=model.pk)
    attached = LanguageModel.objects.get(pk=model.pk)
    overrides_attach([attached])
    for found in (model_data(prefetched, absolute), model_data(attached, absolute)):
        assert found["modelboard"]["edited"] == read["modelboard"]["edited"]
    assert list(read["modelboard"]["edited"]) == ["context_length", "price_prompt"]
