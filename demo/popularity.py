"""How many tokens each demo model draws, relative: a documented prior.

Upstream's public ranking of a snapshot's date is not served without a key (the
Data API's rankings-daily), so the demo does not have one to follow. Instead each
model's popularity in [0, 1] is the product of what shapes OpenRouter's rankings,
read from the model's own catalogue entry, as of the snapshot's date (its newest
model's creation day):

- its author (a few labs carry most tokens: AUTHOR_POPULARITY);
- its age: a model loses half its draw every HALF_LIFE_DAYS after its release,
  to a floor (GPT-4 32k of 2023 is no longer a top model in May 2025, GPT-4o of
  2024 still draws);
- its price: a model at $15/M input draws half what a cheap one does, at $60/M a
  fifth (PRICE_SCALE);
- its role: guards, provers, distillations, base and search models are niche,
  and a line's smallest sizes (nano, lite, micro) draw less than its main model
  (ROLES); so do small open models, by the size in their id (SIZES);
- its variant: `:free` a little less than the paid model, `:thinking`, `:beta`
  and `:extended` much less;
- and a small spread per model, so that no two models tie.

Every figure depends only on the catalogue and the date, never on the clock.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from demo.seeded import unit
from demo.snapshots import Model, models_for, permaslug, variant

# The labs' share of OpenRouter's public tokens in spring 2025, relative.
AUTHOR_POPULARITY: dict[str, float] = {
    "anthropic": 1.1,
    "google": 1.0,
    "openai": 1.0,
    "deepseek": 0.95,
    "meta-llama": 0.9,
    "qwen": 0.75,
    "mistralai": 0.7,
    "x-ai": 0.7,
    "microsoft": 0.55,
    "perplexity": 0.5,
    "nousresearch": 0.5,
    "cohere": 0.45,
    "amazon": 0.45,
    "thudm": 0.45,
    "liquid": 0.3,
}
DEFAULT_POPULARITY = 0.35
HALF_LIFE_DAYS = 540
AGE_FLOOR = 0.3
PRICE_SCALE = Decimal(15)  # USD per million input tokens that halves the draw
VARIABLE_PRICE = 0.6  # a router's draw, for its unknown price
ROLES = {
    "guard": 0.3,
    "prover": 0.35,
    "distill": 0.5,
    "base": 0.4,
    "zero": 0.4,
    "search": 0.5,
    "online": 0.5,
    "high": 0.6,
    "nano": 0.6,
    "micro": 0.6,
    "lite": 0.7,
}
# Parameters in billions, from an id's "8b", "1.5b", "e4b"; the draw at or below.
SIZES = ((4.0, 0.4), (14.0, 0.7))
SIZE = re.compile(r"(?:^|[-_.])e?(\d+(?:\.\d+)?)b(?=$|[-_.:])")
VARIANTS = {"standard": 1.0, "free": 0.9}
OTHER_VARIANT = 0.35
# When a snapshot's models carry no usable creation time.
DEFAULT_DAY = date(2025, 5, 22)


def author_prior(slug: str) -> float:
    """The author's weight alone: what a model unknown to the catalogue draws."""
    return AUTHOR_POPULARITY.get(slug.split("/", 1)[0].lstrip("~"), DEFAULT_POPULARITY)


def created_day(model: Model) -> date | None:
    created = model.get("created")
    if not isinstance(created, int | float) or isinstance(created, bool):
        return None
    try:
        return datetime.fromtimestamp(created, tz=UTC).date()
    except (OverflowError, OSError, ValueError):
        return None


def snapshot_day(models: Iterable[Any]) -> date:
    """A catalogue's date: the day its newest model was created."""
    days = [created_day(m) for m in models if isinstance(m, dict)]
    known = [d for d in days if d is not None]
    return max(known) if known else DEFAULT_DAY


def age_factor(created: date | None, as_of: date) -> float:
    if created is None:
        return AGE_FLOOR
    age = max(0, (as_of - created).days)
    return max(AGE_FLOOR, float(0.5 ** (age / HALF_LIFE_DAYS)))


def price_factor(model: Model) -> float:
    pricing = model.get("pricing")
    raw = pricing.get("prompt") if isinstance(pricing, dict) else None
    try:
        per_token = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return VARIABLE_PRICE
    if not per_token.is_finite() or per_token < 0:
        return VARIABLE_PRICE  # "-1": a router's variable price
    return float(1 / (1 + per_token * 1_000_000 / PRICE_SCALE))


def role_factor(model_id: str) -> float:
    words = set(model_id.replace("/", "-").replace(":", "-").split("-"))
    role = min((ROLES[w] for w in words if w in ROLES), default=1.0)
    sizes = [float(n) for n in SIZE.findall(model_id.split("/", 1)[-1])]
    if not sizes:
        return role
    size = next((f for most, f in SIZES if max(sizes) <= most), 1.0)
    return role * size


def model_prior(model: Model, var: str, as_of: date) -> float:
    """A model variant's popularity in [0, 1] as of a day (see the module)."""
    model_id = str(model["id"])
    spread = 0.85 + 0.15 * unit("popularity", model_id.split(":", 1)[0])
    return (
        author_prior(model_id)
        * age_factor(created_day(model), as_of)
        * price_factor(model)
        * role_factor(model_id.split(":", 1)[0])
        * VARIANTS.get(var, OTHER_VARIANT)
        * spread
    )


@functools.cache
def priors(snapshot: str) -> dict[tuple[str, str], float]:
    """(stats permaslug, variant) -> popularity of every model of a snapshot."""
    models = [
        m
        for m in models_for(snapshot)
        if isinstance(m, dict) and isinstance(m.get("id"), str)
    ]
    as_of = snapshot_day(models)
    table: dict[tuple[str, str], float] = {}
    for model in models:
        slug = permaslug(model)
        if not isinstance(slug, str):
            continue  # a catalogue handed over as data may hold anything
        key = (slug.split(":", 1)[0], variant(model["id"]))
        table.setdefault(key, model_prior(model, key[1], as_of))
    return table


def popularity(snapshot: str, slug: str, var: str) -> float:
    """A model variant's popularity in [0, 1]: the snapshot's prior, else (a model
    the catalogue does not hold) its author's weight, spread."""
    found = priors(snapshot).get((slug, var))
    if found is not None:
        return found
    spread = 0.55 + 0.45 * unit("popularity", slug)
    return author_prior(slug) * spread * VARIANTS.get(var, OTHER_VARIANT)
