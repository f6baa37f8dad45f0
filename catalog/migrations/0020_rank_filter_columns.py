"""What the list's and the API's filters test, copied to catalog_modelrank too.

Counting a filtered list (the list page's "8,406 models", the API's total_count)
walked the model rows: ~2.5 KB each with the description and the raw payload, 20-40
ms at 30,000 models. The narrow rows now carry the author, creation date, context,
tokenizer, modalities and supported parameters as well, so the same filters count
~250-byte rows (catalog.selectors.models_narrowed works on either table).

The triggers of migration 0019 are replaced by ones that copy these columns too
(written out here as the schema is now; a later column comes with its own
migration), and every rank is written afresh from its model.
"""

import importlib

from django.db import migrations, models
import django.db.models.deletion

PRICE_KEYS = (
    "prompt",
    "completion",
    "internal_reasoning",
    "input_cache_read",
    "input_cache_write",
    "request",
    "image",
    "web_search",
)
# (the rank's column, the model's value as SQL over a row `r`)
COPIED = [
    ("visible", "NOT {r}.hidden"),
    ("delisted", "{r}.delisted_at IS NOT NULL"),
    ("featured", "{r}.featured"),
    ("slug", "{r}.slug"),
    ("name_length", "length({r}.name)"),
    ("tokens_week", "{r}.tokens_week"),
    ("is_variable_price", "{r}.is_variable_price"),
    *((f"price_{key}", f"CAST({{r}}.price_{key} AS {{float}})") for key in PRICE_KEYS),
    ("author_id", "{r}.author_id"),
    ("created", "{r}.created"),
    ("context_length", "{r}.context_length"),
    ("tokenizer", "{r}.tokenizer"),
    ("input_modalities", "{r}.input_modalities"),
    ("output_modalities", "{r}.output_modalities"),
    ("supported_parameters", "{r}.supported_parameters"),
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
    *(f"price_{key}" for key in PRICE_KEYS),
    "author_id",
    "created",
    "context_length",
    "tokenizer",
    "input_modalities",
    "output_modalities",
    "supported_parameters",
]
FLOAT = {"postgresql": "double precision", "sqlite": "REAL"}
TRIGGERS = ("catalog_modelrank_insert", "catalog_modelrank_update")


def _columns() -> str:
    return ", ".join(["model_id", *(column for column, _ in COPIED)])


def _values(vendor: str, row: str) -> str:
    values = [f"{row}.id", *(sql.format(r=row, float=FLOAT[vendor]) for _, sql in COPIED)]
    return ", ".join(values)


def _upsert(vendor: str, row: str) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c, _ in COPIED)
    return (
        f"INSERT INTO catalog_modelrank ({_columns()}) VALUES ({_values(vendor, row)}) "
        f"ON CONFLICT (model_id) DO UPDATE SET {updates}"
    )


def _create_postgresql() -> list[str]:
    # IS DISTINCT FROM: jsonb compares by value, so an unchanged list is no write.
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in SOURCES)
    return [
        "CREATE OR REPLACE FUNCTION catalog_modelrank_write() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {_upsert('postgresql', 'NEW')}; "
        "RETURN NULL; END $$",
        "CREATE TRIGGER catalog_modelrank_insert AFTER INSERT ON "
        "catalog_languagemodel FOR EACH ROW EXECUTE FUNCTION catalog_modelrank_write()",
        "CREATE TRIGGER catalog_modelrank_update AFTER UPDATE ON "
        f"catalog_languagemodel FOR EACH ROW WHEN ({changed}) "
        "EXECUTE FUNCTION catalog_modelrank_write()",
    ]


def _create_sqlite() -> list[str]:
    upsert = _upsert("sqlite", "new")
    return [
        "CREATE TRIGGER catalog_modelrank_insert AFTER INSERT ON "
        f"catalog_languagemodel BEGIN {upsert}; END",
        f"CREATE TRIGGER catalog_modelrank_update AFTER UPDATE OF {', '.join(SOURCES)} "
        f"ON catalog_languagemodel BEGIN {upsert}; END",
    ]


def _drop(vendor: str) -> list[str]:
    on = " ON catalog_languagemodel" if vendor == "postgresql" else ""
    return [f"DROP TRIGGER IF EXISTS {name}{on}" for name in TRIGGERS]


def drop_triggers(apps, schema_editor):
    """Before the table changes (SQLite rebuilds it to add a column)."""
    vendor = schema_editor.connection.vendor
    if vendor in FLOAT:
        for statement in _drop(vendor):
            schema_editor.execute(statement)


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in FLOAT:
        return
    create = _create_postgresql() if vendor == "postgresql" else _create_sqlite()
    # Every rank written afresh from its model, in place (no row is deleted, so
    # no deferred foreign-key check is pending when the new index is made).
    columns = ", ".join(column for column, _ in COPIED)
    values = ", ".join(sql.format(r="m", float=FLOAT[vendor]) for _, sql in COPIED)
    backfill = (
        f"UPDATE catalog_modelrank SET ({columns}) = (SELECT {values} "
        "FROM catalog_languagemodel m WHERE m.id = catalog_modelrank.model_id)"
    )
    for statement in [*create, backfill]:
        schema_editor.execute(statement)


def restore_triggers(apps, schema_editor):
    """Back to migration 0019's triggers (its columns only)."""
    vendor = schema_editor.connection.vendor
    if vendor not in FLOAT:
        return
    before = importlib.import_module("catalog.migrations.0019_rank_and_search_vectors")
    create = before._postgresql() if vendor == "postgresql" else before._sqlite()
    for statement in create:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0019_rank_and_search_vectors")]

    operations = [
        migrations.RunPython(drop_triggers, restore_triggers, elidable=False),
        migrations.AddField(
            model_name="modelrank",
            name="author",
            field=models.ForeignKey(
                db_constraint=False,
                default=0,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="catalog.author",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="modelrank",
            name="created",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="modelrank",
            name="context_length",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="modelrank",
            name="tokenizer",
            field=models.CharField(default="", max_length=60),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="modelrank",
            name="input_modalities",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="modelrank",
            name="output_modalities",
            field=models.JSONField(default=list),
        ),
        migrations.AddField(
            model_name="modelrank",
            name="supported_parameters",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(create_triggers, drop_triggers, elidable=False),
    ]
