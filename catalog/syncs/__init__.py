"""The catalogue's syncs: one per upstream entity, each lock -> source -> ingest ->
SyncRun through the runs kernel (catalog.runs). openrouter.py polls OpenRouter's
models, providers and endpoints; litellm.py the direct providers' list prices
from LiteLLM's map; benchmarks.py the benchmark scores; polling.py plans which models an endpoints poll
asks for, so that it fits its schedule."""

from catalog.syncs.benchmarks import sync_benchmarks
from catalog.syncs.litellm import sync_litellm
from catalog.syncs.openrouter import sync_catalog, sync_endpoints, sync_providers

__all__ = [
    "sync_benchmarks",
    "sync_catalog",
    "sync_endpoints",
    "sync_litellm",
    "sync_providers",
]
