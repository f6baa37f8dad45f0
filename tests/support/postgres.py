"""The PostgreSQL server tests that need one use, whatever the suite's database
is (CI provides PostgreSQL to both legs)."""

from __future__ import annotations

import os

from django.conf import settings


def server_url() -> str:
    """The PostgreSQL server: the suite's own when it runs on PostgreSQL."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return f"postgres://{db['USER']}{password}@{host}/postgres"
    return os.environ.get(
        "TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )
