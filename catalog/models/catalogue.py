"""The catalogue itself: authors, providers, models and their endpoints, and
editors' overrides of their upstream-fed fields (their price tiers' regions:
catalog/models/tiers.py)."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.expressions import Combinable
from django.urls import get_script_prefix, get_urlconf, reverse

import catalog.models.lookups  # noqa: F401  (registers `<json list>__has=<value>`)
from catalog import ids
from catalog.pricing import prices


def validate_model_id(value: str) -> None:
    """A hand-added model's id obeys the same rule as upstream's (catalog.ids)."""
    problem = ids.model_id_problem(value)
    if problem:
        raise ValidationError(f"This id {problem}.")


class PriceField(
    models.DecimalField[str | float | Decimal | Combinable | None, Decimal | None]
):
    """A price column. PostgreSQL's numeric holds NaN and infinities: one that
    reached the table by a raw path (an import, a hand edit) reads as a missing
    price, and the table's constraints (finite_prices) keep new ones out."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if isinstance(value, Decimal) and not value.is_finite():
            return None
        return value

    def deconstruct(self) -> Any:
        name, _, args, kwargs = super().deconstruct()
        # To migrations (which import no app code) it is the DecimalField it is.
        return name, "django.db.models.DecimalField", args, kwargs


# Below 10^12: a price column's 24 digits, 12 of them decimals.
PRICE_BOUND = Decimal(10**12)


def finite_prices(prefix: str) -> list[models.BaseConstraint]:
    """A check per price column that its value is a finite number (or null): NaN
    compares above every number on PostgreSQL, and text above every number on
    SQLite, so both fall outside the bounds."""
    return [
        models.CheckConstraint(
            condition=Q(
                **{f"{column}__gt": -PRICE_BOUND, f"{column}__lt": PRICE_BOUND}
            ),
            name=f"{prefix}-{column.removeprefix('price_')}-finite",
        )
        for column in prices.COLUMNS
    ]


def price_field(
    key: str,
) -> models.DecimalField[str | float | Decimal | Combinable | None, Decimal | None]:
    """The column of one declared price key (catalog.pricing.prices.KEYS): USD per
    million tokens, or per unit."""
    price = prices.KEY[key]
    unit = "million tokens" if price.per_token else price.unit
    return PriceField(
        max_digits=24,
        decimal_places=12,
        null=True,
        blank=True,
        help_text=f"USD per {unit}",
    )


class Author(models.Model):
    slug = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class Origin(models.TextChoices):
    UPSTREAM = "upstream", "Upstream"
    HAND = "hand", "Added by hand"


class Tag(models.Model):
    """An editor's category for models (coding, vision, self-hosted, …)."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Provider(models.Model):
    slug = models.CharField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    privacy_policy_url = models.URLField(max_length=500, blank=True)
    terms_of_service_url = models.URLField(max_length=500, blank=True)
    status_page_url = models.URLField(max_length=500, blank=True)
    headquarters = models.CharField(max_length=8, blank=True)
    datacenters = models.JSONField(default=list, blank=True)
    # False for providers only known from an endpoint's provider_name.
    listed = models.BooleanField(default=True)
    origin = models.CharField(
        max_length=10, choices=Origin.choices, default=Origin.UPSTREAM
    )
    first_seen_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    delisted_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LanguageModel(models.Model):
    slug = models.CharField(
        max_length=200,
        unique=True,
        help_text="Upstream id: author/slug",
        validators=[validate_model_id],
    )
    canonical_slug = models.CharField(max_length=200, blank=True, db_index=True)
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="models")
    variant = models.CharField(max_length=40, blank=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    created = models.DateTimeField(null=True, blank=True)
    context_length = models.PositiveBigIntegerField(null=True, blank=True)
    modality = models.CharField(max_length=200, blank=True)
    input_modalities = models.JSONField(default=list, blank=True)
    output_modalities = models.JSONField(default=list, blank=True)
    tokenizer = models.CharField(max_length=60, blank=True)
    instruct_type = models.CharField(max_length=60, blank=True)
    hugging_face_id = models.CharField(max_length=300, blank=True)
    supported_parameters = models.JSONField(default=list, blank=True)
    default_parameters = models.JSONField(null=True, blank=True)
    knowledge_cutoff = models.DateField(null=True, blank=True)
    expiration_date = models.DateField(null=True, blank=True)
    top_provider_context_length = models.PositiveBigIntegerField(null=True, blank=True)
    max_completion_tokens = models.PositiveBigIntegerField(null=True, blank=True)
    is_moderated = models.BooleanField(null=True, blank=True)

    price_prompt = price_field("prompt")
    price_completion = price_field("completion")
    price_internal_reasoning = price_field("internal_reasoning")
    price_input_cache_read = price_field("input_cache_read")
    price_input_cache_write = price_field("input_cache_write")
    price_input_cache_write_1h = price_field("input_cache_write_1h")
    price_request = price_field("request")
    price_image = price_field("image")
    price_web_search = price_field("web_search")
    # Routers price each request by where it lands: upstream says "-1".
    is_variable_price = models.BooleanField(default=False)
    pricing_raw = models.JSONField(default=dict, blank=True)
    pricing_overrides = models.JSONField(
        null=True,
        blank=True,
        help_text="Price tiers: upstream's pricing.overrides as sent (null: none).",
    )

    first_seen_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    delisted_at = models.DateTimeField(null=True, blank=True)
    raw = models.JSONField(default=dict, blank=True)

    # Editorial fields: upstream never touches these.
    origin = models.CharField(
        max_length=10, choices=Origin.choices, default=Origin.UPSTREAM
    )
    hidden = models.BooleanField(
        default=False, help_text="Off the list and the API; the page is staff-only."
    )
    featured = models.BooleanField(default=False, help_text="Pinned first in the list.")
    internal_notes = models.TextField(blank=True, help_text="Never shown publicly.")
    tags = models.ManyToManyField(Tag, blank=True, related_name="models")

    # Current figures, kept by stats when it stores samples and rollups (never by
    # hand): every list sort reads an indexed column instead of the stats tables.
    latency_p50 = models.FloatField(
        null=True, blank=True, help_text="ms; the best endpoint's latest p50"
    )
    throughput_p50 = models.FloatField(
        null=True, blank=True, help_text="tokens/s; the best endpoint's latest p50"
    )
    tokens_week = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Public tokens over the last 7 days"
    )
    # Whether a direct source lists an offer of this model, kept by the direct
    # prices' ingest (catalog.ingest.direct): a model page reads its offers only
    # then, and most models have none. Nullable (null: none) so that SQLite adds
    # the column in place, keeping the table's triggers (see migration 0027).
    has_direct_offers = models.BooleanField(null=True, blank=True, editable=False)
    # When the endpoints poll last fetched this model's providers
    # (catalog.syncs.polling).
    endpoints_polled_at = models.DateTimeField(null=True, blank=True)
    # Where the last poll of the model list had it (0 first): the API's default
    # order and every sort's tie-break are upstream's own order, which clients
    # taking the first match by id prefix rely on. Null for a hand-added model.
    upstream_position = models.PositiveIntegerField(null=True, blank=True)

    # Attached by catalog.reads.selectors.overrides_attach, never stored.
    edited: dict[str, FieldOverride]

    class Meta:
        ordering = ["-created", "slug"]
        indexes = [
            # model_list: the default order, newest first.
            models.Index(fields=["-created", "slug"], name="model-newest"),
            # model_list: active models only (delisted_at IS NULL) filtered first.
            models.Index(fields=["delisted_at"], name="model-delisted"),
            # endpoints_plan: the longest unpolled first.
            models.Index(fields=["endpoints_polled_at"], name="model-endpoints-polled"),
            # The API's default order: upstream's (api/selectors.py UPSTREAM).
            models.Index(
                fields=["upstream_position", "-created", "slug"],
                name="model-upstream-order",
            ),
            # The catalogue list's sorts (front/listing.py: featured first, then the
            # sort) and the API's orders (api/selectors.py) have an index each on
            # PostgreSQL (migration 0006): SQLite cannot index NULLS LAST.
        ]
        constraints = finite_prices("model")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        parts = ids.model_id_parts(self.slug)
        if parts is None:
            # An id stored before the id rule: no page can route it (such models
            # are quarantined, hidden), but its admin page can. Never a 500.
            return reverse("admin:catalog_languagemodel_change", args=[self.pk])
        head, tail = _model_url_template(get_urlconf(), get_script_prefix())
        return f"{head}{parts['author']}/{parts['slug']}{tail}"

    @property
    def routable(self) -> bool:
        """Whether the pages can route this model's id (see catalog.ids)."""
        return ids.model_id_parts(self.slug) is not None

    @property
    def is_hand_added(self) -> bool:
        return self.origin == Origin.HAND

    @property
    def is_free(self) -> bool:
        return self.price_prompt == Decimal(0) and self.price_completion == Decimal(0)


class Endpoint(models.Model):
    model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="endpoints"
    )
    provider = models.ForeignKey(
        Provider, on_delete=models.PROTECT, related_name="endpoints"
    )
    # Upstream's tag is not unique per model (two "baseten/fp8" occur), so the key is
    # the tag (or provider name) plus a counter for repeats within one response.
    key = models.CharField(max_length=200)
    name = models.CharField(max_length=300)
    provider_name = models.CharField(max_length=200)
    tag = models.CharField(max_length=200, blank=True)
    upstream_id = models.CharField(max_length=64, blank=True)
    quantization = models.CharField(max_length=20, blank=True)
    context_length = models.PositiveBigIntegerField(null=True, blank=True)
    max_completion_tokens = models.PositiveBigIntegerField(null=True, blank=True)
    max_prompt_tokens = models.PositiveBigIntegerField(null=True, blank=True)
    supported_parameters = models.JSONField(default=list, blank=True)
    supports_implicit_caching = models.BooleanField(null=True, blank=True)
    # Capabilities upstream's endpoints carry since 2026; empty or null until it
    # sends them (older payloads, the demo upstream).
    service_tier = models.CharField(max_length=20, blank=True)
    native_tools = models.JSONField(
        default=dict, blank=True, help_text="openrouter:* tool -> {type}"
    )
    supports_tool_choice = models.JSONField(
        null=True,
        blank=True,
        help_text="{auto, none, required, function}: upstream's tested values",
    )
    supports_diarization = models.BooleanField(null=True, blank=True)
    supports_voice_cloning = models.BooleanField(null=True, blank=True)
    supports_image_reference = models.BooleanField(null=True, blank=True)
    supports_multiple_audio_references = models.BooleanField(null=True, blank=True)
    # Listed in upstream's /endpoints/zdr by the latest successful ZDR poll
    # (catalog.syncs.zdr): the endpoint retains no prompts or completions.
    zdr = models.BooleanField(default=False, help_text="Zero data retention")

    price_prompt = price_field("prompt")
    price_completion = price_field("completion")
    price_internal_reasoning = price_field("internal_reasoning")
    price_input_cache_read = price_field("input_cache_read")
    price_input_cache_write = price_field("input_cache_write")
    price_input_cache_write_1h = price_field("input_cache_write_1h")
    price_request = price_field("request")
    price_image = price_field("image")
    price_web_search = price_field("web_search")
    is_variable_price = models.BooleanField(default=False)
    discount = models.DecimalField(max_digits=8, decimal_places=6, default=0)
    pricing_raw = models.JSONField(default=dict, blank=True)
    pricing_overrides = models.JSONField(
        null=True,
        blank=True,
        help_text="Price tiers: upstream's pricing.overrides as sent (null: none).",
    )

    first_seen_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    delisted_at = models.DateTimeField(null=True, blank=True)

    # The latest sample's figures, kept by stats with every snapshot: a model's
    # current figures are the best of its listed endpoints'.
    latency_p50 = models.FloatField(null=True, blank=True, help_text="ms")
    throughput_p50 = models.FloatField(null=True, blank=True, help_text="tokens/s")
    uptime = models.FloatField(
        null=True, blank=True, help_text="%, over the last day, else 30 minutes"
    )
    stats_at = models.DateTimeField(null=True, blank=True)

    # Attached by catalog.reads.selectors.overrides_attach, never stored.
    edited: dict[str, FieldOverride]

    class Meta:
        ordering = ["model", "key"]
        indexes = [
            # provider_get: a provider's listed endpoints, a page at a time.
            models.Index(
                fields=["provider", "name", "id"],
                condition=Q(delisted_at__isnull=True),
                name="endpoint-provider-listed",
            ),
            # The list's and the API's provider filters, a provider page's count:
            # the models a provider serves, read from the index alone.
            models.Index(
                fields=["provider", "model"],
                condition=Q(delisted_at__isnull=True),
                name="endpoint-provider-models",
            ),
            # The API's zdr filter: the models with a listed ZDR endpoint.
            models.Index(
                fields=["model"],
                condition=Q(delisted_at__isnull=True, zdr=True),
                name="endpoint-zdr-models",
            ),
            # figures_expire: figures older than a day.
            models.Index(fields=["stats_at"], name="endpoint-stats-at"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["model", "key"], name="endpoint-natural-key"
            ),
            *finite_prices("endpoint"),
        ]

    def __str__(self) -> str:
        return self.name or f"{self.provider_name} | {self.model_id}"


class FieldOverride(models.Model):
    """An editor's value for one upstream-fed field of a model or an endpoint.

    The object's column holds the effective (overridden) value, so every page, filter,
    sort and the API read it as is; the latest upstream value is kept here.
    """

    model = models.ForeignKey(
        LanguageModel,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    endpoint = models.ForeignKey(
        Endpoint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    direct_offer = models.ForeignKey(
        "DirectOffer",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="overrides",
    )
    field = models.CharField(max_length=60)
    value = models.JSONField(null=True, blank=True)
    upstream_value = models.JSONField(null=True, blank=True)
    upstream_changed_at = models.DateTimeField(
        null=True, blank=True, help_text="Upstream changed this field since the edit."
    )
    reason = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["field"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    model__isnull=False,
                    endpoint__isnull=True,
                    direct_offer__isnull=True,
                )
                | Q(
                    model__isnull=True,
                    endpoint__isnull=False,
                    direct_offer__isnull=True,
                )
                | Q(
                    model__isnull=True,
                    endpoint__isnull=True,
                    direct_offer__isnull=False,
                ),
                name="override-one-target",
            ),
            models.UniqueConstraint(
                fields=["model", "field"],
                condition=Q(model__isnull=False),
                name="override-model-field",
            ),
            models.UniqueConstraint(
                fields=["endpoint", "field"],
                condition=Q(endpoint__isnull=False),
                name="override-endpoint-field",
            ),
            models.UniqueConstraint(
                fields=["direct_offer", "field"],
                condition=Q(direct_offer__isnull=False),
                name="override-direct-field",
            ),
        ]
        indexes = [
            # the dashboard: overrides whose upstream value moved.
            models.Index(fields=["upstream_changed_at"], name="override-changed"),
        ]

    def __str__(self) -> str:
        return f"{self.target} · {self.field}"

    @property
    def target(self) -> models.Model:
        # The check constraint makes exactly one of them set (a model, an
        # endpoint or a direct offer; catalog.editorial.overrides types it).
        target = self.model or self.endpoint or self.direct_offer
        assert target is not None
        return target


@lru_cache(maxsize=16)
def _model_url_template(urlconf: str | None, prefix: str) -> tuple[str, str]:
    """A model page's URL around its id: reversed once per URL configuration and
    script prefix, not once per row of a list. The id rule (catalog.ids) admits
    only characters reverse() leaves as they are, so the parts go in unquoted."""
    url = reverse("model-detail", kwargs={"author": "author0", "slug": "slug0"})
    head, _, tail = url.rpartition("author0/slug0")
    return head, tail
