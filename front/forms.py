from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypedDict

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils import timezone

from catalog.models import EventKind, LanguageModel, Provider
from catalog.reads.selectors import models_visible
from changes.models import Watch, WatchSource
from changes.watches import watch_create, watch_kinds, webhook_url_problem
from stats import account

SLUG = RegexValidator(r"^[A-Za-z0-9._~-]+$", "Use letters, digits, dots or dashes.")
PARAMETER = RegexValidator(r"^[a-z0-9_]+$", "Use lower-case letters and underscores.")

INPUT_MODALITIES = [("", "any")] + [
    (m, m) for m in ("text", "image", "file", "audio", "video")
]
OUTPUT_MODALITIES = [("", "any")] + [
    (m, m) for m in ("text", "image", "audio", "embeddings")
]
SORTS = [
    ("newest", "Newest"),
    ("relevance", "Best match (with a search)"),
    ("price_asc", "Price: low to high"),
    ("price_desc", "Price: high to low"),
    ("context", "Context: largest first"),
    ("tokens_week", "Tokens this week"),
    ("throughput", "Throughput: fastest first"),
    ("latency", "Latency: lowest first"),
    ("cost", "Cost for your workload"),
    ("intelligence", "Intelligence index"),
    ("value", "Intelligence per dollar (your workload)"),
]
FORMATS = [("", "HTML"), ("csv", "CSV"), ("json", "JSON")]
# Parameters offered as suggestions in the filter form; any well-formed name works.
COMMON_PARAMETERS = (
    "tools",
    "tool_choice",
    "structured_outputs",
    "response_format",
    "reasoning",
    "include_reasoning",
    "web_search_options",
    "seed",
    "logprobs",
    "temperature",
    "top_p",
    "top_k",
    "stop",
    "max_tokens",
)


class CatalogueFilters(TypedDict):
    """What narrows and orders the catalogue list (front.listing.models_listed)."""

    q: str
    input_modality: str
    output_modality: str
    min_context: int | None
    max_price: Decimal | None
    max_output_price: Decimal | None
    provider: str
    author: str
    parameter: str
    free: bool
    paid: bool
    include_delisted: bool
    sort: str


class ModelListQuery(forms.Form):
    """The list page's query string: validated, so bad input is a 400, not a 500."""

    q = forms.CharField(required=False, max_length=200, strip=True)
    input_modality = forms.ChoiceField(required=False, choices=INPUT_MODALITIES)
    output_modality = forms.ChoiceField(required=False, choices=OUTPUT_MODALITIES)
    min_context = forms.IntegerField(required=False, min_value=0, max_value=100_000_000)
    max_price = forms.DecimalField(
        required=False, min_value=0, max_value=1_000_000, max_digits=14,
        decimal_places=6, label="Max input $/M",
    )  # fmt: skip
    max_output_price = forms.DecimalField(
        required=False, min_value=0, max_value=1_000_000, max_digits=14,
        decimal_places=6, label="Max output $/M",
    )  # fmt: skip
    provider = forms.CharField(required=False, max_length=100, validators=[SLUG])
    author = forms.CharField(required=False, max_length=100, validators=[SLUG])
    parameter = forms.CharField(required=False, max_length=60, validators=[PARAMETER])
    free = forms.BooleanField(required=False)
    # Sorting by cost puts the free models (a fifth of the catalogue) first.
    paid = forms.BooleanField(required=False, label="Exclude free")
    delisted = forms.BooleanField(required=False)
    sort = forms.ChoiceField(required=False, choices=SORTS)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    format = forms.ChoiceField(required=False, choices=FORMATS)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("free") and data.get("paid"):
            self.add_error("paid", "Choose free only or exclude free, not both.")
        return data

    def filters(self) -> CatalogueFilters:
        """The cleaned values that narrow the list (for selectors.model_list)."""
        data = self.cleaned_data
        return {
            "q": data["q"],
            "input_modality": data["input_modality"],
            "output_modality": data["output_modality"],
            "min_context": data["min_context"],
            "max_price": data["max_price"],
            "max_output_price": data["max_output_price"],
            "provider": data["provider"],
            "author": data["author"],
            "parameter": data["parameter"],
            "free": data["free"],
            "paid": data["paid"],
            "include_delisted": data["delisted"],
            # A search is ranked by relevance unless another order is asked for.
            "sort": data["sort"] or ("relevance" if data["q"] else "newest"),
        }


class PageQuery(forms.Form):
    """?page= of a paginated page (provider, author)."""

    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)


class CompareQuery(forms.Form):
    """`?models=a,b,c`: two to six model ids."""

    MIN, MAX = 2, 6
    models = forms.CharField(max_length=1500)
    # Tokens per day: "" picks log when the models differ by orders of magnitude.
    scale = forms.ChoiceField(
        required=False, choices=[("", "auto"), ("log", "log"), ("linear", "linear")]
    )

    def clean_models(self) -> list[str]:
        slugs = [s.strip() for s in self.cleaned_data["models"].split(",")]
        slugs = list(dict.fromkeys(s for s in slugs if s))
        if not self.MIN <= len(slugs) <= self.MAX:
            raise forms.ValidationError(
                f"Compare {self.MIN} to {self.MAX} models; this asked for {len(slugs)}."
            )
        return slugs


WATCH_SLUG = r"^[A-Za-z0-9._~:\-]+$"


class ChangeListQuery(forms.Form):
    """The changelog's (and feeds') query string: bad input is a 400, not a 500."""

    kind = forms.MultipleChoiceField(required=False, choices=EventKind.choices)
    provider = forms.RegexField(required=False, regex=WATCH_SLUG, max_length=100)
    author = forms.RegexField(required=False, regex=WATCH_SLUG, max_length=100)
    # openrouter (routed) or litellm (direct list prices); empty: both.
    source = forms.ChoiceField(
        required=False,
        choices=[("", "any"), ("openrouter", "OpenRouter"), ("litellm", "LiteLLM")],
    )
    since = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    limit = forms.IntegerField(required=False, min_value=1, max_value=1000)


class WatchForm(forms.Form):
    """Create a watch on a model or a provider, with a webhook and/or an e-mail."""

    target = forms.CharField(
        max_length=200,
        help_text="A model id (openai/gpt-4o) or a provider slug (deepinfra).",
    )
    events = forms.MultipleChoiceField(
        required=False,
        # A first import concerns no one model or provider: never watched.
        choices=[c for c in EventKind.choices if c[0] != EventKind.BASELINE],
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked means every kind.",
    )
    # Routed prices (OpenRouter's), direct ones (the providers' list prices) or
    # both; none given means both.
    source = forms.ChoiceField(required=False, choices=WatchSource.choices)
    webhook_url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    # Watch.email's column: forms accept 320 characters, the column holds 254.
    email = forms.EmailField(required=False, max_length=254)

    def clean_webhook_url(self) -> str:
        url: str = self.cleaned_data["webhook_url"]
        problem = webhook_url_problem(url) if url else None
        if problem:
            raise ValidationError(problem)
        return url

    def clean_target(self) -> LanguageModel | Provider:
        value = self.cleaned_data["target"].strip()
        if "/" in value:
            # A hidden id answers exactly like an unknown one.
            model = models_visible().filter(slug=value).first()
            if model is None:
                raise ValidationError(f"No model {value} in the catalogue.")
            return model
        provider = Provider.objects.filter(slug=value).first()
        if provider is None:
            raise ValidationError(f"No provider {value} in the catalogue.")
        return provider

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            not data.get("webhook_url")
            and not data.get("email")
            and not (self.errors.get("webhook_url") or self.errors.get("email"))
        ):
            raise ValidationError("Give a webhook URL, an e-mail address, or both.")
        self._check_source(data)
        return data

    def _check_source(self, data: dict[str, Any]) -> None:
        source = data.get("source") or WatchSource.BOTH
        data["source"] = source
        if source == WatchSource.BOTH or "events" not in data:
            return
        if isinstance(data.get("target"), Provider) and source == WatchSource.DIRECT:
            # Direct list prices are a model's: no OpenRouter provider has them.
            self.add_error(
                "source",
                "A provider's watch hears of its routed offers: watch a model "
                "for its direct prices.",
            )
        elif not watch_kinds(list(data["events"]), source):
            label = WatchSource(source).label
            self.add_error(
                "events",
                f"None of the ticked kinds comes from the source {label}: tick "
                "its own kinds, or none for all of them.",
            )

    def save(self) -> Watch:
        data = self.cleaned_data
        return watch_create(
            data["target"],
            events=watch_kinds(list(data["events"]), data["source"]),
            webhook_url=data["webhook_url"],
            email=data["email"],
        )


USAGE_PRESETS = [(7, "7 days"), (30, "30 days"), (90, "90 days"), (365, "365 days")]


class UsageQuery(forms.Form):
    """/usage's range: `?days=` back from the latest day stored, or `?start=&end=`
    (both, at most MAX_DAYS apart). Bad input is a 400 naming the field."""

    days = forms.TypedChoiceField(
        required=False, coerce=int, empty_value=None,
        choices=[("", "default")] + [(str(n), label) for n, label in USAGE_PRESETS],
    )  # fmt: skip
    start = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    end = forms.DateField(required=False, input_formats=["%Y-%m-%d"])

    # Upstream keeps /activity for 30 days; the board keeps what it polled since.
    EARLIEST = date(2020, 1, 1)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if (start is None) != (end is None):
            raise ValidationError("Give both start and end (YYYY-MM-DD), or neither.")
        if start and end:
            self._check_range(start, end)
        return data

    def _check_range(self, start: date, end: date) -> None:
        latest = timezone.now().date() + timedelta(days=1)
        if start > end:
            raise ValidationError("start must be on or before end.")
        if start < self.EARLIEST or end > latest:
            raise ValidationError(
                f"Dates from {self.EARLIEST} to {latest} only (UTC days)."
            )
        if (end - start).days >= account.MAX_DAYS:
            raise ValidationError(f"A range of at most {account.MAX_DAYS} days.")

    def window(self, last_stored: date | None) -> tuple[date, date]:
        """The range asked for: explicit dates, else `days` (30 by default) ending
        on the latest day stored (today when nothing is)."""
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return data["start"], data["end"]
        end = last_stored or timezone.now().date()
        days = data.get("days") or account.DEFAULT_DAYS
        return end - timedelta(days=days - 1), end
