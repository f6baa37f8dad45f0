"""Models' and endpoints' price tiers as the database reads them: one row per
region where tiers apply."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from catalog.models.catalogue import Endpoint, LanguageModel, price_field


class PriceTier(models.Model):
    """Where a model's or endpoint's price tiers apply, and their prices there: one
    region of catalog.pricing.tiers (prompts of more than `prompt_above` tokens up
    to `prompt_upto`, minutes [start_minute, end_minute) of the UTC week), written
    from the effective `pricing_overrides` by catalog.pricetiers. The database
    prices a workload from these rows (catalog.pricing.expressions.tier_expression);
    triggers keep the ranks' tiered preset costs from them (migration 0024)."""

    model = models.ForeignKey(
        LanguageModel,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="price_tiers",
    )
    endpoint = models.ForeignKey(
        Endpoint,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="price_tiers",
    )
    prompt_above = models.BigIntegerField(help_text="-1: any prompt")
    prompt_upto = models.BigIntegerField(null=True, blank=True)
    start_minute = models.PositiveIntegerField(help_text="0: Monday 00:00 UTC")
    end_minute = models.PositiveIntegerField()
    # The tier entries that apply here: their places in upstream's list.
    entries = models.JSONField(default=list)
    # The entries' prices merged (null: the base price applies).
    price_prompt = price_field("prompt")
    price_completion = price_field("completion")
    price_internal_reasoning = price_field("internal_reasoning")
    price_input_cache_read = price_field("input_cache_read")
    price_input_cache_write = price_field("input_cache_write")
    price_input_cache_write_1h = price_field("input_cache_write_1h")
    price_request = price_field("request")
    price_image = price_field("image")
    price_web_search = price_field("web_search")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(model__isnull=False, endpoint__isnull=True)
                | Q(model__isnull=True, endpoint__isnull=False),
                name="price-tier-one-owner",
            ),
        ]
        # The foreign keys' indexes serve the cost subquery (model_id = …) and
        # the ranks' triggers.

    def __str__(self) -> str:
        return f"tier of {self.model_id or self.endpoint_id} over {self.prompt_above}"
