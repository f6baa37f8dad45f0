from __future__ import annotations

from django.urls import path, re_path

from api import benchmarks, costs, kinds, views

urlpatterns = [
    path("", views.root, name="api-root"),
    path("openapi.json", views.openapi, name="api-openapi"),
    path("models", views.model_list, name="api-models"),
    path("models/count", views.model_count, name="api-models-count"),
    path("models/user", views.model_list_for_user, name="api-models-user"),
    # The path OpenRouter's SDK reads one model from (`models.get`).
    path("model/<str:author>/<str:slug>", views.model_detail, name="api-model-get"),
    path("models/suggest", views.model_suggest, name="api-models-suggest"),
    path("models/<str:author>/<str:slug>", views.model_detail, name="api-model"),
    path(
        "models/<str:author>/<str:slug>/endpoints",
        views.model_endpoints,
        name="api-model-endpoints",
    ),
    path(
        "models/<str:author>/<str:slug>/offers",
        views.model_offers,
        name="api-model-offers",
    ),
    path(
        "models/<str:author>/<str:slug>/prices.csv",
        views.model_prices_csv,
        name="api-model-prices-csv",
    ),
    path(
        "models/<str:author>/<str:slug>/tokens.csv",
        views.model_tokens_csv,
        name="api-model-tokens-csv",
    ),
    path("providers", views.provider_list, name="api-providers"),
    path("cost", costs.cost, name="api-cost"),
    path("benchmarks", benchmarks.benchmark_list, name="api-benchmarks"),
    path("endpoints/zdr", views.endpoints_zdr, name="api-endpoints-zdr"),
    path("embeddings/models", kinds.embeddings_models, name="api-embeddings-models"),
    path("images/models", kinds.image_models, name="api-images-models"),
    path(
        "images/models/<str:author>/<str:slug>/endpoints",
        kinds.image_model_endpoints,
        name="api-image-model-endpoints",
    ),
    path("videos/models", kinds.video_models, name="api-videos-models"),
    # Any other path under /api/v1, a newline in it too: a JSON 404.
    re_path(r"^(?P<rest>[\s\S]*)$", views.not_found),
]
