"""Values verbatim: every field a recorded model has comes back from /api/v1/models
with the same JSON type and value (an empty string stays "", whitespace stays, a 0
stays 0), so a client comparing us with upstream sees no change where none
happened."""

from __future__ import annotations

import json
from typing import Any

import pytest

from demo.snapshots import HISTORY_DAYS, models_for
from tests.support.recordings import DATA

pytestmark = [pytest.mark.django_db, pytest.mark.backend]


def _differences(sent: Any, served: Any, path: str = "") -> list[str]:
    """Where `served` departs from `sent`, key by key (a key upstream did not send
    is ours to add)."""
    if isinstance(sent, dict):
        if not isinstance(served, dict):
            return [f"{path}: {served!r} for {sent!r}"]
        found = []
        for key, value in sent.items():
            if key not in served:
                found.append(f"{path}/{key}: missing")
            else:
                found += _differences(value, served[key], f"{path}/{key}")
        return found
    if type(sent) is not type(served) or sent != served:
        return [f"{path}: {served!r} for {sent!r}"]
    return []


LAST_2026 = f"history:{HISTORY_DAYS - 1}"


@pytest.mark.slow
@pytest.mark.parametrize("snapshot", ["2025-05-22", "2025-05-12", LAST_2026])
def test_every_recorded_field_comes_back_as_sent(client, mock_upstream, snapshot):
    from catalog.syncs import sync_catalog

    mock_upstream.set_snapshot(snapshot)
    assert sync_catalog().status == "succeeded"
    served = {
        m["id"]: m
        for m in client.get("/api/v1/models?output_modalities=all").json()["data"]
    }
    upstream = models_for(snapshot)
    problems = {
        m["id"]: found for m in upstream if (found := _differences(m, served[m["id"]]))
    }
    assert problems == {}
    assert len(served) == len(upstream)


def test_every_recorded_endpoint_field_comes_back_as_sent(client, synced):
    """The recorded endpoints of one model: a discount of 0 stays 0, not 0.0."""
    recording = DATA / "endpoints-google-gemini-2.5-pro-preview-2025-05-22.json"
    sent = json.loads(recording.read_text())["data"]["endpoints"]
    response = client.get("/api/v1/models/google/gemini-2.5-pro-preview/endpoints")
    served = {e["tag"]: e for e in response.json()["data"]["endpoints"]}
    assert {e["tag"]: _differences(e, served[e["tag"]]) for e in sent} == {
        e["tag"]: [] for e in sent
    }
    assert all(type(e["pricing"]["discount"]) is int for e in served.values())


@pytest.mark.slow
def test_a_name_stored_stripped_takes_upstreams_whitespace_without_a_rename(
    catalogued,
):
    """Names stored before they were kept as sent: the next poll writes upstream's
    whitespace back, and whitespace alone is no rename in the changelog."""
    from catalog.models import CatalogEvent, EventKind, LanguageModel
    from catalog.syncs import sync_catalog

    spaced = "google/gemini-flash-1.5"
    model = LanguageModel.objects.get(slug=spaced)
    assert model.name == "Google: Gemini 1.5 Flash "
    LanguageModel.objects.filter(pk=model.pk).update(name=model.name.strip())
    assert sync_catalog().status == "succeeded"
    assert LanguageModel.objects.get(slug=spaced).name == "Google: Gemini 1.5 Flash "
    assert not CatalogEvent.objects.filter(kind=EventKind.RENAMED).exists()
