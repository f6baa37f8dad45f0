"""Upstream text is untrusted: markdown is rendered, then sanitised."""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "blockquote",
    "br",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "hr",
}
MAX_SOURCE = 50_000


def markdown_to_safe_html(source: str) -> str:
    """Markdown -> HTML with only harmless tags; links get rel=noopener nofollow."""
    html = markdown.markdown(source[:MAX_SOURCE], extensions=["tables", "sane_lists"])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow ugc",
    )
