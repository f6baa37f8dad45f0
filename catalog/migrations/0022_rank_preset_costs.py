"""Each preset workload's monthly cost on ModelRank, kept by the database from the
prices (generated columns), and on PostgreSQL two indexes per preset, in the list's
order (featured first, cheapest, then the id) and the API's (cheapest, then the id),
of the listed ranks: a list sorted by a preset's cost is an index scan with a limit
instead of pricing every model.
SQLite cannot index NULLS LAST and serves one laptop's catalogue.
"""

import django.db.models.expressions
import django.db.models.functions.comparison
import importlib

from django.db import migrations, models
from django.db.models import F, Q

# Migration 0020's triggers (which write the ranks from the models).
TRIGGERS = importlib.import_module("catalog.migrations.0020_rank_filter_columns")

PRESETS = ("chat", "rag", "agent", "batch")


def _indexes():
    listed = Q(visible=True, delisted=False)
    indexes = []
    for slug in PRESETS:
        cost = F(f"cost_{slug}").asc(nulls_last=True)
        # The list's order (editors' featured models first), then the API's.
        indexes += [
            models.Index(
                F("featured").desc(),
                cost,
                F("slug").asc(),
                condition=listed,
                name=f"rank-cost-{slug}",
            ),
            models.Index(
                cost, F("slug").asc(), condition=listed, name=f"rank-api-cost-{slug}"
            ),
        ]
    return indexes


def drop_sqlite_triggers(apps, schema_editor):
    """Before SQLite rebuilds the table to add (or remove) a stored column: a
    trigger naming a table being rebuilt breaks it."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in TRIGGERS._drop("sqlite"):
            schema_editor.execute(statement)


def create_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        create = TRIGGERS.BEFORE._sqlite(TRIGGERS.COPIED, TRIGGERS.SOURCES)
        for statement in create:
            schema_editor.execute(statement)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("catalog", "ModelRank")
    for index in _indexes():
        schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("catalog", "ModelRank")
    for index in _indexes():
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0021_rank_visible_index"),
    ]

    operations = [
        migrations.RunPython(
            drop_sqlite_triggers, create_sqlite_triggers, elidable=False
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
                                            models.Value(
                                                0.0, output_field=models.FloatField()
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
                                                48.0, output_field=models.FloatField()
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
                                                models.F("price_internal_reasoning"),
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
                                models.Value(6000.0, output_field=models.FloatField()),
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
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(null=True),
            ),
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
                                    models.Value(6.0, output_field=models.FloatField()),
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
                                models.Value(6000.0, output_field=models.FloatField()),
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
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(null=True),
            ),
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
                                models.Value(30000.0, output_field=models.FloatField()),
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
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(null=True),
            ),
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
                                    models.Value(0.0, output_field=models.FloatField()),
                                    "+",
                                    models.ExpressionWrapper(
                                        django.db.models.expressions.CombinedExpression(
                                            models.Value(
                                                60.0, output_field=models.FloatField()
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
                                    models.Value(7.5, output_field=models.FloatField()),
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
                                models.Value(15000.0, output_field=models.FloatField()),
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
                    output_field=models.FloatField(),
                ),
                output_field=models.FloatField(null=True),
            ),
        ),
        migrations.RunPython(
            create_sqlite_triggers, drop_sqlite_triggers, elidable=False
        ),
        migrations.RunPython(create, drop),
    ]
