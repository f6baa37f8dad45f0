"""Strict readers for configuration taken from the environment.

A malformed value stops start-up with a message that names the variable, instead of
running with a silently wrong setting.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    return None if value is None else value.strip()


def env_str(name: str, default: str) -> str:
    value = _raw(name)
    return default if value is None or value == "" else value


def env_bool(name: str, default: bool) -> bool:
    value = _raw(name)
    if value is None or value == "":
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (true/false/1/0), got {value!r}"
    )


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = _raw(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be an integer, got {value!r}"
        ) from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}")
    return number


def env_url(
    name: str, default: str, *, schemes: tuple[str, ...] = ("http", "https")
) -> str:
    value = env_str(name, default)
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        raise ImproperlyConfigured(
            f"{name} must be an absolute {'/'.join(schemes)} URL, got {value!r}"
        )
    return value.rstrip("/")


def env_base_url(name: str, default: str) -> str:
    """An upstream's base URL: request URLs are it and a path, so it has no query
    string or fragment (a key belongs in OPENROUTER_API_KEY)."""
    value = env_url(name, default)
    raw = env_str(name, default)
    if "?" in raw or "#" in raw:
        # Not echoed: a query string may hold a key.
        raise ImproperlyConfigured(
            f"{name} must have no query string or fragment (request URLs append a "
            "path to it); give a key in OPENROUTER_API_KEY"
        )
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    value = _raw(name)
    if value is None:
        return default
    items = [item.strip() for item in value.split(",") if item.strip()]
    if not items:
        raise ImproperlyConfigured(
            f"{name} must be a comma-separated list, got {value!r}"
        )
    return items


def env_database(name: str, default: str) -> dict[str, Any]:
    value = env_str(name, default)
    try:
        config = dj_database_url.parse(value, conn_max_age=60, conn_health_checks=True)
    except (ValueError, KeyError) as exc:
        raise ImproperlyConfigured(f"{name} is not a database URL: {exc}") from None
    if not config.get("ENGINE"):
        raise ImproperlyConfigured(f"{name} has an unsupported scheme: {value!r}")
    if config["ENGINE"] == "django.db.backends.postgresql":
        # Django's backend with psycopg's compiled timestamp loader (see there).
        config["ENGINE"] = "config.postgresql"
    return dict(config)


def env_broker(name: str, default: str) -> str:
    value = env_str(name, default)
    scheme = urlsplit(value).scheme
    if scheme not in {
        "filesystem",
        "redis",
        "rediss",
        "amqp",
        "amqps",
        "pyamqp",
        "memory",
    }:
        raise ImproperlyConfigured(
            f"{name} has an unsupported broker scheme: {value!r}"
        )
    return value


SECRET_KEY_MIN_LENGTH, SECRET_KEY_MIN_DISTINCT = 50, 5
# Keys that were ever written down somewhere public: never good enough.
KNOWN_DEFAULT_KEYS = frozenset(
    {"", "change-me", "changeme", "secret", "insecure-local-only-change-me"}
)


def env_secret_key(name: str, *, debug: bool, local: bool, var_dir: Path) -> str:
    """The secret key from the environment. Missing, a known default or (in
    production) too weak, it is "" (secret_key_refusal says why), and what signs
    with it refuses to start (require_secret_key: serving, the workers); commands
    that never sign run. On a local setup (DEBUG, or MODELBOARD_LOCAL=1 as `make
    run` sets) a random key is made once instead of a missing or known one, and
    kept in var/ on this machine."""
    value = env_str(name, "")
    local = debug or local
    if not secret_key_refusal(name, production=not local):
        return value
    if local:
        return _local_key(var_dir / "secret_key")
    return ""


def secret_key_refusal(name: str = "SECRET_KEY", *, production: bool = True) -> str:
    """Why the environment's secret key cannot be used, or "" when it can: missing
    or a known default anywhere, too weak in production."""
    value = env_str(name, "")
    known = value in KNOWN_DEFAULT_KEYS or value.startswith("django-insecure-")
    if not known and not (production and _weak(value)):
        return ""
    if not value:
        what = "missing"
    elif known:
        what = "a known default, public value"
    else:
        what = (
            f"too weak ({len(value)} characters, {len(set(value))} distinct; at "
            f"least {SECRET_KEY_MIN_LENGTH} and {SECRET_KEY_MIN_DISTINCT} needed)"
        )
    return (
        f"{name} is {what}: set it to a long random value, e.g. the output of "
        "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`, or set "
        "MODELBOARD_LOCAL=1 on a machine of your own for a key kept in var/."
    )


def _weak(key: str) -> bool:
    # Django's deploy check (security.W009) draws the line here.
    return len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_DISTINCT


def require_secret_key(what: str) -> None:
    """Stop `what` (the web server, a worker) when settings hold no usable key:
    sessions, CSRF tokens and e-mailed links are signed with it."""
    from django.conf import settings

    if settings.SECRET_KEY_REFUSAL:
        raise ImproperlyConfigured(
            f"{what} cannot start: {settings.SECRET_KEY_REFUSAL}"
        )


def _local_key(path: Path) -> str:
    # O_EXCL: web, worker and beat may start at once; the first one writes the key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_urlsafe(50))
    return path.read_text().strip()
