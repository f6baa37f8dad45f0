"""The model page shows a model's benchmark scores with their source and date."""

from __future__ import annotations

import pytest

from tests.support import snapshots

pytestmark = [pytest.mark.django_db, pytest.mark.state("benchmarked")]


@pytest.fixture
def benchmarked(mock_upstream):
    """The synced catalogue with its benchmark scores (restored from this run's
    snapshot of it)."""
    snapshots.load("benchmarked")
    return mock_upstream


def test_model_page_shows_indices_with_source_and_date(client, benchmarked):
    page = client.get("/anthropic/claude-opus-4").content.decode()
    section = page[page.index('id="benchmarks"') :]
    section = section[: section.index("</section>")]
    for text in (
        "Intelligence index",
        "71.4",
        "Coding index",
        "63.2",
        "Agentic index",
        "55.8",
        "Design Arena Elo",
        "1423.0",
        "Artificial Analysis",
        "Jun 3, 2026",
        'datetime="2026-06-03T12:00:00+00:00"',
    ):
        assert text in section, text


def test_a_model_without_scores_has_no_section(client, benchmarked):
    page = client.get("/liquid/lfm-40b").content.decode()
    assert 'id="benchmarks"' not in page


def _ids(page: str) -> list[str]:
    import re

    return re.findall(r'<code class="id">([^<]+)</code>', page)


def test_list_sorts_by_intelligence_with_a_column(client, benchmarked):
    from catalog.models import ModelScores

    page = client.get("/?sort=intelligence").content.decode()
    ids = _ids(page)
    scores = dict(ModelScores.objects.values_list("model__slug", "intelligence_index"))
    shown = [scores.get(i) for i in ids]
    known = [s for s in shown if s is not None]
    assert known == sorted(known, reverse=True) and len(known) > 20
    assert all(s is None for s in shown[len(known) :])
    assert ">Intelligence</th>" in page and ">71.4<" in page


def test_list_sorts_by_intelligence_per_dollar_for_a_workload(client, benchmarked):
    from catalog.models import LanguageModel, ModelScores
    from catalog.pricing.costs import cost_of
    from catalog.pricing.workloads import PRESETS

    query = "sort=value&preset=rag"
    page = client.get("/?" + query).content.decode()
    assert "Intelligence per $" in page
    ids = _ids(page)
    workload = PRESETS["rag"].workload
    scores = dict(ModelScores.objects.values_list("model__slug", "intelligence_index"))
    models = {m.slug: m for m in LanguageModel.objects.filter(slug__in=ids)}

    def value(slug: str) -> float | None:
        total = cost_of(models[slug], workload).total
        index = scores.get(slug)
        return index / float(total) if index is not None and total else None

    values = [value(i) for i in ids]
    known = [v for v in values if v is not None]
    assert len(known) > 10
    assert known == sorted(known, reverse=True)
    assert all(v is None for v in values[len(known) :])


def test_compare_has_a_row_per_index_and_points_per_dollar(client, benchmarked):
    page = client.get(
        "/compare?models=anthropic/claude-opus-4,liquid/lfm-40b&preset=chat"
    ).content.decode()
    rows = {
        label: page[page.index(label) :].split("</tr>", 1)[0]
        for label in (
            "Intelligence index",
            "Coding index",
            "Agentic index",
            "Design Arena Elo",
            "Intelligence per $",
        )
    }
    assert "<td>71.4</td><td>—</td>" in rows["Intelligence index"]
    assert "<td>63.2</td><td>—</td>" in rows["Coding index"]
    assert "<td>55.8</td><td>—</td>" in rows["Agentic index"]
    assert "<td>1423.0</td><td>—</td>" in rows["Design Arena Elo"]
    # Claude Opus 4 at $15/M in, $75/M out; chat: 1,500 in and 400 out a request
    # (0.0225 + 0.03 = $0.0525): 71.4 / 0.0525 = 1,360 points per dollar.
    assert "<td>1,360</td><td>—</td>" in rows["Intelligence per $"]
