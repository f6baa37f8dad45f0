"""What the list's and the API's filters test, copied to catalog_modelrank too.

Counting a filtered list (the list page's "8,406 models", the API's total_count)
walked the model rows: ~2.5 KB each with the description and the raw payload, 20-40
ms at 30,000 models. The narrow rows now carry the author, creation date, context,
tokenizer, modalities and supported parameters as well, so the same filters count
~370-byte rows (catalog.reads.selectors.models_narrowed works on either table).

The triggers of migration 0019 are replaced by ones that copy these columns too
(built by 0019's helpers from its columns plus these; a later column comes with its
own migration), and every rank is written afresh from its model.
"""

import importlib

from django.db import migrations, models
import django.db.models.deletion

# Migration 0019's trigger builders and columns, then the columns added here.
BEFORE = importlib.import_module("catalog.migrations.0019_rank_and_search_vectors")
ADDED = [
    "author_id",
    "created",
    "context_length",
    "tokenizer",
    "input_modalities",
    "output_modalities",
    "supported_parameters",
]
# (the rank's column, the model's value as SQL over a row `r`): copied as they are.
COPIED = [*BEFORE.COPIED, *((column, f"{{r}}.{column}") for column in ADDED)]
# The model's columns the copy is made of: an update of any of them rewrites it.
SOURCES = [*BEFORE.SOURCES, *ADDED]
FLOAT = BEFORE.FLOAT
TRIGGERS = ("catalog_modelrank_insert", "catalog_modelrank_update")


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
    if vendor == "postgresql":
        # IS DISTINCT FROM compares jsonb by value: an unchanged list is no write.
        create = BEFORE._postgresql(COPIED, SOURCES)
    else:
        create = BEFORE._sqlite(COPIED, SOURCES)
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
    if vendor in FLOAT:
        create = BEFORE._postgresql() if vendor == "postgresql" else BEFORE._sqlite()
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
