"""Secrets out of URLs before they are shown: in pages, sync records and logs.

A base URL may carry credentials (`https://user:token@gateway/api/v1`) or a key in
its query string; neither may reach a page footer, /status, the admin or a log line.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"
# Query parameters whose values are secrets, whatever the service calls them.
SECRET_PARAM = re.compile(
    r"key|token|secret|passw|pwd|auth(?!or)|signature|credential|session|^sig$",
    re.IGNORECASE,
)
# A URL ends at white space, a quote, or a closing bracket (error texts put URLs in
# parentheses).
URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s'\"<>()\[\]]+")


def redact_url(url: str) -> str:
    """`url` without its credentials and secret query values (masked, not dropped,
    so a reader still sees that some were there); otherwise unchanged."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        return MASK if "@" in url else url
    netloc, query = parts.netloc, parts.query
    if "@" in netloc:
        netloc = f"{MASK}@{host}" + (f":{port}" if port else "")
    pairs = parse_qsl(query, keep_blank_values=True)
    if any(SECRET_PARAM.search(key) for key, _ in pairs):
        query = urlencode(
            [(k, MASK if SECRET_PARAM.search(k) else v) for k, v in pairs], safe="*/:"
        )
    if (netloc, query) == (parts.netloc, parts.query):
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str) -> str:
    """`text` with every URL in it redacted (error messages quote URLs)."""
    return URL_IN_TEXT.sub(lambda match: redact_url(match.group(0)), text)


class RedactingFilter(logging.Filter):
    """Redacts URLs in every log record's message and traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        if record.exc_info and not record.exc_text:
            formatted = logging.Formatter().formatException(record.exc_info)
            record.exc_text = redact_text(formatted)
        return True
