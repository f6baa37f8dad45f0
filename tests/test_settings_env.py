"""Strict environment parsing: a malformed variable stops start-up and names itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_broker,
    env_database,
    env_int,
    env_list,
    env_url,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("name", "value", "read"),
    [
        ("DEBUG", "maybe", lambda: env_bool("DEBUG", False)),
        ("HTTP_TIMEOUT_SECONDS", "abc", lambda: env_int("HTTP_TIMEOUT_SECONDS", 20)),
        ("HTTP_TIMEOUT_SECONDS", "0", lambda: env_int("HTTP_TIMEOUT_SECONDS", 20, minimum=1)),
        ("DATABASE_URL", "nonsense://x", lambda: env_database("DATABASE_URL", "sqlite://")),
        ("OPENROUTER_BASE_URL", "not a url", lambda: env_url("OPENROUTER_BASE_URL", "https://x")),
        ("OPENROUTER_BASE_URL", "ftp://host/api", lambda: env_url("OPENROUTER_BASE_URL", "https://x")),
        ("CELERY_BROKER_URL", "foo://", lambda: env_broker("CELERY_BROKER_URL", "memory://")),
        ("ALLOWED_HOSTS", " , ", lambda: env_list("ALLOWED_HOSTS", ["x"])),
    ],
)  # fmt: skip
def test_malformed_value_is_refused_by_name(monkeypatch, name, value, read):
    """Each helper rejects a bad value with a message naming the variable."""
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=name):
        read()


@pytest.mark.parametrize(
    ("name", "value", "read", "expected"),
    [
        ("DEBUG", " Yes ", lambda: env_bool("DEBUG", False), True),
        ("DEBUG", "0", lambda: env_bool("DEBUG", True), False),
        ("HTTP_TIMEOUT_SECONDS", "7", lambda: env_int("HTTP_TIMEOUT_SECONDS", 20), 7),
        ("HTTP_TIMEOUT_SECONDS", "", lambda: env_int("HTTP_TIMEOUT_SECONDS", 20), 20),
        ("OPENROUTER_BASE_URL", "http://127.0.0.1:8001/api/v1/", lambda: env_url("OPENROUTER_BASE_URL", "https://x"), "http://127.0.0.1:8001/api/v1"),
        ("CELERY_BROKER_URL", "redis://localhost:6379/0", lambda: env_broker("CELERY_BROKER_URL", "memory://"), "redis://localhost:6379/0"),
        ("ALLOWED_HOSTS", "a.example, b.example", lambda: env_list("ALLOWED_HOSTS", []), ["a.example", "b.example"]),
    ],
)  # fmt: skip
def test_well_formed_value_is_read(monkeypatch, name, value, read, expected):
    """Good values are parsed, trimmed and normalised."""
    monkeypatch.setenv(name, value)
    assert read() == expected


def test_unset_variables_take_their_defaults(monkeypatch):
    """Nothing set: the documented defaults."""
    for name in ("DEBUG", "HTTP_TIMEOUT_SECONDS", "DATABASE_URL", "CELERY_BROKER_URL"):
        monkeypatch.delenv(name, raising=False)
    assert env_bool("DEBUG", False) is False
    assert env_int("HTTP_TIMEOUT_SECONDS", 20) == 20
    assert env_database("DATABASE_URL", "sqlite:////tmp/x.sqlite3")["ENGINE"] == (
        "django.db.backends.sqlite3"
    )
    assert env_broker("CELERY_BROKER_URL", "filesystem://") == "filesystem://"


@pytest.mark.integration
def test_django_refuses_to_start_with_a_malformed_debug(tmp_path):
    """`DEBUG=maybe` stops django.setup() with DEBUG in the error."""
    env = dict(os.environ)
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "maybe",
        "MODELBOARD_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "ImproperlyConfigured" in done.stderr
    assert "DEBUG" in done.stderr


def test_empty_boolean_means_default(monkeypatch):
    """`NAME=` as copied from .env.example keeps the default, whatever it is."""
    monkeypatch.setenv("STATS_DATASETS_ENABLED", "")
    assert env_bool("STATS_DATASETS_ENABLED", True) is True
    assert env_bool("STATS_DATASETS_ENABLED", False) is False


@pytest.mark.parametrize(
    "key",
    [
        "x",
        "k3Q9-vZr7pX2mN8bL4wT6yH1cF5jD0sG9",  # 33 characters
        "ab" * 40,  # 80 characters, 2 distinct
        "abcd" * 20,  # 80 characters, 4 distinct
    ],
)
def test_a_weak_secret_key_is_refused_in_production(monkeypatch, tmp_path, key):
    """As Django's deploy check says: at least 50 characters, at least 5 distinct.
    In production it is no key (what signs refuses to start, saying why); on a
    machine of one's own it is used."""
    from config.env import env_secret_key, secret_key_refusal

    monkeypatch.setenv("SECRET_KEY", key)
    assert (
        env_secret_key("SECRET_KEY", debug=False, local=False, var_dir=tmp_path) == ""
    )
    assert "SECRET_KEY is too weak" in secret_key_refusal("SECRET_KEY")
    assert (
        env_secret_key("SECRET_KEY", debug=False, local=True, var_dir=tmp_path) == key
    )


def test_a_strong_secret_key_is_read(monkeypatch, tmp_path):
    from config.env import env_secret_key

    key = "k3Q9-vZr7pX2mN8bL4wT6yH1cF5jD0sG9aE3uR7iO2qW8eK4tY6-zx"
    monkeypatch.setenv("SECRET_KEY", key)
    assert (
        env_secret_key("SECRET_KEY", debug=False, local=False, var_dir=tmp_path) == key
    )


@pytest.mark.parametrize(
    "value",
    [
        "https://gateway.example.com/api/v1?key=abc",
        "https://gateway.example.com/api/v1?",
        "https://gateway.example.com/api/v1#models",
    ],
)
def test_an_upstream_base_url_with_a_query_or_fragment_is_refused(monkeypatch, value):
    """Request URLs are the base URL and a path: a query string in it would end
    up in the middle of every one of them."""
    from config.env import env_base_url

    monkeypatch.setenv("OPENROUTER_BASE_URL", value)
    with pytest.raises(ImproperlyConfigured, match="OPENROUTER_BASE_URL .*query"):
        env_base_url("OPENROUTER_BASE_URL", "https://openrouter.ai/api/v1")


@pytest.mark.django_db
def test_upstream_credentials_never_reach_a_page(client, settings):
    """A private gateway's URLs may carry credentials: neither the footer nor a
    description's links (made absolute on the upstream site) show them."""
    from tests.support.factories import make_model

    settings.OPENROUTER_BASE_URL = "https://user:s3cret@gw.example.com/api/v1"
    settings.OPENROUTER_SITE_URL = "https://user:s3cret@gw.example.com"
    settings.MODELBOARD_DEMO_UPSTREAM = False
    model = make_model("acme/one", description="Read [the docs](/docs/models).")
    page = client.get(model.get_absolute_url()).content.decode()
    assert "s3cret" not in page and "user:" not in page
    assert 'href="https://gw.example.com/docs/models"' in page
