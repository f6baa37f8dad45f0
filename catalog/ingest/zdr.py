"""Writes for the zero-data-retention marks: make the listed endpoints' `zdr`
flags match one complete fetch of upstream's /endpoints/zdr."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from catalog.ingest.batch import IngestResult
from catalog.models import Endpoint, SyncKind, SyncRun
from catalog.runs import shrink_applied, shrink_guard
from catalog.sources.zdr import ZdrRecord
from catalog.versions import data_version_bump

CHUNK = 500


@dataclass
class ZdrResult(IngestResult):
    """An ingest's counts, with the listed endpoints no stored endpoint matched
    (upstream lists models the catalogue does not, or not yet)."""

    unmatched: int = 0
    COUNTS = (*IngestResult.COUNTS, "unmatched")


def zdr_key(permaslug: str, tag: str, provider_name: str) -> tuple[str, str]:
    """A stored endpoint's ZDR key, as ZdrRecord.key() names it."""
    return permaslug, tag or provider_name.lower()


def _listed_keys() -> dict[tuple[str, str], list[tuple[int, bool]]]:
    """Every listed endpoint's key -> its (pk, zdr) pairs. Variants share their
    model's permaslug, so a key can name the endpoints of several ids."""
    rows = Endpoint.objects.filter(delisted_at__isnull=True).values_list(
        "pk", "zdr", "tag", "provider_name", "model__canonical_slug", "model__slug"
    )
    keyed: dict[tuple[str, str], list[tuple[int, bool]]] = {}
    for pk, zdr, tag, provider_name, canonical, slug in rows:
        permaslug = canonical or slug.split(":", 1)[0]
        keyed.setdefault(zdr_key(permaslug, tag, provider_name), []).append((pk, zdr))
    return keyed


def endpoint_zdr_mark(
    records: Iterable[ZdrRecord],
    *,
    run: SyncRun | None = None,
    shrink_ratio: float = 0.5,
) -> ZdrResult:
    """Mark the listed endpoints upstream lists as ZDR, unmark the others. A
    fetch that would unmark more than `shrink_ratio` of the marked ones is
    refused (the shrink guard): nothing is changed."""
    wanted = {record.key() for record in records}
    keyed = _listed_keys()
    marked = {k for k, rows in keyed.items() if any(zdr for _, zdr in rows)}
    lost = sorted(marked - wanted)
    accepted = shrink_guard(
        len(marked),
        [f"{model} {tag}" for model, tag in lost],
        shrink_ratio,
        "ZDR endpoint list",
        kind=SyncKind.ZDR,
        run=run,
    )
    gain = [pk for k in wanted for pk, zdr in keyed.get(k, ()) if not zdr]
    drop = [pk for k in lost for pk, zdr in keyed[k] if zdr]
    result = ZdrResult(
        updated=len(gain) + len(drop),
        unmatched=len(wanted - keyed.keys()),
    )
    result.unchanged = sum(len(rows) for rows in keyed.values()) - result.updated
    with transaction.atomic():
        # In chunks: a database bounds the parameters of one statement.
        for value, pks in ((True, gain), (False, drop)):
            for start in range(0, len(pks), CHUNK):
                chunk = pks[start : start + CHUNK]
                Endpoint.objects.filter(pk__in=chunk).update(zdr=value)
        shrink_applied(accepted, run)
        if result.updated:
            data_version_bump()
    return result
