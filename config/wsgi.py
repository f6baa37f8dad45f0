"""The WSGI application that gunicorn serves (`gunicorn config.wsgi`)."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

from config.collector import settle_collector
from config.env import require_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Sessions and CSRF tokens are signed with the key: no serving without a real one.
require_secret_key("The web server")
application = get_wsgi_application()
# Each worker loads this once: Django and the apps are loaded by now.
settle_collector()
