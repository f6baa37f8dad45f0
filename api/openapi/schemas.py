"""The component schemas, generated from the declared shapes (api.shapes) with
pydantic's JSON Schema generation, plus the upstream schemas they refer to."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import (
    GenerateJsonSchema,
    JsonRef,
    JsonSchemaMode,
    JsonSchemaValue,
)
from pydantic_core import CoreSchema
from pydantic_core.core_schema import TypedDictSchema

from api.upstream import REF, upstream_schemas


class ComponentSchemas(GenerateJsonSchema):
    """pydantic's generation, with three differences: no title on every property (a
    title per object is enough); a docstring's description on one line, as
    upstream writes them; references to upstream's schemas, which pydantic does
    not know, left for `with_upstream` to resolve."""

    def field_title_should_be_set(self, schema: CoreSchema) -> bool:
        return False

    def typed_dict_schema(self, schema: TypedDictSchema) -> JsonSchemaValue:
        json_schema = super().typed_dict_schema(schema)
        if "description" in json_schema:
            json_schema["description"] = " ".join(json_schema["description"].split())
        return json_schema

    def get_schema_from_definitions(self, json_ref: JsonRef) -> JsonSchemaValue | None:
        if json_ref not in self.json_to_defs_refs:
            return None
        return super().get_schema_from_definitions(json_ref)


def generated_schemas(
    shapes: Iterable[Any],
) -> tuple[list[JsonSchemaValue], dict[str, Any]]:
    """Each shape's schema (a reference to its component, or inline for a plain
    type) and the components they need, in serialization mode."""
    mode: JsonSchemaMode = "serialization"
    inputs = [(i, mode, TypeAdapter(t)) for i, t in enumerate(shapes)]
    by_input, definitions = TypeAdapter.json_schemas(
        inputs, ref_template=REF + "{model}", schema_generator=ComponentSchemas
    )
    schemas = [by_input[(i, mode)] for i in range(len(inputs))]
    return schemas, with_upstream(definitions.get("$defs", {}))


def with_upstream(components: dict[str, Any]) -> dict[str, Any]:
    """The components, and every upstream schema they refer to, directly or not."""
    components = dict(components)
    upstream = upstream_schemas()
    missing = [n for n in _referenced(components) if n not in components]
    while missing:
        name = missing.pop()
        if name not in components:
            components[name] = copy.deepcopy(upstream[name])
            missing += _referenced({name: components[name]})
    return dict(sorted(components.items()))


def _referenced(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        ref = value.get("$ref")
        if isinstance(ref, str) and ref.startswith(REF):
            yield ref.removeprefix(REF)
        for item in value.values():
            yield from _referenced(item)
    elif isinstance(value, list):
        for item in value:
            yield from _referenced(item)
