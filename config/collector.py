"""The garbage collector of the board's long-lived processes: gunicorn's workers,
Celery's workers and `manage.py sync`.

At CPython's default threshold (700) the collector runs every few hundred new
container objects and, every so often, walks every object the process holds. A
cold model page allocates tens of thousands (querysets, rows, template nodes): ~1.8
ms of it went to the collector. A catalogue sync of 30,000 models holds them all
parsed while it diffs: 3 s of its 11 s went to walking them, again and again.

Settled, what is loaded by then (Django, the apps, their modules) is frozen out of
the collector's reach for the life of the process, and the youngest generation is
collected every 50,000 allocations. Cycles are still collected, later; a
30,000-model catalogue sync peaks at the same 275 MB.
"""

from __future__ import annotations

import gc

THRESHOLD = (50_000, 20, 100)


def settle_collector() -> None:
    """Freeze what is loaded and raise the collector's thresholds (see above)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLD)
