"""The API over the replayed 2026 history: spec-valid items, prices as of a date,
price history as CSV."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from decimal import Decimal

import pytest

from catalog.models import EventKind, LanguageModel
from demo.server import DemoUpstream
from tests.api.conftest import spec_validator
from tests.support.history import (
    expected_changes,
    fetched_at,
    price_change_examples,
    raw_price,
)

pytestmark = [pytest.mark.django_db, pytest.mark.backend]


def _errors(validator, item) -> list[str]:
    return [
        f"{'/'.join(map(str, e.path))}: {e.message}"
        for e in validator.iter_errors(item)
    ]


def _day(index: int) -> date:
    return fetched_at()[index].astimezone(UTC).date()


def _expected_prompt(model_id: str, day: date) -> Decimal:
    """The raw prompt price of the last recording fetched on or before `day`."""
    last = max(i for i in range(DemoUpstream.history_length()) if _day(i) <= day)
    return raw_price(model_id, last)


def _examples() -> list[tuple[str, int]]:
    """Changes whose before and after recordings fall on different days."""
    chosen, seen = [], set()
    for model_id, index in price_change_examples():
        if _day(index - 1) != _day(index) and model_id not in seen:
            chosen.append((model_id, index))
            seen.add(model_id)
    return chosen[:6]


def test_every_replayed_2026_model_validates_against_the_spec(client, replayed):
    validator = spec_validator("Model")
    body = client.get("/api/v1/models", {"include_delisted": "true"}).json()
    assert len(body["data"]) == LanguageModel.objects.count()
    problems = {m["id"]: _errors(validator, m) for m in body["data"]}
    assert {k: v for k, v in problems.items() if v} == {}


def test_price_history_csv(client, replayed):
    from tests.support.history import price_change_examples

    model_id, _ = price_change_examples()[0]
    response = client.get(f"/api/v1/models/{model_id}/prices.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    # The model page's price table: the first price, then one row per change.
    assert lines[0] == "from,model,series,input_usd_per_m,output_usd_per_m"
    events = LanguageModel.objects.get(slug=model_id).events.filter(
        kind=EventKind.PRICE
    )
    assert len(lines) - 1 == 1 + events.count()
    assert all(f",{model_id},Model price," in line for line in lines[1:])


def test_at_gives_the_price_in_force_on_both_sides_of_a_change(client, replayed):
    examples = _examples()
    assert len(examples) >= 4
    for model_id, index in examples:
        for day in (_day(index - 1), _day(index), _day(index) - timedelta(days=1)):
            response = client.get(f"/api/v1/models/{model_id}", {"at": day.isoformat()})
            assert response.status_code == 200, (model_id, day)
            data = response.json()["data"]
            assert Decimal(data["pricing"]["prompt"]) == _expected_prompt(
                model_id, day
            ), (model_id, day)
            assert data["modelboard"]["at"] == day.isoformat()
        before, after = raw_price(model_id, index - 1), raw_price(model_id, index)
        assert before != after


def test_at_before_a_model_existed_is_a_404(client, replayed):
    model_id, index = next(
        (m, i)
        for kind, m, i in sorted(expected_changes())
        if kind == "added" and i > 10
    )
    day = _day(index) - timedelta(days=1)
    response = client.get(f"/api/v1/models/{model_id}", {"at": day.isoformat()})
    assert response.status_code == 404
    assert "first seen" in response.json()["error"]["message"]
    today = client.get(f"/api/v1/models/{model_id}", {"at": _day(index).isoformat()})
    assert today.status_code == 200


def test_at_answers_for_a_model_delisted_since(client, replayed):
    changes = sorted(expected_changes())
    relisted = {m for kind, m, _ in changes if kind == "relisted"}
    # A model delisted for good (the diff also has some that came back).
    model_id, index = next(
        (m, i) for kind, m, i in changes if kind == "delisted" and m not in relisted
    )
    assert LanguageModel.objects.get(slug=model_id).delisted_at is not None
    assert client.get(f"/api/v1/models/{model_id}").status_code == 404
    day = _day(index - 1).isoformat()
    assert client.get(f"/api/v1/models/{model_id}", {"at": day}).status_code == 200
