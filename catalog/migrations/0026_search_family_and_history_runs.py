"""Search: each model's family (catalog.search.keys.model_family), by which the
ranking puts a family's newest release first among equal matches; filled here for
the models already stored, then written with the other search keys. And a kind of
sync run: the backfill of upstream's latency, throughput and price history.

The column is nullable so that SQLite adds it in place: a default would make
Django rebuild the table, dropping the FTS5 triggers migration 0017 put on it.
"""

import re
import unicodedata

from django.db import migrations, models

BATCH = 1000
WORD = re.compile(r"[a-z0-9]+")
# As catalog.search.keys has them on 0026.
RELEASE_WORDS = frozenset(
    {"preview", "exp", "experimental", "beta", "latest", "instruct", "it", "chat"}
)
PARENTHESES = re.compile(r"\([^)]*\)")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def family_word(word: str) -> str:
    if word.isalpha():
        return word
    letters = re.match(r"[a-z]*", word)
    name = letters.group() if letters else ""
    return name if len(name) >= 2 else ""


def model_family(name: str, author_slug: str) -> str:
    short = name.split(": ", 1)[1] if ": " in name else name
    words = WORD.findall(fold(PARENTHESES.sub(" ", short)))
    kept = [family_word(w) for w in words if w not in RELEASE_WORDS]
    family = " ".join(w for w in kept if w) or " ".join(words[:1])
    return f"{fold(author_slug)}/{family}"[:200]


def fill(apps, schema_editor):
    ModelSearch = apps.get_model("catalog", "ModelSearch")
    keys = ModelSearch.objects.select_related("model__author").order_by("pk")
    rows = []
    for row in keys.iterator(chunk_size=BATCH):
        row.family = model_family(row.model.name or "", row.model.author.slug)
        rows.append(row)
        if len(rows) == BATCH:
            ModelSearch.objects.bulk_update(rows, ["family"])
            rows = []
    ModelSearch.objects.bulk_update(rows, ["family"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0025_prices_finite")]

    operations = [
        migrations.AddField(
            model_name="modelsearch",
            name="family",
            field=models.CharField(blank=True, max_length=200, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='shrinkrefusal',
            name='kind',
            field=models.CharField(choices=[('providers', 'Providers'), ('catalog', 'Catalogue'), ('endpoints', 'Endpoints of every model'), ('endpoints-some', 'Endpoints of chosen models'), ('stats-activity', 'Tokens per day'), ('stats-apps', 'Apps using each model'), ('stats-uptime', 'Hourly uptime'), ('stats-history', 'Latency, throughput and price history'), ('stats-datasets', 'Data API rankings and your usage')], max_length=40),
        ),
        migrations.AlterField(
            model_name='syncrun',
            name='kind',
            field=models.CharField(choices=[('providers', 'Providers'), ('catalog', 'Catalogue'), ('endpoints', 'Endpoints of every model'), ('endpoints-some', 'Endpoints of chosen models'), ('stats-activity', 'Tokens per day'), ('stats-apps', 'Apps using each model'), ('stats-uptime', 'Hourly uptime'), ('stats-history', 'Latency, throughput and price history'), ('stats-datasets', 'Data API rankings and your usage')], max_length=40),
        ),
    ]
