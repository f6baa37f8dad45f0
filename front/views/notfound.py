"""The 404 page: what was not found, and the models the address comes closest to."""

from __future__ import annotations

import logging
import re

from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from catalog.ranking import ranks_listed
from catalog.search import Suggestion, model_suggestions

logger = logging.getLogger(__name__)

SUGGESTIONS = 5
# Searches tried at most, each with a word fewer: a 404 stays cheap.
ATTEMPTS = 3
WORD = re.compile(r"[A-Za-z0-9.]+")  # a version's dots stay: "3.3" is one word


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """404.html with the reason (an Http404's message) and the nearest models."""
    message = exception.args[0] if getattr(exception, "args", None) else ""
    context = {
        "exception": message if isinstance(message, str) else "",
        "suggestions": nearest_models(request.path),
    }
    return render(request, "404.html", context, status=404)


def address_words(path: str) -> list[str]:
    """The words of an address's last part, without its variant:
    `/meta-llama/llama-3-8b-instruct:free` -> llama, 3, 8b, instruct."""
    last = path.strip("/").rsplit("/", 1)[-1].split(":", 1)[0]
    return WORD.findall(last)[:8]


def nearest_models(path: str) -> list[Suggestion]:
    """The models whose names come closest to the address: the search's best for
    its words, then for fewer of them (the last dropped first)."""
    words = address_words(path)
    try:
        for end in range(len(words), max(len(words) - ATTEMPTS, 0), -1):
            found = model_suggestions(
                ranks_listed(), " ".join(words[:end]), SUGGESTIONS
            )
            if found:
                return found
    except DatabaseError:
        # A 404 page must not fail: without the database it suggests nothing.
        logger.warning("no suggestions for %s: the database did not answer", path)
    return []
