from __future__ import annotations

from typing import Any

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, path, reverse
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from catalog.models import SyncKind, SyncRun
from catalog.runs import task_queue
from catalog.sources.redact import redact_text, redact_url
from ops.jobs import BY_KIND

SYNC_BUTTONS: dict[SyncKind, str] = {
    SyncKind.PROVIDERS: "Sync providers now",
    SyncKind.CATALOG: "Sync catalogue now",
    SyncKind.ENDPOINTS: "Sync endpoints now",
    SyncKind.LITELLM: "Sync direct prices now",
    SyncKind.CATEGORIES: "Sync categories now",
    SyncKind.ZDR: "Sync ZDR endpoints now",
    SyncKind.BENCHMARKS: "Sync benchmark scores now",
}
# Shown through redacting methods: runs recorded before redaction may hold secrets.
SECRET_BEARING = ("error", "upstream_url")


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin[SyncRun]):
    list_display = ("started_at", "kind", "source", "status", "counts", "reason")
    list_filter = ("status", "kind", "source")
    search_fields = ("error",)
    date_hierarchy = "started_at"
    readonly_fields = [
        *(f.name for f in SyncRun._meta.fields if f.name not in SECRET_BEARING),
        "reason",
        "upstream",
    ]
    exclude = SECRET_BEARING
    change_list_template = "admin/ops/syncrun/change_list.html"

    @admin.display(description="error")
    def reason(self, run: SyncRun) -> str:
        return redact_text(run.error)

    @admin.display(description="upstream URL")
    def upstream(self, run: SyncRun) -> str:
        return redact_url(run.upstream_url)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "sync/<str:kind>/",
                self.admin_site.admin_view(self.sync_view),
                name="catalog_syncrun_sync",
            ),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        buttons = list(SYNC_BUTTONS.items())
        extra_context = {**(extra_context or {}), "sync_buttons": buttons}
        return super().changelist_view(request, extra_context)

    def sync_view(self, request: HttpRequest, kind: str) -> HttpResponseRedirect:
        changelist = reverse("admin:catalog_syncrun_changelist")
        if request.method != "POST" or kind not in SYNC_BUTTONS:
            return HttpResponseRedirect(changelist)
        # Polling is editing: view-only staff may look, not sync.
        if not request.user.has_perm("catalog.change_languagemodel"):
            self.message_user(request, "Not allowed.", messages.ERROR)
            return HttpResponseRedirect(changelist)
        label = SYNC_BUTTONS[SyncKind(kind)]
        problem = task_queue(BY_KIND[SyncKind(kind)].task)
        if problem:
            self.message_user(request, problem, messages.ERROR)
            return HttpResponseRedirect(changelist)
        self.message_user(
            request,
            f"Queued: {label.lower()}. Its run appears here: {changelist}?kind={kind}",
        )
        return HttpResponseRedirect(f"{changelist}?kind={kind}")


# Packages' admin actions that declare no permission are offered by Django to
# whoever may view the table. Here they need the permission of what they do:
# django-celery-beat's enable, disable, toggle and run now change the schedules
# (disabling them stops every poll); axes' clean-up deletes access attempts.
# Neither package ships type hints: their admins are subclassed as they are.
class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):  # type: ignore[misc]
    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        if not self.has_change_permission(request):
            return {}
        actions: dict[str, Any] = super().get_actions(request)
        return actions


class AccessAttemptAdmin(AxesAccessAttemptAdmin):  # type: ignore[misc]
    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        if not self.has_delete_permission(request):
            return {}
        actions: dict[str, Any] = super().get_actions(request)
        return actions


for model, model_admin in (
    (PeriodicTask, PeriodicTaskAdmin),
    (AccessAttempt, AccessAttemptAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
