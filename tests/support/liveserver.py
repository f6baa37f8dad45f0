"""Django's live test server, answering a kept-alive connection without delay.

Its request handler writes a response in several small sends (the status line,
the date, the server, the headers, the body). On a connection the client keeps
alive, as browsers and the SDKs' HTTP clients do, Nagle's algorithm holds each
send back until the client acknowledges the previous one, which the client
delays (about 40 ms on Linux): some 55 ms per request instead of 7. Production's
gunicorn sets TCP_NODELAY on its sockets; the test server does the same here.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.test.testcases import QuietWSGIRequestHandler


@contextlib.contextmanager
def without_nagle() -> Iterator[None]:
    """TCP_NODELAY on every connection the live test servers accept meanwhile
    (the handler's flag is read as each connection is set up)."""
    before = QuietWSGIRequestHandler.disable_nagle_algorithm
    QuietWSGIRequestHandler.disable_nagle_algorithm = True
    try:
        yield
    finally:
        QuietWSGIRequestHandler.disable_nagle_algorithm = before
