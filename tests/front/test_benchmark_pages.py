"""The model page shows a model's benchmark scores with their source and date."""

from __future__ import annotations

import pytest

from tests.support import snapshots

pytestmark = [pytest.mark.django_db]


def test_model_page_shows_indices_with_source_and_date(client, mock_upstream):
    snapshots.load("benchmarked")
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


def test_a_model_without_scores_has_no_section(client, mock_upstream):
    snapshots.load("benchmarked")
    page = client.get("/liquid/lfm-40b").content.decode()
    assert 'id="benchmarks"' not in page
