from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from catalog.runs import task_queue
from changes.models import Delivery, DispatchCursor, Watch
from changes.watches import webhook_url_problem

CONFIRMATION_TASK = "changes.send_email_confirmation"


class WatchAdminForm(forms.ModelForm[Watch]):
    """A superuser's edit runs the same webhook check as the public form."""

    webhook_url = forms.URLField(required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Watch
        fields = ["model", "provider", "events", "webhook_url", "email", "active"]

    def clean_webhook_url(self) -> str:
        url: str = self.cleaned_data["webhook_url"]
        if url and (problem := webhook_url_problem(url)):
            raise ValidationError(problem)
        return url


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin[Watch]):
    form = WatchAdminForm
    list_display = [
        "pk",
        "model",
        "provider",
        "source",
        "webhook_url",
        "email",
        "email_confirmed_at",
        "active",
        "created_at",
    ]
    list_filter = ["active"]
    raw_id_fields = ["model", "provider"]
    readonly_fields = ["secret", "manage_token", "created_at", "email_confirmed_at"]
    actions = ["send_confirmation"]

    def save_model(
        self,
        request: HttpRequest,
        obj: Watch,
        form: forms.ModelForm[Watch],
        change: bool,
    ) -> None:
        # A new address must confirm again: nothing is sent to it until then.
        readdressed = "email" in form.changed_data
        if readdressed:
            obj.email_confirmed_at = None
        super().save_model(request, obj, form, change)
        if readdressed and obj.email:
            self._queue_confirmations(request, [obj])

    @admin.action(
        description="Send the e-mail confirmation link (unconfirmed only)",
        permissions=["change"],
    )
    def send_confirmation(
        self, request: HttpRequest, queryset: QuerySet[Watch]
    ) -> None:
        watches = list(queryset.exclude(email="").filter(email_confirmed_at=None))
        self._queue_confirmations(request, watches)

    def _queue_confirmations(self, request: HttpRequest, watches: list[Watch]) -> None:
        for watch in watches:
            if problem := task_queue(CONFIRMATION_TASK, watch_id=watch.pk):
                self.message_user(request, problem, messages.ERROR)
                return
        self.message_user(request, f"Queued {len(watches)} confirmation e-mail(s).")


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    # Response codes and error texts are for staff only (not on /watch/<token>).
    list_display = [
        "pk",
        "watch",
        "event",
        "channel",
        "attempt",
        "status",
        "response_code",
        "error",
        "delivered_at",
    ]
    list_filter = ["status", "channel"]
    raw_id_fields = ["watch", "event"]


@admin.register(DispatchCursor)
class DispatchCursorAdmin(admin.ModelAdmin[DispatchCursor]):
    list_display = ["name", "last_event_id", "updated_at"]
