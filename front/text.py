"""Upstream text is untrusted: markdown is rendered, then sanitised, and its links
rewritten so none of them is dead here.

Descriptions come from OpenRouter's site, whose links are site-relative
(`/models/openai/gpt-4-turbo`, `/docs/model-routing`). Where such a link names a
model this board has, it goes to our page; every other relative link goes to the
upstream site, absolute.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import escape
from urllib.parse import urljoin, urlsplit, urlunsplit

import markdown
import nh3
from django.conf import settings
from django.urls import reverse

from catalog.reads.selectors import models_known

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
# Where the description's site-relative links point: upstream's website. The demo
# upstream serves no website pages, so in demo mode they go to the real one.
PUBLIC_SITE = "https://openrouter.ai"
HREF = re.compile(r'<a [^>]*?href="([^"]*)"')
# "/openai/gpt-4o", "/models/openai/gpt-4o", "/openai/gpt-4o:free" (no deeper path).
MODEL_PATH = re.compile(r"^/(?:models/)?([A-Za-z0-9._~-]+/[A-Za-z0-9._~:-]+)/?$")
# A line of "#word" hashtags (upstream tags a model so), not a heading.
HASHTAGS = re.compile(r"^[ \t]*(#[\w][\w.+-]*(?:[ \t]+#[\w][\w.+-]*)*)[ \t]*$", re.M)


def upstream_site() -> str:
    """The site the description's relative links belong to, without the
    credentials a private gateway's URL may carry (links are public)."""
    if settings.MODELBOARD_DEMO_UPSTREAM:
        return PUBLIC_SITE
    parts = urlsplit(settings.OPENROUTER_SITE_URL.rstrip("/"))
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _model_slug(href: str, site_host: str) -> str | None:
    """The model id a link names (site-relative, or on the upstream host), else None."""
    parts = urlsplit(href)
    if parts.scheme in ("http", "https") and parts.netloc != site_host:
        return None
    if parts.scheme not in ("", "http", "https") or (parts.netloc and not parts.scheme):
        return None
    match = MODEL_PATH.match(parts.path)
    return match.group(1) if match else None


def rewrite_links(hrefs: Iterable[str]) -> Callable[[str], str]:
    """A rewriter for these links, knowing in one query which models exist."""
    site = upstream_site()
    host = urlsplit(site).netloc
    named = {h: _model_slug(h, host) for h in hrefs}
    known = models_known(slug for slug in named.values() if slug)

    def rewrite(href: str) -> str:
        slug = named.get(href)
        if slug is None:
            slug = _model_slug(href, host)
        if slug in known:
            author, _, rest = slug.partition("/")
            return reverse("model-detail", kwargs={"author": author, "slug": rest})
        parts = urlsplit(href)
        if parts.scheme or href.startswith("//"):
            return href
        return urljoin(site + "/", href)

    return rewrite


def _tags(match: re.Match[str]) -> str:
    # Raw HTML markdown passes through; nh3 keeps only these two classes of it.
    tags = "".join(
        f'<span class="tag">{escape(tag)}</span> ' for tag in match.group(1).split()
    )
    return f'<p class="hashtags">{tags.strip()}</p>'


def markdown_to_safe_html(source: str) -> str:
    """Markdown -> HTML with only harmless tags; links rewritten (see above) and
    given rel=noopener nofollow."""
    text = HASHTAGS.sub(_tags, source[:MAX_SOURCE])
    html = markdown.markdown(text, extensions=["tables", "sane_lists"])
    rewrite = rewrite_links(HREF.findall(html)) if "<a " in html else None

    def attribute(tag: str, name: str, value: str) -> str | None:
        if tag == "a" and name == "href" and rewrite is not None:
            return rewrite(value)
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS | {"span"},
        attributes={"a": {"href", "title"}},
        allowed_classes={"p": {"hashtags"}, "span": {"tag"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow ugc",
        attribute_filter=attribute,
    )
