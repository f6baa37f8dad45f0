from __future__ import annotations

from typing import Any

from django import forms

from catalog.models import Endpoint, LanguageModel
from catalog.overrides import ENDPOINT_FIELDS, MODEL_FIELDS, to_json


class OverrideFormMixin(forms.ModelForm):
    """Upstream-fed fields are editable here; a change becomes an override."""

    override_reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Why you changed upstream values (required when you change one).",
    )
    overridable: tuple[str, ...] = ()

    def changed_overrides(self) -> list[str]:
        if self.instance._state.adding or self.instance.origin == "hand":
            return []
        return self._really_changed()

    def _really_changed(self) -> list[str]:
        # Browsers send textarea lines as CRLF: that alone is not an edit.
        return [
            name
            for name in self.changed_data
            if name in self.overridable
            and to_json(self.cleaned_data.get(name)) != to_json(self.initial.get(name))
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in cleaned.items():
            if isinstance(value, str):
                cleaned[name] = value.replace("\r\n", "\n")
        if self.changed_overrides() and not cleaned.get("override_reason", "").strip():
            self.add_error(
                "override_reason",
                "Say why: this changes a value that comes from upstream.",
            )
        return cleaned


class LanguageModelForm(OverrideFormMixin):
    overridable = MODEL_FIELDS

    class Meta:
        model = LanguageModel
        # The admin's fieldsets choose what is shown; all columns are allowed here.
        exclude: tuple[str, ...] = ()


class EndpointForm(OverrideFormMixin):
    overridable = ENDPOINT_FIELDS

    class Meta:
        model = Endpoint
        exclude: tuple[str, ...] = ()

    def changed_overrides(self) -> list[str]:
        return [] if self.instance._state.adding else self._really_changed()
