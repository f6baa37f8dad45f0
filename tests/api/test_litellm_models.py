"""LiteLLM's OpenRouter model list reads the board as it reads OpenRouter.

The project never imports litellm (its price map is read as data, see
docs/sources.md), so this test makes the requests LiteLLM's own code makes and
checks what that code relies on. `litellm.get_valid_models(
custom_llm_provider="openrouter", check_provider_endpoint=True)` asks
OpenRouterModelInfo.get_models (litellm/llms/openrouter/common_utils.py in
1.110.2, read from its wheel): it strips a trailing `/chat/completions` from
`api_base`, GETs `{api_base}/models/user` with the key as a bearer token, and
lists each `data[].id` but `:batch` ones as `openrouter/<id>`; without a key it
asks nothing."""

from __future__ import annotations

import httpx
import pytest

from tests.api.conftest import reads_outside_a_test_transaction

pytestmark = [pytest.mark.http, pytest.mark.clients, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


def litellm_listing(api_base: str, api_key: str) -> list[str]:
    """What LiteLLM 1.110.2's OpenRouter model list does, request for request."""
    base = api_base.rstrip("/").removesuffix("/chat/completions")
    response = httpx.get(
        f"{base}/models/user", headers={"Authorization": f"Bearer {api_key}"}
    )
    response.raise_for_status()
    return [
        f"openrouter/{m['id']}"
        for m in response.json()["data"]
        if not m["id"].endswith(":batch")
    ]


def test_the_openrouter_model_list_is_the_boards(demo_api):
    listed = litellm_listing(demo_api, "any-key")
    models = httpx.get(f"{demo_api}/models").json()["data"]
    assert len(listed) > 300
    assert listed == [f"openrouter/{m['id']}" for m in models]
    assert "openrouter/liquid/lfm-40b" in listed


def test_the_chat_completions_url_as_api_base_finds_the_list(demo_api):
    # Deployments often configure the completions URL; LiteLLM strips it.
    assert litellm_listing(demo_api + "/chat/completions", "any-key") == (
        litellm_listing(demo_api, "any-key")
    )


def test_without_a_key_the_board_answers_upstreams_401(demo_api):
    assert httpx.get(f"{demo_api}/models/user").status_code == 401
