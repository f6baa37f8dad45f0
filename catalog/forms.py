from __future__ import annotations

from django import forms


class ModelListQuery(forms.Form):
    """The list page's query string: validated, so bad input is a 400, not a 500."""

    q = forms.CharField(required=False, max_length=200, strip=True)
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    delisted = forms.BooleanField(required=False)
