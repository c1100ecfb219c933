// Draw every <canvas data-chart="name"> of the page from the JSON of #overview-charts.
(function () {
  "use strict";
  var source = document.getElementById("overview-charts");
  if (!source || typeof Chart === "undefined") { return; }
  var charts = JSON.parse(source.textContent);
  var colours = ["#b02a37", "#6c757d", "#0d6efd", "#198754", "#fd7e14", "#6f42c1"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var chart = charts[canvas.dataset.chart];
    if (!chart) { return; }
    chart.datasets.forEach(function (dataset, index) {
      dataset.backgroundColor = colours[index % colours.length];
      dataset.borderColor = colours[index % colours.length];
    });
    new Chart(canvas, {
      type: chart.type,
      data: { labels: chart.labels, datasets: chart.datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        indexAxis: canvas.dataset.horizontal ? "y" : "x",
        plugins: { legend: { display: chart.datasets.length > 1 } },
        // Counts step by whole numbers (never 0.5); a null value leaves a gap in a line.
        scales: {
          y: { beginAtZero: true, ticks: chart.integer ? { precision: 0 } : {} },
          x: { beginAtZero: true, ticks: chart.integer ? { precision: 0 } : {} }
        },
        spanGaps: false
      }
    });
  });
})();
