# Upstream task classifications (the models' categories) and their sync kind.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('catalog', '0029_direct_offers'),
    ]

    operations = [
        migrations.AlterField(
            model_name='shrinkrefusal',
            name='kind',
            field=models.CharField(choices=[('providers', 'Providers'), ('catalog', 'Catalogue'), ('endpoints', 'Endpoints of every model'), ('endpoints-some', 'Endpoints of chosen models'), ('litellm', 'Direct prices (LiteLLM)'), ('categories', 'Model categories (task classifications)'), ('stats-activity', 'Tokens per day'), ('stats-apps', 'Apps using each model'), ('stats-uptime', 'Hourly uptime'), ('stats-history', 'Latency, throughput and price history'), ('stats-datasets', 'Data API rankings and your usage')], max_length=40),
        ),
        migrations.AlterField(
            model_name='syncrun',
            name='kind',
            field=models.CharField(choices=[('providers', 'Providers'), ('catalog', 'Catalogue'), ('endpoints', 'Endpoints of every model'), ('endpoints-some', 'Endpoints of chosen models'), ('litellm', 'Direct prices (LiteLLM)'), ('categories', 'Model categories (task classifications)'), ('stats-activity', 'Tokens per day'), ('stats-apps', 'Apps using each model'), ('stats-uptime', 'Hourly uptime'), ('stats-history', 'Latency, throughput and price history'), ('stats-datasets', 'Data API rankings and your usage')], max_length=40),
        ),
        migrations.CreateModel(
            name='TaskClassification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('tag', models.CharField(max_length=100)),
                ('macro_category', models.CharField(max_length=40)),
                ('display_name', models.CharField(blank=True, max_length=200)),
                ('rank', models.PositiveIntegerField()),
                ('usage_share', models.FloatField()),
                ('token_share', models.FloatField()),
                ('as_of', models.DateField(blank=True, null=True)),
                ('seen_at', models.DateTimeField()),
                ('model', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='classifications', to='catalog.languagemodel')),
            ],
            options={
                'ordering': ['tag', 'rank'],
                'indexes': [models.Index(fields=['macro_category', 'model'], name='classification-macro'), models.Index(fields=['tag', 'model'], name='classification-tag')],
                'constraints': [models.UniqueConstraint(fields=('model', 'tag'), name='classification-key')],
            },
        ),
    ]
