"""The admin keeps an editor's intent: a form opened before a sync edits only what
the editor changed, a clash with upstream is named, a save without a change is no
history entry; actions need their permission and are in History; pages stay plain
and small."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission, User
from django.forms import CheckboxInput
from django.urls import reverse

from catalog.editorial.permissions import editor_group_ensure
from catalog.ingest import model_upsert_many
from catalog.models import AdminEdit, FieldOverride, LanguageModel
from catalog.sources.base import parse_items
from catalog.sources.openrouter import ModelRecord

pytestmark = [pytest.mark.django_db, pytest.mark.backend]

T0 = datetime(2026, 7, 1, tzinfo=UTC)
T1 = datetime(2026, 7, 2, tzinfo=UTC)


def upstream(name: str = "Acme One", prompt: str = "0.00000015", **extra: Any) -> None:
    item = {
        "id": "acme/one",
        "name": name,
        "description": "Line one\nLine two",
        "context_length": 1000,
        "pricing": {"prompt": prompt, "completion": "0"},
    } | extra
    fetched = parse_items([item], ModelRecord, lambda item, index: str(index))
    model_upsert_many(fetched.records, now=T1 if name != "Acme One" else T0)


@pytest.fixture
def editor(client) -> User:
    user = User.objects.create_user("edith", is_staff=True)
    user.groups.add(editor_group_ensure())
    client.force_login(user)
    return user


def change_url() -> str:
    pk = LanguageModel.objects.get(slug="acme/one").pk
    return reverse("admin:catalog_languagemodel_change", args=[pk])


def as_posted(response) -> dict[str, Any]:
    """The change form as a browser would send it back untouched."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    data: dict[str, Any] = {}
    for form in forms:
        for name, field in form.fields.items():
            key, value = form.add_prefix(name), form[name].value()
            if isinstance(field.widget, CheckboxInput):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = "" if value is None else str(value)
    data["_save"] = "Save"
    return data


def test_a_form_opened_before_a_sync_overrides_only_what_the_editor_changed(
    client, editor
):
    """Opened, then upstream renames and reprices, then saved with a new context:
    only the context is an override; name and price are upstream's new ones."""
    upstream()
    data = as_posted(client.get(change_url()))
    upstream(name="Acme One v2", prompt="0.0000002")
    data |= {"context_length": "2048", "override_reason": "measured"}
    response = client.post(change_url(), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    model = LanguageModel.objects.get(slug="acme/one")
    assert [o.field for o in FieldOverride.objects.all()] == ["context_length"]
    assert (model.name, model.context_length) == ("Acme One v2", 2048)
    assert model.price_prompt == Decimal("0.2")


def test_a_field_changed_by_both_is_named_and_not_saved_silently(client, editor):
    """Editor and upstream both changed the name since the form was opened: the
    form names it; a second save (on today's values) keeps the editor's."""
    upstream()
    data = as_posted(client.get(change_url()))
    upstream(name="Acme One v2")
    data |= {"name": "Acme One (editor)", "override_reason": "house style"}
    response = client.post(change_url(), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Changed since you opened this form: name (now Acme One v2)" in page
    assert not FieldOverride.objects.exists()
    assert LanguageModel.objects.get(slug="acme/one").name == "Acme One v2"

    again = as_posted(response)
    assert again["name"] == "Acme One (editor)"
    assert client.post(change_url(), again).status_code == 302
    override = FieldOverride.objects.get()
    assert (override.field, override.value, override.upstream_value) == (
        "name",
        "Acme One (editor)",
        "Acme One v2",
    )


def test_saving_without_a_change_records_no_history(client, editor):
    """A browser sends textareas with CRLF: that is no edit, no "Changed …" entry."""
    upstream()
    data = as_posted(client.get(change_url()))
    data["description"] = data["description"].replace("\n", "\r\n")
    assert "\r\n" in data["description"]
    assert client.post(change_url(), data).status_code == 302
    assert not AdminEdit.objects.exists()
    assert not FieldOverride.objects.exists()
    for entry in LogEntry.objects.all():
        assert "description" not in entry.get_change_message().lower()


def test_prices_are_plain_in_forms_and_lists(client, editor):
    """Zero shows as 0, others as plain decimals; never 0E-12 or trailing zeros."""
    upstream()
    form = client.get(change_url()).content.decode()
    assert 'name="price_completion" value="0"' in form
    assert 'name="price_prompt" value="0.15"' in form
    listing = client.get(reverse("admin:catalog_languagemodel_changelist"))
    text = listing.content.decode()
    assert "0E-12" not in text and "0.150000000000" not in text
    assert ">0.15<" in text and ">0<" in text


def test_admin_names_and_titles(client):
    client.force_login(User.objects.create_superuser("root", password="x"))
    index = client.get(reverse("admin:index")).content.decode()
    assert "Watches" in index and "Watchs" not in index
    assert "modelboard admin" in index and "Django administration" not in index


def test_view_only_staff_cannot_run_actions_or_sync(client):
    """Each action declares its permission: view-only staff run none of them."""
    upstream()
    viewer = User.objects.create_user("vera", is_staff=True)
    viewer.user_permissions.set(
        Permission.objects.filter(
            codename__in=["view_languagemodel", "view_syncrun", "view_fieldoverride"]
        )
    )
    client.force_login(viewer)
    pk = LanguageModel.objects.get(slug="acme/one").pk
    url = reverse("admin:catalog_languagemodel_changelist")
    page = client.get(url).content.decode()
    for action in ("hide", "unhide", "feature", "unfeature", "sync_now"):
        assert f'value="{action}"' not in page
        client.post(url, {"action": action, "_selected_action": [pk]})
    model = LanguageModel.objects.get(pk=pk)
    assert (model.hidden, model.featured) == (False, False)
    assert not LogEntry.objects.exists()
    sync = reverse("admin:catalog_syncrun_sync", args=["catalog"])
    client.post(sync)
    assert not LogEntry.objects.exists()


def test_every_action_is_in_the_objects_history(
    client, editor, django_capture_on_commit_callbacks
):
    """Hide, unhide, feature, unfeature, sync: each a log entry on the History page
    (field flips with before and after)."""
    upstream()
    pk = LanguageModel.objects.get(slug="acme/one").pk
    url = reverse("admin:catalog_languagemodel_changelist")
    actions = ("hide", "unhide", "feature", "unfeature", "sync_now")
    with django_capture_on_commit_callbacks(execute=False):
        for action in actions:
            response = client.post(url, {"action": action, "_selected_action": [pk]})
            assert response.status_code == 302, action
    entries = LogEntry.objects.filter(object_id=str(pk)).order_by("pk")
    assert [e.get_change_message() for e in entries] == [
        "Hid (admin action).",
        "Unhid (admin action).",
        "Featured (admin action).",
        "Unfeatured (admin action).",
        "Queued a sync (admin action).",
    ]
    assert all(e.user == editor for e in entries)
    history = client.get(
        reverse("admin:catalog_languagemodel_history", args=[pk])
    ).content.decode()
    assert "Hid (admin action)." in history and "Queued a sync" in history
    flips = [list(e.changes.items())[0] for e in AdminEdit.objects.order_by("at", "pk")]
    assert flips == [
        ("hidden", [False, True]),
        ("hidden", [True, False]),
        ("featured", [False, True]),
        ("featured", [True, False]),
    ]


def test_a_huge_payload_keeps_the_change_page_small(client, editor):
    """A 1 MB description: the column holds 100 KB, the raw payload is shown cut."""
    upstream(description="x" * 1_000_000, blob="y" * 1_000_000)
    response = client.get(change_url())
    assert response.status_code == 200
    # The 100 KB description, once, in its textarea; the payload cut.
    assert len(response.content) < 160_000
    assert "characters in all" in response.content.decode()


def test_an_editor_corrects_tiers_in_the_admin_and_malformed_ones_are_refused(
    client, editor
):
    """Price tiers are an upstream field like the others: a correction with a
    reason becomes an override and is priced; a malformed one is a form error
    naming the entry."""
    from catalog.models import PriceTier

    upstream()
    data = as_posted(client.get(change_url()))
    bad = '[{"min_prompt_tokens": 1000, "prompt": "-1"}]'
    data |= {"pricing_overrides": bad, "override_reason": "provider's page"}
    response = client.post(change_url(), data)
    assert response.status_code == 200
    assert "pricing.overrides[0]: prompt is negative" in response.content.decode()
    good = '[{"min_prompt_tokens": 1000, "prompt": "0.0000003"}]'
    data["pricing_overrides"] = good
    response = client.post(change_url(), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    model = LanguageModel.objects.get(slug="acme/one")
    assert model.pricing_overrides == [
        {"min_prompt_tokens": 1000, "prompt": "0.0000003"}
    ]
    assert FieldOverride.objects.get().field == "pricing_overrides"
    assert PriceTier.objects.get(model=model).price_prompt == Decimal("0.3")
