"""The workload the pages price for: read from the query string (shareable), shown
in a form with presets, and carried on links between pages."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict

from catalog.pricing.costs import Workload
from catalog.pricing.workloads import (
    DEFAULT_PRESET,
    PARAMS,
    PRESETS,
    WorkloadQuery,
    workload_query,
)

# Longer than any valid query of the pages that price a workload (a list's filters,
# compare's six ids).
MAX_KEPT = 2000


@dataclass
class WorkloadState:
    """The form, the workload in force (None when the query names none and the
    page prices nothing by default) and the query that reproduces it."""

    form: WorkloadQuery
    workload: Workload | None
    query: str = ""
    # The page's other parameters (no workload, no page number): preset links
    # and "clear" keep them.
    base: str = ""

    @property
    def preset(self) -> str:
        return self.form.cleaned_data.get("preset", "") if self.form.is_valid() else ""

    @property
    def values(self) -> dict[str, str]:
        """What the form's fields show: the workload in force, else what was sent."""
        if self.workload is None:
            return {k: str(self.form.data.get(k, ""))[:30] for k in PARAMS}
        return workload_query(self.workload)

    @property
    def params(self) -> str:
        """The workload's query names, for the script that remembers them."""
        return " ".join(PARAMS)

    @property
    def kept(self) -> list[tuple[str, str]]:
        """The page's other parameters, as hidden fields of a workload-only form."""
        return [(k, v) for k, values in QueryDict(self.base).lists() for v in values]

    @property
    def summary(self) -> str:
        """The workload in a line: "1,500 in + 400 out tokens × 1,000 requests/day"."""
        w = self.workload or Workload()
        volume = (
            f"{w.tokens_per_month:,} tokens/month"
            if w.tokens_per_month is not None
            else f"{w.requests_per_day or 0:,} requests/day"
        )
        extras = [
            f"{w.cache_share * 100:.0f}% cached" if w.cache_share else "",
            f"{w.reasoning_tokens:,} reasoning" if w.reasoning_tokens else "",
            f"{w.images} images" if w.images else "",
            f"{w.web_searches} searches" if w.web_searches else "",
        ]
        line = f"{w.input_tokens:,} in + {w.output_tokens:,} out tokens × {volume}"
        return ", ".join([line, *(e for e in extras if e)])

    @property
    def line(self) -> str:
        """The workload folded into a line the list shows above its rows:
        "Chat: 1,500 in + 400 out × 1,000/day" (the preset's name, else "Custom");
        "" when the page prices none."""
        if self.workload is None:
            return ""
        w = self.workload
        preset = PRESETS.get(self.preset)
        name = preset.label if preset and not self._edited(preset.workload) else ""
        name = name or ("Custom" if self.query else PRESETS[DEFAULT_PRESET].label)
        volume = (
            f"{w.tokens_per_month:,} tokens/month"
            if w.tokens_per_month is not None
            else f"{w.requests_per_day or 0:,}/day"
        )
        return f"{name}: {w.input_tokens:,} in + {w.output_tokens:,} out × {volume}"

    def _edited(self, base: Workload) -> bool:
        # A preset whose fields were changed is no longer that preset.
        return self.workload != base

    @property
    def presets(self) -> list[tuple[str, str, str]]:
        """(slug, label, query) of each preset: the script fills the fields from
        the query; without a script the server reads the preset."""
        return [
            (p.slug, p.label, urlencode(workload_query(p.workload)))
            for p in PRESETS.values()
        ]


def workload_state(params: QueryDict, *, default: bool) -> WorkloadState:
    """The workload a page asked for; with `default`, chat's when none is named.
    An invalid one leaves `form.errors` for a 400."""
    form = WorkloadQuery(params)
    base = _without_workload(params)
    if not form.is_valid():
        return WorkloadState(form, None, base=base)
    if not form.given() and not default:
        return WorkloadState(form, None, base=base)
    workload = form.workload()
    query = ""
    if form.given():
        query = urlencode(workload_query(workload, form.cleaned_data["preset"]))
    return WorkloadState(form, workload, query, base)


def _without_workload(params: QueryDict) -> str:
    kept = params.copy()
    for name in (*PARAMS, "page"):
        kept.pop(name, None)
    query = kept.urlencode()
    # Echoed in every preset link: a query no page's form accepts is not repeated.
    return query if len(query) <= MAX_KEPT else ""
