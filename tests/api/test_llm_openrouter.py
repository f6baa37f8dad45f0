"""The `llm` CLI's OpenRouter plugin (llm 0.36, llm-openrouter 0.7.1) lists the
board's models as OpenRouter's.

The plugin has no base-URL setting: it GETs `https://openrouter.ai/api/v1/models`
(through `httpx.get`, cached for an hour in `llm.user_dir()`) and registers each
`data[].id` as `openrouter/<id>` once a key is set. The test redirects that one URL
prefix to the board, as a hosts-file entry would, and runs the real commands with
their own user directory and key in a temporary directory."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from tests.api.conftest import reads_outside_a_test_transaction

pytestmark = [pytest.mark.http, pytest.mark.clients, pytest.mark.django_db]
_django_db_marker = pytest.fixture(autouse=True, name="_django_db_marker")(
    reads_outside_a_test_transaction
)

UPSTREAM = "https://openrouter.ai/api/v1"


@pytest.fixture
def llm_cli(demo_api, tmp_path: Path, monkeypatch) -> Iterator[Any]:
    """The `llm` command with only this plugin, its files in a temporary
    directory, and OpenRouter's URLs answered by the board."""
    monkeypatch.setenv("LLM_USER_PATH", str(tmp_path / "llm"))
    monkeypatch.setenv("LLM_LOAD_PLUGINS", "llm-openrouter")
    monkeypatch.setenv("OPENROUTER_KEY", "any-key")
    real_get = httpx.get
    asked: list[str] = []

    def redirected(url: str, *args: Any, **kwargs: Any) -> httpx.Response:
        assert str(url).startswith(UPSTREAM), url  # nothing else leaves
        asked.append(str(url))
        return real_get(demo_api + str(url)[len(UPSTREAM) :], *args, **kwargs)

    monkeypatch.setattr(httpx, "get", redirected)
    from llm.cli import cli

    runner = CliRunner()
    yield lambda *args: runner.invoke(cli, list(args), catch_exceptions=False)
    assert asked, "the plugin never asked for the model list"


def board_models(api: str) -> list[dict[str, Any]]:
    response = httpx.request("GET", f"{api}/models")  # httpx.get is redirected
    response.raise_for_status()
    data: list[dict[str, Any]] = response.json()["data"]
    return data


@pytest.mark.slow
def test_openrouter_models_lists_the_boards_models(llm_cli, demo_api):
    result = llm_cli("openrouter", "models", "--json")
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    expected = board_models(demo_api)
    assert len(expected) > 300
    assert listed == expected


@pytest.mark.slow
def test_its_own_listing_reads_every_field_it_prints(llm_cli, demo_api):
    result = llm_cli("openrouter", "models")
    assert result.exit_code == 0, result.output
    # Names, context lengths with separators, and prices per million tokens.
    assert "- id: liquid/lfm-40b\n  name: Liquid: LFM 40B MoE\n" in result.output
    assert "  context_length: 32,768\n" in result.output
    assert "  pricing: prompt $0.15/M, completion $0.15/M\n" in result.output
    assert result.output.count("- id: ") == len(board_models(demo_api))


@pytest.mark.slow
def test_every_model_is_registered_for_prompts(llm_cli, demo_api):
    result = llm_cli("models", "list")
    assert result.exit_code == 0, result.output
    registered = {
        line.split(": ", 1)[1].split(" ")[0]
        for line in result.output.splitlines()
        if line.startswith("OpenRouter")
    }
    assert registered == {f"openrouter/{m['id']}" for m in board_models(demo_api)}
