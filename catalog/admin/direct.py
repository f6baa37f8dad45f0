"""The admin of direct offers: every entry of the direct sources, how it was
matched (or why not), the matching report by provider, and editors' aliases."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from catalog.admin.base import EditHistoryAdmin, ListedFilter, VersionedAdmin
from catalog.admin.forms import DirectOfferForm
from catalog.editorial.overrides import DIRECT_FIELDS
from catalog.ingest import direct_rematch, successors_resolve
from catalog.models import DirectAlias, DirectOffer
from catalog.reads.direct import direct_match_report

DIRECT_READONLY = (
    "source",
    "provider",
    "key",
    "model",
    "match",
    "match_rule",
    "maker",
    "mode",
    "pricing_raw",
    "modes",
    "source_url",
    "first_seen_at",
    "updated_at",
    "delisted_at",
)


class MatchedFilter(admin.SimpleListFilter):
    title = "matched"
    parameter_name = "matched"

    def lookups(
        self, request: HttpRequest, model_admin: admin.ModelAdmin[Any]
    ) -> list[tuple[str, str]]:
        return [("yes", "Matched to a model"), ("no", "Unmatched")]

    def queryset(
        self, request: HttpRequest, queryset: QuerySet[DirectOffer]
    ) -> QuerySet[DirectOffer]:
        if self.value() == "yes":
            return queryset.exclude(model=None)
        if self.value() == "no":
            return queryset.filter(model=None)
        return queryset


@admin.register(DirectOffer)
class DirectOfferAdmin(EditHistoryAdmin[DirectOffer]):
    """A source's entries come and go with its syncs; an editor's change of a
    price or retirement becomes an override (with a reason), as for endpoints,
    and an alias (below) changes a match."""

    form = DirectOfferForm
    fieldsets = [
        (
            "Source values (a change here becomes an override, with a reason)",
            {"fields": (*DIRECT_FIELDS, ("override_reason", "opened"))},
        ),
        ("Source only", {"fields": DIRECT_READONLY}),
    ]
    readonly_fields = DIRECT_READONLY

    list_display = (
        "key",
        "provider",
        "model",
        "match",
        "match_rule",
        "maker",
        "price_prompt",
        "price_completion",
        "deprecation_date",
        "delisted_at",
    )
    list_filter = (MatchedFilter, "match", "maker", ListedFilter, "source", "provider")
    search_fields = ("key", "provider", "model__slug")
    list_select_related = ("model",)
    change_list_template = "admin/catalog/directoffer/change_list.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self,
        request: HttpRequest,
        obj: DirectOffer,
        form: forms.ModelForm[DirectOffer],
        change: bool,
    ) -> None:
        super().save_model(request, obj, form, change)
        # An edited successor names another model: the pages link the new one.
        if "successor_model" in form.changed_data:
            successors_resolve(obj.source)

    def has_delete_permission(
        self, request: HttpRequest, obj: DirectOffer | None = None
    ) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        report = direct_match_report()
        extra_context = {
            **(extra_context or {}),
            "match_report": report,
            "matched_total": sum(row.matched for row in report),
            "unmatched_total": sum(row.unmatched for row in report),
        }
        return super().changelist_view(request, extra_context)


@admin.register(DirectAlias)
class DirectAliasAdmin(VersionedAdmin[DirectAlias]):
    """An editor's alias applies at once: the stored offers are matched again."""

    list_display = ("key", "model", "source", "reason", "created_at")
    search_fields = ("key", "model__slug")
    autocomplete_fields = ("model",)
    readonly_fields = ("created_at",)

    def save_model(
        self, request: HttpRequest, obj: DirectAlias, form: Any, change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        changed = direct_rematch(obj.source)
        self.message_user(
            request, f"Offers matched again: {changed} changed.", messages.INFO
        )
