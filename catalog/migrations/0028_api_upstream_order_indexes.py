"""PostgreSQL indexes for the API's orders with their new tie-break: upstream's
position (0027), then the newest, then the id, where they used to break ties by
the newest and the id (0011's api-* and 0016's). The weighted price is rounded to
the columns' 12 places, as api/selectors.py orders by it. A sorted, limited page
stays an index scan; SQLite cannot index NULLS LAST.
"""

from django.db import migrations, models
from django.db.models import F
from django.db.models.functions import Lower, Round


def _tie_break():
    return (
        F("upstream_position").asc(nulls_last=True),
        F("created").desc(nulls_last=True),
        F("slug").asc(),
    )


def _old():
    """0011's and 0016's api-* indexes, as they made them."""
    newest = (F("created").desc(nulls_last=True), F("slug").asc())
    weighted = F("price_prompt") + F("price_completion")
    orders = {
        "api-newest": (),
        "api-context": (F("context_length").desc(nulls_last=True),),
        "api-price": (
            F("price_prompt").asc(nulls_last=True),
            F("price_completion").asc(nulls_last=True),
        ),
        "api-weighted-price-asc": (weighted.asc(nulls_last=True),),
        "api-weighted-price-desc": (weighted.desc(nulls_last=True),),
        "api-throughput": (F("throughput_p50").desc(nulls_last=True),),
        "api-latency": (F("latency_p50").asc(nulls_last=True),),
        "api-tokens-week": (F("tokens_week").desc(nulls_last=True),),
    }
    name = models.Index(Lower("name"), F("slug").asc(), name="api-name")
    return [name] + [
        models.Index(*order, *newest, name=n) for n, order in orders.items()
    ]


def _new():
    weighted = Round(F("price_prompt") + F("price_completion"), 12)
    orders = {
        # The default order (Meta's model-upstream-order is NULLS FIRST on
        # created, as a plain index is).
        "api-upstream": (),
        "api-newest-2": (F("created").desc(nulls_last=True),),
        "api-name-2": (Lower("name"),),
        "api-context-2": (F("context_length").desc(nulls_last=True),),
        "api-price-2": (
            F("price_prompt").asc(nulls_last=True),
            F("price_completion").asc(nulls_last=True),
        ),
        "api-weighted-price-asc-2": (weighted.asc(nulls_last=True),),
        "api-weighted-price-desc-2": (weighted.desc(nulls_last=True),),
        "api-throughput-2": (F("throughput_p50").desc(nulls_last=True),),
        "api-latency-2": (F("latency_p50").asc(nulls_last=True),),
        "api-tokens-week-2": (F("tokens_week").desc(nulls_last=True),),
    }
    return [
        models.Index(*order, *_tie_break(), name=name) for name, order in orders.items()
    ]


def _swap(apps, schema_editor, drop, create):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("catalog", "LanguageModel")
    for index in drop:
        schema_editor.remove_index(model, index)
    for index in create:
        schema_editor.add_index(model, index)


def forwards(apps, schema_editor):
    _swap(apps, schema_editor, _old(), _new())


def backwards(apps, schema_editor):
    _swap(apps, schema_editor, _new(), _old())


class Migration(migrations.Migration):
    dependencies = [("catalog", "0027_upstream_position")]

    operations = [migrations.RunPython(forwards, backwards)]
