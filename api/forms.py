"""Query-string validation for the API: bad input is a 400 with a message."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from django import forms

from api.selectors import ORDERS, ModelQuery

SCHEMAS_FILE = Path(__file__).resolve().parent / "openrouter-schemas.json"
MAX_LIMIT = 1000
DEFAULT_LIMIT = 500


@functools.cache
def upstream_schemas() -> dict[str, Any]:
    """The copied OpenRouter component schemas (see openrouter-schemas.json)."""
    return json.loads(SCHEMAS_FILE.read_text())["components"]["schemas"]


def output_modalities() -> list[str]:
    return [m for m in upstream_schemas()["OutputModality"]["enum"] if m]


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class BooleanParam(forms.Field):
    """ "true"/"false"/"1"/"0" strictly; anything else is an error, an empty value
    included (the document says boolean: `?include_delisted=` is no boolean)."""

    TRUE, FALSE = {"true", "1", "yes"}, {"false", "0", "no"}

    def to_python(self, value: Any) -> bool:
        if value is None:
            return False
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("must be true or false")


class ApiParams(forms.Form):
    """Query parameters. Those in NOT_EMPTY are an integer, a date or one of a list
    in the document: given empty (`?at=`) they are no such value, so a 400 rather
    than silently the default."""

    NOT_EMPTY: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        for name in self.NOT_EMPTY:
            if name in self.data and not str(self.data[name]).strip():
                self.add_error(name, "must not be empty")
        return cleaned


class ModelListParams(ApiParams):
    NOT_EMPTY = ("order", "offset", "limit")

    output_modalities = forms.CharField(required=False, max_length=200)
    supported_parameters = forms.CharField(required=False, max_length=500)
    q = forms.CharField(required=False, max_length=200, strip=True)
    order = forms.ChoiceField(required=False, choices=[(o, o) for o in ORDERS])
    offset = forms.IntegerField(required=False, min_value=0, max_value=10**9)
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)
    include_delisted = BooleanParam(required=False)

    def clean_output_modalities(self) -> frozenset[str] | None:
        values = _comma_list(self.cleaned_data["output_modalities"] or "all")
        unknown = sorted(set(values) - {"all", *output_modalities()})
        if unknown:
            raise forms.ValidationError(
                f"unknown modality {', '.join(unknown)}; use all or a comma list of "
                + ", ".join(output_modalities())
            )
        return None if "all" in values else frozenset(values)

    def clean_supported_parameters(self) -> frozenset[str]:
        return frozenset(_comma_list(self.cleaned_data["supported_parameters"]))

    def query(self) -> ModelQuery:
        data = self.cleaned_data
        return ModelQuery(
            output_modalities=data["output_modalities"],
            supported_parameters=data["supported_parameters"],
            q=data["q"],
            order=data["order"] or "newest",
            include_delisted=data["include_delisted"],
        )


class ModelParams(ApiParams):
    NOT_EMPTY = ("at",)

    at = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    include_delisted = BooleanParam(required=False)


class ListParams(forms.Form):
    include_delisted = BooleanParam(required=False)


def form_error_message(form: forms.Form) -> str:
    """One readable line from a form's errors: "limit: ... ; order: ..."."""
    parts = []
    for field, errors in form.errors.items():
        text = " ".join(str(e) for e in errors)
        parts.append(f"{field}: {text}" if field != "__all__" else text)
    return "Invalid query parameter: " + "; ".join(parts)
