"""Price tiers (upstream's pricing.overrides) kept, stored where the database can
price them, and in the ranks' preset costs; and the 1-hour cache-write price as a
column.

- `pricing_overrides` on models and endpoints: upstream's list as sent;
  `price_input_cache_write_1h`: a price column like the others.
- `catalog_pricetier`: each model's and endpoint's tier regions (prompt size x
  minutes of the UTC week, catalog.pricing.tiers), written by catalog.pricetiers.
- The ranks copy the new price and keep, from the regions, whether a model is
  tiered and what its tiers add to each preset's cost (`tier_<preset>`); each
  preset's stored cost is its base cost plus that. Triggers keep them: on the
  models (the copy, then the tiers again when a tiered model's prices change) and
  on the regions (a model's regions written or removed). Both are written here
  for both databases; the SQL prices a preset as catalog.pricing.costs does
  (tier_expression), with the presets' units and the price keys' billing chains
  as they are when this migration was made (copied below).
- The rank-priced index covers the new columns; PostgreSQL's preset indexes
  (migration 0022) are made again for the new cost columns.
"""

import importlib

import django.db.models.deletion
import django.db.models.expressions
import django.db.models.functions.comparison
from django.db import migrations, models

ROOT = importlib.import_module("catalog.migrations.0019_rank_and_search_vectors")
BEFORE = importlib.import_module("catalog.migrations.0020_rank_filter_columns")
COSTS = importlib.import_module("catalog.migrations.0022_rank_preset_costs")

COPIED = [
    *BEFORE.COPIED,
    ("price_input_cache_write_1h", "CAST({r}.price_input_cache_write_1h AS {float})"),
]
SOURCES = [*BEFORE.SOURCES, "price_input_cache_write_1h"]
FLOAT = ROOT.FLOAT
RANK = "catalog_modelrank"
WEEK_MINUTES = 7 * 24 * 60
# Each costed key's billing chain: its own price, then its fallbacks'.
CHAINS = {
    "prompt": ("prompt",),
    "completion": ("completion",),
    "internal_reasoning": ("internal_reasoning", "completion"),
    "input_cache_read": ("input_cache_read", "prompt"),
    "input_cache_write": ("input_cache_write", "prompt"),
    "input_cache_write_1h": ("input_cache_write_1h", "input_cache_write", "prompt"),
    "request": ("request",),
    "image": ("image",),
    "web_search": ("web_search",),
}
# A listed zero counts as not listed.
ZERO_UNLISTED = {"internal_reasoning"}
# Each preset: input tokens per request, and the units it bills a month.
PRESETS = {
    "chat": (1500, {"prompt": 45.0, "completion": 12.0, "request": 30000.0}),
    "rag": (
        8000,
        {
            "input_cache_read": 60.0,
            "input_cache_write": 60.0,
            "completion": 7.5,
            "request": 15000.0,
        },
    ),
    "agent": (
        6000,
        {
            "input_cache_read": 252.0,
            "input_cache_write": 108.0,
            "completion": 48.0,
            "internal_reasoning": 60.0,
            "request": 60000.0,
            "web_search": 6000.0,
        },
    ),
    "batch": (20000, {"prompt": 120.0, "completion": 6.0, "request": 6000.0}),
}


def _billed(key, vendor, region):
    """A key's billed price over the rank (and a region `t` of it): the first
    listed price of its chain, a region's key winning over the rank's."""
    listed = []
    for k in CHAINS[key]:
        own = f"{RANK}.price_{k}"
        if region:
            own = f"COALESCE(CAST(t.price_{k} AS {FLOAT[vendor]}), {own})"
        listed.append(f"NULLIF({own}, 0.0)" if k in ZERO_UNLISTED else own)
    return f"COALESCE({', '.join(listed)}, 0.0)"


def _tier_cost(vendor, slug):
    """What a rank's regions add to a preset's cost (NULL without any)."""
    tokens, units = PRESETS[slug]
    delta = " + ".join(
        f"{amount!r} * ({_billed(key, vendor, True)} - {_billed(key, vendor, False)})"
        for key, amount in units.items()
    )
    return (
        f"(SELECT SUM((t.end_minute - t.start_minute) * ({delta})) "
        f"FROM catalog_pricetier t WHERE t.model_id = {RANK}.model_id "
        f"AND t.prompt_above < {tokens} "
        f"AND (t.prompt_upto IS NULL OR t.prompt_upto >= {tokens})) / {WEEK_MINUTES}.0"
    )


def _refresh(vendor, model_id, only_tiered=False):
    """Write a model's rank tier columns from its regions."""
    tiers = f"SELECT 1 FROM catalog_pricetier t WHERE t.model_id = {RANK}.model_id"
    sets = [f"tiered = EXISTS ({tiers})"]
    sets += [f"tier_{slug} = {_tier_cost(vendor, slug)}" for slug in PRESETS]
    where = f"model_id = {model_id}"
    if only_tiered:
        where += f" AND EXISTS ({tiers})"
    return f"UPDATE {RANK} SET {', '.join(sets)} WHERE {where}"


def _postgresql():
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in SOURCES)
    upsert = ROOT._upsert("postgresql", "NEW", COPIED)
    refresh = _refresh("postgresql", "NEW.id", only_tiered=True)
    return [
        "CREATE OR REPLACE FUNCTION catalog_modelrank_write() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {upsert}; {refresh}; RETURN NULL; END $$",
        "CREATE TRIGGER catalog_modelrank_insert AFTER INSERT ON "
        "catalog_languagemodel FOR EACH ROW EXECUTE FUNCTION catalog_modelrank_write()",
        "CREATE TRIGGER catalog_modelrank_update AFTER UPDATE ON "
        f"catalog_languagemodel FOR EACH ROW WHEN ({changed}) "
        "EXECUTE FUNCTION catalog_modelrank_write()",
        "CREATE OR REPLACE FUNCTION catalog_pricetier_rank() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN "
        "IF TG_OP <> 'INSERT' THEN "
        f"{_refresh('postgresql', 'OLD.model_id')}; END IF; "
        "IF TG_OP <> 'DELETE' THEN "
        f"{_refresh('postgresql', 'NEW.model_id')}; END IF; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER catalog_pricetier_rank AFTER INSERT OR UPDATE OR DELETE ON "
        "catalog_pricetier FOR EACH ROW EXECUTE FUNCTION catalog_pricetier_rank()",
    ]


def _sqlite():
    upsert = ROOT._upsert("sqlite", "new", COPIED)
    refresh = _refresh("sqlite", "new.id", only_tiered=True)
    return [
        "CREATE TRIGGER catalog_modelrank_insert AFTER INSERT ON "
        f"catalog_languagemodel BEGIN {upsert}; {refresh}; END",
        f"CREATE TRIGGER catalog_modelrank_update AFTER UPDATE OF {', '.join(SOURCES)} "
        f"ON catalog_languagemodel BEGIN {upsert}; {refresh}; END",
        "CREATE TRIGGER catalog_pricetier_insert AFTER INSERT ON catalog_pricetier "
        f"BEGIN {_refresh('sqlite', 'new.model_id')}; END",
        "CREATE TRIGGER catalog_pricetier_delete AFTER DELETE ON catalog_pricetier "
        f"BEGIN {_refresh('sqlite', 'old.model_id')}; END",
        "CREATE TRIGGER catalog_pricetier_update AFTER UPDATE ON catalog_pricetier "
        f"BEGIN {_refresh('sqlite', 'old.model_id')}; "
        f"{_refresh('sqlite', 'new.model_id')}; END",
    ]


TIER_TRIGGERS = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS catalog_pricetier_rank ON catalog_pricetier",
        "DROP FUNCTION IF EXISTS catalog_pricetier_rank()",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS catalog_pricetier_{what}"
        for what in ("insert", "delete", "update")
    ],
}


def drop_triggers(apps, schema_editor):
    """Before the tables change (SQLite rebuilds the ranks' table to change its
    generated columns, and a trigger naming it breaks that)."""
    vendor = schema_editor.connection.vendor
    if vendor in FLOAT:
        for statement in [*BEFORE._drop(vendor), *TIER_TRIGGERS[vendor]]:
            schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in FLOAT:
        return
    create = _postgresql() if vendor == "postgresql" else _sqlite()
    # Every rank written afresh from its model (the new price column).
    columns = ", ".join(column for column, _ in COPIED)
    values = ", ".join(sql.format(r="m", float=FLOAT[vendor]) for _, sql in COPIED)
    backfill = (
        f"UPDATE {RANK} SET ({columns}) = (SELECT {values} "
        f"FROM catalog_languagemodel m WHERE m.id = {RANK}.model_id)"
    )
    for statement in [*create, backfill]:
        schema_editor.execute(statement)


def restore_triggers(apps, schema_editor):
    """Back to migration 0020's triggers."""
    vendor = schema_editor.connection.vendor
    if vendor in FLOAT:
        BEFORE.create_triggers(apps, schema_editor)


def create_cost_indexes(apps, schema_editor):
    COSTS.create(apps, schema_editor)


def drop_cost_indexes(apps, schema_editor):
    COSTS.drop(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0023_rank_listed_indexes"),
    ]

    operations = [
        migrations.RunPython(drop_triggers, restore_triggers, elidable=False),
        migrations.RunPython(drop_cost_indexes, create_cost_indexes, elidable=False),
        migrations.CreateModel(
            name="PriceTier",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("prompt_above", models.BigIntegerField(help_text="-1: any prompt")),
                ("prompt_upto", models.BigIntegerField(blank=True, null=True)),
                (
                    "start_minute",
                    models.PositiveIntegerField(help_text="0: Monday 00:00 UTC"),
                ),
                ("end_minute", models.PositiveIntegerField()),
                ("entries", models.JSONField(default=list)),
                (
                    "price_prompt",
                    models.DecimalField(
                        blank=True,
                        decimal_places=12,
                        help_text="USD per million tokens",
                        max_digits=24,
                        null=True,
                    ),
                ),
                (
                    "price_completion",
                    models.DecimalField(
                        blank=True,
                        decimal_places=12,
                        help_text="USD per million tokens",
                        max_digits=24,
                        null=True,
                    ),
                ),
                (
                    "price_internal_reasoning",
                    models.DecimalField(
                        blank=True,
                        decimal_places=12,
                        help_text="USD per million tokens",
                        max_digits=24,
                        null=True,
                    ),
                ),
                (
                    "price_input_cache_read",
                    models.DecimalField(
                        blank=True,
                        decimal_places=12,
                        help_text="USD per million tokens",
                        max_digits=24,
                        null=True,
                    ),
                ),
                (
                    "price_input_cache_write",
                    models.DecimalField(
                        blank=True,
                        decimal_places=12,
                        help_text="USD per million tokens",
                        max_digits=24,
                        null=True,
                    ),
                ),
                (
                    "price_input_cache_write_1h",
                    models.DecimalField(
                        blank=True,
                        decimal_places=12,
                        help_text="USD per million tokens",
                        max_digits=24,
                        null=True,
                    ),
                ),
                (
                    "price_request",
                    models.DecimalField(
                        blank=True,
                        decimal_places=12,
                        help_text="USD per request",
                        max_digits=24,
                        null=True,
                    ),
                ),
                (
                    "price_image",
                    models.DecimalField(
                        blank=True,
                        decimal_places=12,
                        help_text="USD per image",
                        max_digits=24,
                        null=True,
                    ),
                ),
                (
                    "price_web_search",
                    models.DecimalField(
                        blank=True,
                        decimal_places=12,
                        help_text="USD per web search",
                        max_digits=24,
                        null=True,
                    ),
                ),
            ],
        ),
        migrations.RemoveIndex(
            model_name="modelrank",
            name="rank-priced",
        ),
        migrations.AddField(
            model_name="endpoint",
            name="price_input_cache_write_1h",
            field=models.DecimalField(
                blank=True,
                decimal_places=12,
                help_text="USD per million tokens",
                max_digits=24,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="endpoint",
            name="pricing_overrides",
            field=models.JSONField(
                blank=True,
                help_text="Price tiers: upstream's pricing.overrides as sent (null: none).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="languagemodel",
            name="price_input_cache_write_1h",
            field=models.DecimalField(
                blank=True,
                decimal_places=12,
                help_text="USD per million tokens",
                max_digits=24,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="languagemodel",
            name="pricing_overrides",
            field=models.JSONField(
                blank=True,
                help_text="Price tiers: upstream's pricing.overrides as sent (null: none).",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="modelrank",
            name="price_input_cache_write_1h",
            field=models.FloatField(null=True),
        ),
        migrations.AddField(
            model_name="modelrank",
            name="tier_agent",
            field=models.FloatField(null=True),
        ),
        migrations.AddField(
            model_name="modelrank",
            name="tier_batch",
            field=models.FloatField(null=True),
        ),
        migrations.AddField(
            model_name="modelrank",
            name="tier_chat",
            field=models.FloatField(null=True),
        ),
        migrations.AddField(
            model_name="modelrank",
            name="tier_rag",
            field=models.FloatField(null=True),
        ),
        migrations.AddField(
            model_name="modelrank",
            name="tiered",
            field=models.BooleanField(db_default=False),
        ),
        migrations.RemoveField(
            model_name="modelrank",
            name="cost_agent",
        ),
        migrations.AddField(
            model_name="modelrank",
            name="cost_agent",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        is_variable_price=True,
                        then=models.Value(None, output_field=models.FloatField()),
                    ),
                    models.When(
                        models.Q(
                            ("price_completion__isnull", True),
                            ("price_prompt__isnull", True),
                        ),
                        then=models.Value(None, output_field=models.FloatField()),
                    ),
                    default=django.db.models.expressions.CombinedExpression(
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    django.db.models.expressions.CombinedExpression(
                                        django.db.models.expressions.CombinedExpression(
                                            django.db.models.expressions.CombinedExpression(
                                                models.Value(
                                                    0.0,
                                                    output_field=models.FloatField(),
                                                ),
                                                "+",
                                                models.ExpressionWrapper(
                                                    django.db.models.expressions.CombinedExpression(
                                                        models.Value(
                                                            252.0,
                                                            output_field=models.FloatField(),
                                                        ),
                                                        "*",
                                                        django.db.models.functions.comparison.Coalesce(
                                                            models.F(
                                                                "price_input_cache_read"
                                                            ),
                                                            models.F("price_prompt"),
                                                            models.Value(0.0),
                                                            output_field=models.FloatField(),
                                                        ),
                                                    ),
                                                    output_field=models.FloatField(),
                                                ),
                                                output_field=models.FloatField(),
                                            ),
                                            "+",
                                            models.ExpressionWrapper(
                                                django.db.models.expressions.CombinedExpression(
                                                    models.Value(
                                                        108.0,
                                                        output_field=models.FloatField(),
                                                    ),
                                                    "*",
                                                    django.db.models.functions.comparison.Coalesce(
                                                        models.F(
                                                            "price_input_cache_write"
                                                        ),
                                                        models.F("price_prompt"),
                                                        models.Value(0.0),
                                                        output_field=models.FloatField(),
                                                    ),
                                                ),
                                                output_field=models.FloatField(),
                                            ),
                                            output_field=models.FloatField(),
                                        ),
                                        "+",
                                        models.ExpressionWrapper(
                                            django.db.models.expressions.CombinedExpression(
                                                models.Value(
                                                    48.0,
                                                    output_field=models.FloatField(),
                                                ),
                                                "*",
                                                django.db.models.functions.comparison.Coalesce(
                                                    models.F("price_completion"),
                                                    models.Value(0.0),
                                                    output_field=models.FloatField(),
                                                ),
                                            ),
                                            output_field=models.FloatField(),
                                        ),
                                        output_field=models.FloatField(),
                                    ),
                                    "+",
                                    models.ExpressionWrapper(
                                        django.db.models.expressions.CombinedExpression(
                                            models.Value(
                                                60.0, output_field=models.FloatField()
                                            ),
                                            "*",
                                            django.db.models.functions.comparison.Coalesce(
                                                django.db.models.functions.comparison.NullIf(
                                                    models.F(
                                                        "price_internal_reasoning"
                                                    ),
                                                    models.Value(
                                                        0.0,
                                                        output_field=models.FloatField(),
                                                    ),
                                                ),
                                                models.F("price_completion"),
                                                models.Value(0.0),
                                                output_field=models.FloatField(),
                                            ),
                                        ),
                                        output_field=models.FloatField(),
                                    ),
                                    output_field=models.FloatField(),
                                ),
                                "+",
                                models.ExpressionWrapper(
                                    django.db.models.expressions.CombinedExpression(
                                        models.Value(
                                            60000.0, output_field=models.FloatField()
                                        ),
                                        "*",
                                        django.db.models.functions.comparison.Coalesce(
                                            models.F("price_request"),
                                            models.Value(0.0),
                                            output_field=models.FloatField(),
                                        ),
                                    ),
                                    output_field=models.FloatField(),
                                ),
                                output_field=models.FloatField(),
                            ),
                            "+",
                            models.ExpressionWrapper(
                                django.db.models.expressions.CombinedExpression(
                                    models.Value(
                                        6000.0, output_field=models.FloatField()
                                    ),
                                    "*",
                                    django.db.models.functions.comparison.Coalesce(
                                        models.F("price_web_search"),
                                        models.Value(0.0),
                                        output_field=models.FloatField(),
                                    ),
                                ),
                                output_field=models.FloatField(),
                            ),
                            output_field=models.FloatField(),
                        ),
                        "+",
                        django.db.models.functions.comparison.Coalesce(
                            models.F("tier_agent"),
                            models.Value(0.0, output_field=models.FloatField()),
                            output_field=models.FloatField(),
                        ),
                        output_field=models.FloatField(),
                    ),
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(null=True),
            ),
        ),
        migrations.RemoveField(
            model_name="modelrank",
            name="cost_batch",
        ),
        migrations.AddField(
            model_name="modelrank",
            name="cost_batch",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        is_variable_price=True,
                        then=models.Value(None, output_field=models.FloatField()),
                    ),
                    models.When(
                        models.Q(
                            ("price_completion__isnull", True),
                            ("price_prompt__isnull", True),
                        ),
                        then=models.Value(None, output_field=models.FloatField()),
                    ),
                    default=django.db.models.expressions.CombinedExpression(
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    models.Value(0.0, output_field=models.FloatField()),
                                    "+",
                                    models.ExpressionWrapper(
                                        django.db.models.expressions.CombinedExpression(
                                            models.Value(
                                                120.0, output_field=models.FloatField()
                                            ),
                                            "*",
                                            django.db.models.functions.comparison.Coalesce(
                                                models.F("price_prompt"),
                                                models.Value(0.0),
                                                output_field=models.FloatField(),
                                            ),
                                        ),
                                        output_field=models.FloatField(),
                                    ),
                                    output_field=models.FloatField(),
                                ),
                                "+",
                                models.ExpressionWrapper(
                                    django.db.models.expressions.CombinedExpression(
                                        models.Value(
                                            6.0, output_field=models.FloatField()
                                        ),
                                        "*",
                                        django.db.models.functions.comparison.Coalesce(
                                            models.F("price_completion"),
                                            models.Value(0.0),
                                            output_field=models.FloatField(),
                                        ),
                                    ),
                                    output_field=models.FloatField(),
                                ),
                                output_field=models.FloatField(),
                            ),
                            "+",
                            models.ExpressionWrapper(
                                django.db.models.expressions.CombinedExpression(
                                    models.Value(
                                        6000.0, output_field=models.FloatField()
                                    ),
                                    "*",
                                    django.db.models.functions.comparison.Coalesce(
                                        models.F("price_request"),
                                        models.Value(0.0),
                                        output_field=models.FloatField(),
                                    ),
                                ),
                                output_field=models.FloatField(),
                            ),
                            output_field=models.FloatField(),
                        ),
                        "+",
                        django.db.models.functions.comparison.Coalesce(
                            models.F("tier_batch"),
                            models.Value(0.0, output_field=models.FloatField()),
                            output_field=models.FloatField(),
                        ),
                        output_field=models.FloatField(),
                    ),
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(null=True),
            ),
        ),
        migrations.RemoveField(
            model_name="modelrank",
            name="cost_chat",
        ),
        migrations.AddField(
            model_name="modelrank",
            name="cost_chat",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        is_variable_price=True,
                        then=models.Value(None, output_field=models.FloatField()),
                    ),
                    models.When(
                        models.Q(
                            ("price_completion__isnull", True),
                            ("price_prompt__isnull", True),
                        ),
                        then=models.Value(None, output_field=models.FloatField()),
                    ),
                    default=django.db.models.expressions.CombinedExpression(
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    models.Value(0.0, output_field=models.FloatField()),
                                    "+",
                                    models.ExpressionWrapper(
                                        django.db.models.expressions.CombinedExpression(
                                            models.Value(
                                                45.0, output_field=models.FloatField()
                                            ),
                                            "*",
                                            django.db.models.functions.comparison.Coalesce(
                                                models.F("price_prompt"),
                                                models.Value(0.0),
                                                output_field=models.FloatField(),
                                            ),
                                        ),
                                        output_field=models.FloatField(),
                                    ),
                                    output_field=models.FloatField(),
                                ),
                                "+",
                                models.ExpressionWrapper(
                                    django.db.models.expressions.CombinedExpression(
                                        models.Value(
                                            12.0, output_field=models.FloatField()
                                        ),
                                        "*",
                                        django.db.models.functions.comparison.Coalesce(
                                            models.F("price_completion"),
                                            models.Value(0.0),
                                            output_field=models.FloatField(),
                                        ),
                                    ),
                                    output_field=models.FloatField(),
                                ),
                                output_field=models.FloatField(),
                            ),
                            "+",
                            models.ExpressionWrapper(
                                django.db.models.expressions.CombinedExpression(
                                    models.Value(
                                        30000.0, output_field=models.FloatField()
                                    ),
                                    "*",
                                    django.db.models.functions.comparison.Coalesce(
                                        models.F("price_request"),
                                        models.Value(0.0),
                                        output_field=models.FloatField(),
                                    ),
                                ),
                                output_field=models.FloatField(),
                            ),
                            output_field=models.FloatField(),
                        ),
                        "+",
                        django.db.models.functions.comparison.Coalesce(
                            models.F("tier_chat"),
                            models.Value(0.0, output_field=models.FloatField()),
                            output_field=models.FloatField(),
                        ),
                        output_field=models.FloatField(),
                    ),
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(null=True),
            ),
        ),
        migrations.RemoveField(
            model_name="modelrank",
            name="cost_rag",
        ),
        migrations.AddField(
            model_name="modelrank",
            name="cost_rag",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Case(
                    models.When(
                        is_variable_price=True,
                        then=models.Value(None, output_field=models.FloatField()),
                    ),
                    models.When(
                        models.Q(
                            ("price_completion__isnull", True),
                            ("price_prompt__isnull", True),
                        ),
                        then=models.Value(None, output_field=models.FloatField()),
                    ),
                    default=django.db.models.expressions.CombinedExpression(
                        django.db.models.expressions.CombinedExpression(
                            django.db.models.expressions.CombinedExpression(
                                django.db.models.expressions.CombinedExpression(
                                    django.db.models.expressions.CombinedExpression(
                                        models.Value(
                                            0.0, output_field=models.FloatField()
                                        ),
                                        "+",
                                        models.ExpressionWrapper(
                                            django.db.models.expressions.CombinedExpression(
                                                models.Value(
                                                    60.0,
                                                    output_field=models.FloatField(),
                                                ),
                                                "*",
                                                django.db.models.functions.comparison.Coalesce(
                                                    models.F("price_input_cache_read"),
                                                    models.F("price_prompt"),
                                                    models.Value(0.0),
                                                    output_field=models.FloatField(),
                                                ),
                                            ),
                                            output_field=models.FloatField(),
                                        ),
                                        output_field=models.FloatField(),
                                    ),
                                    "+",
                                    models.ExpressionWrapper(
                                        django.db.models.expressions.CombinedExpression(
                                            models.Value(
                                                60.0, output_field=models.FloatField()
                                            ),
                                            "*",
                                            django.db.models.functions.comparison.Coalesce(
                                                models.F("price_input_cache_write"),
                                                models.F("price_prompt"),
                                                models.Value(0.0),
                                                output_field=models.FloatField(),
                                            ),
                                        ),
                                        output_field=models.FloatField(),
                                    ),
                                    output_field=models.FloatField(),
                                ),
                                "+",
                                models.ExpressionWrapper(
                                    django.db.models.expressions.CombinedExpression(
                                        models.Value(
                                            7.5, output_field=models.FloatField()
                                        ),
                                        "*",
                                        django.db.models.functions.comparison.Coalesce(
                                            models.F("price_completion"),
                                            models.Value(0.0),
                                            output_field=models.FloatField(),
                                        ),
                                    ),
                                    output_field=models.FloatField(),
                                ),
                                output_field=models.FloatField(),
                            ),
                            "+",
                            models.ExpressionWrapper(
                                django.db.models.expressions.CombinedExpression(
                                    models.Value(
                                        15000.0, output_field=models.FloatField()
                                    ),
                                    "*",
                                    django.db.models.functions.comparison.Coalesce(
                                        models.F("price_request"),
                                        models.Value(0.0),
                                        output_field=models.FloatField(),
                                    ),
                                ),
                                output_field=models.FloatField(),
                            ),
                            output_field=models.FloatField(),
                        ),
                        "+",
                        django.db.models.functions.comparison.Coalesce(
                            models.F("tier_rag"),
                            models.Value(0.0, output_field=models.FloatField()),
                            output_field=models.FloatField(),
                        ),
                        output_field=models.FloatField(),
                    ),
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(null=True),
            ),
        ),
        migrations.AddIndex(
            model_name="modelrank",
            index=models.Index(
                condition=models.Q(("delisted", False), ("visible", True)),
                fields=["-featured"],
                include=(
                    "model",
                    "slug",
                    "is_variable_price",
                    "tiered",
                    "price_prompt",
                    "price_completion",
                    "price_internal_reasoning",
                    "price_input_cache_read",
                    "price_input_cache_write",
                    "price_input_cache_write_1h",
                    "price_request",
                    "price_image",
                    "price_web_search",
                ),
                name="rank-priced",
            ),
        ),
        migrations.AddField(
            model_name="pricetier",
            name="endpoint",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="price_tiers",
                to="catalog.endpoint",
            ),
        ),
        migrations.AddField(
            model_name="pricetier",
            name="model",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="price_tiers",
                to="catalog.languagemodel",
            ),
        ),
        migrations.AddConstraint(
            model_name="pricetier",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("endpoint__isnull", True), ("model__isnull", False)),
                    models.Q(("endpoint__isnull", False), ("model__isnull", True)),
                    _connector="OR",
                ),
                name="price-tier-one-owner",
            ),
        ),
        migrations.RunPython(create_cost_indexes, drop_cost_indexes, elidable=False),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
