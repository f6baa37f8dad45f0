"""Direct-provider list prices beside OpenRouter's routed ones: one offer per source
entry (LiteLLM's price map today), matched to a catalogue model when a rule says
which (catalog.matching), and the editors' aliases that extend those rules."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from catalog.models.catalogue import LanguageModel, finite_prices, price_field


class DirectSource(models.TextChoices):
    LITELLM = "litellm", "LiteLLM price map"


class MatchKind(models.TextChoices):
    EXACT = "exact", "Exact id"
    ALIAS = "alias", "Alias"
    RULE = "rule", "Rule"
    NONE = "", "Unmatched"


class DirectOffer(models.Model):
    """A provider's own list price for one model, as a source lists it."""

    source = models.CharField(
        max_length=20, choices=DirectSource.choices, default=DirectSource.LITELLM
    )
    provider = models.CharField(max_length=60, help_text="The source's provider name")
    key = models.CharField(max_length=200, help_text="The source's own key")
    model = models.ForeignKey(
        LanguageModel,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="direct_offers",
    )
    match = models.CharField(
        max_length=10, choices=MatchKind.choices, blank=True, default=MatchKind.NONE
    )
    match_rule = models.CharField(
        max_length=300, blank=True, help_text="What the rules did, or why no match"
    )
    # The provider is the model's maker (OpenAI for openai/*): the list price.
    maker = models.BooleanField(default=False)
    mode = models.CharField(max_length=60, blank=True)

    price_prompt = price_field("prompt")
    price_completion = price_field("completion")
    price_internal_reasoning = price_field("internal_reasoning")
    price_input_cache_read = price_field("input_cache_read")
    price_input_cache_write = price_field("input_cache_write")
    price_input_cache_write_1h = price_field("input_cache_write_1h")
    price_request = price_field("request")
    price_image = price_field("image")
    price_web_search = price_field("web_search")
    # Every cost of the entry as plain strings, under the source's own names.
    pricing_raw = models.JSONField(default=dict, blank=True)
    pricing_overrides = models.JSONField(
        null=True,
        blank=True,
        help_text="Long-context tiers as OpenRouter's pricing.overrides (null: none)",
    )
    modes = models.JSONField(
        default=dict,
        blank=True,
        help_text="batch/priority/flex: {pricing, overrides} per token",
    )
    max_input_tokens = models.PositiveBigIntegerField(null=True, blank=True)
    max_output_tokens = models.PositiveBigIntegerField(null=True, blank=True)
    deprecation_date = models.DateField(null=True, blank=True)
    successor_model = models.CharField(max_length=200, blank=True)
    # The catalogue model successor_model names: the same provider's matched entry
    # of that key (or ending in "/" and it), resolved when offers are written or
    # matched again (catalog.ingest.direct.successors_resolve), so no page looks it
    # up.
    successor = models.ForeignKey(
        LanguageModel,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_url = models.CharField(max_length=500, blank=True)

    first_seen_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    delisted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["provider", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "provider", "key"], name="direct-natural-key"
            ),
            *finite_prices("direct"),
        ]
        indexes = [
            # direct_offers_of: a model page's and the API's offers.
            models.Index(
                fields=["model", "provider"],
                condition=Q(delisted_at__isnull=True),
                name="direct-model-listed",
            ),
            # deprecations_upcoming: listed offers by retirement date.
            models.Index(
                fields=["deprecation_date"],
                condition=Q(delisted_at__isnull=True, deprecation_date__isnull=False),
                name="direct-deprecation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.key}"

    @property
    def is_variable_price(self) -> bool:
        """A list price is never a router's per-request one (costs read this)."""
        return False


class DirectAlias(models.Model):
    """An editor's alias: this source key is that catalogue model (beside the
    aliases in catalog.matching), applied at the next sync or rematch."""

    source = models.CharField(
        max_length=20, choices=DirectSource.choices, default=DirectSource.LITELLM
    )
    key = models.CharField(max_length=200)
    model = models.ForeignKey(
        LanguageModel, on_delete=models.CASCADE, related_name="direct_aliases"
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["source", "key"]
        constraints = [
            models.UniqueConstraint(fields=["source", "key"], name="direct-alias-key")
        ]
        verbose_name_plural = "direct aliases"

    def __str__(self) -> str:
        return f"{self.key} → {self.model_id}"
