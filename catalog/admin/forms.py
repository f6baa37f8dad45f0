"""The admin's forms for models and endpoints: a change of an upstream-fed field
becomes an override (with a reason), and saves are optimistic.

The form carries what it showed when it was opened (`opened`). On save, a field
counts as changed only when the editor changed it from that; untouched fields take
the current stored value, so a sync between opening and saving is never turned into
overrides. A field the editor changed that upstream also changed since the form was
opened is not saved silently: the form says so, names the fields, and shows the
current values for a second look.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.http import QueryDict

from catalog.editorial.overrides import DIRECT_FIELDS, ENDPOINT_FIELDS, MODEL_FIELDS
from catalog.models import DirectOffer, Endpoint, LanguageModel, Origin
from catalog.pricing import prices, tiers

_Overridable = TypeVar("_Overridable", bound=LanguageModel | Endpoint | DirectOffer)


def comparable(value: Any) -> Any:
    """A form or model value in one JSON shape, so equal values compare equal
    (decimals as plain strings, rows as ids, CRLF as LF)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, models.QuerySet | list | tuple) and not isinstance(value, str):
        items = [comparable(v) for v in value]
        return sorted(items, key=str) if isinstance(value, models.QuerySet) else items
    if isinstance(value, Decimal):
        return prices.plain(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    return value


def fingerprint(value: Any) -> Any:
    """comparable(value), or a digest of it when long: the form carries what it
    showed without doubling a long description's weight."""
    value = comparable(value)
    text = json.dumps(value, sort_keys=True, default=str)
    if len(text) <= 300:
        return value
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()


class OverrideFormMixin(forms.ModelForm[_Overridable]):
    """Upstream-fed fields are editable here; a change becomes an override."""

    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why you changed upstream values (required when you change one).",
    )
    # The form's values when it was opened (JSON), for the optimistic check.
    opened = forms.CharField(required=False, widget=forms.HiddenInput)
    overridable: tuple[str, ...] = ()
    TRACKING = ("override_reason", "opened")

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # Prices as people write them: "0" and "0.15", not "0E-12".
            if isinstance(field, forms.DecimalField) and isinstance(
                self.initial.get(name), Decimal
            ):
                self.initial[name] = prices.plain(self.initial[name])
        self.fields["opened"].initial = json.dumps(self._now_values())
        self.stale: list[str] = []
        # The editor's changes, fixed once cleaning starts (cleaning then puts
        # today's values into untouched fields).
        self._edited: list[str] | None = None

    def _tracked(self) -> list[str]:
        return [n for n in self.fields if n not in self.TRACKING]

    def _now_values(self) -> dict[str, Any]:
        """The stored values as this form shows them (at opening, or at saving)."""
        return {n: fingerprint(self.initial.get(n)) for n in self._tracked()}

    def _opened_values(self) -> dict[str, Any]:
        try:
            opened = json.loads(self.data.get(self.add_prefix("opened")) or "{}")
        except ValueError:
            opened = {}
        return opened if isinstance(opened, dict) else {}

    @property
    def changed_data(self) -> list[str]:
        # What the editor changed: against the form as opened, values normalised,
        # so a CRLF, "0E-12" or a sync since opening is never an edit (nor a
        # "Changed …" history entry).
        if self._edited is not None:
            return self._edited
        if not self.is_bound or not hasattr(self, "cleaned_data"):
            return super().changed_data
        opened = self._opened_values() or self._now_values()
        return [
            name
            for name in self._tracked()
            if name in self.cleaned_data
            and fingerprint(self.cleaned_data[name])
            != opened.get(name, fingerprint(self.initial.get(name)))
        ]

    def changed_overrides(self) -> list[str]:
        if self.instance._state.adding:
            return []
        return [n for n in self.changed_data if n in self.overridable]

    def clean_pricing_overrides(self) -> Any:
        """Tiers as upstream writes them (pricing.overrides): an editor's
        correction is checked as upstream's are, and refused when malformed."""
        value = self.cleaned_data.get("pricing_overrides")
        problems = tiers.parse(value).problems
        if problems:
            raise forms.ValidationError(list(problems))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n")
        if any("\x00" in v for v in cleaned.values() if isinstance(v, str)):
            raise forms.ValidationError("Values cannot hold NUL characters.")
        self._keep_untouched(cleaned)
        if self.changed_overrides() and not cleaned.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                "Say why: this changes a value that comes from upstream.",
            )
        return cleaned

    def _keep_untouched(self, cleaned: dict[str, Any]) -> None:
        """Untouched fields take the stored value; a field both the editor and
        upstream changed since opening is a conflict the editor must look at."""
        opened, now = self._opened_values(), self._now_values()
        self._edited = self.changed_data
        if not opened or self.instance._state.adding:
            return
        changed = set(self._edited)
        self.stale = [n for n in now if n in opened and opened[n] != now[n]]
        for name in self.stale:
            if name not in changed and name in cleaned:
                value = self.initial.get(name)
                if isinstance(self.fields[name], forms.DecimalField) and value:
                    value = Decimal(value)
                cleaned[name] = value
        clashes = [n for n in self.stale if n in changed]
        if clashes:
            # Re-open the form on today's values: saving again is a choice.
            data = QueryDict(mutable=True)
            for key, values in getattr(self.data, "lists", lambda: [])():
                data.setlist(key, values)
            data[self.add_prefix("opened")] = json.dumps(now)
            self.data = data
            shown = ", ".join(f"{n} (now {_shown(now[n])})" for n in clashes)
            raise forms.ValidationError(
                f"Changed since you opened this form: {shown}. Your values are "
                "still in the form: check them and save again to keep them."
            )


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "empty"
    if isinstance(value, str) and value.startswith("sha256:"):
        return "a new long text"
    return str(value)[:100]


class LanguageModelForm(OverrideFormMixin[LanguageModel]):
    overridable = MODEL_FIELDS

    class Meta:
        model = LanguageModel
        # The admin's fieldsets choose what is shown; all columns are allowed here.
        exclude: tuple[str, ...] = ()

    def changed_overrides(self) -> list[str]:
        # A hand-added model has no upstream value to override.
        if self.instance.origin == Origin.HAND:
            return []
        return super().changed_overrides()


class EndpointForm(OverrideFormMixin[Endpoint]):
    overridable = ENDPOINT_FIELDS

    class Meta:
        model = Endpoint
        exclude: tuple[str, ...] = ()


class DirectOfferForm(OverrideFormMixin[DirectOffer]):
    overridable = DIRECT_FIELDS

    class Meta:
        model = DirectOffer
        fields = DIRECT_FIELDS
