"""The workload on the pages: the list's cost column and sort, the model page's
per-provider costs, compare's cost row; a bad workload is a 400 that says why."""

from __future__ import annotations

import re
from decimal import Decimal as D

import pytest

from tests.support.factories import make_endpoint, make_model

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<code class="id">([^<]+)</code>')
COST = re.compile(r'data-label="Cost / month"[^>]*>([^<]*)<')
# 10 requests a day: 0.3M input and 0.03M output tokens a month.
SMALL = {"input_tokens": "1000", "output_tokens": "100", "requests_per_day": "10"}


@pytest.fixture
def catalogue():
    dear = make_model(
        "acme/dear", name="Dear", price_prompt=D(3), price_completion=D(15)
    )
    make_model("acme/cheap", name="Cheap", price_prompt=D(1), price_completion=D(2))
    make_model("acme/router", name="Router", is_variable_price=True)
    make_model("acme/imaging", name="Imaging", price_prompt=D("0.5"),
               price_completion=D(1), price_image=D("0.01"))  # fmt: skip
    make_endpoint(dear, "fast", price_prompt=D(4), price_completion=D(20))
    make_endpoint(dear, "slow", price_prompt=D(3), price_completion=D(15))
    return dear


def test_the_list_sorts_by_cost_and_shows_it(client, catalogue):
    html = client.get("/", SMALL | {"sort": "cost", "images": "1"}).content.decode()
    # cheap: 0.3 + 0.06; dear: 0.9 + 0.45; imaging: 0.15 + 0.03 + 300 x 0.01.
    assert ROW.findall(html) == [
        "acme/cheap",
        "acme/dear",
        "acme/imaging",
        "acme/router",
    ]
    assert COST.findall(html) == ["$0.36", "$1.35", "$3.18", "variable"]
    # Each model link carries the workload to the model page.
    assert 'href="/acme/cheap?input_tokens=1000&amp;output_tokens=100' in html


def test_the_cost_sort_without_a_workload_prices_the_chat_preset(client, catalogue):
    response = client.get("/", {"sort": "cost"})
    assert response.status_code == 200
    # 45M input and 12M output tokens a month: $34.50 on imaging, $69 on cheap.
    assert ROW.findall(response.content.decode())[:2] == ["acme/imaging", "acme/cheap"]
    assert len(COST.findall(response.content.decode())) == 4


def test_free_models_say_free_and_can_be_left_out_of_the_cost_sort(client, catalogue):
    """Free models would fill the first page of a cost sort at $0.00: they say
    "free", and "exclude free" leaves them out (routers, unpriced, stay)."""
    make_model("acme/gratis", name="Gratis", price_prompt=D(0), price_completion=D(0))
    html = client.get("/", SMALL | {"sort": "cost"}).content.decode()
    assert ROW.findall(html)[0] == "acme/gratis"
    assert COST.findall(html)[0] == "free"
    html = client.get("/", SMALL | {"sort": "cost", "paid": "1"}).content.decode()
    assert "acme/gratis" not in ROW.findall(html)
    assert ROW.findall(html) == [
        "acme/imaging",
        "acme/cheap",
        "acme/dear",
        "acme/router",
    ]
    assert 'name="paid" value="1" checked' in html


def test_free_only_and_exclude_free_together_are_a_400(client, catalogue):
    response = client.get("/", {"free": "1", "paid": "1"})
    assert response.status_code == 400
    assert "Choose free only or exclude free, not both." in response.content.decode()


def test_no_workload_no_cost_column(client, catalogue):
    assert not COST.findall(client.get("/").content.decode())


def test_the_model_page_prices_each_provider(client, catalogue):
    html = client.get("/acme/dear", SMALL).content.decode()
    assert sorted(COST.findall(html)) == ["$1.35", "$1.80"]
    assert re.search(r'id="model-cost".*?\$1\.35', html, re.S)


def test_compare_has_a_cost_row(client, catalogue):
    response = client.get(
        "/compare", SMALL | {"models": "acme/cheap,acme/dear,acme/router"}
    )
    row = re.search(r'<tr class="cost">(.*?)</tr>', response.content.decode(), re.S)
    assert row is not None
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row.group(1)) == [
        "$0.36",
        "$1.35",
        "variable",
    ]


BAD = [
    ({"input_tokens": "-1"}, "input_tokens"),
    ({"output_tokens": "many"}, "output_tokens"),
    ({"requests_per_day": "1e999"}, "requests_per_day"),
    ({"tokens_per_month": "1.5"}, "tokens_per_month"),
    ({"cache_percent": "120"}, "cache_percent"),
    ({"reasoning_tokens": "99999999999"}, "reasoning_tokens"),
    ({"images": "NaN"}, "images"),
    ({"web_searches": "-Infinity"}, "web_searches"),
    ({"preset": "<script>"}, "preset"),
]


@pytest.mark.parametrize("path", ["/", "/acme/dear", "/compare"])
@pytest.mark.parametrize(("params", "field"), BAD)
def test_a_bad_workload_is_a_400_naming_the_field(
    client, catalogue, path, params, field
):
    query = params | ({"models": "acme/cheap,acme/dear"} if path == "/compare" else {})
    response = client.get(path, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"<code>{field}</code>" in html
    assert (
        "<script>"
        not in html.split("</header>", 1)[1]
        .replace('<script src="', "")
        .split("<footer", 1)[0]
    )


def test_the_largest_workload_at_the_largest_price_renders(client):
    price = D("999999999999")  # per million tokens: the most a column holds
    make_model("acme/dear", price_prompt=price, price_completion=price,
               price_image=price)  # fmt: skip
    workload = {"input_tokens": "10000000", "output_tokens": "10000000",
                "requests_per_day": "999999999.99", "images": "999.99"}  # fmt: skip
    make_model("acme/other", price_prompt=D(1), price_completion=D(1))
    for path in ("/", "/acme/dear", "/compare"):
        query = workload | {"sort": "cost", "models": "acme/dear,acme/other"}
        assert client.get(path, query).status_code == 200, path
    html = client.get("/", workload | {"sort": "cost"}).content.decode()
    assert COST.findall(html)[1] == "$30,599,699,999,663,403,300,000,306.00"
