"""The catalogue's syncs: one per upstream entity, each lock -> source -> ingest ->
SyncRun through the runs kernel (catalog.runs). openrouter.py polls OpenRouter's
models, providers and endpoints; litellm.py the direct providers' list prices
from LiteLLM's map; classifications.py upstream's task classifications
(the models' categories); zdr.py OpenRouter's zero-data-retention endpoints;
kinds.py the embedding, image and video models; benchmarks.py the benchmark
scores; polling.py plans which models an endpoints poll asks for, so that it fits
its schedule."""

from catalog.syncs.benchmarks import sync_benchmarks
from catalog.syncs.classifications import sync_categories
from catalog.syncs.kinds import sync_embeddings, sync_images, sync_videos
from catalog.syncs.litellm import sync_litellm
from catalog.syncs.openrouter import sync_catalog, sync_endpoints, sync_providers
from catalog.syncs.zdr import sync_zdr

__all__ = [
    "sync_benchmarks",
    "sync_catalog",
    "sync_categories",
    "sync_embeddings",
    "sync_endpoints",
    "sync_images",
    "sync_litellm",
    "sync_providers",
    "sync_videos",
    "sync_zdr",
]
