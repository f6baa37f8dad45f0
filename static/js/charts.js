// modelboard: draws every chart of a page. Each chart is a <div data-plot> followed
// by a <script type="application/json" class="plot-data"> holding its plotly figure
// (front/charts.py), so pages carry no inline code. Needs plotly.js, loaded first.
function drawCharts() {
  for (const element of document.querySelectorAll("[data-plot]")) {
    const source = element.nextElementSibling;
    if (!source || !source.classList.contains("plot-data")) continue;
    const figure = JSON.parse(source.textContent);
    window.Plotly.newPlot(element, figure.data, figure.layout, figure.config);
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", drawCharts);
} else {
  drawCharts();
}
