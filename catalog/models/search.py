"""What search and the ranked and counted lists read: search keys, ranks and
the vocabulary typos are corrected against."""

from __future__ import annotations

from django.db import models

from catalog.models.catalogue import Author, LanguageModel
from catalog.pricing import prices
from catalog.pricing.costs import Workload
from catalog.pricing.expressions import cost_expression
from catalog.pricing.workloads import PRESETS


class ModelSearch(models.Model):
    """A model's search keys (catalog.search.keys), written with the model by ingest
    and editors' changes (catalog.search.index); catalog.search reads them."""

    model = models.OneToOneField(
        LanguageModel, on_delete=models.CASCADE, primary_key=True, related_name="search"
    )
    # " gpt4o openaigpt4o ": whole names squashed (exact and prefix tiers).
    aliases = models.TextField(blank=True)
    # Squashed runs of the id, name and author from each word on. A stored tsvector
    # on PostgreSQL (migration 0019), FTS5 on SQLite (0017) find a word's start.
    names = models.TextField(blank=True)
    # Description words and capability words: indexed the same way.
    text = models.TextField(blank=True)
    # "google/gemini flash": what the ranking groups a family's releases by (its
    # newest first). Null until written: a column SQLite adds in place, where a
    # default would make it rebuild the table and drop the FTS5 triggers on it.
    family = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001

    def __str__(self) -> str:
        return f"search keys of {self.model_id}"


# What a public list shows (catalog.ranking.ranks_listed).
LISTED = models.Q(visible=True, delisted=False)


def _preset_cost(slug: str) -> models.GeneratedField:
    # The base prices' cost plus what the model's tiers add (kept by triggers).
    expression = cost_expression(
        PRESETS[slug].workload, exact=False, adjust=models.F(f"tier_{slug}")
    )
    return models.GeneratedField(
        expression=expression,
        output_field=models.FloatField(null=True),
        db_persist=True,
    )


class ModelRank(models.Model):
    """A narrow copy of what the list ranks each model by: whether it is listed,
    its tie-breaks, popularity and prices. Written only by database triggers on
    LanguageModel (migration 0019), so every write path keeps it (saves, upserts,
    bulk and queryset updates); read by catalog.ranking.

    Ranking a search's thousands of matches, or every model by a workload's cost,
    and counting a filtered list read these ~370-byte rows instead of the wide
    model rows (a page's rows are then read by id): at 30,000 models the table is
    ~11 MB against ~73 MB."""

    model = models.OneToOneField(
        LanguageModel, on_delete=models.CASCADE, primary_key=True, related_name="rank"
    )
    # The search keys, joined on the same model id (no column of its own), so a
    # search is ranked from these two tables without the model rows.
    search = models.ForeignObject(
        ModelSearch,
        on_delete=models.DO_NOTHING,
        from_fields=["model"],
        to_fields=["model"],
        related_name="+",
    )
    # catalog.reads.selectors.models_visible's and the list's filters: NOT hidden, and
    # delisted_at IS NOT NULL.
    visible = models.BooleanField()
    delisted = models.BooleanField()
    featured = models.BooleanField()
    slug = models.CharField(max_length=200)
    # What the list's and the API's filters test (migration 0020), so a filtered
    # list is counted from these rows: catalog.reads.selectors.models_narrowed.
    author = models.ForeignKey(
        Author, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    created = models.DateTimeField(null=True)
    context_length = models.PositiveBigIntegerField(null=True)
    tokenizer = models.CharField(max_length=60)
    input_modalities = models.JSONField(default=list)
    output_modalities = models.JSONField(default=list)
    supported_parameters = models.JSONField(default=list)
    name_length = models.PositiveIntegerField()
    tokens_week = models.PositiveBigIntegerField(null=True)
    is_variable_price = models.BooleanField()
    # The model's prices (USD per million tokens, per unit for the others) as
    # floats: they order a workload's costs; the costs shown are exact Decimals.
    price_prompt = models.FloatField(null=True)
    price_completion = models.FloatField(null=True)
    price_internal_reasoning = models.FloatField(null=True)
    price_input_cache_read = models.FloatField(null=True)
    price_input_cache_write = models.FloatField(null=True)
    price_input_cache_write_1h = models.FloatField(null=True)
    price_request = models.FloatField(null=True)
    price_image = models.FloatField(null=True)
    price_web_search = models.FloatField(null=True)
    # Whether the model has price tiers (PriceTier rows), and what they add to
    # each preset's cost: kept by triggers on the tiers and the models
    # (migration 0024). A workload of one's own prices the tiers in its query.
    tiered = models.BooleanField(db_default=False)
    tier_chat = models.FloatField(null=True)
    tier_rag = models.FloatField(null=True)
    tier_agent = models.FloatField(null=True)
    tier_batch = models.FloatField(null=True)
    # Each preset workload's monthly cost (catalog.pricing.workloads), kept by the
    # database from the prices above: a list sorted by a preset's cost is an index
    # scan (migration 0022) instead of pricing every model. Other workloads are
    # priced by the same expression per query (catalog.pricing.expressions.by_cost).
    cost_chat = _preset_cost("chat")
    cost_rag = _preset_cost("rag")
    cost_agent = _preset_cost("agent")
    cost_batch = _preset_cost("batch")

    class Meta:
        indexes = [
            # What a search ranks its matches by, in ~60-byte index rows: a
            # search's join is an index-only scan instead of reads of this table's
            # wide rows (its JSON lists). Covering columns on PostgreSQL only.
            models.Index(
                fields=["model"],
                include=["delisted", "slug", "tokens_week", "name_length"],
                condition=models.Q(visible=True),
                name="rank-visible",
            ),
            # The unfiltered list's count: an index-only scan of ~80 pages at
            # 30,000 models (the table is ~2,300; the index above ~560).
            models.Index(fields=["model"], condition=LISTED, name="rank-listed"),
            # A workload of one's own prices every listed model (catalog.pricing.
            # expressions.by_cost): in the list's order, from the prices alone (~110-byte
            # index rows), an index-only scan instead of a read of the table's wide
            # rows.
            models.Index(
                fields=["-featured"],
                include=[
                    "model",
                    "slug",
                    "is_variable_price",
                    "tiered",
                    *prices.COLUMNS,
                ],
                condition=LISTED,
                name="rank-priced",
            ),
        ]

    def __str__(self) -> str:
        return f"rank of {self.slug}"


class SearchTerm(models.Model):
    """A word of the catalogue: a one-typo query word is corrected to these."""

    term = models.CharField(max_length=60, unique=True)

    def __str__(self) -> str:
        return self.term


# The stored cost of each preset's workload (a workload with the same values is
# the same workload, wherever it was typed).
PRESET_COSTS: dict[Workload, str] = {
    preset.workload: f"cost_{slug}" for slug, preset in PRESETS.items()
}
