// modelboard: draws every chart of a page. Each chart is a <div data-plot> followed
// by a <script type="application/json" class="plot-data"> holding its plotly figure
// (front/charts.py), so pages carry no inline code. Needs plotly.js, loaded first.
//
// Before drawing, the figure takes the page's own colours (light or dark theme, so
// chart text keeps its contrast), fewer ticks on narrow screens, and room above the
// plot for a legend that wraps onto several rows instead of scrolling.
const DARK_COLORS = ["#8ea2ff", "#ff9f66", "#6fd08c", "#e599f7", "#66d9e8", "#ffd43b"];
const LEGEND_ROW = 22;
const LEGEND_ENTRY = 170;

function themed(layout) {
  const style = getComputedStyle(document.documentElement);
  const muted = style.getPropertyValue("--muted").trim();
  const fg = style.getPropertyValue("--fg").trim();
  const dark = window.matchMedia("(prefers-color-scheme: dark)").matches;
  if (muted) layout.font = { ...(layout.font || {}), color: muted };
  if (fg) layout.legend = { ...(layout.legend || {}), font: { color: fg } };
  if (dark) layout.colorway = DARK_COLORS;
  return layout;
}

function fitted(layout, entries, width) {
  if (layout.xaxis) layout.xaxis.nticks = Math.max(3, Math.min(7, Math.floor(width / 95)));
  const perRow = Math.max(1, Math.floor(width / LEGEND_ENTRY));
  const rows = Math.ceil(entries / perRow);
  layout.height = (layout.height || 320) + Math.max(0, rows - 1) * LEGEND_ROW;
  layout.legend = { ...(layout.legend || {}), maxheight: (rows + 1) * LEGEND_ROW };
  return layout;
}

function drawCharts() {
  for (const element of document.querySelectorAll("[data-plot]")) {
    const source = element.nextElementSibling;
    if (!source || !source.classList.contains("plot-data")) continue;
    const figure = JSON.parse(source.textContent);
    const entries = figure.data.filter((t) => t.showlegend !== false).length;
    const layout = fitted(themed(figure.layout || {}), entries, element.clientWidth || 640);
    window.Plotly.newPlot(element, figure.data, layout, figure.config);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawCharts);
} else {
  drawCharts();
}
