from __future__ import annotations

import pytest

from tests.support.brokers import Broker, amqp_url, redis_url


@pytest.fixture(params=["redis", "rabbitmq"])
def broker(request) -> Broker:
    """Each fault test runs once on Redis and once on RabbitMQ."""
    return Broker(
        request.param, redis_url() if request.param == "redis" else amqp_url()
    )
