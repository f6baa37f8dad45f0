"""Query-string validation for the API: bad input is a 400 with a message."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from api.selectors import (
    ORDERS,
    REGIONS,
    SORTS,
    UNSUPPORTED_SORTS,
    ModelQuery,
)
from api.upstream import known_values

CONTROL = re.compile(r"[\x00-\x1f\x7f]")
MAX_LIMIT = 1000
DEFAULT_LIMIT = 500

# Output modalities OpenRouter's current SDK knows beyond the copied schemas.
OUTPUT_MODALITIES_SINCE = ("decisions",)


def output_modalities() -> list[str]:
    listed = [m for m in known_values("OutputModality") if m]
    return listed + [m for m in OUTPUT_MODALITIES_SINCE if m not in listed]


def input_modalities() -> list[str]:
    return [m for m in known_values("InputModality") if m]


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


class PriceParam(forms.Field):
    """A price bound in USD per million tokens, as OpenRouter's SDK sends it: any
    finite, non-negative number, in exponent form included ("1e-06")."""

    def to_python(self, value: Any) -> Decimal | None:
        if value in (None, ""):
            return None
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, ValueError):
            raise forms.ValidationError(
                "must be a number (USD per million tokens)"
            ) from None
        if not number.is_finite() or number < 0:
            raise forms.ValidationError("must be a finite number of at least 0")
        return number


# OpenRouter filters whose data we do not keep: asked for, they answer a 400 that
# says so rather than silently everything.
UNSUPPORTED_FILTERS = {
    "distillable": "which models may be distilled is not in the catalogue",
    "zdr": "endpoints' data retention policies are not in the catalogue",
    **{
        f"{bound}_{index}": "the catalogue keeps no Artificial Analysis indices"
        for bound in ("min", "max")
        for index in ("intelligence_index", "coding_index", "agentic_index")
    },
    **{
        f"{bound}_tool_success_rate": "the catalogue keeps no tool-call success rates"
        for bound in ("min", "max")
    },
}
AGE_DAYS_MAX = 100_000
CONTEXT_MAX = 10**15


class ModelListParams(ApiParams):
    """GET /api/v1/models, /models/count and /models/user: OpenRouter's filters."""

    NOT_EMPTY = ("order", "offset", "limit")

    output_modalities = forms.CharField(required=False, max_length=200)
    input_modalities = forms.CharField(required=False, max_length=200)
    supported_parameters = forms.CharField(required=False, max_length=500)
    q = forms.CharField(required=False, max_length=200, strip=True)
    order = forms.ChoiceField(required=False, choices=[(o, o) for o in ORDERS])
    sort = forms.CharField(required=False, max_length=60)
    offset = forms.IntegerField(required=False, min_value=0, max_value=10**9)
    limit = forms.IntegerField(required=False, min_value=1, max_value=MAX_LIMIT)
    include_delisted = BooleanParam(required=False)
    context = forms.IntegerField(required=False, min_value=0, max_value=CONTEXT_MAX)
    model_authors = forms.CharField(required=False, max_length=1000)
    providers = forms.CharField(required=False, max_length=1000)
    arch = forms.CharField(required=False, max_length=60, strip=True)
    region = forms.CharField(required=False, max_length=10)
    category = forms.CharField(required=False, max_length=60, strip=True)
    min_price = PriceParam(required=False)
    max_price = PriceParam(required=False)
    min_output_price = PriceParam(required=False)
    max_output_price = PriceParam(required=False)
    min_age_days = forms.IntegerField(
        required=False, min_value=0, max_value=AGE_DAYS_MAX
    )
    max_age_days = forms.IntegerField(
        required=False, min_value=0, max_value=AGE_DAYS_MAX
    )

    def __init__(self, data: Any, *args: Any, **kwargs: Any):
        super().__init__(data, *args, **kwargs)
        self.asked = data

    def clean_output_modalities(self) -> frozenset[str] | None:
        values = _comma_list(self.cleaned_data["output_modalities"] or "all")
        unknown = sorted(set(values) - {"all", *output_modalities()})
        if unknown:
            raise forms.ValidationError(
                f"unknown modality {', '.join(unknown)}; use all or a comma list of "
                + ", ".join(output_modalities())
            )
        return None if "all" in values else frozenset(values)

    def clean_input_modalities(self) -> frozenset[str]:
        values = frozenset(_comma_list(self.cleaned_data["input_modalities"]))
        known = input_modalities()
        unknown = sorted(values - set(known))
        if unknown:
            raise forms.ValidationError(
                f"unknown modality {', '.join(unknown)}; use a comma list of "
                + ", ".join(known)
            )
        return values

    def clean_supported_parameters(self) -> frozenset[str]:
        return frozenset(_comma_list(self.cleaned_data["supported_parameters"]))

    def clean_model_authors(self) -> frozenset[str]:
        return frozenset(_comma_list(self.cleaned_data["model_authors"].lower()))

    def clean_providers(self) -> frozenset[str]:
        return frozenset(_comma_list(self.cleaned_data["providers"].lower()))

    def clean_arch(self) -> str:
        return self.cleaned_data["arch"].lower()

    def clean_category(self) -> str:
        # OpenRouter ranks categories by its apps' usage, which we do not have:
        # here a category is an editors' tag; one no editor made matches nothing.
        return self.cleaned_data["category"].lower()

    def clean_region(self) -> str:
        region = self.cleaned_data["region"].strip().lower()
        if region and region not in REGIONS:
            raise forms.ValidationError(
                f"unknown region {region!r}; use one of {', '.join(REGIONS)}"
            )
        return region

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"].strip()
        if sort in UNSUPPORTED_SORTS:
            raise forms.ValidationError(
                f"{sort} is not supported here: the catalogue keeps no Artificial "
                "Analysis or Design Arena scores"
            )
        if sort and sort not in SORTS:
            raise forms.ValidationError(
                f"unknown sort {sort!r}; use one of {', '.join(SORTS)}"
            )
        return sort

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, why in UNSUPPORTED_FILTERS.items():
            if name in self.asked:
                self.add_error(None, f"{name} is not supported here: {why}.")
        # A bound above its other end is an empty band: no model, not an error.
        return data

    def query(self) -> ModelQuery:
        data = self.cleaned_data
        return ModelQuery(
            output_modalities=data["output_modalities"],
            input_modalities=data["input_modalities"],
            supported_parameters=data["supported_parameters"],
            q=data["q"],
            # A search is ranked by relevance unless another order is asked for;
            # OpenRouter's `sort` wins over our older `order`.
            order=data["sort"]
            or data["order"]
            or ("relevance" if data["q"] else "newest"),
            include_delisted=data["include_delisted"],
            context=data["context"],
            model_authors=data["model_authors"],
            providers=data["providers"],
            arch=data["arch"],
            region=data["region"],
            category=data["category"],
            min_price=data["min_price"],
            max_price=data["max_price"],
            min_output_price=data["min_output_price"],
            max_output_price=data["max_output_price"],
            min_age_days=data["min_age_days"],
            max_age_days=data["max_age_days"],
        )


class SuggestParams(forms.Form):
    # Stripped of ASCII spaces only, as the document's pattern says: a query of
    # other characters is a search (for nothing, when it holds no letter or digit).
    q = forms.CharField(max_length=200, strip=False)

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        if CONTROL.search(q):
            raise forms.ValidationError("must not contain control characters")
        if not q.strip(" "):
            raise forms.ValidationError("This field is required.")
        return q.strip(" ")


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
