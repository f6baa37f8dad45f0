"""Deterministic randomness: every value is derived from sha256 of its key parts."""

from __future__ import annotations

import hashlib
import random


def digest(*parts: object) -> bytes:
    """Return sha256 of the parts joined by "|" (stable across processes, unlike hash())."""
    return hashlib.sha256("|".join(str(p) for p in parts).encode("utf-8")).digest()


def rng(*parts: object) -> random.Random:
    """Return a Random seeded from the parts."""
    return random.Random(int.from_bytes(digest(*parts)[:8], "big"))


def unit(*parts: object) -> float:
    """Return a stable float in [0, 1) for the parts."""
    return int.from_bytes(digest(*parts)[:7], "big") / float(1 << 56)


def uuid_for(*parts: object) -> str:
    """Return a stable UUID-shaped string (version 4 layout) for the parts."""
    h = bytearray(digest(*parts)[:16])
    h[6] = (h[6] & 0x0F) | 0x40
    h[8] = (h[8] & 0x3F) | 0x80
    s = h.hex()
    return f"{s[:8]}-{s[8:12]}-{s[12:16]}-{s[16:20]}-{s[20:]}"
