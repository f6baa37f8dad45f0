"""Input that reaches a bounded column is validated against its bound first: a
value too long is a form error (a 4xx naming the field), never a database error
(PostgreSQL refuses what SQLite would store)."""

from __future__ import annotations

import inspect

import pytest
from axes.models import AccessAttempt
from django import forms

import api.forms
import front.forms
from changes.models import Watch
from tests.support.factories import make_model

pytestmark = [pytest.mark.django_db, pytest.mark.backend]


def test_a_300_character_admin_username_is_a_form_error(client):
    """The login form checks the username's length (auth's 150) before the
    lockout records the attempt (its username column holds 255)."""
    response = client.post(
        "/admin/login/?next=/admin/", {"username": "u" * 300, "password": "x"}
    )
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.exists()


def test_a_watch_address_longer_than_its_column_is_a_form_error(client):
    """A valid address of 300 characters (forms accept 320): Watch.email holds 254."""
    model = make_model("acme/one")
    email = "a" * 60 + "@" + ".".join(["b" * 60] * 4) + ".example"
    assert len(email) > 254
    response = client.post("/watch", {"target": model.slug, "email": email})
    assert response.status_code == 400
    assert "at most 254 characters" in response.content.decode()
    assert not Watch.objects.exists()


def _forms() -> list[type[forms.Form]]:
    found = []
    for module in (front.forms, api.forms):
        for _, value in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


@pytest.mark.parametrize("form", _forms(), ids=lambda form: form.__name__)
def test_every_text_field_of_the_pages_and_the_api_is_bounded(form):
    """Each text parameter of every page's and API route's form has a length:
    whatever column or query it reaches, an unbounded string never does."""
    unbounded = [
        name
        for name, field in form.base_fields.items()
        if isinstance(field, forms.CharField) and field.max_length is None
    ]
    assert unbounded == []
