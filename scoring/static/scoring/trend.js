// Draw an organisation's quarter totals and points per indicator (data from json_script).
(function () {
  "use strict";
  var canvas = document.getElementById("score-trend");
  var source = document.getElementById("score-trend-data");
  if (!canvas || !source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var names = data.names;
  var colours = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1"];
  var datasets = [
    { label: names.total, data: data.total, borderColor: "#dc3545", borderWidth: 3, tension: 0.2 },
  ];
  Object.keys(data.series).forEach(function (field, index) {
    datasets.push({
      label: names[field],
      data: data.series[field],
      borderColor: colours[index % colours.length],
      borderWidth: 1.5,
      borderDash: [4, 3],
      tension: 0.2,
    });
  });
  new Chart(canvas, {
    type: "line",
    data: { labels: data.labels, datasets: datasets },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: { y: { beginAtZero: true } },
    },
  });
})();
