"""Junk in a URL gets a 4xx on every route, never a 500; exports and the API never
carry a value a client would choke on (formulas in CSV, bare NaN in JSON)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User

from catalog.models import LanguageModel
from stats.models import EndpointSample
from tests.support.factories import make_endpoint, make_model
from tests.support.recordings import body_text

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

NUL_PATHS = [
    "/x%00",
    "/acme/model%00",
    "/acme%00/model",
    "/providers/acme%00",
    "/changes/model/acme/model%00.rss",
    "/changes/provider/acme%00.rss",
    "/watch/token%00",
    "/api/v1/models/acme/model%00",
    "/api/v1/models/acme/model%00/endpoints",
    "/api/v1/models/acme/model%00/prices.csv",
    "/api/v1/models/acme/model%00/tokens.csv",
    "/api/v1/nothing%00",
]
NUL_QUERIES = [
    "/?q=a%00b",
    "/?provider=%00",
    "/changes?author=%00",
    "/changes/feed.rss?provider=%00",
    "/compare?models=acme/model,acme/model%00",
    "/api/v1/models?q=%00",
    "/api/v1/models?supported_parameters=%00",
]
# Pages that only echo a parameter back (never look it up) may answer 200.
NUL_ECHOED = ["/watch?target=acme/model%00", "/status?x=%00"]
JUNK = [
    "/%FF%FE",
    "/acme/%2e%2e",
    "/acme/" + "a" * 5000,
    "/providers/" + "%20" * 300,
    "/api/v1/models/%E2%80%AE/x",
    "/changes?since=99999-99-99",
    "/?page=99999999999999999999",
    "/?min_context=1e400",
    "/api/v1/models?offset=-1",
    "/api/v1/models?limit=NaN",
]


@pytest.fixture
def catalogue() -> LanguageModel:
    model = make_model("acme/model")
    make_endpoint(model, "acme")
    return model


@pytest.mark.parametrize("path", NUL_PATHS)
def test_nul_in_a_path_is_a_404(client, catalogue, path):
    """Every route: a NUL in the address is not found (PostgreSQL would refuse it)."""
    response = client.get(path)
    assert response.status_code == 404
    if path.startswith("/api/"):
        assert response.json()["error"]["code"] == 404


@pytest.mark.parametrize("path", NUL_QUERIES)
def test_nul_in_a_query_string_is_a_400(client, catalogue, path):
    """Every route: a NUL in a parameter is a bad request."""
    assert client.get(path).status_code == 400


@pytest.mark.parametrize("path", NUL_ECHOED + JUNK)
def test_other_junk_is_never_a_server_error(client, catalogue, path):
    assert client.get(path).status_code < 500


@pytest.mark.slow
def test_admin_search_with_a_nul_is_a_400(client, catalogue):
    client.force_login(User.objects.create_superuser("root", password="x"))
    response = client.get("/admin/catalog/languagemodel/", {"q": "a\x00"})
    assert response.status_code == 400


FORMULAS = [
    '=HYPERLINK("http://evil","x")',
    "+1+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\tx",
]


def test_exports_escape_formula_cells(client):
    """A name a spreadsheet would run is written as text; numbers keep their sign."""
    for index, name in enumerate(FORMULAS):
        make_model(f"acme/f{index}", name=name)
    body = body_text(client.get("/", {"format": "csv"}))
    names = {row["name"] for row in csv.DictReader(io.StringIO(body))}
    assert names == {"'" + name for name in FORMULAS}


def test_price_history_csv_escapes_text_from_upstream(client):
    """prices.csv: a series named by upstream like a formula is escaped; prices
    stay plain numbers."""
    from decimal import Decimal

    from catalog.models import Provider

    model = make_model("acme/m", price_prompt=Decimal("1.5"))
    endpoint = make_endpoint(model, "evil", price_prompt=Decimal("2"))
    Provider.objects.filter(pk=endpoint.provider_id).update(name="=HYPERLINK(1)")
    body = client.get("/api/v1/models/acme/m/prices.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert {r["series"] for r in rows} == {"Model price", "'=HYPERLINK(1)"}
    assert {r["input_usd_per_m"] for r in rows} == {"1.5", "2"}


def test_the_api_never_emits_bare_nan(client, catalogue):
    """Samples stored with NaN/Infinity (before sources refused them) come out as
    null: the body is strict JSON."""
    endpoint = catalogue.endpoints.get()
    now = datetime(2026, 7, 1, tzinfo=UTC)
    EndpointSample.objects.create(
        endpoint=endpoint,
        window_start=now,
        polled_at=now,
        uptime_1d=float("nan"),
        latency_p50=float("inf"),
        latency_p99=float("nan"),
        throughput_p50=float("-inf"),
    )
    for path in ("/api/v1/models/acme/model/endpoints", "/api/v1/models?q=acme"):
        response = client.get(path)
        assert response.status_code == 200
        text = response.content.decode()
        json.loads(text, parse_constant=_refuse)
    data = client.get("/api/v1/models/acme/model/endpoints").json()["data"]
    offer = data["endpoints"][0]
    assert offer["uptime_last_1d"] is None and offer["latency_last_30m"] is None
    page = client.get("/acme/model").content.decode()
    assert "nan" not in page.lower().replace("nano", "")
    assert "inf ms" not in page


def _refuse(token: str):
    raise AssertionError(f"bare {token} in a JSON body")


def test_feeds_survive_control_characters_in_stored_names(client):
    """XML cannot carry control characters: rows stored before sources cleaned
    them still make a valid feed."""
    from catalog.models import CatalogEvent

    model = make_model("acme/bell", name="Bell\x07 \x1b[31m model")
    CatalogEvent.objects.create(
        kind="added", model=model, observed_at=datetime(2026, 7, 1, tzinfo=UTC)
    )
    for path in (
        "/changes/feed.rss",
        "/changes/feed.atom",
        "/changes/model/acme/bell.rss",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Bell [31m model" in response.content.decode()


STORED_ODD_IDS = ["ëvil/x", "changes/x", "api/x", "watch/x", "x/..", "x/a b", "solo"]


def test_rows_stored_with_odd_ids_never_take_a_page_down(client):
    """Ids stored by older versions (even unhidden by an editor): every page, feed
    and API route answers; their links lead to their admin page."""
    from catalog.models import CatalogEvent

    for slug in STORED_ODD_IDS:
        model = make_model(slug, name=f"Odd {slug}")
        make_endpoint(model, "hostco")
        CatalogEvent.objects.create(
            kind="added", model=model, observed_at=datetime(2026, 7, 1, tzinfo=UTC)
        )
        assert model.get_absolute_url().startswith("/admin/catalog/languagemodel/")
        assert not model.routable
    paths = [
        "/", "/?format=csv", "/?format=json", "/changes", "/changes/feed.rss",
        "/changes/feed.atom", "/changes/new.rss", "/providers/hostco",
        "/changes/provider/hostco.rss", "/rankings", "/api/v1/models",
        "/api/v1/models?include_delisted=true", "/compare?models=ëvil/x,changes/x",
    ]  # fmt: skip
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 400), path
    assert "/admin/catalog/languagemodel/" in client.get("/changes").content.decode()
