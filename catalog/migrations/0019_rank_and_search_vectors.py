"""Ranking many models without reading their wide rows.

- `catalog_modelrank`: a narrow copy of each model's listing state, tie-breaks,
  popularity and prices, written only by triggers on catalog_languagemodel (here,
  for both databases), so no write path can forget it; filled here for the models
  already stored. catalog.ranking reads it (a search's matches, a workload's cost).
- PostgreSQL: both search-key columns as stored tsvectors with GIN indexes
  (`names_vector @@ 'gpt4o:*'` is "a run of the names starts with gpt4o", what
  `LIKE '% gpt4o%'` asked of the trigram index), so every word of a query is read
  from an index. Neither vector has statistics: with them PostgreSQL estimates a
  common word's matches well, then scans the table testing both vectors on every
  row (30-40 ms at 30,000 models, most of it reading vectors from TOAST); without
  them it assumes few matches and reads them from the indexes (a bitmap: 5-10 ms).
  The text vector is made afresh so no statistics survive from migration 0017.
- The models a provider serves, from an index alone (the provider filters, a
  provider page's count).
"""

import django.db.models.deletion
from django.db import migrations, models

# What the rank copies: (its column, the model's value as SQL over a row `r`). The
# price keys are written out, as the schema was when this migration was made
# (catalog.pricing.prices.COLUMN_KEYS may grow; a new column comes with its own
# migration).
COPIED = [
    ("visible", "NOT {r}.hidden"),
    ("delisted", "{r}.delisted_at IS NOT NULL"),
    ("featured", "{r}.featured"),
    ("slug", "{r}.slug"),
    ("name_length", "length({r}.name)"),
    ("tokens_week", "{r}.tokens_week"),
    ("is_variable_price", "{r}.is_variable_price"),
    *(
        (f"price_{key}", f"CAST({{r}}.price_{key} AS {{float}})")
        for key in (
            "prompt",
            "completion",
            "internal_reasoning",
            "input_cache_read",
            "input_cache_write",
            "request",
            "image",
            "web_search",
        )
    ),
]
# The model's columns the copy is made of: an update of any of them rewrites it.
SOURCES = [
    "hidden",
    "delisted_at",
    "featured",
    "slug",
    "name",
    "tokens_week",
    "is_variable_price",
    *(column for column, _ in COPIED if column.startswith("price_")),
]
FLOAT = {"postgresql": "double precision", "sqlite": "REAL"}


# Migration 0020 builds its triggers with these helpers and its own columns.
def _columns(copied=COPIED) -> str:
    return ", ".join(["model_id", *(column for column, _ in copied)])


def _values(vendor: str, row: str, copied=COPIED) -> str:
    values = [
        f"{row}.id",
        *(sql.format(r=row, float=FLOAT[vendor]) for _, sql in copied),
    ]
    return ", ".join(values)


def _upsert(vendor: str, row: str, copied=COPIED) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c, _ in copied)
    return (
        f"INSERT INTO catalog_modelrank ({_columns(copied)}) "
        f"VALUES ({_values(vendor, row, copied)}) "
        f"ON CONFLICT (model_id) DO UPDATE SET {updates}"
    )


def _postgresql(copied=COPIED, sources=SOURCES) -> list[str]:
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in sources)
    return [
        "CREATE OR REPLACE FUNCTION catalog_modelrank_write() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {_upsert('postgresql', 'NEW', copied)}; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER catalog_modelrank_insert AFTER INSERT ON "
        "catalog_languagemodel FOR EACH ROW EXECUTE FUNCTION catalog_modelrank_write()",
        "CREATE TRIGGER catalog_modelrank_update AFTER UPDATE ON "
        f"catalog_languagemodel FOR EACH ROW WHEN ({changed}) "
        "EXECUTE FUNCTION catalog_modelrank_write()",
    ]


def _sqlite(copied=COPIED, sources=SOURCES) -> list[str]:
    upsert = _upsert("sqlite", "new", copied)
    return [
        "CREATE TRIGGER catalog_modelrank_insert AFTER INSERT ON "
        f"catalog_languagemodel BEGIN {upsert}; END",
        f"CREATE TRIGGER catalog_modelrank_update AFTER UPDATE OF {', '.join(sources)} "
        f"ON catalog_languagemodel BEGIN {upsert}; END",
    ]


def _backfill(vendor: str) -> str:
    return (
        f"INSERT INTO catalog_modelrank ({_columns()}) "
        f"SELECT {_values(vendor, 'm')} FROM catalog_languagemodel m"
    )


VECTORS = [
    'DROP INDEX IF EXISTS "search-names-trgm"',
    # Dropping the column drops its index ("search-text-fts") and statistics.
    "ALTER TABLE catalog_modelsearch DROP COLUMN IF EXISTS text_vector",
    *(
        f"ALTER TABLE catalog_modelsearch ADD COLUMN {column}_vector tsvector "
        f"GENERATED ALWAYS AS (strip(to_tsvector('simple', {column}))) STORED"
        for column in ("names", "text")
    ),
    *(
        f"ALTER TABLE catalog_modelsearch ALTER COLUMN {column}_vector SET STATISTICS 0"
        for column in ("names", "text")
    ),
    'CREATE INDEX "search-names-fts" ON catalog_modelsearch USING gin (names_vector)',
    'CREATE INDEX "search-text-fts" ON catalog_modelsearch USING gin (text_vector)',
]
VECTORS_BACK = [
    "ALTER TABLE catalog_modelsearch DROP COLUMN IF EXISTS names_vector",
    "ALTER TABLE catalog_modelsearch DROP COLUMN IF EXISTS text_vector",
    "ALTER TABLE catalog_modelsearch ADD COLUMN text_vector tsvector "
    "GENERATED ALWAYS AS (strip(to_tsvector('simple', text))) STORED",
    'CREATE INDEX "search-text-fts" ON catalog_modelsearch USING gin (text_vector)',
    'CREATE INDEX IF NOT EXISTS "search-names-trgm" ON catalog_modelsearch '
    "USING gin (names gin_trgm_ops)",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in FLOAT:
        return
    statements = _postgresql() + VECTORS if vendor == "postgresql" else _sqlite()
    for statement in [*statements, _backfill(vendor)]:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS catalog_modelrank_insert")
        schema_editor.execute("DROP TRIGGER IF EXISTS catalog_modelrank_update")
    if vendor != "postgresql":
        return
    for table_trigger in ("insert", "update"):
        schema_editor.execute(
            f"DROP TRIGGER IF EXISTS catalog_modelrank_{table_trigger} "
            "ON catalog_languagemodel"
        )
    schema_editor.execute("DROP FUNCTION IF EXISTS catalog_modelrank_write()")
    for statement in VECTORS_BACK:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0018_endpoint_sdk_fields")]

    operations = [
        migrations.CreateModel(
            name="ModelRank",
            fields=[
                (
                    "model",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="rank",
                        serialize=False,
                        to="catalog.languagemodel",
                    ),
                ),
                ("visible", models.BooleanField()),
                ("delisted", models.BooleanField()),
                ("featured", models.BooleanField()),
                ("slug", models.CharField(max_length=200)),
                ("name_length", models.PositiveIntegerField()),
                ("tokens_week", models.PositiveBigIntegerField(null=True)),
                ("is_variable_price", models.BooleanField()),
                ("price_prompt", models.FloatField(null=True)),
                ("price_completion", models.FloatField(null=True)),
                ("price_internal_reasoning", models.FloatField(null=True)),
                ("price_input_cache_read", models.FloatField(null=True)),
                ("price_input_cache_write", models.FloatField(null=True)),
                ("price_request", models.FloatField(null=True)),
                ("price_image", models.FloatField(null=True)),
                ("price_web_search", models.FloatField(null=True)),
                (
                    "search",
                    models.ForeignObject(
                        from_fields=["model"],
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="catalog.modelsearch",
                        to_fields=["model"],
                    ),
                ),
            ],
        ),
        migrations.RunPython(forward, backward, elidable=False),
        migrations.AddIndex(
            model_name="endpoint",
            index=models.Index(
                condition=models.Q(delisted_at__isnull=True),
                fields=["provider", "model"],
                name="endpoint-provider-models",
            ),
        ),
    ]
