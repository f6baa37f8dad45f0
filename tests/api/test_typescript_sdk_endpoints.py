"""OpenRouter's official TypeScript SDK (`@openrouter/sdk`, run by Node) reads every
model's endpoints as we serve them: its zod schemas take a key missing but not every
key null, so a key we hold no data for must be left out (one Node process walks
every model)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from catalog.models import Endpoint, LanguageModel
from demo.server import DemoUpstream
from tests.api.conftest import live_api, reads_outside_a_test_transaction
from tests.support import snapshots
from tests.support.typescript import Call, sdk_calls

pytestmark = [
    pytest.mark.http,
    pytest.mark.integration,
    pytest.mark.clients,
    pytest.mark.django_db,
    pytest.mark.slow,
]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


def _path_of(slug: str) -> dict[str, str]:
    author, _, rest = slug.partition("/")
    return {"author": author, "slug": rest}


def _every_model_parses(api: str) -> int:
    """endpoints.list for every listed model in one Node process; the endpoints
    served, checked against the stored ones model by model."""
    models = list(
        LanguageModel.objects.filter(delisted_at__isnull=True).order_by("slug")
    )
    calls = [Call("endpoints.list", (_path_of(m.slug),)) for m in models]
    served = 0
    for model, outcome in zip(models, sdk_calls(api, calls), strict=True):
        assert outcome.ok, (model.slug, outcome.error)
        data = outcome.value["data"]
        assert data["id"] == model.slug
        stored = Endpoint.objects.filter(model=model, delisted_at__isnull=True)
        assert len(data["endpoints"]) == stored.count(), model.slug
        served += len(data["endpoints"])
    return served


def test_endpoints_list_parses_for_every_demo_model(demo_api):
    served = _every_model_parses(demo_api)
    assert LanguageModel.objects.filter(delisted_at__isnull=True).count() == 321
    assert served == Endpoint.objects.filter(delisted_at__isnull=True).count() > 321


SAMPLED_NEVER = "liquid/lfm-40b"


@snapshots.state("demo-unpolled-stats")
def _unpolled_stats(demo: DemoUpstream) -> None:
    """The synced demo before its first stats poll: no sample, so no status, uptime
    or percentiles."""
    from stats.models import EndpointSample

    snapshots.derive("synced")
    EndpointSample.objects.all().delete()


@pytest.fixture
def unpolled_api(django_db_setup, django_db_blocker) -> Iterator[str]:
    with (
        snapshots.committed("demo-unpolled-stats", django_db_blocker),
        live_api() as url,
    ):
        yield url


def test_endpoints_never_sampled_leave_their_status_out(unpolled_api):
    served = _every_model_parses(unpolled_api)
    assert served == Endpoint.objects.filter(delisted_at__isnull=True).count() > 321
    body = httpx.get(f"{unpolled_api}/models/{SAMPLED_NEVER}/endpoints").json()
    endpoint = body["data"]["endpoints"][0]
    # No data: no key (the TypeScript SDK takes a missing key, not a null).
    for key in ("status", "perf_last_30m_by_workload"):
        assert key not in endpoint, key
    # Nullable in the spec and in both SDKs: null says "not measured yet".
    assert endpoint["uptime_last_30m"] is None
    assert endpoint["latency_last_30m"] is None


@pytest.fixture
def replayed_api(django_db_setup, django_db_blocker) -> Iterator[str]:
    """The replayed 2026 history with the last day's providers and endpoints."""
    with (
        snapshots.committed("replayed-served", django_db_blocker),
        live_api() as url,
    ):
        yield url


def test_endpoints_list_parses_for_every_replayed_model(replayed_api):
    served = _every_model_parses(replayed_api)
    assert LanguageModel.objects.filter(delisted_at__isnull=True).count() > 300
    assert served > 300
