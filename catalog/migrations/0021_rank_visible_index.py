"""The listed ranks' search and ordering columns in an index of their own.

A search joins its matches (thousands at 30,000 models) to their ranks, and the
unfiltered list counts every listed model; both read catalog_modelrank's rows,
~550 bytes each with the filters' JSON lists. This partial index carries what they
read (delisted, slug, tokens this week, name length) in ~60-byte rows, so both are
index-only scans on PostgreSQL. SQLite builds the partial index without the
covering columns.
"""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0020_rank_filter_columns'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='modelrank',
            index=models.Index(condition=models.Q(('visible', True)), fields=['model'], include=('delisted', 'slug', 'tokens_week', 'name_length'), name='rank-visible'),
        ),
    ]
