"""An editor's override saved while an ingest is between its read and its write
keeps the editor's value: the ingest checks the overrides again inside its write."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection

from catalog.editorial.overrides import override_set
from catalog.ingest import endpoint_upsert_many, model_upsert_many
from catalog.ingest.batch import Batch
from catalog.models import Endpoint, FieldOverride, LanguageModel, Provider
from catalog.sources.openrouter import EndpointRecord, ModelRecord

pytestmark = pytest.mark.backend

T0 = datetime(2026, 7, 1, tzinfo=UTC)
T1 = datetime(2026, 7, 2, tzinfo=UTC)


def record(name: str, prompt: str = "0.000001") -> ModelRecord:
    return ModelRecord.model_validate(
        {
            "id": "acme/racer",
            "name": name,
            "context_length": 1000,
            "pricing": {"prompt": prompt, "completion": "0.000002"},
        }
    )


def endpoint(prompt: str) -> EndpointRecord:
    return EndpointRecord.model_validate(
        {
            "name": "Acme | acme/racer",
            "provider_name": "Acme",
            "tag": "acme",
            "pricing": {"prompt": prompt, "completion": "0.000002"},
        }
    )


class Paused:
    """Holds every Batch.write until released: the ingest has read and diffed."""

    def __init__(self, monkeypatch):
        self.reached, self.go = threading.Event(), threading.Event()
        original = Batch.write

        def write(batch):
            self.reached.set()
            assert self.go.wait(30)
            return original(batch)

        monkeypatch.setattr(Batch, "write", write)

    def run(self, ingest) -> dict:
        outcome: dict = {}

        def target():
            try:
                outcome["result"] = ingest()
            finally:
                connection.close()

        thread = threading.Thread(target=target)
        thread.start()
        assert self.reached.wait(30), "the ingest never reached its write"
        outcome["thread"] = thread
        return outcome

    def finish(self, outcome: dict) -> None:
        self.go.set()
        outcome["thread"].join(30)
        assert "result" in outcome, "the ingest failed"


@pytest.mark.django_db(transaction=True)
def test_override_saved_mid_ingest_keeps_the_editors_value(monkeypatch):
    """Ingest diffs (upstream renamed the model), the editor overrides the name and
    commits, the ingest writes: the column keeps the editor's value and the
    override records upstream's new one."""
    model_upsert_many([record("Old name")], now=T0)
    paused = Paused(monkeypatch)
    outcome = paused.run(lambda: model_upsert_many([record("Upstream name")], now=T1))

    model = LanguageModel.objects.get(slug="acme/racer")
    override_set(model, "name", "Editor's name", reason="house style")
    paused.finish(outcome)

    model.refresh_from_db()
    assert model.name == "Editor's name"
    override = FieldOverride.objects.get(model=model, field="name")
    assert override.value == "Editor's name"
    assert override.upstream_value == "Upstream name"
    assert override.upstream_changed_at == T1


@pytest.mark.django_db(transaction=True)
def test_endpoint_override_saved_mid_ingest_keeps_the_editors_value(monkeypatch):
    """The same for a provider's price, which the endpoints ingest writes."""
    model_upsert_many([record("Racer")], now=T0)
    endpoint_upsert_many({"acme/racer": [endpoint("0.000001")]}, now=T0)
    paused = Paused(monkeypatch)
    outcome = paused.run(
        lambda: endpoint_upsert_many({"acme/racer": [endpoint("0.000003")]}, now=T1)
    )

    stored = Endpoint.objects.get(model__slug="acme/racer")
    override_set(stored, "price_prompt", Decimal("0.5"), reason="contract")
    paused.finish(outcome)

    stored.refresh_from_db()
    assert stored.price_prompt == Decimal("0.5")
    override = FieldOverride.objects.get(endpoint=stored, field="price_prompt")
    assert Decimal(override.upstream_value) == Decimal("3")
    assert Provider.objects.filter(slug="acme").exists()
