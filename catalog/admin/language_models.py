"""The admin of models and their endpoints: upstream-fed fields edited as
overrides (with a reason), editorial flags, and "sync now"."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from catalog.admin.actions import record_action
from catalog.admin.base import (
    EditHistoryAdmin,
    HandAddedAdmin,
    ListedFilter,
    OverrideInline,
    PlainPrices,
)
from catalog.admin.forms import EndpointForm, LanguageModelForm
from catalog.editorial.overrides import ENDPOINT_FIELDS, MODEL_FIELDS
from catalog.models import Endpoint, LanguageModel, Origin
from catalog.pricetiers import price_tiers_store
from catalog.runs import task_queue
from catalog.search.index import search_index_refresh
from catalog.versions import data_version_bump

SYNC_ENDPOINTS_TASK = "catalog.sync_endpoints"

# Written by polls and never edited by hand, even as an override.
SYSTEM_FIELDS = (
    "first_seen_at",
    "updated_at",
    "delisted_at",
    "raw_summary",
    "pricing_raw",
    "origin",
)
# The raw payload is shown cut to this many characters: a page stays small.
RAW_SHOWN = 2000
ENDPOINT_UPSTREAM_ONLY = (
    "model",
    "provider",
    "key",
    "name",
    "provider_name",
    "tag",
    "upstream_id",
    "supported_parameters",
    "supports_implicit_caching",
    "zdr",
    "is_variable_price",
    "first_seen_at",
    "updated_at",
    "delisted_at",
    "pricing_raw",
)
MODEL_UPSTREAM_ONLY = (
    "slug",
    "canonical_slug",
    "author",
    "variant",
    "created",
    "modality",
    "instruct_type",
    "default_parameters",
    "top_provider_context_length",
    "is_variable_price",
)


# An endpoint's columns, in its model's inline and in the endpoints' list.
ENDPOINT_COLUMNS = (
    "provider",
    "tag",
    "quantization",
    "context_length",
    "input_price",
    "output_price",
    "delisted_at",
)


class EndpointInline(PlainPrices, admin.TabularInline[Endpoint, LanguageModel]):
    model = Endpoint
    extra = 0
    can_delete = False
    fields = ENDPOINT_COLUMNS
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(
        self, request: HttpRequest, obj: LanguageModel | None = None
    ) -> bool:
        return False


@admin.register(LanguageModel)
class LanguageModelAdmin(PlainPrices, HandAddedAdmin[LanguageModel]):
    form = LanguageModelForm
    list_display = (
        "slug",
        "name",
        "context_length",
        "input_price",
        "output_price",
        "created",
        "featured",
        "hidden",
        "origin",
        "delisted_at",
    )
    list_filter = (
        ListedFilter,
        "origin",
        "featured",
        "hidden",
        "tags",
        "tokenizer",
        "author",
    )
    search_fields = ("slug", "canonical_slug", "name", "description")
    list_select_related = ("author",)
    filter_horizontal = ("tags",)
    inlines = [OverrideInline, EndpointInline]
    actions = ["sync_now", "hide", "unhide", "feature", "unfeature"]
    fieldsets = [
        (
            "Editorial (never touched by polls)",
            {"fields": ("hidden", "featured", "tags", "internal_notes")},
        ),
        (
            "Upstream values (a change here becomes an override, with a reason)",
            {"fields": (*MODEL_FIELDS, ("override_reason", "opened"))},
        ),
        (
            "Upstream only",
            {
                "classes": ("collapse",),
                "fields": (*MODEL_UPSTREAM_ONLY, *SYSTEM_FIELDS),
            },
        ),
    ]

    hand_readonly = SYSTEM_FIELDS
    upstream_readonly = (*MODEL_UPSTREAM_ONLY, *SYSTEM_FIELDS)

    @admin.display(description="raw payload")
    def raw_summary(self, obj: LanguageModel) -> str:
        """The upstream payload as received, cut short: a 1 MB payload would make
        a 1 MB page."""
        text = json.dumps(obj.raw, ensure_ascii=False, indent=1)
        if len(text) <= RAW_SHOWN:
            return text
        return f"{text[:RAW_SHOWN]}… ({len(text):,} characters in all)"

    def save_model(
        self,
        request: HttpRequest,
        obj: LanguageModel,
        form: forms.ModelForm[LanguageModel],
        change: bool,
    ) -> None:
        if not change:
            obj.variant = obj.slug.partition(":")[2]
        super().save_model(request, obj, form, change)
        # Searchable from now on, as edited (a hand-added model, a new name), and
        # priced with its tiers.
        search_index_refresh([obj])
        price_tiers_store([obj])
        data_version_bump()

    @admin.action(
        description="Sync now (poll providers and prices of these models)",
        permissions=["change"],
    )
    def sync_now(self, request: HttpRequest, queryset: QuerySet[LanguageModel]) -> None:
        models = list(queryset.filter(origin=Origin.UPSTREAM))
        slugs = [m.slug for m in models]
        for model in models:
            record_action(self, request, model, "Queued a sync (admin action).")
        # The endpoints job's task (ops/jobs.py), named: catalog imports no job code.
        problem = task_queue(SYNC_ENDPOINTS_TASK, slugs=slugs)
        if problem:
            self.message_user(request, problem, messages.ERROR)
            return
        runs = reverse("admin:catalog_syncrun_changelist") + "?kind=endpoints-some"
        self.message_user(
            request,
            f"Queued a sync of {len(slugs)} model(s); "
            f"see its run under Sync runs: {request.build_absolute_uri(runs)}",
        )

    @admin.action(description="Hide from the list and the API", permissions=["change"])
    def hide(self, request: HttpRequest, queryset: QuerySet[LanguageModel]) -> None:
        self._flag(request, queryset, "hidden", True, "Hid")

    @admin.action(description="Unhide", permissions=["change"])
    def unhide(self, request: HttpRequest, queryset: QuerySet[LanguageModel]) -> None:
        self._flag(request, queryset, "hidden", False, "Unhid")

    @admin.action(description="Feature (pin first in the list)", permissions=["change"])
    def feature(self, request: HttpRequest, queryset: QuerySet[LanguageModel]) -> None:
        self._flag(request, queryset, "featured", True, "Featured")

    @admin.action(description="Unfeature", permissions=["change"])
    def unfeature(
        self, request: HttpRequest, queryset: QuerySet[LanguageModel]
    ) -> None:
        self._flag(request, queryset, "featured", False, "Unfeatured")

    def _flag(
        self,
        request: HttpRequest,
        queryset: QuerySet[LanguageModel],
        field: str,
        value: bool,
        verb: str,
    ) -> None:
        """Set an editorial flag on the selected models, each change in History."""
        with transaction.atomic():
            models = list(queryset.exclude(**{field: value}))
            LanguageModel.objects.filter(pk__in=[m.pk for m in models]).update(
                **{field: value}
            )
            for model in models:
                record_action(
                    self,
                    request,
                    model,
                    f"{verb} (admin action).",
                    {field: [not value, value]},
                )
        self.message_user(request, f"{verb} {len(models)} model(s).")


@admin.register(Endpoint)
class EndpointAdmin(PlainPrices, EditHistoryAdmin[Endpoint]):
    form = EndpointForm
    list_display = ("model", *ENDPOINT_COLUMNS)
    list_filter = (ListedFilter, "provider", "quantization", "zdr")
    search_fields = ("model__slug", "provider__name", "tag", "name")
    list_select_related = ("model", "provider")
    inlines = [OverrideInline]
    fieldsets = [
        (
            "Upstream values (a change here becomes an override, with a reason)",
            {"fields": (*ENDPOINT_FIELDS, ("override_reason", "opened"))},
        ),
        (
            "Upstream only",
            {
                "classes": ("collapse",),
                "fields": ENDPOINT_UPSTREAM_ONLY,
            },
        ),
    ]
    readonly_fields = ENDPOINT_UPSTREAM_ONLY

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
