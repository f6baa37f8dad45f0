"""PostgreSQL indexes for the API's OpenRouter sorts (api/selectors.py ORDERINGS).

`pricing-*` orders by the sum of the prompt and completion prices (their mean's
order), the stats sorts by the current figures; each with the API's tie-break (newest,
then the id), so a sorted, limited page is an index scan. SQLite cannot index NULLS
LAST and serves one laptop's catalogue. `newest` and `context-high-to-low` use the
api-newest and api-context indexes of 0011.
"""

from django.db import migrations, models
from django.db.models import F


def _indexes():
    newest = (F("created").desc(nulls_last=True), F("slug").asc())
    weighted = F("price_prompt") + F("price_completion")
    orders = {
        "api-weighted-price-asc": weighted.asc(nulls_last=True),
        "api-weighted-price-desc": weighted.desc(nulls_last=True),
        "api-throughput": F("throughput_p50").desc(nulls_last=True),
        "api-latency": F("latency_p50").asc(nulls_last=True),
        "api-tokens-week": F("tokens_week").desc(nulls_last=True),
    }
    return [models.Index(order, *newest, name=name) for name, order in orders.items()]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("catalog", "LanguageModel")
    for index in _indexes():
        schema_editor.add_index(model, index)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("catalog", "LanguageModel")
    for index in _indexes():
        schema_editor.remove_index(model, index)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0015_syncrun_every_seconds")]

    operations = [migrations.RunPython(create, drop)]
