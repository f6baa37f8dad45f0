"""OpenRouter's published component schemas (copied in openrouter-schemas.json), and
the two ways our declarations refer to them: objects we pass through as upstream
sent them, and upstream's vocabularies, which we keep open."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from pydantic import GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

SCHEMAS_FILE = Path(__file__).resolve().parent / "openrouter-schemas.json"
REF = "#/components/schemas/"


@functools.cache
def upstream_schemas() -> dict[str, Any]:
    """The copied OpenRouter component schemas (see openrouter-schemas.json)."""
    schemas: dict[str, Any] = json.loads(SCHEMAS_FILE.read_text())["components"][
        "schemas"
    ]
    return schemas


def known_values(name: str) -> list[Any]:
    """The values upstream's spec lists for one of its enums (null left out)."""
    return [v for v in upstream_schemas()[name].get("enum", []) if v is not None]


class UpstreamSchema:
    """Annotates a value we pass through as upstream sent it (a model's `reasoning`,
    say): the document refers to upstream's own schema of it rather than restating
    it; the document then carries that schema and those it refers to."""

    def __init__(self, name: str):
        self.name = name

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"$ref": REF + self.name}


class OpenVocabulary:
    """Annotates a string from one of upstream's vocabularies (providers,
    quantizations, modalities, …). Upstream extends these faster than its published
    spec; we pass its values through, and null when one is unknown (a hand-added
    model has no tokenizer). So the document says "a string, or null", with the
    known values as examples, rather than an enum the data would break."""

    def __init__(self, name: str):
        self.name = name

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        known = [str(v) for v in known_values(self.name) if v]
        what = upstream_schemas()[self.name].get("description", self.name).rstrip(".")
        return {
            "type": ["string", "null"],
            "description": f"{what}. Known values include {', '.join(known)}; "
            "upstream adds new ones, passed through as they come; null when unknown.",
            "examples": known[:5],
        }


class OpenKeys:
    """Annotates a string naming one of upstream's parameters, or an object keyed
    by them (`supported_parameters`, `default_parameters`). Upstream's published
    schema closes them (an enum, `additionalProperties: false`), but upstream adds
    parameters as models gain them: the document keeps upstream's known names as
    examples and what it says of each known key, and accepts new ones."""

    def __init__(self, name: str):
        self.name = name

    def __get_pydantic_json_schema__(
        self, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        schema = {
            key: value
            for key, value in upstream_schemas()[self.name].items()
            if key not in ("enum", "example", "additionalProperties")
        }
        if known := known_values(self.name):
            schema["examples"] = known
        return schema
