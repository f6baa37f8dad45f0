"""The admin of refused shrinks: an editor accepts one with a reason (audited), and
the next sync of its kind applies exactly that (catalog/runs/shrink.py)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from catalog.admin.actions import record_action
from catalog.admin.base import editor
from catalog.models import ShrinkRefusal, SyncKind
from catalog.runs import shrink_accept, task_queue


class ShrinkAcceptForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why this loss is real (e.g. upstream retired these models).",
    )


# The sync each accepted shrink is applied by (task names: catalog imports no job code).
SHRINK_SYNC_TASKS = {
    SyncKind.CATALOG: "catalog.sync_catalog",
    SyncKind.PROVIDERS: "catalog.sync_providers",
    SyncKind.ENDPOINTS: "catalog.sync_endpoints",
}


@admin.register(ShrinkRefusal)
class ShrinkRefusalAdmin(admin.ModelAdmin[ShrinkRefusal]):
    """Refused shrinks: an editor accepts one, with a reason, and the next sync of
    its kind applies exactly that."""

    list_display = (
        "created_at",
        "kind",
        "what",
        "missing_count",
        "active",
        "accepted_by",
        "accepted_at",
        "applied_run",
    )
    list_filter = ("kind", ("accepted_at", admin.EmptyFieldListFilter))
    readonly_fields = (
        "kind",
        "run",
        "what",
        "active",
        "missing_count",
        "missing_summary",
        "created_at",
        "accepted_by",
        "accepted_at",
        "reason",
        "applied_run",
        "accept_link",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ShrinkRefusal | None = None
    ) -> bool:
        return False

    @admin.display(description="would delist")
    def missing_count(self, obj: ShrinkRefusal) -> int:
        return len(obj.missing)

    @admin.display(description="entries")
    def missing_summary(self, obj: ShrinkRefusal) -> str:
        shown = ", ".join(obj.missing[:50])
        return shown + (
            f" … and {len(obj.missing) - 50} more" if len(obj.missing) > 50 else ""
        )

    @admin.display(description="accept")
    def accept_link(self, obj: ShrinkRefusal) -> str:
        if obj.accepted_at is not None:
            return "accepted"
        url = reverse("admin:catalog_shrinkrefusal_accept", args=[obj.pk])
        return format_html('<a class="button" href="{}">Accept this shrink…</a>', url)

    def get_urls(self) -> list[URLPattern]:
        return [
            path(
                "<int:pk>/accept/",
                self.admin_site.admin_view(self.accept_view),
                name="catalog_shrinkrefusal_accept",
            ),
            *super().get_urls(),
        ]

    def accept_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        refusal = get_object_or_404(ShrinkRefusal, pk=pk)
        if not self.has_change_permission(request, refusal):
            raise PermissionDenied
        change = reverse("admin:catalog_shrinkrefusal_change", args=[pk])
        if refusal.accepted_at is not None:
            self.message_user(request, "Already accepted.", messages.WARNING)
            return HttpResponseRedirect(change)
        form = ShrinkAcceptForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            self._accept(request, refusal, form.cleaned_data["reason"])
            return HttpResponseRedirect(change)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Accept the refused {refusal.what} shrink",
            "refusal": refusal,
            "form": form,
            "shown": refusal.missing[:200],
            "more": max(len(refusal.missing) - 200, 0),
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/catalog/shrinkrefusal/accept.html", context
        )

    def _accept(
        self, request: HttpRequest, refusal: ShrinkRefusal, reason: str
    ) -> None:
        with transaction.atomic():
            shrink_accept(refusal, user=editor(request), reason=reason)
            record_action(
                self,
                request,
                refusal,
                f"Accepted the shrink of {len(refusal.missing)} entries: {reason}",
                {"accepted": [None, reason]},
            )
        kind = refusal.get_kind_display().lower()
        self.message_user(
            request,
            f"Accepted: the next {kind} sync delists "
            f"these {len(refusal.missing)} entries.",
        )
        task = SHRINK_SYNC_TASKS.get(SyncKind(refusal.kind))
        # The sync that applies it, queued now (the acceptance is committed) rather
        # than at its next beat. With the broker down the acceptance stands, and
        # the beat queues that sync once the broker is back.
        if task and (problem := task_queue(task)):
            self.message_user(
                request,
                f"{problem} The acceptance is recorded: the next scheduled {kind} "
                "sync applies it.",
                messages.WARNING,
            )
