"""Serves plotly.js from the installed plotly package, so nothing is vendored by hand
and the file always matches the plotly version that renders the figures."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PATH = "vendor/plotly.min.js"
PREFIX, NAME = PATH.rsplit("/", 1)


def plotly_dir() -> Path:
    return Path(plotly.__file__).resolve().parent / "package_data"


class PlotlyFinder(BaseFinder):
    """Finds `vendor/plotly.min.js` in the plotly package (add to STATICFILES_FINDERS)."""

    def check(self, **kwargs: Any) -> list:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        if path != PATH:
            # Like Django's finders: an empty list means "not here" in both modes.
            return []
        found = str(plotly_dir() / NAME)
        return [found] if find_all or kwargs.get("all") else found

    def list(self, ignore_patterns: Iterable[str] | None) -> Iterator[tuple[str, Any]]:
        storage = FileSystemStorage(location=plotly_dir())
        # collectstatic copies it to vendor/plotly.min.js (the attribute Django's
        # own finders set for a prefixed location).
        storage.prefix = PREFIX  # type: ignore[attr-defined]
        yield NAME, storage
