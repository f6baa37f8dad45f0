"""LiteLLM's OpenRouter model list reads the board as it reads OpenRouter.

`litellm.get_valid_models(custom_llm_provider="openrouter",
check_provider_endpoint=True)` asks OpenRouterModelInfo.get_models
(litellm/llms/openrouter/common_utils.py in 1.110.2): a GET of
`{api_base}/models/user` with the key as a bearer token, each `data[].id` listed
as `openrouter/<id>` but `:batch` ones. It swallows every error into an empty
list, so each check compares with what the board itself answers."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import httpx
import pytest

from tests.api.conftest import reads_outside_a_test_transaction

pytestmark = [pytest.mark.http, pytest.mark.clients, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)


@pytest.fixture(scope="module")
def litellm() -> Iterator[ModuleType]:
    with pytest.MonkeyPatch.context() as patch:
        # Its bundled price map, not the one it would fetch from GitHub at import.
        patch.setenv("LITELLM_LOCAL_MODEL_COST_MAP", "True")
        patch.setenv("LITELLM_TELEMETRY", "False")
        for name in ("OPENROUTER_API_KEY", "OR_API_KEY", "OPENROUTER_API_BASE"):
            patch.delenv(name, raising=False)
        import litellm

        yield litellm


def board_ids(api: str, **params: str) -> list[str]:
    response = httpx.get(
        f"{api}/models/user", params=params, headers={"Authorization": "Bearer k"}
    )
    response.raise_for_status()
    return [m["id"] for m in response.json()["data"]]


@pytest.mark.slow
def test_the_openrouter_model_list_is_the_boards(litellm, demo_api):
    listed = litellm.get_valid_models(
        check_provider_endpoint=True,
        custom_llm_provider="openrouter",
        api_key="any-key",
        api_base=demo_api,
    )
    expected = board_ids(demo_api)
    assert len(expected) > 300
    assert listed == [f"openrouter/{i}" for i in expected]
    assert "openrouter/liquid/lfm-40b" in listed


@pytest.mark.slow
def test_the_chat_completions_url_as_api_base_finds_the_list(litellm, demo_api):
    # Deployments often configure the completions URL; LiteLLM strips it.
    listed = litellm.get_valid_models(
        check_provider_endpoint=True,
        custom_llm_provider="openrouter",
        api_key="any-key",
        api_base=demo_api + "/chat/completions",
    )
    assert listed == [f"openrouter/{i}" for i in board_ids(demo_api)]


@pytest.mark.slow
def test_without_a_key_it_lists_nothing_rather_than_asking(litellm, demo_api):
    from litellm.llms.openrouter.common_utils import OpenRouterModelInfo

    with pytest.raises(ValueError, match="OPENROUTER_API_KEY"):
        OpenRouterModelInfo().get_models(api_key=None, api_base=demo_api)
    # And the board, asked without one, answers upstream's 401.
    assert httpx.get(f"{demo_api}/models/user").status_code == 401
