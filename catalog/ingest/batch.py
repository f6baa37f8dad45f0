"""What every ingest shares: the result counts, the shrink guard, events, and one
batch of bulk writes that updates only the columns that changed."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar, cast

from django.db import DatabaseError, models, transaction

from catalog.editorial.overrides import from_json, overrides_split, to_json
from catalog.ingest.rows import objects_update
from catalog.models import CatalogEvent, EventKind, FieldOverride, SyncRun
from catalog.pricing import prices
from catalog.runs import ShrinkGuardError, shrink_guard
from catalog.sources.base import ItemError
from catalog.sources.openrouter import Prices
from catalog.versions import data_version_bump

__all__ = ["ShrinkGuardError", "shrink_guard"]

M = TypeVar("M", bound=models.Model)
logger = logging.getLogger(__name__)


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


def price_columns(parsed: Prices) -> dict[str, Any]:
    """The price columns of a model or endpoint from parsed upstream pricing."""
    values: dict[str, Any] = {
        f"price_{key}": parsed.token.get(key, parsed.unit.get(key))
        for key in prices.COLUMN_KEYS
    }
    values["is_variable_price"] = parsed.variable
    values["pricing_raw"] = parsed.raw
    values["pricing_overrides"] = parsed.overrides
    return values


def tier_problems(label: str, parsed: Prices) -> list[ItemError]:
    """The run's notes on malformed price tiers of one item (stored all the same,
    never priced): the item and the entry named."""
    return [ItemError(label, problem) for problem in parsed.problems]


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


def price_change(
    old_raw: Any, new_raw: Any, old_tiers: Any = None, new_tiers: Any = None
) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """(before, after) of the upstream prices that changed, else None.

    Only changed keys are kept, "0" for a price that was absent, so an event says
    exactly what moved. Price tiers that appeared, changed or went are the key
    "overrides": upstream's lists as sent ([] for none).
    """
    before: dict[str, Any] = prices.normalized(old_raw)
    after: dict[str, Any] = prices.normalized(new_raw)
    keys = sorted(
        k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
    )
    moved_before = {k: before.get(k, "0") for k in keys}
    moved_after = {k: after.get(k, "0") for k in keys}
    if (old_tiers or []) != (new_tiers or []):
        moved_before["overrides"] = old_tiers or []
        moved_after["overrides"] = new_tiers or []
    if not moved_after:
        return None
    return moved_before, moved_after


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
    relisted_rows: set[int] = field(default_factory=set)
    # When each relisted row (by id()) had been delisted.
    was_delisted: dict[int, datetime] = field(default_factory=dict)
    # Which fields each updated row (by id()) changes; owners of events/overrides.
    changed: dict[int, set[str]] = field(default_factory=dict)
    owners: dict[int, int] = field(default_factory=dict)
    # The table was empty before this sync: its rows are a baseline, not news.
    baseline: bool = False

    model: ClassVar[type[models.Model]]
    # Whose overrides apply ("model", "endpoint"), None when the table has none.
    override_kind: ClassVar[str | None] = None

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

    def label(self, obj: M) -> str:
        """How a row is named in the run's item errors: its upstream id."""
        return str(getattr(obj, "slug", obj.pk))

    def add(self, obj: M) -> None:
        self.create.append(obj)

    def compare(self, obj: M, values: dict[str, Any]) -> None:
        """Diff one stored row against upstream's values and queue what changed."""
        write, previous, moved = overrides_split(
            obj, values, self.overrides.get(obj.pk, {}), self.now
        )
        for override in moved:
            self._own(override, obj)
        self.moved += moved
        names = changed_fields(obj, write)
        if getattr(obj, "delisted_at", None) is not None:
            self.was_delisted[id(obj)] = obj.delisted_at  # type: ignore[attr-defined]
            obj.delisted_at = None  # type: ignore[attr-defined]
            names.append("delisted_at")
            self._record(self.relisted_event(obj), obj)
            self.relisted_rows.add(id(obj))
        if names or moved:
            for event in self.change_events(obj, values, previous):
                self._record(event, obj)
        if not names:
            self.unchanged += 1
            return
        for name in names:
            if name != "delisted_at":
                setattr(obj, name, write[name])
        obj.updated_at = self.now  # type: ignore[attr-defined]
        self.changed[id(obj)] = set(names)
        self.columns.update(names, {"updated_at"})
        self.update.append(obj)

    def vanish(self, obj: M) -> None:
        """Mark a row upstream no longer lists."""
        obj.delisted_at = self.now  # type: ignore[attr-defined]
        self.delist.append(obj)
        self._record(self.delisted_event(obj), obj)

    def _record(self, event: CatalogEvent | None, obj: M) -> None:
        if event is not None:
            self.events.append(event)
            self._own(event, obj)

    def _own(self, thing: object, obj: M) -> None:
        # Events and moved overrides belong to a row: a row the database refuses
        # takes its events along.
        self.owners[id(thing)] = id(obj)

    # -- the writes

    def write(self) -> IngestResult:
        """Store the batch in one transaction. When the database refuses the bulk
        writes, store it again row by row, each row in its own savepoint: a row it
        refuses is reported by id, the others are stored."""
        try:
            with transaction.atomic():
                return self._write_all()
        except DatabaseError as exc:
            logger.warning(
                "bulk write of %s refused (%s); storing row by row",
                self.model.__name__,
                short_error(exc),
            )
        for obj in self.create:  # the rolled-back inserts' ids mean nothing
            obj.pk = None
            obj._state.adding = True
        with transaction.atomic():
            return self._write_rows()

    def _write_all(self) -> IngestResult:
        self._keep_new_overrides()
        manager = self.model._default_manager
        created = cast(list[M], manager.bulk_create(self.create, batch_size=500))
        objects_update(self.update, sorted(self.columns))
        objects_update(self.delist, ["delisted_at"])
        events = self._events_of(created)
        objects_update(self.moved, ["upstream_value", "upstream_changed_at"])
        CatalogEvent.objects.bulk_create(events, batch_size=500)
        self.cascade(self.update, self.delist)
        self.index(created, self.update)
        if created or self.update or self.delist or self.moved or events:
            data_version_bump()
        return self._result(created, self.update, self.delist, events)

    def _write_rows(self) -> IngestResult:
        self._keep_new_overrides()
        manager = self.model._default_manager
        errors: list[ItemError] = []
        stored: dict[str, list[M]] = {"create": [], "update": [], "delist": []}
        for how, rows in (
            ("create", self.create),
            ("update", self.update),
            ("delist", self.delist),
        ):
            for obj in rows:
                try:
                    with transaction.atomic():
                        if how == "create":
                            manager.bulk_create([obj])
                        else:
                            columns = sorted(self.columns) if how == "update" else []
                            objects_update([obj], columns or ["delisted_at"])
                except DatabaseError as exc:
                    errors.append(
                        ItemError(self.label(obj), f"not stored: {short_error(exc)}")
                    )
                else:
                    stored[how].append(obj)
        kept = {id(obj) for rows in stored.values() for obj in rows}
        moved = [o for o in self.moved if self.owners.get(id(o)) in kept]
        objects_update(moved, ["upstream_value", "upstream_changed_at"])
        events = [
            e
            for e in self._events_of(stored["create"])
            if self.owners.get(id(e)) in kept
        ]
        CatalogEvent.objects.bulk_create(events, batch_size=500)
        self.cascade(stored["update"], stored["delist"])
        self.index(stored["create"], stored["update"])
        if any(stored.values()) or moved or events:
            data_version_bump()
        result = self._result(
            stored["create"], stored["update"], stored["delist"], events
        )
        result.failed, result.errors = len(errors), errors
        return result

    def cascade(self, updated: list[M], delisted: list[M]) -> None:
        """Writes that follow the stored rows, in the same transaction."""

    def index(self, created: list[M], updated: list[M]) -> None:
        """Keep what is derived from the stored rows (search keys) in step, in the
        same transaction."""

    def _events_of(self, created: list[M]) -> list[CatalogEvent]:
        events = list(self.events)
        if self.baseline:
            return events
        for obj in created:
            event = self.added_event(obj)
            if event is not None:
                events.append(event)
                self._own(event, obj)
        return events

    def _result(
        self,
        created: list[M],
        updated: list[M],
        delisted: list[M],
        events: list[CatalogEvent],
    ) -> IngestResult:
        return IngestResult(
            created=len(created),
            updated=len(updated),
            unchanged=self.unchanged,
            delisted=len(delisted),
            relisted=sum(1 for obj in updated if id(obj) in self.relisted_rows),
            events=len(events),
        )

    def _keep_new_overrides(self) -> None:
        """Inside the write's transaction: lock the rows about to be updated and read
        their overrides again. A field an editor overrode since the diff keeps the
        editor's value in the column; upstream's goes on the override."""
        if self.override_kind is None or not self.update:
            return
        rows = {obj.pk: obj for obj in self.update}
        locked = self.model._default_manager.select_for_update().filter(pk__in=rows)
        list(locked.order_by("pk").values_list("pk", flat=True))
        fresh = FieldOverride.objects.filter(
            **{f"{self.override_kind}__in": list(rows)}
        )
        for override in fresh:
            obj = rows[getattr(override, f"{self.override_kind}_id")]
            if override.field in self.overrides.get(obj.pk, {}):
                continue  # the diff already kept this column out
            upstream = getattr(obj, override.field)
            setattr(obj, override.field, from_json(obj, override.field, override.value))
            if override.field in self.changed.get(id(obj), ()):
                override.upstream_value = to_json(upstream)
                override.upstream_changed_at = self.now
                self._own(override, obj)
                self.moved.append(override)
            self.overrides.setdefault(obj.pk, {})[override.field] = override


def tiered_rows(batch: Batch[M], created: list[M], updated: list[M]) -> list[M]:
    """The stored rows whose price tier regions need writing: new ones with
    tiers, and those whose tiers changed."""
    return [
        *(r for r in created if getattr(r, "pricing_overrides", None)),
        *(r for r in updated if "pricing_overrides" in batch.changed.get(id(r), ())),
    ]


def short_error(exc: Exception) -> str:
    """The first line of a database error, for a run's item errors."""
    return (
        str(exc).strip().splitlines()[0][:300]
        if str(exc).strip()
        else type(exc).__name__
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
    batch: Batch[M], kind: str, obj: M, old: Any, new: Any, **target: Any
) -> CatalogEvent | None:
    """An event for one value that changed (JSON before/after), else None."""
    if old == new:
        return None
    return batch.event(kind, obj, before=to_json(old), after=to_json(new), **target)
