"""Query-string validation for the API: bad input is a 400 with a message."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from api.scores import ScoreFilters
from api.selectors import (
    ORDERS,
    REGIONS,
    SORTS,
    UNSUPPORTED_SORTS,
    ModelQuery,
)
from api.upstream import known_values
from catalog.categories import CATEGORIES

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


def comma_list_pattern(known: list[str]) -> str:
    """A comma list of known words (spaces around items and empty items ignored)."""
    words = "|".join(re.escape(w) for w in known)
    item = rf"\s*(?:{words})?\s*"
    return rf"^{item}(?:,{item})*$"


def output_modalities_pattern() -> str:
    """What `output_modalities` accepts: `all`, or a comma list of known output
    modalities (spaces around items and empty items ignored). Others are a 400."""
    return comma_list_pattern(["all", *output_modalities()])


def _comma_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


INCLUDE_DELISTED = (
    "Also return models (or providers) no longer listed upstream: `true` or "
    "`false` (`1`/`0`, `yes`/`no` are read the same). An empty value is a 400, "
    "as for any value that is not a boolean."
)
SEARCH = (
    "Search by model name or id, as upstream documents `q`: every word must match "
    "the id, name, author or aliases, never the description alone (case, "
    "punctuation and version dots ignored; one typo forgiven in words of five "
    "letters or more)."
)


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


class TextParam(forms.CharField):
    """Text its form's clean method checks further (known words, no control
    characters), with a message naming what it accepts. `accepts` gives the
    document's schema of what passes (an enum or a pattern): a function, so
    vocabularies are read when the document is built, not at import."""

    def __init__(self, *, accepts: Callable[[], dict[str, Any]], **kwargs: Any):
        super().__init__(**kwargs)
        self.accepts = accepts


class ApiParams(forms.Form):
    """Query parameters, each field's help_text its description in the document
    (DESCRIPTIONS for fields inherited from a page's form, whose fields carry page
    labels). Those in NOT_EMPTY are an integer or a date in the document, and a
    TextParam whose document is an enum is one of its list: given empty (`?at=`,
    `?zdr=`) they are no such value, so a 400 rather than silently the default."""

    NOT_EMPTY: tuple[str, ...] = ()
    DESCRIPTIONS: dict[str, str] = {}

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        for name, field in self.fields.items():
            given_empty = name in self.data and not str(self.data[name]).strip()
            if given_empty and self._never_empty(name, field):
                self.add_error(name, "must not be empty")
        return cleaned

    def _never_empty(self, name: str, field: forms.Field) -> bool:
        # A vocabulary is read only for a parameter given empty, not per request.
        return name in self.NOT_EMPTY or (
            isinstance(field, TextParam) and "enum" in field.accepts()
        )


class PriceParam(forms.Field):
    """A price bound in USD per million tokens, as OpenRouter's SDK sends it: any
    finite, non-negative number, in exponent form included ("1e-06")."""

    def to_python(self, value: Any) -> Decimal | None:
        if value is None:
            return None
        if value == "":  # a number, the document says: given empty is no number
            raise forms.ValidationError("must be a number (USD per million tokens)")
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
    **{
        f"{bound}_tool_success_rate": "the catalogue keeps no tool-call success rates"
        for bound in ("min", "max")
    },
}
AGE_DAYS_MAX = 100_000
CONTEXT_MAX = 10**15
PER_M = (
    " USD per million tokens (`1e-06` form too); variable and unknown prices are "
    "within no bound."
)


class ModelListParams(ApiParams, ScoreFilters):
    """GET /api/v1/models, /models/count and /models/user: OpenRouter's filters."""

    NOT_EMPTY = ("order", "offset", "limit")

    output_modalities = TextParam(
        required=False,
        max_length=200,
        accepts=lambda: {"pattern": output_modalities_pattern()},
        help_text="Comma list of output modalities, or `all`; `text` by default, "
        "as upstream. An unknown modality is a 400 naming the known ones.",
    )
    input_modalities = TextParam(
        required=False,
        max_length=200,
        accepts=lambda: {"pattern": comma_list_pattern(input_modalities())},
        help_text="Comma list; a model must accept all of them. An unknown "
        "modality is a 400 naming the known ones.",
    )
    supported_parameters = forms.CharField(
        required=False,
        max_length=500,
        help_text="Comma list; a model must support all.",
    )
    q = forms.CharField(required=False, max_length=200, strip=True, help_text=SEARCH)
    order = forms.ChoiceField(
        required=False,
        choices=[(o, o) for o in ORDERS],
        help_text="Sort order: `relevance` when `q` is given, else `upstream` "
        "(upstream's own order, kept from the poll; relevance without `q` is "
        "upstream's order). Every order breaks ties by upstream's order.",
    )
    sort = TextParam(
        required=False,
        max_length=60,
        accepts=lambda: {"enum": list(SORTS)},
        help_text="OpenRouter's sort: "
        + ", ".join(f"`{s}`" for s in SORTS)
        + ". `pricing-*` orders by the mean of the prompt and completion prices; "
        "the benchmark sorts by Artificial Analysis's indices and the best Design "
        "Arena Elo, models without a score last; "
        "`most-popular` and `top-weekly` both by tokens in the last 7 days. "
        "Not together with `order`.",
    )
    offset = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10**9,
        help_text="Skip this many (opt-in pagination).",
    )
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=f"Page size, default {DEFAULT_LIMIT}, at most {MAX_LIMIT}. "
        "Without offset and limit the full list is returned.",
    )
    include_delisted = BooleanParam(required=False, help_text=INCLUDE_DELISTED)
    use_rss = BooleanParam(
        required=False,
        help_text="`true`: the list as an RSS 2.0 feed, one item per model in "
        "the list's order, as upstream answers.",
    )
    use_rss_chat_links = BooleanParam(
        required=False,
        help_text="`true`: the feed's items link to the model's chat upstream "
        "instead of its page here.",
    )
    context = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=CONTEXT_MAX,
        help_text="Minimum context length in tokens.",
    )
    model_authors = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Comma list of author slugs (`openai,anthropic`).",
    )
    providers = forms.CharField(
        required=False,
        max_length=1000,
        help_text="Comma list of providers (slug or name, any case): models with "
        "a listed endpoint of one of them.",
    )
    arch = forms.CharField(
        required=False,
        max_length=60,
        strip=True,
        help_text="Tokenizer group (`GPT`, `Llama3`, …), any case.",
    )
    region = TextParam(
        required=False,
        max_length=10,
        accepts=lambda: {"enum": sorted(REGIONS)},
        help_text="Models with a listed endpoint whose provider has a datacenter "
        "there.",
    )
    zdr = TextParam(
        required=False,
        max_length=10,
        accepts=lambda: {"enum": ["true"]},
        help_text="`true`: models with a listed endpoint that OpenRouter lists as "
        "retaining no data (its /endpoints/zdr).",
    )
    category = TextParam(
        required=False,
        max_length=60,
        accepts=lambda: {"enum": list(CATEGORIES)},
        help_text="A use case: the models upstream ranks for its tasks (its task "
        "classifications, polled). A known category with no ranked model yet "
        "lists none; an unknown one is a 400 naming the known ones.",
    )
    min_price = PriceParam(required=False, help_text="Lowest prompt price." + PER_M)
    max_price = PriceParam(required=False, help_text="Highest prompt price." + PER_M)
    min_output_price = PriceParam(
        required=False, help_text="Lowest completion price." + PER_M
    )
    max_output_price = PriceParam(
        required=False, help_text="Highest completion price." + PER_M
    )
    min_age_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=AGE_DAYS_MAX,
        help_text="Models at least this many days old.",
    )
    max_age_days = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=AGE_DAYS_MAX,
        help_text="Models at most this many days old.",
    )

    def __init__(self, data: Any, *args: Any, **kwargs: Any):
        super().__init__(data, *args, **kwargs)
        self.asked = data

    def clean_output_modalities(self) -> frozenset[str] | None:
        values = _comma_list(self.cleaned_data["output_modalities"] or "text")
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
        arch: str = self.cleaned_data["arch"]
        return arch.lower()

    def clean_category(self) -> str:
        category: str = self.cleaned_data["category"].strip().lower()
        if category and category not in CATEGORIES:
            raise forms.ValidationError(
                f"unknown category {category[:60]!r}; use one of "
                + ", ".join(CATEGORIES)
            )
        return category

    def clean_region(self) -> str:
        region: str = self.cleaned_data["region"].strip().lower()
        if region and region not in REGIONS:
            raise forms.ValidationError(
                f"unknown region {region!r}; use one of {', '.join(REGIONS)}"
            )
        return region

    def clean_zdr(self) -> bool:
        # Upstream's only value is "true"; leaving the parameter out lists all.
        zdr: str = self.cleaned_data["zdr"].strip().lower()
        if zdr not in ("", "true"):
            raise forms.ValidationError(
                f"unknown value {zdr[:20]!r}; use true, or leave zdr out"
            )
        return zdr == "true"

    def clean_sort(self) -> str:
        sort: str = self.cleaned_data["sort"].strip()
        if sort in UNSUPPORTED_SORTS:
            raise forms.ValidationError(f"{sort} is not supported here")
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
            or ("relevance" if data["q"] else "upstream"),
            include_delisted=data["include_delisted"],
            context=data["context"],
            model_authors=data["model_authors"],
            providers=data["providers"],
            arch=data["arch"],
            region=data["region"],
            zdr=data["zdr"],
            category=data["category"],
            min_price=data["min_price"],
            max_price=data["max_price"],
            min_output_price=data["min_output_price"],
            max_output_price=data["max_output_price"],
            min_age_days=data["min_age_days"],
            max_age_days=data["max_age_days"],
            score_bounds=self.score_bounds(),
        )


class SuggestParams(forms.Form):
    # Stripped of ASCII spaces only, as the pattern says: a query of other
    # characters is a search (for nothing, when it holds no letter or digit).
    q = TextParam(
        max_length=200,
        strip=False,
        # Something besides spaces; no control characters.
        accepts=lambda: {
            "pattern": r"^[^\x00-\x1f\x7f]*[^\x00-\x20\x7f][^\x00-\x1f\x7f]*$"
        },
        help_text=SEARCH + " Spaces around it are ignored; a query without a "
        "letter or a digit suggests nothing.",
    )

    def clean_q(self) -> str:
        q: str = self.cleaned_data["q"]
        if CONTROL.search(q):
            raise forms.ValidationError("must not contain control characters")
        if not q.strip(" "):
            raise forms.ValidationError("This field is required.")
        return q.strip(" ")


class ModelParams(ApiParams):
    NOT_EMPTY = ("at",)

    at = forms.DateField(
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text="A date (YYYY-MM-DD): return the prices in force at the end of "
        "that day, rebuilt from recorded price changes (the price after the last "
        "change on or before the date, else the price before the first change "
        "after it, else today's). 404 when the model was first seen after that "
        "date. Other fields are today's.",
    )
    include_delisted = BooleanParam(required=False, help_text=INCLUDE_DELISTED)


class ListParams(forms.Form):
    include_delisted = BooleanParam(required=False, help_text=INCLUDE_DELISTED)


def form_error_message(form: forms.Form) -> str:
    """One readable line from a form's errors: "limit: ... ; order: ..."."""
    parts = []
    for field, errors in form.errors.items():
        text = " ".join(str(e) for e in errors)
        parts.append(f"{field}: {text}" if field != "__all__" else text)
    return "Invalid query parameter: " + "; ".join(parts)
