"""`make run` picks its upstream: the live one when it answers, the bundled demo
when it does not, and always the demo for `--demo` or the demo key."""

from __future__ import annotations

import socket

import pytest

from ops.management.commands.run_stack import DEMO_KEY, Command


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("key", "forced", "wanted"),
    [
        ("", False, False),
        ("sk-or-v1-real", False, False),
        (DEMO_KEY, False, True),
        ("", True, True),
    ],
)
def test_an_answering_upstream_is_used_unless_the_demo_is_asked_for(
    upstream, settings, key, forced, wanted
):
    settings.OPENROUTER_API_KEY = key

    assert Command()._wants_demo(forced) is wanted


@pytest.mark.http
def test_an_unreachable_upstream_falls_back_to_the_demo(settings):
    settings.OPENROUTER_BASE_URL = f"http://127.0.0.1:{closed_port()}/api/v1"
    settings.OPENROUTER_API_KEY = ""

    assert Command()._wants_demo(False) is True
