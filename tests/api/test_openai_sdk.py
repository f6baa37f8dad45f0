"""The official OpenAI Python SDK reads our catalogue unchanged (imported where
used: the SDK takes most of a second to import, and the fast tier collects
this module without running it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    import openai

pytestmark = [pytest.mark.clients, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def sdk(live_server, upstream) -> openai.OpenAI:
    import openai

    from catalog.syncs import sync_catalog

    assert sync_catalog().status == "succeeded"
    return openai.OpenAI(
        base_url=live_server.url + "/api/v1", api_key="x", max_retries=0
    )


def test_sdk_lists_models(sdk):
    models = list(sdk.models.list())
    assert len(models) == 321
    ids = {m.id for m in models}
    assert "liquid/lfm-40b" in ids
    assert all(isinstance(m.created, int) for m in models)


def test_sdk_retrieves_the_seed_model(sdk):
    model = sdk.models.retrieve("liquid/lfm-40b")
    assert model.id == "liquid/lfm-40b"
    assert model.created == 1727654400
    # The OpenRouter-shaped object rides along for clients that want it.
    assert model.model_extra["data"]["pricing"]["prompt"] == "0.00000015"


def test_sdk_gets_a_not_found_error(sdk):
    import openai

    with pytest.raises(openai.NotFoundError):
        sdk.models.retrieve("nobody/nothing")
