from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from changes import selectors
from changes.models import Watch
from changes.summaries import event_summary, price_moves
from front.forms import ChangeListQuery, WatchForm

PAGE_SIZE = 100


def change_list(request: HttpRequest) -> HttpResponse:
    form = ChangeListQuery(request.GET)
    if not form.is_valid():
        context = {"form": form, "errors": form.errors}
        return render(request, "front/change_list.html", context, status=400)
    query = form.cleaned_data
    events = selectors.change_list(
        kinds=query["kind"],
        provider=query["provider"],
        author=query["author"],
        since=query["since"],
    )
    paginator = Paginator(events, PAGE_SIZE)
    number = query["page"] or 1
    page = paginator.page(number) if number <= paginator.num_pages else None
    rows = (
        [(e, price_moves(e), event_summary(e)) for e in page.object_list]
        if page
        else []
    )
    params = request.GET.copy()
    params.pop("page", None)
    page_context: dict[str, Any] = {
        "form": form,
        "query": query,
        "page": page,
        "rows": rows,
        "paginator": paginator,
        "filter_query": params.urlencode(),
    }
    return render(request, "front/change_list.html", page_context)


@require_http_methods(["GET", "POST"])
def watch_create(request: HttpRequest) -> HttpResponse:
    form = WatchForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        watch = form.save()
        # The secret is shown this once; the manage page never shows it again.
        manage_url = request.build_absolute_uri(watch.get_absolute_url())
        context = {"watch": watch, "manage_url": manage_url}
        return render(request, "front/watch_created.html", context, status=201)
    status = 400 if request.method == "POST" else 200
    return render(request, "front/watch_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def watch_manage(request: HttpRequest, token: str) -> HttpResponse:
    watch = get_object_or_404(Watch, manage_token=token)
    if request.method == "POST":
        if request.POST.get("action") != "delete":
            raise Http404("Unknown action.")
        watch.delete()
        return redirect("watch-create")
    deliveries = watch.deliveries.select_related("event")[:50]
    context = {"watch": watch, "deliveries": deliveries}
    return render(request, "front/watch_manage.html", context)
