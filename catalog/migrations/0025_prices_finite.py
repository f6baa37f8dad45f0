"""Every price column holds a finite number or null: NaN and infinities that a raw
path stored (an import, a hand edit) are cleared, then a check per column keeps new
ones out.

SQLite adds a check by rebuilding the table, which drops the triggers that write
the ranks from the models: they are dropped before and made again after, as
migration 0024 defined them.
"""

import importlib
from decimal import Decimal

from django.db import migrations, models

TIERS = importlib.import_module("catalog.migrations.0024_price_tiers")

# The price columns as this migration found them.
COLUMNS = (
    "price_prompt",
    "price_completion",
    "price_internal_reasoning",
    "price_input_cache_read",
    "price_input_cache_write",
    "price_input_cache_write_1h",
    "price_request",
    "price_image",
    "price_web_search",
)
BOUND = 10**12


def _clear_non_finite(table):
    # NaN and text compare above every number (PostgreSQL and SQLite alike), so
    # both fall outside the bounds; null stays null.
    return [
        migrations.RunSQL(
            f"UPDATE {table} SET {column} = NULL WHERE NOT "
            f"({column} > -{BOUND} AND {column} < {BOUND})",
            migrations.RunSQL.noop,
        )
        for column in COLUMNS
    ]


def drop_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in TIERS.BEFORE._drop("sqlite"):
            schema_editor.execute(statement)


def create_sqlite_triggers(apps, schema_editor):
    # The two on catalog_languagemodel (the regions' triggers are on their own
    # table, which no rebuild here touches).
    if schema_editor.connection.vendor == "sqlite":
        for statement in TIERS._sqlite()[:2]:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0024_price_tiers"),
    ]

    operations = [
        *_clear_non_finite("catalog_languagemodel"),
        *_clear_non_finite("catalog_endpoint"),
        migrations.RunPython(
            drop_sqlite_triggers, create_sqlite_triggers, elidable=False
        ),
        migrations.AddConstraint(
            model_name='endpoint',
            constraint=models.CheckConstraint(condition=models.Q(('price_prompt__gt', Decimal('-1000000000000')), ('price_prompt__lt', Decimal('1000000000000'))), name='endpoint-prompt-finite'),
        ),
        migrations.AddConstraint(
            model_name='endpoint',
            constraint=models.CheckConstraint(condition=models.Q(('price_completion__gt', Decimal('-1000000000000')), ('price_completion__lt', Decimal('1000000000000'))), name='endpoint-completion-finite'),
        ),
        migrations.AddConstraint(
            model_name='endpoint',
            constraint=models.CheckConstraint(condition=models.Q(('price_internal_reasoning__gt', Decimal('-1000000000000')), ('price_internal_reasoning__lt', Decimal('1000000000000'))), name='endpoint-internal_reasoning-finite'),
        ),
        migrations.AddConstraint(
            model_name='endpoint',
            constraint=models.CheckConstraint(condition=models.Q(('price_input_cache_read__gt', Decimal('-1000000000000')), ('price_input_cache_read__lt', Decimal('1000000000000'))), name='endpoint-input_cache_read-finite'),
        ),
        migrations.AddConstraint(
            model_name='endpoint',
            constraint=models.CheckConstraint(condition=models.Q(('price_input_cache_write__gt', Decimal('-1000000000000')), ('price_input_cache_write__lt', Decimal('1000000000000'))), name='endpoint-input_cache_write-finite'),
        ),
        migrations.AddConstraint(
            model_name='endpoint',
            constraint=models.CheckConstraint(condition=models.Q(('price_input_cache_write_1h__gt', Decimal('-1000000000000')), ('price_input_cache_write_1h__lt', Decimal('1000000000000'))), name='endpoint-input_cache_write_1h-finite'),
        ),
        migrations.AddConstraint(
            model_name='endpoint',
            constraint=models.CheckConstraint(condition=models.Q(('price_request__gt', Decimal('-1000000000000')), ('price_request__lt', Decimal('1000000000000'))), name='endpoint-request-finite'),
        ),
        migrations.AddConstraint(
            model_name='endpoint',
            constraint=models.CheckConstraint(condition=models.Q(('price_image__gt', Decimal('-1000000000000')), ('price_image__lt', Decimal('1000000000000'))), name='endpoint-image-finite'),
        ),
        migrations.AddConstraint(
            model_name='endpoint',
            constraint=models.CheckConstraint(condition=models.Q(('price_web_search__gt', Decimal('-1000000000000')), ('price_web_search__lt', Decimal('1000000000000'))), name='endpoint-web_search-finite'),
        ),
        migrations.AddConstraint(
            model_name='languagemodel',
            constraint=models.CheckConstraint(condition=models.Q(('price_prompt__gt', Decimal('-1000000000000')), ('price_prompt__lt', Decimal('1000000000000'))), name='model-prompt-finite'),
        ),
        migrations.AddConstraint(
            model_name='languagemodel',
            constraint=models.CheckConstraint(condition=models.Q(('price_completion__gt', Decimal('-1000000000000')), ('price_completion__lt', Decimal('1000000000000'))), name='model-completion-finite'),
        ),
        migrations.AddConstraint(
            model_name='languagemodel',
            constraint=models.CheckConstraint(condition=models.Q(('price_internal_reasoning__gt', Decimal('-1000000000000')), ('price_internal_reasoning__lt', Decimal('1000000000000'))), name='model-internal_reasoning-finite'),
        ),
        migrations.AddConstraint(
            model_name='languagemodel',
            constraint=models.CheckConstraint(condition=models.Q(('price_input_cache_read__gt', Decimal('-1000000000000')), ('price_input_cache_read__lt', Decimal('1000000000000'))), name='model-input_cache_read-finite'),
        ),
        migrations.AddConstraint(
            model_name='languagemodel',
            constraint=models.CheckConstraint(condition=models.Q(('price_input_cache_write__gt', Decimal('-1000000000000')), ('price_input_cache_write__lt', Decimal('1000000000000'))), name='model-input_cache_write-finite'),
        ),
        migrations.AddConstraint(
            model_name='languagemodel',
            constraint=models.CheckConstraint(condition=models.Q(('price_input_cache_write_1h__gt', Decimal('-1000000000000')), ('price_input_cache_write_1h__lt', Decimal('1000000000000'))), name='model-input_cache_write_1h-finite'),
        ),
        migrations.AddConstraint(
            model_name='languagemodel',
            constraint=models.CheckConstraint(condition=models.Q(('price_request__gt', Decimal('-1000000000000')), ('price_request__lt', Decimal('1000000000000'))), name='model-request-finite'),
        ),
        migrations.AddConstraint(
            model_name='languagemodel',
            constraint=models.CheckConstraint(condition=models.Q(('price_image__gt', Decimal('-1000000000000')), ('price_image__lt', Decimal('1000000000000'))), name='model-image-finite'),
        ),
        migrations.AddConstraint(
            model_name='languagemodel',
            constraint=models.CheckConstraint(condition=models.Q(('price_web_search__gt', Decimal('-1000000000000')), ('price_web_search__lt', Decimal('1000000000000'))), name='model-web_search-finite'),
        ),
        migrations.RunPython(
            create_sqlite_triggers, drop_sqlite_triggers, elidable=False
        ),
    ]
