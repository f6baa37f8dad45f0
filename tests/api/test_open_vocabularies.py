"""What upstream keeps open stays open in our document: a client generated from
it accepts the next parameter upstream adds to a model's `supported_parameters`
and `default_parameters`."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import Draft202012Validator

from api.upstream import REF

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(client) -> dict[str, Any]:
    return client.get("/api/v1/openapi.json").json()


def validator(document: dict[str, Any], schema: dict[str, Any]) -> Draft202012Validator:
    """A validator of `schema`, its references resolved in the document."""
    return Draft202012Validator({**schema, "components": document["components"]})


@pytest.mark.parametrize("shape", ["Model", "PublicEndpoint"])
def test_a_parameter_upstream_adds_tomorrow_is_valid(document, shape):
    schema = document["components"]["schemas"][shape]["properties"]
    items = schema["supported_parameters"]["items"]
    items = document["components"]["schemas"].get(
        items.get("$ref", "").removeprefix(REF), items
    )
    assert "enum" not in items and items["type"] == "string"
    assert "temperature" in items["examples"]
    assert list(validator(document, items).iter_errors("min_tokens_per_second")) == []


def test_a_default_parameter_upstream_adds_tomorrow_is_valid(document):
    schema = document["components"]["schemas"]["Model"]["properties"]
    defaults = validator(document, schema["default_parameters"])
    value = {"temperature": 0.7, "min_tokens_per_second": 20}
    assert list(defaults.iter_errors(value)) == []
    assert list(defaults.iter_errors(None)) == []
    # What upstream says of the keys it knows still holds.
    assert list(defaults.iter_errors({"top_k": "x"})) != []
