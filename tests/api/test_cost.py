"""GET /api/v1/cost: a workload's monthly cost per model and per provider."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.test import Client

from tests.support.factories import make_endpoint, make_model

pytestmark = [pytest.mark.django_db, pytest.mark.backend]


def test_models_come_cheapest_first_and_routers_last(catalogued):
    client = Client()
    first = client.get("/api/v1/cost", {"preset": "rag", "limit": 200}).json()
    assert first["total_count"] == 321
    costs = [D(row["usd_per_month"]) for row in first["data"]]
    assert costs == sorted(costs)
    assert "offset=200" in first["links"]["next"]
    rest = client.get(first["links"]["next"]).json()
    tail = rest["data"][-1]
    # The router is variable: apart, after every priced model, never $0.
    assert (tail["id"], tail["status"], tail["usd_per_month"]) == (
        "openrouter/auto",
        "variable",
        None,
    )
    priced = [D(r["usd_per_month"]) for r in rest["data"] if r["status"] == "priced"]
    assert min(priced) >= costs[-1]


def test_gpt_4o_for_a_chat_workload_with_an_image(catalogued):
    body = Client().get("/api/v1/cost", {"q": "gpt-4o", "images": "1"}).json()
    row = next(r for r in body["data"] if r["id"] == "openai/gpt-4o")
    # 30,000 requests: 45M input x $2.50/M + 12M output x $10/M + 30,000 images x
    # $0.003613
    parts = {k: v["usd_per_month"] for k, v in row["parts"].items()}
    assert parts["prompt"] == "112.5"
    assert parts["completion"] == "120"
    assert parts["image"] == "108.39"
    assert row["usd_per_month"] == "340.89"
    # No tiers: the base price priced every request of each part.
    (prompt,) = row["parts"]["prompt"]["priced_by"]
    assert prompt == {
        "tier": None,
        "overrides": [],
        "price": "prompt",
        "share": "1",
        "usd_per_month": "112.5",
    }
    assert body["workload"]["requests_per_month"] == "30000"


def test_per_provider_with_a_model_id():
    model = make_model("acme/m", price_prompt=D(2), price_completion=D(10))
    make_endpoint(model, "dear", price_prompt=D(3), price_completion=D(12))
    make_endpoint(model, "cheap", price_prompt=D(1), price_completion=D(5))
    make_endpoint(model, "router", is_variable_price=True)
    body = Client().get(
        "/api/v1/cost",
        {"model": "acme/m", "input_tokens": "1000", "output_tokens": "100",
         "requests_per_day": "10"},
    ).json()  # fmt: skip
    # 0.3M input and 0.03M output a month
    assert body["model"]["usd_per_month"] == "0.9"
    assert [(r["tag"], r["status"], r["usd_per_month"]) for r in body["data"]] == [
        ("cheap", "priced", "0.45"),
        ("dear", "priced", "1.26"),
        ("router", "variable", None),
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"input_tokens": "-5"}, "input_tokens"),
        ({"cache_percent": "150"}, "cache_percent"),
        ({"images": "NaN"}, "images"),
        ({"preset": "huge"}, "preset"),
        ({"limit": "0"}, "limit"),
        ({"requests_per_day": "1e99"}, "requests_per_day"),
    ],
)
def test_bad_parameters_are_a_400_that_names_them(params, field):
    response = Client().get("/api/v1/cost", params)
    assert response.status_code == 400
    assert field in response.json()["error"]["message"]


def test_an_unknown_model_is_a_404():
    response = Client().get("/api/v1/cost", {"model": "nobody/none"})
    assert response.status_code == 404


def test_the_largest_workload_at_the_largest_price_is_answered():
    price = D("999999999999")  # per million tokens: the most a column holds
    make_model("acme/dear", price_prompt=price, price_completion=price,
               price_image=price)  # fmt: skip
    workload = {"input_tokens": "10000000", "output_tokens": "10000000",
                "requests_per_day": "999999999.99", "images": "999.99"}  # fmt: skip
    client = Client()
    response = client.get("/api/v1/cost", workload | {"model": "acme/dear"})
    assert response.status_code == 200
    # 29,999,999,999.7 requests: (2 x 10^7 tokens / 10^6 + 999.99 images) each,
    # at $999,999,999,999 a million tokens and an image, worked out exactly.
    exact = "30599699999663403300000305.997"
    assert response.json()["model"]["usd_per_month"] == exact
    listed = client.get("/api/v1/cost", workload)
    assert listed.status_code == 200
    assert listed.json()["data"][0]["usd_per_month"] == exact
