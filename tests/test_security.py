"""Deployment safety: no start on a public secret key, a clean `check --deploy`
with the documented production environment, a Content-Security-Policy, login
throttling, and no credentials of the upstream URL on any page."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from catalog.sources.redact import redact_text, redact_url

ROOT = Path(__file__).resolve().parent.parent
# The production environment docs/operations.md documents (section Production).
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3Q9-vZr7pX2mN8bL4wT6yH1cF5jD0sG9aE3uR7iO2qW8eK4tY6-zxcvbnmASDFG",
    "ALLOWED_HOSTS": "board.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://board.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_HSTS_SECONDS": "31536000",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
    "SECURE_HSTS_PRELOAD": "true",
    "SECURE_COOKIES": "true",
    "TRUST_X_FORWARDED_PROTO": "true",
    "TRUSTED_PROXY_COUNT": "1",
}


def manage(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    # A clean environment: only what is given here (the test run's own variables,
    # such as DJANGO_ALLOW_ASYNC_UNSAFE from the browser tests, are not production's).
    environ = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/")}
    environ |= {"MODELBOARD_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)} | env
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


def python(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    """A Python process in the same clean environment as `manage`."""
    environ = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/")}
    environ |= {"MODELBOARD_VAR_DIR": str(tmp_path), "PYTHONPATH": str(ROOT)} | env
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


NO_REAL_KEY = [
    None,
    "",
    "change-me",
    "insecure-local-only-change-me",
    "django-insecure-x",
]


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.parametrize("key", NO_REAL_KEY)
def test_debug_off_without_a_real_secret_key_refuses_to_serve(tmp_path, key):
    """Missing or a known default: the web server (what gunicorn loads) stops and
    says how to fix it, and the deploy check says so beforehand."""
    env = {"DEBUG": "0"} | ({} if key is None else {"SECRET_KEY": key})
    served = python(tmp_path, "-c", "import config.wsgi", **env)
    assert served.returncode != 0
    assert "The web server cannot start: SECRET_KEY is" in served.stderr
    assert "MODELBOARD_LOCAL=1" in served.stderr
    checked = manage(tmp_path, "check", "--deploy", **env)
    assert checked.returncode != 0
    assert "(modelboard.E001) SECRET_KEY is" in checked.stderr
    assert "Traceback" not in checked.stderr


@pytest.mark.integration
@pytest.mark.slow
def test_a_worker_without_a_real_secret_key_refuses_to_start(tmp_path):
    """A Celery worker signs what it e-mails: it stops at once, with one line."""
    done = python(
        tmp_path, "-m", "celery", "-A", "config", "worker", "--concurrency", "1",
        "-Q", "nothing", "-l", "warning", DEBUG="0", PYTHONWARNINGS="ignore",
    )  # fmt: skip
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert lines == [
        "A Celery worker cannot start: SECRET_KEY is missing: set it to a long "
        "random value, e.g. the output of `python -c 'import secrets; "
        "print(secrets.token_urlsafe(50))'`, or set MODELBOARD_LOCAL=1 on a machine "
        "of your own for a key kept in var/."
    ]


@pytest.mark.integration
@pytest.mark.slow
@pytest.mark.parametrize(
    "args",
    [
        ("sync", "--help"),
        ("demo_upstream", "--help"),
        ("run_stack", "--help"),
        ("ensure_schedules", "--help"),
        ("migrate", "--check"),
    ],
)
def test_commands_that_sign_nothing_run_without_a_key(tmp_path, args):
    """`--help`, the polls and the demo upstream need no key: no traceback."""
    done = manage(tmp_path, *args, DEBUG="0")
    assert "Traceback" not in done.stderr
    assert "SECRET_KEY" not in done.stderr
    if args[-1] == "--help":
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith(f"usage: manage.py {args[0]}")


@pytest.mark.integration
def test_a_malformed_setting_is_one_line_not_a_traceback(tmp_path):
    done = manage(tmp_path, "sync", "all", DEBUG="maybe")
    assert done.returncode != 0
    assert done.stderr.strip() == (
        "Configuration error: DEBUG must be a boolean (true/false/1/0), got 'maybe'"
    )


@pytest.mark.integration
def test_local_setup_keeps_one_generated_key(tmp_path):
    """`make run`'s MODELBOARD_LOCAL=1: a random key made once, kept in var/."""
    script = "from django.conf import settings; print(settings.SECRET_KEY)"
    keys = {
        manage(tmp_path, "shell", "-c", script, MODELBOARD_LOCAL="1").stdout
        for _ in range(2)
    }
    [key] = keys
    assert len(key.strip()) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


@pytest.mark.integration
def test_check_deploy_is_clean_with_the_documented_environment(tmp_path):
    """`manage.py check --deploy` passes, warnings included, in production."""
    done = manage(
        tmp_path, "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues" in done.stdout


@pytest.mark.slow
@pytest.mark.django_db
def test_pages_and_admin_carry_a_strict_script_policy(client, admin_client):
    """Every answer says scripts come from this site only."""
    for response in (client.get("/"), admin_client.get(reverse("admin:index"))):
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";")[0]
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy


@pytest.mark.slow
@pytest.mark.django_db
def test_login_is_refused_after_too_many_wrong_passwords(client, settings):
    """100 wrong passwords from one address, then the right one: refused (429)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_superuser("editor", "editor@example.com", "right-password")
    login = reverse("admin:login")
    for _ in range(100):
        client.post(login, {"username": "editor", "password": "wrong"})
    response = client.post(login, {"username": "editor", "password": "right-password"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("admin:index")).status_code == 302  # still logged out


@pytest.mark.django_db
def test_right_password_before_the_limit_logs_in(client, settings):
    """A few typos do not lock an editor out."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_superuser("editor", "editor@example.com", "right-password")
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login, {"username": "editor", "password": "wrong"})
    client.post(login, {"username": "editor", "password": "right-password"})
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.django_db
def test_throttling_counts_the_client_behind_the_proxy(client, settings):
    """Behind one proxy, the address it saw is the client: another client is not
    locked out by the first one's failures."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.TRUSTED_PROXY_COUNT = 1
    User.objects.create_superuser("editor", "editor@example.com", "right-password")
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post(
            login,
            {"username": "editor", "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    other = client.post(
        login,
        {"username": "editor", "password": "right-password"},
        HTTP_X_FORWARDED_FOR="forged, 198.51.100.7",
    )
    assert other.status_code == 302


@pytest.mark.django_db
def test_upstream_credentials_never_reach_a_page(client, settings):
    """A base URL with credentials shows in the footer without them."""
    settings.OPENROUTER_BASE_URL = "https://user:s3cret-token@gw.example.com/api/v1"
    for url in ("/", "/status"):
        page = client.get(url).content.decode()
        assert "s3cret-token" not in page
        assert "gw.example.com/api/v1" in page


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://user:pw@gw.example.com/api/v1", "https://***@gw.example.com/api/v1"),
        ("https://gw.example.com/x?api_key=abc&page=2", "https://gw.example.com/x?api_key=***&page=2"),
        ("https://gw.example.com/x?token=abc", "https://gw.example.com/x?token=***"),
        ("https://openrouter.ai/api/v1/models?output_modalities=all", "https://openrouter.ai/api/v1/models?output_modalities=all"),
    ],
)  # fmt: skip
def test_url_secrets_are_masked(url, shown):
    """Credentials and secret-named query values are masked; the rest is kept."""
    assert redact_url(url) == shown
    assert redact_text(f"HTTP 500 ({url})") == f"HTTP 500 ({shown})"


def test_log_lines_are_redacted():
    """The console handler's filter masks URL credentials in messages and tracebacks."""
    import logging

    from catalog.sources.redact import RedactingFilter

    record = logging.LogRecord(
        "x",
        logging.ERROR,
        __file__,
        1,
        "failed: %s",
        ("https://u:tok@gw/a?key=k",),
        None,
    )
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "failed: https://***@gw/a?key=***"
    try:
        raise ValueError("https://u:tok@gw/a")
    except ValueError:
        import sys

        with_trace = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "boom", (), sys.exc_info()
        )
    RedactingFilter().filter(with_trace)
    assert "tok" not in with_trace.exc_text and "***@gw" in with_trace.exc_text


@pytest.mark.django_db
def test_health_checks_are_answered_over_plain_http_behind_the_https_redirect(
    client, settings
):
    """A load balancer probes /healthz over plain HTTP: it is exempt from
    SECURE_SSL_REDIRECT (SECURE_REDIRECT_EXEMPT); every other path redirects."""
    settings.SECURE_SSL_REDIRECT = True
    for path in ("/healthz", "/healthz?ready=1"):
        response = client.get(path)
        assert response.status_code in (200, 503), path
    assert client.get("/status").status_code == 301
    assert client.get("/healthzz").status_code == 301
