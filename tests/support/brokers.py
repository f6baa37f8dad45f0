"""The brokers the fault tests run on: Redis and RabbitMQ, each on loopback, each
test on its own queues (so a shared broker is safe)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

from tests.support.proxy import TcpProxy


@dataclass(frozen=True)
class Broker:
    name: str
    url: str

    @property
    def port(self) -> int:
        return urlsplit(self.url).port or (6379 if self.name == "redis" else 5672)

    def through(self, proxy: TcpProxy) -> str:
        """This broker's URL, reached through `proxy`."""
        parts = urlsplit(self.url)
        auth = parts.netloc.rpartition("@")[0]
        netloc = f"{auth}@127.0.0.1:{proxy.port}" if auth else f"127.0.0.1:{proxy.port}"
        return urlunsplit(parts._replace(netloc=netloc))


def redis_url() -> str:
    # The suite's own Redis database when it runs on Redis; CI provides one anyway.
    if settings.CELERY_BROKER_URL.startswith("redis://"):
        return settings.CELERY_BROKER_URL
    return os.environ.get("TEST_REDIS_BROKER_URL", "redis://127.0.0.1:6379/15")


def amqp_url() -> str:
    return os.environ.get("TEST_AMQP_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
