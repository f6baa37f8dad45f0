"""Serves plotly.js from the installed plotly package, so nothing is vendored by hand
and the file always matches the plotly version that renders the figures."""

from __future__ import annotations

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

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> str | list[str]:
        if path != PATH:
            # Like Django's finders: an empty list means "not here" in both modes.
            return []
        found = str(plotly_dir() / NAME)
        return [found] if find_all or kwargs.get("all") else found

    def list(self, ignore_patterns: list[str] | None):
        storage = FileSystemStorage(location=plotly_dir())
        storage.prefix = PREFIX  # collectstatic copies it to vendor/plotly.min.js
        yield NAME, storage
