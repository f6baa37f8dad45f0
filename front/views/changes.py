from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.views.decorators.http import require_http_methods

from changes import selectors
from changes.models import Watch
from changes.summaries import event_summary, price_moves
from changes.watches import email_confirm, email_confirmation_send
from front.forms import ChangeListQuery, WatchForm
from front.ratelimit import Uncounted, over_limit
from front.views import public

PAGE_SIZE = 100


@public
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
        source=query["source"],
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
    if request.method == "POST" and (refused := _creation_refused(request)):
        return refused
    form = WatchForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        watch = form.save()
        # The secret is shown this once; the manage page never shows it again.
        manage_url = request.build_absolute_uri(watch.get_absolute_url())
        context = {
            "watch": watch,
            "manage_url": manage_url,
            "confirmation_problem": _send_confirmation(watch),
        }
        return render(request, "front/watch_created.html", context, status=201)
    status = 400 if request.method == "POST" else 200
    return render(request, "front/watch_form.html", {"form": form}, status=status)


def _creation_refused(request: HttpRequest) -> HttpResponse | None:
    """A 429 past the creation limit, a 503 while it cannot be counted, or None."""
    try:
        wait = over_limit(
            request,
            "watch-create",
            limit=settings.WATCH_CREATE_LIMIT,
            window=settings.WATCH_CREATE_WINDOW_SECONDS,
        )
    except Uncounted as uncounted:
        return _uncounted(request, uncounted.retry_after)
    return _too_many(request, wait) if wait else None


def _uncounted(request: HttpRequest, wait: int) -> HttpResponse:
    message = (
        "New watches are paused: the board cannot count requests right now (its "
        f"cache is unreachable). Try again in {_duration(wait)}."
    )
    context = {"form": WatchForm(initial=request.POST.dict()), "limited": message}
    response = render(request, "front/watch_form.html", context, status=503)
    response["Retry-After"] = str(wait)
    return response


def _too_many(request: HttpRequest, wait: int) -> HttpResponse:
    limit, window = settings.WATCH_CREATE_LIMIT, settings.WATCH_CREATE_WINDOW_SECONDS
    message = (
        f"Too many watches from your address: at most {limit} every "
        f"{_duration(window)}. Try again in {_duration(wait)}."
    )
    context = {"form": WatchForm(initial=request.POST.dict()), "limited": message}
    response = render(request, "front/watch_form.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


def _duration(seconds: int) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return "hour" if hours == 1 else f"{hours} hours"
    minutes = max(round(seconds / 60), 1)
    return f"{minutes} minute{pluralize(minutes)}"


def _send_confirmation(watch: Watch) -> str | None:
    """Send a watch's e-mail confirmation now, so the page can say truthfully
    whether it went out; why it did not, or None."""
    if not watch.email or watch.email_confirmed_at is not None:
        return None
    return email_confirmation_send(watch)


@require_http_methods(["GET", "POST"])
def watch_manage(request: HttpRequest, token: str) -> HttpResponse:
    watch = get_object_or_404(Watch, manage_token=token)
    context: dict[str, Any] = {"watch": watch}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "delete":
            watch.delete()
            return redirect("watch-create")
        if action != "resend-confirmation":
            raise Http404("Unknown action.")
        if refused := _creation_refused(request):
            return refused
        context["confirmation_problem"] = _send_confirmation(watch)
        context["confirmation_sent"] = context["confirmation_problem"] is None
    # Statuses only: response codes and error texts are for staff, in the admin
    # (shown here they would make this page a port scanner).
    context["deliveries"] = watch.deliveries.select_related("event")[:50]
    return render(request, "front/watch_manage.html", context)


@require_http_methods(["GET", "POST"])
def watch_email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link e-mailed to a watch's address: a button (mail scanners that open
    links must not confirm), which turns its e-mails on."""
    if request.method == "GET":
        return render(request, "front/watch_confirm.html", {"token": token})
    watch = email_confirm(token)
    if watch is None:
        context = {"invalid": True, "days": settings.CHANGES_CONFIRM_MAX_AGE_DAYS}
        return render(request, "front/watch_confirm.html", context, status=400)
    return render(request, "front/watch_confirm.html", {"watch": watch})
