"""The one settings module. Everything that differs between machines comes from the
environment (see .env.example); defaults run on one laptop with no services."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import django_stubs_ext
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_base_url,
    env_bool,
    env_broker,
    env_database,
    env_int,
    env_list,
    env_secret_key,
    env_str,
    env_url,
    secret_key_refusal,
)

# Django's generic classes (ModelAdmin, ModelForm, Feed, Paginator...) accept type
# parameters at runtime, so `class WatchAdmin(admin.ModelAdmin[Watch])` can say
# which model it edits.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("MODELBOARD_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)
# `make run` sets MODELBOARD_LOCAL=1: a machine of one's own, where a key made once
# and kept in var/ is fine; a test run (pytest loaded) is one too. Elsewhere
# SECRET_KEY must be set: without it the web server and the workers refuse to start
# (config.env.require_secret_key), while commands that sign nothing (`--help`,
# `sync`, `demo_upstream`, `migrate`) still run.
MODELBOARD_LOCAL = env_bool("MODELBOARD_LOCAL", False) or "pytest" in sys.modules
SECRET_KEY = env_secret_key(
    "SECRET_KEY", debug=DEBUG, local=MODELBOARD_LOCAL, var_dir=VAR_DIR
)
SECRET_KEY_REFUSAL = "" if SECRET_KEY else secret_key_refusal("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_celery_beat",
    "axes",
    # The domain: catalog is the ground floor; stats and changes build on it.
    "catalog",
    "stats",
    "changes",
    # Read the domain: the pages, the JSON API, the jobs and their status.
    "front",
    "api",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # A NUL in a path: a 404 on every route, never a 500 (config/middleware.py).
    "config.middleware.RejectNulMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions and views: a cached public page costs no session or view work.
    "config.pagecache.PublicPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it answers a locked-out login before the view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "front.context_processors.upstream",
                "front.context_processors.usage_link",
            ],
        },
    },
]

DATABASES = {
    "default": env_database(
        "DATABASE_URL", f"sqlite:///{VAR_DIR / 'modelboard.sqlite3'}"
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: WAL lets readers run beside the writer, and
    # IMMEDIATE transactions take the write lock up front instead of failing mid-way.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
    # A file, not :memory:, so the Celery worker the integration tests start can see it.
    # One per test process, so concurrent runs on one checkout never share a file.
    DATABASES["default"]["TEST"] = {
        "NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    }
    # ModelRank's covering indexes keep their columns on PostgreSQL only; SQLite
    # builds them without (it serves one laptop's catalogue).
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cached pages, charts and code samples. Per process by default; with several web
# processes set CACHE_URL=redis://host:6379/1 so they share one cache. The cache is
# optional: when Redis cannot be reached every read is a miss (after at most the
# short timeouts below) and pages are built from the database.
CACHE_URL = env_str("CACHE_URL", "")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(
            f"CACHE_URL must be a redis:// URL, got {CACHE_URL!r}"
        )
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.2,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            # Whole pages live here too: room for a few thousand.
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
# Whole public pages and API answers for anonymous visitors, keyed by the data
# version; also bounds how stale a relative time ("5 minutes ago") can get.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300, minimum=0)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_MAX_AGE = 3600
# Pages link the fingerprinted names only: the originals are not kept, and not
# compressed (brotli at its best quality is most of a first collectstatic).
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

LOGIN_URL = "admin:login"

# --- upstream ------------------------------------------------------------------------
OPENROUTER_BASE_URL = env_base_url(
    "OPENROUTER_BASE_URL", "https://openrouter.ai/api/v1"
)
OPENROUTER_SITE_URL = env_base_url("OPENROUTER_SITE_URL", "https://openrouter.ai")
OPENROUTER_API_KEY = env_str("OPENROUTER_API_KEY", "")
# Direct-provider list prices: LiteLLM's price map (MIT), polled daily (docs/sources.md).
LITELLM_PRICES_URL = env_url(
    "LITELLM_PRICES_URL",
    "https://raw.githubusercontent.com/BerriAI/litellm/main/"
    "model_prices_and_context_window.json",
)
# Set by `make run` when the live upstream cannot be reached and the bundled demo
# upstream is polled instead; every page then says so.
MODELBOARD_DEMO_UPSTREAM = env_bool("MODELBOARD_DEMO_UPSTREAM", False)
# Per wait (connect, each read); a request as a whole ends at its deadline, and a
# body larger than the cap is refused while it streams in (memory stays bounded).
HTTP_TIMEOUT_SECONDS = env_int("HTTP_TIMEOUT_SECONDS", 20, minimum=1)
HTTP_DEADLINE_SECONDS = env_int("HTTP_DEADLINE_SECONDS", 60, minimum=1)
HTTP_MAX_RESPONSE_MB = env_int("HTTP_MAX_RESPONSE_MB", 64, minimum=1)
# Items in one upstream list (the model list): many tiny items cost memory far
# beyond their bytes, so a list past this is refused before anything is stored.
# Ample for the 30,000 models the board is built for.
SYNC_MAX_ITEMS = env_int("SYNC_MAX_ITEMS", 200_000, minimum=1)
# LiteLLM's map is some 3.5 MB: a body past this is no price map.
LITELLM_MAX_MB = env_int("LITELLM_MAX_MB", 20, minimum=1)
HTTP_USER_AGENT = "modelboard/0.1 (+https://github.com/modelboard/modelboard)"
# Endpoints are fetched one request per model: bounded concurrency and a per-host
# request rate keep us polite (upstream caches ~300 s anyway).
SYNC_ENDPOINTS_CONCURRENCY = env_int("SYNC_ENDPOINTS_CONCURRENCY", 4, minimum=1)
SYNC_REQUESTS_PER_SECOND = env_int("SYNC_REQUESTS_PER_SECOND", 10, minimum=1)
# A catalogue that lost more than this share of its active models is refused.
SYNC_SHRINK_GUARD_RATIO = 0.5
# First retry delay of a transiently failed sync; doubles each time (with jitter).
SYNC_RETRY_BASE_SECONDS = env_int("SYNC_RETRY_BASE_SECONDS", 60, minimum=1)
# A running SyncRun refreshes its heartbeat every quarter of this; one whose heartbeat
# is older (its process died or lost the database) is abandoned and stops blocking
# its job and alert dispatch. A dead process on the same host is noticed at once.
SYNC_HEARTBEAT_TIMEOUT_SECONDS = env_int(
    "SYNC_HEARTBEAT_TIMEOUT_SECONDS", 120, minimum=2
)
# A per-model poll (endpoints, activity, apps, uptime) starts no request after this
# long: it records where it stopped and the next run goes on from there. Shorter
# than those jobs' soft time limits (ops/jobs.py; a test checks it) and than the
# endpoints schedule, so a slow run hands over instead of being stopped.
SYNC_WINDOW_SECONDS = env_int("SYNC_WINDOW_SECONDS", 20 * 60, minimum=1)
# The endpoints poll asks for as many models as fit its window at the request
# rate: those whose catalogue entry changed, the most used, then the longest
# unpolled, so that every model is refreshed within this period.
SYNC_ENDPOINTS_REFRESH_SECONDS = env_int(
    "SYNC_ENDPOINTS_REFRESH_SECONDS", 6 * 3600, minimum=60
)
SYNC_ENDPOINTS_POPULAR = env_int("SYNC_ENDPOINTS_POPULAR", 500, minimum=0)

# --- stats sources (each its own switch and failure domain) -------------------------
# The website's undocumented endpoints: per-model activity, apps, uptime history.
STATS_WEBSITE_ENABLED = env_bool("STATS_WEBSITE_ENABLED", True)
# The official datasets (rankings-daily, app-rankings, activity) need an API key.
STATS_DATASETS_ENABLED = env_bool("STATS_DATASETS_ENABLED", bool(OPENROUTER_API_KEY))
STATS_RAW_RETENTION_DAYS = env_int("STATS_RAW_RETENTION_DAYS", 14, minimum=1)

# --- pages ----------------------------------------------------------------------------
# Sample code on model pages: point it at your own gateway if you run one.
SAMPLE_CODE_BASE_URL = env_url("SAMPLE_CODE_BASE_URL", "https://openrouter.ai/api/v1")
SAMPLE_CODE_KEY_ENV = env_str("SAMPLE_CODE_KEY_ENV", "OPENROUTER_API_KEY")
# /usage shows the account's own spend (from /activity, with OPENROUTER_API_KEY):
# staff only unless this opens it to every visitor.
USAGE_PUBLIC = env_bool("USAGE_PUBLIC", False)
# Absolute base for links in webhooks and e-mails (sent without a request).
MODELBOARD_SITE_URL = env_url("MODELBOARD_SITE_URL", "http://127.0.0.1:8000")

# --- watch alerts ------------------------------------------------------------------------
# First webhook/e-mail retry delay; doubles per attempt with jitter, capped, finite.
CHANGES_RETRY_BASE_SECONDS = env_int("CHANGES_RETRY_BASE_SECONDS", 30, minimum=1)
CHANGES_RETRY_MAX_SECONDS = env_int("CHANGES_RETRY_MAX_SECONDS", 3600, minimum=1)
CHANGES_MAX_ATTEMPTS = env_int("CHANGES_MAX_ATTEMPTS", 8, minimum=1)
CHANGES_WEBHOOK_TIMEOUT_SECONDS = env_int(
    "CHANGES_WEBHOOK_TIMEOUT_SECONDS", 10, minimum=1
)
CHANGES_FEED_ITEMS = env_int("CHANGES_FEED_ITEMS", 50, minimum=1)
# Anyone may create a watch: by default webhooks to loopback/private addresses are
# refused so the server cannot be made to call its own network.
CHANGES_WEBHOOK_ALLOW_PRIVATE = env_bool("CHANGES_WEBHOOK_ALLOW_PRIVATE", False)
# E-mail watches get a confirmation link first (double opt-in), valid this long.
CHANGES_CONFIRM_MAX_AGE_DAYS = env_int("CHANGES_CONFIRM_MAX_AGE_DAYS", 7, minimum=1)
# Watch creation per client address: at most this many attempts per window (a 429
# past it). Counted in the cache: per web process unless CACHE_URL is shared.
WATCH_CREATE_LIMIT = env_int("WATCH_CREATE_LIMIT", 10, minimum=1)
WATCH_CREATE_WINDOW_SECONDS = env_int("WATCH_CREATE_WINDOW_SECONDS", 3600, minimum=1)
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "modelboard@localhost")
# A watch's confirmation e-mail is sent while its page waits: a mail server that
# does not answer is given up on after this long, and the page says so.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT_SECONDS", 10, minimum=1)

# --- Celery --------------------------------------------------------------------------
CELERY_BROKER_URL = env_broker("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    from config import broker

    broker.use()  # messages written whole before a worker sees them
    # The folder broker needs no host, but kombu warns at every connection
    # without one: name the default it would use anyway.
    if CELERY_BROKER_URL.rstrip("/") == "filesystem:":
        CELERY_BROKER_URL = "filesystem://localhost/"
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir),
        "data_folder_out": str(_broker_dir),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # kombu looks for new messages once a second: a chain of jobs (the first
        # sync's) would wait a second at each step. A folder listing is cheap.
        "polling_interval": 0.1,
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # Redis: unacknowledged tasks of a worker that died come back after this
        # long. Keep it above every job's hard time limit (ops/jobs.py), or a task
        # still running would be handed to a second worker.
        "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=5),
        # A broker that went silent is noticed, and publishing from a web request
        # (the admin's sync buttons) gives up instead of hanging.
        "socket_keepalive": True,
        "socket_connect_timeout": 10,
    }
_broker_scheme = CELERY_BROKER_URL.partition("://")[0]
# A broker that drops is reconnected to for as long as it takes, not 100 tries.
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
# RabbitMQ: heartbeats notice a silent connection within ~20 s (default 120 s).
CELERY_BROKER_HEARTBEAT = 10
# On RabbitMQ a lost connection requeues the running tasks at once; cancelling them
# keeps a task from running twice side by side. On Redis they are not requeued
# until the visibility timeout, so the running copy is better left to finish.
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = _broker_scheme in {
    "amqp",
    "amqps",
    "pyamqp",
}
# Separate queues let several boards (or test runs) share one broker.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
# Alert dispatch and deliveries have their own queue, served by their own worker:
# syncs stuck on a slow upstream can then never hold every slot and starve them.
ALERTS_QUEUE = env_str("CELERY_ALERTS_QUEUE", f"{CELERY_TASK_DEFAULT_QUEUE}.alerts")
CELERY_TASK_ROUTES = {"changes.*": {"queue": ALERTS_QUEUE}}
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    },
    # Credentials inside URLs (a gateway's base URL, say) never reach a log line.
    "filters": {"redact": {"()": "catalog.sources.redact.RedactingFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
        # Lockouts are warnings; every successful login is not news.
        "axes": {"level": "WARNING"},
    },
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

# --- behind TLS (see docs/operations.md, Production) --------------------------------------------
# Off by default so `make run` works over plain http on loopback.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# A load balancer's health probe speaks plain HTTP to the backend: answered as is.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
# Only behind a proxy that sets X-Forwarded-Proto itself (and strips the client's).
if env_bool("TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the board append to X-Forwarded-For: the client's
# address (login throttling, rate limits) is read that many hops from the right.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Content-Security-Policy: no inline script anywhere (charts are JSON data blocks
# drawn by static/js/charts.js). Inline styles stay allowed: plotly sets style
# attributes on the SVG it draws.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords from one
# client address (an IPv6 client: its /64), every login from it is refused (even
# with the right password) for AXES_COOLOFF_HOURS. Attempts are kept in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1, minimum=1)
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_CLIENT_IP_CALLABLE = "config.clients.client_network"
AXES_RESET_ON_SUCCESS = True
