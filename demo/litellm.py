"""LiteLLM's price map as recorded from two `litellm` wheels (demo/data/README.md):
the demo upstream serves one of them, byte for byte, at a path of its own."""

from __future__ import annotations

import functools
import gzip
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
# Oldest first; the demo upstream serves the newest unless told otherwise.
VERSIONS = ("1.108.0", "1.110.2")
LATEST = VERSIONS[-1]
PATH = "/litellm/model_prices_and_context_window.json"


def path_of(version: str) -> Path:
    """The gzipped recording of one version."""
    return DATA / f"litellm-prices-{version}.json.gz"


@functools.cache
def prices_text(version: str) -> bytes:
    """The map's JSON text of a recorded version (read once per process)."""
    if version not in VERSIONS:
        raise ValueError(f"unknown LiteLLM version {version!r}")
    return gzip.decompress(path_of(version).read_bytes())
