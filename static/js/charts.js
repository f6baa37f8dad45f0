// modelboard: draws every chart of a page. Each chart is a <div data-plot> followed
// by a <script type="application/json" class="plot-data"> holding its plotly figure
// (front/charts.py), so pages carry no inline code. Needs plotly.js, loaded first.
//
// Before drawing, the figure takes the page's own colours (light or dark theme, so
// chart text keeps its contrast), fewer ticks on narrow screens, and room above the
// plot for a legend that wraps onto several rows instead of scrolling, and for the
// toolbar above it.
const DARK_COLORS = ["#8ea2ff", "#ff9f66", "#6fd08c", "#e599f7", "#66d9e8", "#ffd43b"];
const LEGEND_ROW = 22;
// The toolbar's band above the legend: shown on hover (a tap on a phone), it never
// covers the legend's entries.
const TOOLBAR = 30;

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

function fitted(layout, names, width) {
  if (layout.xaxis) layout.xaxis.nticks = Math.max(4, Math.min(8, Math.floor(width / 80)));
  // Legend entries are about 40 px of symbol and padding plus 7 px a character.
  const longest = Math.max(0, ...names.map((n) => String(n || "").length));
  const perRow = Math.max(1, Math.floor(width / (40 + 7 * longest)));
  const rows = Math.ceil(names.length / perRow);
  layout.height = (layout.height || 320) + Math.max(0, rows - 1) * LEGEND_ROW + TOOLBAR;
  // The legend sits on top of the plot area; the toolbar gets the band above it.
  const top = (layout.margin && layout.margin.t) || 24;
  layout.margin = { ...(layout.margin || {}), t: top + rows * LEGEND_ROW + TOOLBAR };
  // Never a scrolling legend box: it takes the rows it needs.
  layout.legend = { ...(layout.legend || {}), maxheight: 2000 };
  return layout;
}

function drawCharts() {
  for (const element of document.querySelectorAll("[data-plot]")) {
    const source = element.nextElementSibling;
    if (!source || !source.classList.contains("plot-data")) continue;
    const figure = JSON.parse(source.textContent);
    const names = figure.data.filter((t) => t.showlegend !== false).map((t) => t.name);
    const layout = fitted(themed(figure.layout || {}), names, element.clientWidth || 640);
    window.Plotly.newPlot(element, figure.data, layout, figure.config).then(() => clearToolbar(element, layout));
  }
}

// The legend's rows are estimated before drawing; where it grew into the toolbar's
// band, the plot moves down by the difference.
function clearToolbar(element, layout) {
  const legend = element.querySelector(".infolayer > .legend");
  const bar = element.querySelector(".modebar");
  if (!legend || !bar) return;
  const overlap = bar.getBoundingClientRect().bottom - legend.getBoundingClientRect().top;
  if (overlap <= 0) return;
  const grow = Math.ceil(overlap) + 4;
  window.Plotly.relayout(element, { "margin.t": layout.margin.t + grow, height: layout.height + grow });
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawCharts);
} else {
  drawCharts();
}
