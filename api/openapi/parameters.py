"""The document's parameters: query parameters read from the forms that validate
them (name, type, bounds and description declared once, on the form's fields), and
a model's address in the path."""

from __future__ import annotations

from typing import Any, cast

from django import forms

from api.forms import BooleanParam, PriceParam, TextParam

# Text in a query string may be anything but a NUL (Django's fields refuse it).
NO_NUL = "^[^\\x00]*$"


def path_parameter(name: str, description: str, example: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": {"type": "string"},
        "example": example,
    }


AUTHOR = path_parameter("author", "Author part of the model id (`openai`).", "liquid")
SLUG = path_parameter(
    "slug", "Rest of the model id, variant included (`gpt-4o:free`).", "lfm-40b"
)


def query_parameters(
    form: type[forms.Form], *, leave_out: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """A form's fields as query parameters, in the form's order."""
    descriptions = getattr(form, "DESCRIPTIONS", {})
    return [
        {
            "name": name,
            "in": "query",
            "required": field.required,
            "description": descriptions.get(name) or str(field.help_text),
            "schema": field_schema(field),
        }
        for name, field in form.base_fields.items()
        if name not in leave_out
    ]


def field_schema(field: forms.Field) -> dict[str, Any]:
    """What a field accepts, as a JSON Schema (an exact description where the
    clean method checks a vocabulary, a safe subset for decimals)."""
    match field:
        case BooleanParam():
            return {"type": "boolean", "default": False}
        case PriceParam():
            return {"type": "number", "minimum": 0}
        case forms.DecimalField():
            return {"type": "string", "pattern": _decimal_pattern(field)}
        case forms.FloatField():  # before IntegerField, its base
            return {
                "type": "number",
                "minimum": field.min_value,
                "maximum": field.max_value,
            }
        case forms.IntegerField():
            return {
                "type": "integer",
                "minimum": field.min_value,
                "maximum": field.max_value,
            }
        case forms.DateField():
            return {"type": "string", "format": "date"}
        case forms.ChoiceField():
            # Our choice fields list (value, label) pairs; "" is no choice.
            choices = cast(list[tuple[str, str]], field.choices)
            return {"type": "string", "enum": [v for v, _ in choices if v]}
        case TextParam():
            accepts = field.accepts()
            if "enum" in accepts:
                return {"type": "string", **accepts}
            return {"type": "string", "maxLength": field.max_length, **accepts}
        case forms.CharField():
            return {"type": "string", "maxLength": field.max_length, "pattern": NO_NUL}
    raise TypeError(f"No schema for a {type(field).__name__}")


def _decimal_pattern(field: forms.DecimalField) -> str:
    """Plain decimals from 0 to the field's maximum, with its decimal places (the
    form also reads exponents and spaces; the document promises this much)."""
    most = field.max_value
    if not isinstance(most, int):
        raise TypeError("A decimal parameter's maximum is a whole number")
    places = field.decimal_places
    below = len(str(most)) - 1
    return rf"^({most}(\.0{{1,{places}}})?|[0-9]{{1,{below}}}(\.[0-9]{{1,{places}}})?)$"
