"""The other catalogues' pages: the list of a kind (the list page with
`?kind=embeddings|images|videos`) and a model of a kind, with its unit prices."""

from __future__ import annotations

import re
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.models import KindModel, ModelKind, SyncKind
from catalog.reads.kinds import kind_model_get, kind_models_listed, unit_price_text
from catalog.runs import run_last_succeeded
from front.views import public

PAGE_SIZE = 50
MAX_QUERY = 200
# NUL and other control characters (no database matches text with them).
UNUSABLE = re.compile("[\x00-\x1f\x7f]")
# The list page's kinds: chat (the catalogue of LanguageModel) first, the default.
KINDS = (("chat", "Chat"), *ModelKind.choices)


def kinds_nav(current: str) -> list[dict[str, Any]]:
    """The list page's kind filter: each kind, its link, whether it is shown."""
    return [
        {"value": value, "label": label, "current": value == current}
        for value, label in KINDS
    ]


def _prices(model: KindModel) -> list[dict[str, str]]:
    return [
        {"text": unit_price_text(line), "provider": line.get("provider", "")}
        for line in model.unit_prices
    ]


def kind_list(request: HttpRequest, kind: str) -> HttpResponse:
    """A kind's listed models in upstream's order, searched with `q`."""
    q = " ".join(request.GET.get("q", "").split())[:MAX_QUERY]
    if UNUSABLE.search(q):
        return _bad(request, kind, "q: holds control characters")
    page_number = request.GET.get("page", "1")
    if not page_number.isdigit() or int(page_number) < 1:
        return _bad(request, kind, "page: must be a whole number from 1")
    paginator = Paginator(kind_models_listed(kind, q), PAGE_SIZE)
    number = int(page_number)
    page = paginator.page(number) if number <= paginator.num_pages else None
    rows = [
        {"model": m, "prices": _prices(m)} for m in (page.object_list if page else [])
    ]
    context = {
        "kind": kind,
        "kind_label": ModelKind(kind).label,
        "kinds": kinds_nav(kind),
        "q": q,
        "rows": rows,
        "page": page,
        "paginator": paginator,
        "last_sync": run_last_succeeded(SyncKind(kind)),
    }
    return render(request, "front/kind_list.html", context)


def kind_unknown(request: HttpRequest, kind: str) -> HttpResponse:
    """The list page asked for a kind there is none of: a 400 that lists them."""
    names = ", ".join(value for value, _ in KINDS)
    return _bad(request, "chat", f"kind: {kind[:40]!r} is not one of {names}")


def _bad(request: HttpRequest, kind: str, message: str) -> HttpResponse:
    context = {"kinds": kinds_nav(kind), "kind": kind, "error": message}
    return render(request, "front/kind_list.html", context, status=400)


@public
def kind_model_detail(
    request: HttpRequest, kind: str, author: str, slug: str
) -> HttpResponse:
    """One model of a kind: its facts and its prices per unit."""
    model = kind_model_get(kind, f"{author}/{slug}")
    if model is None:
        raise Http404(f"No {kind} model {author}/{slug}")
    context = {
        "model": model,
        "kind_label": ModelKind(kind).label,
        "prices": _prices(model),
        "facts": _facts(model),
        "endpoints": model.endpoints or [],
    }
    return render(request, "front/kind_detail.html", context)


# Facts shown on a model's page, by the payload's key, in order.
FACTS = (
    ("context_length", "Context"),
    ("hugging_face_id", "Hugging Face"),
    ("supported_resolutions", "Resolutions"),
    ("supported_aspect_ratios", "Aspect ratios"),
    ("supported_durations", "Durations (s)"),
    ("supported_frame_images", "Frame images"),
    ("generate_audio", "Generates audio"),
    ("seed", "Seed"),
    ("supports_streaming", "Streaming"),
)


def _facts(model: KindModel) -> list[tuple[str, str]]:
    payload, facts = model.payload, []
    architecture = payload.get("architecture") or {}
    if architecture:
        inputs = ", ".join(map(str, architecture.get("input_modalities") or []))
        outputs = ", ".join(map(str, architecture.get("output_modalities") or []))
        facts.append(("Modalities", f"{inputs} → {outputs}"))
    for key, label in FACTS:
        value = payload.get(key)
        if value in (None, "", []):
            continue
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        facts.append((label, str(value)[:300]))
    parameters = payload.get("supported_parameters")
    if isinstance(parameters, dict) and parameters:
        facts.append(("Parameters", ", ".join(sorted(map(str, parameters)))))
    return facts
