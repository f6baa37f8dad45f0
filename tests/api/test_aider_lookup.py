"""aider's own model-info lookup (`OpenRouterModelManager.get_model_info` of
aider-chat 0.86.2) reads the board's model list and prices every `:free` and
`:thinking` variant as itself.

It takes the first entry whose id is the asked id or the id without its
`:variant`: upstream lists a variant before its base model, and so must we, or a
`:free` model is priced at its paid base's price. The check runs aider's code
itself, over the board and over upstream's own list. Its URL is a class attribute
(`MODELS_URL`) and its cache lives under the home directory: the test points the
one at the board and the other at a temporary directory."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.api.conftest import reads_outside_a_test_transaction
from tests.support import aider
from tests.support.recordings import recorded

pytestmark = [
    pytest.mark.http,
    pytest.mark.integration,
    pytest.mark.clients,
    pytest.mark.slow,
    pytest.mark.django_db,
]
RECORDING = "2025-05-22"  # what the demo catalogue serves
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


@pytest.fixture
def manager(demo_api, tmp_path, monkeypatch) -> Any:
    monkeypatch.setenv("HOME", str(tmp_path))
    module = aider.openrouter_module()
    manager = module.OpenRouterModelManager()
    assert manager.cache_dir.is_relative_to(tmp_path)
    manager.MODELS_URL = f"{demo_api}/models"
    return manager


def board(api: str) -> list[dict[str, Any]]:
    models: list[dict[str, Any]] = httpx.get(f"{api}/models").json()["data"]
    return models


def per_token(price: str) -> float | None:
    return None if price in ("", None) else float(Decimal(price))


def test_every_model_gets_what_upstreams_list_gives_it(manager, demo_api):
    """The lookup over the board answers what it answers over upstream's own list
    (the recording the demo serves), model by model: every `:free` variant is
    free. Where upstream itself lists a base model before its variant (a few
    `:thinking`, `:beta`, `:extended`), aider prices the variant as the base
    there too, and so here."""
    models = board(demo_api)
    assert [m["id"] for m in models] == [m["id"] for m in recorded(RECORDING)]
    upstream = aider.openrouter_module().OpenRouterModelManager()
    upstream.content, upstream._cache_loaded = {"data": recorded(RECORDING)}, True
    as_itself = 0
    for model in models:
        asked = "openrouter/" + model["id"]
        info = manager.get_model_info(asked)
        assert info == upstream.get_model_info(asked), model["id"]
        if ":" in model["id"] and info["output_cost_per_token"] == per_token(
            model["pricing"]["completion"]
        ):
            as_itself += 1
        if model["id"].endswith(":free"):
            assert info["input_cost_per_token"] == 0.0, model["id"]
    assert as_itself > 20
    free = manager.get_model_info("openrouter/mistralai/devstral-small:free")
    paid = manager.get_model_info("openrouter/mistralai/devstral-small")
    assert free["input_cost_per_token"] == 0.0 < paid["input_cost_per_token"]
    # Read once over HTTP, and kept in its cache file (in the temporary home).
    assert manager.cache_file.exists()


def test_an_unknown_model_has_no_info(manager):
    assert manager.get_model_info("openrouter/nobody/nothing") == {}
