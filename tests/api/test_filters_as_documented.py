"""GET /api/v1/models's filters as OpenRouter's SDKs document them: `arch` is a
model family, `q` searches names and ids, `output_modalities` defaults to text,
`use_rss` answers a feed, and /models/user wants a key."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from catalog.models import LanguageModel

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.backend,
    pytest.mark.state("catalogued"),
]


def _ids(client, query: str) -> list[str]:
    response = client.get(f"/api/v1/models?output_modalities=all&{query}")
    assert response.status_code == 200, response.content
    return [m["id"] for m in response.json()["data"]]


def _with_tokenizers(*names: str) -> set[str]:
    return set(
        LanguageModel.objects.filter(tokenizer__in=names).values_list("slug", flat=True)
    )


@pytest.mark.parametrize("arch", ["Llama", "llama", "LLAMA"])
def test_arch_is_the_model_family_in_any_case(client, catalogued, arch):
    llama = _with_tokenizers("Llama2", "Llama3", "Llama4")
    assert len(llama) > 20
    assert set(_ids(client, f"arch={arch}")) == llama


def test_arch_still_takes_a_tokenizer_name(client, catalogued):
    assert set(_ids(client, "arch=llama3")) == _with_tokenizers("Llama3")
    assert set(_ids(client, "arch=Qwen")) == _with_tokenizers("Qwen", "Qwen3")
    assert set(_ids(client, "arch=GPT")) == _with_tokenizers("GPT")
    assert _ids(client, "arch=nothing-like-it") == []


def test_q_matches_names_and_ids_only(client, catalogued):
    found = client.get("/api/v1/models?output_modalities=all&q=gpt-4o").json()["data"]
    assert found
    # Names and ids (the search's aliases of them included), never a description.
    assert all(m["id"].startswith("openai/gpt-4") for m in found), found
    assert "openai/gpt-4o" in {m["id"] for m in found}
    described = LanguageModel.objects.filter(description__icontains="gpt-4o")
    only_described = [
        m.slug for m in described if "4o" not in f"{m.slug} {m.name}".lower()
    ]
    assert only_described, "the demo has models that only mention GPT-4o"
    assert not set(only_described) & {m["id"] for m in found}


def test_the_sites_search_keeps_descriptions(client, catalogued):
    """The list page's search is the board's own: it still reads descriptions."""
    described = LanguageModel.objects.filter(description__icontains="gpt-4o")
    only_described = next(
        m for m in described if "4o" not in f"{m.slug} {m.name}".lower()
    )
    page = client.get("/?q=gpt-4o")
    assert page.status_code == 200
    assert only_described.slug.encode() in page.content


def test_output_modalities_defaults_to_text(client, catalogued):
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(
        output_modalities=["image"]
    )
    default = client.get("/api/v1/models").json()["data"]
    every = _ids(client, "")
    assert "liquid/lfm-40b" not in {m["id"] for m in default}
    assert "liquid/lfm-40b" in every
    assert len(default) == len(every) - 1
    count = client.get("/api/v1/models/count").json()["data"]["count"]
    assert count == len(default)
    # A model declaring no output (added by hand) is listed as a text model.
    LanguageModel.objects.filter(slug="liquid/lfm-40b").update(output_modalities=[])
    assert "liquid/lfm-40b" in _ids(client, "output_modalities=text")


def test_models_for_user_without_a_key_is_401(client, catalogued):
    response = client.get("/api/v1/models/user")
    assert response.status_code == 401
    assert "key" in response.json()["error"]["message"].lower()
    keyed = client.get("/api/v1/models/user", HTTP_AUTHORIZATION="Bearer sk-or-x")
    assert keyed.status_code == 200
    assert len(keyed.json()["data"]) == len(client.get("/api/v1/models").json()["data"])


@pytest.mark.parametrize("chat_links", [False, True])
def test_use_rss_answers_the_list_as_a_feed(client, catalogued, chat_links):
    query = "use_rss=true&arch=llama" + (
        "&use_rss_chat_links=true" if chat_links else ""
    )
    response = client.get(f"/api/v1/models?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    items = ET.fromstring(response.content).findall("./channel/item")
    listed = _ids(client, "arch=llama")
    assert [i.findtext("guid") for i in items] == listed
    link = items[0].findtext("link") or ""
    if chat_links:
        assert "/chat?models=" in link
    else:
        assert link.endswith("/" + listed[0])
