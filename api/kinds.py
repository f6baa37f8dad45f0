"""The other catalogues in upstream's shapes: /embeddings/models (Model objects,
as /models), /images/models with each model's endpoints, /videos/models. Each
item is the one polled, in upstream's order."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import HttpRequest, HttpResponse

from api.forms import DEFAULT_LIMIT, MAX_LIMIT, ApiParams, form_error_message
from api.http import ApiError, api_view, json_response
from api.shapes import (
    BoardModelList,
    ImageModelEndpoints,
    ImageModelList,
    Model,
    ModelboardModel,
    VideoModelList,
)
from catalog.models import KindModel, ModelKind
from catalog.reads.kinds import kind_model_get, kind_models_listed
from catalog.versions import data_version

# The keys of a Model object (api.shapes.Model): an embedding model's item is
# served with these, as upstream's Model, and nothing else.
MODEL_KEYS = (*Model.__required_keys__, *Model.__optional_keys__)
# Keys upstream may leave out that a Model object always carries (null when so).
NULLABLE = ("hugging_face_id", "knowledge_cutoff", "expiration_date")


class PageParams(ApiParams):
    """/embeddings/models pages as upstream does: both left out, the whole list
    (given empty, `?limit=`, is no number: a 400, not the whole list)."""

    NOT_EMPTY = ("offset", "limit")

    offset = forms.IntegerField(
        required=False,
        min_value=0,
        max_value=10**9,
        help_text="Number of records to skip for pagination. When both offset and "
        "limit are omitted, the full list is returned",
    )
    limit = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LIMIT,
        help_text=f"Maximum number of records to return (max {MAX_LIMIT}, default "
        f"{DEFAULT_LIMIT}). When both offset and limit are omitted, the full list "
        "is returned",
    )


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def embedding_data(model: KindModel, page_url: str) -> Model:
    """An embedding model as upstream's Model object, with our additions."""
    item = {key: model.payload[key] for key in MODEL_KEYS if key in model.payload}
    item.setdefault("description", "")
    for key in NULLABLE:
        item.setdefault(key, None)
    architecture = dict(item["architecture"])
    architecture.setdefault("instruct_type", None)
    if architecture.get("tokenizer") is None:
        # Left out rather than null, as /models does (the TypeScript SDK's rule).
        architecture.pop("tokenizer", None)
    item["architecture"] = architecture
    extra: ModelboardModel = {
        "edited": {},
        "first_seen_at": model.first_seen_at.isoformat(),
        "updated_at": model.updated_at.isoformat(),
        "delisted_at": _iso(model.delisted_at),
        "variable_price": False,
        "page_url": page_url,
        "price_history_url": None,
        "changes_url": None,
    }
    item["modelboard"] = extra
    return cast(Model, item)


def _page_url(request: HttpRequest, model: KindModel) -> str:
    return request.build_absolute_uri(model.get_absolute_url())


@api_view
def embeddings_models(request: HttpRequest) -> HttpResponse:
    form = PageParams(request.GET)
    if not form.is_valid():
        raise ApiError(400, form_error_message(form))
    offset, limit = form.cleaned_data["offset"], form.cleaned_data["limit"]
    models = kind_models_listed(ModelKind.EMBEDDINGS)
    total = models.count()
    next_url = None
    if offset is not None or limit is not None:
        offset, limit = offset or 0, limit or DEFAULT_LIMIT
        models = models[offset : offset + limit]
        if offset + limit < total:
            params = request.GET.copy()
            params["offset"], params["limit"] = str(offset + limit), str(limit)
            next_url = request.build_absolute_uri(
                f"{request.path}?{params.urlencode()}"
            )
    body: BoardModelList = {
        "data": [embedding_data(m, _page_url(request, m)) for m in models],
        "links": {"next": next_url},
        "total_count": total,
    }
    return json_response(request, body, modified=data_version().changed_at)


@api_view
def image_models(request: HttpRequest) -> HttpResponse:
    body: ImageModelList = {
        "data": [m.payload for m in kind_models_listed(ModelKind.IMAGES)]
    }
    return json_response(request, body, modified=data_version().changed_at)


@api_view
def image_model_endpoints(request: HttpRequest, author: str, slug: str) -> HttpResponse:
    model = kind_model_get(ModelKind.IMAGES, f"{author}/{slug}")
    if model is None or model.delisted_at is not None:
        raise ApiError(404, f"Image model {author}/{slug} not found.")
    body: ImageModelEndpoints = {"id": model.slug, "endpoints": model.endpoints or []}
    return json_response(request, body, modified=data_version().changed_at)


@api_view
def video_models(request: HttpRequest) -> HttpResponse:
    body: VideoModelList = {
        "data": [m.payload for m in kind_models_listed(ModelKind.VIDEOS)]
    }
    return json_response(request, body, modified=data_version().changed_at)
