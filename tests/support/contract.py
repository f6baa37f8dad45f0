"""What an SDK's pydantic model requires of a JSON body, field by field.

OpenRouter's SDK is generated from its current API: a field it types without a
default must be present (nullable or not). Walking a response model and a body we
served side by side names every required field the body lacks, at its path
(`data.endpoints[].native_tools`), nested objects included.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel


def models_in(annotation: Any) -> tuple[type[BaseModel], ...]:
    """The pydantic models an annotation can hold directly (`Nullable[X]`,
    `Optional[X]`, unions, `Annotated`)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return (annotation,)
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType, typing.Annotated):
        args = typing.get_args(annotation)
        args = args[:1] if origin is typing.Annotated else args
        return tuple(m for arg in args for m in models_in(arg))
    return ()


def _containers(annotation: Any) -> tuple[str, Any] | None:
    """("list", item type) or ("dict", value type) when the annotation is one."""
    for arg in (annotation, *typing.get_args(annotation)):
        origin = typing.get_origin(arg)
        if origin in (list, typing.List):  # noqa: UP006 - the SDK spells List
            return "list", typing.get_args(arg)[0]
        if origin in (dict, typing.Dict):  # noqa: UP006
            return "dict", typing.get_args(arg)[1]
    return None


def missing_fields(model: type[BaseModel], body: Any, path: str = "") -> set[str]:
    """Paths of the fields `model` requires that `body` lacks, recursively."""
    if not isinstance(body, dict):
        return set()
    missing: set[str] = set()
    for name, field in model.model_fields.items():
        key = field.alias or name
        where = f"{path}.{key}" if path else key
        if key not in body:
            if field.is_required():
                missing.add(where)
            continue
        missing |= _missing_in_value(field.annotation, body[key], where)
    return missing


def _missing_in_value(annotation: Any, value: Any, where: str) -> set[str]:
    missing: set[str] = set()
    for nested in models_in(annotation):
        if isinstance(value, dict):
            missing |= missing_fields(nested, value, where)
    container = _containers(annotation)
    if container is None:
        return missing
    kind, inner = container
    if kind == "list" and isinstance(value, list):
        for item in value:
            missing |= _missing_in_value(inner, item, f"{where}[]")
    if kind == "dict" and isinstance(value, dict):
        for item in value.values():
            missing |= _missing_in_value(inner, item, f"{where}{{}}")
    return missing


def required_paths(model: type[BaseModel], path: str = "", depth: int = 0) -> set[str]:
    """Every required field path of a model, nested models' included (lists as
    `[]`, maps as `{}`): what a body must carry for the SDK to parse it."""
    found: set[str] = set()
    if depth > 8:
        return found
    for name, field in model.model_fields.items():
        where = f"{path}.{field.alias or name}" if path else field.alias or name
        if field.is_required():
            found.add(where)
        found |= _required_inside(field.annotation, where, depth)
    return found


def _required_inside(annotation: Any, where: str, depth: int) -> set[str]:
    found: set[str] = set()
    for nested in models_in(annotation):
        found |= required_paths(nested, where, depth + 1)
    container = _containers(annotation)
    if container is not None:
        kind, inner = container
        found |= _required_inside(
            inner, where + ("[]" if kind == "list" else "{}"), depth
        )
    return found
