"""Reads of the other catalogues (embeddings, images, videos): a kind's listed
models in upstream's order, searched by their words, and one model of a kind."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet

from catalog.models import KindModel, ModelKind
from catalog.pricing import prices

# Words of a search: more are ignored (each is one LIKE).
MAX_WORDS = 8


def kind_models_listed(kind: str, q: str = "") -> QuerySet[KindModel]:
    """A kind's listed models in upstream's order (index kind-model-listed); with
    `q`, those whose name, id, description, kind or billed lines hold every word."""
    models = KindModel.objects.filter(kind=kind, delisted_at__isnull=True)
    for word in q.lower().split()[:MAX_WORDS]:
        # "embedding" finds "embeddings", "images" finds "image": a word's
        # plural and singular both match.
        models = models.filter(search_text__contains=word.removesuffix("s"))
    return models.order_by("position", "slug")


def kind_model_get(kind: str, slug: str) -> KindModel | None:
    """One model of a kind by its id, delisted ones included."""
    if kind not in ModelKind.values:
        return None
    return KindModel.objects.filter(kind=kind, slug=slug).first()


def unit_price_text(line: dict[str, str]) -> str:
    """One unit price for people: "$0.02 per 1M input tokens", "$0.04 per image",
    "$0.5 per generate"."""
    usd = prices.to_decimal(line.get("cost_usd")) or Decimal(0)
    billable = line.get("billable", "").replace("_", " ")
    match line.get("unit"):
        case "token":
            return f"{prices.money(usd * prices.MILLION)} per 1M {billable} tokens"
        case "sku":
            return f"{prices.money(usd)} per {billable}"
        case unit:
            return f"{prices.money(usd)} per {unit} ({billable})"
