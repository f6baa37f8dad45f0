"""The catalogues beside the chat models (embeddings, image and video generation)
and their sync kinds."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0032_zdr_and_regions"),
    ]

    operations = [
        migrations.AlterField(
            model_name="shrinkrefusal",
            name="kind",
            field=models.CharField(
                choices=[
                    ("providers", "Providers"),
                    ("catalog", "Catalogue"),
                    ("endpoints", "Endpoints of every model"),
                    ("endpoints-some", "Endpoints of chosen models"),
                    ("litellm", "Direct prices (LiteLLM)"),
                    ("embeddings", "Embedding models"),
                    ("images", "Image generation models"),
                    ("videos", "Video generation models"),
                    ("stats-activity", "Tokens per day"),
                    ("stats-apps", "Apps using each model"),
                    ("stats-uptime", "Hourly uptime"),
                    ("stats-history", "Latency, throughput and price history"),
                    ("stats-datasets", "Data API rankings and your usage"),
                ],
                max_length=40,
            ),
        ),
        migrations.AlterField(
            model_name="syncrun",
            name="kind",
            field=models.CharField(
                choices=[
                    ("providers", "Providers"),
                    ("catalog", "Catalogue"),
                    ("endpoints", "Endpoints of every model"),
                    ("endpoints-some", "Endpoints of chosen models"),
                    ("litellm", "Direct prices (LiteLLM)"),
                    ("embeddings", "Embedding models"),
                    ("images", "Image generation models"),
                    ("videos", "Video generation models"),
                    ("stats-activity", "Tokens per day"),
                    ("stats-apps", "Apps using each model"),
                    ("stats-uptime", "Hourly uptime"),
                    ("stats-history", "Latency, throughput and price history"),
                    ("stats-datasets", "Data API rankings and your usage"),
                ],
                max_length=40,
            ),
        ),
        migrations.CreateModel(
            name="KindModel",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("embeddings", "Embeddings"),
                            ("images", "Image generation"),
                            ("videos", "Video generation"),
                        ],
                        max_length=20,
                    ),
                ),
                ("slug", models.CharField(help_text="Upstream's id", max_length=200)),
                ("name", models.CharField(max_length=300)),
                ("description", models.TextField(blank=True)),
                ("created", models.DateTimeField(blank=True, null=True)),
                ("position", models.PositiveIntegerField(default=0)),
                ("unit_prices", models.JSONField(blank=True, default=list)),
                ("payload", models.JSONField(default=dict)),
                ("endpoints", models.JSONField(blank=True, null=True)),
                ("search_text", models.TextField(blank=True)),
                ("first_seen_at", models.DateTimeField()),
                ("updated_at", models.DateTimeField()),
                ("delisted_at", models.DateTimeField(blank=True, null=True)),
            ],
            options={
                "ordering": ["kind", "position", "slug"],
                "indexes": [
                    models.Index(
                        condition=models.Q(("delisted_at__isnull", True)),
                        fields=["kind", "position"],
                        name="kind-model-listed",
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("kind", "slug"), name="kind-model-key"
                    )
                ],
            },
        ),
    ]
