from __future__ import annotations

from celery import Task
from django.contrib import admin, messages
from django.db import transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import path, reverse

from catalog.models import SyncKind, SyncRun
from ops import tasks

SYNC_BUTTONS: dict[SyncKind, tuple[str, Task]] = {
    SyncKind.PROVIDERS: ("Sync providers now", tasks.sync_providers),
    SyncKind.CATALOG: ("Sync catalogue now", tasks.sync_catalog),
    SyncKind.ENDPOINTS: ("Sync endpoints now", tasks.sync_endpoints),
}


@admin.register(SyncRun)
class SyncRunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "kind", "source", "status", "counts", "error")
    list_filter = ("status", "kind", "source")
    search_fields = ("error",)
    date_hierarchy = "started_at"
    readonly_fields = [f.name for f in SyncRun._meta.fields]
    change_list_template = "admin/ops/syncrun/change_list.html"

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "sync/<str:kind>/",
                self.admin_site.admin_view(self.sync_view),
                name="catalog_syncrun_sync",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        buttons = [(kind, label) for kind, (label, _) in SYNC_BUTTONS.items()]
        extra_context = {**(extra_context or {}), "sync_buttons": buttons}
        return super().changelist_view(request, extra_context)

    def sync_view(self, request: HttpRequest, kind: str):
        changelist = reverse("admin:catalog_syncrun_changelist")
        if request.method != "POST" or kind not in SYNC_BUTTONS:
            return HttpResponseRedirect(changelist)
        # Polling is editing: view-only staff may look, not sync.
        if not request.user.has_perm("catalog.change_languagemodel"):
            self.message_user(request, "Not allowed.", messages.ERROR)
            return HttpResponseRedirect(changelist)
        label, task = SYNC_BUTTONS[SyncKind(kind)]
        transaction.on_commit(task.delay)
        self.message_user(
            request,
            f"Queued: {label.lower()}. Its run appears here: {changelist}?kind={kind}",
        )
        return HttpResponseRedirect(f"{changelist}?kind={kind}")
