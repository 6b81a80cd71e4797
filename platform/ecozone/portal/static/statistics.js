// Progressive enhancement of /statistics: each <table data-chart> is drawn as an Apache ECharts
// chart from its own cells (no second fetch: the table is the record, the chart only shows it).
// The chart is hidden from assistive technology, which reads the table; without this script,
// or without ECharts, the tables alone show.
(function () {
  "use strict";
  if (!window.echarts) return;
  var charts = [];
  document.querySelectorAll("table[data-chart]").forEach(function (table) {
    var labels = [], values = [];
    table.querySelectorAll("tbody tr").forEach(function (row) {
      var label = row.querySelector("th"), cell = row.querySelector("td[data-value]");
      if (!label || !cell) return;
      labels.push(label.textContent.trim());
      values.push(Number(cell.getAttribute("data-value")));
    });
    if (!labels.length) return;
    var box = document.createElement("div");
    box.className = "chart";
    box.setAttribute("aria-hidden", "true");
    table.parentNode.insertBefore(box, table);
    var pie = table.getAttribute("data-chart") === "pie";
    var option = pie ? {
      color: ["#1d6b3a", "#e0a100", "#3b7dd8", "#a4161a", "#6c4f9c", "#4a5a50"],
      series: [{ type: "pie", radius: ["35%", "65%"], data: labels.map(function (name, i) {
        return { name: name, value: values[i] };
      }), label: { formatter: "{b}: {c}" } }]
    } : {
      color: ["#1d6b3a"],
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: labels, inverse: true, axisLabel: { width: 110, overflow: "truncate" } },
      series: [{ type: "bar", data: values, label: { show: true, position: "right" } }]
    };
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
