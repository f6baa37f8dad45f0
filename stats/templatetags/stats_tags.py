from __future__ import annotations

from django import template

from catalog.models import LanguageModel
from stats import charts, selectors
from stats.syncs import KIND_ACTIVITY, KIND_APPS, KIND_DATASETS, KIND_UPTIME

register = template.Library()


@register.inclusion_tag("stats/_model_sections.html")
def model_stats(model: LanguageModel) -> dict:
    """The model page's apps, activity, uptime and performance sections."""
    stats = selectors.model_stats_get(model)
    from_rankings = stats.token_source == "rankings"
    return {
        "model": model,
        "stats": stats,
        "apps_run": stats.run(KIND_APPS),
        "activity_run": stats.run(KIND_DATASETS if from_rankings else KIND_ACTIVITY),
        "from_rankings": from_rankings,
        "uptime_run": stats.run(KIND_UPTIME),
        "samples_run": stats.run(selectors.ENDPOINTS_KIND),
        "tokens_chart": _chart("tokens", charts.tokens_figure, stats.token_days),
        "uptime_chart": _chart("uptime", charts.uptime_figure, stats.uptime),
        "latency_chart": _chart("latency", charts.latency_figure, stats.latency),
        "throughput_chart": _chart(
            "throughput", charts.throughput_figure, stats.throughput
        ),
    }


def _chart(name: str, figure, data) -> str:
    return charts.render_cached(name, data, lambda: figure(data))
