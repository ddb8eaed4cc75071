/* 领导驾驶舱: draws the charts from the json_script data (no inline script: CSP). */
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var charts = [];

  function yuanTip(params) {
    var list = Array.isArray(params) ? params : [params];
    var lines = [list[0].name];
    list.forEach(function (p) {
      var d = p.data || {};
      var exact = d.yuan ? "（" + Number(d.yuan).toLocaleString("zh-CN", {minimumFractionDigits: 2}) + " 元）" : "";
      lines.push(p.marker + p.seriesName + "：" + p.value + (d.yuan ? " 万元" : "") + exact);
    });
    return lines.join("<br>");
  }

  function draw(id, option, rows) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = echarts.init(el, null, {renderer: "canvas"});
    chart.setOption(option);
    if (rows) {
      chart.on("click", function (p) {
        var row = rows[p.dataIndex];
        if (row && row.url) { window.location.href = row.url; }
      });
    }
    charts.push(chart);
  }

  function money(rows, key) {
    return rows.map(function (r) { return {value: r[key].wan, yuan: r[key].yuan}; });
  }

  function bars(id, rows) {
    draw(id, {
      tooltip: {trigger: "axis", formatter: yuanTip},
      legend: {data: ["核定", "已拨付"], top: 0},
      grid: {left: 60, right: 20, top: 50, bottom: 80},
      xAxis: {type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: {rotate: 30}},
      yAxis: {type: "value", name: "万元"},
      series: [
        {name: "核定", type: "bar", data: money(rows, "approved")},
        {name: "已拨付", type: "bar", data: money(rows, "paid")}
      ]
    }, rows);
  }

  bars("chart-district", data.district);
  bars("chart-policy", data.policy);
  draw("chart-month", {
    tooltip: {trigger: "axis"},
    legend: {data: ["案件数", "核定（万元）"]},
    grid: {left: 50, right: 60},
    xAxis: {type: "category", data: data.month.map(function (r) { return r.name; })},
    yAxis: [{type: "value", name: "件"}, {type: "value", name: "万元"}],
    series: [
      {name: "案件数", type: "line", data: data.month.map(function (r) { return r.n; })},
      {name: "核定（万元）", type: "line", yAxisIndex: 1, data: money(data.month, "approved")}
    ]
  }, data.month);
  // cases by state in the order of the workflow, top to bottom: a horizontal bar per state
  // (a funnel chart sorts and squashes when most states are empty)
  draw("chart-funnel", {
    tooltip: {trigger: "item", formatter: "{b}：{c} 件"},
    grid: {left: 80, right: 40, top: 10, bottom: 20},
    xAxis: {type: "value", name: "件", minInterval: 1},
    yAxis: {type: "category", inverse: true, data: data.funnel.map(function (r) { return r.name; })},
    series: [{type: "bar", label: {show: true, position: "right"},
      data: data.funnel.map(function (r) { return r.n; })}]
  }, data.funnel);
  if (data.budget.length) {
    draw("chart-budget", {
      tooltip: {trigger: "axis", formatter: yuanTip},
      legend: {data: ["预算", "已承诺"]},
      grid: {left: 60, right: 20, bottom: 60},
      xAxis: {type: "category", data: data.budget.map(function (r) { return r.name; })},
      yAxis: {type: "value", name: "万元"},
      series: [
        {name: "预算", type: "bar", data: money(data.budget, "budget")},
        {name: "已承诺", type: "bar", data: money(data.budget, "used")}
      ]
    });
  } else {
    var b = document.getElementById("chart-budget");
    if (b) { b.style.display = "none"; }
  }
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
}());
