"""The one rule for upstream ids: which model ids and provider slugs the board can
route, and how a request path is built from one.

A model id is `author/slug`. Our pages live at `/<author>/<slug>`, our API at
`/api/v1/models/<author>/<slug>`, so an id is accepted only when both parts are
plain URL path segments: ASCII letters, digits and `. _ ~ -` (and `:` for the
variant in the slug), never `.` or `..` (a client would normalise them away), and
an author that is not one of the board's own top-level paths (`changes`, `api`, …).
The catalogue's parser refuses every other id as an item error, and the URL
converter of the pages is built from the same patterns, so the two cannot drift.
"""

from __future__ import annotations

import re
from urllib.parse import quote

MAX_LENGTH = 200
# Top-level paths of the site: an author named like one of them would be shadowed.
RESERVED = (
    "admin",
    "static",
    "media",
    "api",
    "changes",
    "status",
    "healthz",
    "rankings",
    "compare",
    "deprecations",
    "deprecations.rss",
    "providers",
    "watch",
    "usage",
    "usage.csv",
    "robots.txt",
    "favicon.ico",
)
_RESERVED = "|".join(re.escape(word) for word in RESERVED)
# `.` and `..` alone are path steps, not names.
_NOT_DOTS = r"(?!\.\.?(?:/|$))"
# The author part, as the pages' URL converter matches it (reserved words excluded).
AUTHOR_PATTERN = rf"(?!(?:{_RESERVED})(?:/|$)){_NOT_DOTS}[A-Za-z0-9._~-]+"
# The rest of the id: the model's slug, with its `:variant`.
SLUG_PATTERN = rf"{_NOT_DOTS}[A-Za-z0-9._~:-]+"
# A provider slug (`/providers/<slug>`): one plain segment.
PROVIDER_PATTERN = rf"{_NOT_DOTS}[A-Za-z0-9._~-]+"

_MODEL_ID = re.compile(rf"(?P<author>{AUTHOR_PATTERN})/(?P<slug>{SLUG_PATTERN})")
_PROVIDER = re.compile(PROVIDER_PATTERN)


def model_id_problem(value: object) -> str | None:
    """Why `value` is not a model id the board can route, or None when it is."""
    if not isinstance(value, str):
        return "must be a string"
    if len(value) > MAX_LENGTH:
        return f"longer than {MAX_LENGTH} characters"
    if _MODEL_ID.fullmatch(value):
        return None
    author, _, slug = value.partition("/")
    if author.lower() in RESERVED:
        return f"its author {author!r} is one of the board's own paths"
    if "." in (author, slug) or ".." in (author, slug) or "/" in slug:
        return "must be author/slug without path steps (., .. or a second /)"
    return "must be author/slug in ASCII letters, digits and . _ ~ - (: in the slug)"


def is_model_id(value: object) -> bool:
    """Whether the board can route this model id (see model_id_problem)."""
    return model_id_problem(value) is None


def provider_slug_problem(value: object) -> str | None:
    """Why `value` is not a provider slug the board can route, or None."""
    if not isinstance(value, str):
        return "must be a string"
    if len(value) > 100:
        return "longer than 100 characters"
    if _PROVIDER.fullmatch(value):
        return None
    return "must be ASCII letters, digits and . _ ~ - (not . or ..)"


def model_id_parts(value: str) -> dict[str, str] | None:
    """{"author", "slug"} of a routable id, for reverse(); None for any other."""
    match = _MODEL_ID.fullmatch(value) if len(value) <= MAX_LENGTH else None
    return match.groupdict() if match else None


def path_quote(value: str) -> str:
    """An id as request path segments that no client can normalise: each segment
    percent-quoted, `.` and `..` spelled out so they stay names."""
    segments = []
    for segment in value.split("/"):
        quoted = quote(segment, safe=":~")
        if quoted in (".", ".."):
            quoted = quoted.replace(".", "%2E")
        segments.append(quoted)
    return "/".join(segments)
