from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError

from catalog.models import EventKind, LanguageModel, Provider
from changes.conf import setting_bool
from changes.models import Watch

SLUG = r"^[A-Za-z0-9._~:\-]+$"


def public_host(host: str) -> bool:
    """True when every address `host` resolves to is a public one."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
    return bool(addresses) and all(a.is_global for a in addresses)


class ChangeListQuery(forms.Form):
    """The changelog's (and feeds') query string: bad input is a 400, not a 500."""

    kind = forms.MultipleChoiceField(required=False, choices=EventKind.choices)
    provider = forms.RegexField(required=False, regex=SLUG, max_length=100)
    author = forms.RegexField(required=False, regex=SLUG, max_length=100)
    since = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    page = forms.IntegerField(required=False, min_value=1, max_value=100_000)
    limit = forms.IntegerField(required=False, min_value=1, max_value=1000)


class WatchForm(forms.Form):
    """Create a watch on a model or a provider, with a webhook and/or an e-mail."""

    target = forms.CharField(
        max_length=200,
        help_text="A model id (openai/gpt-4o) or a provider slug (deepinfra).",
    )
    events = forms.MultipleChoiceField(
        required=False,
        choices=EventKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="None ticked means every kind.",
    )
    webhook_url = forms.URLField(required=False, max_length=500, assume_scheme="https")
    email = forms.EmailField(required=False)

    def clean_webhook_url(self) -> str:
        url = self.cleaned_data["webhook_url"]
        if url and not setting_bool("CHANGES_WEBHOOK_ALLOW_PRIVATE"):
            host = urlsplit(url).hostname or ""
            if not public_host(host):
                raise ValidationError(
                    f"{host} is not a public internet address; this board only "
                    "calls public webhooks."
                )
        return url

    def clean_target(self) -> LanguageModel | Provider:
        value = self.cleaned_data["target"].strip()
        if "/" in value:
            model = LanguageModel.objects.filter(slug=value).first()
            if model is None:
                raise ValidationError(f"No model {value} in the catalogue.")
            return model
        provider = Provider.objects.filter(slug=value).first()
        if provider is None:
            raise ValidationError(f"No provider {value} in the catalogue.")
        return provider

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("webhook_url") and not data.get("email"):
            raise ValidationError("Give a webhook URL, an e-mail address, or both.")
        return data

    def save(self) -> Watch:
        data = self.cleaned_data
        target = data["target"]
        return Watch.objects.create(
            model=target if isinstance(target, LanguageModel) else None,
            provider=target if isinstance(target, Provider) else None,
            events=list(data["events"]),
            webhook_url=data["webhook_url"],
            email=data["email"],
        )
