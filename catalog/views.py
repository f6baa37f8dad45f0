from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from catalog import selectors
from catalog.forms import ModelListQuery

PAGE_SIZE = 50


def model_list(request: HttpRequest) -> HttpResponse:
    form = ModelListQuery(request.GET)
    if not form.is_valid():
        context = {"form": form, "errors": form.errors}
        return render(request, "catalog/model_list.html", context, status=400)
    query = form.cleaned_data
    models = selectors.model_list(q=query["q"], include_delisted=query["delisted"])
    paginator = Paginator(models, PAGE_SIZE)
    page_number = query["page"] or 1
    # Past the last page: an empty page that says so, not a 404 or a 500.
    page = paginator.page(page_number) if page_number <= paginator.num_pages else None
    context = {
        "form": form,
        "page": page,
        "paginator": paginator,
        "query": query,
        "counts": selectors.catalog_counts(),
        "last_sync": selectors.last_success("catalog"),
    }
    return render(request, "catalog/model_list.html", context)


def model_detail(request: HttpRequest, author: str, slug: str) -> HttpResponse:
    model = selectors.model_get(f"{author}/{slug}")
    if model is None:
        raise Http404(f"No model {author}/{slug} in the catalogue.")
    context = {
        "model": model,
        "endpoints": model.listed,
        "variants": selectors.model_variants(model),
        "last_sync": selectors.last_success("endpoints"),
    }
    return render(request, "catalog/model_detail.html", context)
