"""The model list as an RSS 2.0 feed (`?use_rss=true`), as upstream answers it."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from django.conf import settings
from django.utils.feedgenerator import Rss201rev2Feed

from api.serializers import AbsoluteUrl
from catalog.models import LanguageModel


def chat_link(slug: str) -> str:
    """The model's chat upstream: the board has no chat of its own."""
    return f"{settings.OPENROUTER_SITE_URL}/chat?{urlencode({'models': slug})}"


def models_feed(
    models: Iterable[LanguageModel],
    absolute: AbsoluteUrl,
    *,
    chat_links: bool,
) -> str:
    """One item per model, in the list's order: its name, description and id (the
    item's guid), linked to its page here, or to its chat upstream."""
    feed = Rss201rev2Feed(
        title="modelboard models",
        link=absolute("/"),
        description="The models of the catalogue, as /api/v1/models lists them.",
        language="en",
    )
    for model in models:
        link = (
            chat_link(model.slug) if chat_links else absolute(model.get_absolute_url())
        )
        feed.add_item(
            title=model.name,
            link=link,
            description=model.description,
            unique_id=model.slug,
            unique_id_is_permalink=False,
            pubdate=model.created,
        )
    return feed.writeString("utf-8")
