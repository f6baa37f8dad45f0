"""What every ingest shares: the result counts, the shrink guard, events, and one
batch of bulk writes that updates only the columns that changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar, cast

from django.db import models

from catalog import prices
from catalog.models import CatalogEvent, EventKind, FieldOverride, SyncRun
from catalog.overrides import overrides_split, to_json
from catalog.sources.base import ItemError
from catalog.sources.openrouter import Prices

M = TypeVar("M", bound=models.Model)


class ShrinkGuardError(Exception):
    """Upstream lost too much of the catalogue at once to be believed."""


@dataclass
class IngestResult:
    """What one ingest did; becomes a SyncRun's counts."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    delisted: int = 0
    relisted: int = 0
    failed: int = 0
    events: int = 0
    errors: list[ItemError] = field(default_factory=list)

    COUNTS: ClassVar[tuple[str, ...]] = (
        "created",
        "updated",
        "unchanged",
        "delisted",
        "relisted",
        "failed",
        "events",
    )

    def add(self, other: IngestResult) -> None:
        for name in self.COUNTS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors.extend(other.errors)

    def counts(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.COUNTS}


def shrink_guard(active: int, missing: int, ratio: float, what: str) -> None:
    """Refuse a fetch that would delist more than `ratio` of the active rows."""
    if active and missing > active * ratio:
        raise ShrinkGuardError(
            f"refused: upstream {what} lost {missing} of {active} active entries "
            f"(more than {ratio:.0%}); nothing was marked delisted"
        )


def price_columns(parsed: Prices) -> dict[str, Any]:
    """The price columns of a model or endpoint from parsed upstream pricing."""
    values: dict[str, Any] = {
        f"price_{key}": parsed.token.get(key, parsed.unit.get(key))
        for key in prices.COLUMN_KEYS
    }
    values["is_variable_price"] = parsed.variable
    values["pricing_raw"] = parsed.raw
    return values


def changed_fields(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Names of the fields whose stored value differs from `values`."""
    changed = []
    for name, value in values.items():
        current = getattr(obj, name)
        if isinstance(value, Decimal) or isinstance(current, Decimal):
            if (current is None) != (value is None) or (
                current is not None and Decimal(current) != Decimal(value)
            ):
                changed.append(name)
        elif current != value:
            changed.append(name)
    return changed


def price_change(old_raw: Any, new_raw: Any) -> tuple[dict, dict] | None:
    """(before, after) of the upstream prices that changed, else None.

    Only changed keys are kept, "0" for a price that was absent, so an event says
    exactly what moved.
    """
    before, after = prices.normalized(old_raw), prices.normalized(new_raw)
    if before == after:
        return None
    keys = sorted(
        k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
    )
    return (
        {k: before.get(k, "0") for k in keys},
        {k: after.get(k, "0") for k in keys},
    )


@dataclass
class Batch(Generic[M]):
    """The writes of one batch of rows of one table, done in bulk.

    `compare` diffs a stored row against upstream's values (overridden columns keep
    the editor's value); `write` inserts new rows, updates only the changed columns,
    marks vanished rows delisted and records the events. Subclasses say which events
    a row's life produces.
    """

    now: datetime
    run: SyncRun | None
    overrides: dict[int, dict[str, FieldOverride]] = field(default_factory=dict)
    create: list[M] = field(default_factory=list)
    update: list[M] = field(default_factory=list)
    delist: list[M] = field(default_factory=list)
    columns: set[str] = field(default_factory=set)
    moved: list[FieldOverride] = field(default_factory=list)
    events: list[CatalogEvent] = field(default_factory=list)
    unchanged: int = 0
    relisted: int = 0
    # The table was empty before this sync: its rows are a baseline, not news.
    baseline: bool = False

    model: ClassVar[type[models.Model]]

    # -- events: what happened to one row (subclasses fill these in)

    def event(self, kind: str, obj: M, **kwargs: Any) -> CatalogEvent:
        return CatalogEvent(
            kind=kind, observed_at=self.now, sync_run=self.run, **kwargs
        )

    def added_event(self, obj: M) -> CatalogEvent | None:
        return None

    def delisted_event(self, obj: M) -> CatalogEvent | None:
        return None

    def relisted_event(self, obj: M) -> CatalogEvent | None:
        return None

    def change_events(
        self, obj: M, values: dict[str, Any], previous: dict[str, Any]
    ) -> list[CatalogEvent]:
        """Events for upstream's changes; `previous` holds overridden fields' old
        upstream values, since their columns show the editor's value."""
        return []

    # -- the diff

    def add(self, obj: M) -> None:
        self.create.append(obj)

    def compare(self, obj: M, values: dict[str, Any]) -> None:
        """Diff one stored row against upstream's values and queue what changed."""
        write, previous, moved = overrides_split(
            obj, values, self.overrides.get(obj.pk, {}), self.now
        )
        self.moved += moved
        names = changed_fields(obj, write)
        if getattr(obj, "delisted_at", None) is not None:
            obj.delisted_at = None  # type: ignore[attr-defined]
            names.append("delisted_at")
            self._record(self.relisted_event(obj))
            self.relisted += 1
        if names or moved:
            self.events += self.change_events(obj, values, previous)
        if not names:
            self.unchanged += 1
            return
        for name in names:
            if name != "delisted_at":
                setattr(obj, name, write[name])
        obj.updated_at = self.now  # type: ignore[attr-defined]
        self.columns.update(names, {"updated_at"})
        self.update.append(obj)

    def vanish(self, obj: M) -> None:
        """Mark a row upstream no longer lists."""
        obj.delisted_at = self.now  # type: ignore[attr-defined]
        self.delist.append(obj)
        self._record(self.delisted_event(obj))

    def _record(self, event: CatalogEvent | None) -> None:
        if event is not None:
            self.events.append(event)

    # -- the writes

    def write(self) -> IngestResult:
        manager = self.model._default_manager
        created = cast(list[M], manager.bulk_create(self.create, batch_size=500))
        if not self.baseline:
            for obj in created:
                self._record(self.added_event(obj))
        if self.update:
            manager.bulk_update(self.update, sorted(self.columns), batch_size=500)
        manager.bulk_update(self.delist, ["delisted_at"], batch_size=500)
        FieldOverride.objects.bulk_update(
            self.moved, ["upstream_value", "upstream_changed_at"]
        )
        CatalogEvent.objects.bulk_create(self.events, batch_size=500)
        return IngestResult(
            created=len(created),
            updated=len(self.update),
            unchanged=self.unchanged,
            delisted=len(self.delist),
            relisted=self.relisted,
            events=len(self.events),
        )


def baseline_event(
    now: datetime, run: SyncRun | None, sync: str, counts: dict[str, int]
) -> CatalogEvent:
    """The one event of a first import: what it brought in, e.g. {"models": 321}."""
    return CatalogEvent(
        kind=EventKind.BASELINE,
        after={"sync": sync, **counts},
        observed_at=now,
        sync_run=run,
    )


def value_event(
    batch: Batch, kind: str, obj: Any, old: Any, new: Any, **target: Any
) -> CatalogEvent | None:
    """An event for one value that changed (JSON before/after), else None."""
    if old == new:
        return None
    return batch.event(kind, obj, before=to_json(old), after=to_json(new), **target)
